"""Loads and checks the TOML catalogue files (format: resources/catalogue/FORMAT.md).

Every entry is checked as it loads, so a bad file (shipped or the clinic's own) is
refused with a message naming the entry and the field, never half read.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from therapy_desk import words
from therapy_desk.domain.vocabulary import (
    Better,
    Cause,
    DeviceKind,
    ExerciseCategory,
    Labelled,
    Region,
    Side,
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


#: What a measure's meaningful-change figure is (the catalogue's `meaningful_change.kind`):
#: the change people notice, the change beyond measurement error, or a trial's threshold.
CHANGE_KINDS = ("minimal important change", "smallest real change", "trial responder cut-off")


#: Marks a step printed only when an item is done on both sides ("then change legs").
BOTH_SIDES_TAG = "[both sides] "
#: Marks a step printed only when an item is for one side; "{side}" becomes left or right.
ONE_SIDE_TAG = "[one side] "
#: Where a one-side step names the side.
SIDE_SLOT = "{side}"


class LoadKind(Labelled):
    """What an exercise's resistance comes from, read from its equipment list."""

    BAND = "band"
    WEIGHT = "weight"


def load_kind(equipment: Sequence[str]) -> LoadKind | None:
    """BAND when the equipment lists a band, WEIGHT when it lists a weight, else None.

    A band exercise is dosed by the band's strength and never in kg; a weight
    exercise by its kg and never with a band. Body-weight and putty exercises
    (neither) take whatever the therapist gives.
    """
    words = " ".join(equipment).lower().replace("-", " ").split()
    if "band" in words:
        return LoadKind.BAND
    if "weight" in words or "weights" in words:
        return LoadKind.WEIGHT
    return None


def steps_for(steps: Sequence[str], side: Side) -> tuple[str, ...]:
    """The steps a client doing this item on `side` reads (tags: FORMAT.md).

    Both sides or none: "[both sides]" steps print without their tag and "[one
    side]" steps are left out. Left or right: the other way round, with the side
    named in the step ("Do this with your left leg only").
    """
    one_side = side in (Side.LEFT, Side.RIGHT)
    shown: list[str] = []
    for step in steps:
        if step.startswith(BOTH_SIDES_TAG):
            if not one_side:
                shown.append(step.removeprefix(BOTH_SIDES_TAG))
        elif step.startswith(ONE_SIDE_TAG):
            if one_side:
                text = step.removeprefix(ONE_SIDE_TAG)
                shown.append(text.replace(SIDE_SLOT, words.mid_sentence(side.label)))
        else:
            shown.append(step)
    return tuple(shown)


