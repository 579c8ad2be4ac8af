"""Signing in and out, and changing the password."""

from __future__ import annotations

from authlib.integrations.base_client import OAuthError
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for

from pgo.accounts import oidc, sessions
from pgo.accounts.forms import PasswordChangeForm, SignInForm
from pgo.accounts.service import AccountError, authenticate, change_password
from pgo.db import get_session
from pgo.i18n import _
from pgo.web import auth
from pgo.web.access import public, signed_in
from pgo.web.forms import safe_next

bp = Blueprint("accounts", __name__)


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    form = SignInForm(next=request.args.get("next", ""))
    failed = False
    if form.validate_on_submit():
        result = authenticate(session=get_session(), email=form.email.data, password=form.password.data)
        if result.ok:
            auth.sign_in(result.user)
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
    auth.sign_in(user)
    return redirect(target)


@bp.post("/sign-out")
@public
def sign_out():
    auth.sign_out()
    flash(_("You are signed out."))
    return redirect(url_for("web.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            change_password(session=db, user=g.user, current=form.current.data, new=form.new.data)
        except AccountError as error:
            getattr(form, error.field or "new").errors = [str(error)]
        else:
            sessions.end_other_sessions(session=db, user=g.user, keep_token=auth.current_token())
            db.commit()
            flash(_("Your password has been changed. Other devices are signed out."))
            return redirect(url_for("web.home"))
    status = 400 if form.errors or any(f.errors for f in form) else 200
    return render_template("accounts/password.html", form=form), status
