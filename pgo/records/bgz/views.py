"""The BgZ section pages (#20 part 2): a page that lists the sections, and one page per section.

Thin views: the queries in ``pgo.records.bgz.queries`` make the items, the catalogue gives each section its
explanation at the person's reading level, and the page is kept per records revision like the other record pages.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from pgo.accounts.patient_views import patient_in_view
from pgo.records import revision
from pgo.records.bgz import queries
from pgo.records.bgz.sections import SECTIONS, SLUGS
from pgo.records.bgz.texts import section_text
from pgo.web.access import patient_only
from pgo.web.database import get_session
from pgo.web.fragments import fragment_for
from pgo.web.preferences import current_preferences
from pgo.web.request import current_lang, current_level

bp = Blueprint("bgz", __name__, url_prefix="/records")
PER_PAGE = 25  # items a section page shows at once (a hospital's past appointments can run to hundreds)


def _render(template: str, build, **context):
    patient = patient_in_view(None, category="records", what="view:records")
    session, lang = get_session(), current_lang()
    level = str(current_level())
    key = (
        "bgz", request.full_path, patient.id, revision.current(session=session, user_id=patient.id), lang,
        current_preferences().content_key,
    )  # fmt: skip
    fragment = fragment_for(key)
    if not fragment.ready:
        context.update(build(session, patient.id, lang, level))
    return render_template(template, patient=patient, fragment=fragment, level=level, **context)


@bp.get("/more")
@patient_only
def sections():
    """Every section with how many items it holds and one sentence on what it is."""

    def build(session, user_id, lang, level):
        counts = queries.section_counts(session=session, user_id=user_id)
        texts = {slug: section_text(SECTIONS[slug].catalogue, level, lang) for slug in SLUGS}
        return {"sections": SECTIONS, "counts": counts, "texts": texts}

    return _render("records/sections.html", build)


@bp.get("/<any({}):name>".format(", ".join(f'"{slug}"' for slug in SLUGS)))
@patient_only
def section(name: str):
    if name not in SECTIONS:
        abort(404)
    slug = name

    def build(session, user_id, lang, level):
        page = max(1, request.args.get("page", 1, type=int) or 1)
        found = queries.section_page(session=session, user_id=user_id, slug=slug, page=page, per_page=PER_PAGE)
        return {"found": found, "text": section_text(SECTIONS[slug].catalogue, level, lang)}

    return _render("records/section.html", build, section=SECTIONS[slug], slug=slug)
