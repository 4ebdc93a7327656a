"""The database itself keeps impossible data out, on both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError

from tests import factories
from therapy_desk.domain import Client, Trial, WeaknessFinding
from therapy_desk.domain.vocabulary import Cause, Region, Side, TrialSubject


def _commit_fails(clinic, make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises((IntegrityError, StatementError)):
        with clinic.transaction() as session:
            make(session)


def test_grade_outside_0_to_5_is_refused(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)

    def make(session):  # type: ignore[no-untyped-def]
        session.add(
            WeaknessFinding(
                client_id=client_id,
                region=Region.HIP,
                side=Side.LEFT,
                cause=Cause.MIXED,
                strength_grade=6,
            )
        )

    _commit_fails(clinic, make)


def test_resolved_before_onset_is_refused(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)

    def make(session):  # type: ignore[no-untyped-def]
        session.add(
            WeaknessFinding(
                client_id=client_id,
                region=Region.HIP,
                side=Side.LEFT,
                cause=Cause.MIXED,
                onset_on=date(2026, 5, 1),
                resolved_on=date(2026, 4, 1),
            )
        )

    _commit_fails(clinic, make)


def test_unknown_enum_value_is_refused_by_the_database(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
    with pytest.raises(IntegrityError):
        with clinic.transaction() as session:
            session.execute(
                text("UPDATE client SET ms_course = 'benign' WHERE id = :id"),
                {"id": client_id.hex if clinic.url.get_backend_name() == "sqlite" else client_id},
            )


def test_trial_review_before_start_is_refused(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)

    def make(session):  # type: ignore[no-untyped-def]
        session.add(
            Trial(
                client_id=client_id,
                subject=TrialSubject.STRATEGY,
                what="Pacing",
                started_on=date(2026, 5, 1),
                review_on=date(2026, 4, 1),
            )
        )

    _commit_fails(clinic, make)


def test_keys_timestamps_and_version(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
    with clinic.reading() as session:
        client = session.get(Client, client_id)
        assert client is not None
        assert client.version == 1
        assert (
            client.created_at.tzinfo is not None
            and client.created_at.utcoffset().total_seconds() == 0
        )
        created = client.created_at
    with clinic.transaction() as session:
        client = session.get(Client, client_id)
        client.phone = "01632 960000"
    with clinic.reading() as session:
        client = session.get(Client, client_id)
        assert client.version == 2
        assert client.updated_at >= created
        assert client.updated_at <= datetime.now(UTC)


def test_deleting_a_client_removes_their_records(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
        factories.finding(session, client_id, Region.KNEE, Cause.NERVE_DAMAGE)
        factories.programme(session, client_id, factories.weighted_knee())
    with clinic.transaction() as session:
        session.delete(session.get(Client, client_id))
    with clinic.reading() as session:
        assert session.execute(text("SELECT count(*) FROM weakness_finding")).scalar() == 0
        assert session.execute(text("SELECT count(*) FROM programme_item")).scalar() == 0
