"""Read aloud (#19: moved from pgo.literacy, which speaks; records know what to say): WAV audio of a record's
explanation, a page summary or a BgZ section's explanation, only ever text the app itself wrote."""

from __future__ import annotations

from flask import Blueprint, abort, request

from pgo.accounts.patient_views import patient_in_view
from pgo.levels import LEVELS
from pgo.literacy.views import audio_response
from pgo.records.bgz.sections import SECTIONS
from pgo.records.bgz.texts import section_speech
from pgo.records.explanations import PAGES, explain_record, page_summary
from pgo.web.access import patient_only
from pgo.web.database import get_session
from pgo.web.ids import database_id
from pgo.web.request import current_lang

bp = Blueprint("read_aloud", __name__)


def _text_to_read(user_id: int, lang: str) -> str:
    """Only text the app itself wrote: an explanation (record id + level) or a page summary."""
    session = get_session()
    entry_id = request.args.get("item", type=database_id)
    if entry_id is not None:
        level = request.args.get("level", "standard")
        found = explain_record(
            session=session, user_id=user_id, entry_id=entry_id, level=level if level in LEVELS else "standard",
            lang=lang,
        )  # fmt: skip
        if found is None:
            abort(404)
        return found.speech
    section = request.args.get("section", "")
    if section:  # a BgZ section's explanation (#20)
        if section not in SECTIONS:
            abort(404)
        level = request.args.get("level", "standard")
        return section_speech(SECTIONS[section].catalogue, level if level in LEVELS else "standard", lang)
    page = request.args.get("page", "")
    if page not in PAGES:
        abort(404)
    return page_summary(session=session, user_id=user_id, page=page, lang=lang)


@bp.get("/read-aloud")
@patient_only
def speak():
    """WAV audio of an explanation or a page summary, in the page's language (espeak-ng, cached on disk)."""
    patient = patient_in_view(None, category="records", what="view:records")
    lang = current_lang()
    return audio_response(_text_to_read(patient.id, lang), lang)
