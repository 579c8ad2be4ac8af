"""Shared helpers for the records tests."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import SQLModel

from pgo.accounts.models import User
from pgo.config import fixtures_dir

# A sodium result, the smallest resource an import stores.
OBSERVATION = {
    "resourceType": "Observation",
    "status": "final",
    "code": {"coding": [{"system": "http://loinc.org", "code": "2947-0"}]},
    "effectiveDateTime": "2021-06-12",
    "valueQuantity": {"value": 138, "unit": "mmol/l"},
}


def add_user(session, email: str = "jo@example.nl") -> int:
    user = User(email=email, name="Jo")
    session.add(user)
    session.flush()
    return user.id


def row_counts(session) -> dict[str, int]:
    """The number of rows in every table of the schema."""
    return {
        name: session.execute(select(func.count()).select_from(table)).scalar_one()
        for name, table in SQLModel.metadata.tables.items()
    }


def fixture(*parts: str):
    return fixtures_dir().joinpath(*parts)


MULTI_PATIENT_BUNDLE = "bundle-example4.json"
