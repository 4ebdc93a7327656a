"""Loads and checks the TOML catalogue files (format: resources/catalogue/FORMAT.md).

Every entry is checked as it loads, so a bad file (shipped or the clinic's own) is
refused with a message naming the entry and the field, never half read.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from therapy_desk.domain.vocabulary import (
    Better,
    Cause,
    DeviceKind,
    ExerciseCategory,
    Labelled,
    Region,
)
from therapy_desk.resources import resource

E = TypeVar("E", bound=Labelled)

#: Dose fields an exercise entry may give, each a whole number in this range.
DOSE_LIMITS: dict[str, tuple[int, int]] = {
    "sets": (1, 10),
    "reps": (1, 100),
    "hold_seconds": (1, 600),
    "duration_minutes": (1, 180),
    "days_per_week": (1, 7),
}


class CatalogueError(ValueError):
    """A catalogue file that cannot be used, with where and what."""


@dataclass(frozen=True)
class ExerciseSpec:
    code: str
    name: str
    category: ExerciseCategory
    regions: tuple[Region, ...]
    equipment: tuple[str, ...]
    suits: tuple[Cause, ...]
    summary: str
    steps: tuple[str, ...]
    cautions: tuple[str, ...]
    illustration: str | None
    dose: Mapping[str, int] = field(default_factory=dict)

    def as_row(self) -> dict[str, Any]:
        """The columns of the `exercise` table."""
        return {
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "summary": self.summary,
            "regions": [r.value for r in self.regions],
            "equipment": list(self.equipment),
            "suits": [c.value for c in self.suits],
            "steps": list(self.steps),
            "cautions": list(self.cautions),
            "dose": dict(self.dose),
            "illustration": self.illustration,
        }


@dataclass(frozen=True)
class DeviceGuide:
    kind: DeviceKind
    name: str
    group: str
    sided: bool
    purpose: str
    how_to_use: tuple[str, ...]
    fit: tuple[str, ...]
    care: tuple[str, ...]
    safety: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    cite: str
    supports: str
    url: str | None = None


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    name: str
    short_name: str
    unit: str
    min: float
    max: float
    better: Better
    per_side: bool
    per_region: bool
    decimals: int
    grades: tuple[str, ...]
    #: Exactly one of: percent, points, or improve + decline (absolute, both positive).
    change_percent: float | None
    change_points: float | None
    change_improve: float | None
    change_decline: float | None
    sources: tuple[Source, ...]
    #: A result at or past this value marks a raised risk of falling (the cited cut-off);
    #: "past" follows `better`: at or below it when higher is better, at or above when lower.
    fall_risk_at: float | None = None

    @property
    def is_ordinal(self) -> bool:
        return bool(self.grades)

    def format_value(self, value: float) -> str:
        if self.grades:
            return self.grades[int(round(value))]
        text = f"{value:.{self.decimals}f}"
        return f"{text} {self.unit}" if self.unit not in ("points", "grade") else text

    def parse_value(self, text: str) -> float:
        """A typed result as stored: a grade label for ordinal scales, else a number."""
        text = text.strip()
        if self.grades:
            if text in self.grades:
                return float(self.grades.index(text))
            raise ValueError(f"{self.name} is graded {', '.join(self.grades)}; '{text}' is not one")
        try:
            return float(text.replace(",", "."))
        except ValueError:
            raise ValueError(
                f"{self.name} needs a number in {self.unit}; '{text}' is not one"
            ) from None

    def check_value(self, value: float) -> None:
        if not (self.min <= value <= self.max):
            raise ValueError(
                f"{self.name} must be between {self.format_value(self.min)} and "
                f"{self.format_value(self.max)}; {value:g} is outside that range"
            )
        if self.grades and value != int(value):
            raise ValueError(f"{self.name} is a graded scale; pick one of its grades")

    def is_meaningful(self, earlier: float, later: float) -> bool:
        """Whether the change from earlier to later is beyond the meaningful-change threshold."""
        change = later - earlier
        improving = change < 0 if self.better is Better.LOWER else change > 0
        if self.change_percent is not None:
            return earlier != 0 and abs(change) / abs(earlier) * 100 >= self.change_percent
        if self.change_points is not None:
            return abs(change) >= self.change_points
        threshold = self.change_improve if improving else self.change_decline
        return threshold is not None and abs(change) >= threshold

    def is_worse(self, earlier: float, later: float) -> bool:
        """Whether `later` is worse than `earlier` by at least the meaningful change."""
        worse = later > earlier if self.better is Better.LOWER else later < earlier
        return worse and self.is_meaningful(earlier, later)

    def at_fall_risk(self, value: float) -> bool:
        """Whether a result is at or past this measure's fall-risk cut-off (if it has one)."""
        if self.fall_risk_at is None:
            return False
        if self.better is Better.LOWER:
            return value >= self.fall_risk_at
        return value <= self.fall_risk_at


