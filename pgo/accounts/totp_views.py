"""The clinician's optional second factor: turn on (secret + first code), turn off (with the password)."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, url_for

from pgo.accounts import totp
from pgo.accounts.forms import TotpCodeForm, TotpDisableForm
from pgo.accounts.passwords import verify_password
from pgo.accounts.views import bp
from pgo.i18n import _
from pgo.web.access import clinician_only
from pgo.web.database import get_session


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def _page(code_form: TotpCodeForm | None = None, disable_form: TotpDisableForm | None = None, status: int = 200):
    db = get_session()
    enabled = totp.totp_enabled(session=db, user_id=g.user.id)
    pending = None if enabled else totp.pending_enrolment(session=db, user_id=g.user.id, app_secret=_secret())
    return (
        render_template(
            "accounts/two_factor.html",
            enabled=enabled,
            pending=pending,
            code_form=code_form or TotpCodeForm(),
            disable_form=disable_form or TotpDisableForm(),
        ),
        status,
    )


@bp.get("/account/two-factor")
@clinician_only
def two_factor():
    return _page()


@bp.post("/account/two-factor/start")
@clinician_only
def two_factor_start():
    db = get_session()  # the CSRF token is checked for every POST by CSRFProtect
    try:
        totp.start_totp_enrolment(session=db, user_id=g.user.id, app_secret=_secret())
    except totp.TotpError as error:
        flash(str(error))
    db.commit()
    return redirect(url_for("accounts.two_factor"))


@bp.post("/account/two-factor/confirm")
@clinician_only
def two_factor_confirm():
    form = TotpCodeForm()
    if form.validate_on_submit():
        db = get_session()
        if totp.confirm_totp(session=db, user_id=g.user.id, code=form.code.data, app_secret=_secret()):
            db.commit()
            flash(_("Your second factor is on. From now on you sign in with your password and a code."))
            return redirect(url_for("accounts.two_factor"))
        db.rollback()
        form.code.errors = [_("The code is not correct. Enter the newest code from your app.")]
    return _page(code_form=form, status=400)


@bp.post("/account/two-factor/disable")
@clinician_only
def two_factor_disable():
    form = TotpDisableForm()
    if form.validate_on_submit():
        if verify_password(g.user.password_hash, form.password.data):
            db = get_session()
            totp.disable_totp(session=db, user_id=g.user.id)
            db.commit()
            flash(_("Your second factor is off. You sign in with your password only."))
            return redirect(url_for("accounts.two_factor"))
        form.password.errors = [_("Your password is not correct.")]
    return _page(disable_form=form, status=400)
