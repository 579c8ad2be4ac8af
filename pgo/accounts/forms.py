"""Sign-in and password forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import InputRequired

from pgo.i18n import _l


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
