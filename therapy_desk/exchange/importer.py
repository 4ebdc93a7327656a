"""Reads a client record file: validate everything first, then write all of it or nothing.

Order of checks: size, JSON syntax, the published JSON Schema, value conversion,
the same field checks the services apply, references inside the file, and what is
already in the database. The first failing layer's problems are reported with the
path of the field, e.g. ``client.findings[2].strength_grade``.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from therapy_desk.domain import (
    Client,
    DeviceAssignment,
    Exercise,
    Fall,
    Measurement,
    ProgrammeItem,
    ProgrammeRevision,
    Record,
    Trial,
    WeaknessFinding,
)
from therapy_desk.exchange.layout import MAX_FILE_BYTES, TREE, Node, from_json, record_schema
from therapy_desk.library.catalogue import parse_exercise
from therapy_desk.services import clients, falls, findings, measures
from therapy_desk.services.catalogue import add_clinic_exercises
from therapy_desk.services.errors import ValidationError


class ImportError_(ValueError):  # noqa: N801 - keeps clear of the builtin ImportError
    """The file cannot be imported; `problems` lists each field path and what is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        lines = [f"{path}: {message}" for path, message in list(problems.items())[:20]]
        more = len(problems) - len(lines)
        if more > 0:
            lines.append(f"… and {more} more")
        super().__init__("Nothing was imported.\n" + "\n".join(lines))


def read_record_file(path: Path) -> Any:
    """Parse the file as JSON, refusing ones too large or not JSON at all."""
    try:
        size = path.stat().st_size
    except OSError as problem:
        raise ImportError_({"file": f"cannot be read ({problem.strerror})"}) from None
    if size > MAX_FILE_BYTES:
        raise ImportError_({"file": f"is {size:,} bytes; a client record is far smaller"})
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise ImportError_({"file": "is not UTF-8 text; is this a client record file?"}) from None
    except json.JSONDecodeError as problem:
        raise ImportError_(
            {
                "file": f"is not valid JSON (line {problem.lineno}, column {problem.colno}: "
                f"{problem.msg}); it may be cut short"
            }
        ) from None
    except RecursionError:
        raise ImportError_({"file": "nests too deeply to be a client record"}) from None


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(record_schema())


def _path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "file"


def _schema_problems(data: Any) -> dict[str, str]:
    problems: dict[str, str] = {}
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path))):
        path = _path(error.absolute_path)
        message = error.message
        if len(message) > 300:
            message = message[:300] + "…"
        problems.setdefault(path, message)
        if len(problems) >= 50:
            break
    return problems


#: An item's exercise by code, until the import looks the codes up in the catalogue.
ExerciseCodes = dict[ProgrammeItem, str]


def _build(
    node: Node, data: dict[str, Any], at: str, problems: dict[str, str], codes: ExerciseCodes
) -> Record:
    values: dict[str, Any] = {}
    for column in node.columns:
        if column.key not in data:
            continue
        try:
            values[column.key] = from_json(column, data[column.key])
        except (ValueError, TypeError) as problem:
            problems[f"{at}.{column.key}"] = f"{data[column.key]!r} cannot be read ({problem})"
    record = node.model(**values)
    if isinstance(record, ProgrammeItem):
        codes[record] = data["exercise_code"]
    for child in node.children:
        built = [
            _build(child, entry, f"{at}.{child.key}[{i}]", problems, codes)
            for i, entry in enumerate(data[child.key])
        ]
        setattr(record, child.key, built)
    return record


def _walk(node: Node, record: Record, at: str) -> Any:
    yield node, record, at
    for child in node.children:
        for i, sub in enumerate(getattr(record, child.key)):
            yield from _walk(child, sub, f"{at}.{child.key}[{i}]")


