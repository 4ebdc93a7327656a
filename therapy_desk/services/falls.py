"""The falls diary: log a fall, correct or strike out one logged wrong, count falls per
month. Counts and lists use only current falls (`Fall.is_current`); a corrected or
struck-out fall stays in the record's history."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from therapy_desk import words
from therapy_desk.domain import Client, Fall
from therapy_desk.domain.correction import earlier_versions
from therapy_desk.domain.vocabulary import DeviceKind
from therapy_desk.services import corrections
from therapy_desk.services.checks import Problems
from therapy_desk.services.errors import ValidationError
from therapy_desk.services.records import fetch

#: What a fall is called in messages and conflicts.
WHAT = "fall"


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
    fall = _new_row(client_id, details)
    session.add(fall)
    session.flush()
    return fall


def _new_row(client_id: uuid.UUID, details: FallDetails) -> Fall:
    return Fall(
        id=uuid.uuid4(),
        client_id=client_id,
        fell_on=details.fell_on,
        place=(details.place or "").strip() or None,
        what_happened=(details.what_happened or "").strip() or None,
        injury=(details.injury or "").strip() or None,
        action_taken=(details.action_taken or "").strip() or None,
        device_in_use=details.device_in_use,
    )


def details_of(fall: Fall) -> FallDetails:
    """A logged fall as the form and `correct_fall` take it."""
    return FallDetails(
        fell_on=fall.fell_on,
        place=fall.place,
        what_happened=fall.what_happened,
        injury=fall.injury,
        action_taken=fall.action_taken,
        device_in_use=fall.device_in_use,
    )


def correct_fall(
    session: Session,
    *,
    fall_id: uuid.UUID,
    details: FallDetails,
    reason: str,
    by: str,
    now: datetime,
    today: date,
    expected_version: int,
) -> Fall:
    """Put a corrected fall in place of one logged wrong: a new row supersedes it, and the
    earlier one stays in the history with who corrected it, when and why."""
    old = corrections.to_change(
        session,
        Fall,
        fall_id,
        what=WHAT,
        expected_version=expected_version,
        reason=reason,
        doing="correcting it",
    )
    check_fall(details, today=today)
    new = _new_row(old.client_id, details)
    if details_of(old) == details_of(new):
        raise ValidationError({"fell_on": "Nothing was changed; change what was logged wrong"})
    corrections.put_in_place(session, old, new, reason=reason, by=by, now=now)
    return new


def strike_out_fall(
    session: Session,
    *,
    fall_id: uuid.UUID,
    reason: str,
    by: str,
    now: datetime,
    expected_version: int,
) -> Fall:
    """Mark a fall logged in error (the wrong client, not a fall after all): it leaves the
    counts and advisories and stays in the history with who struck it out, when and why."""
    return corrections.strike_out(
        session,
        Fall,
        fall_id,
        what=WHAT,
        reason=reason,
        by=by,
        now=now,
        expected_version=expected_version,
    )


def falls_per_month(session: Session, *, client_id: uuid.UUID) -> list[tuple[int, int, int]]:
    """(year, month, falls) for each month with a current fall, oldest first."""
    days = session.scalars(select(Fall.fell_on).where(Fall.client_id == client_id, Fall.is_current))
    counts = Counter((d.year, d.month) for d in days)
    return [(year, month, n) for (year, month), n in sorted(counts.items())]


@dataclass(frozen=True)
class FallRow:
    """One fall as the Falls tab shows it, with its history in words."""

    id: uuid.UUID
    version: int
    fell_on: date
    place: str
    what_happened: str
    injury: str
    action_taken: str
    device: str
    current: bool
    struck: bool
    #: Earlier versions (for a current fall) or what became of it (for a history row).
    history: tuple[str, ...]


def _differences(before: Fall, after: Fall, *, now: bool = False) -> list[str]:
    """What a correction changed: each earlier value ('date was 12 Nov 2026'), or with
    `now` each corrected one ('date now 5 Nov 2026'), for the entry it replaced."""
    shown, word = (after, "now") if now else (before, "was")
    changes = []
    if before.fell_on != after.fell_on:
        changes.append(f"date {word} {words.day(shown.fell_on)}")
    for label, field in (
        ("where", "place"),
        ("what happened", "what_happened"),
        ("injury", "injury"),
        ("action taken", "action_taken"),
    ):
        if getattr(before, field) != getattr(after, field):
            value = getattr(shown, field)
            changes.append(f"{label} {word} {value}" if value else f"{label} {word} blank")
    if before.device_in_use != after.device_in_use:
        device = shown.device_in_use.label if shown.device_in_use else "none"
        changes.append(f"device {word} {words.mid_sentence(device)}")
    return changes


def fall_rows(falls: Iterable[Fall]) -> list[FallRow]:
    """Every fall logged, newest first; history rows (corrected or struck out) included
    and marked."""
    rows = sorted(falls, key=lambda f: (f.fell_on, f.created_at), reverse=True)
    by_id = {f.id: f for f in rows}
    chains = earlier_versions(rows)
    out = []
    for fall in rows:
        history: list[str] = []
        if fall.is_current:
            successor = fall
            for earlier in chains.get(fall.id, []):
                history.append(
                    corrections.corrected_line(earlier, _differences(earlier, successor))
                )
                successor = earlier
        elif fall.struck_at is not None:
            history.append(corrections.struck_line(fall))
        else:
            later = by_id.get(fall.superseded_by_id) if fall.superseded_by_id else None
            changes = _differences(fall, later, now=True) if later is not None else []
            history.append(corrections.corrected_line(fall, changes))
        out.append(
            FallRow(
                id=fall.id,
                version=fall.version,
                fell_on=fall.fell_on,
                place=fall.place or "",
                what_happened=fall.what_happened or "",
                injury=fall.injury or "",
                action_taken=fall.action_taken or "",
                device=fall.device_in_use.label if fall.device_in_use else "None",
                current=fall.is_current,
                struck=fall.struck_at is not None,
                history=tuple(history),
            )
        )
    return out
