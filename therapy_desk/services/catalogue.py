"""Keeps the database's exercise table in step with the shipped catalogue; adds clinic exercises."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from therapy_desk.domain import Exercise, Setting
from therapy_desk.domain.vocabulary import Cause, ExerciseCategory, Region
from therapy_desk.library import ExerciseSpec, exercises, load_exercises
from therapy_desk.library.catalogue import exercises_fingerprint
from therapy_desk.services.errors import ValidationError

FINGERPRINT_KEY = "catalogue.exercises.sha256"


def sync_builtin_exercises(session: Session) -> bool:
    """Upsert the shipped exercises when the file changed; retire ones it dropped.

    Returns whether anything was written. Exercises are never deleted: old
    programme revisions still name them.
    """
    fingerprint = exercises_fingerprint()
    setting = session.scalar(select(Setting).where(Setting.key == FINGERPRINT_KEY))
    if setting is not None and setting.value == fingerprint:
        return False
    existing = {e.code: e for e in session.scalars(select(Exercise))}
    shipped = exercises()
    for spec in shipped:
        row = existing.get(spec.code)
        if row is None:
            session.add(Exercise(builtin=True, **spec.as_row()))
        elif row.builtin:
            for name, value in spec.as_row().items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
            row.retired = False
    codes = {s.code for s in shipped}
    for row in existing.values():
        if row.builtin and row.code not in codes:
            row.retired = True
    if setting is None:
        session.add(Setting(key=FINGERPRINT_KEY, value=fingerprint))
    else:
        setting.value = fingerprint
    session.flush()
    return True


def add_clinic_exercises(session: Session, specs: Sequence[ExerciseSpec]) -> list[Exercise]:
    """Add the clinic's own exercises, or update ones it added before. All or none."""
    existing = {e.code: e for e in session.scalars(select(Exercise))}
    clashes = [s.code for s in specs if s.code in existing and existing[s.code].builtin]
    if clashes:
        raise ValidationError(
            {"code": f"{', '.join(clashes)} already name shipped exercises; choose other codes"}
        )
    saved: list[Exercise] = []
    for spec in specs:
        row = existing.get(spec.code)
        if row is None:
            row = Exercise(builtin=False, **spec.as_row())
            session.add(row)
        else:
            for name, value in spec.as_row().items():
                setattr(row, name, value)
            row.retired = False
        saved.append(row)
    session.flush()
    return saved


def import_clinic_exercises(session: Session, path: Path) -> list[Exercise]:
    return add_clinic_exercises(session, load_exercises(path))


def list_exercises(session: Session, *, include_retired: bool = False) -> list[Exercise]:
    query = select(Exercise).order_by(Exercise.category, Exercise.name)
    if not include_retired:
        query = query.where(Exercise.retired.is_(False))
    return list(session.scalars(query))


def find_exercises(
    exercises: Sequence[Exercise],
    *,
    search: str = "",
    category: ExerciseCategory | None = None,
    region: Region | None = None,
    suits: Cause | None = None,
) -> list[Exercise]:
    """The catalogue browser's filter, over exercises already read: words match the name,
    summary or equipment; the rest must match exactly."""
    words = search.casefold().split()
    found = []
    for exercise in exercises:
        if category is not None and exercise.category != category:
            continue
        if region is not None and region.value not in exercise.regions:
            continue
        if suits is not None and suits.value not in exercise.suits:
            continue
        if words:
            text = " ".join([exercise.name, exercise.summary, *exercise.equipment]).casefold()
            if not all(word in text for word in words):
                continue
        found.append(exercise)
    return found
