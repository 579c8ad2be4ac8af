import threading

from hypothesis import given
from hypothesis import strategies as st

from pgo.literacy.readability import check, normalise, score, split_sentences, words


def test_abbreviations_do_not_split_sentences():
    text = "Eet minder zout, o.a. chips en kaas. Drink bijv. water."
    assert score(text, "nl").sentences == (
        "Eet minder zout, onder andere chips en kaas.",
        "Drink bijvoorbeeld water.",
    )
    assert len(score("Eat less salt, e.g. chips. Drink water, i.e. not soda.", "en").sentences) == 2


def test_short_sentences_count_and_list_items_are_sentences():
    result = score("Ja. Nee.\n- eerste punt\n- tweede punt\n<p>Een <b>vet</b> woord</p>", "nl")
    assert result.sentences == ("Ja.", "Nee.", "eerste punt.", "tweede punt.", "Een vet woord.")


def test_plain_dutch_passes_simple_and_hard_dutch_fails_with_reasons():
    assert check("Uw bloeddruk is te hoog. Vraag uw huisarts wat u kunt doen.", "nl", "simple") == []
    hard = (
        "Hemoglobine is een ijzerhoudend eiwit in de erytrocyten dat zuurstof transporteert van de longen "
        "naar de perifere weefsels in het lichaam."
    )
    problems = check(hard, "nl", "simple")
    kinds = {p.kind for p in problems}
    assert kinds == {"score", "average", "sentence"}
    assert next(p for p in problems if p.kind == "sentence").sentence.startswith("Hemoglobine")
    assert check(hard, "nl", "detailed") == []


def test_english_uses_grade_level():
    assert check("Your sugar is high. Ask your doctor what to do.", "en", "simple") == []
    hard = "Glycated haemoglobin characterises longitudinal glycaemic regulation physiologically."
    assert any(p.kind == "score" for p in check(hard, "en", "standard"))


def test_standard_allows_longer_sentences_than_simple():
    text = "Uw nieren halen afval uit uw bloed en maken er plas van, elke dag weer."
    assert check(text, "nl", "standard") == []
    assert [p.kind for p in check(text, "nl", "simple")] == ["average"]


def test_scoring_is_safe_across_threads():
    expected = {"nl": score("Uw suiker is hoog.", "nl"), "en": score("Your sugar is high.", "en")}
    errors = []

    def work(lang):
        for _ in range(50):
            if score({"nl": "Uw suiker is hoog.", "en": "Your sugar is high."}[lang], lang) != expected[lang]:
                errors.append(lang)

    threads = [threading.Thread(target=work, args=(lang,)) for lang in ("nl", "en") * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@given(st.text(max_size=300))
def test_any_text_scores_without_error(text):
    for lang in ("nl", "en"):
        result = score(text, lang)
        assert result.words == sum(len(words(sentence)) for sentence in result.sentences)  # #23: was `>= 0`
        assert len(split_sentences(normalise(text, lang))) == len(result.sentences)
