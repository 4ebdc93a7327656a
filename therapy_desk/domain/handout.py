"""A record of each handout given: which, to whom, when, by whom, and its content hash."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from therapy_desk.domain.base import Record
from therapy_desk.domain.owned import client_key

if TYPE_CHECKING:
    from therapy_desk.domain.client import Client


class HandoutRecord(Record):
    __tablename__ = "handout_record"

    client_id: Mapped[uuid.UUID] = client_key()
    kind: Mapped[str] = mapped_column(String(40))
    given_at: Mapped[datetime]
    given_by: Mapped[str | None] = mapped_column(String(120))
    large_print: Mapped[bool] = mapped_column(default=False)
    content_hash: Mapped[str] = mapped_column(String(64))
    #: A record made in error ("not given after all") is withdrawn, never deleted.
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by: Mapped[str | None] = mapped_column(String(120))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    client: Mapped[Client] = relationship(back_populates="handouts")
