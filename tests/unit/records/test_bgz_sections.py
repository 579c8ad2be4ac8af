"""The BgZ sections (#20 part 2): each kind of record in its zib2017 (STU3) and zib2020 (R4) shape, as a person reads
it; what is not shown (entered in error, a privacy consent); the same fact from two sources once; Synthea's plans."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from records_helpers import add_user, fixture

from pgo.i18n import use_locale
from pgo.records.bgz import presenters as bgz
from pgo.records.bgz.queries import prominent, section_counts, section_page
from pgo.records.importing import import_paths, import_resources

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)
SD = "http://nictiz.nl/fhir/StructureDefinition/"
SCT = "http://snomed.info/sct"
DEMO = Path(bgz.__file__).resolve().parent / "demo"


def nothing(_container, _reference):
    return None


def one(resource: dict, resolve=nothing, lang: str = "en"):
    with use_locale(lang):
        found = bgz.present(resource, resolve, NOW)
    assert len(found) == 1, found
    return found[0]


def facts(item) -> dict[str, str]:
    return {fact.label: fact.value for fact in item.facts}


def concept(code: str, display: str, text: str | None = None, system: str = SCT) -> dict:
    found = {"coding": [{"system": system, "code": code, "display": display}]}
    return {**found, "text": text} if text else found


# Alerts ------------------------------------------------------------------------------------------------------------
def test_an_stu3_alert_with_one_category_is_current_and_important():
    item = one(
        {
            "resourceType": "Flag",
            "meta": {"profile": [SD + "zib-Alert"]},
            "status": "active",
            "category": concept("170631002", "Attentie", "Let op"),
            "code": {"text": "Pacemaker"},
            "period": {"start": "2015-04-07"},
            "author": {"display": "Dr. De Vries"},
        }
    )
    assert (item.title, item.current, item.important) == ("Pacemaker", True, True)
    assert facts(item) == {"Kind": "Let op", "Recorded by": "Dr. De Vries"}
    assert item.when("en") == "April 7, 2015"


def test_an_r4_alert_that_ended_is_no_longer_current():
    item = one(
        {
            "resourceType": "Flag",
            "status": "active",
            "category": [concept("170631002", "Attentie")],
            "code": concept("419511003", "Neiging tot vallen"),
            "period": {"start": "2020-01-01", "end": "2021-01-01"},
        }
    )
    assert item.title == "Neiging tot vallen" and not item.current and not item.important
    assert item.status == "No longer applies"  # 'active' with an end date passed does not apply now
    assert facts(item)["Until"] == "January 1, 2021"


def test_a_record_entered_in_error_is_not_shown():
    for kind in (
        "Flag",
        "Consent",
        "CarePlan",
        "Goal",
        "Appointment",
        "DeviceUseStatement",
        "NutritionOrder",
        "Coverage",
    ):
        with use_locale("en"):
            assert bgz.present({"resourceType": kind, "status": "entered-in-error"}, nothing, NOW) == [], kind


# Treatment and advance directives ----------------------------------------------------------------------------------
def test_an_stu3_treatment_directive_says_no_to_resuscitation_first():
    item = one(
        {
            "resourceType": "Consent",
            "meta": {"profile": [SD + "zib-TreatmentDirective"]},
            "status": "active",
            "extension": [
                {
                    "url": SD + "zib-TreatmentDirective-Treatment",
                    "valueCodeableConcept": concept("89666000", "Reanimatie"),
                },
                {"url": SD + "zib-TreatmentDirective-Restrictions", "valueString": "Na overleg"},
            ],
            "modifierExtension": [
                {
                    "url": SD + "zib-TreatmentDirective-TreatmentPermitted",
                    "valueCodeableConcept": concept(
                        "NEE", "Nee", system="urn:oid:2.16.840.1.113883.2.4.3.11.60.40.4.14.1"
                    ),
                }
            ],
            "category": [concept("11291000146105", "Behandelinstructies")],
            "dateTime": "2017-03-20",
        },
        lang="nl",
    )
    assert (item.kind, item.title, item.important, item.current) == ("treatment-directive", "Reanimatie", True, True)
    assert facts(item)["Besluit"] == "Nee, deze behandeling wil u niet"
    assert facts(item)["Voorwaarden"] == "Na overleg"


def test_an_stu3_yes_but_directive_is_not_marked_as_a_refusal():
    item = one(
        {
            "resourceType": "Consent",
            "status": "active",
            "category": [concept("11291000146105", "Behandelinstructies")],
            "extension": [
                {"url": SD + "zib-TreatmentDirective-Treatment", "valueCodeableConcept": {"text": "Beademing"}}
            ],
            "modifierExtension": [
                {
                    "url": SD + "zib-TreatmentDirective-TreatmentPermitted",
                    "valueCodeableConcept": {"coding": [{"code": "JA_MAAR"}]},
                }
            ],
        }
    )
    assert facts(item)["Decision"] == "Yes, but with conditions" and not item.important


def test_an_r4_treatment_directive_reads_the_provision():
    item = one(
        {
            "resourceType": "Consent",
            "meta": {"profile": [SD + "nl-core-TreatmentDirective2"]},
            "status": "active",
            "scope": concept("treatment", "Treatment", system="http://terminology.hl7.org/CodeSystem/consentscope"),
            "dateTime": "2026-02-11",
            "provision": {
                "type": "permit",
                "code": [{"text": "Dialyse"}],
                "actor": [{"reference": {"display": "Dr. Kaya"}}],
            },
        }
    )
    assert (item.title, facts(item)["Decision"], facts(item)["Agreed with"]) == (
        "Dialyse",
        "Yes, this treatment may be done",
        "Dr. Kaya",
    )
    assert item.current and not item.important


def test_an_r4_treatment_directive_that_expired_no_longer_applies():
    item = one(
        {
            "resourceType": "Consent",
            "status": "active",
            "category": [concept("129125009", "Procedure")],
            "provision": {"type": "deny", "code": [{"text": "Beademing"}], "period": {"end": "2025-01-01"}},
        }
    )
    assert not item.current and not item.important
    assert facts(item)["No longer applies since"] == "January 1, 2025"


def test_an_r4_treatment_directive_with_another_wish():
    item = one(
        {
            "resourceType": "Consent",
            "status": "active",
            "category": [concept("129125009", "Procedure")],
            "modifierExtension": [
                {
                    "url": SD + "ext-TreatmentDirective2.SpecificationOther",
                    "valueString": "Alleen als mijn dochter erbij is",
                }
            ],
            "provision": {"code": [{"text": "Opname op de intensive care"}]},
        }
    )
    assert facts(item)["Decision"] == "Other: Alleen als mijn dochter erbij is"


def test_an_stu3_advance_directive_is_named_by_its_kind():
    item = one(
        {
            "resourceType": "Consent",
            "meta": {"profile": [SD + "zib-AdvanceDirective"]},
            "status": "active",
            "category": [
                concept("11341000146107", "Wilsverklaring"),
                concept("NR", "Niet reanimeren verklaring", system="urn:oid:2.16.840.1.113883.2.4.3.11.60.40.4.14.1"),
            ],
            "consentingParty": [{"display": "Kees Jongeneel"}],
            "dateTime": "2016-11-02",
            "sourceAttachment": {"title": "Verklaring.pdf"},
        }
    )
    assert (item.kind, item.title, item.important) == ("advance-directive", "Niet reanimeren verklaring", True)
    assert facts(item) == {"Representative": "Kees Jongeneel", "Document": "Verklaring.pdf"}


def test_an_r4_advance_directive_names_its_representative_and_illness():
    item = one(
        {
            "resourceType": "Consent",
            "meta": {"profile": [SD + "nl-core-AdvanceDirective"]},
            "status": "active",
            "scope": concept(
                "adr", "Advanced Care Directive", system="http://terminology.hl7.org/CodeSystem/consentscope"
            ),
            "extension": [{"url": SD + "ext-AdvanceDirective.Disorder", "valueReference": {"display": "Dementie"}}],
            "provision": {
                "code": [{"text": "Euthanasieverzoek"}],
                "actor": [
                    {
                        "role": concept(
                            "RESPRSN", "responsible party", system="http://terminology.hl7.org/CodeSystem/v3-RoleCode"
                        ),
                        "reference": {"display": "Marieke"},
                    }
                ],
            },
        }
    )
    assert item.title == "Euthanasieverzoek"
    assert facts(item) == {"For the illness": "Dementie", "Representative": "Marieke"}


def test_a_privacy_consent_is_not_a_directive():
    privacy = {
        "resourceType": "Consent",
        "status": "active",
        "scope": concept("patient-privacy", "Privacy", system="http://terminology.hl7.org/CodeSystem/consentscope"),
        "category": [concept("59284-0", "Patient Consent", system="http://loinc.org")],
    }
    assert bgz.present(privacy, nothing, NOW) == []


# Care plan and goals -----------------------------------------------------------------------------------------------
def test_an_r4_care_plan_lists_what_happens_and_its_goals():
    goal = {"resourceType": "Goal", "id": "g1", "description": {"text": "Zelf de trap op"}}
    item = one(
        {
            "resourceType": "CarePlan",
            "status": "active",
            "title": "Herstel",
            "period": {"start": "2026-08-20"},
            "activity": [{"detail": {"description": "Fysiotherapie"}}, {"detail": {"code": {"text": "Thuiszorg"}}}],
            "goal": [{"reference": "Goal/g1"}],
        },
        resolve=lambda _c, r: goal if r.get("reference") == "Goal/g1" else None,
    )
    assert item.title == "Herstel" and item.group == "plans" and item.current
    assert facts(item) == {"What happens": "Fysiotherapie; Thuiszorg", "Goals": "Zelf de trap op"}


def test_an_stu3_goal_has_one_target_and_an_r4_goal_a_list():
    stu3 = one(
        {
            "resourceType": "Goal",
            "status": "in-progress",
            "description": {"text": "500 meter lopen"},
            "target": {"dueDate": "2027-02-01", "detailQuantity": {"value": 500, "unit": "m"}},
        }
    )
    assert facts(stu3) == {"Target": "500 m", "Aim to reach it by": "February 1, 2027"}
    r4 = one(
        {
            "resourceType": "Goal",
            "lifecycleStatus": "active",
            "description": {"text": "Trap op"},
            "achievementStatus": {"text": "Gaat vooruit"},
            "target": [{"dueDate": "2027-01-15"}],
        }
    )
    assert (r4.status, facts(r4)["How it is going"]) == ("Working on it", "Gaat vooruit")
    done = one({"resourceType": "Goal", "lifecycleStatus": "completed", "description": {"text": "Klaar"}})
    assert not done.current


# Appointments ------------------------------------------------------------------------------------------------------
def test_an_r4_appointment_to_come_with_its_instruction():
    item = one(
        {
            "resourceType": "Appointment",
            "status": "booked",
            "serviceType": [{"text": "Controle orthopedie"}],
            "reasonCode": [{"text": "Nieuwe heup"}],
            "start": "2027-09-14T10:15:00+02:00",
            "patientInstruction": "Neem uw medicijnlijst mee.",
            "participant": [
                {"actor": {"reference": "Patient/1"}},
                {"actor": {"reference": "Practitioner/2", "display": "Dr. Smit"}},
                {"actor": {"reference": "Location/3", "display": "Polikliniek"}},
            ],
        }
    )
    assert (item.group, item.current, item.status) == ("upcoming", True, "Booked")
    assert facts(item) == {"With": "Dr. Smit", "Where": "Polikliniek", "Reason": "Nieuwe heup"}
    assert item.notes == ("Neem uw medicijnlijst mee.",)
    assert item.when("nl") == "14 september 2027, 10:15"


def test_stu3_appointments_in_the_past_and_cancelled_ones_are_past():
    past = one(
        {
            "resourceType": "Appointment",
            "status": "fulfilled",
            "reason": [{"text": "Bloeddruk"}],
            "description": "Controle",
            "start": "2026-06-10T09:30:00+02:00",
        }
    )
    assert (past.group, past.title, facts(past)["Reason"]) == ("past", "Controle", "Bloeddruk")
    cancelled = one({"resourceType": "Appointment", "status": "cancelled", "start": "2027-01-10T09:30:00+01:00"})
    assert (cancelled.group, cancelled.status, cancelled.title) == ("past", "Cancelled", "Appointment")


# Care team and contacts --------------------------------------------------------------------------------------------
def test_care_teams_in_both_shapes_name_each_member_with_their_role():
    stu3 = one(
        {
            "resourceType": "CareTeam",
            "status": "active",
            "name": "Team",
            "participant": [{"role": {"text": "Huisarts"}, "member": {"display": "Dr. De Vries"}}],
        }
    )
    r4 = one(
        {
            "resourceType": "CareTeam",
            "status": "active",
            "participant": [{"role": [{"text": "Fysiotherapeut"}], "member": {"display": "L. Jansen"}}],
        }
    )
    assert facts(stu3)["Who"] == "Dr. De Vries (Huisarts)" and facts(r4)["Who"] == "L. Jansen (Fysiotherapeut)"
    assert r4.title == "Care team" and r4.group == "team"


def test_a_practitioner_role_resolves_its_practitioner_and_organisation():
    people = {
        "Practitioner/p1": {"resourceType": "Practitioner", "name": [{"prefix": ["Dr."], "family": "Kaya"}]},
        "Organization/o1": {"resourceType": "Organization", "name": "Ziekenhuis Rijnzicht"},
    }
    item = one(
        {
            "resourceType": "PractitionerRole",
            "practitioner": {"reference": "Practitioner/p1"},
            "organization": {"reference": "Organization/o1"},
            "specialty": [{"text": "Interne geneeskunde"}],
            "telecom": [{"system": "phone", "value": "071 123"}, {"system": "email", "value": "a@b.nl"}],
        },
        resolve=lambda _c, r: people.get(r.get("reference")),
    )
    assert item.title == "Dr. Kaya"
    assert facts(item) == {
        "Care field": "Interne geneeskunde",
        "Organisation": "Ziekenhuis Rijnzicht",
        "Phone": "071 123",
        "Email": "a@b.nl",
    }


def test_contact_persons_from_related_person_in_both_shapes_and_from_the_patient():
    stu3 = one(
        {
            "resourceType": "RelatedPerson",
            "relationship": {"text": "Echtgenoot"},
            "name": [{"given": ["Kees"], "family": "Jongeneel"}],
        }
    )
    r4 = one({"resourceType": "RelatedPerson", "relationship": [{"text": "Dochter"}], "name": [{"text": "Marieke"}]})
    assert (stu3.title, facts(stu3)["Relationship"], stu3.group) == ("Kees Jongeneel", "Echtgenoot", "contacts")
    assert (r4.title, facts(r4)["Relationship"]) == ("Marieke", "Dochter")
    with use_locale("en"):
        contacts = bgz.present(
            {
                "resourceType": "Patient",
                "contact": [
                    {
                        "relationship": [{"text": "Buurvrouw"}],
                        "name": {"text": "Els"},
                        "telecom": [{"system": "phone", "value": "06 1"}],
                    }
                ],
            },
            nothing,
            NOW,
        )
    assert [(c.title, facts(c)) for c in contacts] == [("Els", {"Relationship": "Buurvrouw", "Phone": "06 1"})]


# Devices, nutrition, functioning, insurance ------------------------------------------------------------------------
def test_device_use_in_both_shapes_is_named_by_its_device():
    device = {"resourceType": "Device", "type": {"text": "Rollator"}}
    stu3 = one(
        {
            "resourceType": "DeviceUseStatement",
            "status": "active",
            "whenUsed": {"start": "2026-08-15"},
            "device": {"reference": "Device/d1"},
            "indication": [{"text": "Moeite met lopen"}],
        },
        resolve=lambda _c, _r: device,
    )
    assert (stu3.title, facts(stu3)) == ("Rollator", {"Reason": "Moeite met lopen"})
    r4 = one(
        {
            "resourceType": "DeviceUseStatement",
            "status": "completed",
            "timingPeriod": {"start": "2020-01-01", "end": "2021-01-01"},
            "device": {"display": "Gipsverband"},
            "bodySite": {"text": "Linker pols"},
        }
    )
    assert (r4.title, facts(r4)["Where on the body"], r4.current) == ("Gipsverband", "Linker pols", False)


def test_nutrition_advice_reads_the_diet_and_its_instruction():
    item = one(
        {
            "resourceType": "NutritionOrder",
            "status": "active",
            "dateTime": "2026-05-12",
            "oralDiet": {
                "type": [{"text": "Zoutarm"}],
                "texture": [{"modifier": {"text": "Gemalen"}}],
                "instruction": "Niet meer dan 6 gram zout per dag.",
            },
            "supplement": [{"productName": "Drinkvoeding"}],
            "orderer": {"display": "J. Bakker, diëtist"},
        }
    )
    assert item.title == "Zoutarm" and item.notes == ("Niet meer dan 6 gram zout per dag.",)
    assert facts(item) == {
        "How food should be": "Gemalen",
        "Extra nutrition": "Drinkvoeding",
        "Advised by": "J. Bakker, diëtist",
    }


def test_functional_and_mental_status_are_told_apart_by_category():
    mental = one(
        {
            "resourceType": "Observation",
            "status": "final",
            "category": [concept("384821006", "Mentale toestand")],
            "code": {"text": "Geheugen"},
            "valueCodeableConcept": {"text": "Vergeet soms afspraken"},
            "effectiveDateTime": "2026-09-03",
        }
    )
    walking = one(
        {
            "resourceType": "Observation",
            "status": "final",
            "category": [concept("118228005", "Functioneel")],
            "code": {"text": "Lopen"},
            "valueCodeableConcept": {"text": "Met hulp"},
        }
    )
    assert (mental.group, facts(mental)["How it is"]) == ("mental", "Vergeet soms afspraken")
    assert (walking.group, facts(walking)["How it is"]) == ("functional", "Met hulp")


def test_insurance_in_both_shapes_names_the_insurer_and_number():
    stu3 = one(
        {
            "resourceType": "Coverage",
            "status": "active",
            "subscriberId": "123",
            "type": {"text": "Basis"},
            "grouping": {"planDisplay": "Natura"},
            "payor": [{"display": "Zilveren Kruis"}],
        }
    )
    assert (stu3.title, facts(stu3)) == (
        "Zilveren Kruis",
        {"Kind of insurance": "Basis", "Policy": "Natura", "Insurance number": "123"},
    )
    insurer = {"resourceType": "Organization", "name": "Rijnland"}
    r4 = one(
        {
            "resourceType": "Coverage",
            "status": "active",
            "identifier": [{"value": "987"}],
            "class": [{"value": "NP", "name": "Natura Plus"}],
            "payor": [{"reference": "Organization/o"}],
            "period": {"start": "2025-01-01", "end": "2025-12-31"},
        },
        resolve=lambda _c, _r: insurer,
    )
    assert r4.status == "No longer applies"
    assert (r4.title, facts(r4)["Insurance number"], facts(r4)["Policy"], r4.current) == (
        "Rijnland",
        "987",
        "Natura Plus",
        False,
    )


# The sections read from an import ----------------------------------------------------------------------------------
@pytest.fixture
def demo_user(session):
    user_id = add_user(session)
    import_paths(session=session, user_id=user_id, paths=[DEMO / "zib2017-bgz.json"], source_name="Huisarts")
    import_paths(session=session, user_id=user_id, paths=[DEMO / "zib2020-bgz.json"], source_name="Ziekenhuis")
    return user_id


def test_every_section_holds_its_two_sources_records(session, demo_user):
    counts = section_counts(session=session, user_id=demo_user, now=NOW)
    assert counts == {
        "alerts": 2,
        "directives": 3,
        "care-plan": 3,
        "appointments": 2,
        "care-team": 4,
        "devices": 2,
        "nutrition": 2,
        "functioning": 2,
        "insurance": 2,
    }
    with use_locale("nl"):
        page = section_page(session=session, user_id=demo_user, slug="appointments", now=NOW)
    assert [g.key for g in page.groups] == ["upcoming", "past"]
    assert page.groups[0].items[0].sources == ("Ziekenhuis",)


def test_a_device_is_shown_once_with_its_use_and_a_result_is_not_functioning(session, demo_user):
    import_resources(
        session=session,
        user_id=demo_user,
        source="Lab",
        resources=[
            {
                "resourceType": "Observation",
                "status": "final",
                "code": {"text": "Natrium"},
                "effectiveDateTime": "2026-01-01",
                "valueQuantity": {"value": 138, "unit": "mmol/l"},
            }
        ],
    )
    with use_locale("en"):
        devices = section_page(session=session, user_id=demo_user, slug="devices", now=NOW).items
        functioning = section_page(session=session, user_id=demo_user, slug="functioning", now=NOW).items
    assert sorted(d.title for d in devices) == ["Nieuwe heup (heupprothese)", "Rollator"]
    assert "Natrium" not in [f.title for f in functioning]


def test_the_same_alert_from_two_sources_is_shown_once_naming_both(session):
    user_id = add_user(session)
    alert = {
        "resourceType": "Flag",
        "status": "active",
        "code": {"text": "Pacemaker"},
        "period": {"start": "2015-04-07"},
    }
    import_resources(session=session, user_id=user_id, source="Huisarts", resources=[{**alert, "id": "a"}])
    import_resources(session=session, user_id=user_id, source="Ziekenhuis", resources=[{**alert, "id": "b"}])
    items = section_page(session=session, user_id=user_id, slug="alerts", now=NOW).items
    assert [(i.title, i.sources) for i in items] == [("Pacemaker", ("Huisarts", "Ziekenhuis"))]


def test_the_overview_gets_the_alerts_and_directives_that_apply_now(session, demo_user):
    import_resources(
        session=session,
        user_id=demo_user,
        source="Oud",
        resources=[{"resourceType": "Flag", "status": "inactive", "code": {"text": "Oude waarschuwing"}}],
    )
    found = prominent(session=session, user_id=demo_user, now=NOW)
    assert {i.title for i in found["alerts"]} == {
        "Draagt een pacemaker: geen MRI zonder overleg",
        "Valt snel: help bij opstaan",
    }
    assert [i.important for i in found["directives"]] == [True, True, True]


def test_synthea_care_plans_name_their_goals_and_reasons(session):
    user_id = add_user(session)
    import_paths(session=session, user_id=user_id, paths=[next(fixture("synthea-r4").glob("Reuben_Lind_*.json"))])
    with use_locale("en"):
        page = section_page(session=session, user_id=user_id, slug="care-plan", now=NOW)
    plans = next(g for g in page.groups if g.key == "plans").items
    assert len(plans) >= 3 and all(p.title for p in plans)
    assert any("Reason" in facts(p) for p in plans)  # urn:uuid: references to the Condition resolve


def test_the_import_report_no_longer_calls_the_sections_records_kept_but_not_shown(session):
    user_id = add_user(session)
    report = import_paths(session=session, user_id=user_id, paths=[DEMO / "zib2020-bgz.json"], source_name="Ziekenhuis")
    assert dict(report.kept) == {"Organization": 1}  # the insurer's details: named on the insurance page, not shown


def test_a_planned_visit_is_an_appointment_too_and_a_finished_one_is_not(session):
    user_id = add_user(session)
    visit = {
        "resourceType": "Encounter",
        "class": {"code": "AMB", "display": "ambulatory"},
        "type": [{"text": "Intake"}],
    }
    planned = {**visit, "id": "p", "status": "planned", "period": {"start": "2027-02-01T09:00:00+01:00"},
               "serviceProvider": {"reference": "Organization/o"}}  # fmt: skip
    finished = {
        **visit,
        "id": "f",
        "status": "finished",
        "type": [{"text": "Spoedbezoek"}],
        "period": {"start": "2026-01-01"},
    }
    clinic = {"resourceType": "Organization", "id": "o", "name": "Poli Rijnzicht"}
    import_resources(session=session, user_id=user_id, source="Ziekenhuis", resources=[clinic, planned, finished])
    with use_locale("en"):
        page = section_page(session=session, user_id=user_id, slug="appointments", now=NOW)
    assert [(g.key, [(i.title, i.status, i.sources) for i in g.items]) for g in page.groups] == [
        ("upcoming", [("Intake", "Planned", ("Ziekenhuis",))])
    ]
    assert facts(page.items[0]) == {"Where": "Poli Rijnzicht"}


def test_a_long_section_is_paged_keeping_its_groups_in_order(session):
    user_id = add_user(session)
    past = [
        {"resourceType": "Appointment", "id": f"a{n}", "status": "fulfilled", "description": f"Controle {n}",
         "start": f"2025-{1 + n // 28:02d}-{1 + n % 28:02d}T09:00:00+01:00"}
        for n in range(30)
    ]  # fmt: skip
    coming = {"resourceType": "Appointment", "id": "c", "status": "booked", "description": "Intake",
              "start": "2027-03-01T09:00:00+01:00"}  # fmt: skip
    import_resources(session=session, user_id=user_id, source="Ziekenhuis", resources=[*past, coming])
    first = section_page(session=session, user_id=user_id, slug="appointments", now=NOW, per_page=25)
    assert (first.page, first.pages, first.total, first.has_next) == (1, 2, 31, True)
    assert [(g.key, len(g.items)) for g in first.groups] == [("upcoming", 1), ("past", 24)]
    assert first.groups[1].items[0].title == "Controle 29"  # the past: newest first
    second = section_page(session=session, user_id=user_id, slug="appointments", now=NOW, per_page=25, page=9)
    assert (second.page, second.has_previous, [(g.key, len(g.items)) for g in second.groups]) == (
        2,
        True,
        [("past", 6)],
    )
    assert second.groups[0].items[-1].title == "Controle 0"
