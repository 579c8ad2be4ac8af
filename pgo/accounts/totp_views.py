"""The clinician's optional second factor: turn on (secret + first code), turn off (with the password and a code)."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, url_for

from pgo.accounts import totp
from pgo.accounts.forms import TotpCodeForm, TotpDisableForm
from pgo.accounts.passwords import verify_password
from pgo.accounts.throttle import record_sign_in_attempt, throttle_check
from pgo.accounts.views import bp, client_address
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
    """Off only with the password and a code from the app (#17: not with the password alone), throttled."""
    form = TotpDisableForm()
    if form.validate_on_submit():
        db = get_session()
        decision = throttle_check(session=db, email=g.user.email, address=client_address())
        if not decision.allowed:
            form.password.errors = [decision.message()]
            return _page(disable_form=form, status=429) + ({"Retry-After": str(decision.retry_after)},)
        password_ok = verify_password(g.user.password_hash, form.password.data)
        code_ok = password_ok and totp.verify_totp(
            session=db, user_id=g.user.id, code=form.code.data, app_secret=_secret()
        )
        record_sign_in_attempt(session=db, email=g.user.email, address=client_address(), succeeded=code_ok)
        if code_ok:
            totp.disable_totp(session=db, user_id=g.user.id)
            db.commit()
            flash(_("Your second factor is off. You sign in with your password only."))
            return redirect(url_for("accounts.two_factor"))
        db.commit()
        if not password_ok:
            form.password.errors = [_("Your password is not correct.")]
        else:
            form.code.errors = [_("The code is not correct. Enter the newest code from your app.")]
    return _page(disable_form=form, status=400)
