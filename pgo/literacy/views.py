"""Explanations at the reader's level: read-aloud audio and the reading-level screener."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, g, make_response, redirect, render_template, request, url_for

from pgo.i18n import _
from pgo.literacy import read_aloud as speech
from pgo.literacy import screener
from pgo.literacy.forms import SaveLevelForm, ScreenerForm
from pgo.web.access import signed_in
from pgo.web.database import get_session
from pgo.web.navigation import NavItem

bp = Blueprint("literacy", __name__)

NAV: list[NavItem] = []


def audio_response(text: str, lang: str):
    """WAV audio of ``text`` (text the app wrote) for a read-aloud link; 503 when speech is not available.
    Shared by every page with a read-aloud link (records, measurement advice, decision-aid steps, #18)."""
    try:
        audio = speech.synthesize(text, lang, cache_dir=Path(current_app.instance_path) / "read_aloud")
    except speech.ReadAloudError:
        abort(503)
    response = make_response(audio)
    response.headers["Content-Type"] = "audio/wav"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.route("/reading-level", methods=["GET", "POST"])
@signed_in
def reading_level():
    """One question; the answer suggests a level, which the person may save (or not)."""
    form = ScreenerForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            return render_template("literacy/reading_level.html", form=form, suggestion=None), 400
        return redirect(url_for("literacy.reading_level", answer=form.answer.data))
    suggestion = None
    answer = request.args.get("answer", type=int)
    if answer in range(1, 6):
        form.answer.data = str(answer)
        suggestion = str(screener.suggest_level(answer))
    return render_template(
        "literacy/reading_level.html", form=form, suggestion=suggestion, save_form=SaveLevelForm(level=suggestion)
    )


@bp.post("/reading-level/save")
@signed_in
def save_reading_level():
    form = SaveLevelForm()
    if not form.validate_on_submit():
        abort(400)
    g.user.reading_level = form.level.data
    session = get_session()
    session.add(g.user)
    session.commit()
    flash(_("Your reading level is saved. Explanations now use it."))
    return redirect(url_for("literacy.reading_level"))
