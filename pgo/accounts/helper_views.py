"""The helpers pages (#21): the patient invites and revokes helpers; the helper accepts and acts for the patient.

Thin views over ``pgo.accounts.helpers``; which pages a helper may open while acting is ``pgo.accounts.acting_views``.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, session, url_for

from pgo.accounts import helpers, session_views
from pgo.accounts.acting_views import SESSION_KEY
from pgo.accounts.forms import BirthDateForm, InviteHelperForm, NewHelperAccountForm
from pgo.accounts.models import User
from pgo.accounts.service import AccountError, create_user
from pgo.accounts.views import bp
from pgo.i18n import _
from pgo.web.access import patient_only, public, signed_in
from pgo.web.database import get_session


def _page(
    form: InviteHelperForm | None = None,
    *,
    invitation: helpers.Invitation | None = None,
    birth_form: BirthDateForm | None = None,
    status: int = 200,
):
    db = get_session()
    form = form or InviteHelperForm()
    birth = helpers.birth_date_of(session=db, user_id=g.user.id)
    age = helpers.age_on(birth, helpers.local_today()) if birth else None
    return render_template(
        "accounts/helpers.html",
        form=form,
        birth_form=birth_form or BirthDateForm(birth_date=birth),
        mine=helpers.helpers_of(session=db, patient=g.user),
        helping=helpers.helping(session=db, helper=g.user),
        invitation=invitation,
        invitation_url=_invitation_url(invitation),
        age=age,
    ), status


def _invitation_url(invitation: helpers.Invitation | None) -> str:
    return url_for("accounts.helper_invitation", code=invitation.code, _external=True) if invitation else ""


@bp.get("/helpers")
@patient_only
def helpers_page():
    return _page()


@bp.post("/helpers")
@patient_only
def helpers_invite():
    form = InviteHelperForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    db = get_session()
    try:
        invitation = helpers.invite(
            session=db,
            patient=g.user,
            email=form.email.data,
            scope=form.scope.data,
            categories=form.categories.data,
            ends_on=form.ends_on.data,
            relation=form.relation.data,
        )
    except helpers.HelperError as error:
        db.rollback()
        form[error.field or "email"].errors = [str(error)]
        return _page(form, status=400)
    db.commit()
    # The code is shown once, here: only its hash is kept.
    return _page(InviteHelperForm(formdata=None), invitation=invitation, status=201)


@bp.post("/helpers/birth-date")
@patient_only
def helpers_birth_date():
    form = BirthDateForm()
    db = get_session()
    try:
        if not form.validate_on_submit():
            raise helpers.HelperError(_("Enter your date of birth, for example 12-04-2012."))
        helpers.set_birth_date(session=db, user=g.user, birth_date=form.birth_date.data)
    except helpers.HelperError as error:
        db.rollback()
        form.birth_date.errors = [str(error)]
        return _page(birth_form=form, status=400)
    db.commit()
    flash(_("Your date of birth is saved."))
    return redirect(url_for("accounts.helpers_page"), code=303)


@bp.post("/helpers/<int:grant_id>/revoke")
@patient_only
def helpers_revoke(grant_id: int):
    db = get_session()
    try:
        helpers.revoke(session=db, patient=g.user, grant_id=grant_id)
    except helpers.HelperError:
        abort(404)
    db.commit()
    flash(_("Done: this person can no longer see or do anything for you, from now on."))
    return redirect(url_for("accounts.helpers_page"), code=303)


@bp.post("/helpers/<int:grant_id>/agree")
@patient_only
def helpers_agree(grant_id: int):
    db = get_session()
    try:
        helpers.child_agrees(session=db, patient=g.user, grant_id=grant_id)
    except helpers.HelperError:
        abort(404)
    db.commit()
    flash(_("Done: your parent can help you now. You can stop it at any moment."))
    return redirect(url_for("accounts.helpers_page"), code=303)


@bp.post("/helping/<int:grant_id>/stop")
@patient_only
def helping_stop(grant_id: int):
    """The helper stops helping someone: the same as that person stopping it."""
    db = get_session()
    try:
        helpers.stop_helping(session=db, helper=g.user, grant_id=grant_id)
    except helpers.HelperError:
        abort(404)
    db.commit()
    session.pop(SESSION_KEY, None)
    flash(_("Done: you no longer help this person."))
    return redirect(url_for("accounts.helpers_page"), code=303)


@bp.route("/helpers/invitation/<code>", methods=["GET", "POST"])
@public
def helper_invitation(code: str):
    """An invitation opens for whoever has its link; accepting needs the invited address (signed in or new)."""
    db = get_session()
    grant = helpers.invitation_for(session=db, code=code)
    if grant is None:
        return render_template("accounts/helper_invitation.html", grant=None, form=None, error=""), 404
    patient = db.get(User, grant.patient_id)
    form = NewHelperAccountForm() if g.user is None else None
    error = ""
    if request.method == "POST":
        try:
            if g.user is None:
                if not form.validate_on_submit():
                    raise helpers.HelperError("")
                user = create_user(session=db, email=grant.invited_email, password=form.password.data,
                                   name=form.name.data)  # fmt: skip
            else:
                user = g.user
            helpers.accept(session=db, code=code, helper=user)
        except (AccountError, helpers.HelperError) as problem:
            db.rollback()
            error = str(problem)
            if form is not None and error:
                form.password.errors = [error]
        else:
            db.commit()
            if g.user is None:
                session_views.sign_in(user)
            flash(_("Done: you can now help %(name)s.", name=patient.name or patient.email))
            return redirect(url_for("accounts.helpers_page"), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "accounts/helper_invitation.html", grant=grant, patient=patient, form=form, error=error
    ), status


@bp.post("/acting/<int:grant_id>")
@patient_only
def start_acting(grant_id: int):
    if helpers.current_grant(session=get_session(), grant_id=grant_id, helper_id=g.user.id) is None:
        abort(404)
    session[SESSION_KEY] = grant_id
    return redirect(url_for("web.home"), code=303)


@bp.post("/acting/stop")
@signed_in
def stop_acting():
    session.pop(SESSION_KEY, None)
    flash(_("You see your own data again."))
    return redirect(url_for("web.home"), code=303)
