"""Shared fixtures for the measurement tests: a patient and a clinician."""

from __future__ import annotations

import pytest

from pgo.accounts.models import Role, User


@pytest.fixture
def patient(session) -> User:
    user = User(email="patient@example.nl", name="Jo", role=Role.PATIENT)
    session.add(user)
    session.flush()
    return user


@pytest.fixture
def clinician(session) -> User:
    user = User(email="doctor@example.nl", name="Dr. A", role=Role.CLINICIAN)
    session.add(user)
    session.flush()
    return user