def _check_steps(steps: Sequence[str]) -> None:
    for number, step in enumerate(steps, start=1):
        text = step.removeprefix(BOTH_SIDES_TAG).removeprefix(ONE_SIDE_TAG)
        slots = text.count(SIDE_SLOT)
        if step.startswith(ONE_SIDE_TAG) and slots != 1:
            raise ValueError(
                f"'steps' {number}: a '[one side]' step names the side once, as {SIDE_SLOT}"
            )
        if not step.startswith(ONE_SIDE_TAG) and slots:
            raise ValueError(f"'steps' {number}: only a '[one side]' step may hold {SIDE_SLOT}")
        if text.startswith("[") or "{" in text.replace(SIDE_SLOT, ""):
            raise ValueError(
                f"'steps' {number}: a step may start with '[both sides] ' or '[one side] ' "
                "and holds no other brackets or braces"
            )
        if not text.strip():
            raise ValueError(f"'steps' {number}: a tagged step needs words after its tag")
    if any(s.startswith(ONE_SIDE_TAG) for s in steps) and not any(
        s.startswith(BOTH_SIDES_TAG) for s in steps
    ):
        raise ValueError("'steps': a '[one side]' step replaces a '[both sides]' one; add it")


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
    #: Exactly one of: percent, points, improve + decline (absolute, both positive), or
    #: improve_percent + decline_percent (relative to the earlier result, both positive).
    change_percent: float | None
    change_points: float | None
    change_improve: float | None
    change_decline: float | None
    sources: tuple[Source, ...]
    #: A result at or past this value marks a raised risk of falling (the cited cut-off);
    #: "past" follows `better`: at or below it when higher is better, at or above when lower.
    fall_risk_at: float | None = None
    change_improve_percent: float | None = None
    change_decline_percent: float | None = None
    #: One of CHANGE_KINDS: what the threshold is.
    change_kind: str = "minimal important change"
    #: Why the threshold is provisional (no MS source, or derived); empty when it is not.
    provisional_reason: str = ""
    #: Shown when a result sits at the best end of the scale, which cannot show improvement.
    ceiling_note: str = ""
    #: How many timed trials one result is the mean of (the T25FW takes two); 1: taken once.
    trials: int = 1

    @property
    def is_provisional(self) -> bool:
        return bool(self.provisional_reason)

    @property
    def is_timed(self) -> bool:
        """A result in seconds: its change reads best as a share of the earlier time."""
        return self.unit == "s"

    def mean_of(self, trials: Sequence[float]) -> float:
        """The result a set of trials gives: their mean, to the measure's decimals."""
        return round(sum(trials) / len(trials), self.decimals)

    def percent_change(self, earlier: float, later: float) -> float | None:
        """The change from earlier to later as a percentage of earlier (None from 0)."""
        return (later - earlier) / abs(earlier) * 100 if earlier else None

    def format_change(self, earlier: float, later: float) -> str:
        """The change from earlier to later, signed: '+0.5 s', '+2 points', '−12% (−1.1 s)'
        for a timed measure, whose change reads as a share of the earlier time."""
        change = later - earlier
        if self.is_ordinal:
            steps = int(round(change))
            return f"{steps:+d} {words.noun(abs(steps), 'grade')}"
        amount = f"{change:+.{self.decimals}f}".replace("-", "\u2212")
        if self.unit == "points":
            amount += " point" if abs(round(change, self.decimals)) == 1 else " points"
        else:
            amount += f" {self.unit}"
        percent = self.percent_change(earlier, later)
        if self.is_timed and percent is not None:
            share = f"{percent:+.0f}%".replace("-", "\u2212")
            return f"{share} ({amount})"
        return amount

    def verdict(self, earlier: float, later: float) -> str:
        """'better', 'worse' or 'no real change' (inside the meaningful-change threshold)."""
        if not self.is_meaningful(earlier, later):
            return "no real change"
        return "worse" if self.is_worse(earlier, later) else "better"

    def at_ceiling(self, value: float) -> bool:
        """Whether a result is at the best end of the scale (where it cannot improve)."""
        best = self.min if self.better is Better.LOWER else self.max
        return value == best

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
        if change == 0:
            return False
        improving = change < 0 if self.better is Better.LOWER else change > 0
        if self.change_percent is not None:
            return earlier != 0 and abs(change) / abs(earlier) * 100 >= self.change_percent
        if self.change_points is not None:
            return abs(change) >= self.change_points
        if self.change_improve_percent is not None or self.change_decline_percent is not None:
            percent = self.change_improve_percent if improving else self.change_decline_percent
            return (
                percent is not None
                and earlier != 0
                and abs(change) / abs(earlier) * 100 >= percent - 1e-9
            )
        threshold = self.change_improve if improving else self.change_decline
        return threshold is not None and abs(change) >= threshold - 1e-9

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
        raise ValueError(f"'{key}' needs at least {words.count(minimum, 'item')}")
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
    steps = _texts(entry, "steps", minimum=1)
    _check_steps(steps)
    illustration = entry.get("illustration")
    return ExerciseSpec(
        code=code,
        name=_text(entry, "name"),
        category=category,
        regions=_enums(entry, "regions", Region),
        equipment=_texts(entry, "equipment"),
        suits=suits,
        summary=_text(entry, "summary", optional=True),
        steps=steps,
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


#: The fields a measure's `[measure.meaningful_change]` table may hold.
CHANGE_FIELDS = (
    "kind",
    "percent",
    "points",
    "improve",
    "decline",
    "improve_percent",
    "decline_percent",
    "provisional",
    "provisional_reason",
)


def _threshold(change: Mapping[str, Any], key: str) -> float | None:
    value = _number(change, key)
    if value is not None and value <= 0:
        raise ValueError(f"'meaningful_change.{key}' must be above 0")
    return value


#: Most timed trials one result may be the mean of.
MAX_TRIALS = 5


def _trials(entry: Mapping[str, Any]) -> int:
    value = entry.get("trials", 1)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_TRIALS:
        raise ValueError(f"'trials' must be a whole number from 1 to {MAX_TRIALS}")
    if value > 1 and entry.get("grades"):
        raise ValueError("'trials' is for timed or counted results, not graded scales")
    return value


def _change_kind(change: Mapping[str, Any]) -> str:
    kind = change.get("kind")
    if kind not in CHANGE_KINDS:
        raise ValueError(
            "'meaningful_change.kind' must say what the figure is, one of: "
            + ", ".join(f'"{k}"' for k in CHANGE_KINDS)
        )
    return str(kind)


def _provisional_reason(change: Mapping[str, Any]) -> str:
    provisional = change.get("provisional", False)
    if not isinstance(provisional, bool):
        raise ValueError("'meaningful_change.provisional' must be true or false")
    reason = change.get("provisional_reason")
    if provisional and (not isinstance(reason, str) or not reason.strip()):
        raise ValueError(
            "a provisional threshold needs 'meaningful_change.provisional_reason' saying why"
        )
    if not provisional and reason is not None:
        raise ValueError("'meaningful_change.provisional_reason' needs 'provisional = true'")
    return " ".join(reason.split()) if provisional and isinstance(reason, str) else ""


def _parse_measure(entry: Mapping[str, Any]) -> MeasureSpec:
    change = entry.get("meaningful_change", {})
    if not isinstance(change, dict):
        raise ValueError("'meaningful_change' must be a table")
    unknown = sorted(set(change) - set(CHANGE_FIELDS))
    if unknown:
        raise ValueError(
            f"'meaningful_change.{unknown[0]}' is not a field ({', '.join(CHANGE_FIELDS)})"
        )
    ceiling_note = entry.get("ceiling_note")
    if ceiling_note is not None and (not isinstance(ceiling_note, str) or not ceiling_note.strip()):
        raise ValueError("'ceiling_note' must be non-empty text")
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
        change_percent=_threshold(change, "percent"),
        change_points=_threshold(change, "points"),
        change_improve=_threshold(change, "improve"),
        change_decline=_threshold(change, "decline"),
        sources=sources,
        fall_risk_at=_number(entry, "fall_risk_at"),
        change_improve_percent=_threshold(change, "improve_percent"),
        change_decline_percent=_threshold(change, "decline_percent"),
        change_kind=_change_kind(change),
        provisional_reason=_provisional_reason(change),
        ceiling_note=" ".join(ceiling_note.split()) if isinstance(ceiling_note, str) else "",
        trials=_trials(entry),
    )
    if spec.max <= spec.min:
        raise ValueError("'max' must be above 'min'")
    if spec.grades and (spec.min != 0 or spec.max != len(spec.grades) - 1):
        raise ValueError("an ordinal scale runs from 0 to the number of grades less one")
    if spec.fall_risk_at is not None and not spec.min <= spec.fall_risk_at <= spec.max:
        raise ValueError("'fall_risk_at' must lie inside the range min to max")
    given = [
        spec.change_percent is not None,
        spec.change_points is not None,
        spec.change_improve is not None or spec.change_decline is not None,
        spec.change_improve_percent is not None or spec.change_decline_percent is not None,
    ]
    if sum(given) != 1:
        raise ValueError(
            "'meaningful_change' needs exactly one of: percent, points, improve + decline, "
            "or improve_percent + decline_percent"
        )
    for improve, decline, names in (
        (spec.change_improve, spec.change_decline, "improve and decline"),
        (
            spec.change_improve_percent,
            spec.change_decline_percent,
            "improve_percent and decline_percent",
        ),
    ):
        if (improve is None) != (decline is None):
            raise ValueError(f"'meaningful_change' needs both {names}, one for each direction")
    return spec


def parse_measures(data: Mapping[str, Any], file: str) -> dict[str, MeasureSpec]:
    """Every `[[measure]]` entry, checked; a bad one is refused naming the measure and field."""
    entries = data.get("measure")
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"{file}: no [[measure]] entries found")
    specs: dict[str, MeasureSpec] = {}
    for index, entry in enumerate(entries):
        try:
            spec = _parse_measure(entry)
        except ValueError as problem:
            raise _entry_error(file, "measure", index, entry, str(problem)) from None
        if spec.code in specs:
            raise _entry_error(file, "measure", index, entry, "this code is used twice")
        specs[spec.code] = spec
    return specs


@cache
def measures() -> dict[str, MeasureSpec]:
    """The shipped outcome-measure catalogue, by code."""
    return parse_measures(_load("measures.toml"), "measures.toml")
