"""Upload limits at the limit, below and above (#23, 2026-12-03): at most 20 files in one import, and a request
body of at most 50 MiB (a larger one gets the 413 page in the reader's language)."""

from __future__ import annotations

import io

import pytest
from helpers import csrf_token

MAX_BODY = 50 * 1024 * 1024
BOUNDARY = "pgo-limit-boundary"


@pytest.fixture
def anna(make_user, sign_in):
    user = make_user("anna@example.nl", name="Anna")
    sign_in("anna@example.nl")
    return user


def _files(n: int) -> list:
    return [(io.BytesIO(b"{}"), f"f{i}.txt") for i in range(n)]


@pytest.mark.parametrize(("count", "refused"), [(19, False), (20, False), (21, True)])
def test_at_most_twenty_files_at_a_time(client, anna, count, refused):
    data = {"csrf_token": csrf_token(client, "/records/import"), "files": _files(count)}
    response = client.post("/records/import", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert (response.status_code == 400) is refused
    assert ("Kies niet meer dan 20 bestanden tegelijk." in page) is refused


def _body_of(size: int, token: str) -> bytes:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    body = head + b"a" * (size - len(head) - len(tail)) + tail
    assert len(body) == size
    return body


@pytest.mark.parametrize(("size", "too_large"), [(MAX_BODY, False), (MAX_BODY + 1, True)])
def test_a_request_body_of_at_most_50_mib(client, anna, size, too_large):
    token = csrf_token(client, "/records/import")
    response = client.post(
        "/records/import",
        data=_body_of(size, token),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    if too_large:
        assert response.status_code == 413
        assert "Het bestand is te groot" in response.get_data(as_text=True)
    else:
        assert response.status_code == 303  # the .txt file is refused by name in the report, not by size
