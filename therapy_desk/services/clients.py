"""Clients: create, edit, discharge, find, and load a whole record in one go."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from therapy_desk.domain import (
    Client,
    DeviceAssignment,
    Programme,
    ProgrammeItem,
    ProgrammeRevision,
    Trial,
)
from therapy_desk.domain.vocabulary import ClientStatus, MSCourse
from therapy_desk.services.checks import Problems
from therapy_desk.services.errors import NotFound, ValidationError
from therapy_desk.services.records import expect_version, fetch

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./-]*$")


@dataclass(frozen=True)
class ClientDetails:
    """What a therapist types about a client; the same fields the record form shows."""

    reference: str
    name: str
    date_of_birth: date | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    ms_course: MSCourse = MSCourse.UNKNOWN
    diagnosis_year: int | None = None
    primary_therapist: str | None = None
    next_follow_up: date | None = None
    large_print: bool = False
    #: Heat brings on the client's weakness or fatigue (cooling advice with cardio and pool).
    heat_sensitive: bool = False
    #: An occupational therapist already works with the client.
    ot_involved: bool = False
    language: str = "en"
    notes: str | None = None


def check_details(details: ClientDetails, *, today: date) -> None:
    p = Problems()
    p.text(
        "reference", details.reference, label="Reference", limit=40, required=True, single_line=True
    )
    if details.reference.strip() and not _REFERENCE.match(details.reference.strip()):
        p.add("reference", "Reference may use letters, digits and - _ . / only, no spaces")
    p.text("name", details.name, label="Name", limit=200, required=True, single_line=True)
    p.visible("name", details.name, label="Name")
    p.not_future("date_of_birth", details.date_of_birth, today=today, label="Date of birth")
    if details.date_of_birth is not None and details.date_of_birth.year < 1900:
        p.add("date_of_birth", "Date of birth must be in 1900 or later")
    p.text("phone", details.phone, label="Phone", limit=60, single_line=True)
    p.text("email", details.email, label="Email", limit=200, single_line=True)
    if details.email and details.email.strip() and not _EMAIL.match(details.email.strip()):
        p.add("email", "Email should look like name@example.org")
    p.text("address", details.address, label="Address", limit=500)
    p.whole(
        "diagnosis_year",
        details.diagnosis_year,
        label="Year of diagnosis",
        low=1900,
        high=today.year,
    )
    if (
        details.diagnosis_year is not None
        and details.date_of_birth is not None
        and details.diagnosis_year < details.date_of_birth.year
    ):
        p.add("diagnosis_year", "Year of diagnosis is before the year of birth")
    p.text("primary_therapist", details.primary_therapist, label="Therapist", limit=120)
    p.text("language", details.language, label="Handout language", limit=16, required=True)
    p.text("notes", details.notes, label="Notes", limit=20_000)
    p.raise_if_any()


def _clean(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _apply(client: Client, details: ClientDetails) -> None:
    for f in fields(details):
        value = getattr(details, f.name)
        setattr(client, f.name, _clean(value) if isinstance(value, str) else value)
    client.reference = details.reference.strip()
    client.name = details.name.strip()


def _reference_taken(session: Session, reference: str, *, other_than: uuid.UUID | None) -> bool:
    query = select(Client.id).where(func.lower(Client.reference) == reference.strip().lower())
    if other_than is not None:
        query = query.where(Client.id != other_than)
    return session.scalar(query) is not None


def create_client(session: Session, *, details: ClientDetails, today: date) -> Client:
    check_details(details, today=today)
    if _reference_taken(session, details.reference, other_than=None):
        raise ValidationError({"reference": f"Reference {details.reference} is already in use"})
    client = Client(status=ClientStatus.ACTIVE)
    _apply(client, details)
    session.add(client)
    session.flush()
    return client


def update_client(
    session: Session,
    *,
    client_id: uuid.UUID,
    details: ClientDetails,
    today: date,
    expected_version: int,
) -> Client:
    client = fetch(session, Client, client_id, what="client")
    expect_version(client, expected_version, what="client")
    check_details(details, today=today)
    if _reference_taken(session, details.reference, other_than=client.id):
        raise ValidationError({"reference": f"Reference {details.reference} is already in use"})
    _apply(client, details)
    session.flush()
    return client


def discharge_client(
    session: Session, *, client_id: uuid.UUID, on: date, expected_version: int
) -> Client:
    client = fetch(session, Client, client_id, what="client")
    expect_version(client, expected_version, what="client")
    client.status = ClientStatus.DISCHARGED
    client.discharged_on = on
    client.next_follow_up = None
    session.flush()
    return client


def reactivate_client(session: Session, *, client_id: uuid.UUID, expected_version: int) -> Client:
    client = fetch(session, Client, client_id, what="client")
    expect_version(client, expected_version, what="client")
    client.status = ClientStatus.ACTIVE
    client.discharged_on = None
    session.flush()
    return client


def find_by_reference(session: Session, reference: str) -> Client:
    client = session.scalar(
        select(Client).where(func.lower(Client.reference) == reference.strip().lower())
    )
    if client is None:
        raise NotFound(f"No client has the reference {reference}")
    return client


def count_clients(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Client)) or 0


def next_reference(session: Session, prefix: str = "TD-") -> str:
    """The next free reference in the clinic's numbering, e.g. TD-00042."""
    taken = session.scalars(select(Client.reference).where(Client.reference.like(f"{prefix}%")))
    numbers = [int(r[len(prefix) :]) for r in taken if r[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:05d}"


def load_record(session: Session, client_id: uuid.UUID) -> Client:
    """The whole client record in a handful of queries, ready for every tab."""
    client = session.scalar(
        select(Client)
        .where(Client.id == client_id)
        .options(
            selectinload(Client.findings),
            selectinload(Client.programmes)
            .selectinload(Programme.revisions)
            .selectinload(ProgrammeRevision.items)
            .joinedload(ProgrammeItem.exercise),
            selectinload(Client.devices).selectinload(DeviceAssignment.history),
            selectinload(Client.trials).selectinload(Trial.notes),
            selectinload(Client.measurements),
            selectinload(Client.falls),
            selectinload(Client.handouts),
            selectinload(Client.dismissals),
        )
    )
    if client is None:
        raise NotFound(f"No client with id {client_id}; it may have been removed")
    return client
