"""The week at a glance: follow-ups due, trials past their review date, recent falls."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from therapy_desk.domain.vocabulary import ClientStatus

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: How far back a fall still counts as recent on the home view.
RECENT_FALL_DAYS = 30


@dataclass(frozen=True)
class WeekItem:
    client_id: uuid.UUID
    reference: str
    name: str
    on: date
    what: str


@dataclass(frozen=True)
class ThisWeek:
    follow_ups: list[WeekItem]
    trials_past_review: list[WeekItem]
    recent_falls: list[WeekItem]


def this_week(session: Session, *, today: date) -> ThisWeek:
    """Follow-ups due by the end of the week ahead (overdue ones first), trials with no
    outcome past their review date, and falls in the last month — active clients only."""
    # Imported here: the home page is built before start-up's first paint, SQLAlchemy after.
    from sqlalchemy import select

    from therapy_desk.domain import Client, Fall, Trial

    active = Client.status == ClientStatus.ACTIVE
    follow_ups = [
        WeekItem(r.id, r.reference, r.name, r.next_follow_up, _when(r.next_follow_up, today))
        for r in session.execute(
            select(Client.id, Client.reference, Client.name, Client.next_follow_up)
            .where(active, Client.next_follow_up <= today + timedelta(days=7))
            .order_by(Client.next_follow_up, Client.name)
        )
    ]
    trials = [
        WeekItem(r.id, r.reference, r.name, r.review_on, r.what)
        for r in session.execute(
            select(Client.id, Client.reference, Client.name, Trial.review_on, Trial.what)
            .join(Trial, Trial.client_id == Client.id)
            .where(active, Trial.outcome.is_(None), Trial.review_on < today)
            .order_by(Trial.review_on, Client.name)
        )
    ]
    falls = [
        WeekItem(
            r.id,
            r.reference,
            r.name,
            r.fell_on,
            ", ".join(p for p in (r.place, r.injury) if p) or "Fall logged",
        )
        for r in session.execute(
            select(Client.id, Client.reference, Client.name, Fall.fell_on, Fall.place, Fall.injury)
            .join(Fall, Fall.client_id == Client.id)
            .where(active, Fall.fell_on >= today - timedelta(days=RECENT_FALL_DAYS))
            .order_by(Fall.fell_on.desc(), Client.name)
        )
    ]
    return ThisWeek(follow_ups, trials, falls)


def _when(due: date, today: date) -> str:
    days = (due - today).days
    if days < 0:
        return f"Overdue by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "Today"
    return "Tomorrow" if days == 1 else f"{due:%a} {due.day} {due:%b}"
