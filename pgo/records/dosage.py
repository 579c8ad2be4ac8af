"""The dose in words from the structured dosage (#16, 2026-12-03): "1 stuk, 1 keer per dag, 's ochtends" /
"1 piece, once a day, in the morning". No Flask.

At import, ``dose_parts`` keeps each FHIR Dosage (R4 and STU3, zib2017 and MP9 3.0) as an R4-shaped subset: the
text, ``timing.repeat`` (frequency, frequencyMax, period, periodMax, periodUnit, when, timeOfDay, dayOfWeek),
``doseAndRate`` (doseQuantity or doseRange; STU3's ``doseQuantity``/``doseRange`` on the Dosage itself are moved
there), ``asNeededBoolean``/``asNeededCodeableConcept`` and ``maxDosePerPeriod``. Nothing language-bound is
stored, so ``dose_in_words`` says it again in each reader's language; the prescriber's text is the fallback when
the structure says nothing. Rows stored before 2026-12-03 (``{"dose": "1 stuk", "count": "1", ...}``) are read too.

Unit words: the G-Standaard thesaurus of base units (table 2, ``urn:oid:2.16.840.1.113883.2.4.4.1.900.2``: 245
"stuk", 233 "milliliter", as in the Nictiz MedMij examples), HL7 v3 orderableDrugForm (TAB, CAP, ...), UCUM
(through ``pgo.quantities``), else the unit word as the source wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from babel.dates import get_day_names

from pgo import quantities
from pgo.i18n import _, current_locale

G_STANDAARD_UNITS = "urn:oid:2.16.840.1.113883.2.4.4.1.900.2"
ORDERABLE_DRUG_FORM = "http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm"
UCUM = "http://unitsofmeasure.org"
AS_NEEDED_ONLY = {"1137"}  # NHG table 25 "zo nodig" without a reason (TERMINOLOGY.md, Dosage)
PERIOD_UNITS = ("s", "min", "h", "d", "wk", "mo", "a")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_LOCALES = {"nl": "nl_NL", "en": "en_GB"}
_TEXT_LIMIT = 500


# ------------------------------------------------------------------------------------------------ stored shape


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    try:
        number = float(str(value))
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _quantity(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict) or _number(value.get("value")) is None:
        return None
    kept = {key: str(value[key])[:100] for key in ("unit", "code", "system") if value.get(key)}
    return {"value": _number(value["value"]), **kept}


def _dose_and_rate(dosage: dict) -> list[dict[str, Any]]:
    rates = dosage.get("doseAndRate")
    source = rates[0] if isinstance(rates, list) and rates and isinstance(rates[0], dict) else dosage
    rate = {"rateQuantity": q} if (q := _quantity(source.get("rateQuantity"))) else {}
    if quantity := _quantity(source.get("doseQuantity")):
        return [{"doseQuantity": quantity, **rate}]
    dose_range = source.get("doseRange")
    if isinstance(dose_range, dict):
        limits = {key: q for key in ("low", "high") if (q := _quantity(dose_range.get(key)))}
        if limits:
            return [{"doseRange": limits, **rate}]
    return [rate] if rate else []


def _repeat(dosage: dict) -> dict[str, Any]:
    timing = dosage.get("timing")
    repeat = timing.get("repeat") if isinstance(timing, dict) else None
    if not isinstance(repeat, dict):
        return {}
    kept: dict[str, Any] = {}
    for key in ("frequency", "frequencyMax", "period", "periodMax"):
        if (number := _number(repeat.get(key))) is not None and number > 0:
            kept[key] = number
    if repeat.get("periodUnit") in PERIOD_UNITS:
        kept["periodUnit"] = repeat["periodUnit"]
    for key in ("when", "timeOfDay", "dayOfWeek"):
        values = repeat.get(key)
        if isinstance(values, list) and values:
            kept[key] = [str(v)[:20] for v in values[:12] if isinstance(v, str | int)]
    bounds = _quantity(repeat.get("boundsDuration"))
    if bounds and (bounds.get("code") in PERIOD_UNITS or bounds.get("unit") in PERIOD_UNITS):
        kept["boundsDuration"] = bounds
    return kept


def _instructions(dosage: dict) -> dict[str, Any]:
    """Additional instructions ("voor het eten", NHG table 25) as the source wrote them."""
    found = dosage.get("additionalInstruction")
    concepts = found if isinstance(found, list) else []
    texts = [text for concept in concepts if (text := _concept_text(concept))]
    return {"additionalInstruction": [{"text": text[:200]} for text in texts[:5]]} if texts else {}


def _concept_text(concept: Any) -> str:
    if not isinstance(concept, dict):
        return ""
    if isinstance(concept.get("text"), str) and concept["text"].strip():
        return concept["text"].strip()
    codings = [c for c in concept.get("coding") or [] if isinstance(c, dict) and c.get("display")]
    return str(codings[0]["display"]).strip() if codings else ""


def _as_needed(dosage: dict) -> dict[str, Any]:
    concept = dosage.get("asNeededCodeableConcept")
    if isinstance(concept, dict):
        codings = [c for c in concept.get("coding") or [] if isinstance(c, dict)]
        kept = [{k: str(c[k])[:200] for k in ("system", "code", "display") if c.get(k)} for c in codings[:3]]
        text = {"text": str(concept["text"])[:200]} if concept.get("text") else {}
        return {"asNeededCodeableConcept": {**({"coding": kept} if kept else {}), **text}}
    if dosage.get("asNeededBoolean") is True:
        return {"asNeededBoolean": True}
    return {}


def _max_per_period(dosage: dict) -> dict[str, Any]:
    ratio = dosage.get("maxDosePerPeriod")
    if isinstance(ratio, list):  # R5 makes it a list
        ratio = ratio[0] if ratio else None
    if not isinstance(ratio, dict):
        return {}
    numerator, denominator = _quantity(ratio.get("numerator")), _quantity(ratio.get("denominator"))
    if numerator is None or denominator is None:
        return {}
    return {"maxDosePerPeriod": {"numerator": numerator, "denominator": denominator}}


def stored_dosage(dosage: dict) -> dict[str, Any]:
    """One FHIR Dosage (R4 or STU3) as the R4-shaped subset that is stored; empty when it says nothing."""
    kept: dict[str, Any] = {}
    if isinstance(dosage.get("text"), str) and dosage["text"].strip():
        kept["text"] = dosage["text"].strip()[:_TEXT_LIMIT]
    if repeat := _repeat(dosage):
        kept["timing"] = {"repeat": repeat}
    if rates := _dose_and_rate(dosage):
        kept["doseAndRate"] = rates
    return {**kept, **_as_needed(dosage), **_max_per_period(dosage), **_instructions(dosage)}


def dose_parts(dosages: list[Any]) -> list[dict[str, Any]]:
    """The dosage instructions as stored (``details["dose"]``), in their sequence order."""
    found = [d for d in dosages if isinstance(d, dict)]
    found.sort(key=lambda d: _number(d.get("sequence")) or 0)
    return [kept for dosage in found[:20] if (kept := stored_dosage(dosage))]


def from_legacy(part: dict[str, Any]) -> dict[str, Any]:
    """A dose stored before 2026-12-03 ({"dose": "1 stuk", "count": "3", "period": "1", "period_unit": "d"}) as
    the stored R4 shape; a part already in that shape is returned as it is."""
    if not any(key in part for key in ("dose", "count", "as_needed")):
        return part
    dosage: dict[str, Any] = {"text": str(part["text"])} if part.get("text") else {}
    amount, _sep, unit = str(part.get("dose") or "").partition(" ")
    if (value := _number(amount)) is not None:
        dosage["doseAndRate"] = [{"doseQuantity": {"value": value, **({"unit": unit} if unit else {})}}]
    if part.get("count") and part.get("period_unit") in PERIOD_UNITS:
        repeat = {"frequency": _number(part["count"]) or 1, "period": _number(part.get("period") or 1) or 1}
        dosage["timing"] = {"repeat": {**repeat, "periodUnit": part["period_unit"]}}
    if part.get("as_needed"):
        dosage["asNeededBoolean"] = True
    return dosage


# --------------------------------------------------------------------------------------------------- in words


def _unit_words() -> dict[str, Callable[[bool], str]]:
    """Dose units a patient reads, singular or plural; keys are lower-case codes and words as sources send them."""
    piece = lambda many: _("pieces") if many else _("piece")  # noqa: E731
    tablet = lambda many: _("tablets") if many else _("tablet")  # noqa: E731
    capsule = lambda many: _("capsules") if many else _("capsule")  # noqa: E731
    drop = lambda many: _("drops") if many else _("drop")  # noqa: E731
    suppository = lambda many: _("suppositories") if many else _("suppository")  # noqa: E731
    puff = lambda many: _("puffs") if many else _("puff")  # noqa: E731
    dose = lambda many: _("doses") if many else _("dose")  # noqa: E731
    unit = lambda many: _("units") if many else _("unit")  # noqa: E731
    patch = lambda many: _("patches") if many else _("patch")  # noqa: E731
    fizzy = lambda many: _("effervescent tablets") if many else _("effervescent tablet")  # noqa: E731
    chewable = lambda many: _("chewable tablets") if many else _("chewable tablet")  # noqa: E731
    melt = lambda many: _("orodispersible tablets") if many else _("orodispersible tablet")  # noqa: E731
    sachet = lambda many: _("sachets") if many else _("sachet")  # noqa: E731
    return {
        "245": piece, "stuk": piece, "stuks": piece, "st": piece, "piece": piece, "{piece}": piece,
        "tab": tablet, "tablet": tablet, "tabletten": tablet, "{tablet}": tablet, "{tbl}": tablet,
        "cap": capsule, "capsule": capsule, "capsules": capsule, "{capsule}": capsule,
        "druppel": drop, "druppels": drop, "[drp]": drop, "drop": drop, "drp": drop,
        "supp": suppository, "zetpil": suppository, "zetpillen": suppository,
        "puff": puff, "pufje": puff, "pufjes": puff, "inhalatie": puff, "{puff}": puff, "{inhalation}": puff,
        "dosis": dose, "doses": dose, "{dose}": dose, "{dosis}": dose,
        "eenheid": unit, "eenheden": unit, "{unit}": unit, "u": unit,
        "pleister": patch, "pleisters": patch, "patch": patch,
        "sachet": sachet, "sachets": sachet, "zakje": sachet, "zakjes": sachet,
        "bruistablet": fizzy, "kauwtablet": chewable, "smelttablet": melt,
    }  # fmt: skip


_UNIT_WORDS = _unit_words()  # the words are translated when called, in the reader's language
PIECES = {"245", "stuk", "stuks", "st", "piece", "{piece}"}
# The form in a product's name ("CAPECITABINE 500MG TABLET", "METOCLOPRAMIDE ZETPIL 20MG", "Oral Tablet"): what
# "1 stuk" is, so that it reads "1 tablet".
FORMS = ("bruistablet", "kauwtablet", "smelttablet", "tablet", "capsule", "zetpil", "pleister", "sachet")


def form_of(product: str) -> str:
    """The dose form named in a product's name, or ''."""
    words = re.findall(r"[^\W\d_]+", (product or "").lower())
    return next((word for word in words if word in FORMS), "")


