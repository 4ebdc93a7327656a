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
"""

from __future__ import annotations

import json
import math
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Enum, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from therapy_desk.db.faults import storage_fault
from therapy_desk.domain import (
    AdvisoryDismissal,
    Client,
    DeviceAssignment,
    DeviceStatusChange,
    Exercise,
    Fall,
    Measurement,
    Programme,
    ProgrammeItem,
    ProgrammeRevision,
    Record,
    Trial,
    WeaknessFinding,
)
from therapy_desk.domain.vocabulary import DEVICE_HELD, ClientStatus, TrialSubject
from therapy_desk.exchange.layout import (
    CLOCK_SKEW,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_ROWS,
    TREE,
    VISIBLE_TEXT,
    Node,
    date_problem,
    dump,
    from_json,
    is_single_line,
    read_timestamp,
    text_problem,
    timestamp_problem,
)
from therapy_desk.library.catalogue import parse_exercise
from therapy_desk.services import clients, devices, falls, findings, measures
from therapy_desk.services.catalogue import add_clinic_exercises
from therapy_desk.services.errors import ValidationError
from therapy_desk.services.records import note_subject, watch

#: Most clinic exercises one file may carry (as the schema says).
MAX_CLINIC_EXERCISES = 1000
#: Most problems gathered before giving up on a layer: enough to fix a file by.
MAX_PROBLEMS = 50
#: Whole numbers beyond this are refused wherever they appear (no column holds them).
_INT64 = 2**63

#: The forms' length limits for text whose service has no check function of its own
#: (services/programmes.py, devices.py, trials.py, advisories.py).
FORM_TEXT_LIMITS: dict[tuple[str, str], int] = {
    ("programme_item", "cue"): 500,
    ("device_assignment", "size_settings"): 2000,
    ("device_assignment", "training_given"): 5000,
    ("device_assignment", "notes"): 5000,
    ("trial", "what"): 500,
    ("trial", "why"): 5000,
    ("trial", "success_looks_like"): 5000,
    ("trial_note", "text"): 10_000,
    ("advisory_dismissal", "reason"): 2000,
}


def _printable(text: str) -> str:
    """Text safe to print on any terminal: control characters and lone surrogates escaped."""
    return "".join(
        f"\\u{ord(c):04x}" if c < " " or "\x7f" <= c <= "\x9f" or "\ud800" <= c <= "\udfff" else c
        for c in text
    )


class ImportError_(ValueError):  # noqa: N801 - keeps clear of the builtin ImportError
    """The file cannot be imported; `problems` lists each field path and what is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = {_printable(p): _printable(m) for p, m in problems.items()}
        lines = [f"{path}: {message}" for path, message in list(self.problems.items())[:20]]
        more = len(self.problems) - len(lines)
        if more > 0:
            lines.append(f"… and {more} more")
        super().__init__("Nothing was imported.\n" + "\n".join(lines))


#: The message when the database refuses what every check here let through: a gap in
#: these checks (the fuzzer in tests/reliability looks for it), never the database's text.
UNCHECKED_RULE = "breaks a rule of the database that the import does not check yet"


@dataclass
class ImportResult:
    """What an import wrote, and what it did with rows added since the file was made."""

    client: Client
    exported_at: datetime | None = None
    discard_newer: bool = False
    #: Rows the database had, the file did not, added after the export: kept, by kind.
    kept: Counter[str] = field(default_factory=Counter)
    #: The same, but removed (asked to, or they could not stay), by kind, with why.
    discarded: Counter[str] = field(default_factory=Counter)
    why: dict[str, str] = field(default_factory=dict)

    def explain(self) -> list[str]:
        """Lines for the person importing: what happened to newer rows, if there were any."""
        if self.exported_at is None:
            since = "that the file does not have (it gives no export time, so all count as newer)"
        else:
            since = f"since the file was exported ({self.exported_at:%Y-%m-%d %H:%M} UTC)"
        lines = []
        if self.kept:
            lines.append(f"Kept {_amounts(self.kept)} added here {since}.")
        if self.discarded and self.discard_newer:
            lines.append(f"Discarded {_amounts(self.discarded)} added here {since}.")
        elif self.discarded:
            for label, count in self.discarded.items():
                lines.append(
                    f"Could not keep {count} {label} added here {since}: {self.why[label]}."
                )
        return lines


