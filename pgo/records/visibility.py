"""The visibility rule of staged imports (#17, 2026-12-03): a row an import wrote is hidden until the import is done.

An import writes its rows in short transactions (so that it blocks nobody), each row carrying the id of its file
(``import_file_id``). Until the import's last transaction marks its files visible, no reader may see them: a crash
or a refused file leaves nothing visible. The rule is applied once, here, to every ORM read of the staged tables
(``with_loader_criteria``), so the record, measurement and clinician pages need no filter of their own.

Rows written before imports were staged have no file (NULL); a row's file is hidden while its state is not
"visible" -- at any moment only the files of running (or crashed, not yet cleaned) imports, a handful.

The import itself sees every row (its own, to de-duplicate and resolve references): ``ALL_ROWS`` in the session's
``info`` or the statement's execution options turns the rule off. So do writes: only SELECTs are filtered.
"""

from __future__ import annotations

from sqlalchemy import event, or_, select
from sqlalchemy.orm import ORMExecuteState, with_loader_criteria
from sqlmodel import Session

ALL_ROWS = "pgo_all_import_rows"


# The tables whose rows an import writes: each declares it when its module is imported (``follow``; #19, 2026-12-03:
# records' own and measurements', so this module imports no feature). A table is followed before any read of it.
_STAGED: list = []


def follow(*models) -> None:
    """Apply the rule to reads of ``models`` (their module calls this when it is imported)."""
    global _CRITERIA
    _STAGED.extend(model for model in models if model not in _STAGED)
    _CRITERIA = None  # made again, with these, at the next read
    install()


def staged_models() -> tuple:
    """The tables whose rows an import writes."""
    return tuple(_STAGED)


def hidden_files():
    """The ids of the files whose rows nobody sees (a subquery; few rows, from a partial index)."""
    from pgo.records.models import HIDDEN_FILE, ImportFile

    return select(ImportFile.id).where(HIDDEN_FILE)


def visible(model):
    """The condition for rows of ``model`` that readers may see."""
    column = model.import_file_id
    return or_(column.is_(None), column.not_in(hidden_files()))


def _criteria(model):
    return with_loader_criteria(model, lambda cls: visible(cls), include_aliases=True)


_CRITERIA = None


def _filter_reads(state: ORMExecuteState) -> None:
    global _CRITERIA
    if not state.is_select or state.is_column_load or state.is_relationship_load:
        return
    if state.session.info.get(ALL_ROWS) or state.execution_options.get(ALL_ROWS):
        return
    if _CRITERIA is None:
        _CRITERIA = tuple(_criteria(model) for model in staged_models())
    state.statement = state.statement.options(*_CRITERIA)


def install() -> None:
    """Apply the rule to every session (idempotent; ``follow`` calls it)."""
    if not event.contains(Session, "do_orm_execute", _filter_reads):
        event.listen(Session, "do_orm_execute", _filter_reads)


def all_rows(session: Session) -> Session:
    """``session`` with the rule off: for the import that writes the rows, and for cleaning them up."""
    session.info[ALL_ROWS] = True
    return session
