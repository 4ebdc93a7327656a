"""Reads a client record file: validate everything first, then write all of it or nothing.

Order of checks: size, JSON syntax (a key given twice is refused), the size of every
list and of the whole record, every value on its own (nesting, text that cannot be
stored, numbers that are not finite), the published JSON Schema, value conversion and
plausibility (dates, timestamps, control characters), the same field checks the
services and the database apply, references inside the file, and what is already in
the database. The first failing layer's problems are reported with the path of the
field, e.g. ``client.findings[2].strength_grade``. Nothing that the database would
refuse reaches it, and a database's own message (which quotes the row) is never shown.

With ``replace``, rows the database holds for the client but the file does not, and
that were added after the file was exported, are kept unless ``discard_newer`` is
given: an older file must not silently undo what was recorded since.

This module runs the import; the layers live beside it: the file and the first three
layers in reading.py, value conversion in building.py, the record checks in checks.py,
and what ``replace`` keeps in newer.py.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from therapy_desk.db.faults import storage_fault
from therapy_desk.domain import Client, Exercise, Record
from therapy_desk.exchange.building import ExerciseCodes, Limits, build, walk
from therapy_desk.exchange.checks import check_record, clinic_exercise_problems, ids_taken
from therapy_desk.exchange.layout import CLOCK_SKEW, TREE, dump, read_timestamp, timestamp_problem
from therapy_desk.exchange.newer import ImportResult, Keep, sort_newer, subtree
from therapy_desk.exchange.older import brought_up_to_date
from therapy_desk.exchange.reading import (
    ImportError_,
    read_record_file,
    schema_problems,
    size_problems,
    value_problems,
)
from therapy_desk.library.catalogue import parse_exercise
from therapy_desk.services import clients
from therapy_desk.services.catalogue import add_clinic_exercises
from therapy_desk.services.errors import ValidationError
from therapy_desk.services.records import note_subject, watch

__all__ = [
    "UNCHECKED_RULE",
    "ImportError_",
    "ImportResult",
    "import_client",
    "import_record",
    "read_record_file",
]

#: The message when the database refuses what every check here let through: a gap in
#: these checks (the fuzzer in tests/reliability looks for it), never the database's text.
UNCHECKED_RULE = "breaks a rule of the database that the import does not check yet"


def import_client(
    session: Session,
    data: Any,
    *,
    replace: bool = False,
    discard_newer: bool = False,
    today: date | None = None,
    now: datetime | None = None,
) -> Client:
    """Import a parsed client record file; on any problem raise ImportError_, writing nothing."""
    return import_record(
        session, data, replace=replace, discard_newer=discard_newer, today=today, now=now
    ).client


def import_record(
    session: Session,
    data: Any,
    *,
    replace: bool = False,
    discard_newer: bool = False,
    today: date | None = None,
    now: datetime | None = None,
) -> ImportResult:
    """As import_client, also saying what became of rows added since the file was exported.

    Dates are checked against `today` (the clinic's day); timestamps against the clock
    (`now`) or the end of `today`, whichever is later, allowing CLOCK_SKEW.
    """
    now = now or datetime.now(UTC)
    today = today or now.date()
    limits = Limits(today, max(now, datetime.combine(today, time.max, UTC)) + CLOCK_SKEW)
    for layer in (size_problems, value_problems, schema_problems):
        if layer is schema_problems:
            data = brought_up_to_date(data)
        problems = layer(data)
        if problems:
            raise ImportError_(problems)
    problems = {}
    exported_at: datetime | None = None
    if "exported_at" in data:
        try:
            exported_at = read_timestamp(data["exported_at"])
            message = timestamp_problem(exported_at, latest=limits.latest)
        except ValueError as problem:
            message = str(problem)
        if message is not None:
            problems["exported_at"] = message
    problems.update(clinic_exercise_problems(session, data["clinic_exercises"]))
    codes: ExerciseCodes = {}
    client = build(TREE, data["client"], "client", problems, codes, limits)
    assert isinstance(client, Client)
    if problems:
        raise ImportError_(problems)
    check_record(session, client, data, codes, problems, today)
    existing = session.get(Client, client.id)
    if existing is not None:
        note_subject(session, existing.reference)
        watch(existing, what="client")
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
    result = ImportResult(client, exported_at=exported_at, discard_newer=discard_newer)
    before: dict[str, Any] | None = None
    if existing is not None and replace and not problems:
        before = dump(TREE, clients.load_record(session, client.id))
    own = {uuid.UUID(e["id"]) for _n, e in subtree(TREE, before)} if before else set()
    if not problems:
        ids_taken(session, client, own, problems)
    if problems:
        raise ImportError_(problems)
    keep = sort_newer(before, data["client"], exported_at, result) if before else []
    if existing is not None:
        # Forget the loaded rows: the database's cascade removes them with the client.
        session.expunge(existing)
        existing = session.get(Client, client.id)

    try:
        with session.begin_nested():
            if data["clinic_exercises"]:
                specs = [parse_exercise(e) for e in data["clinic_exercises"]]
                add_clinic_exercises(session, specs)
            catalogue = {e.code: e for e in session.scalars(select(Exercise))}
            if existing is not None:
                session.delete(existing)
                session.flush()
            _attach(client, keep, codes)
            for item, code in codes.items():
                item.exercise = catalogue[code]
            _link_trials(client)
            session.add(client)
            session.flush()
    except (SQLAlchemyError, ValidationError, ValueError, OverflowError) as error:
        if isinstance(error, StaleDataError) or storage_fault(error) is not None:
            raise  # a lost race or a busy, full or read-only database: said as such
        # Every rule is checked above; the database's own message quotes the row.
        raise ImportError_({"client": UNCHECKED_RULE}) from None
    return result


def _attach(client: Client, keep: list[Keep], codes: ExerciseCodes) -> None:
    """Put the kept rows under their parents in the record about to be written."""
    if not keep:
        return
    parents: dict[uuid.UUID, Record] = {r.id: r for _n, r, _at in walk(TREE, client, "client")}
    unused: dict[str, str] = {}
    for row in keep:
        built = build(row.node, row.entry, "database", unused, codes, None)
        getattr(parents[row.parent_id], row.node.key).append(built)


def _link_trials(client: Client) -> None:
    """Link trials to what they name, so the unit of work writes those rows first."""
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
