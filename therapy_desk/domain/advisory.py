"""A therapist's dismissal of an advisory, with who, when and why."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from therapy_desk.domain.base import Record
from therapy_desk.domain.owned import client_key

if TYPE_CHECKING:
    from therapy_desk.domain.client import Client


class AdvisoryDismissal(Record):
    __tablename__ = "advisory_dismissal"
    __table_args__ = (
        UniqueConstraint("client_id", "code", "about", name="uq_advisory_dismissal_target"),
    )

    client_id: Mapped[uuid.UUID] = client_key()
    code: Mapped[str] = mapped_column(String(64))
    #: What the advisory is about, e.g. "region:ankle_foot" or "trial:<uuid>".
    about: Mapped[str] = mapped_column(String(120))
    dismissed_by: Mapped[str] = mapped_column(String(120))
    dismissed_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)

    client: Mapped[Client] = relationship(back_populates="dismissals")
