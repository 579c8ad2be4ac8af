"""The measurement forms. Entry values are checked by the domain (pgo.measurements.validation), which knows the
units and the person's reading level; these forms carry the fields, the CSRF token and simple checks only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from pgo.clock import before_earliest
from pgo.i18n import _, _l
from pgo.measurements import messages
from pgo.measurements.models import Severity
from pgo.measurements.overview import parse_local_moment
from pgo.measurements.thresholds import severity_word
from pgo.measurements.types import TYPES, MeasurementType, field_unit, unit_choices


class _EntryBase(FlaskForm):
    token = HiddenField()
    day = StringField(_l("Date"), render_kw={"type": "date"})
    clock = StringField(_l("Time"), render_kw={"type": "time"})
    note = TextAreaField(_l("Note (optional)"), render_kw={"rows": 2})
    confirm = BooleanField(_l("Yes, I checked it: this value is right"))


def entry_form(mtype: MeasurementType, level: str, **kwargs) -> FlaskForm:
    """The form for one type: one number field per value, a unit choice when there are several units."""

    class EntryForm(_EntryBase):
        pass

    for spec in mtype.fields:
        label = messages.label(spec, level)
        mode = "numeric" if spec.whole_number or spec.decimals == 0 else "decimal"
        setattr(EntryForm, spec.name, StringField(label, render_kw={"inputmode": mode, "autocomplete": "off"}))
    if len(mtype.entry_units) > 1:
        choices = [SelectChoice(c.code, c.symbol) for c in unit_choices(mtype.key)]
        EntryForm.unit = RadioField(_l("Unit"), choices=choices, default=mtype.entry_units[0], validate_choice=False)
    if mtype.is_note:
        EntryForm.note = TextAreaField(_l("How do you feel today?"), render_kw={"rows": 4})
    form = EntryForm(**kwargs)
    form.value_fields = [form[spec.name] for spec in mtype.fields]
    form.units = {spec.name: field_unit(mtype, spec) for spec in mtype.fields}
    form.warnings = {}
    return form


def measured_at(form: FlaskForm):
    return parse_local_moment(form.day.data, form.clock.data)


class CsvUploadForm(FlaskForm):
    file = FileField(_l("CSV file from your device"))


class CsvConfirmForm(FlaskForm):
    pass


def _type_choices() -> list[SelectChoice]:
    return [SelectChoice(t.key, t.label) for t in TYPES.values() if not t.is_note]


FIELD_CHOICES = [
    SelectChoice("systolic", _l("Systolic (upper number)")),
    SelectChoice("diastolic", _l("Diastolic (lower number)")),
    SelectChoice("heart_rate", _l("Heart rate")),
    SelectChoice("value", _l("The value (for other types)")),
]


class _LazySeverityLabel:
    def __init__(self, severity: Severity) -> None:
        self.severity = severity

    def __str__(self) -> str:
        return severity_word(self.severity)

    def __html__(self) -> str:
        return str(self)


class ThresholdForm(Form):
    field_name = SelectField(_l("Which number"), choices=FIELD_CHOICES)
    direction = SelectField(
        _l("When"),
        choices=[SelectChoice("above", _l("at or above")), SelectChoice("below", _l("below"))],
    )
    limit_value = StringField(_l("Limit"), render_kw={"inputmode": "decimal"}, validators=[Optional()])
    severity = SelectField(
        _l("What the patient should do"),
        choices=[SelectChoice(s.value, _LazySeverityLabel(s)) for s in Severity if s != Severity.OK],
        default=Severity.CONTACT_PRACTICE.value,
    )
    advice = TextAreaField(_l("Advice in your words (optional)"), render_kw={"rows": 2})

    def limit(self) -> float | None:
        from pgo.measurements.units import parse_number

        return parse_number(self.limit_value.data or "")


class PlanForm(FlaskForm):
    type = SelectField(_l("What to measure"), choices=_type_choices(), default="blood_pressure")
    times_per_day = IntegerField(
        _l("Times per day"),
        render_kw={"inputmode": "numeric"},
        validators=[
            InputRequired(message=_l("Enter how many times a day, as a number.")),
            NumberRange(1, 12, message=_l("Enter a number from %(min)s to %(max)s.")),
        ],
    )
    days = IntegerField(
        _l("Number of days"),
        render_kw={"inputmode": "numeric"},
        validators=[
            InputRequired(message=_l("Enter for how many days, as a number.")),
            NumberRange(1, 365, message=_l("Enter a number from %(min)s to %(max)s.")),
        ],
    )
    start_date = StringField(_l("Start date"), render_kw={"type": "date"})
    instructions = TextAreaField(_l("Instructions for the patient"), render_kw={"rows": 3})
    first = FormField(ThresholdForm, label=_l("Limit 1"))
    second = FormField(ThresholdForm, label=_l("Limit 2"))

    def validate_start_date(self, field) -> None:
        from datetime import date

        try:
            day = date.fromisoformat((field.data or "").strip())
        except ValueError:
            raise ValidationError(_("Enter the start date, for example 2025-03-10.")) from None
        if before_earliest(day):  # one date rule for every entry path (#17)
            raise ValidationError(_("The start date cannot be before 1900."))

    def thresholds(self) -> list[dict]:
        """The filled-in limits, in the shape ``create_plan`` takes (call after validate)."""
        from pgo.i18n import current_locale

        found = []
        for sub in (self.first, self.second):
            limit = sub.form.limit()
            if limit is None:
                continue
            advice = sub.form.advice.data.strip()
            found.append(
                {
                    "field_name": sub.form.field_name.data,
                    "direction": sub.form.direction.data,
                    "limit_value": limit,
                    "severity": sub.form.severity.data,
                    "advice": {current_locale(): {"standard": advice}} if advice else {},
                }
            )
        return found

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        fields = TYPES[self.type.data].field_names if self.type.data in TYPES else ()
        for sub in (self.first, self.second):
            raw = (sub.form.limit_value.data or "").strip()
            if raw and sub.form.limit() is None:
                sub.form.limit_value.errors = [_("Enter the limit as a number, for example 180.")]
                ok = False
            elif raw and sub.form.field_name.data not in fields:
                sub.form.field_name.errors = [_("Choose a number that belongs to what is measured.")]
                ok = False
        return ok