def _entry_error(
    file: str, kind: str, index: int, entry: Mapping[str, Any], problem: str
) -> CatalogueError:
    name = entry.get("code") or entry.get("kind") or f"number {index + 1}"
    return CatalogueError(f"{file}: {kind} '{name}': {problem}")


def _text(entry: Mapping[str, Any], key: str, *, optional: bool = False) -> str:
    value = entry.get(key)
    if value is None and optional:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"'{key}' must be non-empty text")
    return value.strip()


def _texts(entry: Mapping[str, Any], key: str, *, minimum: int = 0) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"'{key}' must be a list of non-empty texts")
    if len(value) < minimum:
        raise ValueError(f"'{key}' needs at least {minimum} item(s)")
    return tuple(v.strip() for v in value)


def _enums(entry: Mapping[str, Any], key: str, enum: type[E]) -> tuple[E, ...]:
    values = _texts(entry, key, minimum=1)
    try:
        return tuple(enum(v) for v in values)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise ValueError(f"'{key}' may only hold: {allowed}") from None


def parse_exercise(entry: Mapping[str, Any]) -> ExerciseSpec:
    code = _text(entry, "code")
    if code != code.lower() or not all(part.isalnum() for part in code.split("-")):
        raise ValueError("'code' must be lowercase letters and digits joined by hyphens")
    try:
        category = ExerciseCategory(str(entry.get("category")))
    except ValueError:
        raise ValueError(
            f"'category' must be one of: {', '.join(c.value for c in ExerciseCategory)}"
        ) from None
    suits = _enums(entry, "suits", Cause)
    if category is ExerciseCategory.RESISTANCE and Cause.NERVE_DAMAGE in suits:
        raise ValueError(
            "a resistance exercise cannot suit nerve damage: loading a muscle that is not "
            "getting its signal can make weakness and fatigue worse"
        )
    dose = entry.get("dose", {})
    if not isinstance(dose, dict):
        raise ValueError("'dose' must be a table")
    for key, amount in dose.items():
        if key not in DOSE_LIMITS:
            raise ValueError(f"'dose.{key}' is not a dose field ({', '.join(DOSE_LIMITS)})")
        low, high = DOSE_LIMITS[key]
        if not isinstance(amount, int) or isinstance(amount, bool) or not low <= amount <= high:
            raise ValueError(f"'dose.{key}' must be a whole number from {low} to {high}")
    illustration = entry.get("illustration")
    return ExerciseSpec(
        code=code,
        name=_text(entry, "name"),
        category=category,
        regions=_enums(entry, "regions", Region),
        equipment=_texts(entry, "equipment"),
        suits=suits,
        summary=_text(entry, "summary", optional=True),
        steps=_texts(entry, "steps", minimum=1),
        cautions=_texts(entry, "cautions"),
        illustration=illustration if isinstance(illustration, str) and illustration else None,
        dose=dose,
    )


def parse_exercises(data: Mapping[str, Any], file: str) -> tuple[ExerciseSpec, ...]:
    entries = data.get("exercise")
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"{file}: no [[exercise]] entries found")
    specs: list[ExerciseSpec] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        try:
            spec = parse_exercise(entry)
        except ValueError as problem:
            raise _entry_error(file, "exercise", index, entry, str(problem)) from None
        if spec.code in seen:
            raise _entry_error(file, "exercise", index, entry, "this code is used twice")
        seen.add(spec.code)
        specs.append(spec)
    return tuple(specs)


