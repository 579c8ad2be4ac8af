"""Imported documents are served safely (#17): the type is sniffed, only PDF and images open inline, no script runs.

The attack: an imported ``text/html`` document that loads a second imported ``text/javascript`` document ran script
under pgo's own origin. Both must now come as downloads, sandboxed, whatever their FHIR ``contentType`` claims.
"""

from __future__ import annotations

import base64

import pytest
from sqlmodel import select

from pgo.records.importing import import_resources
from pgo.records.models import RecordEntry

HTML = b"<!doctype html><title>Uitslag</title><script src='/records/documents/2/file'></script><p>Uitslag</p>"
SCRIPT = b"fetch('/account/consent', {method: 'POST'})"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"


def document(fhir_id: str, title: str, content_type: str, data: bytes) -> dict:
    attachment = {"contentType": content_type, "title": title, "data": base64.b64encode(data).decode()}
    return {
        "resourceType": "DocumentReference",
        "id": fhir_id,
        "status": "current",
        "type": {"text": title},
        "date": "2024-03-01T10:00:00Z",
        "content": [{"attachment": attachment}],
    }


@pytest.fixture
def documents(app, make_user, sign_in, db_session):
    user = make_user("anna@example.nl")
    sign_in("anna@example.nl")
    resources = [
        document("html", "Brief", "text/html", HTML),
        document("js", "Script", "text/javascript", SCRIPT),
        document("svg", "Plaatje", "image/svg+xml", SVG),
        document("png-as-html", "Foto", "text/html", PNG),
        document("pdf-as-octets", "Verslag", "application/octet-stream", PDF),
        document("evil-name", 'Brief"; filename=evil.html\r\nX: ü', "application/pdf", PDF),
    ]
    import_resources(
        session=db_session, user_id=user.id, resources=resources, source="attack.json", source_kind="upload"
    )
    db_session.commit()
    rows = db_session.exec(select(RecordEntry).where(RecordEntry.category == "document")).all()
    assert len(rows) == len(resources)
    return {row.title: row.id for row in rows}


def get(client, entry_id: int, download: bool = False):
    return client.get(f"/records/documents/{entry_id}/file" + ("?download=1" if download else ""))


@pytest.mark.parametrize("title", ["Brief", "Script", "Plaatje"])
def test_html_script_and_svg_are_never_served_inline(client, documents, title):
    response = get(client, documents[title])
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = response.headers["Content-Security-Policy"]
    assert policy.startswith("sandbox") and "script-src" not in policy


def test_the_type_is_sniffed_from_the_bytes_not_taken_from_the_file(client, documents):
    png = get(client, documents["Foto"])
    assert png.headers["Content-Type"] == "image/png"
    assert png.headers["Content-Disposition"] == 'inline; filename="Foto.png"'
    pdf = get(client, documents["Verslag"])
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.headers["Content-Disposition"] == 'inline; filename="Verslag.pdf"'
    assert pdf.headers["Content-Security-Policy"].startswith("sandbox")
    saved = get(client, documents["Verslag"], download=True)
    assert saved.headers["Content-Disposition"] == 'attachment; filename="Verslag.pdf"'
    assert saved.data == PDF


def test_the_filename_cannot_break_out_of_its_header(client, documents):
    (entry_id,) = [i for title, i in documents.items() if title.startswith("Brief") and title != "Brief"]
    response = get(client, entry_id)
    assert response.headers["Content-Disposition"] == 'inline; filename="Brief filenameevilhtmlX u.pdf"'
    assert "X" not in response.headers