def _amounts(counts: Counter[str]) -> str:
    return ", ".join(f"{count} {label}" for label, count in counts.items())


# -- Reading the file -------------------------------------------------------------------------


def read_record_file(path: Path) -> Any:
    """Parse the file as JSON, refusing ones too large, not JSON, or giving a key twice."""
    try:
        size = path.stat().st_size
    except OSError as problem:
        raise ImportError_({"file": f"cannot be read ({problem.strerror})"}) from None
    if size > MAX_FILE_BYTES:
        raise ImportError_(
            {"file": f"is {size:,} bytes; a client record is under {MAX_FILE_BYTES:,}"}
        )
    twice: list[tuple[dict[str, Any], str]] = []

    def once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        made = dict(pairs)
        if len(made) != len(pairs):
            seen: set[str] = set()
            for key, _value in pairs:
                if key in seen:
                    twice.append((made, key))
                    break
                seen.add(key)
        return made

    try:
        text = path.read_bytes().decode("utf-8")
        data = json.loads(text, object_pairs_hook=once)
    except OSError as problem:
        raise ImportError_({"file": f"cannot be read ({problem.strerror})"}) from None
    except UnicodeDecodeError:
        raise ImportError_({"file": "is not UTF-8 text; is this a client record file?"}) from None
    except json.JSONDecodeError as problem:
        raise ImportError_(
            {
                "file": f"is not valid JSON (line {problem.lineno}, column {problem.colno}: "
                f"{problem.msg}); it may be cut short"
            }
        ) from None
    except ValueError:  # a number of more than 4,300 digits
        raise ImportError_({"file": "holds a number too long to be read"}) from None
    except RecursionError:
        raise ImportError_({"file": "nests too deeply to be a client record"}) from None
    if twice:
        where = _paths_of(data, {id(obj) for obj, _ in twice})
        raise ImportError_(
            {
                where.get(id(obj), "file"): f"gives the key '{key}' twice; "
                "a key may appear only once, so which one is meant is unclear"
                for obj, key in twice[:MAX_PROBLEMS]
            }
        )
    return data


def _paths_of(data: Any, wanted: set[int]) -> dict[int, str]:
    """Where each wanted object sits in the parsed data, by identity."""
    found: dict[int, str] = {}
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack and len(found) < len(wanted):
        value, at = stack.pop()
        if id(value) in wanted:
            found[id(value)] = _path(at)
        if isinstance(value, dict):
            stack.extend((sub, (*at, key)) for key, sub in value.items())
        elif isinstance(value, list):
            stack.extend((sub, (*at, i)) for i, sub in enumerate(value))
    return found


def _path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "file"


# -- Layer 1: how much there is, before anything is looked at closely ---------------------------


def _size_problems(data: Any) -> dict[str, str]:
    """Refuse lists longer than a real record holds, and too many rows in all: fast, so a
    huge file costs no more than reading it."""
    if not isinstance(data, dict):
        return {"file": "is not a client record (it should be one JSON object)"}
    problems: dict[str, str] = {}
    exercises = data.get("clinic_exercises")
    if isinstance(exercises, list) and len(exercises) > MAX_CLINIC_EXERCISES:
        problems["clinic_exercises"] = (
            f"has {len(exercises):,} exercises; a file carries at most {MAX_CLINIC_EXERCISES:,}"
        )
    client = data.get("client")
    stack: list[tuple[Node, dict[str, Any], str]] = []
    if isinstance(client, dict):
        stack.append((TREE, client, "client"))
    rows = 0
    while stack and len(problems) < MAX_PROBLEMS:
        node, entry, at = stack.pop()
        rows += 1
        if rows > MAX_ROWS:
            problems["client"] = (
                f"holds more than {MAX_ROWS:,} rows in all; no client's record is that large"
            )
            break
        for child in node.children:
            entries = entry.get(child.key)
            if not isinstance(entries, list):
                continue
            if len(entries) > child.max_items:
                problems[f"{at}.{child.key}"] = (
                    f"has {len(entries):,} {child.label}; a client's record holds at most "
                    f"{child.max_items:,}"
                )
                continue
            stack.extend(
                (child, sub, f"{at}.{child.key}[{i}]")
                for i, sub in enumerate(entries)
                if isinstance(sub, dict)
            )
    return problems


