"""Numbers and units the way people read and hear them (#16, 2026-12-03). No Flask.

``number_text`` writes a number in the language's own way (Babel: "143", "4,2", "12.346" in Dutch) with a
precision that fits the result: the value's own decimals, but no more than the reference range has (at least two
significant digits), or three significant digits without a range; never float noise ("0,30000000000000004").

``unit_text`` and ``unit_words`` turn a UCUM code into what a Dutch or English patient reads ("mmol/l",
"µmol/l", "mmHg", "ml/min/1,73 m²", nothing for pH) and hears ("millimol per liter"). The code is parsed (terms
joined by "." and "/", prefixes, exponents, annotations), not string-replaced; ``conversion_factor`` uses the
same parse to say whether two units measure the same thing (a range in mg/dL beside a value in mmol/L is not).
Codes the parser does not know are shown without UCUM's brackets and annotations.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from babel.numbers import format_decimal

LOCALES = {"nl": "nl_NL", "en": "en_GB"}
MAX_DECIMALS = 6


# ---------------------------------------------------------------------------------------------------------- numbers


def own_decimals(value: float) -> int:
    """The decimals the value was written with (from its shortest repr: 143.255 -> 3, 5.0 -> 0, 1e-05 -> 5)."""
    if not math.isfinite(value) or value == int(value):
        return 0
    text = repr(float(value)).lower()
    if "e" in text:
        mantissa, exponent = text.split("e")
        digits = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return max(0, digits - int(exponent))
    return len(text.split(".")[1])


def significant_decimals(value: float, digits: int) -> int:
    """The decimals that give ``value`` this many significant digits (143.2 -> 0 for 3, 0.0412 -> 3 for 2)."""
    if value == 0 or not math.isfinite(value):
        return 0
    return max(0, digits - 1 - math.floor(math.log10(abs(value))))


def decimals_for(value: float, *limits: float | None) -> int:
    """How many decimals to show: see the module's text."""
    own = own_decimals(value)
    known = [limit for limit in limits if limit is not None and math.isfinite(limit)]
    if known:
        wanted = max(max(own_decimals(limit) for limit in known), significant_decimals(value, 2))
    else:
        wanted = significant_decimals(value, 3)
    return min(own, wanted, MAX_DECIMALS)


def number_text(value: float | None, lang: str = "nl", *, decimals: int | None = None, limits=()) -> str:
    """``value`` in the language's way of writing numbers, at ``decimals`` (or ``decimals_for``) at most."""
    if value is None:
        return ""
    if not math.isfinite(value):
        return str(value)
    places = decimals_for(value, *limits) if decimals is None else min(decimals, MAX_DECIMALS)
    pattern = "#,##0" + ("." + "#" * places if places else "")
    return format_decimal(value, format=pattern, locale=LOCALES.get(lang, "nl_NL"), decimal_quantization=True)


# ------------------------------------------------------------------------------------------------------------ units


@dataclass(frozen=True)
class Atom:
    """A UCUM unit atom: written (nl, en), spoken (nl, en), and its size in base dimensions for comparisons."""

    nl: str
    en: str
    spoken_nl: str
    spoken_en: str
    dimension: str = ""  # "" for dimensionless
    factor: float = 1.0
    prefixable: bool = True


