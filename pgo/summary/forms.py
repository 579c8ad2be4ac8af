"""Forms of the summary page (issue #21): the patient's note for the doctor."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from pgo.i18n import _l
from pgo.summary.notes import MAX_LENGTH


class NoteForm(FlaskForm):
    text = TextAreaField(
        _l("My notes for the doctor"),
        description=_l("For example: what worries you, or what you want to ask. Keep it short."),
        validators=[Length(max=MAX_LENGTH, message=_l("Keep your note under %(max)d characters."))],
    )


class ShareForm(FlaskForm):
    """A new share link: for whom (the patient's own words), how long, and an optional code."""

    label = StringField(
        _l("Who is the link for? (optional)"),
        description=_l("Only you see this. For example: Dr. Smit, or the hospital in Spain."),
        validators=[Optional(), Length(max=100, message=_l("Keep this under %(max)d characters."))],
    )
    days = RadioField(
        _l("How long may the link work?"),
        choices=[
            SelectChoice("1", _l("1 day")),
            SelectChoice("7", _l("7 days")),
            SelectChoice("30", _l("30 days")),
            SelectChoice("90", _l("3 months")),
            SelectChoice("365", _l("1 year")),
        ],  # fmt: skip
        default="7",
        validators=[InputRequired(message=_l("Choose how long the link may work."))],
    )
    code = StringField(
        _l("Code to type (optional)"),
        description=_l("4 to 20 letters or numbers. Tell the code yourself, not with the link."),
        validators=[Optional(), Length(min=4, max=20, message=_l("Make the code 4 to 20 letters or numbers."))],
    )


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[InputRequired(message=_l("Type the code you were given."))])
