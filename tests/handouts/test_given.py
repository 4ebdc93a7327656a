"""Which printed exercises an advisory concerns, and handouts given then withdrawn,
on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from tests import factories
from tests.factories import TODAY, WEIGHTED_KNEE
from therapy_desk.domain import HandoutRecord
from therapy_desk.domain.vocabulary import Cause, HandoutKind, Region, Side
from therapy_desk.guidance import RESISTANCE_ON_NERVE_DAMAGE, Advisory
from therapy_desk.handouts.snapshot import ExerciseCard, ProgrammeSheet
from therapy_desk.services.advisories import advisories_for, dismiss_advisory
from therapy_desk.services.clinic import ClinicDetails, save_clinic_details
from therapy_desk.services.errors import Conflict, ValidationError
from therapy_desk.services.handouts import (
    flagged_items,
    handout_flags,
    handout_snapshot,
    handouts_given,
    withdraw_handout,
)
from therapy_desk.services.record_view import read_record

NOW = datetime(2026, 11, 21, 10, 30, tzinfo=UTC)


def _card(number: int, code: str, name: str) -> ExerciseCard:
    return ExerciseCard(number, code, name, "", (), (), (), (), 3, None, None)


def _advisory(about: str) -> Advisory:
    return Advisory(RESISTANCE_ON_NERVE_DAMAGE, about, "Title", "Reason.", "Suggestion.")


def test_an_advisory_concerns_the_exercise_its_about_names() -> None:
    sheet = ProgrammeSheet(
        "Home programme",
        1,
        TODAY,
        (_card(1, "bridge", "Bridge"), _card(2, "knee", "Knee"), _card(3, "knee", "Knee")),
    )
    flags = flagged_items(
        sheet,
        [
            _advisory("exercise:knee|region:knee"),
            _advisory("region:knee"),  # names no exercise
            _advisory("exercise:not-printed|region:hip"),
        ],
    )
    assert [(f.number, f.exercise) for f in flags] == [(2, "Knee"), (3, "Knee")]
    assert flags[0].sentence() == "Exercise 2, Knee: Title. Reason."
    assert flagged_items(None, [_advisory("exercise:knee")]) == []
    assert flagged_items(sheet, []) == []


def _weighted_knee_client(session, cause: Cause) -> uuid.UUID:  # type: ignore[no-untyped-def]
    save_clinic_details(session, details=ClinicDetails(name="Riverside", phone="01632 960 123"))
    client_id = factories.client(session)
    factories.finding(session, client_id, Region.KNEE, cause, Side.LEFT)
    factories.programme(session, client_id, factories.weighted_knee())
    return client_id


@pytest.mark.parametrize(("cause", "flagged"), [(Cause.NERVE_DAMAGE, 1), (Cause.DECONDITIONING, 0)])
def test_a_weight_on_a_nerve_damaged_knee_is_flagged_by_name(clinic, cause, flagged) -> None:
    with clinic.transaction() as session:
        client_id = _weighted_knee_client(session, cause)
    with clinic.reading() as session:
        snapshot = handout_snapshot(session, client_id=client_id, today=TODAY)
        flags = handout_flags(session, snapshot=snapshot, today=TODAY)
    assert len(flags) == flagged
    if flagged:
        (flag,) = flags
        assert flag.code == RESISTANCE_ON_NERVE_DAMAGE
        assert flag.number == 1
        assert flag.exercise == snapshot.programme.cards[0].name  # type: ignore[union-attr]
        assert "1.5 kg" in flag.reason and "nerve damage" in flag.reason


def test_a_dismissed_advisory_no_longer_flags_the_item(clinic) -> None:
    with clinic.transaction() as session:
        client_id = _weighted_knee_client(session, Cause.NERVE_DAMAGE)
    with clinic.transaction() as session:
        (view,) = [
            v
            for v in advisories_for(session, client_id=client_id, today=TODAY)
            if v.advisory.code == RESISTANCE_ON_NERVE_DAMAGE
        ]
        assert f"exercise:{WEIGHTED_KNEE}" in view.advisory.about
        dismiss_advisory(
            session,
            client_id=client_id,
            code=view.advisory.code,
            about=view.advisory.about,
            reason="Light load agreed with the neurologist",
            by="Ana",
            now=NOW,
        )
    with clinic.reading() as session:
        snapshot = handout_snapshot(session, client_id=client_id, today=TODAY)
        assert handout_flags(session, snapshot=snapshot, today=TODAY) == []


def _given(session, client_id: uuid.UUID) -> uuid.UUID:  # type: ignore[no-untyped-def]
    record = HandoutRecord(
        client_id=client_id,
        kind=HandoutKind.PROGRAMME.value,
        given_at=NOW,
        given_by="Ana",
        large_print=True,
        content_hash="0" * 64,
    )
    session.add(record)
    session.flush()
    return record.id


def test_withdrawing_keeps_the_record_with_who_when_and_why(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
        record_id = _given(session, client_id)
    later = NOW.replace(day=22)
    with clinic.transaction(user="Ben") as session:
        (row,) = handouts_given(session, client_id=client_id)
        assert not row.withdrawn and row.label == "Home exercise programme"
        withdraw_handout(
            session,
            record_id=record_id,
            reason="Saved to send, never sent",
            by="Ben",
            now=later,
            expected_version=row.version,
        )
    with clinic.reading() as session:
        (row,) = handouts_given(session, client_id=client_id)
        assert row.withdrawn
        assert (row.withdrawn_by, row.withdrawn_reason) == ("Ben", "Saved to send, never sent")
        assert row.withdrawn_at is not None and row.withdrawn_at.date() == later.date()
        events = [
            (e.on, e.title, e.detail)
            for e in read_record(session, client_id=client_id, today=TODAY).timeline
            if e.kind == "handout"
        ]
    assert events == [
        (
            later.date(),
            "Handout withdrawn by Ben: Home exercise programme (large print), given 21 Nov 2026",
            "Saved to send, never sent",
        ),
        (NOW.date(), "Handout given: Home exercise programme (large print) (withdrawn)", "by Ana"),
    ]


def test_withdrawing_needs_a_reason_the_current_version_and_happens_once(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
        record_id = _given(session, client_id)
    kwargs = {"record_id": record_id, "by": "Ben", "now": NOW}
    with pytest.raises(ValidationError) as raised, clinic.transaction() as session:
        withdraw_handout(session, reason="  ", expected_version=1, **kwargs)  # type: ignore[arg-type]
    assert "reason" in raised.value.errors
    with pytest.raises(Conflict), clinic.transaction() as session:
        withdraw_handout(session, reason="Not given", expected_version=7, **kwargs)  # type: ignore[arg-type]
    with clinic.transaction() as session:
        withdraw_handout(session, reason="Not given", expected_version=1, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as raised, clinic.transaction() as session:
        withdraw_handout(session, reason="Again", expected_version=2, **kwargs)  # type: ignore[arg-type]
    assert "already withdrawn by Ben" in raised.value.errors["handout"]
    with clinic.reading() as session:
        (row,) = handouts_given(session, client_id=client_id)
    assert row.withdrawn_reason == "Not given"