ATOMS: dict[str, Atom] = {
    "g": Atom("g", "g", "gram", "gram", "g"),
    "L": Atom("l", "L", "liter", "litre", "L"),
    "l": Atom("l", "L", "liter", "litre", "L"),
    "mol": Atom("mol", "mol", "mol", "mole", "mol"),
    "eq": Atom("eq", "eq", "equivalent", "equivalent", "eq"),
    "m": Atom("m", "m", "meter", "metre", "m"),
    "s": Atom("s", "s", "seconde", "second", "s"),
    "min": Atom("min", "min", "minuut", "minute", "s", 60, False),
    "h": Atom("uur", "h", "uur", "hour", "s", 3600, False),
    "d": Atom("dag", "day", "dag", "day", "s", 86400, False),
    "wk": Atom("week", "week", "week", "week", "s", 604800, False),
    "mo": Atom("maand", "month", "maand", "month", "s", 2629800, False),
    "a": Atom("jaar", "year", "jaar", "year", "s", 31557600, False),
    "Cel": Atom("°C", "°C", "graden Celsius", "degrees Celsius", "Cel", 1, False),
    "[degF]": Atom("°F", "°F", "graden Fahrenheit", "degrees Fahrenheit", "degF", 1, False),
    "[Hg]": Atom("Hg", "Hg", "kwik", "of mercury", "Hg"),
    "mm[Hg]": Atom("mmHg", "mmHg", "millimeter kwik", "millimetre of mercury", "mmHg", 1, False),
    "[pH]": Atom("", "", "", "", "pH", 1, False),
    "%": Atom("%", "%", "procent", "per cent", "", 0.01, False),
    "[IU]": Atom("IE", "IU", "internationale eenheden", "international unit", "IU"),
    "[iU]": Atom("IE", "IU", "internationale eenheden", "international unit", "IU"),
    "U": Atom("U", "U", "eenheden", "unit", "U"),
    "kat": Atom("kat", "kat", "katal", "katal", "kat"),
    "[in_i]": Atom("inch", "in", "inch", "inch", "m", 0.0254, False),
    "[ft_i]": Atom("ft", "ft", "voet", "foot", "m", 0.3048, False),
    "[lb_av]": Atom("lb", "lb", "pond", "pound", "g", 453.59237, False),
    "[oz_av]": Atom("oz", "oz", "ons", "ounce", "g", 28.349523125, False),
    "[HPF]": Atom("gezichtsveld", "HPF", "gezichtsveld", "high power field", "HPF", 1, False),
    "[LPF]": Atom("gezichtsveld", "LPF", "gezichtsveld", "low power field", "LPF", 1, False),
    "[drp]": Atom("druppel", "drop", "druppel", "drop", "drp", 1, False),
    "1": Atom("", "", "", "", "", 1, False),
}
PREFIXES: dict[str, tuple[float, str, str, str]] = {  # symbol -> (factor, written, spoken nl, spoken en)
    "k": (1e3, "k", "kilo", "kilo"), "h": (1e2, "h", "hecto", "hecto"), "d": (1e-1, "d", "deci", "deci"),
    "c": (1e-2, "c", "centi", "centi"), "m": (1e-3, "m", "milli", "milli"), "u": (1e-6, "µ", "micro", "micro"),
    "µ": (1e-6, "µ", "micro", "micro"), "n": (1e-9, "n", "nano", "nano"), "p": (1e-12, "p", "pico", "pico"),
    "f": (1e-15, "f", "femto", "femto"),
}  # fmt: skip
# Annotations that carry meaning; every other {annotation} is a comment and is not shown.
ANNOTATIONS = {"{1.73_m2}": ("1,73 m²", "1.73 m²", "1,73 vierkante meter", "1.73 square metres")}
# English says the first unit in the plural ("4.2 millimoles per litre"); these words take an "s".
PLURAL_EN = ("gram", "litre", "mole", "equivalent", "metre", "second", "minute", "hour", "day", "week", "month",
             "year", "inch", "pound", "ounce", "unit", "katal", "drop", "field")  # fmt: skip
SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_TOKEN = re.compile(r"\{[^}]*\}|[./]|(?:[^./{]|\[[^\]]*\])+")
_POWER = re.compile(r"^10\*(-?\d+)$|^10\^(-?\d+)$")
_EXPONENT = re.compile(r"^(.*?[^\d\-+])(-?\d+)$")
_WORDS_NUMBERS = {2: ("vierkante", "square"), 3: ("kubieke", "cubic")}


@dataclass(frozen=True)
class Term:
    written: dict[str, str]  # lang -> text
    spoken: dict[str, str]
    dimension: dict[str, int]
    factor: float
    known: bool


def _atom_term(symbol: str) -> Term | None:
    match = _EXPONENT.match(symbol) if not symbol.startswith("10") else None
    base, exponent = (match.group(1), int(match.group(2))) if match and match.group(1) not in ("[", "") else (symbol, 1)
    atom, prefix = ATOMS.get(base), None
    if atom is None and len(base) > 1 and base[0] in PREFIXES and (found := ATOMS.get(base[1:])) and found.prefixable:
        atom, prefix = found, PREFIXES[base[0]]
    if atom is None and base[:2] in ("da",) and (found := ATOMS.get(base[2:])):
        atom, prefix = found, (10.0, "da", "deca", "deca")
    if atom is None:
        return None
    sup = str(exponent).translate(SUPERSCRIPT) if exponent != 1 else ""
    written = {
        "nl": (prefix[1] if prefix else "") + atom.nl + (sup if atom.nl else ""),
        "en": (prefix[1] if prefix else "") + atom.en + (sup if atom.en else ""),
    }
    words = {"nl": (prefix[2] if prefix else "") + atom.spoken_nl, "en": (prefix[3] if prefix else "") + atom.spoken_en}
    if exponent in _WORDS_NUMBERS:
        nl_word, en_word = _WORDS_NUMBERS[exponent]
        words = {"nl": f"{nl_word} {words['nl']}", "en": f"{en_word} {words['en']}"}
    dimension = {atom.dimension: exponent} if atom.dimension else {}
    factor = (atom.factor * (prefix[0] if prefix else 1.0)) ** exponent
    return Term(written, words, dimension, factor, True)


