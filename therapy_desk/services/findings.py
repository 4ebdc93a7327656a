"""Weakness findings: record where a client is weak and why, and when it resolves."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy.orm import Session

from therapy_desk.domain import Client, WeaknessFinding
from therapy_desk.domain.vocabulary import Cause, Region, Side
from therapy_desk.services.checks import Problems
from therapy_desk.services.records import expect_version, fetch


@dataclass(frozen=True)
class FindingDetails:
    region: Region
    side: Side
    cause: Cause = Cause.UNKNOWN
    strength_grade: int | None = None
    fatigue_linked: bool = False
    during_relapse: bool = False
    onset_on: date | None = None
    resolved_on: date | None = None
    notes: str | None = None
    #: The foot drops and catches when walking (assess for an orthosis whatever the cause).
    foot_drop: bool = False
    #: When the relapse this weakness came with was over (only for a relapse finding).
    relapse_over_on: date | None = None


def check_finding(details: FindingDetails, *, today: date) -> None:
    p = Problems()
    p.whole("strength_grade", details.strength_grade, label="Strength grade (MRC)", low=0, high=5)
    p.not_future("onset_on", details.onset_on, today=today, label="Onset")
    p.not_future("resolved_on", details.resolved_on, today=today, label="Resolved date")
    p.in_order(
        "resolved_on",
        details.onset_on,
        details.resolved_on,
        message="Resolved date is before the onset; check both dates",
    )
    if details.relapse_over_on is not None:
        if not details.during_relapse:
            p.add(
                "relapse_over_on",
                "Relapse over is only for weakness recorded during a relapse; tick "
                "\u201cDuring a relapse\u201d or clear the date",
            )
        else:
            p.not_future(
                "relapse_over_on", details.relapse_over_on, today=today, label="Relapse over"
            )
            p.in_order(
                "relapse_over_on",
                details.onset_on,
                details.relapse_over_on,
                message="Relapse over is before the onset; check both dates",
            )
    p.text("notes", details.notes, label="Notes", limit=5000)
    p.raise_if_any()


def add_finding(
    session: Session, *, client_id: uuid.UUID, details: FindingDetails, today: date
) -> WeaknessFinding:
    fetch(session, Client, client_id, what="client")
    check_finding(details, today=today)
    finding = WeaknessFinding(client_id=client_id, **_values(details))
    session.add(finding)
    session.flush()
    return finding


def update_finding(
    session: Session,
    *,
    finding_id: uuid.UUID,
    details: FindingDetails,
    today: date,
    expected_version: int,
) -> WeaknessFinding:
    finding = fetch(session, WeaknessFinding, finding_id, what="weakness finding")
    expect_version(finding, expected_version, what="weakness finding")
    check_finding(details, today=today)
    for name, value in _values(details).items():
        setattr(finding, name, value)
    session.flush()
    return finding


def remove_finding(session: Session, *, finding_id: uuid.UUID, expected_version: int) -> None:
    finding = fetch(session, WeaknessFinding, finding_id, what="weakness finding")
    expect_version(finding, expected_version, what="weakness finding")
    session.delete(finding)
    session.flush()


def _values(details: FindingDetails) -> dict[str, object]:
    values = {f.name: getattr(details, f.name) for f in fields(details)}
    values["notes"] = (details.notes or "").strip() or None
    return values
