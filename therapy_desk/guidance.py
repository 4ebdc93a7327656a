"""Clinical advisories: pure functions over a plain snapshot of a client's record.

Each advisory has a stable code, says what it is about, gives its reason in plain
words and a suggestion. The program never decides: a therapist reads, acts or
dismisses (see services/advisories.py). The rules follow docs/clinical.md.

Each rule decides when it raises an advisory and leaves the wording to a function
beside it, so a whole caseload's advisories can be counted without wording them all
(`advisory_keys`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache, partial
from typing import NamedTuple

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
    Labelled,
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

#: Each code's place in TITLES: the order advisories are shown in.
_RANK = {code: rank for rank, code in enumerate(TITLES)}

#: Weakness in a trial outcome that calls for a decision.
UNHELPFUL_OUTCOMES = frozenset(
    {TrialOutcome.NO_CHANGE, TrialOutcome.WORSE, TrialOutcome.NOT_TOLERATED}
)


@dataclass(frozen=True, slots=True)
class FindingFact:
    id: uuid.UUID
    region: Region
    side: Side
    cause: Cause
    fatigue_linked: bool = False
    during_relapse: bool = False
    onset_on: date | None = None
    resolved: bool = False


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class DeviceFact:
    kind: DeviceKind
    status: DeviceStatus


@dataclass(frozen=True, slots=True)
class TrialFact:
    id: uuid.UUID
    what: str
    review_on: date
    outcome: TrialOutcome | None = None
    reviewed_on: date | None = None
    decision: TrialDecision | None = None


@dataclass(frozen=True, slots=True)
class FallFact:
    id: uuid.UUID
    fell_on: date


@dataclass(frozen=True, slots=True)
class ClientFacts:
    """Exactly what the rules read about one client."""

    findings: tuple[FindingFact, ...] = ()
    items: tuple[ItemFact, ...] = ()
    has_active_programme: bool = False
    devices: tuple[DeviceFact, ...] = ()
    trials: tuple[TrialFact, ...] = ()
    falls: tuple[FallFact, ...] = ()


@dataclass(frozen=True, slots=True)
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
    return [Advisory(r.code, r.about, TITLES[r.code], *r.words()) for r in _raised(facts, today)]


def advisory_keys(facts: ClientFacts, *, today: date) -> list[tuple[str, str]]:
    """The key of each advisory `advise` gives, in the same order, without wording them.

    Enough to count a client's open advisories, at a fraction of the cost of `advise`. Of
    the items it reads only the resistance work, so a caller may leave the others out.
    """
    return [(r.code, r.about) for r in _raised(facts, today)]


#: An advisory's wording: its reason, its suggestion and the regions it concerns.
_Words = tuple[str, str, tuple[Region, ...]]


class _Raised(NamedTuple):
    """An advisory a rule raises, before it is worded (its words are worked out on call)."""

    code: str
    about: str
    words: Callable[[], _Words]


def _raised(facts: ClientFacts, today: date) -> list[_Raised]:
    findings = [f for f in facts.findings if not f.resolved]
    raised = [
        *_resistance_on_nerve_damage(facts, findings),
        *_trials(facts, today),
        *_falls(facts, today),
        *_relapse(findings),
        *_foot_drop(facts, findings),
        *_deconditioning(facts, findings),
        *_fatigue(facts, findings),
        *_arms(facts, findings),
    ]
    # Each code comes from one rule, so a stable sort by code keeps each rule's own order.
    if len(raised) > 1:
        raised.sort(key=lambda r: _RANK[r.code])
    return raised


@lru_cache(maxsize=None, typed=True)
def _word(term: Labelled) -> str:
    """A term as it reads mid-sentence ("wrist and hand"), worked out once per term."""
    return term.label.lower()


def _sides_meet(a: Side, b: Side) -> bool:
    return a is b or Side.BOTH in (a, b) or Side.NONE in (a, b)


def _where(region: Region, side: Side) -> str:
    where = _word(region)
    return where if side in (Side.NONE, Side.BOTH) else f"{_word(side)} {where}"


def _names(regions: Iterable[Region]) -> str:
    words = [_word(r) for r in regions]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _resistance_on_nerve_damage(
    facts: ClientFacts, findings: list[FindingFact]
) -> Iterator[_Raised]:
    nerve = [f for f in findings if f.cause is Cause.NERVE_DAMAGE]
    if not nerve:
        return
    raised: set[str] = set()
    for item in facts.items:
        if not item.is_resistance:
            continue
        for finding in nerve:
            if finding.region not in item.regions or not _sides_meet(item.side, finding.side):
                continue
            about = f"exercise:{item.exercise_code}|region:{finding.region.value}"
            if about not in raised:
                raised.add(about)
                words = partial(_resistance_words, item, finding, nerve)
                yield _Raised(RESISTANCE_ON_NERVE_DAMAGE, about, words)


def _resistance_words(item: ItemFact, finding: FindingFact, nerve: list[FindingFact]) -> _Words:
    around = _around(finding.region, {f.region for f in nerve})
    load = f"with {item.load}" if item.load else "as resistance work"
    reason = (
        f"{item.exercise_name} loads the {_where(finding.region, finding.side)} "
        f"{load}, and the weakness there is recorded as nerve damage. "
        "Weight training a muscle that is not getting its signal may increase "
        "weakness and fatigue."
    )
    suggestion = (
        f"Keep the {_word(finding.region)} in regular use and strengthen "
        f"the surrounding muscles whose nerves still work instead{around}."
    )
    return reason, suggestion, (finding.region,)


def _around(region: Region, damaged: set[Region]) -> str:
    healthy = [r for r in SURROUNDING_REGIONS[region] if r not in damaged]
    return f" (for example the {_names(healthy)})" if healthy else ""


def _deconditioning(facts: ClientFacts, findings: list[FindingFact]) -> Iterator[_Raised]:
    disuse = [f for f in findings if f.cause is Cause.DECONDITIONING]
    if not disuse:
        return
    resisted = {r for item in facts.items if item.is_resistance for r in item.regions}
    seen: set[Region] = set()
    for finding in disuse:
        if finding.region in seen:
            continue
        seen.add(finding.region)
        if finding.region in resisted:
            continue
        words = partial(_deconditioning_words, facts, finding)
        yield _Raised(DECONDITIONING_WITHOUT_RESISTANCE, f"region:{finding.region.value}", words)


def _deconditioning_words(facts: ClientFacts, finding: FindingFact) -> _Words:
    where = _where(finding.region, finding.side)
    programme = (
        "the active programme has no resistance exercise for it"
        if facts.has_active_programme
        else "there is no active home exercise programme"
    )
    reason = f"The {where} weakness comes from disuse, and {programme}."
    suggestion = (
        f"Consider progressive resistance exercise with weights or bands for the "
        f"{_word(finding.region)}, combined with cardio work that also gives "
        "energy back."
    )
    return reason, suggestion, (finding.region,)


def _foot_drop(facts: ClientFacts, findings: list[FindingFact]) -> Iterator[_Raised]:
    ankles = [f for f in findings if f.region is Region.ANKLE_FOOT]
    if not ankles or any(d.kind in FOOT_DROP_DEVICES for d in facts.devices):
        return
    yield _Raised(FOOT_DROP_ORTHOSIS, "region:ankle_foot", partial(_foot_drop_words, ankles))


def _foot_drop_words(ankles: list[FindingFact]) -> _Words:
    sides = {f.side for f in ankles}
    side = sides.pop() if len(sides) == 1 else Side.BOTH
    reason = (
        f"Weakness of the {_where(Region.ANKLE_FOOT, side)} is recorded and no ankle-foot "
        "orthosis or foot-drop stimulator has been trialled."
    )
    suggestion = (
        "Assess for an ankle-foot orthosis (or an FES foot-drop stimulator) so the front "
        "of the foot does not drag and catch."
    )
    return reason, suggestion, (Region.ANKLE_FOOT,)


def _falls(facts: ClientFacts, today: date) -> Iterator[_Raised]:
    if not facts.falls:
        return
    latest = max(facts.falls, key=lambda f: f.fell_on)
    yield _Raised(FALL_REVIEW, f"fall:{latest.id}", partial(_falls_words, facts, today, latest))


def _falls_words(facts: ClientFacts, today: date, latest: FallFact) -> _Words:
    year = sum(1 for f in facts.falls if f.fell_on > today - timedelta(days=365))
    count = len(facts.falls)
    held = sorted({_word(d.kind) for d in facts.devices if d.status in DEVICE_HELD})
    devices = f" Devices held: {', '.join(held)}." if held else " No walking aid is held."
    reason = (
        f"{count} fall{'s' if count != 1 else ''} recorded, the latest on "
        f"{latest.fell_on.isoformat()}; {year} in the past 12 months. A fall in the past "
        f"year predicts more.{devices}"
    )
    suggestion = (
        "Review walking aids and home safety: clear wires and small objects, and walk "
        "where sturdy furniture or walls give support."
    )
    return reason, suggestion, ()


def _fatigue(facts: ClientFacts, findings: list[FindingFact]) -> Iterator[_Raised]:
    tired = [f for f in findings if f.fatigue_linked]
    if tired:
        yield _Raised(FATIGUE_PACING, "fatigue", partial(_fatigue_words, facts, tired))


def _fatigue_words(facts: ClientFacts, tired: list[FindingFact]) -> _Words:
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
    reason = f"Weakness of the {_names(regions)} is recorded as linked to fatigue.{programme}"
    suggestion = (
        "Give pacing and energy-conservation advice, and check the programme mixes cardio "
        "and strength without exhausting."
    )
    return reason, suggestion, regions


def _relapse(findings: list[FindingFact]) -> Iterator[_Raised]:
    relapse = [f for f in findings if f.during_relapse]
    if not relapse:
        return
    newest = max(relapse, key=lambda f: (f.onset_on or date.min, str(f.id)))
    yield _Raised(RELAPSE_INTENSITY, f"finding:{newest.id}", partial(_relapse_words, relapse))


def _relapse_words(relapse: list[FindingFact]) -> _Words:
    regions = tuple(dict.fromkeys(f.region for f in relapse))
    reason = f"Weakness of the {_names(regions)} was recorded during a relapse."
    suggestion = (
        "Review the programme's intensity while the relapse settles, and keep the weak "
        "muscles in gentle regular use."
    )
    return reason, suggestion, regions


def _arms(facts: ClientFacts, findings: list[FindingFact]) -> Iterator[_Raised]:
    arms = [f.region for f in findings if f.region in ARM_REGIONS]
    if arms:
        yield _Raised(ARM_HAND_OT, "arms", partial(_arms_words, facts, arms))


def _arms_words(facts: ClientFacts, arms: list[Region]) -> _Words:
    regions = tuple(dict.fromkeys(arms))
    aids = sorted(
        {
            _word(d.kind)
            for d in facts.devices
            if d.kind in DAILY_LIVING_AIDS and d.status in DEVICE_HELD
        }
    )
    held = f" Daily-living aids held: {', '.join(aids)}." if aids else ""
    reason = f"Weakness of the {_names(regions)} is recorded.{held}"
    suggestion = (
        "Consider occupational therapy: arm and hand exercises, daily-living aids (jar "
        "openers, grips, reachers) and new ways of doing tasks at home and at work."
    )
    return reason, suggestion, regions


def _trials(facts: ClientFacts, today: date) -> Iterator[_Raised]:
    for trial in facts.trials:
        if trial.outcome is None and trial.review_on < today:
            words = partial(_overdue_words, trial, today)
            yield _Raised(TRIAL_REVIEW_OVERDUE, f"trial:{trial.id}", words)
        elif trial.outcome in UNHELPFUL_OUTCOMES and trial.decision is None:
            words = partial(_undecided_words, trial)
            yield _Raised(TRIAL_NEEDS_DECISION, f"trial:{trial.id}", words)


def _overdue_words(trial: TrialFact, today: date) -> _Words:
    late = (today - trial.review_on).days
    reason = (
        f"The trial \u201c{trial.what}\u201d was due for review on "
        f"{trial.review_on.isoformat()}, {late} day{'s' if late != 1 else ''} ago."
    )
    suggestion = (
        "Review it: record the outcome, then decide to continue, adjust, stop or "
        "try something else."
    )
    return reason, suggestion, ()


def _undecided_words(trial: TrialFact) -> _Words:
    assert trial.outcome is not None and trial.reviewed_on is not None
    reason = (
        f"The trial \u201c{trial.what}\u201d was reviewed on "
        f"{trial.reviewed_on.isoformat()} as \u201c{_word(trial.outcome)}\u201d "
        "and no decision is recorded."
    )
    suggestion = (
        "Decide the next step: adjust, stop, or try something else; go back to the "
        "doctor if it is not working."
    )
    return reason, suggestion, ()
