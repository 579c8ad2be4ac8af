"""The codes without their own explanation, counted across patients and naming none (issue #15, part 5)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "records"))
from records_helpers import add_user  # noqa: E402
from sqlmodel import select  # noqa: E402

from pgo.literacy.catalogue import CatalogueError, load  # noqa: E402
from pgo.records.catalogue_gaps import MIN_PEOPLE, catalogue_gaps  # noqa: E402
from pgo.records.importing import import_resources  # noqa: E402

PRK = "urn:oid:2.16.840.1.113883.2.4.4.10"


def _medicine(number: int, concept: dict) -> dict:
    return {"resourceType": "MedicationStatement", "id": f"ms-{number}", "status": "active",
            "medicationCodeableConcept": concept, "effectivePeriod": {"start": f"2021-06-{number:02}"}}  # fmt: skip


UNKNOWN_PRK = {"coding": [{"system": PRK, "code": "999999", "display": "ONBEKEND PREPARAAT 5MG"}]}
GROUP_ONLY = {"coding": [{"system": PRK, "code": "888888", "display": "NITROGLYCERINE SPRAY 0,4MG/DO"}]}
OWN = {"coding": [{"system": "http://www.whocc.no/atc", "code": "B01AC06"}], "text": "Ascal"}


def _people(session, count: int, concept: dict, start: int = 0) -> None:
    for number in range(start, start + count):
        user_id = add_user(session, f"p{number}@example.nl")
        import_resources(session=session, user_id=user_id, resources=[_medicine(1, concept)], source="test")


def test_gaps_are_counted_across_patients_most_frequent_first(session):
    _people(session, MIN_PEOPLE + 1, UNKNOWN_PRK)
    _people(session, 2, GROUP_ONLY, start=100)
    _people(session, 3, OWN, start=200)
    user_id = add_user(session, "many@example.nl")  # one patient with the same medicine twice: two records
    import_resources(session=session, user_id=user_id, source="test",
                     resources=[_medicine(1, UNKNOWN_PRK), _medicine(2, UNKNOWN_PRK)])  # fmt: skip
    found = catalogue_gaps(session=session, lang="nl")
    first, second = found.rows
    assert (first.system_name, first.code, first.name) == ("G-Standaard PRK", "999999", "ONBEKEND PREPARAAT 5MG")
    assert (first.patients, first.records, first.level) == (MIN_PEOPLE + 2, MIN_PEOPLE + 3, "generic")
    assert second.name == "NITROGLYCERINE SPRAY 0,4MG/DO" and second.level == "group"
    assert second.patients is None  # fewer than MIN_PEOPLE: not shown as a number
    assert found.records == MIN_PEOPLE + 3 + 2  # the records with their own text (Ascal) are not gaps
    assert found.unnamed == 0


def test_a_name_without_a_code_few_patients_share_is_counted_but_never_shown(session):
    _people(session, 1, {"text": "Zalf van mevrouw Jansen"})
    found = catalogue_gaps(session=session, lang="nl")
    assert found.rows == () and found.unnamed == 1
    _people(session, MIN_PEOPLE, {"text": "Zalf van mevrouw Jansen"}, start=1)
    assert [row.name for row in catalogue_gaps(session=session, lang="nl").rows] == ["zalf van mevrouw jansen"]


def test_gaps_are_paged(session):
    for number in range(5):
        user_id = add_user(session, f"p{number}@example.nl")
        resources = [_medicine(1 + n, {"coding": [{"system": PRK, "code": f"9{n}", "display": f"X{n}"}]})
                     for n in range(number + 1)]  # fmt: skip
        import_resources(session=session, user_id=user_id, resources=resources, source="test")
    page = catalogue_gaps(session=session, lang="en", page=2, per_page=2)
    assert (page.paging.page, page.paging.pages) == (2, 3)
    assert [row.code for row in page.rows] == ["92", "93"]
    assert page.rows[0].text_title  # the general text it gets now, in English


def test_reviewed_records_who_and_when(tmp_path):
    (tmp_path / "one.yaml").write_text(
        "- id: x\n  category: lab\n  reviewed: {date: 2026-12-03, by: 'A. Jansen, huisarts'}\n"
        "- id: y\n  category: lab\n  reviewed: 2026-11-01\n"
    )
    cat = load(tmp_path)
    assert (cat.by_id["x"].reviewed, cat.by_id["x"].reviewed_by) == (date(2026, 12, 3), "A. Jansen, huisarts")
    assert (cat.by_id["y"].reviewed, cat.by_id["y"].reviewed_by) == (date(2026, 11, 1), "")
    (tmp_path / "one.yaml").write_text("- id: z\n  category: lab\n  reviewed: {date: 2026-12-03, who: me}\n")
    with pytest.raises(CatalogueError, match="reviewed takes 'date'"):
        load(tmp_path)


def test_the_counts_are_kept_until_records_are_imported_or_recognised_again(session):
    from pgo.records.models import RecordEntry
    from pgo.records.revision import raise_revision

    _people(session, 1, UNKNOWN_PRK)
    assert len(catalogue_gaps(session=session, lang="nl").rows) == 1
    session.execute(RecordEntry.__table__.update().values(concept_id="platelet-inhibitors"))
    assert len(catalogue_gaps(session=session, lang="nl").rows) == 1  # kept: nothing said the records changed
    raise_revision(session=session, user_id=session.exec(select(RecordEntry.user_id)).first())  # as recognising does
    assert catalogue_gaps(session=session, lang="nl").rows == ()
