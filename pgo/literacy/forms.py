"""Forms of the literacy pages: the one-question reading screener and saving the suggested level."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired

from pgo.i18n import _l
from pgo.literacy import screener


class ScreenerForm(FlaskForm):
    answer = RadioField(
        _l(
            "How often do you need someone to help you when you read instructions, leaflets or other written "
            "material from your doctor or pharmacy?"
        ),
        choices=[],
        validators=[InputRequired(message=_l("Choose how often you need help."))],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.answer.choices = [SelectChoice(str(a.score), a.label) for a in screener.answers()]


class SaveLevelForm(FlaskForm):
    level = HiddenField(validators=[InputRequired(), AnyOf(["simple", "standard", "detailed"])])
