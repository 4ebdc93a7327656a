"""Fetching a client's records by id, with a plain message when one is missing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import Session

from therapy_desk.domain.base import Record
from therapy_desk.services.errors import Conflict, NotFound

R = TypeVar("R", bound=Record)


def fetch(session: Session, model: type[R], record_id: uuid.UUID, *, what: str) -> R:
    record = session.get(model, record_id)
    if record is None:
        raise NotFound(f"No {what} with id {record_id}; it may have been removed")
    return record


def expect_version(record: Record, expected: int | None, *, what: str) -> None:
    """Refuse to save over a change made elsewhere since the record was opened."""
    if expected is not None and record.version != expected:
        raise Conflict(
            f"This {what} was changed on another workstation while you had it open; "
            "reopen it to see the change, then make your edit again"
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
