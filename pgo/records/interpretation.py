"""Personal context for one result: the person's value against the lab's range and their previous result.

Computed from the data, never written per patient. It never names a diagnosis and always ends with what to ask
or whom to contact. Sentences are short so that they pass the readability gate at every level.
"""

from __future__ import annotations

from dataclasses import dataclass

from pgo import quantities
from pgo.i18n import _, use_locale
from pgo.records.ranges import ABNORMAL, HIGH, INTERPRETATION_CODES, LOW, NORMAL, UNKNOWN, Judgement, judge

__all__ = ["ABNORMAL", "HIGH", "INTERPRETATION_CODES", "LOW", "NORMAL", "UNKNOWN", "interpret"]
SAME_WITHIN = 0.05  # a change under 5% of the previous value counts as "about the same"


@dataclass(frozen=True)
class ReferenceRange:
    """The lab's normal range; either limit may be missing. `text` is the lab's own wording, if any."""

    low: float | None = None
    high: float | None = None
    text: str = ""


@dataclass(frozen=True)
class Interpretation:
    """What a person reads about their own result."""

    value: str
    unit: str
    range_text: str
    status: str  # high, low, normal, abnormal, unknown
    far_out: bool
    range_problem: str  # "" or why the lab's range was not used (pgo.records.ranges)
    direction: str | None  # higher, lower, same, or None without a previous number
    previous_status: str | None
    sentences: tuple[str, ...]
    ask: str
    spoken: tuple[str, ...] = ()  # the same sentences with units in words, for read-aloud

    @property
    def text(self) -> str:
        return " ".join((*self.sentences, self.ask))


def range_text(reference: ReferenceRange | None, unit: str = "", lang: str = "en", *, spoken: bool = False) -> str:
    """'3,5 - 5 mmol/l', '< 5', '> 60', or the lab's own text: numbers in the language's way at the range's own
    precision, the unit as people write it (``spoken``: in words, for read-aloud) (#16)."""
    if reference is None:
        return ""
    limits = [limit for limit in (reference.low, reference.high) if limit is not None]
    if not limits:
        return reference.text
    shown = quantities.unit_words(unit, lang) if spoken else quantities.unit_text(unit, lang)
    suffix = f" {shown}" if shown else ""
    places = max(quantities.own_decimals(limit) for limit in limits)
    low, high = (quantities.number_text(limit, lang, decimals=places) for limit in (reference.low, reference.high))
    if reference.low is None:
        return f"< {high}{suffix}"
    if reference.high is None:
        return f"> {low}{suffix}"
    return f"{low} - {high}{suffix}"


def status_of(
    value: float | str | None, reference: ReferenceRange | None, code: str | None, comparator: str = ""
) -> Judgement:
    """The one decision (``pgo.records.ranges.judge``): the lab's code first, else a sane range."""
    number = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
    low, high = (reference.low, reference.high) if reference else (None, None)
    return judge(number, low=low, high=high, code=code, comparator=comparator)


def _direction(value: float | str | None, previous: float | None) -> str | None:
    if not isinstance(value, int | float) or previous is None:
        return None
    if abs(value - previous) <= SAME_WITHIN * max(abs(previous), 1e-9):
        return "same"
    return "higher" if value > previous else "lower"


def _status_sentence(status: str, far_out: bool, level: str, ranges: str) -> str:
    if status == HIGH:
        if far_out:
            return _("Your result is much higher than normal.")
        if level == "detailed" and ranges:
            return _("Your result is above the reference range (%(range)s).", range=ranges)
        return _("Your result is higher than normal.")
    if status == LOW:
        if far_out:
            return _("Your result is much lower than normal.")
        if level == "detailed" and ranges:
            return _("Your result is below the reference range (%(range)s).", range=ranges)
        return _("Your result is lower than normal.")
    if status == ABNORMAL:
        return _("The lab marked your result as not normal.")
    if status == NORMAL:
        if level == "detailed" and ranges:
            return _("Your result is within the reference range (%(range)s).", range=ranges)
        return _("Your result is normal.")
    if ranges:  # a range the value cannot be held against: "<= 3.5" against 3.5 - 5, or the lab's own words (#23)
        return _("It is not clear if your result is normal.")
    return _("The lab did not give a normal value for this result.")


def _range_sentence(level: str, ranges: str) -> str | None:
    if not ranges or level == "detailed":
        return None
    if level == "simple":
        return _("Normal is %(range)s.", range=ranges)
    return _("The lab's normal range is %(range)s.", range=ranges)


