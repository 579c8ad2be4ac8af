"""One decision about a result: high, low, normal, not normal or unknown, and whether the lab's range can be used.

Issue #16 (2026-12-03): a lab sent its range with low and high swapped (45 - 35); the card flagged the normal value
36 as high while its own text said "lower than normal". Every place that says something about a result (the
card's flag, its colour, the words beside it, the explanation's personal part, the overview's counts) now asks
``judge`` and nothing else, so they cannot disagree.

The rules:
- The lab's own interpretation code (H, LL, A, N, ...) wins: the lab knows what it compared the value with (age,
  sex, method). Without a code the value is compared with the range.
- A range is used only when it is sane: low <= high, finite, and in units of the value (``range_problem``).
  Otherwise it is shown as the lab gave it, with a note, and only the lab's code is used.
- A value with a comparator ("< 5") is only called low or high when that is certain.
No Flask, no database: plain values in, a frozen answer out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

HIGH, LOW, NORMAL, ABNORMAL, UNKNOWN = "high", "low", "normal", "abnormal", "unknown"
# HL7 v3 ObservationInterpretation and SNOMED CT codes -> (status, far out of range)
INTERPRETATION_CODES: dict[str, tuple[str, bool]] = {
    "H": (HIGH, False), "HH": (HIGH, True), "HU": (HIGH, True), ">": (HIGH, True), "281302008": (HIGH, False),
    "L": (LOW, False), "LL": (LOW, True), "LU": (LOW, True), "<": (LOW, True), "281300000": (LOW, False),
    "A": (ABNORMAL, False), "AA": (ABNORMAL, True), "POS": (ABNORMAL, False), "DET": (ABNORMAL, False),
    "R": (ABNORMAL, False), "W": (ABNORMAL, False), "263654008": (ABNORMAL, False),
    "N": (NORMAL, False), "NEG": (NORMAL, False), "ND": (NORMAL, False), "17621005": (NORMAL, False),
}  # fmt: skip
REVERSED, NOT_FINITE, OTHER_UNIT = "reversed", "not-finite", "other-unit"


@dataclass(frozen=True)
class Judgement:
    status: str  # high, low, normal, abnormal, unknown
    far_out: bool = False
    range_problem: str = ""  # "", "reversed", "not-finite", "other-unit": the range is shown but not used
    from_code: bool = False  # the status is the lab's own code, not a comparison with the range

    @property
    def flag(self) -> str:
        """What the card flags (and the database keeps in ``RecordEntry.flag``): "", "high", "low", "abnormal"."""
        return self.status if self.status in (HIGH, LOW, ABNORMAL) else ""


def code_status(code: str | None) -> tuple[str, bool] | None:
    return INTERPRETATION_CODES.get(code.strip().upper()) if code else None


def range_problem(low: float | None, high: float | None, *, units_differ: bool = False) -> str:
    """Why this range cannot be used, or "" when it can (a range with one limit is fine)."""
    if any(limit is not None and not math.isfinite(limit) for limit in (low, high)):
        return NOT_FINITE
    if low is not None and high is not None and low > high:
        return REVERSED
    if units_differ and (low is not None or high is not None):
        return OTHER_UNIT
    return ""


def _compare(value: float, comparator: str, low: float | None, high: float | None) -> str:
    if comparator in ("<", "<="):  # the value is at most `value`
        if low is not None and (value < low or (value == low and comparator == "<")):
            return LOW
        return NORMAL if low is None and high is not None and value <= high else UNKNOWN
    if comparator in (">", ">="):  # the value is at least `value`
        if high is not None and (value > high or (value == high and comparator == ">")):
            return HIGH
        return NORMAL if high is None and low is not None and value >= low else UNKNOWN
    if low is not None and value < low:
        return LOW
    if high is not None and value > high:
        return HIGH
    return NORMAL


def judge(
    value: float | None,
    *,
    low: float | None = None,
    high: float | None = None,
    code: str | None = None,
    comparator: str = "",
    units_differ: bool = False,
) -> Judgement:
    """The one decision about a result; see the module's text for the rules."""
    problem = range_problem(low, high, units_differ=units_differ)
    if (from_code := code_status(code)) is not None:
        return Judgement(from_code[0], from_code[1], problem, from_code=True)
    if problem or value is None or not math.isfinite(value) or (low is None and high is None):
        return Judgement(UNKNOWN, False, problem)
    return Judgement(_compare(value, comparator, low, high), False, problem)


_LEGACY_CODES = {HIGH: "H", LOW: "L", ABNORMAL: "A"}


def stored_code(details: dict | None, flag: str, low: float | None, high: float | None) -> str | None:
    """The lab's own interpretation code of a stored result. Imports since #16 keep it in ``details``; older ones
    kept only a flag, from the code or from the range: with a range that cannot be used, a high or low flag may
    have come from that broken range, so it is not trusted."""
    details = details or {}
    if "interpretation" in details:
        return details["interpretation"] or None
    if flag in (HIGH, LOW) and range_problem(low, high):
        return None
    return _LEGACY_CODES.get(flag)


def judge_entry(entry) -> Judgement:
    """``judge`` for a stored ``RecordEntry`` (its number, comparator, range and the lab's code)."""
    details = entry.details or {}
    return judge(
        entry.value_num,
        low=entry.ref_low,
        high=entry.ref_high,
        code=stored_code(details, entry.flag, entry.ref_low, entry.ref_high),
        comparator=entry.comparator or "",
        units_differ=bool(details.get("range_unit_differs")),
    )
