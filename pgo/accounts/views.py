"""Signing in and out, and changing the password."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from pgo.accounts import sessions
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
    return render_template("accounts/sign_in.html", form=form, failed=failed), status


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
