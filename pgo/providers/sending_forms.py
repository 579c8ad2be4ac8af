"""The forms of the sending page (#20, 2026-12-03)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField

from pgo.i18n import _l


class PermissionForm(FlaskForm):
    measurements = BooleanField(_l("My home measurements"))
    automatic = BooleanField(_l("Send new measurements for my measurement plan by themselves"))
    questionnaires = BooleanField(_l("My answers to their questionnaires"))
    decisions = BooleanField(_l("My answers in decision aids"))


class PeriodForm(FlaskForm):
    start = StringField(_l("From"), render_kw={"type": "date"})
    end = StringField(_l("Up to and including"), render_kw={"type": "date"})
