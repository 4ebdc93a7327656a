"""The shape of a client record file: which tables nest where, and how each value is written.

One table (`TREE`) drives the export, the import and the JSON Schema, so the three
cannot drift apart. Bump `FORMAT_VERSION` for any change a reader must know about.
"""

from __future__ import annotations

import math
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Boolean, Column, Date, Enum, Float, Integer, String, Text, Uuid

from therapy_desk.domain import (
    AdvisoryDismissal,
    Client,
    DeviceAssignment,
    DeviceStatusChange,
    Fall,
    HandoutRecord,
    Measurement,
    Programme,
    ProgrammeItem,
    ProgrammeRevision,
    Record,
    Trial,
    TrialNote,
    WeaknessFinding,
)
from therapy_desk.domain.base import UTCDateTime
from therapy_desk.domain.correction import EnumList, NumberList
from therapy_desk.library.catalogue import DOSE_LIMITS, MAX_TRIALS

FORMAT = "therapy-desk/client-record"
FORMAT_VERSION = 1
#: Refuse files larger than this before parsing. The largest record `MAX_ROWS` allows
#: is about 16 MB written out (some 400 bytes a row), so twice that leaves room for long
#: notes while a hostile file is turned away before it costs time or memory.
MAX_FILE_BYTES = 32 * 1024 * 1024
#: Longest free text accepted in any field.
MAX_TEXT = 100_000
#: Most rows one client's record may hold in all (each list has its own bound too):
#: twice what twenty years of weekly visits with ten measures each would write.
MAX_ROWS = 40_000
#: Deepest nesting of lists and objects in a file: a record nests 8 levels (client,
#: programmes, revisions, items and their lists); anything far deeper is hostile.
MAX_DEPTH = 16
#: Whole numbers a column stores: PostgreSQL's INTEGER is 32 bits.
INT_RANGE = (-(2**31), 2**31 - 1)

#: No date or timestamp in a record may be earlier than this (the forms' "not set" date).
EARLIEST_DATE = date(1900, 1, 1)
#: How far ahead of today a planned date (a follow-up, a review) may lie.
PLAN_HORIZON = timedelta(days=5 * 366)
#: Timestamps are written by a computer's clock, which may run ahead a little.
CLOCK_SKEW = timedelta(days=1)
#: Dates of things that have happened: never after today. (Every timestamp is a fact too.)
FACT_DATES = frozenset(
    {
        ("client", "date_of_birth"),
        ("client", "discharged_on"),  # the record page discharges "today"
        ("weakness_finding", "onset_on"),
        ("weakness_finding", "resolved_on"),
        ("weakness_finding", "relapse_over_on"),
        ("measurement", "measured_on"),
        ("fall", "fell_on"),
    }
)
#: Dates the forms let a therapist set ahead of today: plans, and entries dated in advance.
PLAN_DATES = frozenset(
    {
        ("client", "next_follow_up"),
        ("programme", "started_on"),
        ("programme", "ended_on"),
        ("programme_revision", "issued_on"),
        ("programme_revision", "superseded_on"),
        ("device_assignment", "started_on"),
        ("device_assignment", "ended_on"),
        ("device_assignment", "review_on"),
        ("device_status_change", "changed_on"),
        ("trial", "started_on"),
        ("trial", "review_on"),
        ("trial", "reviewed_on"),
        ("trial", "decided_on"),
        ("trial_note", "written_on"),
    }
)
#: Free text the forms require: it must hold something a reader can see.
VISIBLE_TEXT = frozenset(
    {
        ("client", "name"),
        ("client", "reference"),
        ("programme", "title"),
        ("trial", "what"),
        ("trial_note", "text"),
        ("advisory_dismissal", "reason"),
    }
)
#: Control characters free text (TEXT columns) may hold; single-line fields hold none.
LINE_BREAKS = frozenset("\t\n\r")

_UUID_PATTERN = "^[0-9a-fA-F]{8}-" + "-".join(["[0-9a-fA-F]{4}"] * 3) + "-[0-9a-fA-F]{12}$"

#: Written by the database, not the file.
NOT_EXPORTED = frozenset({"version", "edited_by"})
#: May be absent from a file (a hand-made one); filled in on import.
#: Fields added after format 1 was published take their default when a file lacks them:
#: flags, corrections and strike-outs, timed trials, the devices used during a measure.
OPTIONAL = frozenset(
    {
        "created_at",
        "updated_at",
        "heat_sensitive",
        "ot_involved",
        "foot_drop",
        "superseded_by_id",
        "corrected_at",
        "corrected_by",
        "correction_reason",
        "struck_at",
        "struck_by",
        "struck_reason",
        "trial_values",
        "devices_used",
    }
)