_METRIC_WORDS = {"233": "ml", "milliliter": "ml", "milligram": "mg", "microgram": "ug", "gram": "g",
                 "liter": "l", "internationale eenheid": "[iU]", "ie": "[iU]"}  # fmt: skip


def unit_text(quantity: dict[str, Any], many: bool, lang: str, form: str = "") -> str:
    """The unit of a dose quantity in words: "stuks", "tablet", "ml", "IE"; the source's own word otherwise.
    ``form``: the product's dose form (``form_of``), which a unit "stuk" stands for."""
    code, unit = str(quantity.get("code") or ""), str(quantity.get("unit") or "")
    words = _UNIT_WORDS
    for key in (code if quantity.get("system") in (G_STANDAARD_UNITS, ORDERABLE_DRUG_FORM) else "", unit, code):
        if (lowered := key.strip().lower()) and lowered in words:
            return words[form if lowered in PIECES and form in words else lowered](many)
        if lowered in _METRIC_WORDS:
            return quantities.unit_text(_METRIC_WORDS[lowered], lang)
    ucum = code if quantity.get("system") in (UCUM, None, "") and code else unit
    if ucum and (shown := quantities.unit_text(ucum, lang)):
        return shown
    return unit.strip().lower()


def _amount(quantity: dict[str, Any], lang: str, form: str, many: bool | None = None) -> str:
    value = _number(quantity.get("value"))
    number = quantities.number_text(value, lang, decimals=3) if value is not None else ""
    unit = unit_text(quantity, value is not None and value > 1 if many is None else many, lang, form)
    return f"{number} {unit}".strip()


