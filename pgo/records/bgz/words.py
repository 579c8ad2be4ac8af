"""Words shared by the section presenters (#20): a record's status as a person reads it."""

from __future__ import annotations

from pgo.i18n import _

GONE = ("entered-in-error",)  # never shown


def status_words(status: str) -> str:
    words = {
        "active": _("Applies now"),
        "inactive": _("No longer applies"),
        "completed": _("Finished"),
        "cancelled": _("Cancelled"),
        "revoked": _("Withdrawn"),
        "draft": _("Not final yet"),
        "proposed": _("Proposed"),
        "planned": _("Planned"),
        "accepted": _("Agreed"),
        "on-hold": _("On hold"),
        "rejected": _("Not agreed"),
        "stopped": _("Stopped"),
        "intended": _("Planned"),
        "booked": _("Booked"),
        "pending": _("Not fixed yet"),
        "arrived": _("You are there"),
        "checked-in": _("You are there"),
        "fulfilled": _("Took place"),
        "noshow": _("You did not come"),
        "waitlist": _("On the waiting list"),
        "achieved": _("Reached"),
        "in-progress": _("Working on it"),
        "sustaining": _("Keeping it up"),
        "not-done": _("Not done"),
    }
    return words.get(status, status)


def status_of(resource: dict) -> str:
    value = resource.get("status") or resource.get("lifecycleStatus") or ""
    return value if isinstance(value, str) else ""


def status_now(status: str, current: bool) -> str:
    """The status in words, saying "no longer applies" for a record marked active whose period has ended."""
    if not current and status in ("active", ""):
        return _("No longer applies")
    return status_words(status)
