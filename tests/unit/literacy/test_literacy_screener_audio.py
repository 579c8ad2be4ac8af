import shutil

import pytest

from pgo.i18n import use_locale
from pgo.levels import ReadingLevel
from pgo.literacy.read_aloud import synthesize
from pgo.literacy.screener import answers, question, suggest_level


def test_screener_suggests_simple_above_two():
    assert [a.score for a in answers()] == [1, 2, 3, 4, 5]
    assert [suggest_level(a.score) for a in answers()] == [ReadingLevel.STANDARD] * 2 + [ReadingLevel.SIMPLE] * 3
    with pytest.raises(ValueError, match="scored 1 to 5"):
        suggest_level(6)


def test_screener_in_dutch_and_english():
    with use_locale("nl"):
        assert question().startswith("Hoe vaak") and answers()[0].label == "Nooit"
    with use_locale("en"):
        assert question().startswith("How often") and answers()[4].label == "Always"


@pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng not installed")
def test_read_aloud_gives_wav_per_language_and_caches(tmp_path):
    dutch = synthesize("Uw bloeddruk is goed.", "nl", cache_dir=tmp_path)
    english = synthesize("Uw bloeddruk is goed.", "en", cache_dir=tmp_path)
    for audio in (dutch, english):
        assert audio[:4] == b"RIFF" and audio[8:12] == b"WAVE" and len(audio) > 10_000
    assert dutch != english
    assert len(list(tmp_path.glob("*.wav"))) == 2
    assert synthesize("Uw  bloeddruk is goed.", "nl", cache_dir=tmp_path) == dutch


def test_read_aloud_refuses_unknown_language_and_empty_text():
    with pytest.raises(ValueError, match="no voice for language 'fr'"):
        synthesize("hallo", "fr")
    with pytest.raises(ValueError, match="nothing to read aloud"):
        synthesize("   ", "nl")