#: Number ranges the schema states, beyond what the column types say.
BOUNDS: dict[tuple[str, str], tuple[float, float]] = {
    ("weakness_finding", "strength_grade"): (0, 5),
    ("client", "diagnosis_year"): (1900, 2200),
    ("programme_revision", "number"): (1, 10_000),
    ("programme_item", "position"): (1, 1000),
    ("programme_item", "load_kg"): (0, 100),
    **{("programme_item", k): v for k, v in DOSE_LIMITS.items()},
}


@dataclass(frozen=True)
class Node:
    key: str
    model: type[Record]
    #: The column holding the parent's id (not written: nesting says it).
    parent_key: str | None = None
    children: tuple[Node, ...] = ()
    #: Columns replaced by something more portable (exercise_id → exercise_code).
    replaced: frozenset[str] = frozenset()
    #: Most entries the list may hold in one record (see TREE for why each).
    max_items: int = 1
    #: What a person calls these rows, in reports.
    label: str = "client"

    @property
    def columns(self) -> list[Column[Any]]:
        skip = NOT_EXPORTED | self.replaced | ({self.parent_key} if self.parent_key else set())
        columns = cast(list[Column[Any]], list(self.model.__table__.columns))
        return [c for c in columns if c.key not in skip]


# Each list's bound is several times what a long, busy record holds, so a real export
# is never refused while a file of 100,000 findings is refused before any row is built.
TREE = Node(
    "client",
    Client,
    children=(
        # A finding per region and side, re-recorded over the years: dozens at most.
        Node("findings", WeaknessFinding, "client_id", max_items=500, label="findings"),
        Node(
            "programmes",
            Programme,
            "client_id",
            max_items=200,  # a new programme every few months for decades
            label="programmes",
            children=(
                Node(
                    "revisions",
                    ProgrammeRevision,
                    "programme_id",
                    max_items=500,  # revised weekly for ten years
                    label="programme revisions",
                    children=(
                        Node(
                            "items",
                            ProgrammeItem,
                            "revision_id",
                            replaced=frozenset({"exercise_id"}),
                            max_items=100,  # the forms allow 40 (programmes.MAX_ITEMS)
                            label="programme items",
                        ),
                    ),
                ),
            ),
        ),
        Node(
            "devices",
            DeviceAssignment,
            "client_id",
            max_items=200,
            label="devices",
            # A device passes through at most five statuses (DEVICE_TRANSITIONS).
            children=(
                Node(
                    "history",
                    DeviceStatusChange,
                    "assignment_id",
                    max_items=50,
                    label="device status changes",
                ),
            ),
        ),
        Node(
            "trials",
            Trial,
            "client_id",
            max_items=500,
            label="trials",
            children=(Node("notes", TrialNote, "trial_id", max_items=500, label="trial notes"),),
        ),
        # Ten measures a visit, weekly, for twenty years is about 10,000.
        Node("measurements", Measurement, "client_id", max_items=20_000, label="measurements"),
        # Even a client falling daily for years stays well below this.
        Node("falls", Fall, "client_id", max_items=5_000, label="falls"),
        Node("handouts", HandoutRecord, "client_id", max_items=20_000, label="handouts"),
        Node("dismissals", AdvisoryDismissal, "client_id", max_items=5_000, label="dismissals"),
    ),
)


def nodes(node: Node = TREE) -> list[Node]:
    """The node and every node under it, parents first."""
    found = [node]
    for child in node.children:
        found.extend(nodes(child))
    return found


def dump(node: Node, record: Record) -> dict[str, Any]:
    """One record and everything under it, as the file writes it."""
    out = {c.key: to_json(c, getattr(record, c.key)) for c in node.columns}
    if isinstance(record, ProgrammeItem):
        out["exercise_code"] = record.exercise.code
    for child in node.children:
        out[child.key] = [dump(child, r) for r in getattr(record, child.key)]
    return out


