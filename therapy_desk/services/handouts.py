"""Handouts: gather what a client may read into a snapshot, and record what was given.

Building the PDF is `therapy_desk.handouts.build`'s job; this module only reads
the record (one batch of queries for any number of clients), says which printed
exercises an open advisory concerns, and writes the `HandoutRecord` rows when a
handout is printed or the user says it was given; a record made in error is
withdrawn with a reason, never deleted.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from therapy_desk import words
from therapy_desk.domain import (
    Client,
    DeviceAssignment,
    HandoutRecord,
    Programme,
    ProgrammeItem,
    ProgrammeRevision,
)
from therapy_desk.domain.vocabulary import DEVICE_HELD, Cause, HandoutKind, Side
from therapy_desk.handouts.snapshot import (
    LEAFLET_OF,
    ClinicHeader,
    DeviceCard,
    ExerciseCard,
    HandoutSnapshot,
    HandoutUnavailable,
    ProgrammeSheet,
    TrialPlan,
    device_status_words,
    dose_lines,
)
from therapy_desk.library.catalogue import device_guides, steps_for
from therapy_desk.library.education import Leaflet, leaflets
from therapy_desk.services.advisories import advisories_for
from therapy_desk.services.checks import Problems
from therapy_desk.services.clinic import clinic_details
from therapy_desk.services.errors import NotFound, ValidationError
from therapy_desk.services.records import expect_version, fetch

if TYPE_CHECKING:
    from therapy_desk.guidance import Advisory
    from therapy_desk.handouts.build import PacketResult

#: An advisory whose `about` has this part ("exercise:<code>") concerns that exercise.
EXERCISE_PART = "exercise:"

NO_CLINIC = (
    "The clinic's details are not set up yet. Add the clinic's name and phone "
    "(Clinic ▸ Clinic details for handouts) so every handout says whom to call."
)


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
                selectinload(Client.findings),
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
        weakness_causes=frozenset(Cause(f.cause) for f in client.findings if f.is_open),
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
            steps=steps_for(item.exercise.steps, item.side),
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


def _device_status(device: DeviceAssignment, client: Client) -> str:
    trials = [t for t in client.trials if t.device_assignment_id == device.id]
    decided = [t for t in trials if t.decision is not None and t.decided_on is not None]
    latest = max(decided, key=lambda t: (t.decided_on, t.started_on), default=None)
    return device_status_words(
        device.status,
        trial_open=any(t.is_open for t in trials),
        decision=latest.decision if latest is not None else None,
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
                status=_device_status(device, client),
                group=guide.group,
                side=(
                    words.mid_sentence(device.side.label)
                    if device.side in (Side.LEFT, Side.RIGHT)
                    else None
                ),
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
            f"{words.count(len(missing), 'client')} in this print "
            f"{'was' if len(missing) == 1 else 'were'} removed meanwhile; print again"
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


# --- printed items an open advisory concerns ------------------------------------------------


@dataclass(frozen=True)
class FlaggedItem:
    """A programme item on the handout that an open advisory concerns."""

    #: The exercise's number on the printed programme.
    number: int
    exercise: str
    #: The advisory's code, title and reason, as the advisories panel shows them.
    code: str
    title: str
    reason: str

    def sentence(self) -> str:
        """One line naming the item and why: for the dialog and the command line."""
        return f"Exercise {self.number}, {self.exercise}: {self.title}. {self.reason}"


def flagged_items(
    programme: ProgrammeSheet | None, advisories: Sequence[Advisory]
) -> list[FlaggedItem]:
    """Which printed exercises each advisory concerns, in programme order.

    An advisory concerns an exercise when its `about` names it (`exercise:<code>`
    among its `|`-separated parts), as the rule on resistance work over nerve damage does.
    """
    if programme is None:
        return []
    named: dict[str, list[Advisory]] = {}
    for advisory in advisories:
        for part in advisory.about.split("|"):
            if part.startswith(EXERCISE_PART):
                named.setdefault(part.removeprefix(EXERCISE_PART), []).append(advisory)
    return [
        FlaggedItem(card.number, card.name, a.code, a.title, a.reason)
        for card in programme.cards
        for a in named.get(card.code, ())
    ]


def handout_flags(session: Session, *, snapshot: HandoutSnapshot, today: date) -> list[FlaggedItem]:
    """The printed exercises that an open (undismissed) advisory concerns today."""
    if snapshot.programme is None:
        return []
    views = advisories_for(session, client_id=snapshot.client_id, today=today)
    return flagged_items(snapshot.programme, [v.advisory for v in views])


# --- handouts given, and withdrawn ------------------------------------------------------------


@dataclass(frozen=True)
class GivenHandout:
    """One handout on a client's record, as the Handouts dialog lists it."""

    id: uuid.UUID
    version: int
    kind: str
    label: str
    given_at: datetime
    given_by: str | None
    large_print: bool
    withdrawn_at: datetime | None
    withdrawn_by: str | None
    withdrawn_reason: str | None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


def handout_label(kind: str) -> str:
    """A recorded kind in words; a kind from a newer version of the app as it is."""
    try:
        return HandoutKind(kind).label
    except ValueError:
        return kind.replace("_", " ")


def handouts_given(session: Session, *, client_id: uuid.UUID) -> list[GivenHandout]:
    """The client's handout records, newest first, withdrawn ones included."""
    fetch(session, Client, client_id, what="client")
    H = HandoutRecord
    rows = session.execute(
        select(
            H.id,
            H.version,
            H.kind,
            H.given_at,
            H.given_by,
            H.large_print,
            H.withdrawn_at,
            H.withdrawn_by,
            H.withdrawn_reason,
        )
        .where(H.client_id == client_id)
        .order_by(H.given_at.desc(), H.kind)
    )
    return [
        GivenHandout(
            id=r.id,
            version=r.version,
            kind=r.kind,
            label=handout_label(r.kind),
            given_at=r.given_at,
            given_by=r.given_by,
            large_print=r.large_print,
            withdrawn_at=r.withdrawn_at,
            withdrawn_by=r.withdrawn_by,
            withdrawn_reason=r.withdrawn_reason,
        )
        for r in rows
    ]


def withdraw_handout(
    session: Session,
    *,
    record_id: uuid.UUID,
    reason: str,
    by: str,
    now: datetime,
    expected_version: int,
) -> HandoutRecord:
    """Mark a handout record as made in error ("not given after all"): it stays on the
    record with who withdrew it, when and why."""
    record = fetch(session, HandoutRecord, record_id, what="handout record")
    expect_version(record, expected_version, what="handout record")
    p = Problems()
    p.text("reason", reason, label="Reason for withdrawing", limit=2000, required=True)
    p.raise_if_any()
    if record.withdrawn_at is not None:
        raise ValidationError(
            {"handout": f"This handout was already withdrawn by {record.withdrawn_by}"}
        )
    record.withdrawn_at = now
    record.withdrawn_by = by
    record.withdrawn_reason = reason.strip()
    session.flush()
    return record
