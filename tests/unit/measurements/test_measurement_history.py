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
    with pytest.raises(ValueError, match="period is one of"):
        period_bounds("decade", TODAY)


def test_summary_in_english_and_dutch(session, two_weeks):
    en = measurement_history(
        session=session, user_id=two_weeks.id, type="blood_pressure", period="week", today=TODAY, lang="en"
    )
    assert en.summary == "Your average this week was 142/88 mmHg, higher than last week."
    nl = measurement_history(
        session=session, user_id=two_weeks.id, type="blood_pressure", period="week", today=TODAY, lang="nl"
    )
    assert nl.summary == "Uw gemiddelde deze week was 142/88 mmHg, hoger dan vorige week."
    assert [r.value for r in nl.rows] == ["144/90 mmHg", "140/86 mmHg"]  # newest first
    assert nl.stats["systolic"].mean == 142 and nl.stats["diastolic"].high == 90


def test_summary_lower_same_and_empty(session, patient):
    bp(session, patient, date(2025, 3, 4), 150, 90)
    bp(session, patient, date(2025, 3, 11), 130, 80)
    h = measurement_history(
        session=session, user_id=patient.id, type="blood_pressure", period="week", today=TODAY, lang="en"
    )
    assert h.summary.endswith("lower than last week.")
    month = measurement_history(
        session=session,
        user_id=patient.id,
        type="blood_pressure",
        period="month",
        today=TODAY,
        lang="en",
        level="detailed",
    )
    assert month.summary == "Your average this month was 140/85 mmHg. 2 measurements, from 130 to 150."
    empty = measurement_history(
        session=session, user_id=patient.id, type="heart_rate", period="year", today=TODAY, lang="nl"
    )
    assert empty.summary == "Geen metingen dit jaar." and empty.rows == []


def test_chart_is_wellformed_with_title_desc_and_bands(session, two_weeks):
    h = measurement_history(
        session=session, user_id=two_weeks.id, type="blood_pressure", period="week", today=TODAY, lang="en"
    )
    root = ElementTree.fromstring(h.chart_svg)  # noqa: S314 (our own SVG)
    assert root.tag == SVG + "svg" and root.get("role") == "img"
    assert root.find(SVG + "title").text == "Blood pressure, this week"
    assert h.summary in root.find(SVG + "desc").text
    bands = [r for r in root.findall(f".//{SVG}rect[@class]") if r.get("class").startswith("band ")]
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
            session=session, user_id=patient.id, type="blood_pressure", period="year", today=TODAY, lang="en",
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


def _python_figures(session, user_id, mtype, start, end):
    """The figures as the history page computed them before the database did: every reading walked in Python."""
    from statistics import fmean

    from sqlmodel import select

    from pgo.localtime import day_start_utc
    from pgo.measurements.models import Measurement

    readings = session.exec(
        select(Measurement).where(
            Measurement.user_id == user_id,
            Measurement.type == mtype.key,
            Measurement.measured_at >= day_start_utc(start),
            Measurement.measured_at < day_start_utc(end),
        )
    ).all()
    figures = {}
    for name in mtype.field_names:
        values = [m.values[name] for m in readings if m.values.get(name) is not None]
        if values:
            figures[name] = (len(values), fmean(values), min(values), max(values))
    return len(readings), figures


def test_the_database_counts_a_period_as_python_does(session, patient):
    import random

    from pgo.measurements.history import period_figures, period_statistics
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
    python_total, in_python = _python_figures(session, patient.id, mtype, start, end)
    total, in_sql = period_figures(session=session, user_id=patient.id, mtype=mtype, start=start, end=end)
    assert total == python_total >= 35
    assert set(in_sql) == set(in_python) == {"systolic", "diastolic", "heart_rate"}
    for name, (count, mean, low, high) in in_python.items():
        assert in_sql[name].count == count and in_sql[name].low == low and in_sql[name].high == high
        assert in_sql[name].mean == pytest.approx(mean)
    assert in_sql["heart_rate"].count < in_sql["systolic"].count and in_sql["systolic"].count >= 35
    year_start, year_end = date(2025, 1, 1), date(2026, 1, 1)  # counted per week, not per day: the same figures
    year_total, in_year = period_figures(
        session=session, user_id=patient.id, mtype=mtype, start=year_start, end=year_end
    )
    assert (year_total, in_year.keys()) == (total, in_sql.keys())
    for name, figures in in_sql.items():
        assert in_year[name].mean == pytest.approx(figures.mean)
        assert (in_year[name].count, in_year[name].low, in_year[name].high) == (
            figures.count,
            figures.low,
            figures.high,
        )
    page = measurement_history(
        session=session, user_id=patient.id, type="blood_pressure", period="month", today=date(2025, 2, 20)
    )
    assert page.total == total and page.stats == in_sql
    empty = period_statistics(
        session=session, user_id=patient.id, mtype=mtype, start=date(2024, 1, 1), end=date(2024, 2, 1)
    )
    assert empty == {}
    assert period_figures(session=session, user_id=patient.id, mtype=mtype, start=date(2024, 1, 1), end=first)[0] == 0


