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
    LEG_REGIONS,
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
from therapy_desk.library.catalogue import MeasureSpec, measures
from therapy_desk.words import count, day, listing, mid_sentence

RESISTANCE_ON_NERVE_DAMAGE = "resistance-on-nerve-damage"
DECONDITIONING_WITHOUT_RESISTANCE = "deconditioning-without-resistance"
FOOT_DROP_ORTHOSIS = "foot-drop-orthosis"
FALL_REVIEW = "fall-review"
FATIGUE_PACING = "fatigue-pacing"
RELAPSE_INTENSITY = "relapse-intensity"
ARM_HAND_OT = "arm-hand-occupational-therapy"
TRIAL_REVIEW_OVERDUE = "trial-review-overdue"
TRIAL_NEEDS_DECISION = "trial-needs-decision"
OT_GETTING_AROUND = "occupational-therapy-getting-around"
PROGRESSION_DUE = "progression-due"
DEVICE_REVIEW_OVERDUE = "device-review-overdue"
FALL_RISK_WITHOUT_FALL = "fall-risk-without-fall"
SOURCE_NOT_ESTABLISHED = "source-not-established"
MEASURE_WORSE = "measure-worse"
SPASTICITY_NO_STRETCH = "spasticity-without-stretch"
HEAT_SENSITIVITY = "heat-sensitivity"

#: Every advisory code with its one-line title, in the order they are shown.
TITLES: dict[str, str] = {
    RESISTANCE_ON_NERVE_DAMAGE: "Resistance exercise on a nerve-damage weakness",
    TRIAL_NEEDS_DECISION: "Trial reviewed, next step not decided",
    TRIAL_REVIEW_OVERDUE: "Trial past its review date",
    FALL_REVIEW: "Fall recorded: review devices and home safety",
    FALL_RISK_WITHOUT_FALL: "At risk of falling: no walking aid and no fall recorded",
    MEASURE_WORSE: "Measure worse: re-assess",
    SOURCE_NOT_ESTABLISHED: "Cause of weakness not yet established",
    RELAPSE_INTENSITY: "Weakness during a relapse: review programme intensity",
    FOOT_DROP_ORTHOSIS: "Ankle weakness: assess for an ankle-foot orthosis",
    DECONDITIONING_WITHOUT_RESISTANCE: "Disuse weakness without resistance work",
    FATIGUE_PACING: "Weakness linked to fatigue: pacing advice",
    PROGRESSION_DUE: "Disuse weakness: resistance not progressed for 8 weeks",
    DEVICE_REVIEW_OVERDUE: "Device past its review date",
    SPASTICITY_NO_STRETCH: "Spasticity without a stretch in the programme",
    HEAT_SENSITIVITY: "Heat sensitive: cooling advice for cardio and pool work",
    ARM_HAND_OT: "Arm or hand weakness: occupational therapy",
    OT_GETTING_AROUND: "Leg or trunk weakness: occupational therapy for getting around",
}

