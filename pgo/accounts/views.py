"""Signing in (throttled, with a second step for clinicians who turned it on) and out, the password change.

The patient's consent and access-log pages live in ``consent_views``; the clinician's second factor in
``totp_views``. All of them are routes of this one blueprint.
"""

from __future__ import annotations

import time

from authlib.integrations.base_client import OAuthError
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for

from pgo.accounts import oidc, session_views, sessions
from pgo.accounts.forms import PasswordChangeForm, SignInForm, TotpCodeForm
from pgo.accounts.models import User
from pgo.accounts.service import AccountError, authenticate, change_password
from pgo.accounts.throttle import ThrottleDecision, record_sign_in_attempt, throttle_check
from pgo.accounts.totp import totp_enabled, verify_totp
from pgo.i18n import _, _l
from pgo.web.access import public, signed_in
from pgo.web.database import get_session
from pgo.web.forms import safe_next
from pgo.web.navigation import NavItem

bp = Blueprint("accounts", __name__)

NAV = [
    NavItem("accounts.consent_page", _l("Who may see my data"), ("patient",), icon="consent"),
    NavItem("accounts.access_log", _l("Who looked at my data"), ("patient",), icon="log"),
    NavItem("accounts.helpers_page", _l("My helpers"), ("patient",), icon="people"),  # #21
    NavItem("accounts.two_factor", _l("Second factor"), ("clinician",), icon="key"),
]

# Between the password and the code: who, since when, where to go afterwards (in the signed cookie).
PENDING_KEY = "second_step"
PENDING_SECONDS = 300


def client_address() -> str:
    return request.remote_addr or "unknown"


def _printable(value: str | None) -> str:
    """Form values shown again on the page: without control characters (they make the page invalid HTML)."""
    return "".join(ch for ch in (value or "") if ch.isprintable())


def _refused(decision: ThrottleDecision, template: str, **context):
    html = render_template(template, refused=decision.message(), **context)
    return html, 429, {"Retry-After": str(decision.retry_after)}


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    form = SignInForm(next=_printable(request.args.get("next", "")))
    form.next.data, form.email.data = _printable(form.next.data), _printable(form.email.data)
    failed = False
    if form.validate_on_submit():
        db = get_session()
        email, address = form.email.data, client_address()
        decision = throttle_check(session=db, email=email, address=address)
        if not decision.allowed:  # the same answer whether the account exists or not
            return _refused(decision, "accounts/sign_in.html", form=form, failed=False)
        result = authenticate(session=db, email=email, password=form.password.data)
        if result.ok and result.user.is_clinician and totp_enabled(session=db, user_id=result.user.id):
            session[PENDING_KEY] = {"user": result.user.id, "at": int(time.time()), "next": form.next.data or ""}
            return redirect(url_for("accounts.sign_in_code"))
        record_sign_in_attempt(session=db, email=email, address=address, succeeded=result.ok)
        db.commit()
        if result.ok:
            session_views.sign_in(result.user)
            return redirect(safe_next(form.next.data, url_for("web.home")))
        failed = True
    status = 200 if not (failed or form.errors) else 400
    sso = oidc.is_enabled(current_app)
    return render_template("accounts/sign_in.html", form=form, failed=failed, sso=sso), status


@bp.get("/sign-in/sso")
@public
def sso_start():
    if not oidc.is_enabled(current_app):
        abort(404)
    session["sso_next"] = safe_next(request.args.get("next"), url_for("web.home"))
    return oidc.client(current_app).authorize_redirect(url_for("accounts.sso_callback", _external=True))


@bp.get("/sign-in/sso/callback")
@public
def sso_callback():
    if not oidc.is_enabled(current_app):
        abort(404)
    try:
        token = oidc.client(current_app).authorize_access_token()
    except OAuthError:
        flash(_("Signing in with your organisation did not work. Try again or sign in with your password."))
        return redirect(url_for("accounts.sign_in"))
    db = get_session()
    issuer = current_app.config["PGO_OIDC_ISSUER"].rstrip("/")
    user = oidc.user_for_claims(session=db, claims=token.get("userinfo") or {}, issuer=issuer)
    if user is None:
        flash(_("There is no pgo account for this sign-in. Ask your care provider for an account."))
        return redirect(url_for("accounts.sign_in"))
    db.commit()
    target = session.pop("sso_next", url_for("web.home"))
    session_views.sign_in(user)
    return redirect(target)


def _pending_user() -> tuple[User | None, str]:
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, ""
    user = get_session().get(User, pending.get("user"))
    return user, str(pending.get("next") or "")


@bp.route("/sign-in/code", methods=["GET", "POST"])
@public
def sign_in_code():
    user, target = _pending_user()
    if user is None:
        session.pop(PENDING_KEY, None)
        flash(_("Sign in again: the step with the code took too long."))
        return redirect(url_for("accounts.sign_in"))
    form = TotpCodeForm()
    if form.validate_on_submit():
        db = get_session()
        decision = throttle_check(session=db, email=user.email, address=client_address())
        if not decision.allowed:
            return _refused(decision, "accounts/sign_in_code.html", form=form)
        app_secret = current_app.config["SECRET_KEY"]
        ok = verify_totp(session=db, user_id=user.id, code=form.code.data, app_secret=app_secret)
        record_sign_in_attempt(session=db, email=user.email, address=client_address(), succeeded=ok)
        db.commit()
        if ok:
            session_views.sign_in(user)  # clears the pending step with the rest of the old session
            return redirect(safe_next(target, url_for("web.home")))
        form.code.errors = [_("The code is not correct. Enter the newest code from your app.")]
    status = 400 if form.errors or form.code.errors else 200
    return render_template("accounts/sign_in_code.html", form=form), status


@bp.post("/sign-out")
@public
def sign_out():
    session_views.sign_out()
    flash(_("You are signed out."))
    return redirect(url_for("web.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        db = get_session()
        decision = throttle_check(session=db, email=g.user.email, address=client_address())
        if not decision.allowed:  # guesses at the current password count like sign-in attempts (#17)
            form.current.errors = [decision.message()]
            return _refused(decision, "accounts/password.html", form=form)
        try:
            change_password(session=db, user=g.user, current=form.current.data, new=form.new.data)
        except AccountError as error:
            getattr(form, error.field or "new").errors = [str(error)]
            guessed_wrong = error.field == "current"
            record_sign_in_attempt(
                session=db, email=g.user.email, address=client_address(), succeeded=not guessed_wrong
            )
            db.commit()
        else:
            sessions.end_other_sessions(session=db, user=g.user, keep_token=session_views.current_token())
            db.commit()
            flash(_("Your password has been changed. Other devices are signed out."))
            return redirect(url_for("web.home"))
    status = 400 if form.errors or any(f.errors for f in form) else 200
    return render_template("accounts/password.html", form=form), status


from pgo.accounts import consent_views, helper_views, totp_views  # noqa: E402, F401  (routes on this blueprint)
