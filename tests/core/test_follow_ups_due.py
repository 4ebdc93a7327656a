"""Follow-ups due: one rule for This week and the batch of handouts, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from tests import factories as f
from therapy_desk.db.database import Database
from therapy_desk.domain import Client
from therapy_desk.domain.vocabulary import ClientStatus
from therapy_desk.services.this_week import follow_ups_due, this_week, week_ahead

#: Reference → days from today of the next follow-up (None: not booked).
BOOKED: dict[str, int | None] = {
    "OVER-40": -40,
    "OVER-1": -1,
    "TODAY": 0,
    "SOON": 3,
    "LAST": 7,
    "LATER": 8,
    "NONE": None,
}


def _book(session: Session, reference: str, days: int | None, *, discharged: bool = False) -> None:
    client = session.get(Client, f.client(session, reference=reference, name=f"Client {reference}"))
    assert client is not None
    client.next_follow_up = None if days is None else f.TODAY + timedelta(days=days)
    if discharged:
        client.status = ClientStatus.DISCHARGED


@pytest.fixture
def booked(clinic: Database) -> Database:
    with clinic.transaction() as session:
        for reference, days in BOOKED.items():
            _book(session, reference, days)
        _book(session, "GONE", -5, discharged=True)
    return clinic


def _ids(clinic: Database, references: list[str]) -> list[uuid.UUID]:
    with clinic.reading() as session:
        by_reference = {c.reference: c.id for c in session.query(Client)}
    return [by_reference[r] for r in references]


def test_the_batch_for_this_week_is_this_weeks_follow_ups_overdue_included(
    booked: Database,
) -> None:
    with booked.reading() as session:
        week = this_week(session, today=f.TODAY)
        start, end = week_ahead(f.TODAY)
        batch = follow_ups_due(session, today=f.TODAY, start=start, end=end)
    expected = ["OVER-40", "OVER-1", "TODAY", "SOON", "LAST"]
    assert [d.reference for d in batch] == expected
    assert [d.client_id for d in batch] == [w.client_id for w in week.follow_ups]
    assert [d.client_id for d in batch] == _ids(booked, expected)
    assert [d.reference for d in batch if d.overdue] == ["OVER-40", "OVER-1"]


def test_overdue_can_be_left_out_and_come_with_any_range(booked: Database) -> None:
    with booked.reading() as session:
        only_range = follow_ups_due(
            session, today=f.TODAY, start=f.TODAY, end=f.TODAY + timedelta(days=7), overdue=False
        )
        next_week = follow_ups_due(
            session, today=f.TODAY, start=f.TODAY + timedelta(days=8), end=date(2027, 1, 1)
        )
        with pytest.raises(ValueError, match="ends before it starts"):
            follow_ups_due(session, today=f.TODAY, start=f.TODAY, end=f.TODAY - timedelta(days=1))
    assert [d.reference for d in only_range] == ["TODAY", "SOON", "LAST"]
    assert not any(d.overdue for d in only_range)
    assert [d.reference for d in next_week] == ["OVER-40", "OVER-1", "LATER"]
