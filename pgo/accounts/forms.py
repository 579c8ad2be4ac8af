"""Sign-in, password, consent and second-factor forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Regexp

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
