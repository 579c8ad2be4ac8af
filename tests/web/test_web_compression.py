"""Text answers are gzip-compressed when the browser accepts it; conditional requests still get 304."""

import gzip

import pytest
from flask.testing import FlaskClient

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def client(app):
    """A plain client: the checking client reads every page as text, which a gzip body is not."""
    return FlaskClient(app, app.response_class, use_cookies=True)


def test_static_javascript_is_sent_compressed_and_decompresses_to_the_file(client, app):
    plain = client.get("/static/htmx.min.js")
    packed = client.get("/static/htmx.min.js", headers=GZIP)
    assert packed.status_code == 200 and packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert int(packed.headers["Content-Length"]) == len(packed.get_data()) < len(plain.get_data()) / 2
    assert packed.headers["ETag"].startswith('W/"')
    again = client.get("/static/htmx.min.js", headers={**GZIP, "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304 and not again.get_data()


def test_pages_are_compressed_only_for_browsers_that_ask(client):
    asked = client.get("/", headers=GZIP)
    assert asked.headers.get("Content-Encoding") == "gzip"
    assert b"<!doctype html>" in gzip.decompress(asked.get_data()).lower()
    plain = client.get("/")
    assert "Content-Encoding" not in plain.headers and b"<!doctype html>" in plain.get_data().lower()


def test_tiny_and_binary_answers_are_left_alone(client):
    assert "Content-Encoding" not in client.get("/hello", headers=GZIP).headers
    assert "Content-Encoding" not in client.get("/static/no-such-file.js", headers=GZIP).headers
