"""The shape of a client record file: which tables nest where, and how each value is written.

One table (`TREE`) drives the export, the import and the JSON Schema, so the three
cannot drift apart. Bump `FORMAT_VERSION` for any change a reader must know about.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
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
from therapy_desk.library.catalogue import DOSE_LIMITS

FORMAT = "therapy-desk/client-record"
FORMAT_VERSION = 1
#: Refuse files larger than this before parsing: no client record comes near it.
MAX_FILE_BYTES = 50 * 1024 * 1024
#: Longest free text accepted in any field.
MAX_TEXT = 100_000

_UUID_PATTERN = "^[0-9a-fA-F]{8}-" + "-".join(["[0-9a-fA-F]{4}"] * 3) + "-[0-9a-fA-F]{12}$"

#: Written by the database, not the file.
NOT_EXPORTED = frozenset({"version"})
#: May be absent from a file (a hand-made one); filled in on import.
OPTIONAL = frozenset({"created_at", "updated_at"})

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

    @property
    def columns(self) -> list[Column[Any]]:
        skip = NOT_EXPORTED | self.replaced | ({self.parent_key} if self.parent_key else set())
        columns = cast(list[Column[Any]], list(self.model.__table__.columns))
        return [c for c in columns if c.key not in skip]


TREE = Node(
    "client",
    Client,
    children=(
        Node("findings", WeaknessFinding, "client_id"),
        Node(
            "programmes",
            Programme,
            "client_id",
            children=(
                Node(
                    "revisions",
                    ProgrammeRevision,
                    "programme_id",
                    children=(
                        Node(
                            "items",
                            ProgrammeItem,
                            "revision_id",
                            replaced=frozenset({"exercise_id"}),
                        ),
                    ),
                ),
            ),
        ),
        Node(
            "devices",
            DeviceAssignment,
            "client_id",
            children=(Node("history", DeviceStatusChange, "assignment_id"),),
        ),
        Node("trials", Trial, "client_id", children=(Node("notes", TrialNote, "trial_id"),)),
        Node("measurements", Measurement, "client_id"),
        Node("falls", Fall, "client_id"),
        Node("handouts", HandoutRecord, "client_id"),
        Node("dismissals", AdvisoryDismissal, "client_id"),
    ),
)


def to_json(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
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
    """Turn a schema-valid JSON value into the column's Python value; ValueError if it cannot."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, Uuid):
        return uuid.UUID(value)
    if isinstance(kind, Enum):
        assert kind.enum_class is not None
        return kind.enum_class(value)
    if isinstance(kind, UTCDateTime):
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            raise ValueError("needs a time zone, e.g. 2026-01-31T09:30:00+00:00")
        return moment
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Float):
        return float(value)
    return value


def column_schema(node: Node, column: Column[Any]) -> dict[str, Any]:
    kind = column.type
    schema: dict[str, Any]
    if isinstance(kind, Uuid):
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
        schema = {"type": "integer"}
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
        properties[child.key] = {"type": "array", "items": node_schema(child), "maxItems": 100_000}
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
            "grade's index. Generated from therapy_desk/exchange/layout.py."
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
