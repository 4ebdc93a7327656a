"""Clinical advisories: pure functions over a plain snapshot of a client's record.

Each advisory has a stable code, says what it is about, gives its reason in plain
words and a suggestion. The program never decides: a therapist reads, acts or
dismisses (see services/advisories.py). The rules follow shared/CLINICAL.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from therapy_desk.domain.vocabulary import (
    ARM_REGIONS,
    DAILY_LIVING_AIDS,
    DEVICE_HELD,
    FOOT_DROP_DEVICES,
    SURROUNDING_REGIONS,
    Cause,
    DeviceKind,
    DeviceStatus,
    ExerciseCategory,
    Region,
    Side,
    TrialDecision,
    TrialOutcome,
)

RESISTANCE_ON_NERVE_DAMAGE = "resistance-on-nerve-damage"
DECONDITIONING_WITHOUT_RESISTANCE = "deconditioning-without-resistance"
FOOT_DROP_ORTHOSIS = "foot-drop-orthosis"
FALL_REVIEW = "fall-review"
FATIGUE_PACING = "fatigue-pacing"
RELAPSE_INTENSITY = "relapse-intensity"
ARM_HAND_OT = "arm-hand-occupational-therapy"
TRIAL_REVIEW_OVERDUE = "trial-review-overdue"
TRIAL_NEEDS_DECISION = "trial-needs-decision"

#: Every advisory code with its one-line title, in the order they are shown.
TITLES: dict[str, str] = {
    RESISTANCE_ON_NERVE_DAMAGE: "Resistance exercise on a nerve-damage weakness",
    TRIAL_NEEDS_DECISION: "Trial reviewed, next step not decided",
    TRIAL_REVIEW_OVERDUE: "Trial past its review date",
    FALL_REVIEW: "Fall recorded: review devices and home safety",
    RELAPSE_INTENSITY: "Weakness during a relapse: review programme intensity",
    FOOT_DROP_ORTHOSIS: "Ankle weakness: assess for an ankle-foot orthosis",
    DECONDITIONING_WITHOUT_RESISTANCE: "Disuse weakness without resistance work",
    FATIGUE_PACING: "Weakness linked to fatigue: pacing advice",
    ARM_HAND_OT: "Arm or hand weakness: occupational therapy",
}

#: Weakness in a trial outcome that calls for a decision.
UNHELPFUL_OUTCOMES = frozenset(
    {TrialOutcome.NO_CHANGE, TrialOutcome.WORSE, TrialOutcome.NOT_TOLERATED}
)


@dataclass(frozen=True)
class FindingFact:
    id: uuid.UUID
    region: Region
    side: Side
    cause: Cause
    fatigue_linked: bool = False
    during_relapse: bool = False
    onset_on: date | None = None
    resolved: bool = False


@dataclass(frozen=True)
class ItemFact:
    """An exercise in the client's active programme (current revision)."""

    exercise_code: str
    exercise_name: str
    category: ExerciseCategory
    regions: frozenset[Region]
    loaded: bool
    side: Side
    days_per_week: int
    #: The weight or band in words ("a 1.5 kg weight"), when the item has one.
    load: str | None = None

    @property
    def is_resistance(self) -> bool:
        return self.category is ExerciseCategory.RESISTANCE or self.loaded


@dataclass(frozen=True)
class DeviceFact:
    kind: DeviceKind
    status: DeviceStatus


@dataclass(frozen=True)
class TrialFact:
    id: uuid.UUID
    what: str
    review_on: date
    outcome: TrialOutcome | None = None
    reviewed_on: date | None = None
    decision: TrialDecision | None = None


@dataclass(frozen=True)
class FallFact:
    id: uuid.UUID
    fell_on: date


@dataclass(frozen=True)
class ClientFacts:
    """Exactly what the rules read about one client."""

    findings: tuple[FindingFact, ...] = ()
    items: tuple[ItemFact, ...] = ()
    has_active_programme: bool = False
    devices: tuple[DeviceFact, ...] = ()
    trials: tuple[TrialFact, ...] = ()
    falls: tuple[FallFact, ...] = ()


@dataclass(frozen=True)
class Advisory:
    code: str
    #: What it is about; with the code, the key a dismissal is recorded against.
    about: str
    title: str
    reason: str
    suggestion: str
    regions: tuple[Region, ...] = field(default=())

    @property
    def key(self) -> tuple[str, str]:
        return (self.code, self.about)


def advise(facts: ClientFacts, *, today: date) -> list[Advisory]:
    """Every advisory the record raises today, most pressing first."""
    found = [
        *_resistance_on_nerve_damage(facts),
        *_trials(facts, today),
        *_falls(facts, today),
        *_relapse(facts),
        *_foot_drop(facts),
        *_deconditioning(facts),
        *_fatigue(facts),
        *_arms(facts),
    ]
    order = list(TITLES)
    return sorted(found, key=lambda a: order.index(a.code))


