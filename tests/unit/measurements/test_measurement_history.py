"""History, summary text in nl and en, and the SVG trend chart."""

from datetime import UTC, date, datetime, timedelta
from xml.etree import ElementTree

import pytest

from pgo.measurements.chart import Band, Series, downsample, trend_chart_svg
from pgo.measurements.entry import new_form_token, record_measurement
from pgo.measurements.history import measurement_history, period_bounds

SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2025, 3, 12)  # Wednesday


def bp(session, user, day, systolic, diastolic):
    record_measurement(
        session=session,
        user_id=user.id,
        type="blood_pressure",
        form_values={"systolic": str(systolic), "diastolic": str(diastolic)},
        unit=None,
        measured_at=datetime(day.year, day.month, day.day, 8),
        token=new_form_token(),
        now=datetime(2025, 3, 13, tzinfo=UTC),
    )


@pytest.fixture
def two_weeks(session, patient):
    for offset, (s, d) in enumerate([(130, 80), (134, 84)]):
        bp(session, patient, date(2025, 3, 3) + timedelta(days=offset), s, d)  # last week: mean 132/82
    for offset, (s, d) in enumerate([(140, 86), (144, 90)]):
        bp(session, patient, date(2025, 3, 10) + timedelta(days=offset), s, d)  # this week: mean 142/88
    return patient


def test_period_bounds():
    assert period_bounds("week", TODAY) == (date(2025, 3, 10), date(2025, 3, 17))
    assert period_bounds("month", TODAY) == (date(2025, 3, 1), date(2025, 4, 1))
    assert period_bounds("year", TODAY) == (date(2025, 1, 1), date(2026, 1, 1))
    with pytest.raises(ValueError):
        period_bounds("decade", TODAY)


def test_summary_in_english_and_dutch(session, two_weeks):
    en = measurement_history(
        session=session, user_id=two_weeks.id, type="blood_pressure", period="week", today=TODAY, locale="en"
    )
    assert en.summary == "Your average this week was 142/88 mmHg, higher than last week."
    nl = measurement_history(
        session=session, user_id=two_weeks.id, type="blood_pressure", period="week", today=TODAY, locale="nl"
    )
    assert nl.summary == "Uw gemiddelde deze week was 142/88 mmHg, hoger dan vorige week."
    assert [r.value for r in nl.rows] == ["144/90 mmHg", "140/86 mmHg"]  # newest first
    assert nl.stats["systolic"].mean == 142 and nl.stats["diastolic"].high == 90


def test_summary_lower_same_and_empty(session, patient):
    bp(session, patient, date(2025, 3, 4), 150, 90)
    bp(session, patient, date(2025, 3, 11), 130, 80)
    h = measurement_history(
        session=session, user_id=patient.id, type="blood_pressure", period="week", today=TODAY, locale="en"
    )
    assert h.summary.endswith("lower than last week.")
    month = measurement_history(
        session=session,
        user_id=patient.id,
        type="blood_pressure",
        period="month",
        today=TODAY,
        locale="en",
        level="detailed",
    )
    assert month.summary == "Your average this month was 140/85 mmHg. 2 measurements, from 130 to 150."
    empty = measurement_history(
        session=session, user_id=patient.id, type="heart_rate", period="year", today=TODAY, locale="nl"
    )
    assert empty.summary == "Geen metingen dit jaar." and empty.rows == []


def test_chart_is_wellformed_with_title_desc_and_bands(session, two_weeks):
    h = measurement_history(
        session=session, user_id=two_weeks.id, type="blood_pressure", period="week", today=TODAY, locale="en"
    )
    root = ElementTree.fromstring(h.chart_svg)  # noqa: S314 (our own SVG)
    assert root.tag == SVG + "svg" and root.get("role") == "img"
    assert root.find(SVG + "title").text == "Blood pressure, this week"
    assert h.summary in root.find(SVG + "desc").text
    bands = root.findall(f".//{SVG}rect[@class]")
    assert {b.get("class") for b in bands} >= {"band band-call_today", "band band-info"}
    assert all(b.get("fill").startswith("url(#") for b in bands)  # hatching, not colour alone
    series = root.findall(f".//{SVG}g[@class='series series-diastolic']/{SVG}polyline")
    assert series and series[0].get("stroke-dasharray")  # diastolic is dashed
    assert "style=" not in h.chart_svg and "<script" not in h.chart_svg