def _previous_sentences(direction: str | None, previous_status: str | None, status: str) -> list[str]:
    found = []
    if direction == "higher":
        found.append(_("It is higher than last time."))
    elif direction == "lower":
        found.append(_("It is lower than last time."))
    elif direction == "same":
        found.append(_("It is about the same as last time."))
    if previous_status in (HIGH, LOW, ABNORMAL) and previous_status == status:
        found.append(
            {HIGH: _("Last time it was also high."), LOW: _("Last time it was also low.")}.get(
                previous_status, _("Last time it was also not normal.")
            )
        )
    elif previous_status == NORMAL and status in (HIGH, LOW, ABNORMAL):
        found.append(_("Last time it was normal."))
    return found


def _ask(status: str, far_out: bool) -> str:
    if far_out:
        return _("Contact your doctor soon about this result.")
    if status in (HIGH, LOW, ABNORMAL):
        return _("Ask your doctor what this means for you.")
    if status == UNKNOWN:
        return _("Ask your doctor what this result means.")
    return _("Do you have questions? Ask your doctor or nurse.")


def _range_problem_sentences(problem: str, ranges: str) -> list[str]:
    if not problem:
        return []
    if ranges:
        return [_("The normal range the lab gave looks wrong: %(range)s.", range=ranges),
                _("So we do not compare your result with it.")]  # fmt: skip
    return [_("The normal range the lab gave looks wrong."), _("So we do not compare your result with it.")]


def _sentences(value, status: str, far_out: bool, problem: str, level: str, ranges: str, is_lab: bool) -> list[str]:
    sentences = []
    if isinstance(value, str) and value.strip():
        text = value.strip().rstrip(".")
        sentences.append(
            _("The lab wrote: %(text)s.", text=text) if is_lab else _("Your record says: %(text)s.", text=text)
        )
    if status != UNKNOWN or (is_lab and not problem):
        sentences.append(_status_sentence(status, far_out, level, "" if problem else ranges))
    if problem:
        sentences.extend(_range_problem_sentences(problem, ranges))
    elif (extra := _range_sentence(level, ranges)) and status != UNKNOWN:
        sentences.append(extra)
    return sentences


def interpret(
    value: float | str | None,
    unit: str = "",
    *,
    reference: ReferenceRange | None = None,
    interpretation_code: str | None = None,
    previous: float | str | None = None,
    previous_interpretation_code: str | None = None,
    level: str = "standard",
    lang: str = "nl",
    comparator: str = "",
    judgement: Judgement | None = None,
    kind: str = "lab",
) -> Interpretation:
    """Words about this result at the person's level and language. Text values are shown as the lab wrote them.

    ``judgement``: the decision the card's flag was made from (``pgo.records.ranges.judge_entry``), so that the
    words and the flag cannot disagree (#16); without it the same decision is made here from the same inputs.
    ``kind``: "lab" for lab results; other observations (vital signs, scores, social history) never get the lab's
    sentences about a missing normal value.
    """
    decided = judgement or status_of(value, reference, interpretation_code, comparator)
    status, far_out, problem = decided.status, decided.far_out, decided.range_problem
    previous_status = None
    if previous is not None or previous_interpretation_code:
        previous_status = status_of(previous, reference, previous_interpretation_code).status
        if problem and not previous_interpretation_code:
            previous_status = None  # never a comparison with a range that is not used
    direction = _direction(value, previous if isinstance(previous, int | float) else None)
    ranges = range_text(reference, unit, lang)
    is_lab = kind == "lab"
    with use_locale(lang):
        sentences = _sentences(value, status, far_out, problem, level, ranges, is_lab)
        spoken = _sentences(
            value, status, far_out, problem, level, range_text(reference, unit, lang, spoken=True), is_lab
        )
        sentences.extend(_previous_sentences(direction, previous_status, status))
        spoken.extend(_previous_sentences(direction, previous_status, status))
        if problem and status == UNKNOWN:
            ask = _("Ask your doctor what is normal for you.")
        elif status == UNKNOWN and not is_lab:
            ask = _("Do you have questions? Ask your doctor or nurse.")
        else:
            ask = _ask(status, far_out)
    limits = (reference.low, reference.high) if reference else ()
    shown = quantities.number_text(value, lang, limits=limits) if isinstance(value, int | float) else (value or "")
    return Interpretation(
        shown, unit, ranges, status, far_out, problem, direction, previous_status, tuple(sentences), ask, tuple(spoken)
    )
