"""Small builders for test records, through the real services."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy.orm import Session

from therapy_desk.domain.base import Record
from therapy_desk.domain.vocabulary import Cause, Region, Side
from therapy_desk.services.clients import ClientDetails, create_client
from therapy_desk.services.findings import FindingDetails, add_finding
from therapy_desk.services.programmes import ItemSpec, start_programme

TODAY = date(2026, 11, 21)
WEIGHTED_KNEE = "seated-knee-extension-ankle-weight"


def client(
    session: Session, reference: str = "C-1", name: str = "Zoë Łukasiewicz", **more: object
) -> uuid.UUID:
    details = ClientDetails(reference=reference, name=name, **more)  # type: ignore[arg-type]
    return create_client(session, details=details, today=TODAY).id


def finding(
    session: Session,
    client_id: uuid.UUID,
    region: Region,
    cause: Cause,
    side: Side = Side.LEFT,
    **more: object,
) -> uuid.UUID:
    details = FindingDetails(region=region, side=side, cause=cause, **more)  # type: ignore[arg-type]
    return add_finding(session, client_id=client_id, details=details, today=TODAY).id


def programme(
    session: Session, client_id: uuid.UUID, *items: ItemSpec, days_ago: int = 30
) -> uuid.UUID:
    return start_programme(
        session,
        client_id=client_id,
        items=list(items),
        on=TODAY - timedelta(days=days_ago),
        by="tester",
    ).id


def weighted_knee(side: Side = Side.LEFT, load: float = 1.5) -> ItemSpec:
    return ItemSpec(WEIGHTED_KNEE, sets=2, reps=10, load_kg=load, side=side)


def version(session: Session, model: type[Record], record_id: uuid.UUID) -> int:
    """The version an edit screen would have shown, for a service's `expected_version`."""
    record = session.get(model, record_id)
    assert record is not None
    return record.version
