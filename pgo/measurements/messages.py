"""What a person reads when an entry is not right, at their reading level (simple / standard / detailed).

One wording pattern per kind of problem. Numbers are written the way the person's language writes them
("72,5" in Dutch).
"""

from __future__ import annotations

from functools import lru_cache

from babel.numbers import format_decimal

from pgo.i18n import _, current_locale
from pgo.levels import ReadingLevel
from pgo.measurements.types import FieldSpec, unit_symbol


def number(value: float, decimals: int = 1) -> str:
    """A number in the current language, with at most ``decimals`` decimals."""
    if not abs(value) < 1e12:  # absurd input: no locale formatting (babel's decimal context would overflow)
        return f"{value:.3g}"
    return _formatted(round(value, decimals), decimals, current_locale())


@lru_cache(maxsize=4096)
def _formatted(value: float, decimals: int, lang: str) -> str:
    """Babel's formatting costs ~25 µs; a history of a month writes the same few hundred numbers again and again."""
    pattern = "0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=lang)


def label(spec: FieldSpec, level: str) -> str:
    return str(spec.simple_label if level == ReadingLevel.SIMPLE else spec.label)


def missing(spec: FieldSpec, unit: str, level: str) -> str:
    if level == ReadingLevel.SIMPLE:
        return _("Fill in this number: %(field)s.", field=label(spec, level))
    if level == ReadingLevel.DETAILED and unit_symbol(unit):
        return _("Enter a value for %(field)s in %(unit)s.", field=label(spec, level), unit=unit_symbol(unit))
    return _("Enter a value for %(field)s.", field=label(spec, level))


def not_a_number(spec: FieldSpec, level: str) -> str:
    example = number(72.5)
    if level == ReadingLevel.SIMPLE:
        return _("Write only a number, like %(example)s.", example=example)
    return _("%(field)s must be a number, for example %(example)s.", field=label(spec, level), example=example)


def not_whole(spec: FieldSpec, level: str) -> str:
    if level == ReadingLevel.SIMPLE:
        return _("Choose a whole number, like 3.")
    return _("%(field)s must be a whole number.", field=label(spec, level))


def impossible(spec: FieldSpec, value: float, low: float, high: float, unit: str, level: str) -> str:
    if level == ReadingLevel.SIMPLE:
        return _("This number cannot be right. Look at your meter again.")
    args = {"field": label(spec, level), "low": number(low), "high": number(high)}
    if level == ReadingLevel.DETAILED:
        return _(
            "%(field)s must be between %(low)s and %(high)s %(unit)s. %(value)s %(unit)s is not possible.",
            value=number(value, 2),
            unit=unit_symbol(unit),
            **args,
        )
    return _("%(field)s must be between %(low)s and %(high)s.", **args)


def unlikely(spec: FieldSpec, value: float, low: float, high: float, unit: str, level: str) -> str:
    if level == ReadingLevel.SIMPLE:
        return _("This number is unusual. Look again. Is it right? Then confirm it.")
    args = {"field": label(spec, level), "value": number(value, 2), "unit": unit_symbol(unit)}
    if level == ReadingLevel.DETAILED:
        return _(
            "%(field)s of %(value)s %(unit)s is outside the usual range of %(low)s to %(high)s %(unit)s. "
            "Check the value, and confirm it if it is right.",
            low=number(low),
            high=number(high),
            **args,
        )
    return _("%(field)s of %(value)s %(unit)s is unusual. Check the value, and confirm it if it is right.", **args)


def systolic_not_above_diastolic(systolic: float, diastolic: float, level: str) -> str:
    if level == ReadingLevel.SIMPLE:
        return _("The upper number must be higher than the lower number.")
    if level == ReadingLevel.DETAILED:
        return _(
            "Systolic (%(systolic)s) must be higher than diastolic (%(diastolic)s). Did you swap them?",
            systolic=number(systolic),
            diastolic=number(diastolic),
        )
    return _("Systolic must be higher than diastolic.")


def no_time(level: str) -> str:
    if level == ReadingLevel.SIMPLE:
        return _("Fill in when you measured.")
    return _("Enter the date and time of the measurement.")


def in_future(level: str) -> str:
    if level == ReadingLevel.SIMPLE:
        return _("This time has not come yet. Fill in when you measured.")
    return _("The date and time of the measurement cannot be in the future.")


def too_early(level: str) -> str:
    if level == ReadingLevel.SIMPLE:
        return _("This date is too long ago. Fill in a date from 1900 on.")
    return _("The date of the measurement cannot be before 1900.")


def unknown_unit(level: str) -> str:
    if level == ReadingLevel.SIMPLE:
        return _("Choose a unit from the list.")
    return _("Choose one of the units in the list.")


def note_missing(level: str) -> str:
    if level == ReadingLevel.SIMPLE:
        return _("Write a few words about how you feel.")
    return _("Write how you feel today.")


def note_too_long(limit: int) -> str:
    return _("Keep your note under %(n)s characters.", n=limit)
