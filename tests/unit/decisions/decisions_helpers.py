"""Shared test helpers: people and complete form data for an aid."""

from __future__ import annotations

from pgo.accounts.models import Role, User
from pgo.decisions.aid import DecisionAid


def make_user(session, email="patient@example.nl", role=Role.PATIENT) -> User:
    user = User(email=email, role=role)
    session.add(user)
    session.flush()
    return user


def values_form(aid: DecisionAid, ratings=(5, 1, 3, 4, 2)) -> dict:
    return {f"importance-{c.link_id}": str(ratings[i % len(ratings)]) for i, c in enumerate(aid.considerations)}


def knowledge_form(aid: DecisionAid) -> dict:
    return {f"knowledge-{q.link_id}": q.choices[-1].code for q in aid.knowledge_check}


def sure_form(yes: int) -> dict:
    keys = ("sure", "understand", "risk_benefit", "encouragement")
    return {f"sure-{key}": "yes" if i < yes else "no" for i, key in enumerate(keys)}


def all_forms(aid: DecisionAid) -> dict[int, dict]:
    return {
        1: {"viewed": [aid.options[0].code]},
        2: values_form(aid),
        3: {},
        4: knowledge_form(aid),
        5: sure_form(2),
        6: {"preference": aid.options[-1].code},
        7: {
            "good-questions": ["options", "my-situation"],
            "own-questions": "Mag ik nog sporten?\n\nHoe lang duurt het?",
        },
    }
