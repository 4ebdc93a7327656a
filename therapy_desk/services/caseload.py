"""The caseload: a searchable, filterable list of small rows (never live ORM objects)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from therapy_desk.domain import Client, DeviceAssignment, Trial, WeaknessFinding
from therapy_desk.domain.vocabulary import (
    DEVICE_HELD,
    Cause,
    ClientStatus,
    DeviceKind,
    MSCourse,
    Region,
    Side,
)
from therapy_desk.services.advisories import open_advisory_counts
from therapy_desk.services.records import rows_for_clients


@dataclass(frozen=True)
class CaseloadFilter:
    search: str = ""
    status: ClientStatus | None = ClientStatus.ACTIVE
    due_by: date | None = None
    overdue_trials: bool = False
    has_advisories: bool = False
    course: MSCourse | None = None
    region: Region | None = None
    cause: Cause | None = None


@dataclass(frozen=True)
class CaseloadRow:
    id: uuid.UUID
    reference: str
    name: str
    status: ClientStatus
    ms_course: MSCourse
    next_follow_up: date | None
    main_weakness: str | None
    devices: tuple[DeviceKind, ...]
    overdue_trials: int
    advisories: int
    #: (region, cause) of each open finding, so the screen can filter without a query.
    open_findings: frozenset[tuple[Region, Cause]] = frozenset()


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def list_caseload(session: Session, *, filters: CaseloadFilter, today: date) -> list[CaseloadRow]:
    query = select(
        Client.id,
        Client.reference,
        Client.name,
        Client.status,
        Client.ms_course,
        Client.next_follow_up,
    ).order_by(func.lower(Client.name), Client.reference)
    if filters.search.strip():
        pattern = _like(filters.search.strip())
        query = query.where(
            or_(
                func.lower(Client.name).like(pattern, escape="\\"),
                func.lower(Client.reference).like(pattern, escape="\\"),
            )
        )
    if filters.status is not None:
        query = query.where(Client.status == filters.status)
    if filters.due_by is not None:
        query = query.where(Client.next_follow_up <= filters.due_by)
    if filters.course is not None:
        query = query.where(Client.ms_course == filters.course)
    if filters.region is not None or filters.cause is not None:
        conditions = [WeaknessFinding.client_id == Client.id, WeaknessFinding.resolved_on.is_(None)]
        if filters.region is not None:
            conditions.append(WeaknessFinding.region == filters.region)
        if filters.cause is not None:
            conditions.append(WeaknessFinding.cause == filters.cause)
        query = query.where(exists().where(and_(*conditions)))
    overdue = and_(Trial.client_id == Client.id, Trial.outcome.is_(None), Trial.review_on < today)
    if filters.overdue_trials:
        query = query.where(exists().where(overdue))
    base = session.execute(query).all()
    ids = [r.id for r in base]
    scope = None if _is_everyone(filters) else ids
    weakness, open_findings = _open_findings(session, scope)
    devices = _devices_held(session, scope)
    late = _overdue_trials(session, scope, today)
    advisories = open_advisory_counts(session, scope, today=today)
    rows = [
        CaseloadRow(
            id=r.id,
            reference=r.reference,
            name=r.name,
            status=r.status,
            ms_course=r.ms_course,
            next_follow_up=r.next_follow_up,
            main_weakness=weakness.get(r.id),
            devices=tuple(devices.get(r.id, ())),
            overdue_trials=late.get(r.id, 0),
            advisories=advisories.get(r.id, 0),
            open_findings=open_findings.get(r.id, frozenset()),
        )
        for r in base
    ]
    if filters.has_advisories:
        rows = [r for r in rows if r.advisories]
    return rows


def _is_everyone(filters: CaseloadFilter) -> bool:
    """No narrowing filter: per-client facts are cheaper fetched whole than by id list."""
    return not (
        filters.search.strip()
        or filters.due_by
        or filters.course
        or filters.region
        or filters.cause
        or filters.overdue_trials
    )


def _open_findings(
    session: Session, ids: list[uuid.UUID] | None
) -> tuple[dict[uuid.UUID, str], dict[uuid.UUID, frozenset[tuple[Region, Cause]]]]:
    """Per client: the weakest open finding in words ('Ankle and foot (left), nerve damage'),
    and the region and cause of every open finding."""
    F = WeaknessFinding
    query = select(F.client_id, F.region, F.side, F.cause, F.strength_grade).where(
        F.resolved_on.is_(None)
    )
    best: dict[uuid.UUID, tuple[int, str]] = {}
    found: dict[uuid.UUID, set[tuple[Region, Cause]]] = defaultdict(set)
    for r in rows_for_clients(session, query, F.client_id, ids):
        found[r.client_id].add((r.region, r.cause))
        grade = 6 if r.strength_grade is None else r.strength_grade
        side = "" if r.side in (Side.NONE, Side.BOTH) else f" ({r.side.label.lower()})"
        cause = r.cause.label.split(" (")[0].lower()
        text = f"{r.region.label}{side}, {cause}"
        if r.client_id not in best or grade < best[r.client_id][0]:
            best[r.client_id] = (grade, text)
    return (
        {k: v[1] for k, v in best.items()},
        {k: frozenset(v) for k, v in found.items()},
    )


def _devices_held(
    session: Session, ids: list[uuid.UUID] | None
) -> dict[uuid.UUID, list[DeviceKind]]:
    D = DeviceAssignment
    query = select(D.client_id, D.kind).where(D.status.in_(DEVICE_HELD)).order_by(D.started_on)
    held: dict[uuid.UUID, list[DeviceKind]] = defaultdict(list)
    for r in rows_for_clients(session, query, D.client_id, ids):
        held[r.client_id].append(r.kind)
    return held


def _overdue_trials(
    session: Session, ids: list[uuid.UUID] | None, today: date
) -> dict[uuid.UUID, int]:
    query = (
        select(Trial.client_id, func.count())
        .where(Trial.outcome.is_(None), Trial.review_on < today)
        .group_by(Trial.client_id)
    )
    return {r[0]: r[1] for r in rows_for_clients(session, query, Trial.client_id, ids)}


def matches(row: CaseloadRow, filters: CaseloadFilter) -> bool:
    """The same filter as `list_caseload`, on rows already loaded: search as you type
    never goes back to the database."""
    needle = filters.search.strip().lower()
    if needle and needle not in row.name.lower() and needle not in row.reference.lower():
        return False
    if filters.status is not None and row.status != filters.status:
        return False
    if filters.due_by is not None and (
        row.next_follow_up is None or row.next_follow_up > filters.due_by
    ):
        return False
    if filters.course is not None and row.ms_course != filters.course:
        return False
    if (filters.region is not None or filters.cause is not None) and not any(
        filters.region in (None, region) and filters.cause in (None, cause)
        for region, cause in row.open_findings
    ):
        return False
    if filters.overdue_trials and not row.overdue_trials:
        return False
    return not (filters.has_advisories and not row.advisories)
