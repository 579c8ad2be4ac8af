"""A server-rendered SVG trend chart: a pure function from points to an SVG string.

Accessible by construction: ``role="img"`` with ``<title>`` and ``<desc>`` (the page also shows the table as
the chart's alternative). Series differ by line dash and marker shape, bands by hatching pattern, never by
colour alone. Only presentation attributes and classes: no ``style`` attribute and no script, so a strict
Content-Security-Policy needs no 'unsafe-inline'. Many points are averaged into time buckets first, so a
year of readings stays a small picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from xml.sax.saxutils import escape, quoteattr

from babel.dates import format_date

from pgo.localtime import day_start_utc, local

WIDTH, HEIGHT = 720, 360
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 24, 72
MAX_POINTS = 300  # per series, after bucketing
LEGEND_ROW = 17  # a second row of legend entries, when the first is full
CHAR = 0.58  # the width of an average character, in font sizes (an estimate: the SVG cannot measure its text)
# The widths (in the chart's own units) of the variants a page shows by its width (#18): with text of 16 units, each
# is shown only where it is drawn at least 1 CSS px a unit per 16 px of body text, so its text is never smaller
# than the body text, at any width or text size (templates/measurements/_chart.html, app.css).
VARIANT_WIDTHS = (152, 288, 448, 720)
VARIANT_FONT = 16


@dataclass(frozen=True)
class Frame:
    """The chart's size and text size, in its own units, and the margins around the plot that follow from them."""

    width: int = WIDTH
    font: float = 12
    narrow: bool = False  # band labels in the legend instead of on the plot (too long for a narrow plot)
    legend: bool = True  # False: the page shows the legend as text beside the chart (``legend_swatches``)

    @property
    def left(self) -> float:
        return LEFT if self.font == 12 else round(self.font * (CHAR * 4 + 1.2))

    @property
    def right(self) -> float:
        return RIGHT if self.font == 12 else round(self.font * 0.75)

    @property
    def top(self) -> float:
        return TOP if self.font == 12 else round(self.font * 1.6)

    @property
    def plot_w(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> float:
        return HEIGHT - TOP - BOTTOM if self.font == 12 else max(min(264, round(self.width * 0.6)), 9 * self.font)

    @property
    def char(self) -> float:
        return 7 if self.font == 12 else CHAR * self.font

    @property
    def row(self) -> float:
        return LEGEND_ROW if self.font == 12 else round(self.font * 1.35)


# Series style by position: (dash pattern, marker shape, colour). Colour is a bonus, not the message.
SERIES_STYLES = (("", "circle", "#1d4e89"), ("8 4", "square", "#7a3b00"), ("2 3", "triangle", "#3c6e1f"))
BAND_PATTERNS = {
    "info": ("M0,8 L8,0", "#5b6b7a"),
    "contact_practice": ("M0,8 L8,0 M0,0 L8,8", "#8a5a00"),
    "call_today": ("M0,4 L8,4 M4,0 L4,8", "#a3361f"),
    "emergency": ("M0,8 L8,0 M0,0 L8,8 M0,4 L8,4", "#8b0000"),
}


@dataclass(frozen=True)
class Series:
    name: str
    label: str
    points: Sequence[tuple[datetime, float]]
    flagged: Sequence[tuple[datetime, float]] = ()  # readings outside a limit: marked, never averaged away


@dataclass(frozen=True)
class Band:
    """A threshold region: ``direction`` "above" (limit and up) or "below" (under limit)."""

    limit_value: float
    direction: str
    severity: str
    label: str


def downsample(points: Sequence[tuple[datetime, float]], buckets: int = MAX_POINTS) -> list[tuple[datetime, float]]:
    """At most ``buckets`` points: the mean time and value of each equal stretch of time."""
    if len(points) <= buckets:
        return list(points)
    ordered = sorted(points)
    first, last = ordered[0][0].timestamp(), ordered[-1][0].timestamp()
    span = (last - first) or 1.0
    sums: dict[int, list[float]] = {}
    for moment, value in ordered:
        index = min(int((moment.timestamp() - first) / span * buckets), buckets - 1)
        bucket = sums.setdefault(index, [0.0, 0.0, 0])
        bucket[0] += moment.timestamp()
        bucket[1] += value
        bucket[2] += 1
    tz = ordered[0][0].tzinfo
    return [(datetime.fromtimestamp(t / n, tz), v / n) for t, v, n in (sums[i] for i in sorted(sums))]


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks, value = [], start
    while value <= high + step / 2:
        ticks.append(round(value, 6))
        value += step
    return ticks


def _marker(shape: str, x: float, y: float, colour: str, style: int = 0) -> str:
    cls = f'class="style-{style}" '
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}" {cls}/>'
    if shape == "triangle":
        corners = f"M{x:.1f},{y - 4.5:.1f} L{x + 4.5:.1f},{y + 3.5:.1f} L{x - 4.5:.1f},{y + 3.5:.1f} Z"
        return f'<path {cls}d="{corners}" fill="{colour}"/>'
    return f'<circle {cls}cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'