#: How long a relapse finding calls for lighter work when it is not marked over (12 weeks).
RELAPSE_WINDOW = timedelta(weeks=12)
#: Falls this recent count for the fall review and rule out "at risk without a fall".
FALL_YEAR = timedelta(days=365)
#: How long a disuse weakness's resistance dose may stay the same before progression is due.
PROGRESSION_AFTER = timedelta(weeks=8)
#: How long a weakness's cause may stay "not yet known" before it is raised (seed 003).
SOURCE_WITHIN = timedelta(weeks=6)
#: The measure code of the Modified Ashworth Scale, and the grade from which it is raised.
ASHWORTH = "mas"
ASHWORTH_FROM = "1+"
#: Causes for which ankle weakness is assessed for an orthosis without a foot-drop flag.
ORTHOSIS_CAUSES = frozenset({Cause.NERVE_DAMAGE, Cause.MIXED, Cause.UNKNOWN})
#: Devices that steady walking: with one held, a fall-risk result is being answered.
WALKING_AIDS = frozenset(
    {
        DeviceKind.CANE,
        DeviceKind.QUAD_CANE,
        DeviceKind.FOREARM_CRUTCH,
        DeviceKind.WALKING_FRAME,
        DeviceKind.ROLLATOR,
        DeviceKind.MANUAL_WHEELCHAIR,
        DeviceKind.POWERED_WHEELCHAIR,
        DeviceKind.MOBILITY_SCOOTER,
    }
)
#: Devices worn against the skin, whose review includes a skin and fit check.
ORTHOSES_AND_SPLINTS = frozenset(
    {
        DeviceKind.ANKLE_FOOT_ORTHOSIS,
        DeviceKind.KNEE_BRACE,
        DeviceKind.WRIST_HAND_SPLINT,
        DeviceKind.HIP_FLEXION_ASSIST,
    }
)
#: Exercise categories that warm the body: heat-sensitive clients need cooling advice.
WARMING = frozenset({ExerciseCategory.CARDIO, ExerciseCategory.AQUATIC})
#: Item categories some rule keys on (the rest are read only for wording).
KEYED_CATEGORIES = frozenset({ExerciseCategory.RESISTANCE, ExerciseCategory.FLEXIBILITY, *WARMING})

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
    #: The therapist's flag that the foot drops and catches when walking.
    foot_drop: bool = False
    #: When a relapse finding's relapse was marked over.
    relapse_over_on: date | None = None
    #: When the finding was recorded (stands in for an unknown onset).
    recorded_on: date | None = None

    @property
    def since(self) -> date | None:
        """The onset, or when recorded when the onset is not known."""
        return self.onset_on or self.recorded_on


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
    #: Since when the programme has held this exercise at this dose and load.
    unchanged_since: date | None = None

    @property
    def is_resistance(self) -> bool:
        return self.category is ExerciseCategory.RESISTANCE or self.loaded

    @property
    def is_keyed(self) -> bool:
        """Whether any rule decides on this item (see `advisory_keys`)."""
        return self.is_resistance or self.category in KEYED_CATEGORIES


@dataclass(frozen=True, slots=True)
class DeviceFact:
    kind: DeviceKind
    status: DeviceStatus
    review_on: date | None = None
    id: uuid.UUID | None = None


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
class MeasureFact:
    """One recorded outcome-measure result."""

    id: uuid.UUID
    code: str
    value: float
    measured_on: date
    side: Side = Side.NONE
    region: Region | None = None


@dataclass(frozen=True, slots=True)
class ClientFacts:
    """Exactly what the rules read about one client."""

    findings: tuple[FindingFact, ...] = ()
    items: tuple[ItemFact, ...] = ()
    has_active_programme: bool = False
    devices: tuple[DeviceFact, ...] = ()
    trials: tuple[TrialFact, ...] = ()
    falls: tuple[FallFact, ...] = ()
    measurements: tuple[MeasureFact, ...] = ()
    heat_sensitive: bool = False
    #: An occupational therapist already works with the client.
    ot_involved: bool = False


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


def advise(facts: ClientFacts, *, today: date, off: frozenset[str] = frozenset()) -> list[Advisory]:
    """Every advisory the record raises today, most pressing first; rules in `off` are skipped."""
    return [
        Advisory(r.code, r.about, TITLES[r.code], *r.words()) for r in _raised(facts, today, off)
    ]