# -- Layer 2: every value on its own -----------------------------------------------------------


def _value_problems(data: Any) -> dict[str, str]:
    """Nesting, keys, and values no field may hold: text with NUL or lone surrogates,
    NaN or Infinity, whole numbers beyond 64 bits, anything that is not JSON."""
    problems: dict[str, str] = {}
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack and len(problems) < MAX_PROBLEMS:
        value, at = stack.pop()
        if isinstance(value, dict | list):
            if len(at) >= MAX_DEPTH:
                problems[_path(at)] = "nests too deeply to be part of a client record"
                continue
            if isinstance(value, list):
                stack.extend((sub, (*at, i)) for i, sub in enumerate(value))
                continue
            for key, sub in value.items():
                if not isinstance(key, str):
                    problems[_path(at)] = "has a key that is not text"
                elif (message := text_problem(key, single_line=True)) is not None:
                    problems[_path(at)] = f"has a key that {message}"
                else:
                    stack.append((sub, (*at, key)))
        elif isinstance(value, str):
            if (message := text_problem(value, single_line=None)) is not None:
                problems[_path(at)] = message
        elif value is None or isinstance(value, bool):
            pass
        elif isinstance(value, int):
            if not -_INT64 <= value < _INT64:
                problems[_path(at)] = "is too large a number for any field"
        elif isinstance(value, float):
            if not math.isfinite(value):
                problems[_path(at)] = "must be a finite number (not NaN or Infinity)"
        else:
            problems[_path(at)] = f"is not a JSON value ({type(value).__name__})"
    return problems


# -- Layer 3: the published JSON Schema ----------------------------------------------------------


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    from therapy_desk.exchange.layout import record_schema

    return Draft202012Validator(record_schema())


_JSON_TYPES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
    "array": "a list",
    "object": "an object",
}


def _describe(error: Any) -> str:
    """A schema error in words, without repeating the value (it may be clinical text)."""
    keyword, expected, instance = error.validator, error.validator_value, error.instance
    if keyword == "anyOf" and error.context:  # a nullable field: say what the value should be
        first = [e for e in error.context if list(e.schema_path)[:1] == [0]]
        if first:
            inner = _describe(first[0])
            return inner + " or null" if first[0].validator == "type" else inner
    if keyword == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        return "must be " + " or ".join(_JSON_TYPES.get(k, str(k)) for k in kinds)
    if keyword == "maxLength":
        return f"is {len(instance):,} characters long; at most {expected:,} fit"
    if keyword == "minLength":
        return "must not be empty"
    if keyword in ("minimum", "maximum"):
        return f"must be from {error.schema.get('minimum')} to {error.schema.get('maximum')}"
    if keyword == "maxItems":
        return f"has {len(instance):,} entries; at most {expected:,} are allowed"
    if keyword == "enum":
        choices = ", ".join(str(v) for v in expected)
        return f"must be one of: {choices}"[:600]
    if keyword == "const":
        return f"must be {json.dumps(expected)}"
    if keyword == "pattern":
        kind = error.schema.get("format", "value")
        return f"is not a {kind} in the expected form" + (" (YYYY-MM-DD)" if kind == "date" else "")
    if keyword in ("required", "additionalProperties"):
        return str(error.message)[:300]
    return f"does not fit the schema ({keyword})"