def _flag_marker(x: float, y: float) -> str:
    """A reading outside a limit: a diamond outline around the point, a shape no series uses."""
    corners = f"M{x:.1f},{y - 8:.1f} L{x + 8:.1f},{y:.1f} L{x:.1f},{y + 8:.1f} L{x - 8:.1f},{y:.1f} Z"
    return f'<path class="flagged" d="{corners}" fill="none" stroke="#8b0000" stroke-width="2.5"/>'


def _defs(prefix: str) -> str:
    patterns = "".join(
        f'<pattern id="{prefix}-{name}" patternUnits="userSpaceOnUse" width="8" height="8">'
        f'<path d="{path}" stroke="{colour}" stroke-width="1.2"/></pattern>'
        for name, (path, colour) in BAND_PATTERNS.items()
    )
    return f"<defs>{patterns}</defs>"


def trend_chart_svg(
    *,
    series: Sequence[Series],
    bands: Sequence[Band],
    start: datetime,
    end: datetime,
    title: str,
    description: str,
    unit: str,
    lang: str = "nl",
    id_prefix: str = "trend",
    flagged_label: str = "",
    frame: Frame = Frame(),
) -> str:
    """The chart as an SVG string (one ``<svg>`` element, well-formed XML). A series' flagged readings get a
    diamond around them, named in the legend by ``flagged_label``. ``frame``: its width and text size."""
    drawn = [Series(s.name, s.label, downsample(s.points), s.flagged) for s in series]
    values = [v for s in drawn for _, v in (*s.points, *s.flagged)] + [b.limit_value for b in bands]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    pad = (high - low) * 0.08 or 1.0
    ticks = nice_ticks(low - pad, high + pad)
    y_low, y_high = ticks[0], ticks[-1]
    t0, t1 = start.timestamp(), max(end.timestamp(), start.timestamp() + 1)
    left, top_, plot_w, plot_h = frame.left, frame.top, frame.plot_w, frame.plot_h

    def x_of(moment: datetime) -> float:
        return left + (moment.timestamp() - t0) / (t1 - t0) * plot_w

    def y_of(value: float) -> float:
        return top_ + (y_high - min(max(value, y_low), y_high)) / (y_high - y_low) * plot_h

    legend_entries = [(item.label, ("series", index)) for index, item in enumerate(drawn)]
    if frame.narrow:
        legend_entries += [(band.label, ("band", band.severity)) for band in bands]
    if flagged_label and any(s.flagged for s in drawn):
        legend_entries.append((flagged_label, ("flagged", 0)))
    if not frame.legend:
        legend_entries = []
    legend = _legend(legend_entries, frame, top=top_ + plot_h + frame.font * 2.4, prefix=id_prefix)
    axis_bottom = top_ + plot_h + frame.font * 2
    height = round(max(legend.bottom + frame.font * 0.8, axis_bottom) if legend_entries else axis_bottom)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {frame.width} {height}" role="img" '
        f'class="trend-chart" aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>',
        _defs(id_prefix),
        '<g class="bands">',
    ]
    for band in bands:
        y_limit = y_of(band.limit_value)
        top = y_of(y_high) if band.direction == "above" else y_of(band.limit_value)
        bottom = y_of(band.limit_value) if band.direction == "above" else y_of(y_low)
        parts.append(
            f'<rect class="band band-{band.severity}" x="{left}" y="{top:.1f}" width="{plot_w}" '
            f'height="{max(bottom - top, 0):.1f}" fill="url(#{id_prefix}-{band.severity})" fill-opacity="0.5"/>'
            f'<line class="band-limit" x1="{left}" x2="{left + plot_w}" y1="{y_limit:.1f}" y2="{y_limit:.1f}" '
            f'stroke="#333" stroke-dasharray="1 3"/>'
        )
        if not frame.narrow:
            band_font = 11 if frame.font == 12 else frame.font
            parts.append(
                f'<text class="band-label" x="{left + plot_w - 4}" y="{y_of(band.limit_value) - 4:.1f}" '
                f'text-anchor="end" font-size="{band_font:g}">{escape(band.label)}</text>'
            )
    parts.append("</g>")
    parts.append(_axes(ticks, y_of, x_of, start, end, unit, lang, frame))
    for index, item in enumerate(drawn):
        style = index % len(SERIES_STYLES)
        dash, shape, colour = SERIES_STYLES[style]
        coords = [(x_of(t), y_of(v)) for t, v in sorted(item.points)]
        parts.append(f'<g class="series series-{escape(item.name)}">')
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline class="style-{style}" points="{path}" fill="none" stroke="{colour}" stroke-width="2"'
                f"{dash_attr}/>"
            )
        parts.extend(_marker(shape, x, y, colour, style) for x, y in coords)
        parts.extend(_flag_marker(x_of(t), y_of(v)) for t, v in item.flagged)
        parts.append("</g>")
    parts.append(legend.svg)
    parts.append("</svg>")
    return "".join(parts)


