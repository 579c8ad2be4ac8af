"""Narratives are sanitised before display; XML cannot reach files or the network."""

from __future__ import annotations

import json

from records_helpers import add_user, row_counts
from sqlmodel import select

from pgo.records.importing import import_paths
from pgo.records.models import RecordEntry, RecordResource
from pgo.records.queries import narrative
from pgo.records.sanitise import plain_text, sanitise_html

NASTY = (
    '<div xmlns="http://www.w3.org/1999/xhtml"><p onclick="steal()" style="background:url(http://evil/x)">Uitslag'
    '<script>alert(1)</script><img src="http://evil.example/pixel.png" onerror="steal()"/>'
    '<a href="javascript:alert(1)">klik</a><a href="data:text/html,boo">data</a>'
    '<a href="https://www.thuisarts.nl">ok</a><img src="data:image/png;base64,iVBORw0KGgo=" alt="grafiek"/></p></div>'
)


def test_sanitiser_removes_scripts_handlers_and_external_resources():
    clean = sanitise_html(NASTY)
    for bad in ("<script", "onclick", "onerror", "javascript:", "http://evil", "style=", "data:text"):
        assert bad not in clean
    assert "Uitslag" in clean and 'href="https://www.thuisarts.nl"' in clean
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in clean


def test_free_text_is_escaped():
    assert plain_text("<b onmouseover=x>hi</b>") == "&lt;b onmouseover=x&gt;hi&lt;/b&gt;"


def test_stored_narrative_is_kept_as_received_but_shown_sanitised(session, tmp_path):
    user_id = add_user(session)
    resource = {
        "resourceType": "Condition",
        "text": {"status": "generated", "div": NASTY},
        "code": {"text": "Oedeem"},
        "onsetDateTime": "2019-04",
    }
    path = tmp_path / "condition.json"
    path.write_text(json.dumps(resource))
    import_paths(session=session, user_id=user_id, paths=[path])
    assert session.exec(select(RecordResource.body)).one()["text"]["div"] == NASTY  # lossless
    entry = session.exec(select(RecordEntry)).one()
    shown = narrative(session=session, user_id=user_id, entry_id=entry.id)
    assert "Uitslag" in shown and "<script" not in shown and "onerror" not in shown
    assert narrative(session=session, user_id=user_id + 1, entry_id=entry.id) == ""  # someone else's record


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Patient [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Patient xmlns="http://hl7.org/fhir"><id value="x"/><name><family value="&secret;"/></name></Patient>
"""


def test_xml_with_an_external_entity_is_refused(session, tmp_path):
    user_id = add_user(session)
    path = tmp_path / "xxe.xml"
    path.write_bytes(XXE)
    before = row_counts(session)
    report = import_paths(session=session, user_id=user_id, paths=[path])
    assert [r.file for r in report.refused] == ["xxe.xml"]
    assert row_counts(session) == before
    assert "root:" not in report.refused[0].error


def test_xml_cardinality_and_types_follow_the_fhir_definitions(session, tmp_path):
    user_id = add_user(session)
    path = tmp_path / "obs.xml"
    path.write_bytes(b"""<Observation xmlns="http://hl7.org/fhir">
      <status value="final"/>
      <category><coding><system value="http://terminology.hl7.org/CodeSystem/observation-category"/>
        <code value="laboratory"/></coding></category>
      <code><coding><system value="http://loinc.org"/><code value="2947-0"/></coding></code>
      <effectiveDateTime value="2019-04"/>
      <valueQuantity><value value="5.0"/><comparator value="&lt;"/><unit value="mmol/l"/></valueQuantity>
    </Observation>""")
    report = import_paths(session=session, user_id=user_id, paths=[path])
    assert report.ok
    body = session.exec(select(RecordResource.body)).one()
    assert isinstance(body["category"], list) and isinstance(body["code"]["coding"], list)
    assert body["valueQuantity"] == {"value": 5.0, "comparator": "<", "unit": "mmol/l"}
    entry = session.exec(select(RecordEntry)).one()
    assert (entry.comparator, entry.value_num, entry.value_text, entry.effective_text) == ("<", 5.0, "<5", "2019-04")
