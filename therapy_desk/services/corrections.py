"""What correcting and striking out share, for measure results and falls alike.

A correction supersedes a row with a new one; a strike-out marks a row made in error.
Either way the row stays, with who, when and why (domain/correction.py), and only a
current row can be corrected or struck out.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy.orm import Session

from therapy_desk import words
from therapy_desk.domain import Client, Fall, Measurement
from therapy_desk.domain.correction import Correctable
from therapy_desk.services.checks import Problems
from therapy_desk.services.errors import ValidationError
from therapy_desk.services.records import expect_version, fetch

#: A record that can be corrected or struck out.
Row = TypeVar("Row", Measurement, Fall)

#: Longest reason a correction or strike-out may give.
REASON_LIMIT = 2000


def check_reason(p: Problems, reason: str | None, *, doing: str) -> None:
    """A reason is required: the history says why a record was changed."""
    p.text("reason", reason, label=f"A reason for {doing}", limit=REASON_LIMIT, required=True)
    p.visible("reason", reason, label="The reason")


def require_current(row: Correctable, *, what: str) -> None:
    """Refuse to correct or strike out a row that is already history."""
    if row.struck_at is not None:
        by = f" by {row.struck_by}" if row.struck_by else ""
        raise ValidationError({what: f"This {what} was already struck out{by}"})
    if row.superseded_by_id is not None:
        by = f" by {row.corrected_by}" if row.corrected_by else ""
        raise ValidationError(
            {what: f"This {what} was already corrected{by}; correct the corrected one instead"}
        )


def to_change(
    session: Session,
    model: type[Row],
    row_id: uuid.UUID,
    *,
    what: str,
    expected_version: int,
    reason: str,
    doing: str,
    also: Callable[[Problems, Row], None] | None = None,
) -> Row:
    """The row a correction or strike-out is about, once it is known to be there, unchanged
    since it was shown, still current, and given a reason (`also` adds the record's own
    problems, reported with the reason's)."""
    row = fetch(session, model, row_id, what=what)
    fetch(session, Client, row.client_id, what="client")
    expect_version(row, expected_version, what=what)
    require_current(row, what=what)
    p = Problems()
    check_reason(p, reason, doing=doing)
    if also is not None:
        also(p, row)
    p.raise_if_any()
    return row


def put_in_place(
    session: Session, old: Row, new: Row, *, reason: str, by: str, now: datetime
) -> None:
    """Save a corrected row in place of `old`, which stays as history."""
    session.add(new)
    supersede(old, new.id, reason=reason, by=by, now=now)
    session.flush()


def strike_out(
    session: Session,
    model: type[Row],
    row_id: uuid.UUID,
    *,
    what: str,
    reason: str,
    by: str,
    now: datetime,
    expected_version: int,
) -> Row:
    """Mark a row made in error; it stays in the history with who, when and why."""
    row = to_change(
        session,
        model,
        row_id,
        what=what,
        expected_version=expected_version,
        reason=reason,
        doing="striking it out",
    )
    strike(row, reason=reason, by=by, now=now)
    session.flush()
    return row


def supersede(old: Correctable, new_id: uuid.UUID, *, reason: str, by: str, now: datetime) -> None:
    old.superseded_by_id = new_id
    old.corrected_at = now
    old.corrected_by = by
    old.correction_reason = reason.strip()


def strike(row: Correctable, *, reason: str, by: str, now: datetime) -> None:
    row.struck_at = now
    row.struck_by = by
    row.struck_reason = reason.strip()


def _when(at: datetime | None) -> str:
    return words.day(at.astimezone().date()) if at is not None else "at some point"


def corrected_line(earlier: Correctable, changes: list[str]) -> str:
    """'corrected 3 Dec 2026 by Sam: was 12.4 s — typed the wrong trial'."""
    by = f" by {earlier.corrected_by}" if earlier.corrected_by else ""
    what = "; ".join(changes) if changes else "nothing shown here changed"
    return f"corrected {_when(earlier.corrected_at)}{by}: {what} — {earlier.correction_reason}"


def struck_line(row: Correctable) -> str:
    """'struck out 3 Dec 2026 by Sam — entered for the wrong client'."""
    by = f" by {row.struck_by}" if row.struck_by else ""
    return f"struck out {_when(row.struck_at)}{by} — {row.struck_reason}"