def _schema_problems(data: Any) -> dict[str, str]:
    problems: dict[str, str] = {}
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path)))
    for error in errors:
        problems.setdefault(_path(error.absolute_path), _describe(error))
        if len(problems) >= MAX_PROBLEMS:
            break
    return problems


# -- Layer 4: each value converted, and plausible -------------------------------------------------


#: An item's exercise by code, until the import looks the codes up in the catalogue.
ExerciseCodes = dict[ProgrammeItem, str]


@dataclass(frozen=True)
class _Limits:
    today: date
    #: The latest timestamp a row may carry: now (or the end of `today`) and a little skew.
    latest: datetime


def _field_problem(node: Node, key: str, value: Any, column: Any, limits: _Limits) -> str | None:
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
                message = f"is {len(value):,} characters long; the form allows {limit:,}"
        return message
    return None


def _build(
    node: Node,
    data: dict[str, Any],
    at: str,
    problems: dict[str, str],
    codes: ExerciseCodes,
    limits: _Limits | None,
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
            _build(child, entry, f"{at}.{child.key}[{i}]", problems, codes, limits)
            for i, entry in enumerate(data[child.key])
        ]
        setattr(record, child.key, built)
    return record


def _walk(node: Node, record: Record, at: str) -> Iterator[tuple[Node, Record, str]]:
    yield node, record, at
    for child in node.children:
        for i, sub in enumerate(getattr(record, child.key)):
            yield from _walk(child, sub, f"{at}.{child.key}[{i}]")


# -- Layer 5: the services' checks, the database's rules, references --------------------------


def _check(
    session: Session,
    client: Client,
    data: dict[str, Any],
    codes: ExerciseCodes,
    problems: dict[str, str],
    today: date,
) -> None:
    """The services' own field checks, the database's CHECK and UNIQUE rules, and
    references that must resolve inside the file."""
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
            for name, message in invalid.errors.items():
                problems.setdefault(f"{at}.{name}", message)

    def rule(ok: bool, at: str, message: str) -> None:
        if not ok:
            problems.setdefault(at, message)

    guard(
        "client",
        lambda: clients.check_details(
            clients.ClientDetails(
                reference=client.reference,
                name=client.name,
                date_of_birth=client.date_of_birth,
                phone=client.phone,
                email=client.email,
                address=client.address,
                diagnosis_year=client.diagnosis_year,
                primary_therapist=client.primary_therapist,
                language=client.language or "en",
                notes=client.notes,
            ),
            today=today,
        ),
    )
    rule(
        client.discharged_on is None or client.status is ClientStatus.DISCHARGED,
        "client.discharged_on",
        "only a discharged client has a discharge date",
    )
    dismissed: dict[tuple[str, str], str] = {}
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
                    today=today,
                ),
            )
        elif isinstance(record, Programme):
            _in_order(rule, at, "ended_on", record.started_on, record.ended_on, "its start")
        elif isinstance(record, ProgrammeRevision):
            _in_order(rule, at, "superseded_on", record.issued_on, record.superseded_on, "issue")
            numbers = [i.position for i in record.items]
            if len(set(numbers)) != len(numbers):
                problems[f"{at}.items"] = "two items share a position"
        elif isinstance(record, ProgrammeItem):
            if codes[record] not in known_exercises:
                problems[f"{at}.exercise_code"] = "is not an exercise in this clinic's catalogue"
            rule(
                record.reps is not None
                or record.hold_seconds is not None
                or record.duration_minutes is not None,
                f"{at}.reps",
                "give repetitions, a hold time or a duration",
            )
            rule(
                record.load_kg is None or 0 < record.load_kg <= 100,
                f"{at}.load_kg",
                "load must be more than 0 and at most 100 kg",
            )
        elif isinstance(record, DeviceAssignment):
            guard(at, lambda r=record: devices.check_side(r.kind, r.side))
            _in_order(rule, at, "ended_on", record.started_on, record.ended_on, "its start")
            _in_order(rule, at, "review_on", record.started_on, record.review_on, "its start")
            rule(
                (record.ended_on is None) == (record.status in DEVICE_HELD),
                f"{at}.ended_on",
                "a device has an end date exactly when it was returned or stopped",
            )
        elif isinstance(record, Measurement):
            guard(
                at,
                lambda r=record: measures.check_result(
                    measures.Result(
                        r.measure_code, r.value, r.measured_on, r.side, r.region, notes=r.notes
                    ),
                    today=today,
                ),
            )
        elif isinstance(record, Fall):
            guard(
                at,
                lambda r=record: falls.check_fall(
                    falls.FallDetails(
                        r.fell_on,
                        place=r.place,
                        what_happened=r.what_happened,
                        injury=r.injury,
                        action_taken=r.action_taken,
                    ),
                    today=today,
                ),
            )
        elif isinstance(record, Trial):
            _check_trial(record, at, kinds, rule)
        elif isinstance(record, AdvisoryDismissal):
            target = (record.code, record.about)
            if target in dismissed:
                problems[f"{at}.about"] = f"dismisses the same advisory as {dismissed[target]}"
            dismissed.setdefault(target, at)
    for programme_at, programme in _numbered(client):
        seen: dict[int, int] = {}
        for i, revision in enumerate(programme.revisions):
            if revision.number in seen:
                problems[f"{programme_at}.revisions[{i}].number"] = (
                    f"repeats the number of revisions[{seen[revision.number]}]"
                )
            seen.setdefault(revision.number, i)
    _trial_loops(client, problems)


