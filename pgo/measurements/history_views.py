"""What a measurement history page reads from the request, shared by the patient's and the clinician's pages
(#19): the type, the period, the page, and the links of the pager and the period choice."""

from __future__ import annotations

from flask import abort, request, url_for

from pgo.i18n import _
from pgo.measurements.history import PERIODS, ROWS_PER_PAGE
from pgo.measurements.types import MeasurementType, UnknownMeasurementType, get_type


def type_or_404(key: str) -> MeasurementType:
    try:
        return get_type(key)
    except UnknownMeasurementType:
        abort(404)


def period() -> str:
    chosen = request.args.get("period", "week")
    return chosen if chosen in PERIODS else "week"


def page() -> int:
    return max(1, request.args.get("page", 1, type=int) or 1)


def pager(endpoint: str, **args) -> dict:
    """What the history table's pager needs: where its links go (the period is added by the template)."""
    return {"pager_endpoint": endpoint, "pager_args": args, "per_page": ROWS_PER_PAGE}


def period_choices(endpoint: str, **args) -> list[tuple[str, str, str]]:
    labels = {"week": _("Week"), "month": _("Month"), "year": _("Year")}
    return [(key, labels[key], url_for(endpoint, period=key, **args)) for key in PERIODS]
