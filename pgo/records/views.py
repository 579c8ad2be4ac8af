"""Records: the patient's imported records by category, each with an explanation at the reader's level.

The patient's own pages live under /records. Every view goes through ``patient_in_view`` so that the same
templates can later serve a clinician with consent (the patient id then comes from the URL).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from flask import Blueprint, abort, g, make_response, render_template, request, url_for
from werkzeug.exceptions import NotFound

from pgo.accounts.patient_views import patient_in_view
from pgo.i18n import _l
from pgo.levels import LEVELS
from pgo.records import document_serving, queries, revision
from pgo.records.bgz import queries as bgz_queries
from pgo.records.explanations import (
    RecordExplanation,
    explain_records,
    page_summary,
    preload,
)
from pgo.records.models import RecordEntry
from pgo.records.presenters import present
from pgo.web.access import patient_only
from pgo.web.database import get_session
from pgo.web.fragments import fragment_for
from pgo.web.ids import database_id
from pgo.web.navigation import NavItem
from pgo.web.preferences import current_preferences
from pgo.web.request import current_lang, current_level, is_htmx

bp = Blueprint("records", __name__, url_prefix="/records")

NAV = [NavItem("records.overview", _l("My records"), ("patient",), icon="records")]

# URL slug -> (record category, pictogram, heading)
CATEGORY_PAGES = {
    "problems": ("problem", "problems", _l("Health problems")),
    "allergies": ("allergy", "allergy", _l("Allergies")),
    "vaccinations": ("vaccination", "vaccination", _l("Vaccinations")),
    "procedures": ("procedure", "procedure", _l("Procedures")),
    "visits": ("visit", "visit", _l("Visits")),
    "documents": ("document", "document", _l("Documents")),
}
PER_PAGE = 20  # records per page: short pages read better (and cost less to make, issue 8)
RESULT_GROUPS_PER_PAGE = 20


def _patient():
    return patient_in_view(None, category="records", what="view:records")


def _page_number() -> int:
    return max(1, request.args.get("page", 1, type=int) or 1)


class Explainer:
    """Explanations for the records on one page: the person's level, the level chosen for the page (``?level=``,
    #18), or the level chosen for one item (``?level=&item=``, the item page's own switch)."""

    def __init__(self, user_id: int) -> None:
        self.user_id = user_id
        self.lang = current_lang()
        self.default = current_level()
        self.chosen_item = request.args.get("item", type=database_id)
        chosen = request.args.get("level", "")
        self.chosen_level = chosen if chosen in LEVELS else None
        self.ready: dict[int, RecordExplanation | None] = {}

    def level_for(self, entry_id: int) -> str:
        if self.chosen_level and self.chosen_item in (None, entry_id):
            return self.chosen_level
        return str(self.default)

    def prepare(self, entry_ids: list[int]) -> Explainer:
        """Explain the records a page shows in one go (a fixed number of queries), before the template asks."""
        wanted = [i for i in entry_ids if i not in self.ready]
        self.ready.update(
            explain_records(
                session=get_session(), user_id=self.user_id, entry_ids=wanted,
                levels={i: self.level_for(i) for i in wanted}, lang=self.lang,
            )
        )  # fmt: skip
        self.ready.update((i, None) for i in wanted if i not in self.ready)
        return self

    def __call__(self, entry_id: int):
        if entry_id not in self.ready:
            self.prepare([entry_id])
        return self.ready[entry_id]


def _render(template: str, patient, page_key: str, build, **context):
    """Render a record page. ``build()`` runs the page's queries and returns (template values, ids of the records
    whose explanation the page shows); it is skipped when the page's content is kept from an earlier request
    with the same records revision, language, simplified view and reading level, and query (pgo.web.fragments)."""
    session, lang = get_session(), current_lang()
    key = (
        "records", request.full_path, request.headers.get("HX-Request"), patient.id,
        revision.current(session=session, user_id=patient.id), lang, current_preferences().content_key,
    )  # fmt: skip
    fragment = fragment_for(key)
    if not fragment.ready:
        values, shown = build(session)
        counts = values["overview"].counts if "overview" in values else None
        summary = page_summary(session=session, user_id=patient.id, page=page_key, lang=lang, counts=counts)
        context.update(values, explain=Explainer(patient.id).prepare(shown), summary=summary)
    return render_template(
        template, patient=patient, fragment=fragment, page_key=page_key, levels=LEVELS, page_level=_page_level(),
        **context,
    )  # fmt: skip


def _page_level() -> str:
    """The level every explanation on a list page is at: chosen for the page, else the person's preference."""
    return page_level_choice() or str(current_level())


def _ids(*groups) -> list[int]:
    return [item.id for group in groups for item in group]


@bp.get("")
@patient_only
def overview():
    patient = _patient()

    def build(session):
        found = queries.overview(session=session, user_id=patient.id)
        shown = _ids(found.abnormal_results, found.current_medication, found.recent_results)
        return {"overview": found, "prominent": bgz_queries.prominent(session=session, user_id=patient.id)}, shown

    return _render("records/overview.html", patient, "overview", build, categories=CATEGORY_PAGES)