def _sides_meet(a: Side, b: Side) -> bool:
    return a is b or Side.BOTH in (a, b) or Side.NONE in (a, b)


def _where(region: Region, side: Side) -> str:
    where = region.label.lower()
    return where if side in (Side.NONE, Side.BOTH) else f"{side.label.lower()} {where}"


def _names(regions: Iterable[Region]) -> str:
    words = [r.label.lower() for r in regions]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _open(facts: ClientFacts) -> Iterator[FindingFact]:
    return (f for f in facts.findings if not f.resolved)


def _resistance_on_nerve_damage(facts: ClientFacts) -> Iterator[Advisory]:
    nerve = [f for f in _open(facts) if f.cause is Cause.NERVE_DAMAGE]
    raised: set[str] = set()
    for item in facts.items:
        if not item.is_resistance:
            continue
        for finding in nerve:
            about = f"exercise:{item.exercise_code}|region:{finding.region.value}"
            if (
                about not in raised
                and finding.region in item.regions
                and _sides_meet(item.side, finding.side)
            ):
                raised.add(about)
                around = _around(finding.region, {f.region for f in nerve})
                load = f"with {item.load}" if item.load else "as resistance work"
                yield Advisory(
                    code=RESISTANCE_ON_NERVE_DAMAGE,
                    about=about,
                    title=TITLES[RESISTANCE_ON_NERVE_DAMAGE],
                    reason=(
                        f"{item.exercise_name} loads the {_where(finding.region, finding.side)} "
                        f"{load}, and the weakness there is recorded as nerve damage. "
                        "Weight training a muscle that is not getting its signal may increase "
                        "weakness and fatigue."
                    ),
                    suggestion=(
                        f"Keep the {finding.region.label.lower()} in regular use and strengthen "
                        f"the surrounding muscles whose nerves still work instead{around}."
                    ),
                    regions=(finding.region,),
                )


def _around(region: Region, damaged: set[Region]) -> str:
    healthy = [r for r in SURROUNDING_REGIONS[region] if r not in damaged]
    return f" (for example the {_names(healthy)})" if healthy else ""


def _deconditioning(facts: ClientFacts) -> Iterator[Advisory]:
    resisted = {r for item in facts.items if item.is_resistance for r in item.regions}
    seen: set[Region] = set()
    for finding in _open(facts):
        if finding.cause is not Cause.DECONDITIONING or finding.region in seen:
            continue
        seen.add(finding.region)
        if finding.region in resisted:
            continue
        where = _where(finding.region, finding.side)
        programme = (
            "the active programme has no resistance exercise for it"
            if facts.has_active_programme
            else "there is no active home exercise programme"
        )
        yield Advisory(
            code=DECONDITIONING_WITHOUT_RESISTANCE,
            about=f"region:{finding.region.value}",
            title=TITLES[DECONDITIONING_WITHOUT_RESISTANCE],
            reason=f"The {where} weakness comes from disuse, and {programme}.",
            suggestion=(
                f"Consider progressive resistance exercise with weights or bands for the "
                f"{finding.region.label.lower()}, combined with cardio work that also gives "
                "energy back."
            ),
            regions=(finding.region,),
        )


def _foot_drop(facts: ClientFacts) -> Iterator[Advisory]:
    ankles = [f for f in _open(facts) if f.region is Region.ANKLE_FOOT]
    if not ankles or any(d.kind in FOOT_DROP_DEVICES for d in facts.devices):
        return
    sides = {f.side for f in ankles}
    side = sides.pop() if len(sides) == 1 else Side.BOTH
    yield Advisory(
        code=FOOT_DROP_ORTHOSIS,
        about="region:ankle_foot",
        title=TITLES[FOOT_DROP_ORTHOSIS],
        reason=(
            f"Weakness of the {_where(Region.ANKLE_FOOT, side)} is recorded and no ankle-foot "
            "orthosis or foot-drop stimulator has been trialled."
        ),
        suggestion=(
            "Assess for an ankle-foot orthosis (or an FES foot-drop stimulator) so the front "
            "of the foot does not drag and catch."
        ),
        regions=(Region.ANKLE_FOOT,),
    )


