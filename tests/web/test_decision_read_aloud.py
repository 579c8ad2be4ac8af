"""Each decision-aid step can be read aloud (#18): the link is on every step, the audio is the step's own words,
and only the patient whose answers they are can hear it."""

from __future__ import annotations

import re

import pytest
from decisions_web_helpers import practice, signed_in, token_of

from pgo.literacy import read_aloud


@pytest.fixture
def people(db_session, make_user):
    return practice(db_session, make_user)


def test_every_step_has_a_read_aloud_link_with_the_steps_words(app, people, monkeypatch):
    anna = signed_in(app, "anna@example.nl")
    response = anna.post("/decisions/start/high-blood-pressure", data={"csrf_token": token_of(anna, "/decisions/")})
    rid = re.search(r"/responses/(\d+)/", response.headers["Location"]).group(1)
    spoken = []
    monkeypatch.setattr(read_aloud, "synthesize", lambda text, lang, **_: spoken.append((text, lang)) or b"RIFF....")
    for number in range(1, 8):
        page = anna.get(f"/decisions/responses/{rid}/steps/{number}").get_data(as_text=True)
        link = re.search(r'class="read-aloud" href="([^"]+)"[^>]*>.*?Deze stap voorlezen', page, re.S)
        assert link, f"no read-aloud link on step {number}"
        heading = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1).strip()
        audio = anna.get(link.group(1))
        assert audio.status_code == 200 and audio.headers["Content-Type"] == "audio/wav"
        text, lang = spoken[-1]
        assert text.startswith(heading) and lang == "nl"
        assert "Opslaan en verder" not in text  # the buttons are not read
    bert = signed_in(app, "bert@example.nl")
    assert bert.get(f"/decisions/responses/{rid}/steps/1/read-aloud").status_code == 404
