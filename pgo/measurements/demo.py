"""Demonstration data of this feature, seeded by `pgo demo` (idempotent)."""

from __future__ import annotations

from sqlmodel import Session

from pgo.demo import DemoPeople


def seed(session: Session, people: DemoPeople) -> None:
    """Add this feature's demonstration data when it is not there yet."""
