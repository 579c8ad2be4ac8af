"""Numbers as people type them, and unit conversion with pint.

``parse_number`` accepts Dutch and English decimals ("72,5", "72.5", " 72 "), never thousands separators
(a home meter never shows them and "1.234" or "1 234" would be ambiguous); a space between two digits is refused.
Conversion between the units a person may enter goes through pint; blood glucose between mmol/L and mg/dL needs
the molar mass of glucose, 180.16 g/mol (C6H12O6).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from functools import cache

import pint

GLUCOSE_MOLAR_MASS = 180.16  # g/mol

# UCUM code -> pint unit expression.
PINT_UNITS: dict[str, str] = {
    "kg": "kilogram",
    "g": "gram",
    "[lb_av]": "pound",
    "cm": "centimeter",
    "m": "meter",
    "[in_i]": "inch",
    "Cel": "degC",
    "[degF]": "degF",
    "mmol/L": "millimole / liter",
    "mg/dL": "milligram / deciliter",
    "mm[Hg]": "millimeter_Hg",
    "/min": "1 / minute",
    "L/min": "liter / minute",
    "l/min": "liter / minute",
    "%": "percent",
    "{score}": "dimensionless",
}

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_DIGITS_APART = re.compile(r"\d\s+\d")


class UnitError(ValueError):
    """Two units that cannot be converted into each other."""


@cache
def registry() -> pint.UnitRegistry:
    return pint.UnitRegistry(autoconvert_offset_to_baseunit=True)


def parse_number(text: object) -> float | None:
    """A finite number from what a person typed, or None when it is not one."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        return float(text) if math.isfinite(text) else None
    if not isinstance(text, str):
        return None
    typed = text.strip().replace("\u2212", "-")
    if _DIGITS_APART.search(typed):  # "7 2" or "1 234": a typo or a thousands separator, not a number to guess
        return None
    cleaned = typed.replace(" ", "")
    if not _NUMBER.match(cleaned):
        return None
    try:
        number = float(Decimal(cleaned.replace(",", ".")))
    except (InvalidOperation, ValueError):
        return None
    return number if math.isfinite(number) else None


def _is_glucose_pair(source: str, target: str) -> bool:
    return {source, target} == {"mmol/L", "mg/dL"}


def convert(value: float, source: str, target: str) -> float:
    """``value`` in UCUM unit ``source`` expressed in UCUM unit ``target``."""
    if source == target:
        return value
    try:
        ureg = registry()
        quantity = ureg.Quantity(value, PINT_UNITS[source])
        if _is_glucose_pair(source, target):
            molar_mass = ureg.Quantity(GLUCOSE_MOLAR_MASS, "gram / mole")
            quantity = quantity / molar_mass if source == "mg/dL" else quantity * molar_mass
        return float(quantity.to(PINT_UNITS[target]).magnitude)
    except (KeyError, pint.errors.DimensionalityError) as error:
        raise UnitError(f"cannot convert {source} to {target}") from error
