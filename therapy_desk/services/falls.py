"""The falls diary: log a fall, count falls per month."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from therapy_desk.domain import Client, Fall
from therapy_desk.domain.vocabulary import DeviceKind
from therapy_desk.services.checks import Problems
from therapy_desk.services.records import fetch


@dataclass(frozen=True)
class FallDetails:
    fell_on: date
    place: str | None = None
    what_happened: str | None = None
    injury: str | None = None
    action_taken: str | None = None
    device_in_use: DeviceKind | None = None


def check_fall(details: FallDetails, *, today: date) -> None:
    p = Problems()
    p.not_future("fell_on", details.fell_on, today=today, label="Date of the fall")
    p.text("place", details.place, label="Where", limit=200)
    p.text("what_happened", details.what_happened, label="What happened", limit=5000)
    p.text("injury", details.injury, label="Injury", limit=5000)
    p.text("action_taken", details.action_taken, label="Action taken", limit=5000)
    p.raise_if_any()


def log_fall(session: Session, *, client_id: uuid.UUID, details: FallDetails, today: date) -> Fall:
    fetch(session, Client, client_id, what="client")
    check_fall(details, today=today)
    fall = Fall(
        client_id=client_id,
        fell_on=details.fell_on,
        place=(details.place or "").strip() or None,
        what_happened=(details.what_happened or "").strip() or None,
        injury=(details.injury or "").strip() or None,
        action_taken=(details.action_taken or "").strip() or None,
        device_in_use=details.device_in_use,
    )
    session.add(fall)
    session.flush()
    return fall


def falls_per_month(session: Session, *, client_id: uuid.UUID) -> list[tuple[int, int, int]]:
    """(year, month, falls) for each month with a fall, oldest first."""
    days = session.scalars(select(Fall.fell_on).where(Fall.client_id == client_id))
    counts = Counter((d.year, d.month) for d in days)
    return [(year, month, n) for (year, month), n in sorted(counts.items())]
