"""Text answers are gzip-compressed when the browser accepts it; conditional requests still get 304."""

import gzip
import re
import zlib

import pytest
from flask.testing import FlaskClient

from pgo.web.compression import deflate_part, gzip_with_parts
from pgo.web.fragments import store

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


def _inflate_one_member(packed: bytes) -> bytes:
    """The data of exactly one gzip member (gzip.decompress would also accept several, or trailing bytes)."""
    inflater = zlib.decompressobj(wbits=31)
    data = inflater.decompress(packed)
    assert inflater.eof and inflater.unused_data == b""
    return data


FRAME = b"<header>" + b"".join(b"<a href='/page/%d'>menu %d</a>" % (i, i) for i in range(40)) + b"</header>"
PART = b"<section>" + b"".join(b"<p>record %d: glucose %d mmol/L</p>" % (i, i % 9) for i in range(300)) + b"</section>"


@pytest.mark.parametrize(
    "body",
    [
        FRAME + PART + FRAME,  # the frame around the part repeats itself: no reference may cross the part
        PART + FRAME,
        FRAME + PART,
        PART,
        FRAME + PART + FRAME + PART + FRAME,  # the first place is copied, the second compressed
        PART[:200] + FRAME + PART + FRAME,  # the part's beginning alone is no place for it
    ],
)
def test_a_kept_part_is_copied_into_one_gzip_member_that_inflates_to_the_body(body):
    packed = deflate_part(PART)
    answer = gzip_with_parts(body, [(PART, packed)])
    assert _inflate_one_member(answer) == body
    assert packed in answer
    assert len(answer) < len(body) / 4


def test_parts_that_are_not_in_the_body_or_overlap_are_compressed_as_usual():
    body = FRAME + PART + FRAME
    inner = PART[100:2000]
    parts = [(b"<nav>not here</nav>", deflate_part(b"<nav>not here</nav>")), (PART, deflate_part(PART))]
    parts.append((inner, deflate_part(inner)))
    answer = gzip_with_parts(body, parts)
    assert _inflate_one_member(answer) == body
    assert deflate_part(PART) in answer and deflate_part(inner) not in answer
    assert _inflate_one_member(gzip_with_parts(body)) == body


def test_a_repeated_record_page_copies_its_kept_compressed_part_and_inflates_to_the_page(
    app, client, make_user, sign_in
):
    make_user("piet@example.nl", name="Piet")
    sign_in("piet@example.nl")
    first = client.get("/records", headers=GZIP)
    second = client.get("/records", headers=GZIP)
    [kept] = store(app)._items.values()  # noqa: SLF001  (the one page kept)
    for answer in (first, second):
        assert answer.headers["Content-Encoding"] == "gzip" and kept.packed in answer.get_data()
        page = _inflate_one_member(answer.get_data())
        assert kept.data in page and page.startswith(b"<!doctype html>") and page.endswith(b"</html>")
    plain = client.get("/records").get_data()
    token = re.compile(rb'"X-CSRFToken": "[^"]+"|name="csrf_token" value="[^"]+"')
    assert token.sub(b"", plain) == token.sub(b"", _inflate_one_member(second.get_data()))
