"""Tables of home measurements: the measurements, the clinician's plans and the threshold rules."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from pgo.clock import utcnow


class Source(StrEnum):
    ENTERED = "entered"  # typed into the form
    CSV = "csv"  # from a home device export
    IMPORTED = "imported"  # from a FHIR bundle (a care provider, MedMij, Synthea)


class Severity(StrEnum):
    """How urgent a threshold's advice is, from least to most."""

    OK = "ok"
    INFO = "info"
    CONTACT_PRACTICE = "contact_practice"
    CALL_TODAY = "call_today"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class Measurement(SQLModel, table=True):
    __tablename__ = "measurement"
    __table_args__ = (
        UniqueConstraint("user_id", "idempotency_token", name="uq_measurement_user_token"),
        # the last value of a type and a period of one type: an index range, not a scan of all measurements
        Index("ix_measurement_user_type_time", "user_id", "type", "measured_at"),
        # flagged readings of some patients since a day (the clinician's lists, the preparation page): a range per
        # patient over the flagged rows only; a plain index on the flag led SQLite through every flagged reading
        # of every patient for one patient's page (issue #22)
        Index(
            "ix_measurement_flagged_user_time",
            "user_id",
            "measured_at",
            sqlite_where=text("flagged = 1"),
            postgresql_where=text("flagged"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")  # indexed first in the unique key and the type/time index
    type: str = Field(max_length=40, index=True)
    # Canonical values by field name: {"systolic": 142, "diastolic": 88, "heart_rate": 71} or {"value": 72.5}.
    values: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    unit: str = Field(default="", max_length=20)  # canonical UCUM unit of the values
    entered_values: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    entered_unit: str = Field(default="", max_length=20)
    measured_at: datetime = Field(index=True)
    entered_at: datetime = Field(default_factory=utcnow)
    source: str = Field(default=Source.ENTERED, max_length=20)
    source_ref: str | None = Field(default=None, max_length=500)  # file name, FHIR resource id or bundle
    note: str = Field(default="", max_length=2000)
    # Someone else who entered it for the patient: a helper (#21); None when the patient entered it.
    entered_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    # the import file that wrote it (#17): hidden until that import is done (pgo.records.visibility)
    import_file_id: int | None = Field(default=None, nullable=True)
    idempotency_token: str = Field(max_length=100)
    flagged: bool = Field(default=False)  # outside a threshold: the care team should look
    severity: str = Field(default=Severity.OK, max_length=20)


class MeasurementPlan(SQLModel, table=True):
    """What a clinician asks a patient to measure, e.g. blood pressure twice a day for seven days."""

    __tablename__ = "measurement_plan"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)  # the patient
    clinician_id: int = Field(foreign_key="user_account.id", index=True)
    type: str = Field(max_length=40)
    times_per_day: int = Field(default=1)
    times_of_day: list | None = Field(default=None, sa_column=Column(JSON, nullable=True))  # ["08:00", "20:00"]
    days: int = Field(default=7)
    start_date: date
    end_date: date
    instructions: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)


class ThresholdRule(SQLModel, table=True):
    """A personal limit: at or above (or under) ``limit_value`` on one field -> severity and advice.

    Belongs to a plan, or (``plan_id`` empty) to the patient for that type. ``advice`` holds the clinician's
    words: {"nl": {"simple": ..., "standard": ..., "detailed": ...}, "en": {...}}; missing levels fall back
    to standard, missing languages to the built-in advice for the severity.
    """

    __tablename__ = "measurement_threshold"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)  # the patient
    plan_id: int | None = Field(default=None, foreign_key="measurement_plan.id", index=True)
    type: str = Field(max_length=40)
    field_name: str = Field(default="value", max_length=20)
    direction: str = Field(default="above", max_length=10)  # "above" (>=) or "below" (<), as thresholds.crosses (#23)
    limit_value: float
    severity: str = Field(default=Severity.CONTACT_PRACTICE, max_length=20)
    advice: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_by: int | None = Field(default=None, foreign_key="user_account.id")


# Imported measurements of a running import are hidden from every read (#17, pgo.records.visibility).
from pgo.records import visibility  # noqa: E402

visibility.follow(Measurement)