@bp.get("/results")
@patient_only
def results():
    patient = _patient()

    def build(session):
        found = queries.results_page(
            session=session, user_id=patient.id, page=_page_number(), per_page=RESULT_GROUPS_PER_PAGE
        )
        return {"results": found}, [group.latest.id for group in found.items]

    return _render("records/results.html", patient, "result", build)


@bp.get("/medication")
@patient_only
def medication():
    patient = _patient()

    def build(session):
        found = queries.medication_page(session=session, user_id=patient.id, page=_page_number(), per_page=PER_PAGE)
        return {"medication": found}, _ids(found.current, found.stopped.items)

    return _render("records/medication.html", patient, "medication", build)


@bp.get("/<any(problems, allergies, vaccinations, procedures, visits, documents):slug>")
@patient_only
def category(slug: str):
    patient = _patient()
    record_category, icon_name, heading = CATEGORY_PAGES[slug]

    def build(session):
        found = queries.category_page(
            session=session, user_id=patient.id, category=record_category, page=_page_number(), per_page=PER_PAGE
        )
        return {"found": found}, _ids(found.items)

    return _render(
        "records/category.html", patient, record_category, build, slug=slug, icon_name=icon_name, heading=heading
    )


def _own_entry(patient_id: int, entry_id: int) -> RecordEntry:
    entry = get_session().get(RecordEntry, entry_id)
    if entry is None or entry.user_id != patient_id:
        raise NotFound()
    return entry


@bp.get("/item/<int:entry_id>")
@patient_only
def item(entry_id: int):
    """One record with its explanation. An htmx request gets only the explanation (the level switch)."""
    patient = _patient()
    entry = _own_entry(patient.id, entry_id)
    explainer = Explainer(patient.id)
    if request.args.get("level") in LEVELS:
        explainer.chosen_item, explainer.chosen_level = entry_id, request.args["level"]
    if is_htmx():
        return render_template("records/_explanation.html", explanation=explainer(entry_id), levels=LEVELS)
    session = get_session()
    shown = present(entry, queries.sources_of(session, [entry_id]))
    # headings inside the narrative become paragraphs: the page keeps its one h1 and its outline
    text = re.sub(r"<(/?)h[1-6]\b", r"<\1p", queries.narrative(session=session, user_id=patient.id, entry_id=entry_id))
    return render_template(
        "records/item.html", patient=patient, item=shown, explain=explainer, narrative=text, levels=LEVELS
    )


@bp.get("/documents/<int:entry_id>/file")
@patient_only
def document_file(entry_id: int):
    """The document's bytes, opened in the browser or (with ?download=1) saved, only for its owner."""
    patient = _patient()
    content = queries.document_content(session=get_session(), user_id=patient.id, entry_id=entry_id)
    if content is None:
        abort(404)
    served = document_serving.serving(content.data, content.title, download=request.args.get("download") == "1")
    response = make_response(content.data)
    response.headers["Content-Type"] = served.content_type
    response.headers["Content-Disposition"] = served.content_disposition
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = document_serving.DOCUMENT_CSP
    response.headers["Cache-Control"] = "private, no-store"
    return response


def level_url(entry_id: int, level: str) -> str:
    """The no-JavaScript link that re-renders the current page with one item's explanation at ``level``."""
    if "level_base" not in g:
        base, page = request.path, request.args.get("page", type=int)
        if is_htmx() and request.headers.get("HX-Current-URL"):
            current = urlsplit(request.headers["HX-Current-URL"])
            base, page = current.path, dict(parse_qsl(current.query)).get("page")
        g.level_base = quote(base) + "?" + (urlencode({"page": page}) + "&" if page else "")
    # level is one of LEVELS and entry_id a number: nothing else to quote (a card has three of these links)
    return f"{g.level_base}level={level}&item={entry_id}#item-{entry_id}"


def page_level_choice() -> str | None:
    """The level chosen for this list page (``?level=``), for its pager's links to keep; None: the preference."""
    chosen = request.args.get("level", "")
    return chosen if chosen in LEVELS and "item" not in request.args else None


def page_level_url(level: str) -> str:
    """The link that re-renders the current list page (same page number) with every explanation at ``level``."""
    page = request.args.get("page", type=int)
    return quote(request.path) + "?" + urlencode({**({"page": page} if page else {}), "level": level})


def item_url(entry_id: int) -> str:
    """``url_for("records.item", entry_id=...)`` for the cards of a page: the prefix is built once per request."""
    if "item_base" not in g:
        g.item_base = url_for("records.item", entry_id=0).removesuffix("0")
    return f"{g.item_base}{entry_id}"


def read_aloud_url(entry_id: int, level: str) -> str:
    """``url_for("read_aloud.speak", item=..., level=...)``, the prefix built once per request (as above)."""
    if "read_aloud_base" not in g:
        g.read_aloud_base = url_for("read_aloud.speak") + "?"
    return g.read_aloud_base + urlencode({"item": entry_id, "level": level})


@bp.record_once
def _helpers(state) -> None:
    # globals (not a context processor): the component macros are imported without context
    state.app.jinja_env.globals.update(
        level_url=level_url,
        item_url=item_url,
        read_aloud_url=read_aloud_url,
        page_level_url=page_level_url,
        page_level_choice=page_level_choice,
    )
    preload()  # the catalogue and glossary (cached per process), so no person's first request waits for them