def _numbered(client: Client) -> Iterator[tuple[str, Programme]]:
    for i, programme in enumerate(client.programmes):
        yield f"client.programmes[{i}]", programme


def _in_order(rule: Any, at: str, key: str, first: Any, then: Any, what: str) -> None:
    if first is not None and then is not None:
        rule(then >= first, f"{at}.{key}", f"is before {what}")


def _check_trial(
    trial: Trial, at: str, kinds: dict[type[Record], set[uuid.UUID]], rule: Any
) -> None:
    for key, target in (
        ("programme_revision_id", ProgrammeRevision),
        ("device_assignment_id", DeviceAssignment),
        ("follows_trial_id", Trial),
    ):
        ref = getattr(trial, key)
        rule(
            ref is None or ref in kinds.get(target, set()),
            f"{at}.{key}",
            "names a row not in this file",
        )
    rule(
        trial.subject != TrialSubject.PROGRAMME_REVISION or trial.programme_revision_id is not None,
        f"{at}.programme_revision_id",
        "a trial of a programme revision names the revision",
    )
    rule(
        trial.subject != TrialSubject.DEVICE or trial.device_assignment_id is not None,
        f"{at}.device_assignment_id",
        "a trial of a device names the device",
    )
    _in_order(rule, at, "review_on", trial.started_on, trial.review_on, "the trial's start")
    _in_order(rule, at, "reviewed_on", trial.started_on, trial.reviewed_on, "the trial's start")
    _in_order(rule, at, "decided_on", trial.reviewed_on, trial.decided_on, "the review")
    rule(
        (trial.outcome is None) == (trial.reviewed_on is None),
        f"{at}.reviewed_on",
        "a reviewed trial has both an outcome and a review date, an open one neither",
    )
    rule(
        (trial.decision is None) == (trial.decided_on is None),
        f"{at}.decided_on",
        "a decision has a date, and a date a decision",
    )
    rule(
        trial.decision is None or trial.outcome is not None,
        f"{at}.decision",
        "a trial is decided only after its outcome is reviewed",
    )


def _trial_loops(client: Client, problems: dict[str, str]) -> None:
    """A trial may follow another, never itself, nor round a loop back to itself."""
    index = {t.id: i for i, t in enumerate(client.trials)}
    follows = {t.id: t.follows_trial_id for t in client.trials}
    settled: set[uuid.UUID] = set()
    for start in client.trials:
        chain: list[uuid.UUID] = []
        place: dict[uuid.UUID, int] = {}
        current: uuid.UUID | None = start.id
        while current is not None and current in index and current not in settled:
            if current in place:
                loop = chain[place[current] :]
                names = " → ".join(f"trials[{index[t]}]" for t in [*loop, loop[0]])
                for trial_id in loop:
                    problems[f"client.trials[{index[trial_id]}].follows_trial_id"] = (
                        f"makes a loop of trials ({names})"
                    )
                break
            place[current] = len(chain)
            chain.append(current)
            current = follows[current]
        settled.update(chain)