def test_chart_with_many_points_is_downsampled():
    start = datetime(2024, 1, 1, tzinfo=UTC)
    points = [(start + timedelta(hours=i * 1.7), 120 + (i % 40)) for i in range(5000)]
    svg = trend_chart_svg(
        series=[Series("value", "Value", points)],
        bands=[Band(180, "above", "call_today", "x")],
        start=start,
        end=start + timedelta(days=366),
        title="t",
        description="d",
        unit="mmHg",
    )
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own SVG)
    assert len(root.findall(f".//{SVG}g[@class='series series-value']/{SVG}circle")) <= 300
    assert len(downsample(points)) <= 300
    assert downsample(points[:10]) == points[:10]


def test_empty_chart_is_still_valid():
    start = datetime(2025, 3, 10, tzinfo=UTC)
    svg = trend_chart_svg(
        series=[], bands=[], start=start, end=start + timedelta(days=7), title="<t&>", description="d", unit="kg"
    )
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own SVG)
    assert root.find(SVG + "title").text == "<t&>"


def test_a_long_period_pages_the_table_but_not_the_figures(session, patient):
    # 60 readings in the year: the table shows 25 per page, newest first; summary and chart cover all 60
    first = date(2025, 1, 1)
    for n in range(60):
        bp(session, patient, first + timedelta(days=n), 120 + n % 10, 80)
    pages = [
        measurement_history(
            session=session, user_id=patient.id, type="blood_pressure", period="year", today=TODAY, locale="en",
            page=page, per_page=25, level="detailed",
        )
        for page in (1, 2, 3, 4)
    ]  # fmt: skip
    assert [p.page for p in pages] == [1, 2, 3, 3]  # past the last page: the last page
    assert [len(p.rows) for p in pages] == [25, 25, 10, 10]
    assert pages[0].total == 60 and pages[0].pages == 3 and pages[0].has_next and not pages[0].has_previous
    assert pages[2].has_previous and not pages[2].has_next
    shown = [row.measurement_id for p in pages[:3] for row in p.rows]
    assert len(set(shown)) == 60 and shown == sorted(shown, reverse=True)  # every reading once, newest first
    assert pages[0].stats["systolic"].count == 60 and "60 measurements" in pages[0].summary
    assert pages[0].chart_svg == pages[2].chart_svg
    without_rows = measurement_history(
        session=session, user_id=patient.id, type="blood_pressure", period="year", today=TODAY, with_rows=False
    )
    assert without_rows.rows == [] and without_rows.total == 60


def test_the_database_counts_a_period_as_python_does(session, patient):
    import random

    from pgo.measurements.history import period_statistics, readings_between, statistics
    from pgo.measurements.types import get_type

    rng = random.Random(8)
    first = date(2025, 2, 1)
    for n in range(40):
        values = {"systolic": str(rng.randint(95, 175)), "diastolic": str(rng.randint(55, 105))}
        if n % 3:  # a pulse in two of three readings only
            values["heart_rate"] = str(rng.randint(50, 100))
        record_measurement(
            session=session, user_id=patient.id, type="blood_pressure", form_values=values, unit=None,
            measured_at=datetime(2025, 2, 1 + n % 28, 7 + n % 12), token=new_form_token(),
            now=datetime(2025, 3, 13, tzinfo=UTC), confirm=True,
        )  # fmt: skip
    mtype = get_type("blood_pressure")
    start, end = first, date(2025, 3, 1)
    in_python = statistics(
        readings_between(session=session, user_id=patient.id, type=mtype.key, start=start, end=end), mtype
    )
    in_sql = period_statistics(session=session, user_id=patient.id, mtype=mtype, start=start, end=end)
    assert set(in_sql) == set(in_python) == {"systolic", "diastolic", "heart_rate"}
    for name, figures in in_python.items():
        assert in_sql[name].count == figures.count and in_sql[name].low == figures.low
        assert in_sql[name].high == figures.high and in_sql[name].mean == pytest.approx(figures.mean)
    assert in_sql["heart_rate"].count < in_sql["systolic"].count and in_sql["systolic"].count >= 35
    empty = period_statistics(
        session=session, user_id=patient.id, mtype=mtype, start=date(2024, 1, 1), end=date(2024, 2, 1)
    )
    assert empty == {}
