"""Home exercise programmes: start one, issue new revisions (old ones kept), compare them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from therapy_desk import words
from therapy_desk.domain import Client, Exercise, Programme, ProgrammeItem, ProgrammeRevision
from therapy_desk.domain.base import utcnow
from therapy_desk.domain.vocabulary import Band, Side
from therapy_desk.library.catalogue import LoadKind, load_kind
from therapy_desk.services.checks import Problems
from therapy_desk.services.errors import ValidationError
from therapy_desk.services.records import expect_version, fetch

#: More items than this is not a programme a person can do at home.
MAX_ITEMS = 40
#: The longest personal cue: more than this does not fit whole on the client's
#: large-print exercise card (18 pt, with its drawings, steps and "Take care" box).
CUE_LIMIT = 200


@dataclass(frozen=True)
class ItemSpec:
    """One exercise in a programme, with its dose."""

    exercise_code: str
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    duration_minutes: int | None = None
    load_kg: float | None = None
    band: Band | None = None
    days_per_week: int = 3
    side: Side = Side.BOTH
    cue: str | None = None

    @classmethod
    def of(cls, item: ProgrammeItem) -> ItemSpec:
        return cls(
            exercise_code=item.exercise.code,
            sets=item.sets,
            reps=item.reps,
            hold_seconds=item.hold_seconds,
            duration_minutes=item.duration_minutes,
            load_kg=item.load_kg,
            band=item.band,
            days_per_week=item.days_per_week,
            side=item.side,
            cue=item.cue,
        )

    def dose_text(self) -> str:
        """The dose in a therapist's shorthand, e.g. '2 × 10, 2 kg, 3 days a week'."""
        parts: list[str] = []
        amount = (
            words.count(self.reps, "rep")
            if self.reps
            else f"hold {self.hold_seconds} s"
            if self.hold_seconds
            else f"{self.duration_minutes} min"
        )
        parts.append(f"{self.sets} × {amount}" if self.sets else amount)
        if self.load_kg is not None:
            parts.append(f"{self.load_kg:g} kg")
        if self.band is not None:
            parts.append(f"{words.mid_sentence(self.band.label)} band")
        if self.side not in (Side.BOTH, Side.NONE):
            parts.append(f"{words.mid_sentence(self.side.label)} side")
        parts.append(f"{words.count(self.days_per_week, 'day')} a week")
        return ", ".join(parts)


def load_problem(
    name: str, equipment: Sequence[str], *, load_kg: float | None, band: Band | None
) -> tuple[str, str] | None:
    """(field, message) when the load does not fit what the exercise is done with.

    A band exercise is dosed by the band's strength, never in kg; a weight exercise
    by its kg, never with a band (the equipment list says which it is).
    """
    kind = load_kind(equipment)
    if kind is LoadKind.BAND and load_kg is not None:
        return "load_kg", f"{name} is done with a band: give the band's strength, not kg"
    if kind is LoadKind.WEIGHT and band is not None:
        return "band", f"{name} is done with a weight: give the weight in kg, not a band"
    return None


def check_items(items: Sequence[ItemSpec], exercises: dict[str, Exercise]) -> None:
    """Check every item; problems are keyed items[N].field (N counts from 1)."""
    p = Problems()
    if not items:
        p.add("items", "A programme needs at least one exercise")
    if len(items) > MAX_ITEMS:
        p.add("items", f"A programme can hold at most {MAX_ITEMS} exercises; it has {len(items)}")
    seen: set[tuple[str, Side]] = set()
    for number, item in enumerate(items, start=1):
        at = f"items[{number}]"
        exercise = exercises.get(item.exercise_code)
        if exercise is None:
            p.add(f"{at}.exercise", f"'{item.exercise_code}' is not in the exercise catalogue")
        elif (item.exercise_code, item.side) in seen:
            p.add(f"{at}.exercise", f"{exercise.name} is already in this programme on that side")
        seen.add((item.exercise_code, item.side))
        p.whole(f"{at}.sets", item.sets, label="Sets", low=1, high=10)
        p.whole(f"{at}.reps", item.reps, label="Repetitions", low=1, high=100)
        p.whole(f"{at}.hold_seconds", item.hold_seconds, label="Hold (seconds)", low=1, high=600)
        p.whole(
            f"{at}.duration_minutes",
            item.duration_minutes,
            label="Duration (minutes)",
            low=1,
            high=180,
        )
        p.whole(f"{at}.days_per_week", item.days_per_week, label="Days a week", low=1, high=7)
        if item.reps is None and item.hold_seconds is None and item.duration_minutes is None:
            p.add(f"{at}.reps", "Give repetitions, a hold time or a duration")
        if item.load_kg is not None and not 0 < item.load_kg <= 100:
            p.add(f"{at}.load_kg", "Load must be more than 0 and at most 100 kg")
        if exercise is not None:
            mismatch = load_problem(
                exercise.name, exercise.equipment, load_kg=item.load_kg, band=item.band
            )
            if mismatch is not None:
                p.add(f"{at}.{mismatch[0]}", mismatch[1])
        if item.cue is not None and len(item.cue) > CUE_LIMIT:
            p.add(
                f"{at}.cue",
                f"Personal cue is {words.count(len(item.cue), 'character')}; shorten it to "
                f"{CUE_LIMIT} or "
                "fewer so it fits the client's large-print card",
            )
        p.text(f"{at}.cue", item.cue, label="Personal cue", limit=CUE_LIMIT)
    p.raise_if_any()


