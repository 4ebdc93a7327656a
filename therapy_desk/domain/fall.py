"""The falls diary: one row per fall. A fall logged in error is corrected (a new row
supersedes it) or struck out, never edited in place: see domain/correction.py."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from therapy_desk.domain.base import Record, enum_column
from therapy_desk.domain.correction import Correctable
from therapy_desk.domain.owned import client_key
from therapy_desk.domain.vocabulary import DeviceKind

if TYPE_CHECKING:
    from therapy_desk.domain.client import Client


class Fall(Correctable, Record):
    __tablename__ = "fall"

    client_id: Mapped[uuid.UUID] = client_key()
    fell_on: Mapped[date] = mapped_column(index=True)
    place: Mapped[str | None] = mapped_column(String(200))
    what_happened: Mapped[str | None] = mapped_column(Text)
    injury: Mapped[str | None] = mapped_column(Text)
    action_taken: Mapped[str | None] = mapped_column(Text)
    device_in_use: Mapped[DeviceKind | None] = mapped_column(
        enum_column(DeviceKind, "device_in_use")
    )

    client: Mapped[Client] = relationship(back_populates="falls")
