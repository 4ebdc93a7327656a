"""A device on trial and its trial are one story: deciding the trial moves the device
(kept → issued, stopped or given up → returned), in the decision's own transaction, on
SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tests import factories
from tests.factories import TODAY
from therapy_desk.db.database import Database
from therapy_desk.domain import DeviceAssignment, Trial
from therapy_desk.domain.vocabulary import (
    DeviceKind,
    DeviceStatus,
    Side,
    TrialDecision,
    TrialOutcome,
    TrialSubject,
)
from therapy_desk.services import devices, trials
from therapy_desk.services.errors import Conflict, ValidationError

STARTED = TODAY - timedelta(days=30)
DECIDED = TODAY - timedelta(days=2)


def afo_on_trial(clinic: Database) -> tuple[uuid.UUID, uuid.UUID]:
    """A client's left AFO on trial, its trial opened and reviewed: (device, trial)."""
    with clinic.transaction() as session:
        client_id = factories.client(session)
        device = devices.assign_device(
            session,
            client_id=client_id,
            kind=DeviceKind.ANKLE_FOOT_ORTHOSIS,
            side=Side.LEFT,
            started_on=STARTED,
            review_on=TODAY - timedelta(days=3),
            by="seed",
        )
        trial = trials.open_trial(
            session,
            client_id=client_id,
            subject=TrialSubject.DEVICE,
            device_assignment_id=device.id,
            what="Ankle-foot orthosis (AFO), left",
            why="Toe catches on the left",
            success_looks_like="Walks to the shop without tripping",
            started_on=STARTED,
            review_on=TODAY - timedelta(days=3),
        )
        trials.review_trial(
            session,
            trial_id=trial.id,
            outcome=TrialOutcome.HELPED,
            on=TODAY - timedelta(days=3),
            expected_version=trial.version,
        )
        return device.id, trial.id


def decide(
    clinic: Database,
    trial_id: uuid.UUID,
    decision: TrialDecision,
    *,
    device_version: int | None,
) -> None:
    with clinic.transaction() as session:
        trials.decide_trial(
            session,
            trial_id=trial_id,
            decision=decision,
            on=DECIDED,
            expected_version=factories.version(session, Trial, trial_id),
            device_expected_version=device_version,
            by="Dana Reyes",
        )


def device_version(clinic: Database, device_id: uuid.UUID) -> int:
    with clinic.reading() as session:
        return factories.version(session, DeviceAssignment, device_id)


@pytest.mark.parametrize(
    ("decision", "status", "ended"),
    [
        (TrialDecision.CONTINUE, DeviceStatus.ISSUED, None),
        (TrialDecision.STOP, DeviceStatus.RETURNED, DECIDED),
        (TrialDecision.TRY_SOMETHING_ELSE, DeviceStatus.RETURNED, DECIDED),
    ],
)
def test_deciding_a_device_trial_moves_the_device(
    clinic: Database, decision: TrialDecision, status: DeviceStatus, ended: object
) -> None:
    device_id, trial_id = afo_on_trial(clinic)
    before = device_version(clinic, device_id)

    decide(clinic, trial_id, decision, device_version=before)

    with clinic.reading() as session:
        device = session.get(DeviceAssignment, device_id)
        trial = session.get(Trial, trial_id)
        assert device is not None and trial is not None
        assert (trial.decision, trial.decided_on) == (decision, DECIDED)
        assert device.status is status
        assert device.ended_on == ended
        assert device.version == before + 1
        last = device.history[-1]
        assert [h.status for h in device.history] == [DeviceStatus.TRIAL, status]
        assert (last.changed_on, last.changed_by) == (DECIDED, "Dana Reyes")
        assert last.note is not None
        assert "Ankle-foot orthosis (AFO), left" in last.note
        assert decision.label.lower() in last.note


def test_adjusting_keeps_the_device_on_trial_for_the_next_try(clinic: Database) -> None:
    device_id, trial_id = afo_on_trial(clinic)
    before = device_version(clinic, device_id)

    decide(clinic, trial_id, TrialDecision.ADJUST, device_version=None)

    with clinic.reading() as session:
        device = session.get(DeviceAssignment, device_id)
        assert device is not None
        assert device.status is DeviceStatus.TRIAL and device.version == before
        assert len(device.history) == 1
        client_id = device.client_id
    # The next try of the same device, following the adjusted one, may open now.
    with clinic.transaction() as session:
        nxt = trials.open_trial(
            session,
            client_id=client_id,
            subject=TrialSubject.DEVICE,
            device_assignment_id=device_id,
            what="AFO with a softer strap",
            started_on=DECIDED,
            review_on=TODAY + timedelta(days=26),
            follows_trial_id=trial_id,
        )
        assert nxt.device_assignment_id == device_id