def advisory_keys(
    facts: ClientFacts, *, today: date, off: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """The key of each advisory `advise` gives, in the same order, without wording them.

    Enough to count a client's open advisories, at a fraction of the cost of `advise`. Of
    the items it reads only the keyed ones (`ItemFact.is_keyed`), so a caller may leave
    the others out.
    """
    return [(r.code, r.about) for r in _raised(facts, today, off)]


#: An advisory's wording: its reason, its suggestion and the regions it concerns.
_Words = tuple[str, str, tuple[Region, ...]]


class _Raised(NamedTuple):
    """An advisory a rule raises, before it is worded (its words are worked out on call)."""

    code: str
    about: str
    words: Callable[[], _Words]


def _raised(facts: ClientFacts, today: date, off: frozenset[str] = frozenset()) -> list[_Raised]:
    findings = [f for f in facts.findings if not f.resolved]
    raised = [
        *_resistance_on_nerve_damage(facts, findings),
        *_trials(facts, today),
        *_falls(facts, today),
        *_fall_risk(facts, today),
        *_measure_worse(facts),
        *_source(findings, today),
        *_relapse(findings, today),
        *_foot_drop(facts, findings),
        *_deconditioning(facts, findings),
        *_progression(facts, findings, today),
        *_fatigue(facts, findings),
        *_device_reviews(facts, today),
        *_spasticity(facts),
        *_heat(facts),
        *_occupational_therapy(facts, findings),
    ]
    if off:
        raised = [r for r in raised if r.code not in off]
    # Each code comes from one rule, so a stable sort by code keeps each rule's own order.
    if len(raised) > 1:
        raised.sort(key=lambda r: _RANK[r.code])
    return raised


@lru_cache(maxsize=None, typed=True)
def _word(term: Labelled) -> str:
    """A term as it reads mid-sentence ("wrist and hand", "ankle-foot orthosis (AFO)"),
    worked out once per term."""
    return mid_sentence(term.label)


def _sides_meet(a: Side, b: Side) -> bool:
    return a is b or Side.BOTH in (a, b) or Side.NONE in (a, b)


def _where(region: Region, side: Side) -> str:
    where = _word(region)
    return where if side in (Side.NONE, Side.BOTH) else f"{_word(side)} {where}"


def _names(regions: Iterable[Region]) -> str:
    return listing([_word(r) for r in regions])


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
    if finding.region is Region.ANKLE_FOOT:
        suggestion += (
            " Strengthen the ankle first; assess for an ankle-foot orthosis if the foot "
            "still drops or catches."
        )
    return reason, suggestion, (finding.region,)


def _foot_drop(facts: ClientFacts, findings: list[FindingFact]) -> Iterator[_Raised]:
    # Disuse weakness of the ankle is strengthened first (see _deconditioning_words).
    ankles = [
        f
        for f in findings
        if f.region is Region.ANKLE_FOOT and (f.foot_drop or f.cause in ORTHOSIS_CAUSES)
    ]
    if not ankles or any(d.kind in FOOT_DROP_DEVICES for d in facts.devices):
        return
    yield _Raised(FOOT_DROP_ORTHOSIS, "region:ankle_foot", partial(_foot_drop_words, ankles))


def _foot_drop_words(ankles: list[FindingFact]) -> _Words:
    sides = {f.side for f in ankles}
    side = sides.pop() if len(sides) == 1 else Side.BOTH
    causes = sorted({_word(f.cause) for f in ankles})
    flagged = (
        " The foot is recorded as dropping when walking."
        if any(f.foot_drop for f in ankles)
        else ""
    )
    reason = (
        f"Weakness of the {_where(Region.ANKLE_FOOT, side)} is recorded (cause: "
        f"{', '.join(causes)}) and no ankle-foot orthosis or foot-drop stimulator has "
        f"been trialled.{flagged}"
    )
    suggestion = (
        "Assess for an ankle-foot orthosis (or an FES foot-drop stimulator) so the front "
        "of the foot does not drag and catch."
    )
    return reason, suggestion, (Region.ANKLE_FOOT,)


def _recent_falls(facts: ClientFacts, today: date) -> list[FallFact]:
    return [f for f in facts.falls if today - FALL_YEAR < f.fell_on <= today]


def _falls(facts: ClientFacts, today: date) -> Iterator[_Raised]:
    recent = _recent_falls(facts, today)
    if not recent:
        return
    latest = max(recent, key=lambda f: (f.fell_on, str(f.id)))
    yield _Raised(FALL_REVIEW, f"fall:{latest.id}", partial(_falls_words, facts, today, latest))


def _falls_words(facts: ClientFacts, today: date, latest: FallFact) -> _Words:
    year = len(_recent_falls(facts, today))
    held = sorted({_word(d.kind) for d in facts.devices if d.status in DEVICE_HELD})
    devices = f" Devices held: {', '.join(held)}." if held else " No walking aid is held."
    reason = (
        f"{count(len(facts.falls), 'fall')} recorded, the latest on "
        f"{day(latest.fell_on)}; {year} in the past 12 months. A fall in the past "
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
        programme = f" The active programme has {_mix(cardio, strength, len(facts.items))}"
        programme += f", on up to {count(busiest, 'day')} a week." if busiest else "."
    else:
        programme = " There is no active home exercise programme."
    reason = f"Weakness of the {_names(regions)} is recorded as linked to fatigue.{programme}"
    suggestion = (
        "Give pacing and energy-conservation advice, and check the programme mixes cardio "
        "and strength without exhausting."
    )
    return reason, suggestion, regions


def _mix(cardio: int, strength: int, total: int) -> str:
    """ "2 strength exercises", "1 cardio and 2 strength exercises among 5": zero parts
    are left out."""
    if cardio and strength:
        mix = f"{cardio} cardio and {count(strength, 'strength exercise')}"
    elif cardio or strength:
        mix = count(cardio, "cardio exercise") if cardio else count(strength, "strength exercise")
    elif total:
        return f"no cardio or strength exercise among its {count(total, 'exercise')}"
    else:
        return "no exercises"
    return f"{mix} among {total}" if total > cardio + strength else mix


def _in_relapse(finding: FindingFact, today: date) -> bool:
    if not finding.during_relapse:
        return False
    if finding.relapse_over_on is not None and finding.relapse_over_on <= today:
        return False
    since = finding.since
    return since is None or today < since + RELAPSE_WINDOW


def _relapse(findings: list[FindingFact], today: date) -> Iterator[_Raised]:
    relapse = [f for f in findings if _in_relapse(f, today)]
    if not relapse:
        return
    newest = max(relapse, key=lambda f: (f.onset_on or date.min, str(f.id)))
    yield _Raised(RELAPSE_INTENSITY, f"finding:{newest.id}", partial(_relapse_words, relapse))


def _relapse_words(relapse: list[FindingFact]) -> _Words:
    regions = tuple(dict.fromkeys(f.region for f in relapse))
    onsets = sorted({f.since for f in relapse if f.since is not None})
    since = f", from {day(onsets[-1])}" if onsets else ""
    reason = (
        f"Weakness of the {_names(regions)} was recorded during a relapse{since}, not yet "
        "marked over and within 12 weeks of its onset."
    )
    suggestion = (
        "Review the programme's intensity while the relapse settles, and keep the weak "
        "muscles in gentle regular use."
    )
    return reason, suggestion, regions


def _occupational_therapy(facts: ClientFacts, findings: list[FindingFact]) -> Iterator[_Raised]:
    if facts.ot_involved:
        return
    arms = [f.region for f in findings if f.region in ARM_REGIONS]
    moving = [f.region for f in findings if f.region in LEG_REGIONS or f.region is Region.TRUNK]
    if arms:
        yield _Raised(ARM_HAND_OT, "arms", partial(_arms_words, facts, arms, moving))
    elif moving:
        yield _Raised(OT_GETTING_AROUND, "getting-around", partial(_moving_words, moving))


def _arms_words(facts: ClientFacts, arms: list[Region], moving: list[Region]) -> _Words:
    regions = tuple(dict.fromkeys(arms))
    aids = sorted(
        {
            _word(d.kind)
            for d in facts.devices
            if d.kind in DAILY_LIVING_AIDS and d.status in DEVICE_HELD
        }
    )
    held = f" Daily-living aids held: {', '.join(aids)}." if aids else ""
    legs = tuple(dict.fromkeys(moving))
    also = f" Weakness of the {_names(legs)} is also open." if legs else ""
    reason = (
        f"Weakness of the {_names(regions)} is recorded.{held}{also} No occupational "
        "therapist is recorded as involved."
    )
    suggestion = (
        "Consider occupational therapy: arm and hand exercises, daily-living aids (jar "
        "openers, grips, reachers) and new ways of doing tasks at home and at work."
    )
    if legs:
        suggestion += " Include getting around safely at home and at work."
    return reason, suggestion, regions + legs


def _moving_words(moving: list[Region]) -> _Words:
    regions = tuple(dict.fromkeys(moving))
    reason = (
        f"Weakness of the {_names(regions)} is recorded and no occupational therapist is "
        "recorded as involved."
    )
    suggestion = (
        "Consider occupational therapy for getting around at home and at work: moving "
        "between rooms, transfers, the bathroom and the workplace, and aids that keep "
        "the client independent."
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
        f"{day(trial.review_on)}, {count(late, 'day')} ago."
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
        f"{day(trial.reviewed_on)} as \u201c{_word(trial.outcome)}\u201d "
        "and no decision is recorded."
    )
    suggestion = (
        "Decide the next step: adjust, stop, or try something else; go back to the "
        "doctor if it is not working."
    )
    return reason, suggestion, ()


def _spec(code: str) -> MeasureSpec | None:
    return measures().get(code)


def _series(facts: ClientFacts) -> dict[tuple[str, Side, Region | None], list[MeasureFact]]:
    """Each measure's results per side and region, oldest first."""
    series: dict[tuple[str, Side, Region | None], list[MeasureFact]] = {}
    for m in facts.measurements:
        series.setdefault((m.code, m.side, m.region), []).append(m)
    for results in series.values():
        results.sort(key=lambda m: (m.measured_on, str(m.id)))
    return series


def _result(spec: MeasureSpec, m: MeasureFact) -> str:
    return f"{spec.format_value(m.value)} on {day(m.measured_on)}"


def _fall_risk(facts: ClientFacts, today: date) -> Iterator[_Raised]:
    if _recent_falls(facts, today):
        return
    if any(d.kind in WALKING_AIDS and d.status in DEVICE_HELD for d in facts.devices):
        return
    risky: list[tuple[MeasureSpec, MeasureFact]] = []
    for (code, _side, _region), results in _series(facts).items():
        spec = _spec(code)
        if spec is not None and spec.fall_risk_at is not None:
            latest = results[-1]
            if spec.at_fall_risk(latest.value):
                risky.append((spec, latest))
    if risky:
        risky.sort(key=lambda r: (r[1].measured_on, str(r[1].id)))
        about = f"measurement:{risky[-1][1].id}"
        yield _Raised(FALL_RISK_WITHOUT_FALL, about, partial(_fall_risk_words, risky))


def _fall_risk_words(risky: list[tuple[MeasureSpec, MeasureFact]]) -> _Words:
    results = "; ".join(
        f"{spec.short_name} {_result(spec, m)} (fall-risk cut-off "
        f"{spec.format_value(spec.fall_risk_at or 0)})"
        for spec, m in risky
    )
    reason = (
        f"The latest result is at or past its fall-risk cut-off: {results}. No walking aid "
        "is held and no fall is recorded in the past 12 months."
    )
    suggestion = (
        "Ask about near-misses and falls not reported, assess for a walking aid, add "
        "balance work to the programme and review home safety."
    )
    return reason, suggestion, ()


def _measure_worse(facts: ClientFacts) -> Iterator[_Raised]:
    for (code, _side, _region), results in _series(facts).items():
        spec = _spec(code)
        if spec is None or len(results) < 2:
            continue
        latest, previous, first = results[-1], results[-2], results[0]
        if spec.is_worse(previous.value, latest.value) or spec.is_worse(first.value, latest.value):
            words = partial(_worse_words, spec, first, previous, latest)
            yield _Raised(MEASURE_WORSE, f"measurement:{latest.id}", words)


def _worse_words(
    spec: MeasureSpec, first: MeasureFact, previous: MeasureFact, latest: MeasureFact
) -> _Words:
    where = ""
    if latest.region is not None:
        where = f" ({_where(latest.region, latest.side)})"
    elif latest.side not in (Side.NONE, Side.BOTH):
        where = f" ({_word(latest.side)} side)"
    compared = []
    if spec.is_worse(previous.value, latest.value):
        compared.append(f"the previous result, {_result(spec, previous)}")
    if first is not previous and spec.is_worse(first.value, latest.value):
        compared.append(f"the first, {_result(spec, first)}")
    reason = (
        f"{spec.name}{where} was {_result(spec, latest)}: worse by more than its "
        f"meaningful change than {' and '.join(compared)}."
    )
    suggestion = (
        "Re-assess: consider a relapse or progression of the MS (and heat, infection or "
        "fatigue on the day), and review the programme."
    )
    regions = (latest.region,) if latest.region is not None else ()
    return reason, suggestion, regions


def _source(findings: list[FindingFact], today: date) -> Iterator[_Raised]:
    for finding in findings:
        since = finding.since
        if finding.cause is Cause.UNKNOWN and since is not None and today - since >= SOURCE_WITHIN:
            words = partial(_source_words, finding, today)
            yield _Raised(SOURCE_NOT_ESTABLISHED, f"finding:{finding.id}", words)


def _source_words(finding: FindingFact, today: date) -> _Words:
    assert finding.since is not None
    weeks = (today - finding.since).days // 7
    reason = (
        f"The cause of the {_where(finding.region, finding.side)} weakness is still \u201cnot "
        f"yet known\u201d, {count(weeks, 'week')} after {day(finding.since)}."
    )
    suggestion = (
        "Establish whether the weakness comes from disuse or nerve damage (or both): it "
        "decides whether resistance exercise helps."
    )
    return reason, suggestion, (finding.region,)


def _progression(facts: ClientFacts, findings: list[FindingFact], today: date) -> Iterator[_Raised]:
    seen: set[Region] = set()
    for finding in findings:
        if finding.cause is not Cause.DECONDITIONING or finding.region in seen:
            continue
        seen.add(finding.region)
        work = [
            i
            for i in facts.items
            if i.is_resistance and finding.region in i.regions and _sides_meet(i.side, finding.side)
        ]
        if work and all(
            i.unchanged_since is not None and today - i.unchanged_since >= PROGRESSION_AFTER
            for i in work
        ):
            words = partial(_progression_words, finding, work, today)
            yield _Raised(PROGRESSION_DUE, f"region:{finding.region.value}", words)


def _progression_words(finding: FindingFact, work: list[ItemFact], today: date) -> _Words:
    held = "; ".join(
        f"{i.exercise_name}{f' with {i.load}' if i.load else ''} unchanged since "
        f"{day(i.unchanged_since)} ({count((today - i.unchanged_since).days // 7, 'week')})"
        for i in work
        if i.unchanged_since is not None
    )
    reason = (
        f"The {_where(finding.region, finding.side)} weakness comes from disuse, and its "
        f"resistance work has kept the same dose and load for 8 weeks or more: {held}."
    )
    suggestion = (
        "Progress the resistance: a heavier weight or band, or more repeats, as the "
        "exercise gets easy (progressive resistive exercise)."
    )
    return reason, suggestion, (finding.region,)


def _device_reviews(facts: ClientFacts, today: date) -> Iterator[_Raised]:
    seen: set[str] = set()
    for device in facts.devices:
        review = device.review_on
        if device.status in DEVICE_HELD and review is not None and review < today:
            about = f"device:{device.id if device.id is not None else device.kind.value}"
            if about not in seen:  # without ids, one advisory per kind of device
                seen.add(about)
                yield _Raised(DEVICE_REVIEW_OVERDUE, about, partial(_device_words, device, today))


def _device_words(device: DeviceFact, today: date) -> _Words:
    assert device.review_on is not None
    late = (today - device.review_on).days
    reason = (
        f"The {_word(device.kind)} ({_word(device.status)}) was due for review on "
        f"{day(device.review_on)}, {count(late, 'day')} ago."
    )
    suggestion = "Review whether it still fits the client's needs and is used safely."
    if device.kind in ORTHOSES_AND_SPLINTS:
        suggestion += (
            " Check the skin for red marks or sores where it presses, and check the fit and straps."
        )
    return reason, suggestion, ()


def _spasticity(facts: ClientFacts) -> Iterator[_Raised]:
    spec = _spec(ASHWORTH)
    if spec is None or ASHWORTH_FROM not in spec.grades:
        return
    from_grade = spec.grades.index(ASHWORTH_FROM)
    stretches = [i for i in facts.items if i.category is ExerciseCategory.FLEXIBILITY]
    for (code, side, region), results in _series(facts).items():
        if code != ASHWORTH or region is None:
            continue
        latest = results[-1]
        if latest.value < from_grade:
            continue
        if any(region in i.regions and _sides_meet(i.side, side) for i in stretches):
            continue
        about = f"region:{region.value}|side:{side.value}"
        yield _Raised(SPASTICITY_NO_STRETCH, about, partial(_spasticity_words, spec, latest))


def _spasticity_words(spec: MeasureSpec, latest: MeasureFact) -> _Words:
    assert latest.region is not None
    where = _where(latest.region, latest.side)
    reason = (
        f"{spec.name} of the {where} was {_result(spec, latest)}, and the programme has no "
        f"stretch for the {_word(latest.region)}."
    )
    suggestion = (
        f"Add a daily stretch for the {_word(latest.region)}, held slowly, and review "
        "positioning; ask about spasms and stiffness at night."
    )
    return reason, suggestion, (latest.region,)


def _heat(facts: ClientFacts) -> Iterator[_Raised]:
    if not facts.heat_sensitive:
        return
    warming = [i for i in facts.items if i.category in WARMING]
    if warming:
        yield _Raised(HEAT_SENSITIVITY, "heat", partial(_heat_words, warming))


def _heat_words(warming: list[ItemFact]) -> _Words:
    names = sorted({i.exercise_name for i in warming})
    reason = (
        "The client is recorded as sensitive to heat, and the programme has cardio or pool "
        f"work that warms the body: {', '.join(names)}."
    )
    suggestion = (
        "Pair these with cooling advice (a cool drink, a fan or cooling vest, the cool "
        "part of the day, a cool pool rather than a warm one) and give the energy "
        "leaflet; weakness brought on by heat passes as the body cools."
    )
    return reason, suggestion, ()
