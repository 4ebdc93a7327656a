"""Assistive devices issued to a client, with the history of their lifecycle."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from therapy_desk.domain.base import Record, enum_column
from therapy_desk.domain.owned import client_key
from therapy_desk.domain.vocabulary import DEVICE_HELD, DeviceKind, DeviceStatus, Side

if TYPE_CHECKING:
    from therapy_desk.domain.client import Client


class DeviceAssignment(Record):
    __tablename__ = "device_assignment"
    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="ended_after_start"),
        CheckConstraint("review_on IS NULL OR review_on >= started_on", name="review_after_start"),
        CheckConstraint(
            "(ended_on IS NULL) = (status IN ('trial', 'issued', 'in_use'))",
            name="ended_when_given_back",
        ),
    )

    client_id: Mapped[uuid.UUID] = client_key()
    kind: Mapped[DeviceKind] = mapped_column(enum_column(DeviceKind, "kind"))
    side: Mapped[Side] = mapped_column(enum_column(Side, "side"), default=Side.NONE)
    status: Mapped[DeviceStatus] = mapped_column(enum_column(DeviceStatus, "status"))
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    review_on: Mapped[date | None]
    size_settings: Mapped[str | None] = mapped_column(Text)
    training_given: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)

    client: Mapped[Client] = relationship(back_populates="devices")
    history: Mapped[list[DeviceStatusChange]] = relationship(
        back_populates="assignment",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(DeviceStatusChange.changed_on, DeviceStatusChange.created_at)",
    )

    @property
    def is_held(self) -> bool:
        return self.status in DEVICE_HELD


class DeviceStatusChange(Record):
    __tablename__ = "device_status_change"

    assignment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("device_assignment.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[DeviceStatus] = mapped_column(enum_column(DeviceStatus, "status"))
    changed_on: Mapped[date]
    changed_by: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)

    assignment: Mapped[DeviceAssignment] = relationship(back_populates="history")
