"""The demonstration people (#19, 2026-12-03: from pgo.demo): what each feature's demo step receives, importable by
the features' ``demo.py`` without importing the demo itself."""

from __future__ import annotations

from dataclasses import dataclass, field

from pgo.accounts.models import CareTeam, User

PATIENT_EMAIL = "patient@demo.pgo"
CLINICIAN_EMAIL = "clinician@demo.pgo"
DEMO_PASSWORD = "demo-wachtwoord"  # noqa: S105  (public demo accounts, printed by `make run`)
TEAM_NAME = "De Linde"


@dataclass
class DemoPeople:
    patient: User
    clinician: User
    team: CareTeam
    notes: list[str] = field(default_factory=list)
