"""Forms of the summary page (issue #21): the patient's note for the doctor."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from pgo.i18n import _l
from pgo.summary.notes import MAX_LENGTH


class NoteForm(FlaskForm):
    text = TextAreaField(
        _l("My notes for the doctor"),
        description=_l("For example: what worries you, or what you want to ask. Keep it short."),
        validators=[Length(max=MAX_LENGTH, message=_l("Keep your note under %(max)d characters."))],
    )
