"""A weakness finding: where, which side, from what source, and how strong."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from therapy_desk.domain.base import Record, enum_column
from therapy_desk.domain.owned import client_key
from therapy_desk.domain.vocabulary import Cause, Region, Side

if TYPE_CHECKING:
    from therapy_desk.domain.client import Client


class WeaknessFinding(Record):
    __tablename__ = "weakness_finding"
    __table_args__ = (
        CheckConstraint(
            "strength_grade IS NULL OR strength_grade BETWEEN 0 AND 5", name="grade_0_to_5"
        ),
        CheckConstraint(
            "resolved_on IS NULL OR onset_on IS NULL OR resolved_on >= onset_on",
            name="resolved_after_onset",
        ),
    )

    client_id: Mapped[uuid.UUID] = client_key()
    region: Mapped[Region] = mapped_column(enum_column(Region, "region"))
    side: Mapped[Side] = mapped_column(enum_column(Side, "side"))
    cause: Mapped[Cause] = mapped_column(enum_column(Cause, "cause"), default=Cause.UNKNOWN)
    strength_grade: Mapped[int | None]
    fatigue_linked: Mapped[bool] = mapped_column(default=False)
    during_relapse: Mapped[bool] = mapped_column(default=False)
    #: The day the relapse behind this finding was judged over (`during_relapse` only).
    relapse_over_on: Mapped[date | None]
    #: The front of the foot drops or drags when walking, whatever the cause on record.
    foot_drop: Mapped[bool] = mapped_column(default=False)
    onset_on: Mapped[date | None]
    resolved_on: Mapped[date | None]
    notes: Mapped[str | None] = mapped_column(Text)

    client: Mapped[Client] = relationship(back_populates="findings")

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None
