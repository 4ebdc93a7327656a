"""The trial-and-error loop: open a trial, write follow-ups, review the outcome, decide."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from therapy_desk import words
from therapy_desk.domain import Client, DeviceAssignment, ProgrammeRevision, Trial, TrialNote
from therapy_desk.domain.vocabulary import TrialDecision, TrialOutcome, TrialSubject
from therapy_desk.services.checks import Problems
from therapy_desk.services.devices import settle_device_trial
from therapy_desk.services.errors import ValidationError
from therapy_desk.services.records import expect_version, fetch


def open_trial(
    session: Session,
    *,
    client_id: uuid.UUID,
    subject: TrialSubject,
    what: str,
    started_on: date,
    review_on: date,
    why: str | None = None,
    success_looks_like: str | None = None,
    programme_revision_id: uuid.UUID | None = None,
    device_assignment_id: uuid.UUID | None = None,
    follows_trial_id: uuid.UUID | None = None,
    by: str | None = None,
) -> Trial:
    fetch(session, Client, client_id, what="client")
    p = Problems()
    p.text("what", what, label="What is being tried", limit=500, required=True)
    p.text("why", why, label="Why", limit=5000)
    p.text("success_looks_like", success_looks_like, label="How success is judged", limit=5000)
    p.in_order("review_on", started_on, review_on, message="Review date is before the start")
    if subject is TrialSubject.PROGRAMME_REVISION:
        revision = (
            session.get(ProgrammeRevision, programme_revision_id) if programme_revision_id else None
        )
        p.require(
            revision is not None and revision.programme.client_id == client_id,
            "programme_revision",
            "Choose which of this client's programme revisions is being tried",
        )
    if subject is TrialSubject.DEVICE:
        device = (
            session.get(DeviceAssignment, device_assignment_id) if device_assignment_id else None
        )
        p.require(
            device is not None and device.client_id == client_id,
            "device",
            "Choose which of this client's devices is being tried",
        )
        already = open_trial_of_device(device) if device is not None else None
        if already is not None:
            p.require(
                False,
                "device",
                f"This device's trial is still open (review by {words.day(already.review_on)}): "
                "review and decide it, then open the next trial",
            )
    if follows_trial_id is not None:
        earlier = session.get(Trial, follows_trial_id)
        p.require(
            earlier is not None and earlier.client_id == client_id,
            "follows_trial",
            "The trial this follows must be one of this client's",
        )
    p.raise_if_any()
    trial = Trial(
        client_id=client_id,
        subject=subject,
        what=what.strip(),
        why=(why or "").strip() or None,
        success_looks_like=(success_looks_like or "").strip() or None,
        started_on=started_on,
        review_on=review_on,
        programme_revision_id=programme_revision_id
        if subject is TrialSubject.PROGRAMME_REVISION
        else None,
        device_assignment_id=device_assignment_id if subject is TrialSubject.DEVICE else None,
        follows_trial_id=follows_trial_id,
        opened_by=by,
    )
    session.add(trial)
    session.flush()
    return trial


def _note(trial: Trial, text: str | None, on: date, by: str | None) -> None:
    if text and text.strip():
        trial.notes.append(TrialNote(written_on=on, written_by=by, text=text.strip()))


def add_trial_note(
    session: Session, *, trial_id: uuid.UUID, text: str, on: date, by: str | None = None
) -> TrialNote:
    trial = fetch(session, Trial, trial_id, what="trial")
    p = Problems()
    p.text("text", text, label="Follow-up note", limit=10_000, required=True)
    p.in_order("on", trial.started_on, on, message="A note cannot predate the trial's start")
    p.raise_if_any()
    _note(trial, text, on, by)
    session.flush()
    return trial.notes[-1]


def review_trial(
    session: Session,
    *,
    trial_id: uuid.UUID,
    outcome: TrialOutcome,
    on: date,
    expected_version: int,
    note: str | None = None,
    by: str | None = None,
) -> Trial:
    trial = fetch(session, Trial, trial_id, what="trial")
    expect_version(trial, expected_version, what="trial")
    if trial.outcome is not None and trial.reviewed_on is not None:
        raise ValidationError(
            {
                "outcome": f"This trial was already reviewed on {words.day(trial.reviewed_on)} "
                f"({words.mid_sentence(trial.outcome.label)}); open a new trial to try again"
            }
        )
    if on < trial.started_on:
        raise ValidationError({"on": "The review cannot predate the trial's start"})
    trial.outcome = outcome
    trial.reviewed_on = on
    _note(trial, note, on, by)
    session.flush()
    return trial


def decide_trial(
    session: Session,
    *,
    trial_id: uuid.UUID,
    decision: TrialDecision,
    on: date,
    expected_version: int,
    device_expected_version: int | None = None,
    note: str | None = None,
    by: str | None = None,
) -> Trial:
    """Record what happens next. A device's trial moves the device too, in the same
    transaction (see `devices.AFTER_TRIAL`): `device_expected_version` is the device's
    version as the user saw it, needed whenever the decision moves it."""
    trial = fetch(session, Trial, trial_id, what="trial")
    expect_version(trial, expected_version, what="trial")
    if trial.outcome is None or trial.reviewed_on is None:
        raise ValidationError({"decision": "Review the trial's outcome before deciding what next"})
    if trial.decision is not None and trial.decided_on is not None:
        raise ValidationError(
            {
                "decision": f"Already decided on {words.day(trial.decided_on)} "
                f"({words.mid_sentence(trial.decision.label)}); open the next trial to try again"
            }
        )
    if on < trial.reviewed_on:
        raise ValidationError({"on": "The decision cannot predate the review"})
    trial.decision = decision
    trial.decided_on = on
    _note(trial, note, on, by)
    session.flush()
    if trial.subject is TrialSubject.DEVICE and trial.device_assignment_id is not None:
        settle_device_trial(
            session,
            assignment_id=trial.device_assignment_id,
            decision=decision,
            trial_what=trial.what,
            on=on,
            expected_version=device_expected_version,
            by=by,
        )
    return trial


def open_trial_of_device(device: DeviceAssignment) -> Trial | None:
    """The device's trial still waiting for its review, if any (one at a time)."""
    session = object_session(device)
    if session is None:
        return None
    return session.scalars(
        select(Trial)
        .where(Trial.device_assignment_id == device.id, Trial.outcome.is_(None))
        .order_by(Trial.started_on.desc())
        .limit(1)
    ).first()


def carried_over(earlier: Trial) -> dict[str, str | None]:
    """What the next trial in a line starts with from the one it follows: why it is
    tried and how success is judged (the therapist edits them as the try changes)."""
    return {"why": earlier.why, "success_looks_like": earlier.success_looks_like}
