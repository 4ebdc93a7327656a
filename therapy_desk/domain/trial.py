"""The trial-and-error loop: what was tried, how it was judged, what happened, what next."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from therapy_desk.domain.base import Record, enum_column
from therapy_desk.domain.owned import client_key
from therapy_desk.domain.vocabulary import TrialDecision, TrialOutcome, TrialSubject

if TYPE_CHECKING:
    from therapy_desk.domain.client import Client
    from therapy_desk.domain.device import DeviceAssignment
    from therapy_desk.domain.programme import ProgrammeRevision


class Trial(Record):
    __tablename__ = "trial"
    __table_args__ = (
        CheckConstraint("review_on >= started_on", name="review_after_start"),
        CheckConstraint(
            "reviewed_on IS NULL OR reviewed_on >= started_on", name="reviewed_after_start"
        ),
        CheckConstraint("(outcome IS NULL) = (reviewed_on IS NULL)", name="outcome_has_date"),
        CheckConstraint("(decision IS NULL) = (decided_on IS NULL)", name="decision_has_date"),
        CheckConstraint("decision IS NULL OR outcome IS NOT NULL", name="decision_after_outcome"),
        CheckConstraint(
            "subject != 'programme_revision' OR programme_revision_id IS NOT NULL",
            name="revision_named",
        ),
        CheckConstraint(
            "subject != 'device' OR device_assignment_id IS NOT NULL", name="device_named"
        ),
    )

    client_id: Mapped[uuid.UUID] = client_key()
    subject: Mapped[TrialSubject] = mapped_column(enum_column(TrialSubject, "subject"))
    programme_revision_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("programme_revision.id", ondelete="SET NULL"), index=True
    )
    device_assignment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("device_assignment.id", ondelete="SET NULL"), index=True
    )
    #: The trial this one follows after "try something else" or "adjust".
    follows_trial_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("trial.id", ondelete="SET NULL")
    )
    what: Mapped[str] = mapped_column(Text)
    why: Mapped[str | None] = mapped_column(Text)
    success_looks_like: Mapped[str | None] = mapped_column(Text)
    started_on: Mapped[date]
    review_on: Mapped[date] = mapped_column(index=True)
    opened_by: Mapped[str | None] = mapped_column(String(120))
    outcome: Mapped[TrialOutcome | None] = mapped_column(enum_column(TrialOutcome, "outcome"))
    reviewed_on: Mapped[date | None]
    decision: Mapped[TrialDecision | None] = mapped_column(enum_column(TrialDecision, "decision"))
    decided_on: Mapped[date | None]

    client: Mapped[Client] = relationship(back_populates="trials")
    programme_revision: Mapped[ProgrammeRevision | None] = relationship()
    device_assignment: Mapped[DeviceAssignment | None] = relationship()
    follows: Mapped[Trial | None] = relationship(remote_side="Trial.id")
    notes: Mapped[list[TrialNote]] = relationship(
        back_populates="trial",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(TrialNote.written_on, TrialNote.created_at)",
    )

    @property
    def is_open(self) -> bool:
        """Still being tried: not yet reviewed."""
        return self.outcome is None


class TrialNote(Record):
    """A follow-up note on a trial: what the client reported, what was seen."""

    __tablename__ = "trial_note"

    trial_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("trial.id", ondelete="CASCADE"), index=True
    )
    written_on: Mapped[date]
    written_by: Mapped[str | None] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)

    trial: Mapped[Trial] = relationship(back_populates="notes")
