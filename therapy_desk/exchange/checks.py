"""Checks a client's built record as the services and the database would.

The services' own field checks, the database's CHECK and UNIQUE rules, references
that must resolve inside the file (a trial's revision, device or earlier trial, and
no loop of trials following each other), the clinic exercises the file brings, and
ids that rows of another client already hold here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from therapy_desk.domain import (
    AdvisoryDismissal,
    Client,
    DeviceAssignment,
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
from therapy_desk.exchange.building import ExerciseCodes, walk
from therapy_desk.exchange.layout import TREE, text_problem
from therapy_desk.library.catalogue import parse_exercise
from therapy_desk.services import clients, devices, falls, findings, measures
from therapy_desk.services.errors import ValidationError
from therapy_desk.services.programmes import load_problem


def check_record(
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
    for _node, record, at in walk(TREE, client, "client"):
        if record.id in ids:
            problems[f"{at}.id"] = f"repeats the id of {ids[record.id]}"
        ids[record.id] = at
        kinds.setdefault(type(record), set()).add(record.id)
    equipment: dict[str, tuple[str, list[str]]] = {
        code: (name, list(kit))
        for code, name, kit in session.execute(
            select(Exercise.code, Exercise.name, Exercise.equipment)
        )
    }
    for entry in data["clinic_exercises"]:
        kit = entry.get("equipment")
        equipment[entry["code"]] = (
            str(entry.get("name", entry["code"])),
            [str(k) for k in kit] if isinstance(kit, list) else [],
        )
    known_exercises = set(equipment)

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
    for _node, record, at in walk(TREE, client, "client"):
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
            if codes[record] in equipment:
                name, kit = equipment[codes[record]]
                mismatch = load_problem(name, kit, load_kg=record.load_kg, band=record.band)
                if mismatch is not None:
                    rule(False, f"{at}.{mismatch[0]}", mismatch[1])
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
                        r.measure_code,
                        r.value,
                        r.measured_on,
                        r.side,
                        r.region,
                        notes=r.notes,
                        trial_values=r.trial_values or None,
                    ),
                    today=today,
                ),
            )
            _check_correction(record, at, kinds, rule)
        elif isinstance(record, Fall):
            _check_correction(record, at, kinds, rule)
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


def _check_correction(
    record: Measurement | Fall, at: str, kinds: dict[type[Record], set[uuid.UUID]], rule: Any
) -> None:
    """A correction names a row of the same kind in the file, and says who, when and why;
    a strike-out says who, when and why; no row is both."""
    corrected = (record.corrected_at, record.correction_reason)
    struck = (record.struck_at, record.struck_reason)
    if record.superseded_by_id is not None:
        rule(
            record.superseded_by_id in kinds.get(type(record), set())
            and record.superseded_by_id != record.id,
            f"{at}.superseded_by_id",
            "names no other row of the same kind in this file",
        )
    rule(
        (record.superseded_by_id is not None) == all(v is not None for v in corrected)
        and (record.superseded_by_id is not None or record.corrected_by is None),
        f"{at}.correction_reason",
        "a correction gives the row that replaced it, when and why, all together",
    )
    rule(
        (record.struck_at is not None) == all(v is not None for v in struck)
        and (record.struck_at is not None or record.struck_by is None),
        f"{at}.struck_reason",
        "a strike-out gives when and why, together",
    )
    rule(
        record.superseded_by_id is None or record.struck_at is None,
        f"{at}.struck_at",
        "a row is either corrected or struck out, not both",
    )


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


def clinic_exercise_problems(session: Session, entries: list[dict[str, Any]]) -> dict[str, str]:
    """The clinic's own exercises the file brings: readable, and no code taken twice."""
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


def ids_taken(
    session: Session, client: Client, own: set[uuid.UUID], problems: dict[str, str]
) -> None:
    """Ids the file gives that rows of another client already hold here."""
    by_model: dict[type[Record], dict[uuid.UUID, str]] = {}
    for _node, record, at in walk(TREE, client, "client"):
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