def test_offset_changes_find_the_daylight_saving_changes():
    from pgo.measurements.trend import offset_changes

    march = offset_changes(date(2025, 3, 1), date(2025, 4, 1))
    assert march[0] == 3600 and march[1] == datetime(2025, 3, 30, 1, tzinfo=UTC) and march[2] == 7200
    assert march[4] == 7200 and march[3].year == 9999  # one change: the second is padding
    year = offset_changes(date(2025, 1, 1), date(2026, 1, 1))
    assert year[:3] == (3600, datetime(2025, 3, 30, 1, tzinfo=UTC), 7200)
    assert year[3:] == (datetime(2025, 10, 26, 1, tzinfo=UTC), 3600)
    assert offset_changes(date(2025, 6, 2), date(2025, 6, 9))[::2] == (7200, 7200, 7200)


def bp_at(session, user, moment, systolic, diastolic):
    record_measurement(
        session=session, user_id=user.id, type="blood_pressure", unit=None, measured_at=moment,
        form_values={"systolic": str(systolic), "diastolic": str(diastolic)}, token=new_form_token(),
        now=datetime(2025, 4, 2, tzinfo=UTC), confirm=True,
    )  # fmt: skip


@pytest.fixture
def busy_march(session, patient):
    """Five readings a day in March 2025 (local time, over the change to summer time on the 30th), one of them
    high enough to be flagged; 155 readings, more than the chart draws one by one."""
    for day in range(1, 32):
        for n, hour in enumerate((0, 7, 12, 18, 23)):
            systolic = 190 if (day, hour) == (14, 12) else 120 + (day + 3 * n) % 15
            bp_at(session, patient, datetime(2025, 3, day, hour, 30), systolic, 80 + n)
    return patient


def test_many_readings_are_drawn_as_one_mean_a_day(session, busy_march):
    from collections import defaultdict

    from sqlmodel import select

    from pgo.localtime import local_day
    from pgo.measurements.models import Measurement
    from pgo.measurements.trend import MAX_READINGS_DRAWN, chart_points, period_buckets

    readings = session.exec(select(Measurement).where(Measurement.user_id == busy_march.id)).all()
    assert len(readings) == 155 > MAX_READINGS_DRAWN
    names = ("systolic", "diastolic")
    where = {"session": session, "user_id": busy_march.id, "type": "blood_pressure", "field_names": names}
    buckets = period_buckets(**where, start=date(2025, 3, 1), end=date(2025, 4, 1))
    assert [b.count for b in buckets] == [5] * 31  # the local days, also over the change to summer time
    found = chart_points(**where, start=date(2025, 3, 1), end=date(2025, 4, 1), buckets=buckets)
    assert found.per == "day"
    by_day = defaultdict(list)
    for m in readings:
        by_day[local_day(m.measured_at)].append(m.values["systolic"])
    assert len(found.points["systolic"]) == 31
    for (moment, mean), day in zip(found.points["systolic"], sorted(by_day), strict=True):
        assert local_day(moment) == day and mean == pytest.approx(sum(by_day[day]) / 5)
    assert found.flagged["systolic"] == [(datetime(2025, 3, 14, 11, 30, tzinfo=UTC), 190.0)]
    assert found.flagged["diastolic"] == [(datetime(2025, 3, 14, 11, 30, tzinfo=UTC), 82.0)]
    assert found.all_flagged


def test_a_busy_month_chart_says_it_shows_means_and_marks_the_flagged_reading(session, busy_march):
    h = measurement_history(
        session=session, user_id=busy_march.id, type="blood_pressure", period="month", today=TODAY, lang="en"
    )
    root = ElementTree.fromstring(h.chart_svg)  # noqa: S314 (our own SVG)
    assert h.total == 155 and h.stats["systolic"].high == 190
    assert len(root.findall(f".//{SVG}g[@class='series series-systolic']/{SVG}circle")) == 31
    assert "Each point is the average of one day's measurements." in root.find(SVG + "desc").text
    legend = [t.text for t in root.findall(f".//{SVG}g[@class='legend']/{SVG}text")]
    assert legend == ["Systolic, daily average", "Diastolic, daily average", "Outside your limits"]
    flagged = root.findall(f".//{SVG}g[@class='series series-systolic']/{SVG}path[@class='flagged']")
    assert len(flagged) == 1  # a diamond, a shape of its own: not only a colour
    nl = measurement_history(
        session=session, user_id=busy_march.id, type="blood_pressure", period="month", today=TODAY, lang="nl"
    )
    assert "Elk punt is het gemiddelde van de metingen van één dag." in nl.chart_svg
    year = measurement_history(
        session=session, user_id=busy_march.id, type="blood_pressure", period="year", today=TODAY, lang="en"
    )
    assert "weekly average" in year.chart_svg
    assert len(ElementTree.fromstring(year.chart_svg).findall(f".//{SVG}circle")) <= 2 * 53  # noqa: S314


