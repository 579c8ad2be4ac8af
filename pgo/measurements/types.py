"""The measurement types a person can enter at home: codes, units and the ranges that make sense.

Every value is stored in the type's canonical UCUM unit. Ranges are in that canonical unit:

- ``plausible``: outside it a value cannot be a real measurement (a typo or a broken meter): refused.
- ``usual``: outside it a value is possible but unlikely at home: the person is asked to confirm.

Codes: LOINC as used by HL7 FHIR R4 vital signs and the Nictiz nl-core (zib2020) profiles, e.g.
blood pressure panel 85354-9 with components 8480-6 (systolic) and 8462-4 (diastolic), heart rate 8867-4,
body weight 29463-7, body height 8302-2, body temperature 8310-5, oxygen saturation 59408-5 + 2708-6,
pain score 72514-3 (as Synthea and nl-core-PainScore use it). Synthea codes blood pressure as 55284-4:
recognised on import only. Ranges are the project's own choices (wide enough for every adult and child
who measures at home), not clinical targets; clinical limits live in ``pgo.measurements.thresholds``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from babel.support import LazyProxy

from pgo.i18n import _l


class UnknownMeasurementType(LookupError):
    """A type key that is not in the registry (a view answers 404)."""


@dataclass(frozen=True)
class FieldSpec:
    """One number a person enters, e.g. the systolic pressure."""

    name: str
    label: LazyProxy  # standard and detailed reading level
    simple_label: LazyProxy  # simple reading level
    loinc: str
    plausible: tuple[float, float]
    usual: tuple[float, float]
    required: bool = True
    whole_number: bool = False
    decimals: int = 0  # how many decimals to show
    unit: str | None = None  # UCUM code when it differs from its type's (the heart rate in blood pressure, #18)


@dataclass(frozen=True)
class MeasurementType:
    key: str
    label: LazyProxy
    simple_label: LazyProxy
    loinc: tuple[str, ...]  # first is the code we write; all are recognised on import
    unit: str  # canonical UCUM code
    entry_units: tuple[str, ...]  # UCUM codes a person may enter, canonical first
    fields: tuple[FieldSpec, ...] = ()
    profile: str | None = None  # nl-core (zib2020) profile where one exists
    category: str = "vital-signs"
    is_note: bool = False
    icon: str = "measure"

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def primary(self) -> FieldSpec:
        return self.fields[0]


NL_CORE = "http://nictiz.nl/fhir/StructureDefinition/"

SYSTOLIC = FieldSpec("systolic", _l("Systolic"), _l("Upper number"), "8480-6", plausible=(50, 300), usual=(80, 220))
DIASTOLIC = FieldSpec("diastolic", _l("Diastolic"), _l("Lower number"), "8462-4", plausible=(20, 200), usual=(40, 130))
# Heart rate: newborns up to ~220/min; a resting adult below 35 or above 180 is unusual at home.
PULSE = FieldSpec(
    "heart_rate", _l("Heart rate"), _l("Pulse"), "8867-4", plausible=(20, 300), usual=(35, 180), unit="/min"
)


def _value(label, simple_label, loinc, plausible, usual, **kwargs) -> FieldSpec:
    return FieldSpec("value", label, simple_label, loinc, plausible=plausible, usual=usual, **kwargs)


TYPES: dict[str, MeasurementType] = {
    t.key: t
    for t in (
        MeasurementType(
            "blood_pressure",
            _l("Blood pressure"),
            _l("Blood pressure"),
            ("85354-9", "55284-4"),
            "mm[Hg]",
            ("mm[Hg]",),
            (SYSTOLIC, DIASTOLIC, replace(PULSE, required=False)),
            profile=NL_CORE + "nl-core-BloodPressure",
            icon="blood-pressure",
        ),
        MeasurementType(
            "heart_rate",
            _l("Heart rate"),
            _l("Pulse"),
            ("8867-4",),
            "/min",
            ("/min",),
            (_value(PULSE.label, PULSE.simple_label, "8867-4", PULSE.plausible, PULSE.usual),),
            profile=NL_CORE + "nl-core-HeartRate",
            icon="heart",
        ),
        MeasurementType(
            "body_weight",
            _l("Body weight"),
            _l("Weight"),
            ("29463-7", "3141-9"),
            "kg",
            ("kg", "[lb_av]"),
            (_value(_l("Weight"), _l("Weight"), "29463-7", (0.3, 400), (20, 250), decimals=1),),
            profile=NL_CORE + "nl-core-BodyWeight",
            icon="scale",
        ),
        MeasurementType(
            "body_height",
            _l("Body height"),
            _l("Height"),
            ("8302-2", "8306-3"),
            "cm",
            ("cm", "[in_i]"),
            (_value(_l("Height"), _l("Height"), "8302-2", (20, 275), (100, 215), decimals=1),),
            profile=NL_CORE + "nl-core-BodyHeight",
            icon="ruler",
        ),
        MeasurementType(
            "body_temperature",
            _l("Body temperature"),
            _l("Temperature"),
            ("8310-5", "8331-1"),
            "Cel",
            ("Cel", "[degF]"),
            (_value(_l("Temperature"), _l("Temperature"), "8310-5", (25, 45), (35, 41), decimals=1),),
            profile=NL_CORE + "nl-core-BodyTemperature",
            icon="thermometer",
        ),
        MeasurementType(
            "blood_glucose",
            _l("Blood glucose"),
            _l("Blood sugar"),
            # Capillary blood by glucometer (moles/volume) first; blood and serum codes and the
            # post-meal code used by the Nictiz STU3 example (14760-3) are recognised on import.
            ("14743-9", "15074-8", "2339-0", "41653-7", "14749-6", "2345-7", "14760-3"),
            "mmol/L",
            ("mmol/L", "mg/dL"),
            (_value(_l("Blood glucose"), _l("Blood sugar"), "14743-9", (0.5, 60), (3, 25), decimals=1),),
            icon="drop",
        ),
        MeasurementType(
            "oxygen_saturation",
            _l("Oxygen saturation"),
            _l("Oxygen in your blood"),
            ("59408-5", "2708-6"),
            "%",
            ("%",),
            (_value(_l("Oxygen saturation"), _l("Oxygen"), "59408-5", (40, 100), (85, 100)),),
            profile=NL_CORE + "nl-core-O2Saturation",
            icon="lungs",
        ),
        MeasurementType(
            "waist_circumference",
            _l("Waist circumference"),
            _l("Waist"),
            ("8280-0",),
            "cm",
            ("cm", "[in_i]"),
            (_value(_l("Waist circumference"), _l("Waist"), "8280-0", (30, 250), (55, 180), decimals=1),),
            icon="tape",
        ),
        MeasurementType(
            "peak_flow",
            _l("Peak flow"),
            _l("Peak flow"),
            ("19935-6", "33452-4"),
            "L/min",
            ("L/min",),
            (_value(_l("Peak flow"), _l("Peak flow"), "19935-6", (30, 1000), (100, 800)),),
            icon="wind",
        ),
        MeasurementType(
            "pain_score",
            _l("Pain score"),
            _l("Pain"),
            ("72514-3",),
            "{score}",
            ("{score}",),
            (_value(_l("Pain score"), _l("Pain"), "72514-3", (0, 10), (0, 10), whole_number=True),),
            profile=NL_CORE + "nl-core-PainScore",
            category="survey",
            icon="pain",
        ),
        MeasurementType(
            "feeling",
            _l("How I feel today"),
            _l("How I feel today"),
            (),
            "",
            ("",),
            (),
            category="survey",
            is_note=True,
            icon="note",
        ),
    )
}

# Units as people write them (CSV files, forms) -> UCUM code.
UNIT_ALIASES: dict[str, str] = {
    "mmhg": "mm[Hg]",
    "mm[hg]": "mm[Hg]",
    "/min": "/min",
    "bpm": "/min",
    "per min": "/min",
    "slagen/min": "/min",
    "kg": "kg",
    "lb": "[lb_av]",
    "lbs": "[lb_av]",
    "[lb_av]": "[lb_av]",
    "cm": "cm",
    "in": "[in_i]",
    "inch": "[in_i]",
    "[in_i]": "[in_i]",
    "cel": "Cel",
    "°c": "Cel",
    "c": "Cel",
    "[degf]": "[degF]",
    "°f": "[degF]",
    "f": "[degF]",
    "mmol/l": "mmol/L",
    "mg/dl": "mg/dL",
    "%": "%",
    "l/min": "L/min",
    "{score}": "{score}",
    "": "",
}

# How a unit is shown to a person.
UNIT_SYMBOLS: dict[str, str] = {
    "mm[Hg]": "mmHg",
    "/min": "/min",
    "kg": "kg",
    "[lb_av]": "lb",
    "cm": "cm",
    "[in_i]": "in",
    "Cel": "°C",
    "[degF]": "°F",
    "mmol/L": "mmol/L",
    "mg/dL": "mg/dL",
    "%": "%",
    "L/min": "L/min",
    "{score}": "",
    "": "",
}


def get_type(key: str) -> MeasurementType:
    try:
        return TYPES[key]
    except KeyError:
        raise UnknownMeasurementType(key) from None


def unit_code(text: str) -> str | None:
    """The UCUM code for a unit as a person or a device writes it, or None when unknown."""
    return UNIT_ALIASES.get(text.strip().lower())


def unit_symbol(code: str) -> str:
    return UNIT_SYMBOLS.get(code, code)


def field_unit(mtype: MeasurementType, spec: FieldSpec) -> str:
    """The unit symbol shown beside one field when there is one unit to enter (#18); empty when the person chooses."""
    if spec.unit:
        return unit_symbol(spec.unit)
    return unit_symbol(mtype.unit) if len(mtype.entry_units) == 1 else ""


def type_for_loinc(code: str) -> MeasurementType | None:
    for mtype in TYPES.values():
        if code in mtype.loinc:
            return mtype
    return None


@dataclass(frozen=True)
class UnitChoice:
    """A unit a form offers: the UCUM code as the value, the symbol as the label."""

    code: str
    symbol: str


def unit_choices(key: str) -> list[UnitChoice]:
    return [UnitChoice(code, unit_symbol(code)) for code in get_type(key).entry_units]