def _axes(ticks, y_of, x_of, start, end, unit, lang, frame: Frame) -> str:
    left, top, plot_w, plot_h, font = frame.left, frame.top, frame.plot_w, frame.plot_h, frame.font
    out = [f'<g class="axes" font-size="{font:g}">']
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333"/>')
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#333"/>')
    for tick in ticks:
        y = y_of(tick)
        label = f"{tick:g}".replace(".", ",") if lang == "nl" else f"{tick:g}"
        out.append(f'<line x1="{left - 5}" x2="{left}" y1="{y:.1f}" y2="{y:.1f}" stroke="#333"/>')
        out.append(f'<text x="{left - 8}" y="{y + font / 3:.1f}" text-anchor="end">{escape(label)}</text>')
    if font == 12:
        out.append(f'<text x="{left - 8}" y="{top - font * 0.6:.1f}" text-anchor="end">{escape(unit)}</text>')
    else:  # from the left edge: a wide unit ("mmol/mol") does not fit in the margin at a large text size
        out.append(f'<text x="0" y="{top - font * 0.6:.1f}">{escape(unit)}</text>')
    labelled = _time_ticks(start, end, lang)
    widest = max((len(label) for _, label in labelled), default=1) * frame.char + font
    every = max(1, math.ceil(len(labelled) * widest / plot_w)) if plot_w > 0 else 1
    for index, (moment, label) in enumerate(labelled):
        x = x_of(moment)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top + plot_h}" y2="{top + plot_h + 5}" stroke="#333"/>')
        if index % every == 0:
            y = top + plot_h + 8 + font
            half = len(label) * frame.char / 2
            anchor = "end" if x + half > frame.width else ("start" if x - half < 0 else "middle")
            out.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(label)}</text>')
    out.append("</g>")
    return "".join(out)


def _time_ticks(start: datetime, end: datetime, lang: str) -> list[tuple[datetime, str]]:
    """The time axis' ticks, each at a local midnight: the first of each month for a long span (a year), else
    every day of a week, or every few days of a month (at most 8 ticks). A day is counted in local days, so a week
    over a daylight-saving change still has its 8 midnights."""
    first, last = local(start).date(), local(end).date()
    days = (last - first).days
    if days <= 62:
        step = max(1, math.ceil(days / 7))
        days_shown = (first + timedelta(days=n) for n in range(0, max(days, 1) + 1, step))
        return [
            (moment, format_date(day, "d MMM", locale=lang))
            for day in days_shown
            if start <= (moment := day_start_utc(day)) <= end
        ]
    ticks = []
    month = first.replace(day=1)
    while (moment := day_start_utc(month)) < end:
        if moment >= start:
            ticks.append((moment, format_date(month, "MMM", locale=lang)))
        month = (month + timedelta(days=32)).replace(day=1)
    return ticks


@dataclass(frozen=True)
class Legend:
    svg: str
    bottom: float  # where its last row ends, in the chart's units


