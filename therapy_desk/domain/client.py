"""The client: who they are, their MS course, and how they like their handouts."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from therapy_desk.domain.base import Record, enum_column
from therapy_desk.domain.vocabulary import ClientStatus, MSCourse

if TYPE_CHECKING:
    from therapy_desk.domain.advisory import AdvisoryDismissal
    from therapy_desk.domain.device import DeviceAssignment
    from therapy_desk.domain.fall import Fall
    from therapy_desk.domain.finding import WeaknessFinding
    from therapy_desk.domain.handout import HandoutRecord
    from therapy_desk.domain.measurement import Measurement
    from therapy_desk.domain.programme import Programme
    from therapy_desk.domain.trial import Trial

_OWNED = "all, delete-orphan"


class Client(Record):
    __tablename__ = "client"
    __table_args__ = (
        CheckConstraint("length(trim(reference)) > 0", name="reference_present"),
        CheckConstraint("length(trim(name)) > 0", name="name_present"),
        CheckConstraint(
            "diagnosis_year IS NULL OR diagnosis_year BETWEEN 1900 AND 2200",
            name="diagnosis_year_plausible",
        ),
        CheckConstraint(
            "discharged_on IS NULL OR status = 'discharged'", name="discharge_matches_status"
        ),
        # The caseload's name order: start-up reads the first clients by it.
        Index("ix_client_name_order", text("lower(name)"), "reference"),
    )

    reference: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    date_of_birth: Mapped[date | None]
    phone: Mapped[str | None] = mapped_column(String(60))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    ms_course: Mapped[MSCourse] = mapped_column(
        enum_column(MSCourse, "ms_course"), default=MSCourse.UNKNOWN
    )
    diagnosis_year: Mapped[int | None]
    primary_therapist: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[ClientStatus] = mapped_column(
        enum_column(ClientStatus, "status"), default=ClientStatus.ACTIVE, index=True
    )
    discharged_on: Mapped[date | None]
    next_follow_up: Mapped[date | None] = mapped_column(index=True)
    large_print: Mapped[bool] = mapped_column(default=False)
    #: Symptoms worsen with heat: cardio and pool work then come with cooling advice.
    heat_sensitive: Mapped[bool] = mapped_column(default=False)
    #: An occupational therapist already sees this client (no advisory to refer to one).
    ot_involved: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str] = mapped_column(String(16), default="en")
    notes: Mapped[str | None] = mapped_column(Text)

    findings: Mapped[list[WeaknessFinding]] = relationship(
        back_populates="client", cascade=_OWNED, passive_deletes=True
    )
    programmes: Mapped[list[Programme]] = relationship(
        back_populates="client", cascade=_OWNED, passive_deletes=True
    )
    devices: Mapped[list[DeviceAssignment]] = relationship(
        back_populates="client", cascade=_OWNED, passive_deletes=True
    )
    trials: Mapped[list[Trial]] = relationship(
        back_populates="client", cascade=_OWNED, passive_deletes=True
    )
    measurements: Mapped[list[Measurement]] = relationship(
        back_populates="client", cascade=_OWNED, passive_deletes=True
    )
    falls: Mapped[list[Fall]] = relationship(
        back_populates="client", cascade=_OWNED, passive_deletes=True
    )
    handouts: Mapped[list[HandoutRecord]] = relationship(
        back_populates="client", cascade=_OWNED, passive_deletes=True
    )
    dismissals: Mapped[list[AdvisoryDismissal]] = relationship(
        back_populates="client", cascade=_OWNED, passive_deletes=True
    )

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
