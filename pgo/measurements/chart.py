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

from pgo.measurements.localtime import day_start_utc, local

WIDTH, HEIGHT = 720, 360
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 24, 72
MAX_POINTS = 300  # per series, after bucketing
LEGEND_ROW = 17  # a second row of legend entries, when the first is full

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


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if shape == "triangle":
        corners = f"M{x:.1f},{y - 4.5:.1f} L{x + 4.5:.1f},{y + 3.5:.1f} L{x - 4.5:.1f},{y + 3.5:.1f} Z"
        return f'<path d="{corners}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'


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
    locale: str = "nl",
    id_prefix: str = "trend",
    flagged_label: str = "",
) -> str:
    """The chart as an SVG string (one ``<svg>`` element, well-formed XML). A series' flagged readings get a
    diamond around them, named in the legend by ``flagged_label``."""
    drawn = [Series(s.name, s.label, downsample(s.points), s.flagged) for s in series]
    values = [v for s in drawn for _, v in (*s.points, *s.flagged)] + [b.limit_value for b in bands]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    pad = (high - low) * 0.08 or 1.0
    ticks = nice_ticks(low - pad, high + pad)
    y_low, y_high = ticks[0], ticks[-1]
    t0, t1 = start.timestamp(), max(end.timestamp(), start.timestamp() + 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(moment: datetime) -> float:
        return LEFT + (moment.timestamp() - t0) / (t1 - t0) * plot_w

    def y_of(value: float) -> float:
        return TOP + (y_high - min(max(value, y_low), y_high)) / (y_high - y_low) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" class="trend-chart" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
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
            f'<rect class="band band-{band.severity}" x="{LEFT}" y="{top:.1f}" width="{plot_w}" '
            f'height="{max(bottom - top, 0):.1f}" fill="url(#{id_prefix}-{band.severity})" fill-opacity="0.5"/>'
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y_limit:.1f}" y2="{y_limit:.1f}" '
            f'stroke="#333" stroke-dasharray="1 3"/>'
            f'<text class="band-label" x="{LEFT + plot_w - 4}" y="{y_of(band.limit_value) - 4:.1f}" '
            f'text-anchor="end" font-size="11">{escape(band.label)}</text>'
        )
    parts.append("</g>")
    parts.append(_axes(ticks, y_of, x_of, start, end, unit, locale, plot_w, plot_h))
    for index, item in enumerate(drawn):
        dash, shape, colour = SERIES_STYLES[index % len(SERIES_STYLES)]
        coords = [(x_of(t), y_of(v)) for t, v in sorted(item.points)]
        parts.append(f'<g class="series series-{escape(item.name)}">')
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        parts.extend(_marker(shape, x, y, colour) for x, y in coords)
        parts.extend(_flag_marker(x_of(t), y_of(v)) for t, v in item.flagged)
        parts.append("</g>")
    parts.append(_legend(drawn, flagged_label if any(s.flagged for s in drawn) else ""))
    parts.append("</svg>")
    return "".join(parts)


def _axes(ticks, y_of, x_of, start, end, unit, locale, plot_w, plot_h) -> str:
    out = ['<g class="axes" font-size="12">']
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#333"/>')
    out.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" stroke="#333"/>')
    for tick in ticks:
        y = y_of(tick)
        label = f"{tick:g}".replace(".", ",") if locale == "nl" else f"{tick:g}"
        out.append(f'<line x1="{LEFT - 5}" x2="{LEFT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#333"/>')
        out.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{escape(label)}</text>')
    out.append(f'<text x="{LEFT - 8}" y="{TOP - 8}" text-anchor="end">{escape(unit)}</text>')
    for moment, label in _time_ticks(start, end, locale):
        x = x_of(moment)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP + plot_h}" y2="{TOP + plot_h + 5}" stroke="#333"/>')
        out.append(f'<text x="{x:.1f}" y="{TOP + plot_h + 20}" text-anchor="middle">{escape(label)}</text>')
    out.append("</g>")
    return "".join(out)


def _time_ticks(start: datetime, end: datetime, locale: str) -> list[tuple[datetime, str]]:
    """The time axis' ticks, each at a local midnight: the first of each month for a long span (a year), else
    every day of a week, or every few days of a month (at most 8 ticks). A day is counted in local days, so a week
    over a daylight-saving change still has its 8 midnights."""
    first, last = local(start).date(), local(end).date()
    days = (last - first).days
    if days <= 62:
        step = max(1, math.ceil(days / 7))
        days_shown = (first + timedelta(days=n) for n in range(0, max(days, 1) + 1, step))
        return [
            (moment, format_date(day, "d MMM", locale=locale))
            for day in days_shown
            if start <= (moment := day_start_utc(day)) <= end
        ]
    ticks = []
    month = first.replace(day=1)
    while (moment := day_start_utc(month)) < end:
        if moment >= start:
            ticks.append((moment, format_date(month, "MMM", locale=locale)))
        month = (month + timedelta(days=32)).replace(day=1)
    return ticks


def _legend_places(labels: Sequence[str]) -> list[tuple[int, int]]:
    """Where each legend entry starts, left to right, on a second row when a row is full. A label's width is
    estimated from its length (12px text: about 7px a character)."""
    places, x, y = [], 0, 0
    for label in labels:
        width = 38 + 7 * len(label) + 22
        if x and x + width > WIDTH - LEFT:
            x, y = 0, y + LEGEND_ROW
        places.append((x, y))
        x += width
    return places


def _legend(drawn: Sequence[Series], flagged_label: str = "") -> str:
    labels = [item.label for item in drawn] + ([flagged_label] if flagged_label else [])
    places = _legend_places(labels)
    top = HEIGHT - 22 - (places[-1][1] if places else 0)
    out = [f'<g class="legend" font-size="12" transform="translate({LEFT},{top})">']
    for index, (item, (x, y)) in enumerate(zip(drawn, places, strict=False)):
        dash, shape, colour = SERIES_STYLES[index % len(SERIES_STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{x}" y1="{y}" x2="{x + 30}" y2="{y}" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        out.append(_marker(shape, x + 15, y, colour))
        out.append(f'<text x={quoteattr(str(x + 38))} y="{y + 4}">{escape(item.label)}</text>')
    if flagged_label:
        x, y = places[-1]
        out.append(_flag_marker(x + 15, y))
        out.append(f'<text x="{x + 38}" y="{y + 4}">{escape(flagged_label)}</text>')
    out.append("</g>")
    return "".join(out)