def exercises_by_code(session: Session, codes: set[str]) -> dict[str, Exercise]:
    found = session.scalars(select(Exercise).where(Exercise.code.in_(codes)))
    return {e.code: e for e in found}


def _build_items(session: Session, items: Sequence[ItemSpec]) -> list[ProgrammeItem]:
    exercises = exercises_by_code(session, {i.exercise_code for i in items})
    check_items(items, exercises)
    return [
        ProgrammeItem(
            position=position,
            exercise=exercises[spec.exercise_code],
            sets=spec.sets,
            reps=spec.reps,
            hold_seconds=spec.hold_seconds,
            duration_minutes=spec.duration_minutes,
            load_kg=spec.load_kg,
            band=spec.band,
            days_per_week=spec.days_per_week,
            side=spec.side,
            cue=(spec.cue or "").strip() or None,
        )
        for position, spec in enumerate(items, start=1)
    ]


def start_programme(
    session: Session,
    *,
    client_id: uuid.UUID,
    items: Sequence[ItemSpec],
    on: date,
    by: str | None,
    title: str = "Home exercise programme",
    reason: str | None = None,
) -> Programme:
    fetch(session, Client, client_id, what="client")
    if not title.strip():
        raise ValidationError({"title": "A programme needs a title"})
    programme = Programme(client_id=client_id, title=title.strip(), started_on=on)
    programme.revisions.append(
        ProgrammeRevision(
            number=1, issued_on=on, issued_by=by, reason=reason, items=_build_items(session, items)
        )
    )
    session.add(programme)
    session.flush()
    return programme


def revise_programme(
    session: Session,
    *,
    programme_id: uuid.UUID,
    items: Sequence[ItemSpec],
    on: date,
    by: str | None,
    expected_version: int,
    reason: str | None = None,
) -> ProgrammeRevision:
    """Issue a new revision; the one it supersedes is kept exactly as it was.

    `expected_version` is the programme's version when the draft was started: a
    revision issued elsewhere meanwhile is a conflict, not a silent second branch.
    """
    programme = fetch(session, Programme, programme_id, what="programme")
    expect_version(programme, expected_version, what="programme")
    if not programme.is_active:
        raise ValidationError({"programme": "This programme has ended; start a new one instead"})
    current = programme.current
    if current is not None and on < current.issued_on:
        raise ValidationError(
            {
                "issued_on": "A new revision cannot predate the current one "
                f"({words.day(current.issued_on)})"
            }
        )
    revision = ProgrammeRevision(
        number=(current.number + 1) if current else 1,
        issued_on=on,
        issued_by=by,
        reason=(reason or "").strip() or None,
        items=_build_items(session, items),
    )
    if current is not None:
        current.superseded_on = on
    programme.revisions.append(revision)
    # The programme's own row changes too, so its version moves on and a second draft
    # issued from the same version elsewhere is refused as a conflict.
    programme.updated_at = utcnow()
    session.flush()
    return revision


def end_programme(
    session: Session, *, programme_id: uuid.UUID, on: date, expected_version: int
) -> Programme:
    programme = fetch(session, Programme, programme_id, what="programme")
    expect_version(programme, expected_version, what="programme")
    if on < programme.started_on:
        raise ValidationError({"ended_on": "A programme cannot end before it started"})
    programme.ended_on = on
    session.flush()
    return programme


@dataclass(frozen=True)
class ItemChange:
    """One line of "what changed" between two revisions."""

    exercise_code: str
    exercise_name: str
    change: str  # "added", "removed", "dose" or "cue" (the therapist's reminder)
    before: str | None
    after: str | None


def revision_changes(old: ProgrammeRevision, new: ProgrammeRevision) -> list[ItemChange]:
    def keyed(revision: ProgrammeRevision) -> dict[tuple[str, Side], ProgrammeItem]:
        return {(i.exercise.code, i.side): i for i in revision.items}

    before, after = keyed(old), keyed(new)
    changes: list[ItemChange] = []
    for key, item in after.items():
        name = item.exercise.name
        if key not in before:
            changes.append(ItemChange(key[0], name, "added", None, ItemSpec.of(item).dose_text()))
        else:
            was, now = ItemSpec.of(before[key]), ItemSpec.of(item)
            if was.dose_text() != now.dose_text():
                changes.append(ItemChange(key[0], name, "dose", was.dose_text(), now.dose_text()))
            if was.cue != now.cue:
                changes.append(ItemChange(key[0], name, "cue", was.cue, now.cue))
    for key, item in before.items():
        if key not in after:
            changes.append(
                ItemChange(
                    key[0], item.exercise.name, "removed", ItemSpec.of(item).dose_text(), None
                )
            )
    return changes


def default_item(exercise: Exercise, *, side: Side = Side.BOTH) -> ItemSpec:
    """A new programme line with the catalogue's suggested dose, for the therapist to adjust."""
    dose = exercise.dose or {}
    item = ItemSpec(
        exercise_code=exercise.code,
        sets=dose.get("sets"),
        reps=dose.get("reps"),
        hold_seconds=dose.get("hold_seconds"),
        duration_minutes=dose.get("duration_minutes"),
        days_per_week=dose.get("days_per_week", 3),
        side=side,
    )
    if item.reps is None and item.hold_seconds is None and item.duration_minutes is None:
        item = replace(item, reps=10, sets=item.sets or 1)
    return item