def read_toml(path: Path) -> dict[str, Any]:
    """A catalogue file's data, or a CatalogueError saying why it cannot be read."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as problem:
        raise CatalogueError(f"{path.name}: not valid TOML ({problem})") from None
    except OSError as problem:
        raise CatalogueError(f"{path}: cannot be read ({problem.strerror})") from None


def load_exercises(path: Path) -> tuple[ExerciseSpec, ...]:
    """Read an exercise file (the shipped catalogue or a clinic's own)."""
    return parse_exercises(read_toml(path), path.name)


def _load(name: str) -> dict[str, Any]:
    with resource("catalogue", name).open("rb") as handle:
        return tomllib.load(handle)


@cache
def exercises() -> tuple[ExerciseSpec, ...]:
    """The shipped exercise catalogue."""
    return load_exercises(resource("catalogue", "exercises.toml"))


def exercises_fingerprint() -> str:
    """Changes whenever the shipped exercise file changes: tells when to re-sync."""
    return hashlib.sha256(resource("catalogue", "exercises.toml").read_bytes()).hexdigest()


@cache
def device_guides() -> dict[DeviceKind, DeviceGuide]:
    guides: dict[DeviceKind, DeviceGuide] = {}
    for index, entry in enumerate(_load("devices.toml").get("device", [])):
        try:
            kind = DeviceKind(entry.get("kind"))
            guides[kind] = DeviceGuide(
                kind=kind,
                name=_text(entry, "name"),
                group=_text(entry, "group"),
                sided=bool(entry.get("sided", False)),
                purpose=_text(entry, "purpose"),
                how_to_use=_texts(entry, "how_to_use", minimum=1),
                fit=_texts(entry, "fit", minimum=1),
                care=_texts(entry, "care", minimum=1),
                safety=_texts(entry, "safety", minimum=1),
            )
        except ValueError as problem:
            raise _entry_error("devices.toml", "device", index, entry, str(problem)) from None
    return guides


def _number(entry: Mapping[str, Any], key: str) -> float | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"'{key}' must be a number")
    return float(value)


def _parse_measure(entry: Mapping[str, Any]) -> MeasureSpec:
    change = entry.get("meaningful_change", {})
    sources = tuple(
        Source(cite=_text(s, "cite"), supports=_text(s, "supports"), url=s.get("url") or None)
        for s in entry.get("sources", [])
    )
    if not sources:
        raise ValueError("every measure must cite at least one published source")
    spec = MeasureSpec(
        code=_text(entry, "code"),
        name=_text(entry, "name"),
        short_name=_text(entry, "short_name"),
        unit=_text(entry, "unit"),
        min=_number(entry, "min") or 0.0,
        max=_number(entry, "max") or 0.0,
        better=Better(str(entry.get("better"))),
        per_side=bool(entry.get("per_side", False)),
        per_region=bool(entry.get("per_region", False)),
        decimals=int(entry.get("decimals", 0)),
        grades=_texts(entry, "grades"),
        change_percent=_number(change, "percent"),
        change_points=_number(change, "points"),
        change_improve=_number(change, "improve"),
        change_decline=_number(change, "decline"),
        sources=sources,
        fall_risk_at=_number(entry, "fall_risk_at"),
    )
    if spec.max <= spec.min:
        raise ValueError("'max' must be above 'min'")
    if spec.grades and (spec.min != 0 or spec.max != len(spec.grades) - 1):
        raise ValueError("an ordinal scale runs from 0 to the number of grades less one")
    given = [
        spec.change_percent is not None,
        spec.change_points is not None,
        spec.change_improve is not None or spec.change_decline is not None,
    ]
    if sum(given) != 1:
        raise ValueError("'meaningful_change' needs one of percent, points, or improve/decline")
    return spec


@cache
def measures() -> dict[str, MeasureSpec]:
    specs: dict[str, MeasureSpec] = {}
    for index, entry in enumerate(_load("measures.toml").get("measure", [])):
        try:
            spec = _parse_measure(entry)
        except ValueError as problem:
            raise _entry_error("measures.toml", "measure", index, entry, str(problem)) from None
        specs[spec.code] = spec
    return specs
