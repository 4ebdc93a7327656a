"""An exercise in the catalogue: the shipped library plus the clinic's own."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from therapy_desk.domain.base import Record, enum_column
from therapy_desk.domain.vocabulary import ExerciseCategory


class Exercise(Record):
    __tablename__ = "exercise"

    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[ExerciseCategory] = mapped_column(enum_column(ExerciseCategory, "category"))
    summary: Mapped[str] = mapped_column(Text, default="")
    #: Lists of enum values / plain strings, small enough to filter in Python.
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    equipment: Mapped[list[str]] = mapped_column(JSON, default=list)
    suits: Mapped[list[str]] = mapped_column(JSON, default=list)
    steps: Mapped[list[str]] = mapped_column(JSON, default=list)
    cautions: Mapped[list[str]] = mapped_column(JSON, default=list)
    dose: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    illustration: Mapped[str | None] = mapped_column(String(64))
    #: True for the shipped catalogue (kept in step with resources/); False for the clinic's own.
    builtin: Mapped[bool] = mapped_column(default=True)
    #: Withdrawn from the catalogue but still named by old programme revisions.
    retired: Mapped[bool] = mapped_column(default=False)
