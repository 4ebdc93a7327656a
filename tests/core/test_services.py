"""Use cases through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tests import factories
from tests.factories import TODAY
from therapy_desk.domain import DeviceAssignment, Programme, Trial
from therapy_desk.domain.vocabulary import (
    Band,
    Cause,
    DeviceKind,
    DeviceStatus,
    MSCourse,
    Region,
    Side,
    TrialDecision,
    TrialOutcome,
    TrialSubject,
)
from therapy_desk.guidance import RESISTANCE_ON_NERVE_DAMAGE
from therapy_desk.services import advisories, clients, devices, falls, measures, programmes, trials
from therapy_desk.services.caseload import CaseloadFilter, list_caseload
from therapy_desk.services.errors import Conflict, ValidationError


def test_client_validation_names_each_field(clinic) -> None:
    details = clients.ClientDetails(
        reference="has space",
        name="  ",
        email="not-an-email",
        date_of_birth=TODAY + timedelta(days=1),
        diagnosis_year=1800,
    )
    with pytest.raises(ValidationError) as raised, clinic.transaction() as session:
        clients.create_client(session, details=details, today=TODAY)
    assert set(raised.value.errors) == {
        "reference",
        "name",
        "email",
        "date_of_birth",
        "diagnosis_year",
    }
    assert "name@example.org" in raised.value.errors["email"]


def test_reference_must_be_unique_ignoring_case(clinic) -> None:
    with clinic.transaction() as session:
        factories.client(session, "TD-7")
    with pytest.raises(ValidationError, match="already in use"), clinic.transaction() as session:
        factories.client(session, "td-7", name="Someone Else")


def test_unicode_names_are_kept_exactly(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session, "V-1", name="Nguyễn Thị Hà")
    with clinic.reading() as session:
        assert clients.load_record(session, client_id).name == "Nguyễn Thị Hà"


def test_edit_refuses_to_overwrite_a_change_made_elsewhere(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
    details = clients.ClientDetails(
        reference="C-1", name="Zoë Ł.", ms_course=MSCourse.PRIMARY_PROGRESSIVE
    )
    with clinic.transaction() as session:
        clients.update_client(
            session, client_id=client_id, details=details, today=TODAY, expected_version=1
        )
    with pytest.raises(Conflict), clinic.transaction() as session:
        clients.update_client(
            session, client_id=client_id, details=details, today=TODAY, expected_version=1
        )


def test_new_revision_supersedes_and_keeps_the_old(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
        programme_id = factories.programme(
            session,
            client_id,
            factories.weighted_knee(load=1.0),
            programmes.ItemSpec("sit-to-stand", sets=2, reps=8),
        )
    with clinic.transaction() as session:
        programmes.revise_programme(
            session,
            programme_id=programme_id,
            expected_version=1,
            on=TODAY,
            by="tester",
            reason="Progressed",
            items=[
                factories.weighted_knee(load=2.0),
                programmes.ItemSpec("calf-stretch", sets=3, hold_seconds=30),
            ],
        )
    with clinic.reading() as session:
        programme = session.get(Programme, programme_id)
        first, second = programme.revisions
        assert (first.number, second.number) == (1, 2)
        assert first.superseded_on == TODAY and second.superseded_on is None
        assert [i.load_kg for i in first.items] == [1.0, None]  # the old revision is untouched
        changes = {(c.exercise_code, c.change) for c in programmes.revision_changes(first, second)}
        assert changes == {
            (factories.WEIGHTED_KNEE, "dose"),
            ("sit-to-stand", "removed"),
            ("calf-stretch", "added"),
        }


def test_a_new_reminder_alone_is_said_as_such_not_as_an_unchanged_dose(clinic) -> None:
    stand = programmes.ItemSpec("sit-to-stand", sets=2, reps=8)
    with clinic.transaction() as session:
        client_id = factories.client(session)
        programme_id = factories.programme(session, client_id, stand)
    with clinic.transaction() as session:
        programmes.revise_programme(
            session,
            programme_id=programme_id,
            expected_version=1,
            on=TODAY,
            by="tester",
            reason="Cue",
            items=[replace(stand, cue="Nose over toes, then stand")],
        )
    with clinic.reading() as session:
        first, second = session.get(Programme, programme_id).revisions
        changes = programmes.revision_changes(first, second)
    assert [(c.change, c.before, c.after) for c in changes] == [
        ("cue", None, "Nose over toes, then stand")
    ]


def test_programme_item_problems_name_the_item(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
    bad = [
        programmes.ItemSpec("no-such-exercise", reps=5),
        programmes.ItemSpec("sit-to-stand", sets=2),
        programmes.ItemSpec("sit-to-stand", reps=5, days_per_week=9, load_kg=-1, band=Band.LIGHT),
    ]
    with pytest.raises(ValidationError) as raised, clinic.transaction() as session:
        factories.programme(session, client_id, *bad)
    assert set(raised.value.errors) >= {
        "items[1].exercise",
        "items[2].reps",
        "items[3].days_per_week",
        "items[3].load_kg",
    }
    with clinic.reading() as session:
        assert session.query(Programme).count() == 0


def test_device_lifecycle(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
        afo = devices.assign_device(
            session,
            client_id=client_id,
            kind=DeviceKind.ANKLE_FOOT_ORTHOSIS,
            side=Side.LEFT,
            started_on=TODAY - timedelta(days=30),
        ).id
        devices.change_device_status(
            session,
            assignment_id=afo,
            status=DeviceStatus.ISSUED,
            on=TODAY - timedelta(days=20),
            expected_version=1,
        )
        session.flush()
        devices.change_device_status(
            session,
            assignment_id=afo,
            status=DeviceStatus.IN_USE,
            on=TODAY - timedelta(days=10),
            expected_version=factories.version(session, DeviceAssignment, afo),
        )
    with (
        pytest.raises(ValidationError, match="cannot become trial"),
        clinic.transaction() as session,
    ):
        devices.change_device_status(
            session, assignment_id=afo, status=DeviceStatus.TRIAL, on=TODAY, expected_version=3
        )
    with clinic.transaction() as session:
        device = devices.change_device_status(
            session,
            assignment_id=afo,
            status=DeviceStatus.RETURNED,
            on=TODAY,
            note="Skin marks",
            expected_version=3,
        )
        assert device.ended_on == TODAY
        assert [h.status for h in device.history] == [
            DeviceStatus.TRIAL,
            DeviceStatus.ISSUED,
            DeviceStatus.IN_USE,
            DeviceStatus.RETURNED,
        ]
    with pytest.raises(ValidationError, match="which side"), clinic.transaction() as session:
        devices.assign_device(
            session, client_id=client_id, kind=DeviceKind.CANE, side=Side.NONE, started_on=TODAY
        )


def test_trial_loop_open_review_decide_follow(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
        trial = trials.open_trial(
            session,
            client_id=client_id,
            subject=TrialSubject.STRATEGY,
            what="Pacing plan",
            why="Afternoon fatigue",
            success_looks_like="Walks home",
            started_on=TODAY - timedelta(days=40),
            review_on=TODAY - timedelta(days=5),
        )
        trials.add_trial_note(
            session, trial_id=trial.id, text="Doing it most days", on=TODAY - timedelta(days=20)
        )
        trial_id = trial.id
    with clinic.reading() as session:
        found = advisories.advisories_for(session, client_id=client_id, today=TODAY)
        assert [v.advisory.code for v in found] == ["trial-review-overdue"]
    with clinic.transaction() as session:
        trials.review_trial(
            session,
            trial_id=trial_id,
            outcome=TrialOutcome.NO_CHANGE,
            on=TODAY,
            expected_version=factories.version(session, Trial, trial_id),
        )
    with clinic.reading() as session:
        found = advisories.advisories_for(session, client_id=client_id, today=TODAY)
        assert [v.advisory.code for v in found] == ["trial-needs-decision"]
    with clinic.transaction() as session:
        trials.decide_trial(
            session,
            trial_id=trial_id,
            decision=TrialDecision.TRY_SOMETHING_ELSE,
            on=TODAY,
            expected_version=factories.version(session, Trial, trial_id),
            note="Try a cooling vest",
        )
        nxt = trials.open_trial(
            session,
            client_id=client_id,
            subject=TrialSubject.STRATEGY,
            what="Cooling vest",
            started_on=TODAY,
            review_on=TODAY + timedelta(days=28),
            follows_trial_id=trial_id,
        )
        assert nxt.follows_trial_id == trial_id
    with clinic.reading() as session:
        assert advisories.advisories_for(session, client_id=client_id, today=TODAY) == []
    with pytest.raises(ValidationError, match="already reviewed"), clinic.transaction() as session:
        trials.review_trial(
            session,
            trial_id=trial_id,
            outcome=TrialOutcome.HELPED,
            on=TODAY,
            expected_version=factories.version(session, Trial, trial_id),
        )


def test_device_trial_must_name_one_of_the_clients_devices(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
    with pytest.raises(ValidationError) as raised, clinic.transaction() as session:
        trials.open_trial(
            session,
            client_id=client_id,
            subject=TrialSubject.DEVICE,
            what="AFO",
            started_on=TODAY,
            review_on=TODAY,
        )
    assert "device" in raised.value.errors


def test_measure_out_of_range_is_refused_with_the_range(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
    with pytest.raises(ValidationError) as raised, clinic.transaction() as session:
        measures.record_measurement(
            session, client_id=client_id, today=TODAY, result=measures.Result("t25fw", 500.0, TODAY)
        )
    assert "between" in raised.value.errors["value"]
    with pytest.raises(ValidationError) as raised, clinic.transaction() as session:
        measures.record_measurement(
            session, client_id=client_id, today=TODAY, result=measures.Result("nhpt", 25.0, TODAY)
        )
    assert "left or right" in raised.value.errors["side"]
    with clinic.transaction() as session:
        for days, value in ((100, 9.4), (10, 8.1)):
            measures.record_measurement(
                session,
                client_id=client_id,
                today=TODAY,
                result=measures.Result("t25fw", value, TODAY - timedelta(days=days)),
            )
    with clinic.reading() as session:
        assert [
            v for _, v in measures.series(session, client_id=client_id, measure_code="t25fw")
        ] == [9.4, 8.1]


def test_falls_per_month(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
        for day in (TODAY.replace(day=2), TODAY.replace(day=9), TODAY.replace(month=3, day=1)):
            falls.log_fall(
                session,
                client_id=client_id,
                details=falls.FallDetails(day, place="Kitchen"),
                today=TODAY,
            )
    with clinic.reading() as session:
        assert falls.falls_per_month(session, client_id=client_id) == [(2026, 3, 1), (2026, 11, 2)]
    with pytest.raises(ValidationError, match="future"), clinic.transaction() as session:
        falls.log_fall(
            session,
            client_id=client_id,
            details=falls.FallDetails(TODAY + timedelta(days=1)),
            today=TODAY,
        )


def test_dismissing_an_advisory_records_who_when_why(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
        factories.finding(session, client_id, Region.KNEE, Cause.NERVE_DAMAGE)
        factories.programme(session, client_id, factories.weighted_knee())
    with clinic.reading() as session:
        (view,) = [
            v
            for v in advisories.advisories_for(session, client_id=client_id, today=TODAY)
            if v.advisory.code == RESISTANCE_ON_NERVE_DAMAGE
        ]
    with pytest.raises(ValidationError, match="Reason"), clinic.transaction() as session:
        advisories.dismiss_advisory(
            session,
            client_id=client_id,
            code=view.advisory.code,
            about=view.advisory.about,
            reason=" ",
            by="dana",
            now=datetime.now(UTC),
        )
    with clinic.transaction() as session:
        advisories.dismiss_advisory(
            session,
            client_id=client_id,
            code=view.advisory.code,
            about=view.advisory.about,
            reason="Load agreed with neurologist",
            by="dana",
            now=datetime.now(UTC),
        )
    with clinic.reading() as session:
        shown = advisories.advisories_for(session, client_id=client_id, today=TODAY)
        assert RESISTANCE_ON_NERVE_DAMAGE not in {v.advisory.code for v in shown}
        every = advisories.advisories_for(
            session, client_id=client_id, today=TODAY, include_dismissed=True
        )
        (gone,) = [v for v in every if v.dismissed]
        assert (
            gone.dismissed.by == "dana" and gone.dismissed.reason == "Load agreed with neurologist"
        )


def test_caseload_search_and_filters(clinic) -> None:
    with clinic.transaction() as session:
        a = factories.client(
            session,
            "TD-1",
            "Mia Müller",
            next_follow_up=TODAY + timedelta(days=2),
            ms_course=MSCourse.PRIMARY_PROGRESSIVE,
        )
        factories.finding(session, a, Region.ANKLE_FOOT, Cause.NERVE_DAMAGE, strength_grade=2)
        b = factories.client(
            session, "TD-2", "Omar Haddad", next_follow_up=TODAY + timedelta(days=30)
        )
        factories.finding(
            session, b, Region.HIP, Cause.DECONDITIONING, resolved_on=TODAY, onset_on=TODAY
        )
        trials.open_trial(
            session,
            client_id=b,
            subject=TrialSubject.STRATEGY,
            what="Pacing",
            started_on=TODAY - timedelta(days=30),
            review_on=TODAY - timedelta(days=1),
        )
        c = factories.client(session, "TD-3", "Ana 100% Sure")
        clients.discharge_client(session, client_id=c, on=TODAY, expected_version=1)

    def refs(**filters: object) -> list[str]:
        with clinic.reading() as session:
            rows = list_caseload(session, filters=CaseloadFilter(**filters), today=TODAY)  # type: ignore[arg-type]
            return [r.reference for r in rows]

    assert refs() == ["TD-1", "TD-2"]
    assert refs(search="müll") == ["TD-1"]
    assert refs(search="td-2") == ["TD-2"]
    assert refs(search="100%", status=None) == ["TD-3"]
    assert refs(search="%") == []
    assert refs(due_by=TODAY + timedelta(days=7)) == ["TD-1"]
    assert refs(overdue_trials=True) == ["TD-2"]
    assert refs(region=Region.ANKLE_FOOT) == ["TD-1"]
    assert refs(region=Region.HIP) == []  # resolved findings do not count
    assert refs(cause=Cause.NERVE_DAMAGE, course=MSCourse.PRIMARY_PROGRESSIVE) == ["TD-1"]
    assert refs(has_advisories=True) == ["TD-1", "TD-2"]
    with clinic.reading() as session:
        first = list_caseload(session, filters=CaseloadFilter(), today=TODAY)[0]
    assert first.main_weakness == "Ankle and foot (left), nerve damage"
    assert first.advisories == 2  # foot drop without an orthosis; OT for getting around


def test_a_reminder_longer_than_a_large_print_card_holds_is_refused_at_its_field(
    clinic,
) -> None:  # type: ignore[no-untyped-def]
    from therapy_desk.services.programmes import CUE_LIMIT

    with clinic.transaction() as session:
        client_id = factories.client(session)
    fits = programmes.ItemSpec("sit-to-stand", sets=2, reps=8, cue="x" * CUE_LIMIT)
    too_long = programmes.ItemSpec("sit-to-stand", sets=2, reps=8, cue="x" * (CUE_LIMIT + 1))
    with clinic.transaction() as session:
        factories.programme(session, client_id, fits)
    with pytest.raises(ValidationError) as raised, clinic.transaction() as session:
        factories.programme(session, client_id, too_long)
    (message,) = raised.value.errors.values()
    assert "shorten it to 200 or fewer" in message and "large-print card" in message
