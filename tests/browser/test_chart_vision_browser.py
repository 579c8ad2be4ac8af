"""The history chart for poor vision (#18 item 5): its text at least as large as the body text at every width and
text size, and its colours following high contrast."""

from __future__ import annotations

import pytest
from helpers import MODES

from pgo.demo import PATIENT_EMAIL

pytestmark = pytest.mark.browser

HISTORY = "/measurements/blood_pressure/history?period=month"

# Each text in the chart shown: its size on screen (font size in the chart's units times the chart's scale), against
# the body text's size.
TEXT_SIZES = """(svg) => {
  const body = parseFloat(getComputedStyle(document.body).fontSize);
  return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
    const size = parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a;
    return [t.textContent.trim(), Math.round(size * 10) / 10, body];
  });
}"""

CONTRAST = """(svg) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 :
    ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const ratio = (a, b) => { const [x, y] = [lum(rgb(a)), lum(rgb(b))];
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  let box = svg; while (box && getComputedStyle(box).backgroundColor.match(/rgba\\(.*, 0\\)|transparent/)) {
    box = box.parentElement; }
  const bg = getComputedStyle(box).backgroundColor;
  const texts = [...svg.querySelectorAll('text')].map(t => ratio(getComputedStyle(t).fill, bg));
  const lines = [...svg.querySelectorAll('.series polyline, .axes line')]
    .map(l => ratio(getComputedStyle(l).stroke, bg));
  return {background: bg, text: Math.min(...texts), lines: Math.min(...lines)};
}"""


def visible_chart(page):
    charts = page.locator("svg.trend-chart")
    shown = [charts.nth(i) for i in range(charts.count()) if charts.nth(i).is_visible()]
    assert len(shown) == 1, f"{len(shown)} charts shown"
    return shown[0]


@pytest.mark.parametrize("mode", ["normal", "large-text"])
def test_chart_text_is_body_size_at_every_width(pages, mode):
    page = pages.page
    # Given the demo patient with her text size
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display(mode, "nl")
    problems = []
    for width in (320, 390, 768, 1280):
        # When she looks at her blood pressure chart on a screen of this width
        page.set_viewport_size({"width": width, "height": 900})
        pages.open(HISTORY)
        chart = visible_chart(page)
        # Then every text in it is at least as large as the page's body text
        for text, size, body in chart.evaluate(TEXT_SIZES):
            if size < body - 0.5:
                problems.append(f"{width}px, {mode}: {text!r} is {size}px, body text {body}px")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            problems.append(f"{width}px, {mode}: the page scrolls sideways by {overflow}px")
    pages.choose_display("normal", "nl")
    assert problems == [], "\n".join(problems[:20])


def test_chart_follows_high_contrast(pages):
    page = pages.page
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display("high-contrast", "nl")
    assert MODES["high-contrast"]["high_contrast"]
    pages.open(HISTORY)
    measured = visible_chart(page).evaluate(CONTRAST)
    pages.choose_display("normal", "nl")
    # A dark chart on the dark page (not a white block), its text at least 7:1 and its lines at least 4.5:1
    assert measured["background"] in ("rgb(0, 0, 0)", "rgb(17, 17, 17)"), measured
    assert measured["text"] >= 7 and measured["lines"] >= 4.5, measured


def test_the_simplified_view_has_a_simpler_chart_with_the_table_beside_it(pages):
    page = pages.page
    page.set_viewport_size({"width": 1280, "height": 900})
    pages.sign_in(PATIENT_EMAIL)
    pages.choose_display("simplified", "nl")
    pages.open(HISTORY)
    simple = page.locator(".chart-simple")
    table = page.locator("main table")
    # The last values in large type, with their direction in words; no chart of axes and bands
    assert simple.is_visible() and page.locator("svg.trend-chart").count() == 0
    assert simple.get_by_role("heading", name="Uw laatste metingen").is_visible()
    direction = simple.locator(".lead").inner_text()
    assert any(word in direction for word in ("omhoog", "omlaag", "ongeveer gelijk")), direction
    assert simple.locator(".simple-values li").count() >= 2
    # And the table beside it on a wide screen, below it on a phone
    assert abs(simple.bounding_box()["y"] - table.bounding_box()["y"]) < 80
    assert table.bounding_box()["x"] > simple.bounding_box()["x"] + simple.bounding_box()["width"] - 5
    page.set_viewport_size({"width": 390, "height": 844})
    pages.open(HISTORY)
    assert table.bounding_box()["y"] > simple.bounding_box()["y"] + simple.bounding_box()["height"] - 5
    pages.assert_accessible("simplified history")
    pages.choose_display("normal", "nl")
