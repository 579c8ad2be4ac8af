"""Forms of the helpers pages (#21): invite a helper, accept an invitation with a new account."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, PasswordField, RadioField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, StopValidation

from pgo.i18n import _l


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (rendered by the radios macro: a fieldset with a legend)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class AtLeastOne:
    """At least one box ticked. Unlike InputRequired it sets no ``required`` on every box (one would be enough)."""

    def __init__(self, message) -> None:
        self.message = message

    def __call__(self, _form, field) -> None:
        if not field.data:
            raise StopValidation(self.message)


class InviteHelperForm(FlaskForm):
    email = EmailField(
        _l("Your helper's email address"),
        description=_l("Your helper signs in with this address, or makes a new account with it."),
        validators=[InputRequired(message=_l("Enter your helper's email address.")), Length(max=320)],
    )
    scope = RadioField(
        _l("What may your helper do?"),
        choices=[
            SelectChoice("read", _l("Only look at my data")),
            SelectChoice(
                "act", _l("Look, and also enter measurements and answer decision aids and questionnaires for me")
            ),
        ],
        default="read",
        validators=[InputRequired(message=_l("Choose what your helper may do."))],
    )
    categories = CheckboxesField(
        _l("Which parts of your data?"),
        choices=[
            SelectChoice("measurements", _l("Measurements")),
            SelectChoice("decisions", _l("Decision aids")),
            SelectChoice("questionnaires", _l("Questionnaires")),
            SelectChoice("records", _l("Records from your care providers")),
        ],
        validators=[AtLeastOne(message=_l("Choose at least one part of your data your helper may use."))],
    )
    ends_on = DateField(
        _l("Until which day? (optional)"),
        description=_l("Leave it empty to give access until you stop it yourself."),
        validators=[Optional()],
    )
    relation = RadioField(
        _l("Who is this?"),
        choices=[
            SelectChoice("helper", _l("Someone who helps me")),
            SelectChoice("parent", _l("My parent or guardian")),
        ],
        default="helper",
        validators=[InputRequired(message=_l("Choose whether this person is your parent or guardian."))],
    )


class BirthDateForm(FlaskForm):
    birth_date = DateField(
        _l("Your date of birth"),
        validators=[InputRequired(message=_l("Enter your date of birth, for example 12-04-2012."))],
    )


class NewHelperAccountForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        description=_l("The person you help sees this name."),
        validators=[InputRequired(message=_l("Enter your name.")), Length(max=200)],
    )
    password = PasswordField(
        _l("Choose a password"),
        description=_l("At least 10 characters. A short sentence is easy to remember."),
        validators=[InputRequired(message=_l("Choose a password."))],
    )
