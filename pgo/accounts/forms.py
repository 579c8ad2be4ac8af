"""Sign-in, password, consent, second-factor and helper forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, StopValidation

from pgo.i18n import _l
from pgo.web.ids import MAX_ID


class SignInForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[InputRequired(message=_l("Enter your email address."))])
    password = PasswordField(_l("Password"), validators=[InputRequired(message=_l("Enter your password."))])
    next = HiddenField()


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        _l("Current password"), validators=[InputRequired(message=_l("Enter your current password."))]
    )
    new = PasswordField(
        _l("New password"),
        description=_l("At least 10 characters. A short sentence is easy to remember."),
        validators=[InputRequired(message=_l("Enter a new password."))],
    )


class ConsentChangeForm(FlaskForm):
    """One button on the consent page: grant or revoke one category for one team."""

    team_id = IntegerField(
        validators=[InputRequired(message=_l("Choose a care team.")), NumberRange(min=0, max=MAX_ID)]
    )
    category = SelectField(
        choices=[SelectChoice(c, c) for c in ("measurements", "decisions", "records", "all")],
        validators=[InputRequired(message=_l("Choose what the team may see."))],
    )
    action = SelectField(
        choices=[SelectChoice("grant", "grant"), SelectChoice("revoke", "revoke")],
        validators=[InputRequired(message=_l("Choose whether to give or withdraw access."))],
    )


class TotpCodeForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app"),
        description=_l("6 digits. A new code appears every 30 seconds."),
        validators=[
            InputRequired(message=_l("Enter the 6-digit code from your authenticator app.")),
            Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message=_l("Enter the 6-digit code from your authenticator app.")),
        ],
    )


class TotpDisableForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[InputRequired(message=_l("Enter your password."))])
    code = TotpCodeForm.code  # the second factor is needed to turn the second factor off (#17)


# --- Helpers (#21): invite a helper, the date of birth, accept an invitation with a new account ---------------


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
