"""Assistive devices: trial, issue, use, return or stop, with every step kept as history."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from therapy_desk import words
from therapy_desk.domain import Client, DeviceAssignment, DeviceStatusChange
from therapy_desk.domain.vocabulary import (
    DEVICE_HELD,
    DEVICE_TRANSITIONS,
    DeviceKind,
    DeviceStatus,
    Side,
    TrialDecision,
)
from therapy_desk.library import device_guides
from therapy_desk.services.checks import Problems
from therapy_desk.services.errors import Conflict, ValidationError
from therapy_desk.services.records import conflict_over, expect_version, fetch, watch

#: What deciding a device's trial does to a device still on trial: kept ("continue") →
#: issued; stopped, or given up to try something else → returned on the decision's day.
#: "Adjust" keeps it on trial: the next trial tries it again, changed.
AFTER_TRIAL: dict[TrialDecision, DeviceStatus] = {
    TrialDecision.CONTINUE: DeviceStatus.ISSUED,
    TrialDecision.STOP: DeviceStatus.RETURNED,
    TrialDecision.TRY_SOMETHING_ELSE: DeviceStatus.RETURNED,
}


def status_after_trial(current: DeviceStatus, decision: TrialDecision) -> DeviceStatus | None:
    """The status a device takes when its trial is decided; None when it stays as it is
    (adjusted and still on trial, or already moved on by hand)."""
    if current is not DeviceStatus.TRIAL:
        return None
    return AFTER_TRIAL.get(decision)


def check_side(kind: DeviceKind, side: Side) -> None:
    sided = device_guides()[kind].sided if kind in device_guides() else False
    if sided and side is Side.NONE:
        raise ValidationError(
            {"side": f"Say which side the {words.mid_sentence(kind.label)} is for"}
        )
    if not sided and side is not Side.NONE:
        raise ValidationError(
            {"side": f"A {words.mid_sentence(kind.label)} is not fitted to one side"}
        )


def assign_device(
    session: Session,
    *,
    client_id: uuid.UUID,
    kind: DeviceKind,
    side: Side,
    started_on: date,
    status: DeviceStatus = DeviceStatus.TRIAL,
    review_on: date | None = None,
    size_settings: str | None = None,
    training_given: str | None = None,
    notes: str | None = None,
    by: str | None = None,
) -> DeviceAssignment:
    fetch(session, Client, client_id, what="client")
    check_side(kind, side)
    p = Problems()
    p.require(status in DEVICE_HELD, "status", "A new device starts on trial, issued or in use")
    p.in_order("review_on", started_on, review_on, message="Review date is before the start")
    p.text("size_settings", size_settings, label="Size and settings", limit=2000)
    p.text("training_given", training_given, label="Training given", limit=5000)
    p.text("notes", notes, label="Notes", limit=5000)
    p.raise_if_any()
    device = DeviceAssignment(
        client_id=client_id,
        kind=kind,
        side=side,
        status=status,
        started_on=started_on,
        review_on=review_on,
        size_settings=(size_settings or "").strip() or None,
        training_given=(training_given or "").strip() or None,
        notes=(notes or "").strip() or None,
    )
    device.history.append(DeviceStatusChange(status=status, changed_on=started_on, changed_by=by))
    session.add(device)
    session.flush()
    return device


def change_device_status(
    session: Session,
    *,
    assignment_id: uuid.UUID,
    status: DeviceStatus,
    on: date,
    expected_version: int,
    note: str | None = None,
    by: str | None = None,
) -> DeviceAssignment:
    device = fetch(session, DeviceAssignment, assignment_id, what="device")
    expect_version(device, expected_version, what="device")
    if status not in DEVICE_TRANSITIONS[device.status]:
        allowed = (
            ", ".join(words.mid_sentence(s.label) for s in DEVICE_TRANSITIONS[device.status])
            or "none"
        )
        raise ValidationError(
            {
                "status": f"A device that is {words.mid_sentence(device.status.label)} cannot "
                f"become {words.mid_sentence(status.label)} (next steps: {allowed})"
            }
        )
    last = device.history[-1].changed_on if device.history else device.started_on
    if on < last:
        raise ValidationError({"on": f"The change cannot predate the last one ({words.day(last)})"})
    device.status = status
    if status not in DEVICE_HELD:
        device.ended_on = on
    device.history.append(
        DeviceStatusChange(
            status=status, changed_on=on, changed_by=by, note=(note or "").strip() or None
        )
    )
    session.flush()
    return device


def update_device(
    session: Session,
    *,
    assignment_id: uuid.UUID,
    review_on: date | None,
    size_settings: str | None,
    training_given: str | None,
    notes: str | None,
    expected_version: int,
) -> DeviceAssignment:
    device = fetch(session, DeviceAssignment, assignment_id, what="device")
    expect_version(device, expected_version, what="device")
    p = Problems()
    p.in_order("review_on", device.started_on, review_on, message="Review date is before the start")
    p.text("size_settings", size_settings, label="Size and settings", limit=2000)
    p.text("training_given", training_given, label="Training given", limit=5000)
    p.text("notes", notes, label="Notes", limit=5000)
    p.raise_if_any()
    device.review_on = review_on
    device.size_settings = (size_settings or "").strip() or None
    device.training_given = (training_given or "").strip() or None
    device.notes = (notes or "").strip() or None
    session.flush()
    return device


def settle_device_trial(
    session: Session,
    *,
    assignment_id: uuid.UUID,
    decision: TrialDecision,
    trial_what: str,
    on: date,
    expected_version: int | None,
    by: str | None = None,
) -> DeviceAssignment | None:
    """Move the device a decided trial was about, in the decision's transaction: issued
    when kept, returned when stopped or given up; the history names the trial. Returns
    the device when it moved, None when the decision leaves it as it is.

    `expected_version` is the device's version as the user saw it; a device changed
    elsewhere since is a conflict to reload (never applied over), since the decision
    may no longer fit it."""
    device = fetch(session, DeviceAssignment, assignment_id, what="device")
    status = status_after_trial(device.status, decision)
    if status is None:
        return None
    if expected_version is None:
        raise TypeError("deciding a device's trial needs the device's expected_version")
    watch(device, what="device")
    if device.version != expected_version:
        seen = conflict_over(device, what="device")
        raise Conflict("device", changed_by=seen.changed_by, changed_at=seen.changed_at)
    return change_device_status(
        session,
        assignment_id=assignment_id,
        status=status,
        on=on,
        expected_version=expected_version,
        note=trial_decided_note(trial_what, decision),
        by=by,
    )


def trial_decided_note(trial_what: str, decision: TrialDecision) -> str:
    """The device history's note when a trial's decision moves the device."""
    return f"Trial “{trial_what}” decided: {words.mid_sentence(decision.label)}"
