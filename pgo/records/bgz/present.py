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
from pgo.records.bgz.items import SectionItem, ended, facts

SNOMED = codes.SNOMED
# zib TreatmentDirective (2017: 11291000146105 'treatment instructions'; 2020: 129125009 'procedure with explicit
# context') and AdvanceDirective (11341000146107 'living will and advance directive record'; HL7 'acd')
TREATMENT_DIRECTIVE_CODES = ("11291000146105", "129125009")
ADVANCE_DIRECTIVE_CODES = ("11341000146107",)
CONSENT_CATEGORY = "http://terminology.hl7.org/CodeSystem/consentcategorycodes"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
FUNCTIONAL_FINDING, MENTAL_FINDING = "118228005", "384821006"
GONE = ("entered-in-error",)

Present = Callable[[dict, fhir.Resolver, datetime], "SectionItem | None"]


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


def _status(resource: dict) -> str:
    value = resource.get("status") or resource.get("lifecycleStatus") or ""
    return value if isinstance(value, str) else ""


# Alerts (zib Alert: Flag) ------------------------------------------------------------------------------------------
def alert(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    status = _status(resource)
    if status in GONE:
        return None
    start, end = fhir.period(resource.get("period"))
    current = status in ("active", "") and not ended(end, now)
    return SectionItem(
        kind="alert",
        title=fhir.concept(resource.get("code")) or _("Alert"),
        when_text=start,
        status=status_words(status) if not current else _("Applies now"),
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


# Treatment and advance directives (zib TreatmentDirective, AdvanceDirective: Consent) -------------------------------
def directive_kind(resource: dict, profile: str = "") -> str:
    """'treatment-directive', 'advance-directive' or '' (a privacy consent and the like: not a BgZ directive)."""
    profiles = profile + " " + " ".join(str(p) for p in (resource.get("meta") or {}).get("profile") or [])
    categories = resource.get("category")
    if "TreatmentDirective" in profiles or fhir.has_code(categories, SNOMED, *TREATMENT_DIRECTIVE_CODES):
        return "treatment-directive"
    if (
        "AdvanceDirective" in profiles
        or fhir.has_code(categories, SNOMED, *ADVANCE_DIRECTIVE_CODES)
        or fhir.has_code(categories, CONSENT_CATEGORY, "acd")
        or fhir.has_code(resource.get("scope"), CONSENT_SCOPE, "adr")
    ):
        return "advance-directive"
    if fhir.has_code(resource.get("scope"), CONSENT_SCOPE, "treatment"):
        return "treatment-directive"
    return ""


# zib 2017 TreatmentPermitted (JA, NEE, JA_MAAR) and zib 2020 provision.type (permit, deny)
def _decision(resource: dict) -> tuple[str, bool]:
    """The decision in words, and whether it says 'no' (shown first: it matters most in an emergency)."""
    provision = resource.get("provision") if isinstance(resource.get("provision"), dict) else {}
    kind = provision.get("type")
    if kind == "deny":
        return _("No, this treatment is not wanted"), True
    if kind == "permit":
        return _("Yes, this treatment may be done"), False
    other = fhir.extension_text(resource, "SpecificationOther", modifier=True)
    if other:
        return _("Other: %(text)s", text=other), False
    for extension in fhir.extensions(resource, "TreatmentPermitted", modifier=True):
        found = fhir.codings(extension.get("valueCodeableConcept"))
        code = found[0]["code"] if found else ""
        if code == "NEE":
            return _("No, this treatment is not wanted"), True
        if code == "JA":
            return _("Yes, this treatment may be done"), False
        if code == "JA_MAAR":
            return _("Yes, but with conditions"), False
        return fhir.concept(extension.get("valueCodeableConcept")), False
    return "", False


def _end_of_directive(resource: dict) -> str:
    provision = resource.get("provision") if isinstance(resource.get("provision"), dict) else {}
    return fhir.period(provision.get("period"))[1] or fhir.period(resource.get("period"))[1]


def treatment_directive(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    status = _status(resource)
    if status in GONE:
        return None
    provision = resource.get("provision") if isinstance(resource.get("provision"), dict) else {}
    treatment = fhir.concept(provision.get("code")) or fhir.extension_text(resource, "TreatmentDirective-Treatment")
    decision, says_no = _decision(resource)
    end = _end_of_directive(resource)
    current = status in ("active", "") and not ended(end, now)
    agreed_with = [fhir.reference_text(a.get("reference"), resource, resolve) for a in provision.get("actor") or []]
    agreed_with += [fhir.reference_text(p, resource, resolve) for p in resource.get("consentingParty") or []]
    return SectionItem(
        kind="treatment-directive",
        title=treatment or _("Agreement about a treatment"),
        when_text=str(resource.get("dateTime") or ""),
        status=_("Applies now") if current else status_words(status if status != "active" else "inactive"),
        facts=facts(
            (_("Decision"), decision),
            (_("Conditions"), fhir.extension_text(resource, "TreatmentDirective-Restrictions")),
            (_("Agreed with"), ", ".join(a for a in agreed_with if a)),
            (_("No longer applies since"), fhir.display_end(end) if not current else ""),
        ),
        notes=tuple(n for n in [fhir.extension_text(resource, "Comment")] if n),
        current=current,
        important=current and says_no,
        group="treatment",
    )


def advance_directive(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    status = _status(resource)
    if status in GONE:
        return None
    provision = resource.get("provision") if isinstance(resource.get("provision"), dict) else {}
    kind = fhir.concept(provision.get("code"))
    if not kind:  # zib 2017: the kind of living will is a second category next to the SNOMED one
        others = [
            c for c in fhir.as_list(resource.get("category"))
            if not fhir.has_code(c, SNOMED, *ADVANCE_DIRECTIVE_CODES) and not fhir.has_code(c, CONSENT_CATEGORY, "acd")
        ]  # fmt: skip
        kind = fhir.concept(others)
    representatives = [
        fhir.reference_text(a.get("reference"), resource, resolve)
        for a in provision.get("actor") or []
        if fhir.has_code(a.get("role"), "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "RESPRSN")
    ] + [fhir.reference_text(p, resource, resolve) for p in resource.get("consentingParty") or []]
    attachment = resource.get("sourceAttachment") if isinstance(resource.get("sourceAttachment"), dict) else {}
    current = status in ("active", "")
    return SectionItem(
        kind="advance-directive",
        title=kind or _("Living will"),
        when_text=str(resource.get("dateTime") or ""),
        status=_("Applies now") if current else status_words(status),
        facts=facts(
            (
                _("For the illness"),
                fhir.extension_text(resource, "AdvanceDirective-Disorder", "AdvanceDirective.Disorder"),
            ),
            (_("Representative"), ", ".join(r for r in representatives if r)),
            (_("Document"), str(attachment.get("title") or "")),
        ),
        notes=tuple(n for n in [fhir.extension_text(resource, "Comment")] if n),
        current=current,
        important=current,
        group="advance",
    )


def directive(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    kind = directive_kind(resource)
    if kind == "treatment-directive":
        return treatment_directive(resource, resolve, now)
    if kind == "advance-directive":
        return advance_directive(resource, resolve, now)
    return None


# Care plan and goals (CarePlan, Goal) ------------------------------------------------------------------------------
def care_plan(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    status = _status(resource)
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
        status=status_words(status),
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
    status = _status(resource)
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
    status = _status(resource)
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


# Care team and contacts (CareTeam, PractitionerRole, RelatedPerson, Patient.contact) --------------------------------
def _phone_and_email(resource: dict) -> tuple[tuple[str, str], ...]:
    found = fhir.telecom(resource)
    phones = ", ".join(v for s, v in found if s in ("phone", "sms", ""))
    emails = ", ".join(v for s, v in found if s == "email")
    return (_("Phone"), phones), (_("Email"), emails)


def care_team(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    status = _status(resource)
    if status in GONE:
        return None
    members = []
    for participant in resource.get("participant") or []:
        if not isinstance(participant, dict):
            continue
        name = fhir.reference_text(participant.get("member"), resource, resolve)
        role = fhir.concept(fhir.as_list(participant.get("role")))
        members.append(f"{name} ({role})" if name and role else name or role)
    start, end = fhir.period(resource.get("period"))
    return SectionItem(
        kind="care-team",
        title=str(resource.get("name") or "") or _("Care team"),
        when_text=start,
        status=status_words(status),
        facts=facts(
            (_("Who"), "; ".join(m for m in members if m)),
            (
                _("Organisation"),
                ", ".join(
                    fhir.reference_text(o, resource, resolve)
                    for o in fhir.as_list(resource.get("managingOrganization"))
                ),
            ),
            (_("Until"), fhir.display_end(end)),
        ),
        notes=tuple(fhir.notes(resource)),
        current=status in ("active", "proposed", "") and not ended(end, now),
        group="team",
    )


def practitioner_role(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    name = fhir.reference_text(resource.get("practitioner"), resource, resolve)
    role = fhir.concept(resource.get("code"))
    specialty = fhir.concept(resource.get("specialty"))
    start, end = fhir.period(resource.get("period"))
    return SectionItem(
        kind="care-provider",
        title=name or specialty or role or _("Care provider"),
        when_text="",
        facts=facts(
            (_("Role"), role),
            (_("Care field"), specialty if specialty != name else ""),
            (_("Organisation"), fhir.reference_text(resource.get("organization"), resource, resolve)),
            *_phone_and_email(resource),
        ),
        current=resource.get("active") is not False and not ended(end, now),
        group="team",
    )


def _contact(name: str, relationship: str, source: dict) -> SectionItem:
    return SectionItem(
        kind="contact",
        title=name or relationship or _("Contact person"),
        facts=facts((_("Relationship"), relationship if name else ""), *_phone_and_email(source)),
        group="contacts",
    )


def related_person(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    if resource.get("active") is False:
        return None
    relationship = fhir.concept(fhir.as_list(resource.get("relationship")))
    return _contact(fhir.human_name(resource.get("name")), relationship, resource)


def patient_contacts(resource: dict) -> list[SectionItem]:
    """The contact persons written into the Patient resource (zib ContactPerson in 2017 was Patient.contact)."""
    found = []
    for contact in resource.get("contact") or []:
        if isinstance(contact, dict):
            relationship = fhir.concept(fhir.as_list(contact.get("relationship")))
            found.append(_contact(fhir.human_name(contact.get("name")), relationship, contact))
    return found


# Medical devices (zib MedicalDevice: DeviceUseStatement + Device) ---------------------------------------------------
def device_use(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    status = _status(resource)
    if status in GONE:
        return None
    device = resolve(resource, resource.get("device")) if resource.get("device") else None
    name = fhir.device_name(device) if isinstance(device, dict) else ""
    name = name or fhir.reference_text(resource.get("device"))
    start, end = fhir.period(resource.get("whenUsed") or resource.get("timingPeriod"))
    start = start or str(resource.get("timingDateTime") or resource.get("recordedOn") or "")
    reasons = fhir.concept(fhir.as_list(resource.get("reasonCode") or resource.get("indication")))
    return SectionItem(
        kind="device",
        title=name or _("Medical device"),
        when_text=start,
        status=status_words(status),
        facts=facts(
            (_("Where on the body"), fhir.concept(resource.get("bodySite"))),
            (_("Reason"), reasons),
            (_("Until"), fhir.display_end(end)),
        ),
        notes=tuple(fhir.notes(resource)),
        current=status in ("active", "intended", "") and not ended(end, now),
    )


def device(resource: dict, resolve: fhir.Resolver, now: datetime) -> SectionItem | None:
    """A Device no DeviceUseStatement points to (the query leaves out the others)."""
    status = _status(resource)
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
    status = _status(resource)
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
    status = _status(resource)
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
    status = _status(resource)
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
    return SectionItem(
        kind="insurance",
        title=", ".join(p for p in payors if p) or _("Health insurance"),
        when_text=start,
        status=status_words(status),
        facts=facts(
            (_("Kind of insurance"), fhir.concept(resource.get("type"))),
            (_("Policy"), ", ".join(p for p in plans if p)),
            (_("Insurance number"), number),
            (_("Until"), fhir.display_end(end)),
        ),
        current=status in ("active", "") and not ended(end, now),
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
