"""CSV import: bad rows by line number, nothing stored before confirm, good rows stored once."""

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from pgo.measurements.csv_import import confirm_csv, parse_csv
from pgo.measurements.models import Measurement

NOW = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)

SEMICOLON = """date;time;type;value;unit;systolic;diastolic;heart_rate;note
2025-03-10;08:15;bloeddruk;;mmHg;142;88;71;
2025-03-10;08:20;body_weight;72,5;kg;;;;na het ontbijt
10-03-2025;21:00;blood_glucose;110;mg/dL;;;;
2025-03-11;08:00;blood_pressure;;mmHg;80;120;;
2025-03-11;08:05;temperature_of_cat;38;;;;;

2026-01-01;08:00;heart_rate;70;/min;;;;
2025-03-11;25:00;heart_rate;70;/min;;;;
2025-03-11;09:00;body_weight;999;kg;;;;
2025-03-11;09:30;body_temperature;101,3;°F;;;;
"""

COMMA = 'date,time,type,value,unit\n2025-03-10,08:20,body_weight,"72,5",kg\n2025-03-10,09:00,heart_rate,64,bpm\n'


def stored(session):
    return session.exec(select(Measurement)).all()


def test_preview_reports_bad_rows_by_line_and_stores_nothing(session, patient):
    preview = parse_csv(SEMICOLON, now=NOW, lang="en")
    assert [r.line for r in preview.good] == [2, 3, 4, 11]
    assert [r.line for r in preview.bad] == [5, 6, 8, 9, 10]
    reasons = {b.line: b.reason for b in preview.bad}
    assert "higher than diastolic" in reasons[5]
    assert "Unknown type" in reasons[6]
    assert "future" in reasons[8]
    assert "cannot be read" in reasons[9]
    assert "between" in reasons[10]
    assert preview.good[1].values == {"value": 72.5} and preview.good[1].note == "na het ontbijt"
    assert round(preview.good[2].values["value"], 2) == 6.11  # 110 mg/dL
    assert round(preview.good[3].values["value"], 1) == 38.5  # 101.3 °F
    assert stored(session) == []


def test_confirm_stores_good_rows_once(session, patient):
    preview = parse_csv(SEMICOLON, now=NOW)
    first = confirm_csv(session=session, user_id=patient.id, preview=preview, file_name="omron.csv")
    assert (first.stored, first.already_there) == (4, 0)
    again = confirm_csv(session=session, user_id=patient.id, preview=parse_csv(SEMICOLON, now=NOW))
    assert (again.stored, again.already_there) == (0, 4)
    rows = stored(session)
    assert len(rows) == 4 and {r.source for r in rows} == {"csv"}
    assert rows[0].source_ref == "omron.csv:2" and rows[0].values == {
        "systolic": 142,
        "diastolic": 88,
        "heart_rate": 71,
    }
    fever = next(r for r in rows if r.type == "body_temperature")
    assert fever.severity == "info" and not fever.flagged  # 38.5 °C: advice, not a flag for the team


def test_comma_separated_with_quoted_decimal_comma(session, patient):
    preview = parse_csv(COMMA.encode("utf-8-sig"), now=NOW)
    assert not preview.bad and [r.values["value"] for r in preview.good] == [72.5, 64]


def test_unusable_files(session, patient):
    assert parse_csv(b"\xff\xfe\x00bad", now=NOW).problem
    assert parse_csv("just some text\nmore", now=NOW).problem
    assert parse_csv("", now=NOW).problem


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(body=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_any_text_gives_a_clean_preview_and_stores_nothing(session, patient, body):
    text = "date;time;type;value;unit;systolic;diastolic\n" + body
    preview = parse_csv(text, now=NOW)
    assert all(b.line >= 2 and b.reason for b in preview.bad)
    assert stored(session) == []


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["2025-03-10", "10-03-2025", "2030-01-01", "x"]),
            st.sampled_from(["08:00", "", "99:99"]),
            st.sampled_from(["body_weight", "heart_rate", "blood_pressure", "pijn", "?"]),
            st.one_of(st.floats(allow_nan=True), st.text(max_size=6)).map(str),
        ),
        max_size=12,
    )
)
def test_generated_rows_split_into_good_and_bad(session, patient, rows):
    def quoted(value: str) -> str:  # valid CSV: quotes doubled, no line breaks inside a field
        return '"' + value.replace('"', '""').replace("\r", " ").replace("\n", " ") + '"'

    text = "date,time,type,value,systolic,diastolic\n" + "\n".join(
        f"{d},{t},{k},{quoted(v)},{quoted(v)},60" for d, t, k, v in rows
    )
    preview = parse_csv(text, now=NOW)
    assert preview.problem or len(preview.good) + len(preview.bad) <= len(rows)
    assert stored(session) == []


def test_rows_dated_before_1900_are_refused(session, patient):
    """#17: the CSV accepted 0001-01-01 and 1850-01-01."""
    text = "date;time;type;value;unit\n0001-01-01;08:00;heart_rate;70;/min\n1850-01-01;08:00;heart_rate;70;/min\n"
    preview = parse_csv(text, now=NOW, lang="en")
    assert preview.good == [] and [b.line for b in preview.bad] == [2, 3]
    assert all("1900" in b.reason for b in preview.bad)