def _dose(dosage: dict[str, Any], lang: str, form: str) -> str:
    rates = dosage.get("doseAndRate") or [{}]
    if quantity := rates[0].get("doseQuantity"):
        return _amount(quantity, lang, form)
    dose_range = rates[0].get("doseRange") or {}
    low, high = dose_range.get("low"), dose_range.get("high")
    if low and high:
        many = (_number(high.get("value")) or 0) > 1
        number = quantities.number_text(_number(low.get("value")), lang, decimals=3)
        return _("%(low)s to %(high)s", low=number, high=_amount(high, lang, form, many))
    if high:
        return _("at most %(amount)s", amount=_amount(high, lang, form))
    if low:
        return _("at least %(amount)s", amount=_amount(low, lang, form))
    return ""


def _times(frequency: Any, frequency_max: Any, lang: str) -> str:
    if frequency is None and frequency_max:
        return _("up to %(num)s times", num=quantities.number_text(_number(frequency_max), lang))
    if frequency_max and frequency_max != frequency:
        low = quantities.number_text(_number(frequency) or 1, lang)
        return _("%(low)s to %(high)s times", low=low, high=quantities.number_text(_number(frequency_max), lang))
    if (_number(frequency) or 1) == 1:
        return _("once")
    return _("%(num)s times", num=quantities.number_text(_number(frequency), lang))


