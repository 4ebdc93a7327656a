"""Advisories for one client or many: gather the facts in bulk, run the rules, apply dismissals."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from therapy_desk import guidance
from therapy_desk.domain import (
    AdvisoryDismissal,
    Client,
    DeviceAssignment,
    Exercise,
    Fall,
    Programme,
    ProgrammeItem,
    ProgrammeRevision,
    Trial,
    WeaknessFinding,
)
from therapy_desk.domain.vocabulary import Band, Region
from therapy_desk.guidance import Advisory, ClientFacts
from therapy_desk.services.checks import Problems
from therapy_desk.services.errors import ValidationError
from therapy_desk.services.records import fetch, rows_for_clients


@dataclass(frozen=True)
class Dismissed:
    by: str
    at: datetime
    reason: str


@dataclass(frozen=True)
class AdvisoryView:
    advisory: Advisory
    dismissed: Dismissed | None = None


def load_words(load_kg: float | None, band: Band | None) -> str | None:
    """An item's load as a handout would say it: 'a 1.5 kg weight', 'a light band'."""
    if load_kg is not None:
        return f"a {load_kg:g} kg weight"
    if band is not None:
        return f"a {band.label.lower()} band"
    return None


def gather_facts(
    session: Session, client_ids: Sequence[uuid.UUID] | None
) -> dict[uuid.UUID, ClientFacts]:
    """The guidance facts for these clients (None: every client) in six queries."""
    parts: dict[uuid.UUID, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    F = WeaknessFinding
    for r in rows_for_clients(
        session,
        select(
            F.id,
            F.client_id,
            F.region,
            F.side,
            F.cause,
            F.fatigue_linked,
            F.during_relapse,
            F.onset_on,
            F.resolved_on,
        ),
        F.client_id,
        client_ids,
    ):
        parts[r.client_id]["findings"].append(
            guidance.FindingFact(
                r.id,
                r.region,
                r.side,
                r.cause,
                r.fatigue_linked,
                r.during_relapse,
                r.onset_on,
                r.resolved_on is not None,
            )
        )
    current_items = (
        select(
            Programme.client_id,
            Exercise.code,
            Exercise.name,
            Exercise.category,
            Exercise.regions,
            ProgrammeItem.load_kg,
            ProgrammeItem.band,
            ProgrammeItem.side,
            ProgrammeItem.days_per_week,
        )
        .join(ProgrammeRevision, ProgrammeRevision.programme_id == Programme.id)
        .join(ProgrammeItem, ProgrammeItem.revision_id == ProgrammeRevision.id)
        .join(Exercise, Exercise.id == ProgrammeItem.exercise_id)
        .where(Programme.ended_on.is_(None), ProgrammeRevision.superseded_on.is_(None))
    )
    for r in rows_for_clients(session, current_items, Programme.client_id, client_ids):
        parts[r.client_id]["items"].append(
            guidance.ItemFact(
                r.code,
                r.name,
                r.category,
                frozenset(Region(x) for x in r.regions),
                r.load_kg is not None or r.band is not None,
                r.side,
                r.days_per_week,
                load_words(r.load_kg, r.band),
            )
        )
    active = select(Programme.client_id).where(Programme.ended_on.is_(None))
    for r in rows_for_clients(session, active, Programme.client_id, client_ids):
        parts[r.client_id]["active"].append(True)
    D = DeviceAssignment
    for r in rows_for_clients(
        session, select(D.client_id, D.kind, D.status), D.client_id, client_ids
    ):
        parts[r.client_id]["devices"].append(guidance.DeviceFact(r.kind, r.status))
    T = Trial
    for r in rows_for_clients(
        session,
        select(T.id, T.client_id, T.what, T.review_on, T.outcome, T.reviewed_on, T.decision),
        T.client_id,
        client_ids,
    ):
        parts[r.client_id]["trials"].append(
            guidance.TrialFact(r.id, r.what, r.review_on, r.outcome, r.reviewed_on, r.decision)
        )
    for r in rows_for_clients(
        session, select(Fall.id, Fall.client_id, Fall.fell_on), Fall.client_id, client_ids
    ):
        parts[r.client_id]["falls"].append(guidance.FallFact(r.id, r.fell_on))
    return {
        client_id: ClientFacts(
            findings=tuple(p["findings"]),
            items=tuple(p["items"]),
            has_active_programme=bool(p["active"]),
            devices=tuple(p["devices"]),
            trials=tuple(p["trials"]),
            falls=tuple(p["falls"]),
        )
        for client_id, p in parts.items()
    }


def _dismissals(
    session: Session, client_ids: Sequence[uuid.UUID] | None
) -> dict[uuid.UUID, dict[tuple[str, str], Dismissed]]:
    A = AdvisoryDismissal
    found: dict[uuid.UUID, dict[tuple[str, str], Dismissed]] = defaultdict(dict)
    query = select(A.client_id, A.code, A.about, A.dismissed_by, A.dismissed_at, A.reason)
    for r in rows_for_clients(session, query, A.client_id, client_ids):
        found[r.client_id][(r.code, r.about)] = Dismissed(r.dismissed_by, r.dismissed_at, r.reason)
    return found


def advisories_for(
    session: Session, *, client_id: uuid.UUID, today: date, include_dismissed: bool = False
) -> list[AdvisoryView]:
    fetch(session, Client, client_id, what="client")
    facts = gather_facts(session, [client_id]).get(client_id, ClientFacts())
    dismissed = _dismissals(session, [client_id]).get(client_id, {})
    views = [AdvisoryView(a, dismissed.get(a.key)) for a in guidance.advise(facts, today=today)]
    return [v for v in views if include_dismissed or v.dismissed is None]


def open_advisory_counts(
    session: Session, client_ids: Sequence[uuid.UUID] | None, *, today: date
) -> dict[uuid.UUID, int]:
    """How many undismissed advisories each client has (clients with none are left out)."""
    facts = gather_facts(session, client_ids)
    dismissed = _dismissals(session, client_ids)
    counts: dict[uuid.UUID, int] = {}
    for client_id, client_facts in facts.items():
        gone = dismissed.get(client_id, {})
        n = sum(1 for a in guidance.advise(client_facts, today=today) if a.key not in gone)
        if n:
            counts[client_id] = n
    return counts


def dismiss_advisory(
    session: Session,
    *,
    client_id: uuid.UUID,
    code: str,
    about: str,
    reason: str,
    by: str,
    now: datetime,
) -> AdvisoryDismissal:
    """Record that a therapist has read an advisory and chosen not to act, and why."""
    p = Problems()
    p.text("reason", reason, label="Reason for dismissing", limit=2000, required=True)
    p.raise_if_any()
    raised = {
        v.advisory.key for v in advisories_for(session, client_id=client_id, today=now.date())
    }
    if (code, about) not in raised:
        raise ValidationError(
            {"advisory": f"No open advisory {code} about {about} for this client"}
        )
    dismissal = AdvisoryDismissal(
        client_id=client_id,
        code=code,
        about=about,
        dismissed_by=by,
        dismissed_at=now,
        reason=reason.strip(),
    )
    session.add(dismissal)
    session.flush()
    return dismissal


def restore_advisory(session: Session, *, client_id: uuid.UUID, code: str, about: str) -> None:
    """Undo a dismissal so the advisory shows again."""
    found = session.scalar(
        select(AdvisoryDismissal).where(
            AdvisoryDismissal.client_id == client_id,
            AdvisoryDismissal.code == code,
            AdvisoryDismissal.about == about,
        )
    )
    if found is not None:
        session.delete(found)
        session.flush()
