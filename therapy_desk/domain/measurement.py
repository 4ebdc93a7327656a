"""A result on an outcome measure from the catalogue (resources/catalogue/measures.toml).

A result typed wrong is corrected (a new row supersedes it) or struck out, never
edited in place: see domain/correction.py."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from therapy_desk.domain.base import Record, enum_column
from therapy_desk.domain.correction import Correctable, EnumList, NumberList
from therapy_desk.domain.owned import client_key
from therapy_desk.domain.vocabulary import DeviceKind, Region, Side

if TYPE_CHECKING:
    from therapy_desk.domain.client import Client


class Measurement(Correctable, Record):
    __tablename__ = "measurement"
    __table_args__ = (Index("ix_measurement_client_measure", "client_id", "measure_code"),)

    client_id: Mapped[uuid.UUID] = client_key()
    measure_code: Mapped[str] = mapped_column(String(32))
    #: For ordinal scales (Modified Ashworth, MRC grades) the index into the measure's grades.
    value: Mapped[float]
    side: Mapped[Side] = mapped_column(enum_column(Side, "side"), default=Side.NONE)
    region: Mapped[Region | None] = mapped_column(enum_column(Region, "region"))
    measured_on: Mapped[date]
    #: Every device used during the test (a stick and an ankle-foot orthosis), in the order
    #: chosen; empty when none was.
    devices_used: Mapped[tuple[DeviceKind, ...]] = mapped_column(
        EnumList(DeviceKind), default=(), server_default="[]"
    )
    #: The timed trials a result is the mean of (the catalogue's `trials`), as entered;
    #: None for a measure taken once.
    trial_values: Mapped[tuple[float, ...] | None] = mapped_column(NumberList, default=None)
    notes: Mapped[str | None] = mapped_column(Text)

    client: Mapped[Client] = relationship(back_populates="measurements")