def _per(unit: str) -> str:
    return {"s": _("a second"), "min": _("a minute"), "h": _("an hour"), "d": _("a day"), "wk": _("a week"),
            "mo": _("a month"), "a": _("a year")}.get(unit, "")  # fmt: skip


def _every(unit: str, period: str) -> str:
    texts = {
        "s": _("every %(num)s seconds", num=period),
        "min": _("every %(num)s minutes", num=period),
        "h": _("every %(num)s hours", num=period),
        "d": _("every %(num)s days", num=period),
        "wk": _("every %(num)s weeks", num=period),
        "mo": _("every %(num)s months", num=period),
        "a": _("every %(num)s years", num=period),
    }
    return texts.get(unit, "")


def _frequency(repeat: dict[str, Any], lang: str) -> str:
    """'once a day', '3 times a day', 'every 8 hours', '2 to 3 times a day', 'every 4 to 6 hours'."""
    unit = repeat.get("periodUnit")
    if unit not in PERIOD_UNITS:
        return ""
    period, period_max = _number(repeat.get("period")) or 1, _number(repeat.get("periodMax"))
    frequency, frequency_max = repeat.get("frequency"), repeat.get("frequencyMax")
    if frequency is None and frequency_max is None and (repeat.get("when") or repeat.get("timeOfDay")):
        return ""  # "in the morning" says it
    if period == 1 and not period_max:
        return f"{_times(frequency, frequency_max, lang)} {_per(unit)}"
    shown = quantities.number_text(period, lang)
    if period_max:
        shown = _("%(low)s to %(high)s", low=shown, high=quantities.number_text(period_max, lang))
    every = _every(unit, shown)
    if (_number(frequency) or 1) == 1 and not frequency_max:
        return every
    return f"{_times(frequency, frequency_max, lang)} {every}"


def _duration(repeat: dict[str, Any], lang: str) -> str:
    """'for 30 days' / 'gedurende 30 dagen' from timing.repeat.boundsDuration."""
    bounds = repeat.get("boundsDuration")
    if not bounds:
        return ""
    value = _number(bounds.get("value")) or 0
    unit = bounds.get("code") if bounds.get("code") in PERIOD_UNITS else bounds.get("unit")
    num = quantities.number_text(value, lang)
    if value == 1:
        return {"h": _("for 1 hour"), "d": _("for 1 day"), "wk": _("for 1 week"), "mo": _("for 1 month"),
                "a": _("for 1 year")}.get(unit, "")  # fmt: skip
    return {"h": _("for %(num)s hours", num=num), "d": _("for %(num)s days", num=num),
            "wk": _("for %(num)s weeks", num=num), "mo": _("for %(num)s months", num=num),
            "a": _("for %(num)s years", num=num)}.get(unit, "")  # fmt: skip


def _rate(dosage: dict[str, Any], lang: str) -> str:
    """An infusion rate ("50 ml/uur") from doseAndRate.rateQuantity, in UCUM."""
    rate = (dosage.get("doseAndRate") or [{}])[0].get("rateQuantity")
    if not rate:
        return ""
    code = str(rate.get("code") or rate.get("unit") or "")
    return _("at %(rate)s", rate=quantities.quantity_text(_number(rate.get("value")), code, lang))


