"""The demo clinic reads like a clinic: a handful of trials overdue (recently), older ones
reviewed and decided, devices where their trials' decisions put them (the app's own
rule), and therapists' cues written for the exercise they sit on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from therapy_desk.db.database import Database
from therapy_desk.domain import DeviceAssignment, Exercise, ProgrammeItem, Trial
from therapy_desk.domain.vocabulary import DeviceStatus, TrialDecision, TrialSubject
from therapy_desk.services.demo import RECENT_DAYS, build_demo_clinic
from therapy_desk.services.demo_texts import CUES
from therapy_desk.services.devices import status_after_trial, trial_decided_note
from therapy_desk.services.opening import open_clinic
from therapy_desk.services.this_week import this_week

TODAY = date(2026, 11, 29)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_clinic(str(tmp_path_factory.mktemp("demo") / "demo.sqlite3"), create=True)
    with db.transaction() as session:
        build_demo_clinic(session, clients=200, seed=11, today=TODAY)
    yield db
    db.close()


def test_a_handful_of_trials_are_overdue_and_none_for_long(demo: Database) -> None:
    with demo.reading() as session:
        week = this_week(session, today=TODAY)
        overdue = session.scalars(
            select(Trial).where(Trial.outcome.is_(None), Trial.review_on < TODAY)
        ).all()
    assert 3 <= len(week.trials_past_review) <= 8
    assert len(overdue) == len(week.trials_past_review)  # none on discharged clients
    assert all(TODAY - t.review_on <= timedelta(days=RECENT_DAYS) for t in overdue)


def test_older_trials_were_reviewed_and_decided(demo: Database) -> None:
    with demo.reading() as session:
        trials = session.scalars(select(Trial)).all()
    long_past = [t for t in trials if t.review_on < TODAY - timedelta(days=RECENT_DAYS)]
    assert len(long_past) > 300
    assert all(t.outcome is not None for t in long_past)
    reviewed_long_ago = [
        t for t in trials if t.reviewed_on and t.reviewed_on < TODAY - timedelta(days=RECENT_DAYS)
    ]
    assert all(t.decision is not None for t in reviewed_long_ago)
    waiting = [t for t in trials if t.outcome is not None and t.decision is None]
    assert len(waiting) <= 10


def test_every_device_stands_where_its_trials_decisions_put_it(demo: Database) -> None:
    with demo.reading() as session:
        devices = session.scalars(
            select(DeviceAssignment).options(selectinload(DeviceAssignment.history))
        ).all()
        trials = session.scalars(select(Trial).where(Trial.subject == TrialSubject.DEVICE)).all()
    by_device: dict[object, list[Trial]] = {}
    for trial in trials:
        by_device.setdefault(trial.device_assignment_id, []).append(trial)
    tried = [d for d in devices if d.history[0].status is DeviceStatus.TRIAL]
    assert len(tried) > 100 and len(tried) < len(devices)
    moved = 0
    for device in devices:
        line = sorted(by_device.get(device.id, []), key=lambda t: t.started_on)
        assert bool(line) == (device in tried), "a device on trial has its trial, no other"
        if not line:
            continue
        # A line of tries: each after an "adjust" of the one before, on the same device.
        for earlier, later in zip(line, line[1:], strict=False):
            assert earlier.decision is TrialDecision.ADJUST
            assert later.follows_trial_id == earlier.id
        last = line[-1]
        if last.decision is None:
            assert device.status is DeviceStatus.TRIAL
            assert device.review_on == last.review_on
            continue
        after = status_after_trial(DeviceStatus.TRIAL, last.decision)
        assert after is not None, "an adjusted trial is always tried again"
        moved += 1
        change = device.history[1]
        assert (change.status, change.changed_on) == (after, last.decided_on)
        assert change.note == trial_decided_note(last.what, last.decision)
        if after is DeviceStatus.ISSUED:
            assert device.status in (DeviceStatus.ISSUED, DeviceStatus.IN_USE)
            assert device.ended_on is None
        else:
            assert device.status is after and device.ended_on == last.decided_on
    assert moved > 50


def test_each_cue_is_written_for_its_own_exercise(demo: Database) -> None:
    with demo.reading() as session:
        codes = set(session.scalars(select(Exercise.code)))
        cued = session.execute(
            select(Exercise.code, ProgrammeItem.cue)
            .join(Exercise, ProgrammeItem.exercise_id == Exercise.id)
            .where(ProgrammeItem.cue.is_not(None))
        ).all()
    assert set(CUES) <= codes, "a cue written for an exercise not in the catalogue"
    assert len(cued) > 100
    assert len({cue for _, cue in cued}) > 40
    for code, cue in cued:
        assert cue in CUES[code], (code, cue)


def test_the_same_seed_makes_the_same_trials_and_devices(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    made = []
    for name in ("a", "b"):
        db = open_clinic(str(tmp_path_factory.mktemp(name) / "demo.sqlite3"), create=True)
        with db.transaction() as session:
            build_demo_clinic(session, clients=30, seed=5, today=TODAY)
        with db.reading() as session:
            made.append(
                (
                    session.execute(
                        select(
                            Trial.what,
                            Trial.started_on,
                            Trial.review_on,
                            Trial.outcome,
                            Trial.decision,
                        ).order_by(Trial.started_on, Trial.what, Trial.review_on)
                    ).all(),
                    session.execute(
                        select(DeviceAssignment.kind, DeviceAssignment.status).order_by(
                            DeviceAssignment.started_on, DeviceAssignment.kind
                        )
                    ).all(),
                )
            )
        db.close()
    assert made[0] == made[1]