def test_a_device_changed_elsewhere_is_a_conflict_and_nothing_is_decided(
    clinic: Database,
) -> None:
    device_id, trial_id = afo_on_trial(clinic)
    seen = device_version(clinic, device_id)
    with clinic.transaction() as session:  # another workstation edits the fitting
        devices.update_device(
            session,
            assignment_id=device_id,
            review_on=None,
            size_settings="Size 6",
            training_given=None,
            notes=None,
            expected_version=seen,
        )

    with pytest.raises(Conflict) as raised:
        decide(clinic, trial_id, TrialDecision.CONTINUE, device_version=seen)

    assert raised.value.what == "device"
    assert raised.value.current_version is None  # reload, never apply over
    with clinic.reading() as session:
        device = session.get(DeviceAssignment, device_id)
        trial = session.get(Trial, trial_id)
        assert device is not None and trial is not None
        assert trial.decision is None and trial.decided_on is None
        assert device.status is DeviceStatus.TRIAL and len(device.history) == 1


def test_a_decision_that_moves_a_device_needs_the_device_s_version(clinic: Database) -> None:
    _, trial_id = afo_on_trial(clinic)
    with pytest.raises(TypeError, match="expected_version"):
        decide(clinic, trial_id, TrialDecision.STOP, device_version=None)


def test_a_device_already_moved_by_hand_stays_where_it_is(clinic: Database) -> None:
    device_id, trial_id = afo_on_trial(clinic)
    with clinic.transaction() as session:
        devices.change_device_status(
            session,
            assignment_id=device_id,
            status=DeviceStatus.IN_USE,
            on=TODAY - timedelta(days=3),
            expected_version=factories.version(session, DeviceAssignment, device_id),
        )

    decide(clinic, trial_id, TrialDecision.STOP, device_version=None)

    with clinic.reading() as session:
        device = session.get(DeviceAssignment, device_id)
        assert device is not None
        assert device.status is DeviceStatus.IN_USE and device.ended_on is None


def test_a_decided_trial_cannot_be_decided_again(clinic: Database) -> None:
    device_id, trial_id = afo_on_trial(clinic)
    decide(
        clinic, trial_id, TrialDecision.CONTINUE, device_version=device_version(clinic, device_id)
    )
    with pytest.raises(ValidationError, match="Already decided"):
        decide(
            clinic, trial_id, TrialDecision.STOP, device_version=device_version(clinic, device_id)
        )
    with clinic.reading() as session:
        device = session.get(DeviceAssignment, device_id)
        assert device is not None and device.status is DeviceStatus.ISSUED


def test_one_open_trial_per_device(clinic: Database) -> None:
    device_id, trial_id = afo_on_trial(clinic)
    with clinic.reading() as session:
        device = session.get(DeviceAssignment, device_id)
        assert device is not None
        client_id = device.client_id
    with clinic.transaction() as session:
        second = devices.assign_device(
            session,
            client_id=client_id,
            kind=DeviceKind.FOREARM_CRUTCH,
            side=Side.RIGHT,
            started_on=TODAY,
        )
        first = dict(
            client_id=client_id,
            subject=TrialSubject.DEVICE,
            device_assignment_id=second.id,
            what="Crutch",
            started_on=TODAY,
            review_on=TODAY + timedelta(days=28),
        )
        opened = trials.open_trial(session, **first)  # type: ignore[arg-type]
        assert trials.open_trial_of_device(second) is opened
    with pytest.raises(ValidationError) as raised, clinic.transaction() as session:
        trials.open_trial(session, **first)  # type: ignore[arg-type]
    assert "still open" in raised.value.errors["device"]
    assert "19 Dec 2026" in raised.value.errors["device"]


def test_the_next_trial_carries_over_why_and_success(clinic: Database) -> None:
    _, trial_id = afo_on_trial(clinic)
    with clinic.reading() as session:
        trial = session.get(Trial, trial_id)
        assert trial is not None
        assert trials.carried_over(trial) == {
            "why": "Toe catches on the left",
            "success_looks_like": "Walks to the shop without tripping",
        }
