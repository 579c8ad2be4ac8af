"""Sniffing an imported document's bytes and choosing how it is served (#17)."""

from __future__ import annotations

import pytest

from pgo.records.document_serving import safe_filename, serving, sniff


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\nrest", "image/png"),
        (b"\xff\xd8\xff\xe0rest", "image/jpeg"),
        (b"GIF89a...", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"<html><script>alert(1)</script>", None),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', None),
        (b"  %PDF-1.7 after spaces", None),
        (b"", None),
    ],
)
def test_sniff(data, expected):
    assert sniff(data) == expected


def test_anything_not_pdf_or_an_image_is_an_attachment_of_octets():
    served = serving(b"<html>", "Brief", download=False)
    assert (served.content_type, served.disposition, served.filename) == (
        "application/octet-stream",
        "attachment",
        "Brief",
    )


def test_a_pdf_opens_inline_unless_saved():
    assert serving(b"%PDF-1.4", "Verslag", download=False).content_disposition == 'inline; filename="Verslag.pdf"'
    assert serving(b"%PDF-1.4", "Verslag", download=True).content_disposition == 'attachment; filename="Verslag.pdf"'


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Ontslagbrief cardiologie", "Ontslagbrief cardiologie.pdf"),
        ("Verwijzing naar de KNO-arts", "Verwijzing naar de KNO-arts.pdf"),
        ('a"b\r\nSet-Cookie: x', "abSet-Cookie x.pdf"),
        ("../../etc/passwd", "etcpasswd.pdf"),
        ("Brief über Café", "Brief uber Cafe.pdf"),
        ("受診記録", "document.pdf"),
        (None, "document.pdf"),
        ("x" * 200, "x" * 80 + ".pdf"),
    ],
)
def test_safe_filename(title, expected):
    assert safe_filename(title, ".pdf") == expected
