"""Handouts: gather what a client may read into a snapshot, and record what was given.

Building the PDF is `therapy_desk.handouts.build`'s job; this module only reads
the record (one batch of queries for any number of clients) and writes the
`HandoutRecord` rows when a handout is saved or printed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from therapy_desk.domain import (
    Client,
    DeviceAssignment,
    HandoutRecord,
    Programme,
    ProgrammeItem,
    ProgrammeRevision,
)
from therapy_desk.domain.vocabulary import DEVICE_HELD, ClientStatus, Side
from therapy_desk.handouts.snapshot import (
    LEAFLET_OF,
    ClinicHeader,
    DeviceCard,
    ExerciseCard,
    HandoutSnapshot,
    HandoutUnavailable,
    ProgrammeSheet,
    TrialPlan,
    dose_lines,
)
from therapy_desk.library.catalogue import device_guides
from therapy_desk.library.education import Leaflet, leaflets
from therapy_desk.services.clinic import clinic_details
from therapy_desk.services.errors import NotFound

if TYPE_CHECKING:
    from therapy_desk.handouts.build import PacketResult

NO_CLINIC = (
    "The clinic's details are not set up yet. Add the clinic's name and phone "
    "(Clinic ▸ Clinic details for handouts) so every handout says whom to call."
)


@dataclass(frozen=True)
class DueClient:
    """A client whose follow-up falls in the batch's date range."""

    id: uuid.UUID
    reference: str
    name: str
    next_follow_up: date
    large_print: bool


def clinic_header(session: Session) -> ClinicHeader:
    details = clinic_details(session)
    if details is None:
        raise HandoutUnavailable(NO_CLINIC)
    return ClinicHeader(
        name=details.name, address=details.address, phone=details.phone, logo=details.logo
    )


def handout_snapshot(session: Session, *, client_id: uuid.UUID, today: date) -> HandoutSnapshot:
    """Everything one client's handouts print, as plain data."""
    found = handout_snapshots(session, client_ids=[client_id], today=today)
    if not found:
        raise NotFound(f"No client with id {client_id}; it may have been removed")
    return found[0]


def handout_snapshots(
    session: Session, *, client_ids: Sequence[uuid.UUID], today: date
) -> list[HandoutSnapshot]:
    """Snapshots for many clients in the order given, in a fixed handful of queries."""
    header = clinic_header(session)
    texts = leaflets()
    chosen = {key: texts[key] for key in LEAFLET_OF.values()}
    clients: dict[uuid.UUID, Client] = {}
    # Chunks keep each IN (...) list well under every backend's parameter limit.
    for start in range(0, len(client_ids), 500):
        chunk = list(client_ids[start : start + 500])
        for client in session.scalars(
            select(Client)
            .where(Client.id.in_(chunk))
            .options(
                selectinload(Client.programmes)
                .selectinload(Programme.revisions)
                .selectinload(ProgrammeRevision.items)
                .joinedload(ProgrammeItem.exercise),
                selectinload(Client.devices),
                selectinload(Client.trials),
            )
        ):
            clients[client.id] = client
    return [_snapshot(clients[cid], header, chosen, today) for cid in client_ids if cid in clients]


def _snapshot(
    client: Client, header: ClinicHeader, chosen: dict[str, Leaflet], today: date
) -> HandoutSnapshot:
    return HandoutSnapshot(
        client_id=client.id,
        clinic=header,
        reference=client.reference,
        client_name=client.name,
        therapist=client.primary_therapist,
        printed_on=today,
        prefers_large_print=client.large_print,
        programme=_programme(client),
        devices=_devices(client),
        trials=tuple(
            TrialPlan(
                what=t.what,
                why=t.why,
                success_looks_like=t.success_looks_like,
                started_on=t.started_on,
                review_on=t.review_on,
            )
            for t in sorted(client.trials, key=lambda t: (t.review_on, t.started_on))
            if t.is_open
        ),
        next_follow_up=client.next_follow_up,
        leaflets=dict(chosen),
    )


def _programme(client: Client) -> ProgrammeSheet | None:
    live = [p for p in client.programmes if p.is_active and p.current is not None]
    if not live:
        return None
    programme = max(live, key=lambda p: (p.started_on, p.created_at))
    revision = programme.current
    assert revision is not None
    cards = tuple(
        ExerciseCard(
            number=number,
            code=item.exercise.code,
            name=item.exercise.name,
            summary=item.exercise.summary,
            steps=tuple(item.exercise.steps),
            equipment=tuple(item.exercise.equipment),
            cautions=tuple(item.exercise.cautions),
            dose=dose_lines(item),
            days_per_week=item.days_per_week,
            cue=(item.cue or "").strip() or None,
            drawing=item.exercise.illustration,
        )
        for number, item in enumerate(revision.items, start=1)
    )
    return ProgrammeSheet(
        title=programme.title, revision=revision.number, issued_on=revision.issued_on, cards=cards
    )


def _devices(client: Client) -> tuple[DeviceCard, ...]:
    guides = device_guides()
    held: list[DeviceAssignment] = sorted(
        (d for d in client.devices if d.status in DEVICE_HELD),
        key=lambda d: (d.started_on, d.created_at),
    )
    cards = []
    for device in held:
        guide = guides.get(device.kind)
        if guide is None:  # a kind the catalogue does not describe yet
            continue
        cards.append(
            DeviceCard(
                name=guide.name,
                status=device.status.label,
                side=device.side.label.lower() if device.side in (Side.LEFT, Side.RIGHT) else None,
                purpose=guide.purpose,
                settings=(device.size_settings or "").strip() or None,
                practised=(device.training_given or "").strip() or None,
                review_on=device.review_on,
                how_to_use=guide.how_to_use,
                fit=guide.fit,
                care=guide.care,
                safety=guide.safety,
            )
        )
    return tuple(cards)


def clients_due(session: Session, *, start: date, end: date) -> list[DueClient]:
    """Active clients whose next follow-up falls between start and end, inclusive."""
    if end < start:
        raise ValueError(f"The range ends ({end}) before it starts ({start})")
    rows = session.execute(
        select(Client.id, Client.reference, Client.name, Client.next_follow_up, Client.large_print)
        .where(
            Client.status == ClientStatus.ACTIVE,
            Client.next_follow_up >= start,
            Client.next_follow_up <= end,
        )
        .order_by(Client.next_follow_up, Client.name, Client.reference)
    )
    return [
        DueClient(
            id=r.id,
            reference=r.reference,
            name=r.name,
            next_follow_up=r.next_follow_up,
            large_print=r.large_print,
        )
        for r in rows
    ]


def record_handouts_given(
    session: Session,
    *,
    packets: Sequence[PacketResult],
    by: str | None,
    now: datetime,
) -> list[HandoutRecord]:
    """One record per handout given — which, to whom, when, by whom, its content hash.

    A batch records every client's handouts in the caller's one transaction.
    """
    ids = {p.snapshot.client_id for p in packets}
    present = set(session.scalars(select(Client.id).where(Client.id.in_(ids)))) if ids else set()
    missing = ids - present
    if missing:
        raise NotFound(
            f"{len(missing)} client(s) in this print were removed meanwhile; print again"
        )
    records = [
        HandoutRecord(
            client_id=packet.snapshot.client_id,
            kind=kind.value,
            given_at=now,
            given_by=by,
            large_print=packet.large_print,
            content_hash=digest,
        )
        for packet in packets
        for kind, digest in packet.given
    ]
    session.add_all(records)
    session.flush()
    return records