def _legend_places(labels: Sequence[str], frame: Frame = Frame()) -> list[tuple[float, float]]:
    """Where each legend entry starts, left to right, on a next row when a row is full (a label's width is estimated
    from its length). A narrow chart has one entry a row, its label wrapped over lines."""
    places: list[tuple[float, float]] = []
    x, y = 0, 0
    for label in labels:
        lines = _wrap(label, frame)
        width = 38 + frame.char * max(len(line) for line in lines) + 22
        if x and x + width > frame.width - frame.left:
            x, y = 0, y + frame.row
        places.append((x, y))
        if len(lines) > 1 or frame.narrow:
            x, y = 0, y + frame.row * len(lines)
        else:
            x += width
    return places


def _wrap(label: str, frame: Frame) -> list[str]:
    """The label's lines: one, unless the chart is narrow and it does not fit beside its sample."""
    if not frame.narrow:
        return [label]
    room = max(8, int((frame.width - frame.font - 38) / frame.char))
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _legend(entries: Sequence[tuple[str, tuple[str, object]]], frame: Frame, top: float, prefix: str) -> Legend:
    """The legend: each series' line and marker, the flagged readings' diamond, and (narrow charts) each band's
    hatching, with its label."""
    places = _legend_places([label for label, _ in entries], frame)
    left = 0 if frame.narrow else frame.left
    out = [f'<g class="legend" font-size="{frame.font:g}" transform="translate({left},{top:.1f})">']
    bottom = 0.0
    for (label, (kind, which)), (x, y) in zip(entries, places, strict=True):
        if kind == "series":
            index = int(str(which))
            style = index % len(SERIES_STYLES)
            dash, shape, colour = SERIES_STYLES[style]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<line class="style-{style}" x1="{x:g}" y1="{y:g}" x2="{x + 30:g}" y2="{y:g}" stroke="{colour}" '
                f'stroke-width="2"{dash_attr}/>'
            )
            out.append(_marker(shape, x + 15, y, colour, style))
        elif kind == "band":
            out.append(
                f'<rect class="band band-{which}" x="{x:g}" y="{y - frame.font / 2:g}" width="30" '
                f'height="{frame.font:g}" fill="url(#{prefix}-{which})" stroke="#333"/>'
            )
        else:
            out.append(_flag_marker(x + 15, y))
        lines = _wrap(label, frame)
        spans = " ".join(
            f'<tspan x="{x + 38:g}" dy="{0 if n == 0 else frame.row:g}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        text = escape(label) if len(lines) == 1 else spans
        out.append(f'<text x={quoteattr(f"{x + 38:g}")} y="{y + frame.font / 3:g}">{text}</text>')
        bottom = max(bottom, y + frame.row * (len(lines) - 1) + frame.font / 2)
    out.append("</g>")
    return Legend("".join(out), top + bottom)


def legend_swatches(
    *, series_labels: Sequence[str], bands: Sequence[Band], flagged_label: str, prefix: str
) -> tuple[tuple[str, str], ...]:
    """The legend as (sample, label) pairs for a page to show as text beside the chart (#18): each sample a small
    SVG of a series' line and marker, a band's hatching or the flagged readings' diamond, hidden from screen readers
    (the label says it)."""

    def sample(body: str) -> str:
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" class="legend-swatch trend-chart-swatch" viewBox="-2 -10 44 20" '
            f'aria-hidden="true" focusable="false">{body}</svg>'
        )

    found = []
    for index, label in enumerate(series_labels):
        style = index % len(SERIES_STYLES)
        dash, shape, colour = SERIES_STYLES[style]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        line = (
            f'<line class="style-{style}" x1="0" y1="0" x2="40" y2="0" stroke="{colour}" stroke-width="2"{dash_attr}/>'
        )
        found.append((sample(line + _marker(shape, 20, 0, colour, style)), label))
    for number, band in enumerate(bands):
        path, colour = BAND_PATTERNS[band.severity]
        pattern_id = f"{prefix}-swatch-{number}"
        body = (
            f'<defs><pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="8" height="8">'
            f'<path d="{path}" stroke="{colour}" stroke-width="1.2"/></pattern></defs>'
            f'<rect class="band band-{band.severity}" x="0" y="-8" width="40" height="16" fill="url(#{pattern_id})" '
            'stroke="#333"/>'
        )
        found.append((sample(body), band.label))
    if flagged_label:
        found.append((sample(_flag_marker(20, 0)), flagged_label))
    return tuple(found)