def to_json(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, tuple | list):
        return [to_json(column, v) for v in value]
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def from_json(column: Column[Any], value: Any) -> Any:
    """Turn a schema-valid JSON value into the column's Python value; ValueError if it cannot.

    The ValueError's text says what is wrong without repeating the value.
    """
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, EnumList):
        members = tuple(kind.enum_class(v) for v in value)
        if len(set(members)) != len(members):
            raise ValueError("names the same device twice")
        return members
    if isinstance(kind, NumberList):
        return tuple(finite(v) for v in value)
    if isinstance(kind, Uuid):
        return uuid.UUID(value)
    if isinstance(kind, Enum):
        assert kind.enum_class is not None
        return kind.enum_class(value)
    if isinstance(kind, UTCDateTime):
        return read_timestamp(value)
    if isinstance(kind, Date):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value[:10]!r} is not a date (YYYY-MM-DD)") from None
    if isinstance(kind, Float):
        return finite(value)
    if isinstance(kind, Integer) and not isinstance(kind, Boolean):
        if isinstance(value, float):  # JSON Schema counts 3.0 as an integer; the forms do not
            raise ValueError("must be a whole number, written without a decimal point")
        return value
    return value


def finite(value: Any) -> float:
    """A JSON number as a float; ValueError for NaN, ±Infinity or one too large for a float."""
    try:
        number = float(value)
    except OverflowError:
        raise ValueError("must be a finite number; this one is too large") from None
    if not math.isfinite(number):
        raise ValueError("must be a finite number (not NaN or Infinity)")
    return number


