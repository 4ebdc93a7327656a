"""Turns a client record file's entries into ORM records, checking each value on the way.

Every column's value is converted from JSON and, for a file being imported, checked
for plausibility: dates and timestamps within the clinic's limits, text that fits
its field (single line where the form has one line, visible where it must be seen,
no longer than the form allows). Rows read back from this database are converted
without checking.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Enum

from therapy_desk import words
from therapy_desk.domain import ProgrammeItem, Record
from therapy_desk.exchange.layout import (
    VISIBLE_TEXT,
    Node,
    date_problem,
    from_json,
    is_single_line,
    text_problem,
    timestamp_problem,
)
from therapy_desk.services.corrections import REASON_LIMIT
from therapy_desk.services.programmes import CUE_LIMIT

#: The forms' length limits for text whose service has no check function of its own
#: (services/programmes.py, devices.py, trials.py, advisories.py).
FORM_TEXT_LIMITS: dict[tuple[str, str], int] = {
    ("programme_item", "cue"): CUE_LIMIT,
    ("device_assignment", "size_settings"): 2000,
    ("device_assignment", "training_given"): 5000,
    ("device_assignment", "notes"): 5000,
    ("trial", "what"): 500,
    ("trial", "why"): 5000,
    ("trial", "success_looks_like"): 5000,
    ("trial_note", "text"): 10_000,
    ("advisory_dismissal", "reason"): 2000,
    **{
        (table, column): REASON_LIMIT
        for table in ("measurement", "fall")
        for column in ("correction_reason", "struck_reason")
    },
}


#: An item's exercise by code, until the import looks the codes up in the catalogue.
ExerciseCodes = dict[ProgrammeItem, str]


@dataclass(frozen=True)
class Limits:
    """What dates and timestamps in an imported file may be."""

    today: date
    #: The latest timestamp a row may carry: now (or the end of `today`) and a little skew.
    latest: datetime


def _field_problem(node: Node, key: str, value: Any, column: Any, limits: Limits) -> str | None:
    table = node.model.__tablename__
    if isinstance(value, datetime):
        return timestamp_problem(value, latest=limits.latest)
    if isinstance(value, date):
        return date_problem(table, key, value, today=limits.today)
    if isinstance(value, str) and not isinstance(column.type, Enum):
        message = text_problem(
            value, single_line=is_single_line(column), visible=(table, key) in VISIBLE_TEXT
        )
        if message is None and (table, key) in FORM_TEXT_LIMITS:
            limit = FORM_TEXT_LIMITS[table, key]
            if len(value) > limit:
                message = (
                    f"is {words.count(len(value), 'character')} long; "
                    f"the form allows {words.number(limit)}"
                )
        return message
    return None


def build(
    node: Node,
    data: dict[str, Any],
    at: str,
    problems: dict[str, str],
    codes: ExerciseCodes,
    limits: Limits | None,
) -> Record:
    """The record and its children as ORM objects (not yet in a session). `limits` None
    converts without checking: for rows read back from this database."""
    values: dict[str, Any] = {}
    for column in node.columns:
        if column.key not in data:
            continue
        try:
            value = from_json(column, data[column.key])
        except (ValueError, TypeError) as problem:
            problems[f"{at}.{column.key}"] = f"cannot be read: {problem}"
            continue
        if limits is not None:
            message = _field_problem(node, column.key, value, column, limits)
            if message is not None:
                problems[f"{at}.{column.key}"] = message
                continue
        values[column.key] = value
    record = node.model(**values)
    if isinstance(record, ProgrammeItem):
        codes[record] = data["exercise_code"]
    for child in node.children:
        built = [
            build(child, entry, f"{at}.{child.key}[{i}]", problems, codes, limits)
            for i, entry in enumerate(data[child.key])
        ]
        setattr(record, child.key, built)
    return record


def walk(node: Node, record: Record, at: str) -> Iterator[tuple[Node, Record, str]]:
    """The record and every row under it, each with its node and field path."""
    yield node, record, at
    for child in node.children:
        for i, sub in enumerate(getattr(record, child.key)):
            yield from walk(child, sub, f"{at}.{child.key}[{i}]")