def _clinic_exercise_problems(session: Session, entries: list[dict[str, Any]]) -> dict[str, str]:
    problems: dict[str, str] = {}
    shipped = set(session.scalars(select(Exercise.code).where(Exercise.builtin.is_(True))))
    first: dict[str, int] = {}
    for i, entry in enumerate(entries):
        at = f"clinic_exercises[{i}]"
        for key in ("code", "name", "category", "illustration"):
            value = entry.get(key)
            if isinstance(value, str):
                message = text_problem(value, single_line=True, visible=key == "name")
                if message is not None:
                    problems[f"{at}.{key}"] = message
        for key in ("summary", "regions", "equipment", "suits", "steps", "cautions"):
            texts = entry.get(key)
            for j, value in enumerate(texts if isinstance(texts, list) else [texts]):
                if isinstance(value, str):
                    message = text_problem(value, single_line=False)
                    if message is not None:
                        problems[f"{at}.{key}" + (f"[{j}]" if isinstance(texts, list) else "")] = (
                            message
                        )
        if any(p.startswith(at) for p in problems):
            continue
        try:
            parse_exercise(entry)
        except ValueError as problem:
            problems[at] = str(problem)
            continue
        code = entry["code"]
        if code in shipped:
            problems[f"{at}.code"] = (
                "is the code of a shipped exercise; a clinic's own needs another"
            )
        elif code in first:
            problems[f"{at}.code"] = f"repeats the code of clinic_exercises[{first[code]}]"
        first.setdefault(code, i)
    return problems


def _ids_taken(
    session: Session, client: Client, own: set[uuid.UUID], problems: dict[str, str]
) -> None:
    """Ids the file gives that rows of another client already hold here."""
    by_model: dict[type[Record], dict[uuid.UUID, str]] = {}
    for _node, record, at in _walk(TREE, client, "client"):
        if not isinstance(record, Client) and record.id not in own:
            by_model.setdefault(type(record), {})[record.id] = at
    for model, wanted in by_model.items():
        ids = list(wanted)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for taken in session.scalars(select(model.id).where(model.id.in_(chunk))):
                problems[f"{wanted[taken]}.id"] = (
                    "is the id of another client's row in this database; "
                    "was this file edited by hand?"
                )


# -- Rows added since the file was exported -----------------------------------------------------


@dataclass
class _Keep:
    node: Node
    parent_id: uuid.UUID
    entry: dict[str, Any]


#: Rows that, when added, also change their parent (a revision supersedes the one before;
#: a status change moves the device on): kept under the file's older parent they would
#: contradict it, so they are reported instead.
_CHANGES_PARENT: dict[type[Record], str] = {
    ProgrammeRevision: "each superseded a revision whose copy in the file is older",
    DeviceStatusChange: "each moved on a device whose copy in the file is older",
}


def _subtree(node: Node, entry: dict[str, Any]) -> Iterator[tuple[Node, dict[str, Any]]]:
    yield node, entry
    for child in node.children:
        for sub in entry.get(child.key, []):
            yield from _subtree(child, sub)


