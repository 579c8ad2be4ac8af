"""Dates for people: at the precision they were recorded, in Dutch local time, in the reader's language."""

from __future__ import annotations

import pytest

from pgo.i18n import use_locale
from pgo.records.dates import display_date, parse_fhir_date


@pytest.mark.parametrize(
    ("text", "nl", "en"),
    [
        ("2019", "2019", "2019"),
        ("2019-04", "april 2019", "April 2019"),
        ("2019-04-03", "3 april 2019", "April 3, 2019"),
        ("2019-04-03T12:05:00Z", "3 april 2019, 14:05", "April 3, 2019, 14:05"),  # summer time in Amsterdam
        ("2019-12-31T23:30:00+00:00", "1 januari 2020, 00:30", "January 1, 2020, 00:30"),
        ("2019-04-03T14:05", "3 april 2019, 14:05", "April 3, 2019, 14:05"),  # no zone: Dutch local time
    ],
)
def test_dates_keep_their_precision_in_both_languages(text, nl, en):
    for _round in range(2):  # the second answer comes from what was kept
        assert display_date(text, "nl") == nl
        assert display_date(text, "en") == en


def test_a_date_that_does_not_parse_is_shown_as_written_and_a_missing_one_in_words():
    assert display_date("ergens in 2019", "nl") == "ergens in 2019"
    assert display_date("2019-13-45", "en") == "2019-13-45"
    assert parse_fhir_date("2019-13-45") == (None, "")
    with use_locale("nl"):
        assert display_date("", "nl") == "datum onbekend"
    with use_locale("en"):
        assert display_date("", "en") == "date unknown"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-04-03T12:05:00.987654321Z", "2019-04-03T12:05:00+00:00"),  # fractions dropped
        ("2019-04-03T14:05+02:00", "2019-04-03T12:05:00+00:00"),
        ("2019-12-31T23:30:00-05:00", "2020-01-01T04:30:00+00:00"),
        ("2019-04-03T14:05:30.5", "2019-04-03T12:05:30+00:00"),  # no zone: Dutch summer time
    ],
)
def test_moments_are_read_in_utc_to_the_second(text, expected):
    moment, precision = parse_fhir_date(f" {text} ")
    assert (moment.isoformat(), precision) == (expected, "minute")


@pytest.mark.parametrize("text", ["2021-06-12T10:00:00+25:00", "2021-02-30T10:00:00Z", "2021-06-12T24:00:00+02:00"])
def test_a_zone_day_or_hour_that_does_not_exist_is_no_moment(text):
    """The zone +25:00 made the importer stop with an error the person could not understand (issue 8, 2026-11-22)."""
    assert parse_fhir_date(text) == (None, "")
    assert display_date(text, "en") == text
