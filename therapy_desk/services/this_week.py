"""The week at a glance: follow-ups due, trials past their review date, recent falls."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from therapy_desk.domain.vocabulary import ClientStatus
from therapy_desk.words import count, day, short_day

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: How far back a fall still counts as recent on the home view.
RECENT_FALL_DAYS = 30
#: This week's follow-ups run from today to this many days after (and take in the overdue).
WEEK_AHEAD_DAYS = 7


def week_ahead(today: date) -> tuple[date, date]:
    """The range of This week's follow-ups: today and the WEEK_AHEAD_DAYS after it."""
    return today, today + timedelta(days=WEEK_AHEAD_DAYS)


@dataclass(frozen=True)
class FollowUpDue:
    """An active client whose follow-up is due: in the range asked for, or overdue."""

    client_id: uuid.UUID
    reference: str
    name: str
    on: date
    large_print: bool
    #: Booked before today and not yet moved on: the follow-up has not happened.
    overdue: bool


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
    start, end = week_ahead(today)
    follow_ups = [
        WeekItem(due.client_id, due.reference, due.name, due.on, _when(due.on, today))
        for due in follow_ups_due(session, today=today, start=start, end=end)
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
            # Both free text as typed ("Stairs at home", "Grazed knees"): side by side.
            " · ".join(p for p in (r.place, r.injury) if p) or "Fall logged",
        )
        for r in session.execute(
            select(Client.id, Client.reference, Client.name, Fall.fell_on, Fall.place, Fall.injury)
            .join(Fall, Fall.client_id == Client.id)
            .where(
                active, Fall.is_current, Fall.fell_on >= today - timedelta(days=RECENT_FALL_DAYS)
            )
            .order_by(Fall.fell_on.desc(), Client.name)
        )
    ]
    return ThisWeek(follow_ups, trials, falls)


def follow_ups_due(
    session: Session, *, today: date, start: date, end: date, overdue: bool = True
) -> list[FollowUpDue]:
    """Active clients whose next follow-up falls from `start` to `end` (inclusive) and,
    unless `overdue` is False, every one whose follow-up is before today: overdue first,
    oldest first, then by date and name. This week lists `week_ahead(today)` of it; the
    batch of handouts for follow-ups due prints the same rule for the range it is given."""
    from sqlalchemy import and_, or_, select

    from therapy_desk.domain import Client

    if end < start:
        raise ValueError("The range ends before it starts")
    in_range = and_(Client.next_follow_up >= start, Client.next_follow_up <= end)
    due = or_(in_range, Client.next_follow_up < today) if overdue else in_range
    rows = session.execute(
        select(Client.id, Client.reference, Client.name, Client.next_follow_up, Client.large_print)
        .where(Client.status == ClientStatus.ACTIVE, due)
        .order_by(Client.next_follow_up, Client.name, Client.reference)
    )
    return [
        FollowUpDue(
            r.id, r.reference, r.name, r.next_follow_up, r.large_print, r.next_follow_up < today
        )
        for r in rows
    ]


def _when(due: date, today: date) -> str:
    """The one date a follow-up line shows: "Today", "Tomorrow", "Thu 3 Dec", or
    "Overdue by 3 days (26 Nov 2026)" (the year, as an overdue one may be old)."""
    days = (due - today).days
    if days < 0:
        return f"Overdue by {count(-days, 'day')} ({day(due)})"
    if days == 0:
        return "Today"
    return "Tomorrow" if days == 1 else short_day(due)
