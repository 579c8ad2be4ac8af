"""The BgZ sections a person can open (#20 part 2): which resources each shows, its pictogram and its heading.

A section's explanation is the catalogue entry written for it (``pgo/literacy/catalogue/bgz-sections.yaml``, found by
``fallback_for``): what it is, why it matters, what to ask.
"""

from __future__ import annotations

from dataclasses import dataclass

from pgo.i18n import _l


@dataclass(frozen=True)
class Section:
    slug: str  # in the URL: /records/<slug>
    resource_types: tuple[str, ...]
    icon: str
    heading: object  # a lazy translation
    catalogue: str  # the catalogue's fallback_for key of its explanation
    groups: tuple[tuple[str, object], ...] = ()  # (group, sub-heading) in the order shown
    profile: str = ""  # only resources with this in their profile (Observation is shared with results)
    planned_visits: bool = False  # also the visits (Encounter) still planned: the appointments


SECTIONS: dict[str, Section] = {
    section.slug: section
    for section in (
        Section("alerts", ("Flag",), "warning", _l("Alerts"), "alert"),
        Section(
            "directives", ("Consent",), "consent", _l("Your wishes about treatment"), "directive",
            groups=(("treatment", _l("Agreements about treatment")), ("advance", _l("Living wills"))),
        ),
        Section(
            "care-plan", ("CarePlan", "Goal"), "plan", _l("Care plan and goals"), "care-plan",
            groups=(("plans", _l("Care plans")), ("goals", _l("Goals"))),
        ),
        Section(
            "appointments", ("Appointment",), "calendar", _l("Appointments"), "appointment",
            groups=(("upcoming", _l("Coming appointments")), ("past", _l("Past appointments"))), planned_visits=True,
        ),
        Section(
            "care-team", ("CareTeam", "PractitionerRole", "RelatedPerson", "Patient"), "people",
            _l("Care team and contacts"), "care-team",
            groups=(("team", _l("Your care providers")), ("contacts", _l("Your contact persons"))),
        ),
        Section("devices", ("DeviceUseStatement", "Device"), "device", _l("Medical devices"), "device"),
        Section("nutrition", ("NutritionOrder",), "food", _l("Nutrition advice"), "nutrition"),
        Section(
            "functioning", ("Observation",), "person", _l("How you manage"), "functioning",
            groups=(("functional", _l("Daily activities and movement")), ("mental", _l("Memory, mood and thinking"))),
            profile="FunctionalOrMentalStatus",
        ),
        Section("insurance", ("Coverage",), "shield", _l("Insurance"), "insurance"),
    )
}  # fmt: skip
SLUGS = tuple(SECTIONS)
# The resource types these pages show (besides Observation and Patient, which record pages show already): an import
# no longer reports them as kept but not shown.
SECTION_TYPES = frozenset(
    t for section in SECTIONS.values() for t in section.resource_types if t not in ("Observation", "Patient")
)
# what the records overview shows first when it applies now (issue #20: alerts and directives prominent)
PROMINENT = ("alerts", "directives")
