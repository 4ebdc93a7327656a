"""One client's record as every tab of the record screen needs it, read in one go."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from therapy_desk.domain import Client
from therapy_desk.services.advisories import AdvisoryView, advisories_for
from therapy_desk.services.clients import load_record
from therapy_desk.services.rules import rule_settings
from therapy_desk.services.timeline import TimelineEvent, timeline


@dataclass(frozen=True)
class ClientRecord:
    #: Loaded with every relationship the tabs read; detached once the read ends.
    client: Client
    #: Open advisories first, then dismissed ones (with who, when and why).
    advisories: list[AdvisoryView]
    timeline: list[TimelineEvent]
    #: Titles of the advisory rules the clinic has turned off (they raise nothing here).
    rules_off: tuple[str, ...] = ()

    @property
    def open_advisories(self) -> list[AdvisoryView]:
        return [a for a in self.advisories if a.dismissed is None]


def read_record(session: Session, *, client_id: uuid.UUID, today: date) -> ClientRecord:
    client = load_record(session, client_id)
    views = advisories_for(session, client_id=client_id, today=today, include_dismissed=True)
    views.sort(key=lambda v: v.dismissed is not None)
    off = tuple(r.title for r in rule_settings(session).rules if not r.on)
    return ClientRecord(client, views, timeline(client), off)