def _event(code: str) -> str:
    """HL7 EventTiming (R4 Timing.repeat.when) in words."""
    return {
        "MORN": _("in the morning"), "MORN.early": _("early in the morning"), "MORN.late": _("late in the morning"),
        "NOON": _("at noon"), "AFT": _("in the afternoon"), "AFT.early": _("early in the afternoon"),
        "AFT.late": _("late in the afternoon"), "EVE": _("in the evening"), "EVE.early": _("early in the evening"),
        "EVE.late": _("late in the evening"), "NIGHT": _("at night"), "PHS": _("after sleeping"),
        "HS": _("before going to sleep"), "WAKE": _("after waking up"), "C": _("with a meal"),
        "CM": _("with breakfast"), "CD": _("with lunch"), "CV": _("with dinner"), "AC": _("before a meal"),
        "ACM": _("before breakfast"), "ACD": _("before lunch"), "ACV": _("before dinner"), "PC": _("after a meal"),
        "PCM": _("after breakfast"), "PCD": _("after lunch"), "PCV": _("after dinner"),
    }.get(code, "")  # fmt: skip


def _list(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s and %(last)s", items=", ".join(items[:-1]), last=items[-1])


def _moments(repeat: dict[str, Any], lang: str) -> list[str]:
    words = []
    if days := [d for d in repeat.get("dayOfWeek") or [] if d in DAYS]:
        names = get_day_names("wide", locale=_LOCALES.get(lang, "nl_NL"))
        words.append(_("on %(days)s", days=_list([names[DAYS.index(d)] for d in days])))
    if events := [w for code in repeat.get("when") or [] if (w := _event(code))]:
        words.append(_list(events))
    if times := [str(t)[:5] for t in repeat.get("timeOfDay") or [] if len(str(t)) >= 5]:
        words.append(_("at %(times)s", times=_list(times)))
    return words


def _as_needed_words(dosage: dict[str, Any]) -> str:
    concept = dosage.get("asNeededCodeableConcept")
    if isinstance(concept, dict):
        codings = concept.get("coding") or []
        if any(str(c.get("code")) in AS_NEEDED_ONLY for c in codings):
            return _("when needed")
        reason = concept.get("text") or next((c["display"] for c in codings if c.get("display")), "")
        return _("when needed: %(reason)s", reason=reason) if reason else _("when needed")
    return _("when needed") if dosage.get("asNeededBoolean") else ""


def _maximum(dosage: dict[str, Any], lang: str, form: str) -> str:
    ratio = dosage.get("maxDosePerPeriod")
    if not ratio:
        return ""
    denominator = ratio["denominator"]
    unit = str(denominator.get("code") or "")
    if unit not in PERIOD_UNITS:
        unit = {"dag": "d", "day": "d", "uur": "h", "hour": "h", "week": "wk"}.get(str(denominator.get("unit")), "")
    if not unit:
        return ""
    amount = _amount(ratio["numerator"], lang, form)
    if (_number(denominator.get("value")) or 1) == 1:
        return _("at most %(amount)s %(per)s", amount=amount, per=_per(unit))
    period = quantities.number_text(_number(denominator.get("value")), lang)
    return _("at most %(amount)s %(every)s", amount=amount, every=_every(unit, period))


def dosage_in_words(dosage: dict[str, Any], lang: str | None = None, *, product: str = "") -> str:
    """One stored dosage in the reader's language; its text when the structure gives no dose or frequency.
    ``product``: the medicine's name, whose dose form says what "1 stuk" is."""
    lang, form = lang or current_locale(), form_of(product)
    dosage = from_legacy(dosage)
    repeat = (dosage.get("timing") or {}).get("repeat") or {}
    dose, frequency, moments = _dose(dosage, lang, form), _frequency(repeat, lang), _moments(repeat, lang)
    rate = _rate(dosage, lang)
    if not dose and not frequency and not moments and not rate:
        return str(dosage.get("text") or "")
    instructions = [str(i.get("text")) for i in dosage.get("additionalInstruction") or [] if i.get("text")]
    words = [dose, rate, frequency, *moments, _as_needed_words(dosage), _maximum(dosage, lang, form),
             _duration(repeat, lang), *instructions]  # fmt: skip
    return ", ".join(word for word in words if word)


def dose_in_words(parts: list[dict[str, Any]], lang: str | None = None, *, product: str = "") -> str:
    """Every dosage instruction of a medicine in words, joined with "; "."""
    texts = [dosage_in_words(part, lang, product=product) for part in parts if isinstance(part, dict)]
    return "; ".join(text for text in texts if text)