def test_a_chart_with_more_flagged_readings_than_it_marks_says_only_the_newest_are_marked(
    session, busy_march, monkeypatch
):
    from pgo.measurements import history, trend

    monkeypatch.setattr(trend, "MAX_FLAGGED_DRAWN", 2)
    monkeypatch.setattr(history, "MAX_FLAGGED_DRAWN", 2)
    for day in (20, 21, 22):  # three more flagged readings: four in all
        bp_at(session, busy_march, datetime(2025, 3, day, 9, 0), 185, 85)
    h = history.measurement_history(
        session=session, user_id=busy_march.id, type="blood_pressure", period="month", today=TODAY, lang="en"
    )
    root = ElementTree.fromstring(h.chart_svg)  # noqa: S314 (our own SVG)
    marked = root.findall(f".//{SVG}g[@class='series series-systolic']/{SVG}path[@class='flagged']")
    assert len(marked) == 2
    description = root.find(SVG + "desc").text
    assert "The newest 2 measurements outside your limits are marked with a diamond" in description
    assert "Measurements outside your limits are marked" not in description
    names = ("systolic", "diastolic")
    where = {"session": session, "user_id": busy_march.id, "type": "blood_pressure", "field_names": names}
    buckets = trend.period_buckets(**where, start=date(2025, 3, 1), end=date(2025, 4, 1))
    found = trend.chart_points(**where, start=date(2025, 3, 1), end=date(2025, 4, 1), buckets=buckets)
    assert not found.all_flagged
    assert [local_moment.day for local_moment, _value in found.flagged["systolic"]] == [21, 22]  # the newest two


def test_few_readings_are_each_a_point(session, two_weeks):
    h = measurement_history(
        session=session, user_id=two_weeks.id, type="blood_pressure", period="month", today=TODAY, lang="en"
    )
    root = ElementTree.fromstring(h.chart_svg)  # noqa: S314 (our own SVG)
    assert len(root.findall(f".//{SVG}g[@class='series series-systolic']/{SVG}circle")) == 4
    assert "average" not in " ".join(t.text for t in root.findall(f".//{SVG}g[@class='legend']/{SVG}text"))
    assert "Each point" not in h.chart_svg and 'class="flagged"' not in h.chart_svg


def test_long_legend_entries_do_not_overlap_and_wrap_to_a_second_row():
    from pgo.measurements.chart import LEFT, WIDTH, _legend_places

    labels = ["Diastolisch, weekgemiddelde", "Systolisch, weekgemiddelde", "Buiten uw grenzen", "Nog een lange naam"]
    places = _legend_places(labels)
    assert places[0] == (0, 0) and places[-1][1] > 0  # the last one on a second row
    for (x, y), (next_x, next_y), label in zip(places, places[1:], labels, strict=False):
        if next_y == y:
            assert next_x >= x + 38 + 7 * len(label)  # room for the marker and the text before the next entry
    assert all(x + 38 + 7 * len(label) <= WIDTH - LEFT for (x, _y), label in zip(places, labels, strict=True))
    assert _legend_places(["Systolisch", "Diastolisch"]) == [(0, 0), (130, 0)]


def test_a_year_chart_names_each_month_once_at_its_first_day():
    from pgo.localtime import day_start_utc
    from pgo.measurements.chart import _time_ticks

    ticks = _time_ticks(day_start_utc(date(2025, 1, 1)), day_start_utc(date(2026, 1, 1)), "nl")
    assert [label for _moment, label in ticks] == [
        "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"
    ]  # fmt: skip
    assert [moment for moment, _label in ticks] == [day_start_utc(date(2025, m, 1)) for m in range(1, 13)]
    week = _time_ticks(day_start_utc(date(2025, 3, 24)), day_start_utc(date(2025, 3, 31)), "en")
    assert [label for _moment, label in week] == [f"{d} Mar" for d in range(24, 32)]