def _check(
    session: Session,
    client: Client,
    data: dict[str, Any],
    codes: ExerciseCodes,
    problems: dict[str, str],
    today: date,
) -> None:
    """The services' own field checks, plus references that must resolve inside the file."""
    ids: dict[uuid.UUID, str] = {}
    kinds: dict[type[Record], set[uuid.UUID]] = {}
    for _node, record, at in _walk(TREE, client, "client"):
        if record.id in ids:
            problems[f"{at}.id"] = f"repeats the id of {ids[record.id]}"
        ids[record.id] = at
        kinds.setdefault(type(record), set()).add(record.id)
    known_exercises = set(session.scalars(select(Exercise.code)))
    known_exercises |= {e["code"] for e in data["clinic_exercises"]}

    def guard(at: str, check: Any) -> None:
        try:
            check()
        except ValidationError as invalid:
            for field, message in invalid.errors.items():
                problems.setdefault(f"{at}.{field}", message)

    # Dates in the future are fine in an imported record only where they are plans.
    far = date.max
    guard(
        "client",
        lambda: clients.check_details(
            clients.ClientDetails(
                reference=client.reference,
                name=client.name,
                date_of_birth=client.date_of_birth,
                email=client.email,
                diagnosis_year=client.diagnosis_year,
                language=client.language or "en",
            ),
            today=today,
        ),
    )
    for _node, record, at in _walk(TREE, client, "client"):
        if isinstance(record, WeaknessFinding):
            guard(
                at,
                lambda r=record: findings.check_finding(
                    findings.FindingDetails(
                        r.region,
                        r.side,
                        r.cause,
                        r.strength_grade,
                        onset_on=r.onset_on,
                        resolved_on=r.resolved_on,
                        notes=r.notes,
                    ),
                    today=far,
                ),
            )
        elif isinstance(record, ProgrammeItem):
            if codes[record] not in known_exercises:
                problems[f"{at}.exercise_code"] = (
                    f"'{codes[record]}' is not in this clinic's catalogue"
                )
        elif isinstance(record, Measurement):
            guard(
                at,
                lambda r=record: measures.check_result(
                    measures.Result(r.measure_code, r.value, r.measured_on, r.side, r.region),
                    today=far,
                ),
            )
        elif isinstance(record, Fall):
            guard(at, lambda r=record: falls.check_fall(falls.FallDetails(r.fell_on), today=far))
        elif isinstance(record, Trial):
            for field, target in (
                ("programme_revision_id", ProgrammeRevision),
                ("device_assignment_id", DeviceAssignment),
                ("follows_trial_id", Trial),
            ):
                ref = getattr(record, field)
                if ref is not None and ref not in kinds.get(target, set()):
                    problems[f"{at}.{field}"] = f"names {ref}, which is not in this file"
        elif isinstance(record, ProgrammeRevision):
            numbers = [i.position for i in record.items]
            if len(set(numbers)) != len(numbers):
                problems[f"{at}.items"] = "two items share a position"


def import_client(
    session: Session, data: Any, *, replace: bool = False, today: date | None = None
) -> Client:
    """Import a parsed client record file; on any problem raise ImportError_, writing nothing."""
    today = today or datetime.now(UTC).date()
    problems = _schema_problems(data)
    if problems:
        raise ImportError_(problems)
    for i, entry in enumerate(data["clinic_exercises"]):
        try:
            parse_exercise(entry)
        except ValueError as problem:
            problems[f"clinic_exercises[{i}]"] = str(problem)
    codes: ExerciseCodes = {}
    client = _build(TREE, data["client"], "client", problems, codes)
    assert isinstance(client, Client)
    if not problems:
        _check(session, client, data, codes, problems, today)
    existing = session.get(Client, client.id)
    if existing is not None and not replace:
        problems["client.id"] = (
            f"this client ({existing.reference}) is already in the database; "
            "import with --replace to overwrite it with the file"
        )
    clash = session.scalar(
        select(Client.reference).where(
            func.lower(Client.reference) == client.reference.lower(), Client.id != client.id
        )
    )
    if clash is not None:
        problems["client.reference"] = f"reference {clash} is used by another client here"
    if problems:
        raise ImportError_(problems)

    with session.begin_nested():
        if data["clinic_exercises"]:
            add_clinic_exercises(session, [parse_exercise(e) for e in data["clinic_exercises"]])
        catalogue = {e.code: e for e in session.scalars(select(Exercise))}
        if existing is not None:
            session.delete(existing)
            session.flush()
        for item, code in codes.items():
            item.exercise = catalogue[code]
        # Link trials to what they name, so the unit of work writes those rows first.
        trials_by_id = {t.id: t for t in client.trials}
        devices_by_id = {d.id: d for d in client.devices}
        revisions_by_id = {r.id: r for p in client.programmes for r in p.revisions}
        for trial in client.trials:
            if trial.follows_trial_id is not None:
                trial.follows = trials_by_id[trial.follows_trial_id]
            if trial.device_assignment_id is not None:
                trial.device_assignment = devices_by_id[trial.device_assignment_id]
            if trial.programme_revision_id is not None:
                trial.programme_revision = revisions_by_id[trial.programme_revision_id]
        session.add(client)
        try:
            session.flush()
        except IntegrityError as problem:
            raise ImportError_({"client": f"breaks a database rule ({problem.orig})"}) from None
    return client
