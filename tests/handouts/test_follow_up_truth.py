"""The follow-up plan and device guide say only what is true for this client."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.orm import Session

from tests import factories as f
from tests.handouts.reading import HandoutReader
from therapy_desk.db.database import Database
from therapy_desk.domain.vocabulary import (
    DeviceKind,
    DeviceStatus,
    HandoutKind,
    Side,
    TrialDecision,
    TrialOutcome,
    TrialSubject,
)
from therapy_desk.handouts.build import build_handout
from therapy_desk.services.clinic import ClinicDetails, save_clinic_details
from therapy_desk.services.devices import assign_device
from therapy_desk.services.handouts import handout_snapshot
from therapy_desk.services.trials import decide_trial, open_trial, review_trial

CLINIC = ClinicDetails(name="Riverside Neuro", phone="01632 960 123")


def _plan_text(db: Database, cid: uuid.UUID, kind: HandoutKind = HandoutKind.FOLLOW_UP) -> str:
    with db.reading() as session:
        snapshot = handout_snapshot(session, client_id=cid, today=f.TODAY)
    return HandoutReader(build_handout(snapshot, [kind], large_print=False).pdf).text


def _client(session: Session) -> uuid.UUID:
    save_clinic_details(session, details=CLINIC)
    return f.client(session)


def test_no_programme_and_no_device_means_no_lines_about_them(sqlite_clinic: Database) -> None:
    with sqlite_clinic.transaction() as session:
        cid = _client(session)
    text = _plan_text(sqlite_clinic, cid)
    for absent in ("exercise programme", "tick sheet", "walking aid", "splint", "brace"):
        assert absent not in text, absent
    assert "Bring your notes." in text
    assert "You have a fall" in text


def test_a_programme_and_a_cane_bring_their_lines_and_not_the_splint_ones(
    sqlite_clinic: Database,
) -> None:
    with sqlite_clinic.transaction() as session:
        cid = _client(session)
        f.programme(session, cid, f.weighted_knee())
        assign_device(
            session,
            client_id=cid,
            kind=DeviceKind.CANE,
            side=Side.RIGHT,
            started_on=f.TODAY - timedelta(days=3),
            status=DeviceStatus.IN_USE,
        )
    text = _plan_text(sqlite_clinic, cid)
    assert "Keep doing your exercise programme" in text
    assert "Use the tick sheet" in text
    assert "Bring your walking aid" in text
    assert "Red marks on your skin" not in text
    assert "blister" not in text


def test_a_decided_device_trial_shows_the_real_status(sqlite_clinic: Database) -> None:
    with sqlite_clinic.transaction() as session:
        cid = _client(session)
        afo = assign_device(
            session,
            client_id=cid,
            kind=DeviceKind.ANKLE_FOOT_ORTHOSIS,
            side=Side.LEFT,
            started_on=f.TODAY - timedelta(days=30),
            status=DeviceStatus.TRIAL,
        )
        trial = open_trial(
            session,
            client_id=cid,
            subject=TrialSubject.DEVICE,
            device_assignment_id=afo.id,
            what="AFO for foot drop",
            started_on=f.TODAY - timedelta(days=30),
            review_on=f.TODAY - timedelta(days=2),
        )
    assert "Status Trial" in _plan_text(sqlite_clinic, cid, HandoutKind.DEVICES)
    with sqlite_clinic.transaction() as session:
        trial = review_trial(
            session,
            trial_id=trial.id,
            outcome=TrialOutcome.HELPED,
            on=f.TODAY - timedelta(days=1),
            expected_version=trial.version,
        )
        decide_trial(
            session,
            trial_id=trial.id,
            decision=TrialDecision.CONTINUE,
            on=f.TODAY - timedelta(days=1),
            expected_version=trial.version,
            device_expected_version=afo.version,
        )
    guide = _plan_text(sqlite_clinic, cid, HandoutKind.DEVICES)
    # Keeping the device moves it from Trial to Issued (services/devices.AFTER_TRIAL).
    assert "Status Issued" in guide
    assert "Status Trial" not in guide
    assert "Nothing new is being tried" in _plan_text(sqlite_clinic, cid)
