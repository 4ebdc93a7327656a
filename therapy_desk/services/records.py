"""Fetching a client's records by id, with a plain message when one is missing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import Session, object_session

from therapy_desk.domain.base import Record
from therapy_desk.services.errors import Conflict, NotFound

R = TypeVar("R", bound=Record)


#: `Session.info` keys: the client an action is about (named when it is busy), and the
#: record whose version an update was checked against (named when a race is lost).
SUBJECT = "subject"
GUARDED = "guarded"


def fetch(session: Session, model: type[R], record_id: uuid.UUID, *, what: str) -> R:
    record = session.get(model, record_id)
    if record is None:
        raise NotFound(f"No {what} with id {record_id}; it may have been removed")
    reference = getattr(record, "reference", None)
    if isinstance(reference, str):
        note_subject(session, reference)
    return record


def note_subject(session: Session, reference: str) -> None:
    """Name the client this action is about, for a message if it finds the client busy."""
    session.info[SUBJECT] = reference


def expect_version(record: Record, expected: int, *, what: str) -> None:
    """Refuse to save over a change made elsewhere since the record was opened.

    Every update names the version its user saw: there is no unchecked default. The
    record is remembered, so a race lost at the database (the row changed between this
    check and the write) is reported the same way.
    """
    watch(record, what=what)
    if record.version != expected:
        raise conflict_over(record, what=what)


def watch(record: Record, *, what: str) -> None:
    """Remember the record this action writes, to name it if a race is lost at the
    database (its row changed between reading and writing)."""
    session = object_session(record)
    if session is not None:
        session.info[GUARDED] = (type(record), record.id, what)


def conflict_over(record: Record, *, what: str) -> Conflict:
    return Conflict(
        what,
        changed_by=record.edited_by,
        changed_at=record.updated_at,
        current_version=record.version,
    )


#: Ids per IN (...) list: well inside every backend's bound-parameter limit.
CHUNK = 2000


def rows_for_clients(
    session: Session,
    query: Select[*tuple[Any, ...]],
    column: Any,
    ids: Sequence[uuid.UUID] | None,
) -> Iterator[Any]:
    """Run a per-client query for these clients (None: every client), a chunk of ids at a time."""
    if ids is None:
        yield from session.execute(query)
        return
    for start in range(0, len(ids), CHUNK):
        yield from session.execute(query.where(column.in_(ids[start : start + CHUNK])))
