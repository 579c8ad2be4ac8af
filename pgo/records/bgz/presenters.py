"""From a stored FHIR resource (zib2017/STU3 or zib2020/R4) to the ``SectionItem`` a person reads (#20 part 2).

One function per kind of record; ``present`` picks it. Each returns None for what is not shown (a record entered in
error, a Consent that is not a treatment or advance directive). Labels and statuses are translated here, in the
language of the request (``pgo.i18n``): no Flask.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from pgo.i18n import _
from pgo.records import codes
from pgo.records.bgz import fhir
from pgo.records.bgz.directives import directive
from pgo.records.bgz.items import SectionItem, ended, facts
from pgo.records.bgz.people import care_team, patient_contacts, practitioner_role, related_person
from pgo.records.bgz.words import GONE, status_now, status_of, status_words

SNOMED = codes.SNOMED
FUNCTIONAL_FINDING, MENTAL_FINDING = "118228005", "384821006"  # zib FunctionalOrMentalStatus categories

Present = Callable[[dict, fhir.Resolver, datetime], "SectionItem | None"]


# Alerts (zib Alert: Flag) ------------------------------------------------------------------------------------------
def alert(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    status = status_of(resource)
    if status in GONE:
        return None
    start, end = fhir.period(resource.get("period"))
    current = status in ("active", "") and not ended(end, now)
    return SectionItem(
        kind="alert",
        title=fhir.concept(resource.get("code")) or _("Alert"),
        when_text=start,
        status=status_now(status, current),
        facts=facts(
            (_("Kind"), fhir.concept(fhir.as_list(resource.get("category")))),
            (_("About"), fhir.extension_text(resource, "Alert-Concern", "Alert.Concern")),
            (_("Until"), fhir.display_end(end)),
            (_("Recorded by"), fhir.reference_text(resource.get("author"), resource, resolve)),
        ),
        notes=tuple(fhir.notes(resource)),
        current=current,
        important=current,
    )


# Care plan and goals (CarePlan, Goal) ------------------------------------------------------------------------------
def care_plan(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    status = status_of(resource)
    if status in GONE:
        return None
    start, end = fhir.period(resource.get("period"))
    activities = []
    for activity in resource.get("activity") or []:
        detail = activity.get("detail") if isinstance(activity, dict) else None
        if isinstance(detail, dict):
            activities.append(fhir.concept(detail.get("code")) or str(detail.get("description") or ""))
        elif isinstance(activity, dict):
            activities.append(fhir.reference_text(activity.get("reference")))
    goals = [fhir.reference_text(g, resource, resolve) for g in resource.get("goal") or []]
    reasons = [fhir.reference_text(a, resource, resolve) for a in resource.get("addresses") or []]
    category = fhir.concept(fhir.as_list(resource.get("category")))
    title = str(resource.get("title") or "") or category or _("Care plan")
    current = status in ("active", "draft", "on-hold", "") and not ended(end, now)
    return SectionItem(
        kind="care-plan",
        title=title,
        when_text=start,
        status=status_now(status, current),
        facts=facts(
            (_("What it is about"), str(resource.get("description") or "")),
            (_("Kind"), category if category != title else ""),
            (_("What happens"), "; ".join(a for a in dict.fromkeys(activities) if a)),
            (_("Goals"), "; ".join(g for g in goals if g)),
            (_("Reason"), ", ".join(dict.fromkeys(r for r in reasons if r))),
            (_("Until"), fhir.display_end(end)),
        ),
        notes=tuple(fhir.notes(resource)),
        current=current,
        group="plans",
    )


def _progress(value: object) -> str:
    """R4 Goal.achievementStatus in words: its text, else the HL7 code's meaning, else its display."""
    if isinstance(value, dict) and isinstance(value.get("text"), str) and value["text"].strip():
        return value["text"].strip()
    words = {
        "in-progress": _("Working on it"),
        "improving": _("Getting better"),
        "worsening": _("Getting worse"),
        "no-change": _("No change"),
        "achieved": _("Reached"),
        "sustaining": _("Keeping it up"),
        "not-achieved": _("Not reached"),
        "no-progress": _("No progress"),
        "not-attainable": _("Cannot be reached"),
    }
    found = fhir.codings(value)
    return str(words.get(found[0]["code"], fhir.concept(value))) if found else ""


