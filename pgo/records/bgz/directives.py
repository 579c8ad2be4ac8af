"""Treatment and advance directives (zib TreatmentDirective / TreatmentDirective2 and AdvanceDirective: Consent), in
their zib2017 (STU3) and zib2020 (R4) shapes (#20 part 2)."""

from __future__ import annotations

from datetime import datetime

from pgo.i18n import _
from pgo.records import codes
from pgo.records.bgz import fhir
from pgo.records.bgz.items import SectionItem, ended, facts
from pgo.records.bgz.words import GONE, status_of, status_words

SNOMED = codes.SNOMED
# zib TreatmentDirective (2017: 11291000146105 'treatment instructions'; 2020: 129125009 'procedure with explicit
# context') and AdvanceDirective (11341000146107 'living will and advance directive record'; HL7 'acd')
TREATMENT_DIRECTIVE_CODES = ("11291000146105", "129125009")
ADVANCE_DIRECTIVE_CODES = ("11341000146107",)
CONSENT_CATEGORY = "http://terminology.hl7.org/CodeSystem/consentcategorycodes"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"


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
    status = status_of(resource)
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
    status = status_of(resource)
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
