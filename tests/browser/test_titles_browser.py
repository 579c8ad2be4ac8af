"""#16 (2026-12-03): at 320 px with extra-large text, long words in record titles break at a syllable, with a
hyphen, in the title's own language, and nothing is wider than the screen. Before, "Lipoprotei/n" broke anywhere:
Debian's Chromium has no hyphenation dictionary, so CSS ``hyphens: auto`` alone did nothing."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TITLES_EMAIL = "titles@example.nl"
LOCAL = "urn:oid:2.16.840.1.113883.2.4.3.999.16"  # codes the catalogue does not know: the data's display is shown
TITLES = {
    "T1": "Erytrocytensedimentatiesnelheid",
    "T2": "Low Density Lipoprotein Cholesterol",
    "T3": "Lipoproteïnecholesterolconcentratie",
    "T4": "Hyperlipoproteinemia screening",
}


def _observation(code: str, display: str) -> dict:
    return {
        "resourceType": "Observation", "id": code.lower(), "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                  "code": "laboratory"}]}],
        "code": {"coding": [{"system": LOCAL, "code": code, "display": display}]},
        "effectiveDateTime": "2026-11-02", "valueQuantity": {"value": 4, "unit": "mmol/L"},
    }  # fmt: skip


@pytest.fixture(scope="module")
def titles_patient(live_server):
    from sqlmodel import Session

    from pgo.accounts.service import create_user, find_user
    from pgo.demo import DEMO_PASSWORD
    from pgo.records.importing import import_resources

    with Session(live_server["app"].extensions["pgo_engine"]) as session:
        if find_user(session, TITLES_EMAIL) is None:
            user = create_user(session=session, email=TITLES_EMAIL, password=DEMO_PASSWORD, name="Tessa")
            resources = [_observation(code, display) for code, display in TITLES.items()]
            import_resources(session=session, user_id=user.id, resources=resources, source="Lab Noord")
            session.commit()
    return TITLES_EMAIL


# For each title: its words, and for each break between two lines inside a word whether a soft hyphen stood there.
LINE_BREAKS = """
() => [...document.querySelectorAll('main .record-title')].map((title) => {
  const node = title.firstChild;
  const text = node.textContent;
  const tops = [];
  for (let i = 0; i < text.length; i++) {
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);  // a range at a line's end spans two
    tops.push(rects.length ? Math.round(rects[rects.length - 1].top) : null);
  }
  const breaks = [];
  let last = -1;
  for (let i = 0; i < text.length; i++) {
    if (tops[i] === null || /\\s/.test(text[i])) { if (/\\s/.test(text[i])) last = -1; continue; }
    if (last >= 0 && tops[i] > tops[last]) {
      breaks.push({word: text.slice(0, i), soft: text.slice(last, i).includes('\\u00ad')});
    }
    last = i;
  }
  return {text, lang: title.getAttribute('lang'), breaks, wide: title.scrollWidth > title.clientWidth};
})
"""


@pytest.mark.parametrize("language", ["nl", "en"])
def test_long_title_words_break_at_syllables_at_320_px(pages, titles_patient, language, console_errors):
    page = pages.page
    # Given Tessa reads with extra-large text on a small phone
    pages.sign_in(titles_patient)
    pages.choose_display("large-text", language)
    page.set_viewport_size({"width": 320, "height": 800})
    # When she opens her results
    pages.open("/records/results")
    found = page.evaluate(LINE_BREAKS)
    assert len(found) >= len(TITLES)
    # Then every word that does not fit breaks at a syllable, with a hyphen, never anywhere else
    broken = [b for title in found for b in title["breaks"]]
    assert broken, "at 320 px with extra-large text some title words must break"
    assert all(b["soft"] for b in broken), [b["word"] for b in broken if not b["soft"]]
    # And each title says its language, so that it is hyphenated (and read aloud) by that language's rules
    langs = {title["text"].replace("\u00ad", ""): title["lang"] for title in found}
    assert langs["Low Density Lipoprotein Cholesterol"] == "en"
    assert langs["Erytrocytensedimentatiesnelheid"] == "nl"
    # And nothing is wider than her screen
    assert not any(title["wide"] for title in found)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    pages.assert_accessible("/records/results at 320 px, extra-large text")
    assert console_errors == []
