"""Home exercise programmes. A revision, once issued, is never overwritten:
a change issues a new revision that supersedes it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from therapy_desk.domain.base import Record, enum_column
from therapy_desk.domain.exercise import Exercise
from therapy_desk.domain.owned import client_key
from therapy_desk.domain.vocabulary import Band, Side

if TYPE_CHECKING:
    from therapy_desk.domain.client import Client


class Programme(Record):
    __tablename__ = "programme"
    __table_args__ = (
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="ended_after_start"),
    )

    client_id: Mapped[uuid.UUID] = client_key()
    title: Mapped[str] = mapped_column(String(120), default="Home exercise programme")
    started_on: Mapped[date]
    ended_on: Mapped[date | None]

    client: Mapped[Client] = relationship(back_populates="programmes")
    revisions: Mapped[list[ProgrammeRevision]] = relationship(
        back_populates="programme",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ProgrammeRevision.number",
    )

    @property
    def is_active(self) -> bool:
        return self.ended_on is None

    @property
    def current(self) -> ProgrammeRevision | None:
        return self.revisions[-1] if self.revisions else None


class ProgrammeRevision(Record):
    __tablename__ = "programme_revision"
    __table_args__ = (
        UniqueConstraint("programme_id", "number", name="uq_programme_revision_number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint(
            "superseded_on IS NULL OR superseded_on >= issued_on", name="superseded_after_issue"
        ),
    )

    programme_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    issued_on: Mapped[date]
    issued_by: Mapped[str | None] = mapped_column(String(120))
    reason: Mapped[str | None] = mapped_column(Text)
    superseded_on: Mapped[date | None]

    programme: Mapped[Programme] = relationship(back_populates="revisions")
    items: Mapped[list[ProgrammeItem]] = relationship(
        back_populates="revision",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ProgrammeItem.position",
    )


class ProgrammeItem(Record):
    __tablename__ = "programme_item"
    __table_args__ = (
        CheckConstraint("sets IS NULL OR sets BETWEEN 1 AND 10", name="sets_range"),
        CheckConstraint("reps IS NULL OR reps BETWEEN 1 AND 100", name="reps_range"),
        CheckConstraint(
            "hold_seconds IS NULL OR hold_seconds BETWEEN 1 AND 600", name="hold_range"
        ),
        CheckConstraint(
            "duration_minutes IS NULL OR duration_minutes BETWEEN 1 AND 180",
            name="duration_range",
        ),
        CheckConstraint("load_kg IS NULL OR (load_kg > 0 AND load_kg <= 100)", name="load_range"),
        CheckConstraint("days_per_week BETWEEN 1 AND 7", name="days_range"),
        CheckConstraint(
            "reps IS NOT NULL OR hold_seconds IS NOT NULL OR duration_minutes IS NOT NULL",
            name="has_dose",
        ),
    )

    revision_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("programme_revision.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    exercise_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exercise.id", ondelete="RESTRICT"), index=True
    )
    sets: Mapped[int | None]
    reps: Mapped[int | None]
    hold_seconds: Mapped[int | None]
    duration_minutes: Mapped[int | None]
    load_kg: Mapped[float | None]
    band: Mapped[Band | None] = mapped_column(enum_column(Band, "band"))
    days_per_week: Mapped[int] = mapped_column(default=3)
    side: Mapped[Side] = mapped_column(enum_column(Side, "side"), default=Side.BOTH)
    cue: Mapped[str | None] = mapped_column(Text)

    revision: Mapped[ProgrammeRevision] = relationship(back_populates="items")
    exercise: Mapped[Exercise] = relationship(lazy="joined")

    @property
    def is_loaded(self) -> bool:
        """Weights or a band on it: progressive resistance, whatever its category."""
        return self.load_kg is not None or self.band is not None
