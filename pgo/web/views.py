"""Pages every person shares: the start page, language, display preferences."""

from __future__ import annotations

from flask import Blueprint, current_app, g, make_response, redirect, render_template, request, url_for

from pgo.i18n import _l
from pgo.web.access import public
from pgo.web.database import get_session
from pgo.web.forms import LanguageForm, PreferencesForm, safe_next
from pgo.web.locale import LANGUAGE_COOKIE
from pgo.web.navigation import NavItem
from pgo.web.preferences import DISPLAY_COOKIE, current_preferences
from pgo.web.request import current_lang

bp = Blueprint("web", __name__)

NAV = [NavItem("web.home", _l("Home"), ("patient", "clinician"), icon="home")]

ONE_YEAR = 365 * 24 * 3600


@bp.get("/")
@public
def home():
    user = g.get("user")
    if user is None:
        return render_template("web/welcome.html")
    return render_template("web/home.html", user=user)


@bp.post("/language")
@public
def language():
    form = LanguageForm()
    target = safe_next(request.form.get("next"))
    if not form.validate_on_submit() or form.lang.data not in ("nl", "en"):
        return redirect(target)
    if g.get("user") is not None:
        g.user.locale = form.lang.data
        db = get_session()
        db.add(g.user)
        db.commit()
    response = make_response(redirect(target))
    _set_cookie(response, LANGUAGE_COOKIE, form.lang.data)
    return response


@bp.route("/preferences", methods=["GET", "POST"])
@public
def preferences():
    prefs = current_preferences()
    form = PreferencesForm(
        data={
            "text_size": prefs.text_size,
            "high_contrast": prefs.high_contrast,
            "simplified": prefs.simplified,
            "reading_level": prefs.reading_level,
            "language": current_lang(),
        }
    )
    if form.validate_on_submit():
        chosen = prefs.updated(
            text_size=form.text_size.data,
            high_contrast=form.high_contrast.data,
            simplified=form.simplified.data,
            reading_level=form.reading_level.data,
        )
        response = make_response(redirect(url_for("web.preferences", saved=1)))
        if g.get("user") is not None:
            chosen.apply_to(g.user)
            g.user.locale = form.language.data
            db = get_session()
            db.add(g.user)
            db.commit()
        _set_cookie(response, DISPLAY_COOKIE, chosen.to_cookie())
        _set_cookie(response, LANGUAGE_COOKIE, form.language.data)
        return response
    saved = request.args.get("saved") == "1" and not form.errors
    status = 400 if form.errors else 200
    return render_template("web/preferences.html", form=form, saved=saved), status


@bp.get("/favicon.ico")
@public
def favicon():
    return current_app.send_static_file("favicon.svg"), 200, {"Content-Type": "image/svg+xml"}


@bp.get("/health")
@public
def health():
    return {"status": "ok"}


@bp.get("/hello")
@public
def hello():
    """A trivial route: the throughput baseline of the benchmarks."""
    return "hello"


def _set_cookie(response, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        max_age=ONE_YEAR,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
