import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pgo.i18n import use_locale
from pgo.literacy.readability import Problem, Readability, check, normalise, score, split_sentences, words


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


# --- #23 (2026-12-03): the scores, the writer's messages and the normalising, with values worked out by hand ---


def test_english_scores_counted_by_hand():
    # 9 one-syllable words in 2 sentences: 4.5 words a sentence, 1 syllable a word.
    # Flesch reading ease 206.835 - 1.015 x 4.5 - 84.6 x 1 = 117.67; grade 0.39 x 4.5 + 11.8 - 15.59 = -2.035
    assert score("The cat sat on the mat. It is warm.", "en") == Readability(
        lang="en",
        sentences=("The cat sat on the mat.", "It is warm."),
        words=9,
        syllables=9,
        reading_ease=117.7,
        grade=-2.0,
        average_words=4.5,
        longest_sentence_words=6,
    )


def test_dutch_scores_count_every_sentence_and_a_number_as_one_syllable():
    # wa-ter is goed / drink veel wa-ter: 6 words, 8 syllables in 2 sentences (3 words a sentence)
    # Flesch-Douma 206.835 - 0.93 x 3 - 77 x 8/6 = 101.38; grade 0.39 x 3 + 11.8 x 8/6 - 15.59 = 1.31
    two = score("Water is goed. Drink veel water.", "nl")
    assert (two.words, two.syllables, two.reading_ease, two.grade) == (6, 8, 101.4, 1.3)
    # neem / 2 / pil-len: a number is read as one syllable, 4 in all
    number = score("Neem 2 pillen.", "nl")
    assert (number.words, number.syllables, number.reading_ease, number.grade) == (3, 4, 101.4, 1.3)
    # one word of one syllable: 206.835 - 0.93 - 77 = 128.905; 0.39 + 11.8 - 15.59 = -3.4
    one = score("Ja.", "nl")
    assert (one.words, one.syllables, one.reading_ease, one.grade) == (1, 1, 128.9, -3.4)


def test_average_sentence_length_is_rounded_to_one_decimal():
    # 2 + 2 + 6 words in 3 sentences: 3.33 words a sentence, the longest 6
    result = score("Drink water. Eet fruit. Beweeg elke dag een half uur.", "nl")
    assert (result.average_words, result.longest_sentence_words) == (3.3, 6)


def test_an_empty_text_has_no_sentences_and_no_longest_sentence():
    empty = score("", "nl")
    assert (empty.sentences, empty.words, empty.syllables, empty.longest_sentence_words) == ((), 0, 0, 0)
    assert check("", "nl", "simple") == []


def test_an_unsupported_language_is_refused_by_name():
    with pytest.raises(ValueError, match="unsupported language 'de'"):
        score("Der Blutdruck ist hoch.", "de")


def test_summary_line_of_the_catalogue_check():
    assert score("The cat sat on the mat. It is warm.", "en").summary() == (
        "FK grade -2.0, 2 sentences, avg 4.5 words, longest 6"
    )
    assert score("Water is goed. Drink veel water.", "nl").summary() == (
        "Flesch-Douma 101, 2 sentences, avg 3.0 words, longest 3"
    )


# 16 words in one sentence, 8 of two syllables: 1.5 syllables a word.
# Flesch-Douma 206.835 - 0.93 x 16 - 77 x 1.5 = 76.455 (below 80); 16 words a sentence (above 10 and 15).
DUTCH_TOO_HARD = " ".join(["water"] * 8 + ["kat"] * 8).capitalize() + "."
# 16 words, 9 of two syllables: grade 0.39 x 16 + 11.8 x 25/16 - 15.59 = 9.0875 (above 6).
ENGLISH_TOO_HARD = " ".join(["water"] * 9 + ["cat"] * 7).capitalize() + "."


def test_problems_tell_the_writer_the_value_the_limit_and_the_sentence_in_english():
    with use_locale("en"):
        assert check(DUTCH_TOO_HARD, "nl", "simple") == [
            Problem("score", "Reading ease 76.5 is below 80: use shorter words and sentences.", 76.5, 80),
            Problem("average", "Sentences have 16.0 words on average; the limit is 10.", 16.0, 10),
            Problem(
                "sentence",
                f"This sentence has 16 words; the limit is 15: {DUTCH_TOO_HARD}",
                16,
                15,
                DUTCH_TOO_HARD,
            ),
        ]
        assert check(ENGLISH_TOO_HARD, "en", "simple")[0] == Problem(
            "score", "Grade level 9.1 is above 6: use shorter words and sentences.", 9.1, 6
        )


def test_problems_tell_the_writer_the_value_the_limit_and_the_sentence_in_dutch():
    with use_locale("nl"):
        assert [p.message for p in check(ENGLISH_TOO_HARD, "en", "simple")] == [
            "Leesniveau 9.1 is hoger dan 6: gebruik kortere woorden en zinnen.",
            "Zinnen hebben gemiddeld 16.0 woorden; de grens is 10.",
            f"Deze zin heeft 16 woorden; de grens is 15: {ENGLISH_TOO_HARD}",
        ]
        assert check(DUTCH_TOO_HARD, "nl", "simple")[0].message == (
            "Leesgemak 76.5 is lager dan 80: gebruik kortere woorden en zinnen."
        )


def test_abbreviations_are_written_out_with_spaces_and_at_the_start_of_a_sentence():
    assert normalise("Bijv. water helpt. Drink d. w. z. veel.", "nl") == (
        "Bijvoorbeeld water helpt. Drink dat wil zeggen veel."
    )
    assert score("E.g. water helps. Drink i. e. a glass.", "en").sentences == (
        "For example water helps.",
        "Drink that is a glass.",
    )


def test_markdown_marks_are_dropped_and_a_colon_or_semicolon_closes_a_sentence():
    assert normalise("**Let op**: drink `water`.", "nl") == "Let op: drink water."
    assert split_sentences("Let op: neem water; drink veel.") == ["Let op.", "neem water.", "drink veel."]