def _term(token: str) -> Term:
    if token in ANNOTATIONS:
        nl, en, spoken_nl, spoken_en = ANNOTATIONS[token]
        return Term({"nl": nl, "en": en}, {"nl": spoken_nl, "en": spoken_en}, {"m": 2}, 1.73, True)
    if token.startswith("{"):  # any other annotation ("{cells}", "{score}") is a comment
        return Term({"nl": "", "en": ""}, {"nl": "", "en": ""}, {}, 1.0, True)
    if match := _POWER.match(token):
        power = int(match.group(1) or match.group(2))
        text = "10" + str(power).translate(SUPERSCRIPT)
        words = {"nl": f"10 tot de macht {power}", "en": f"10 to the power {power}"}
        return Term({"nl": text, "en": text}, words, {}, 10.0**power, True)
    if re.fullmatch(r"\d+(\.\d+)?", token):
        return Term({"nl": token.replace(".", ","), "en": token}, {"nl": token, "en": token}, {}, float(token), True)
    if (found := _atom_term(token)) is not None:
        return found
    plain = re.sub(r"[\[\]]", "", token).replace("_", " ")
    return Term({"nl": plain, "en": plain}, {"nl": plain, "en": plain}, {}, 1.0, False)


@dataclass(frozen=True)
class Unit:
    code: str
    written: dict[str, str]
    spoken: dict[str, str]
    dimension: tuple[tuple[str, int], ...]
    factor: float
    known: bool


def _plural_en(words: str) -> str:
    for word in PLURAL_EN:
        if words.endswith(word):
            return words + "s"
    return words.replace(" of mercury", "s of mercury") if words.endswith("of mercury") else words


@lru_cache(maxsize=1024)
def parse(code: str) -> Unit:
    """A UCUM code as terms joined by "." (times) and "/" (per), left to right as UCUM reads them."""
    code = (code or "").strip()
    written = {"nl": "", "en": ""}
    spoken = {"nl": "", "en": ""}
    dimension: dict[str, int] = {}
    factor, known, sign, first = 1.0, True, 1, True
    for part in _TOKEN.findall(code):
        if part in (".", "/"):
            sign = -1 if part == "/" else 1
            continue
        term = _term(part)
        known = known and term.known
        factor *= term.factor**sign
        for name, power in term.dimension.items():
            dimension[name] = dimension.get(name, 0) + sign * power
        for lang in ("nl", "en"):
            if not term.written[lang] and not term.spoken[lang]:
                continue
            joiner = "/" if sign < 0 else ("" if first else "·")
            written[lang] += joiner + term.written[lang]
            said = term.spoken[lang]
            if lang == "en" and first and sign > 0:
                said = _plural_en(said)
            spoken[lang] += (" per " if sign < 0 else " ") + said
        first = False
        sign = 1
    dims = tuple(sorted((name, power) for name, power in dimension.items() if power))
    return Unit(
        code,
        {k: v.strip() for k, v in written.items()},
        {k: " ".join(v.split()) for k, v in spoken.items()},
        dims,
        factor,
        known,
    )


def unit_text(code: str | None, lang: str = "nl") -> str:
    """How a person reads this unit: "mmol/l", "µmol/l", "mmHg", "ml/min/1,73 m²", "" for pH."""
    if not code:
        return ""
    return parse(code).written.get(lang, parse(code).written["en"])


def unit_words(code: str | None, lang: str = "nl") -> str:
    """How read-aloud says this unit: "millimol per liter", "procent"."""
    if not code:
        return ""
    return parse(code).spoken.get(lang, parse(code).spoken["en"])


def conversion_factor(source: str, target: str) -> float | None:
    """The number that turns a value in ``source`` into ``target``, or None when they measure different things
    (or the parser does not know one of them). Temperatures are compared only with the same scale."""
    a, b = parse(source), parse(target)
    if not (a.known and b.known) or a.dimension != b.dimension:
        return None
    return a.factor / b.factor


def quantity_text(value: float | None, code: str | None, lang: str = "nl", *, limits=(), comparator: str = "") -> str:
    """A value with its unit: "4,2 mmol/l", "< 5 mmol/l", "7,4" for a pH, "37 °C"."""
    if value is None:
        return ""
    shown = number_text(value, lang, limits=limits)
    unit = unit_text(code, lang)
    prefix = f"{comparator} " if comparator else ""
    if unit == "%":
        return f"{prefix}{shown}%"
    return f"{prefix}{shown} {unit}".strip() if unit else f"{prefix}{shown}"