def _sort_newer(
    before: dict[str, Any],
    file_client: dict[str, Any],
    exported_at: datetime | None,
    result: ImportResult,
) -> list[_Keep]:
    """Of the rows the database holds and the file does not, those added after the export:
    which to keep, and which are discarded (counted in `result` with why)."""
    # A row counts as in the file only as the same kind of row (a hand-edited file may
    # give a finding the id of a trial here).
    in_file = {uuid.UUID(e["id"]): n.model for n, e in _subtree(TREE, file_client)}

    def newer(entry: dict[str, Any]) -> bool:
        return exported_at is None or read_timestamp(entry["created_at"]) > exported_at

    def discard(node: Node, entry: dict[str, Any], why: str) -> None:
        for sub_node, _sub in _subtree(node, entry):
            result.discarded[sub_node.label] += 1
            result.why.setdefault(sub_node.label, why)

    candidates: list[_Keep] = []

    def visit(node: Node, entry: dict[str, Any]) -> None:
        parent_id = uuid.UUID(entry["id"])
        for child in node.children:
            for sub in entry[child.key]:
                if in_file.get(uuid.UUID(sub["id"])) is child.model:
                    visit(child, sub)
                elif not newer(sub):  # the file's version removed it: so go rows added under it
                    for gone_node, gone in _subtree(child, sub):
                        if gone is not sub and newer(gone):
                            label = gone_node.label
                            result.discarded[label] += 1
                            result.why.setdefault(
                                label,
                                f"the file no longer has the row they belong to ({child.label})",
                            )
                elif result.discard_newer:
                    discard(child, sub, "--discard-newer")
                elif child.model in _CHANGES_PARENT:
                    discard(child, sub, _CHANGES_PARENT[child.model])
                else:
                    candidates.append(_Keep(child, parent_id, sub))

    visit(TREE, before)
    if not candidates:
        return []
    # What kept rows may clash with or point at.
    dismissed = {(d["code"], d["about"]) for d in file_client["dismissals"]}
    present = set(in_file)
    for keep in candidates:
        present.update(uuid.UUID(e["id"]) for _n, e in _subtree(keep.node, keep.entry))
    kept: list[_Keep] = []
    for keep in candidates:
        entry = keep.entry
        if keep.node.model is AdvisoryDismissal and (entry["code"], entry["about"]) in dismissed:
            discard(keep.node, entry, "the file dismisses the same advisory")
            continue
        kept.append(keep)
    # A kept trial must name only rows that stay; dropping one may strand a trial following it.
    changed = True
    while changed:
        changed = False
        for keep in list(kept):
            if keep.node.model is not Trial:
                continue
            refs = [keep.entry[k] for k in ("programme_revision_id", "device_assignment_id")]
            refs.append(keep.entry["follows_trial_id"])
            if any(r is not None and uuid.UUID(r) not in present for r in refs):
                kept.remove(keep)
                present.difference_update(
                    uuid.UUID(e["id"]) for _n, e in _subtree(keep.node, keep.entry)
                )
                discard(
                    keep.node, keep.entry, "it names a revision, device or trial the file lacks"
                )
                changed = True
    for keep in kept:
        for sub_node, _sub in _subtree(keep.node, keep.entry):
            result.kept[sub_node.label] += 1
    return kept


# -- The import ---------------------------------------------------------------------------------


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
    limits = _Limits(today, max(now, datetime.combine(today, time.max, UTC)) + CLOCK_SKEW)
    for layer in (_size_problems, _value_problems, _schema_problems):
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
    problems.update(_clinic_exercise_problems(session, data["clinic_exercises"]))
    codes: ExerciseCodes = {}
    client = _build(TREE, data["client"], "client", problems, codes, limits)
    assert isinstance(client, Client)
    if problems:
        raise ImportError_(problems)
    _check(session, client, data, codes, problems, today)
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
    own = {uuid.UUID(e["id"]) for _n, e in _subtree(TREE, before)} if before else set()
    if not problems:
        _ids_taken(session, client, own, problems)
    if problems:
        raise ImportError_(problems)
    keep = _sort_newer(before, data["client"], exported_at, result) if before else []
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


def _attach(client: Client, keep: list[_Keep], codes: ExerciseCodes) -> None:
    """Put the kept rows under their parents in the record about to be written."""
    if not keep:
        return
    parents: dict[uuid.UUID, Record] = {r.id: r for _n, r, _at in _walk(TREE, client, "client")}
    unused: dict[str, str] = {}
    for row in keep:
        built = _build(row.node, row.entry, "database", unused, codes, None)
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