def read_timestamp(value: str) -> datetime:
    """An ISO 8601 timestamp with a time zone, as UTC; ValueError if it is not one."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("is not a timestamp (e.g. 2026-01-31T09:30:00+00:00)") from None
    if moment.tzinfo is None:
        raise ValueError("needs a time zone, e.g. 2026-01-31T09:30:00+00:00")
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # year 1 east of UTC, or 9999 west of it
        raise ValueError(f"{value[:40]} is outside the calendar once moved to UTC") from None


def timestamp_problem(moment: datetime, *, latest: datetime) -> str | None:
    """Why a UTC timestamp is implausible for a record, or None."""
    if moment.date() < EARLIEST_DATE:
        return f"{moment.isoformat()} is before {EARLIEST_DATE.isoformat()}"
    if moment > latest:
        return f"{moment.isoformat()} is in the future"
    return None


def date_problem(table: str, column: str, day: date, *, today: date) -> str | None:
    """Why a date is implausible for this column, or None (see FACT_DATES, PLAN_DATES)."""
    if day < EARLIEST_DATE:
        return f"{day.isoformat()} is before {EARLIEST_DATE.isoformat()}"
    if (table, column) in FACT_DATES:
        if day > today:
            return f"{day.isoformat()} is in the future; this records something that happened"
    elif day > today + PLAN_HORIZON:
        years = PLAN_HORIZON.days // 366
        return f"{day.isoformat()} is more than {years} years ahead"
    return None


#: What no text may hold (NUL, which PostgreSQL cannot store, and lone UTF-16 surrogates,
#: which are not characters), with the control characters (Unicode category Cc) each
#: kind of field refuses: free text keeps tab, line feed and carriage return.
_REFUSED_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_REFUSED_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_NEVER = re.compile("[\x00\ud800-\udfff]")


def text_problem(text: str, *, single_line: bool | None, visible: bool = False) -> str | None:
    """Why a text is refused, or None. `single_line` None checks only what no text may hold."""
    pattern = (
        _NEVER if single_line is None else _REFUSED_IN_LINE if single_line else _REFUSED_IN_TEXT
    )
    found = pattern.search(text)
    if found is not None:
        char, at = found.group(), found.start() + 1
        if char == "\x00":
            return f"holds a NUL character (position {at}), which cannot be stored"
        if "\ud800" <= char <= "\udfff":
            return (
                f"holds half of a UTF-16 pair (U+{ord(char):04X}, position {at}), not a character"
            )
        if char in LINE_BREAKS:
            return f"holds a tab or line break (position {at}); this field is one line"
        return f"holds control character U+{ord(char):04X} (position {at})"
    if visible and not has_visible(text):
        return "needs at least one visible character (a letter, digit or sign)"
    return None


def has_visible(text: str) -> bool:
    """Whether the text holds a letter, digit, punctuation or symbol, not only spaces,
    zero-width or format characters, or combining marks."""
    return any(unicodedata.category(char)[0] in "LNPS" for char in text)


def is_single_line(column: Column[Any]) -> bool:
    """VARCHAR columns are typed in one-line fields; TEXT columns may hold line breaks."""
    return isinstance(column.type, String) and not isinstance(column.type, Text | Enum)


def column_schema(node: Node, column: Column[Any]) -> dict[str, Any]:
    kind = column.type
    schema: dict[str, Any]
    if isinstance(kind, EnumList):
        members = [m.value for m in kind.enum_class]
        schema = {
            "type": "array",
            "items": {"enum": members},
            "maxItems": len(members),
            "uniqueItems": True,
        }
    elif isinstance(kind, NumberList):
        schema = {"type": "array", "items": {"type": "number"}, "maxItems": MAX_TRIALS}
    elif isinstance(kind, Uuid):
        schema = {
            "type": "string",
            "format": "uuid",
            "pattern": _UUID_PATTERN,
        }
    elif isinstance(kind, Enum):
        schema = {"enum": list(kind.enums)}
    elif isinstance(kind, UTCDateTime):
        schema = {"type": "string", "format": "date-time", "maxLength": 40}
    elif isinstance(kind, Date):
        schema = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    elif isinstance(kind, Boolean):
        schema = {"type": "boolean"}
    elif isinstance(kind, Integer):
        schema = {"type": "integer", "minimum": INT_RANGE[0], "maximum": INT_RANGE[1]}
    elif isinstance(kind, Float):
        schema = {"type": "number"}
    elif isinstance(kind, Text):
        schema = {"type": "string", "maxLength": MAX_TEXT}
    elif isinstance(kind, String):
        schema = {"type": "string", "maxLength": kind.length or MAX_TEXT}
    else:  # pragma: no cover - a new column type must be taught here
        raise TypeError(f"no JSON form for {node.model.__tablename__}.{column.key}: {kind!r}")
    bounds = BOUNDS.get((node.model.__tablename__, column.key))
    if bounds is not None:
        schema["minimum"], schema["maximum"] = bounds
    if column.nullable:
        return {"anyOf": [schema, {"type": "null"}]}
    return schema


def node_schema(node: Node) -> dict[str, Any]:
    properties = {c.key: column_schema(node, c) for c in node.columns}
    required = [c.key for c in node.columns if not c.nullable and c.key not in OPTIONAL]
    if node.model is ProgrammeItem:
        properties["exercise_code"] = {"type": "string", "minLength": 1, "maxLength": 64}
        required.append("exercise_code")
    for child in node.children:
        properties[child.key] = {
            "type": "array",
            "items": node_schema(child),
            "maxItems": child.max_items,
        }
        required.append(child.key)
    return {
        "type": "object",
        "title": node.model.__tablename__,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def exercise_schema() -> dict[str, Any]:
    texts = {"type": "array", "items": {"type": "string", "maxLength": 2000}, "maxItems": 50}
    return {
        "type": "object",
        "title": "clinic exercise (same fields as resources/catalogue/exercises.toml)",
        "properties": {
            "code": {"type": "string", "maxLength": 64},
            "name": {"type": "string", "maxLength": 120},
            "category": {"type": "string"},
            "summary": {"type": "string", "maxLength": 2000},
            "regions": texts,
            "equipment": texts,
            "suits": texts,
            "steps": texts,
            "cautions": texts,
            "illustration": {"anyOf": [{"type": "string", "maxLength": 64}, {"type": "null"}]},
            "dose": {"type": "object", "additionalProperties": {"type": "integer"}},
        },
        "required": ["code", "name", "category", "regions", "suits", "steps"],
        "additionalProperties": False,
    }


def record_schema() -> dict[str, Any]:
    """The JSON Schema of a client record file, as published in resources/schema/."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://therapy-desk.example/schema/client-record.v1.json",
        "title": "Therapy Desk client record",
        "description": (
            "One client's whole record, as written by `therapy-desk export` and read by "
            "`therapy-desk import`. Ids are UUIDs so records merge without clashes; dates are "
            "YYYY-MM-DD; timestamps are ISO 8601 with a time zone. Ordinal measures store the "
            "grade's index. Beyond this schema the import checks what the app's forms check, "
            "and also: no date before 1900; no date of something that happened (a fall, a "
            "measurement, an onset, a birth) after the day of import, nor a timestamp after "
            "it; no planned date more than five years ahead; finite numbers; no control "
            "characters (free text may hold tabs and line breaks); no key given twice; at "
            f"most {MAX_ROWS:,} rows in all. Generated from therapy_desk/exchange/layout.py."
        ),
        "type": "object",
        "properties": {
            "format": {"const": FORMAT},
            "format_version": {"const": FORMAT_VERSION},
            "exported_at": {"type": "string", "format": "date-time", "maxLength": 40},
            "app_version": {"type": "string", "maxLength": 40},
            "client": node_schema(TREE),
            "clinic_exercises": {"type": "array", "items": exercise_schema(), "maxItems": 1000},
        },
        "required": ["format", "format_version", "client", "clinic_exercises"],
        "additionalProperties": False,
    }