def goal(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    status = status_of(resource)
    if status in GONE:
        return None
    targets, due = [], ""
    for target in fhir.as_list(resource.get("target")):
        if not isinstance(target, dict):
            continue
        due = due or str(target.get("dueDate") or "")
        quantity = target.get("detailQuantity")
        if isinstance(quantity, dict) and quantity.get("value") is not None:
            targets.append(f"{quantity['value']} {quantity.get('unit') or ''}".strip())
        elif target.get("detailString"):
            targets.append(str(target["detailString"]))
        elif measure := fhir.concept(target.get("measure")):
            targets.append(measure)
    current = status in ("proposed", "planned", "accepted", "active", "in-progress", "on-target", "ahead-of-target",
                         "behind-target", "sustaining", "on-hold", "")  # fmt: skip
    return SectionItem(
        kind="goal",
        title=fhir.concept(resource.get("description")) or _("Goal"),
        when_text=str(resource.get("startDate") or resource.get("statusDate") or ""),
        status=status_words("in-progress" if status == "active" else status),
        facts=facts(
            (_("Target"), "; ".join(targets)),
            (_("Aim to reach it by"), fhir.display_end(due)),
            (_("How it is going"), _progress(resource.get("achievementStatus"))),
        ),
        notes=tuple(fhir.notes(resource)),
        current=current,
        group="goals",
    )


# Appointments (Appointment) ----------------------------------------------------------------------------------------
def appointment(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    status = status_of(resource)
    if status in GONE:
        return None
    start = str(resource.get("start") or "")
    moment = fhir.moment(start)
    upcoming = moment is not None and moment >= now and status not in ("cancelled", "fulfilled", "noshow")
    people, places = [], []
    for participant in resource.get("participant") or []:
        actor = participant.get("actor") if isinstance(participant, dict) else None
        reference = str((actor or {}).get("reference") or "")
        if reference.startswith("Patient/"):
            continue
        name = fhir.reference_text(actor, resource, resolve)
        (places if reference.startswith("Location/") else people).append(name)
    kind = fhir.concept(resource.get("serviceType")) or fhir.concept(resource.get("appointmentType"))
    reasons = fhir.concept(fhir.as_list(resource.get("reasonCode") or resource.get("reason")))
    description = str(resource.get("description") or "")
    return SectionItem(
        kind="appointment",
        title=kind or description or _("Appointment"),
        when_text=start,
        status=status_words(status),
        facts=facts(
            (_("What it is about"), description if kind else ""),
            (_("With"), ", ".join(p for p in people if p)),
            (_("Where"), ", ".join(p for p in places if p)),
            (_("Reason"), reasons),
            (_("Care field"), fhir.concept(resource.get("specialty"))),
        ),
        notes=tuple(
            n for n in (str(resource.get("comment") or ""), str(resource.get("patientInstruction") or "")) if n
        ),
        current=upcoming,
        important=upcoming and status == "cancelled",
        group="upcoming" if upcoming else "past",
    )


def planned_visit(title: str, start: str, organisation: str, now: datetime) -> SectionItem:
    """A visit (Encounter) still planned: an appointment too, for providers that send no Appointment (#20)."""
    moment = fhir.moment(start)
    upcoming = moment is not None and moment >= now
    return SectionItem(
        kind="appointment",
        title=title or _("Appointment"),
        when_text=start,
        status=status_words("planned"),
        facts=facts((_("Where"), organisation)),
        current=upcoming,
        group="upcoming" if upcoming else "past",
    )


# Medical devices (zib MedicalDevice: DeviceUseStatement + Device) ---------------------------------------------------
def device_use(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    status = status_of(resource)
    if status in GONE:
        return None
    device = resolve(resource, resource.get("device")) if resource.get("device") else None
    name = fhir.device_name(device) if isinstance(device, dict) else ""
    name = name or fhir.reference_text(resource.get("device"))
    start, end = fhir.period(resource.get("whenUsed") or resource.get("timingPeriod"))
    start = start or str(resource.get("timingDateTime") or resource.get("recordedOn") or "")
    reasons = fhir.concept(fhir.as_list(resource.get("reasonCode") or resource.get("indication")))
    current = status in ("active", "intended", "") and not ended(end, now)
    return SectionItem(
        kind="device",
        title=name or _("Medical device"),
        when_text=start,
        status=status_now(status, current),
        facts=facts(
            (_("Where on the body"), fhir.concept(resource.get("bodySite"))),
            (_("Reason"), reasons),
            (_("Until"), fhir.display_end(end)),
        ),
        notes=tuple(fhir.notes(resource)),
        current=current,
    )


def device(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    """A Device no DeviceUseStatement points to (the query leaves out the others)."""
    status = status_of(resource)
    if status in GONE:
        return None
    return SectionItem(
        kind="device",
        title=fhir.device_name(resource) or _("Medical device"),
        status=status_words(status),
        facts=facts((_("Maker"), str(resource.get("manufacturer") or ""))),
        notes=tuple(fhir.notes(resource)),
        current=status in ("active", ""),
    )


# Nutrition advice (zib NutritionAdvice: NutritionOrder) ------------------------------------------------------------
def nutrition(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    status = status_of(resource)
    if status in GONE:
        return None
    diet = resource.get("oralDiet") if isinstance(resource.get("oralDiet"), dict) else {}
    textures = [fhir.concept(t.get("modifier")) for t in diet.get("texture") or [] if isinstance(t, dict)]
    supplements = [
        str(s.get("productName") or "") or fhir.concept(s.get("type"))
        for s in resource.get("supplement") or [] if isinstance(s, dict)
    ]  # fmt: skip
    formula = resource.get("enteralFormula") if isinstance(resource.get("enteralFormula"), dict) else {}
    instructions = [str(diet.get("instruction") or "")] + fhir.notes(resource)
    return SectionItem(
        kind="nutrition",
        title=fhir.concept(diet.get("type")) or _("Nutrition advice"),
        when_text=str(resource.get("dateTime") or ""),
        status=status_words(status),
        facts=facts(
            (_("How food should be"), ", ".join(t for t in textures if t)),
            (_("How drinks should be"), fhir.concept(diet.get("fluidConsistencyType"))),
            (_("Do not eat"), fhir.concept(resource.get("excludeFoodModifier"))),
            (_("Preferences"), fhir.concept(resource.get("foodPreferenceModifier"))),
            (_("Extra nutrition"), ", ".join(s for s in supplements if s)),
            (
                _("Tube feeding"),
                str(formula.get("baseFormulaProductName") or "") or fhir.concept(formula.get("baseFormulaType")),
            ),
            (_("Advised by"), fhir.reference_text(resource.get("orderer"), resource, resolve)),
        ),
        notes=tuple(n for n in instructions if n),
        current=status in ("active", "on-hold", "draft", ""),
    )


# Functional and mental status (zib FunctionalOrMentalStatus: Observation) -------------------------------------------
def functioning(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    status = status_of(resource)
    if status in GONE:
        return None
    categories = fhir.as_list(resource.get("category"))
    mental = fhir.has_code(categories, SNOMED, MENTAL_FINDING)
    value = fhir.concept(resource.get("valueCodeableConcept")) or str(resource.get("valueString") or "")
    found = fhir.extensions(resource, "supportingInfo") + fhir.extensions(resource, "MedicalDevice")
    aids = [fhir.reference_text(e.get("valueReference"), resource, resolve) for e in found]
    return SectionItem(
        kind="functioning",
        title=fhir.concept(resource.get("code")) or _("Functioning"),
        when_text=str(resource.get("effectiveDateTime") or (resource.get("effectivePeriod") or {}).get("start") or ""),
        facts=facts((_("How it is"), value), (_("Aid"), ", ".join(a for a in aids if a))),
        notes=tuple(fhir.notes(resource) + ([str(resource["comment"])] if resource.get("comment") else [])),
        group="mental" if mental else "functional",
    )


# Insurance (zib Payer: Coverage) -----------------------------------------------------------------------------------
def coverage(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    status = status_of(resource)
    if status in GONE:
        return None
    payors = [fhir.reference_text(p, resource, resolve) for p in fhir.as_list(resource.get("payor"))]
    start, end = fhir.period(resource.get("period"))
    number = str(resource.get("subscriberId") or "")
    if not number:
        identifiers = [i for i in fhir.as_list(resource.get("identifier")) if isinstance(i, dict) and i.get("value")]
        number = str(identifiers[0]["value"]) if identifiers else ""
    plans = [
        str(c.get("name") or c.get("value") or "") for c in fhir.as_list(resource.get("class")) if isinstance(c, dict)
    ]
    grouping = resource.get("grouping") if isinstance(resource.get("grouping"), dict) else {}
    plans += [str(grouping.get("planDisplay") or grouping.get("plan") or "")]
    current = status in ("active", "") and not ended(end, now)
    return SectionItem(
        kind="insurance",
        title=", ".join(p for p in payors if p) or _("Health insurance"),
        when_text=start,
        status=status_now(status, current),
        facts=facts(
            (_("Kind of insurance"), fhir.concept(resource.get("type"))),
            (_("Policy"), ", ".join(p for p in plans if p)),
            (_("Insurance number"), number),
            (_("Until"), fhir.display_end(end)),
        ),
        current=current,
    )


PRESENTERS: dict[str, Present] = {
    "Flag": alert,
    "Consent": directive,
    "CarePlan": care_plan,
    "Goal": goal,
    "Appointment": appointment,
    "CareTeam": care_team,
    "PractitionerRole": practitioner_role,
    "RelatedPerson": related_person,
    "DeviceUseStatement": device_use,
    "Device": device,
    "NutritionOrder": nutrition,
    "Observation": functioning,
    "Coverage": coverage,
}


def present(resource: dict, resolve: fhir.Resolver, now: datetime) -> list[SectionItem]:
    """What the person reads about one resource: none, one item, or (a Patient's contacts) several."""
    kind = resource.get("resourceType", "")
    if kind == "Patient":
        return patient_contacts(resource)
    presenter = PRESENTERS.get(kind)
    shown = presenter(resource, resolve, now) if presenter else None
    return [shown] if shown else []
