"""Tables of the records feature.

``RecordResource`` keeps every FHIR resource exactly as received (XML converted to JSON), once per content hash;
``RecordProvenance`` says which source delivered it, when, in which FHIR version and profile. ``RecordEntry`` is
the normalised row a page shows (one per clinical fact, de-duplicated across sources), ``RecordLink`` ties it to the
resources it came from and ``RecordCoding`` keeps every coding so explanations can be looked up by (system, code).

Every index is kept up to date on each imported row, so a column that already leads another index (a unique key
included) gets no index of its own: the longer index answers the same look-ups.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, literal_column, text
from sqlmodel import Field, SQLModel

from pgo.clock import utcnow


# The file of a running import that wrote the row (#17): hidden from every reader until that import makes its files
# visible (pgo.records.visibility); NULL for rows written before imports were staged. No index and no foreign key:
# readers test it against the few hidden files, and only the clean-up of a failed import looks rows up by it.
def staged() -> Any:
    return Field(default=None, nullable=True)


class RecordResource(SQLModel, table=True):
    __tablename__ = "record_resource"
    __table_args__ = (
        UniqueConstraint("user_id", "content_hash", name="uq_record_resource_hash"),
        Index("ix_record_resource_lookup", "user_id", "resource_type", "fhir_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id")  # indexed first in the unique key and lookups
    resource_type: str = Field(max_length=64)
    fhir_id: str = Field(default="", max_length=128)
    full_url: str = Field(default="", max_length=512)
    fhir_version: str = Field(max_length=8)
    profile: str = Field(default="", max_length=512)
    content_hash: str = Field(max_length=64)
    shown: bool = Field(default=False)
    body: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    imported_at: datetime = Field(default_factory=utcnow)
    import_file_id: int | None = staged()


class RecordProvenance(SQLModel, table=True):
    __tablename__ = "record_provenance"
    __table_args__ = (UniqueConstraint("resource_id", "source_name", name="uq_record_provenance_source"),)

    id: int | None = Field(default=None, primary_key=True)
    resource_id: int = Field(foreign_key="record_resource.id")  # indexed first in the unique key
    source_name: str = Field(max_length=255)
    source_kind: str = Field(default="file", max_length=16)  # "file" or "provider"
    fhir_version: str = Field(max_length=8)
    profile: str = Field(default="", max_length=512)
    imported_at: datetime = Field(default_factory=utcnow)
    import_file_id: int | None = staged()


class RecordEntry(SQLModel, table=True):
    __tablename__ = "record_entry"
    __table_args__ = (
        UniqueConstraint("user_id", "dedup_key", name="uq_record_entry_dedup"),
        Index("ix_record_entry_category_date", "user_id", "category", "effective_at"),
        # a test's results newest first, the result before one, and the list of tests (a seek per distinct code)
        Index("ix_record_entry_code_date", "user_id", "category", "code_key", "effective_at"),
        # counting and finding results outside the range, newest first, without reading every result; only the
        # flagged ones are in it (a fifth of a typical record's results), so an import keeps less index up to date
        Index(
            "ix_record_entry_flagged",
            "user_id",
            "category",
            "effective_at",
            sqlite_where=text("flag != ''"),
            postgresql_where=text("flag != ''"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    # its own index although longer ones lead with it: "id IN (...) AND user_id = ?" (is this record the person's?)
    # is answered from (user_id, rowid) alone; without it a record page's codings query read the wide rows (2-3x)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    category: str = Field(max_length=20)
    resource_type: str = Field(max_length=64)
    dedup_key: str = Field(max_length=64)
    code_key: str = Field(default="", max_length=300)  # "system|code" of the main coding: groups repeated tests
    title: str = Field(default="", max_length=500)
    status: str = Field(default="", max_length=40)
    effective_at: datetime | None = Field(default=None)
    effective_text: str = Field(default="", max_length=40)  # as received: keeps its precision (2019, 2019-04)
    end_at: datetime | None = Field(default=None)
    value_text: str = Field(default="", max_length=2000)
    value_num: float | None = Field(default=None)
    comparator: str = Field(default="", max_length=2)
    unit: str = Field(default="", max_length=60)
    ref_low: float | None = Field(default=None)
    ref_high: float | None = Field(default=None)
    ref_text: str = Field(default="", max_length=300)
    flag: str = Field(default="", max_length=12)  # "", "high", "low", "abnormal"
    is_current: bool = Field(default=False)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    # the catalogue entry that explains it and how it was recognised, found once at import (issue #15)
    concept_id: str = Field(default="", max_length=80, sa_column_kwargs={"server_default": ""})
    concept_how: str = Field(default="", max_length=12, sa_column_kwargs={"server_default": ""})
    import_file_id: int | None = staged()


# A record with a flag (high, low, abnormal), as ix_record_entry_flagged's condition: queries that use that index say
# it with this. The empty text is written out, not a parameter: PostgreSQL cannot use a partial index for a parameter
# whose value it does not know (a prepared statement's generic plan).
FLAGGED = RecordEntry.flag != literal_column("''")


class RecordLink(SQLModel, table=True):
    __tablename__ = "record_link"
    __table_args__ = (UniqueConstraint("entry_id", "resource_id", name="uq_record_link"),)

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="record_entry.id")  # indexed first in the unique key
    resource_id: int = Field(foreign_key="record_resource.id", index=True)
    import_file_id: int | None = staged()


class RecordCoding(SQLModel, table=True):
    __tablename__ = "record_coding"
    # No index on (system, code): no query looks a coding up by its code, and every import would keep one up to date.
    __table_args__ = (UniqueConstraint("entry_id", "system", "code", name="uq_record_coding"),)

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="record_entry.id")  # indexed first in the unique key
    system: str = Field(default="", max_length=255)
    code: str = Field(default="", max_length=128)
    display: str = Field(default="", max_length=500)
    import_file_id: int | None = staged()


class RecordRevision(SQLModel, table=True):
    """A counter per person that every import raises when it stores something: rendered record pages are kept
    per revision (pgo.web.fragments), so a page is made again only after the records changed."""

    __tablename__ = "record_revision"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True)
    revision: int = Field(default=0)


class RecognitionState(SQLModel, table=True):
    """Which catalogue version the stored records were last recognised with (issue #15, 2026-12-03): one row, kept
    in the database itself so that every worker and every server of it agrees."""

    __tablename__ = "record_recognition_state"

    id: int = Field(default=1, primary_key=True)
    catalogue_version: str = Field(max_length=64)
    recognised_at: datetime = Field(default_factory=utcnow)


class ImportJob(SQLModel, table=True):
    """One import of files (an upload or `pgo import`, #17): its progress while it runs and its report after.

    ``state``: queued, running, done or failed. A running job names the process that runs it (host and pid) and
    beats (``beat_at``) after every batch, so that the next start can tell a job whose process died from a running
    one (pgo.records.import_jobs.clean_up_stale_jobs)."""

    __tablename__ = "import_job"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    state: str = Field(default="queued", max_length=12)
    files_total: int = Field(default=0)
    files_done: int = Field(default=0)
    resources_expected: int = Field(default=0)  # counted before the import (lines, entries): for the percentage
    resources_done: int = Field(default=0)
    report: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))  # as_summary(...)
    error: str = Field(default="", max_length=40)  # what went wrong, as a code the job page words
    host: str = Field(default="", max_length=255)
    pid: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)
    beat_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = Field(default=None)


class ImportFile(SQLModel, table=True):
    """One file of an import. Its rows stay hidden until ``state`` is "visible" (the import's last transaction sets
    it for all its files at once); "writing" while its batches are written, "written" when all are, "refused" when
    the file was refused (its rows are being removed)."""

    __tablename__ = "import_file"
    # The hidden files, which every reader of records asks for: an index of those alone (few at any time).
    __table_args__ = (
        Index(
            "ix_import_file_hidden",
            "id",
            sqlite_where=text("state != 'visible'"),
            postgresql_where=text("state != 'visible'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    job_id: int = Field(foreign_key="import_job.id", index=True)
    user_id: int = Field(foreign_key="user_account.id")
    name: str = Field(default="", max_length=255)
    state: str = Field(default="writing", max_length=12)


# Files whose rows no reader sees, as ix_import_file_hidden's condition (written out, as FLAGGED above).
HIDDEN_FILE = ImportFile.state != literal_column("'visible'")


# Every ORM read of these tables (and of measurements) hides the rows of running imports (#17): installed with the
# tables, so that no process that reads them can miss it.
from pgo.records import visibility  # noqa: E402

visibility.follow(RecordResource, RecordProvenance, RecordEntry, RecordLink, RecordCoding)
