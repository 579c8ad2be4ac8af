"""The clinician's forms: offering a decision aid and recording the decision made together."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from pgo.decisions.offers import MAX_NOTE
from pgo.i18n import _l


class OfferForm(FlaskForm):
    aid = RadioField(_l("Decision aid"), validators=[InputRequired(message=_l("Choose a decision aid."))])
    consultation_date = DateField(
        _l("Date of the consultation"), validators=[InputRequired(message=_l("Enter the date of the consultation."))]
    )
    note = TextAreaField(
        _l("Note for the patient (optional)"),
        validators=[Length(max=MAX_NOTE, message=_l("Keep the note under %(n)s characters.", n=MAX_NOTE))],
    )


class DecisionForm(FlaskForm):
    chosen_option = RadioField(
        _l("What did you decide together?"),
        validators=[InputRequired(message=_l("Choose one of the options, or 'not decided'."))],
    )
    decided_on = DateField(_l("Date"), validators=[InputRequired(message=_l("Enter the date of the consultation."))])
    note = TextAreaField(
        _l("Note (optional)"),
        validators=[Length(max=MAX_NOTE, message=_l("Keep the note under %(n)s characters.", n=MAX_NOTE))],
    )
