"""Property-based: wild input gives a clean validation result, and a refusal leaves the database as it was."""

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from pgo.measurements.entry import EntryStatus, record_measurement
from pgo.measurements.models import Measurement
from pgo.measurements.types import TYPES
from pgo.measurements.units import parse_number

NOW = datetime(2025, 3, 12, 10, 0, tzinfo=UTC)
wild = st.one_of(st.text(max_size=12), st.floats(), st.integers(), st.none(), st.booleans())


@given(wild)
def test_parse_number_never_raises(value):
    result = parse_number(value)
    assert result is None or isinstance(result, float)


@given(st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False))
def test_parse_number_reads_dutch_decimals(number):
    assert parse_number(str(number).replace(".", ",")) == float(number)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(
    type=st.sampled_from(sorted(TYPES)),
    form=st.dictionaries(st.sampled_from(["systolic", "diastolic", "heart_rate", "value", "note"]), wild, max_size=4),
    unit=st.one_of(st.none(), st.sampled_from(["kg", "lb", "°F", "mg/dL", "mmHg", "x", ""])),
    token=st.text(min_size=1, max_size=20),
    confirm=st.booleans(),
    level=st.sampled_from(["simple", "standard", "detailed", "weird"]),
    lang=st.sampled_from(["nl", "en"]),
)
def test_entry_gives_a_clean_result_and_refusals_store_nothing(
    session, patient, type, form, unit, token, confirm, level, lang
):
    before = session.exec(select(Measurement)).all()
    result = record_measurement(
        session=session,
        user_id=patient.id,
        type=type,
        form_values=form,
        unit=unit,
        measured_at=datetime(2025, 3, 12, 8),
        token=token,
        confirm=confirm,
        level=level,
        lang=lang,
        now=NOW,
    )
    after = session.exec(select(Measurement)).all()
    if result.status in (EntryStatus.INVALID, EntryStatus.CONFIRM):
        assert after == before and result.measurement is None
        assert all(isinstance(m, str) and m for m in {**result.errors, **result.warnings}.values())
    elif result.status == EntryStatus.STORED:
        assert len(after) == len(before) + 1 and result.advice is not None
    else:
        assert after == before and result.measurement in before