def _falls(facts: ClientFacts, today: date) -> Iterator[Advisory]:
    if not facts.falls:
        return
    latest = max(facts.falls, key=lambda f: f.fell_on)
    year = sum(1 for f in facts.falls if f.fell_on > today - timedelta(days=365))
    count = len(facts.falls)
    held = sorted({d.kind.label.lower() for d in facts.devices if d.status in DEVICE_HELD})
    devices = f" Devices held: {', '.join(held)}." if held else " No walking aid is held."
    yield Advisory(
        code=FALL_REVIEW,
        about=f"fall:{latest.id}",
        title=TITLES[FALL_REVIEW],
        reason=(
            f"{count} fall{'s' if count != 1 else ''} recorded, the latest on "
            f"{latest.fell_on.isoformat()}; {year} in the past 12 months. A fall in the past "
            f"year predicts more.{devices}"
        ),
        suggestion=(
            "Review walking aids and home safety: clear wires and small objects, and walk "
            "where sturdy furniture or walls give support."
        ),
    )


def _fatigue(facts: ClientFacts) -> Iterator[Advisory]:
    tired = [f for f in _open(facts) if f.fatigue_linked]
    if not tired:
        return
    regions = tuple(dict.fromkeys(f.region for f in tired))
    cardio = sum(
        1 for i in facts.items if i.category in (ExerciseCategory.CARDIO, ExerciseCategory.AQUATIC)
    )
    strength = sum(1 for i in facts.items if i.is_resistance)
    if facts.has_active_programme:
        busiest = max((i.days_per_week for i in facts.items), default=0)
        programme = (
            f" The active programme has {cardio} cardio and {strength} strength exercise(s) "
            f"among {len(facts.items)}, on up to {busiest} days a week."
        )
    else:
        programme = " There is no active home exercise programme."
    yield Advisory(
        code=FATIGUE_PACING,
        about="fatigue",
        title=TITLES[FATIGUE_PACING],
        reason=f"Weakness of the {_names(regions)} is recorded as linked to fatigue.{programme}",
        suggestion=(
            "Give pacing and energy-conservation advice, and check the programme mixes cardio "
            "and strength without exhausting."
        ),
        regions=regions,
    )


def _relapse(facts: ClientFacts) -> Iterator[Advisory]:
    relapse = [f for f in _open(facts) if f.during_relapse]
    if not relapse:
        return
    newest = max(relapse, key=lambda f: (f.onset_on or date.min, str(f.id)))
    regions = tuple(dict.fromkeys(f.region for f in relapse))
    yield Advisory(
        code=RELAPSE_INTENSITY,
        about=f"finding:{newest.id}",
        title=TITLES[RELAPSE_INTENSITY],
        reason=f"Weakness of the {_names(regions)} was recorded during a relapse.",
        suggestion=(
            "Review the programme's intensity while the relapse settles, and keep the weak "
            "muscles in gentle regular use."
        ),
        regions=regions,
    )


def _arms(facts: ClientFacts) -> Iterator[Advisory]:
    arms = tuple(dict.fromkeys(f.region for f in _open(facts) if f.region in ARM_REGIONS))
    if not arms:
        return
    aids = sorted(
        {
            d.kind.label.lower()
            for d in facts.devices
            if d.kind in DAILY_LIVING_AIDS and d.status in DEVICE_HELD
        }
    )
    held = f" Daily-living aids held: {', '.join(aids)}." if aids else ""
    yield Advisory(
        code=ARM_HAND_OT,
        about="arms",
        title=TITLES[ARM_HAND_OT],
        reason=f"Weakness of the {_names(arms)} is recorded.{held}",
        suggestion=(
            "Consider occupational therapy: arm and hand exercises, daily-living aids (jar "
            "openers, grips, reachers) and new ways of doing tasks at home and at work."
        ),
        regions=arms,
    )


def _trials(facts: ClientFacts, today: date) -> Iterator[Advisory]:
    for trial in facts.trials:
        if trial.outcome is None and trial.review_on < today:
            late = (today - trial.review_on).days
            yield Advisory(
                code=TRIAL_REVIEW_OVERDUE,
                about=f"trial:{trial.id}",
                title=TITLES[TRIAL_REVIEW_OVERDUE],
                reason=(
                    f"The trial \u201c{trial.what}\u201d was due for review on "
                    f"{trial.review_on.isoformat()}, {late} day{'s' if late != 1 else ''} ago."
                ),
                suggestion=(
                    "Review it: record the outcome, then decide to continue, adjust, stop or "
                    "try something else."
                ),
            )
        elif trial.outcome in UNHELPFUL_OUTCOMES and trial.decision is None:
            assert trial.outcome is not None and trial.reviewed_on is not None
            yield Advisory(
                code=TRIAL_NEEDS_DECISION,
                about=f"trial:{trial.id}",
                title=TITLES[TRIAL_NEEDS_DECISION],
                reason=(
                    f"The trial \u201c{trial.what}\u201d was reviewed on "
                    f"{trial.reviewed_on.isoformat()} as \u201c{trial.outcome.label.lower()}\u201d "
                    "and no decision is recorded."
                ),
                suggestion=(
                    "Decide the next step: adjust, stop, or try something else; go back to the "
                    "doctor if it is not working."
                ),
            )
