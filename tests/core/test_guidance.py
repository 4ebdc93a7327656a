"""Each advisory in docs/clinical.md, as a pure function over facts (no database)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from therapy_desk import guidance as g
from therapy_desk.domain.vocabulary import (
    Cause,
    DeviceKind,
    DeviceStatus,
    ExerciseCategory,
    Region,
    Side,
    TrialDecision,
    TrialOutcome,
)
from therapy_desk.library.catalogue import measures

TODAY = date(2026, 11, 21)


def finding(region: Region, cause: Cause, side: Side = Side.LEFT, **more: object) -> g.FindingFact:
    return g.FindingFact(uuid.uuid4(), region, side, cause, **more)  # type: ignore[arg-type]


def item(
    code: str,
    category: ExerciseCategory,
    *regions: Region,
    loaded: bool = False,
    side: Side = Side.BOTH,
) -> g.ItemFact:
    return g.ItemFact(
        code, code.replace("-", " ").capitalize(), category, frozenset(regions), loaded, side, 3
    )


def codes(facts: g.ClientFacts) -> set[str]:
    return {a.code for a in g.advise(facts, today=TODAY)}


def test_weighted_leg_exercise_on_nerve_damage_is_flagged_with_its_reason() -> None:
    facts = g.ClientFacts(
        findings=(finding(Region.KNEE, Cause.NERVE_DAMAGE),),
        items=(
            g.ItemFact(
                "sit-to-stand",
                "Sit to stand",
                ExerciseCategory.FUNCTIONAL,
                frozenset({Region.KNEE}),
                True,
                Side.BOTH,
                3,
                load="a 2 kg weight",
            ),
        ),
        has_active_programme=True,
    )
    (advisory,) = [
        a for a in g.advise(facts, today=TODAY) if a.code == g.RESISTANCE_ON_NERVE_DAMAGE
    ]
    assert advisory.reason.startswith(
        "Sit to stand loads the left thigh and knee with a 2 kg weight"
    )
    assert "nerve damage" in advisory.reason and "increase weakness and fatigue" in advisory.reason
    assert "surrounding muscles" in advisory.suggestion
    assert advisory.regions == (Region.KNEE,)


def test_no_flag_when_sides_differ_or_weakness_is_disuse_or_resolved() -> None:
    weighted = item("knee-weights", ExerciseCategory.RESISTANCE, Region.KNEE, side=Side.RIGHT)
    for f in (
        finding(Region.KNEE, Cause.NERVE_DAMAGE, Side.LEFT),
        finding(Region.KNEE, Cause.DECONDITIONING, Side.RIGHT),
        finding(Region.KNEE, Cause.NERVE_DAMAGE, Side.RIGHT, resolved=True),
    ):
        facts = g.ClientFacts(findings=(f,), items=(weighted,), has_active_programme=True)
        assert g.RESISTANCE_ON_NERVE_DAMAGE not in codes(facts)


def test_disuse_weakness_without_resistance_work() -> None:
    stretch = item("hip-stretch", ExerciseCategory.FLEXIBILITY, Region.HIP)
    facts = g.ClientFacts(
        findings=(finding(Region.HIP, Cause.DECONDITIONING),),
        items=(stretch,),
        has_active_programme=True,
    )
    assert g.DECONDITIONING_WITHOUT_RESISTANCE in codes(facts)
    band = item("hip-band", ExerciseCategory.RESISTANCE, Region.HIP)
    assert g.DECONDITIONING_WITHOUT_RESISTANCE not in codes(
        g.ClientFacts(findings=facts.findings, items=(band,), has_active_programme=True)
    )


def test_ankle_weakness_without_an_orthosis_trialled() -> None:
    ankle = (finding(Region.ANKLE_FOOT, Cause.NERVE_DAMAGE),)
    assert g.FOOT_DROP_ORTHOSIS in codes(g.ClientFacts(findings=ankle))
    returned = (g.DeviceFact(DeviceKind.ANKLE_FOOT_ORTHOSIS, DeviceStatus.RETURNED),)
    assert g.FOOT_DROP_ORTHOSIS not in codes(g.ClientFacts(findings=ankle, devices=returned))


def test_any_fall_prompts_a_device_and_home_safety_review() -> None:
    falls = (
        g.FallFact(uuid.uuid4(), TODAY - timedelta(days=400)),
        g.FallFact(uuid.uuid4(), TODAY - timedelta(days=20)),
    )
    (advisory,) = g.advise(g.ClientFacts(falls=falls), today=TODAY)
    assert advisory.code == g.FALL_REVIEW
    assert "2 falls" in advisory.reason and "1 in the past 12 months" in advisory.reason
    assert advisory.about == f"fall:{falls[1].id}"
    assert "home safety" in advisory.suggestion


def test_fatigue_relapse_and_arm_advisories() -> None:
    facts = g.ClientFacts(
        findings=(
            finding(Region.WRIST_HAND, Cause.MIXED, fatigue_linked=True),
            finding(
                Region.TRUNK,
                Cause.UNKNOWN,
                Side.NONE,
                during_relapse=True,
                onset_on=TODAY - timedelta(days=10),
            ),
        )
    )
    assert {g.FATIGUE_PACING, g.RELAPSE_INTENSITY, g.ARM_HAND_OT} <= codes(facts)


def test_trials_past_review_or_unhelpful_without_decision() -> None:
    overdue = g.TrialFact(uuid.uuid4(), "AFO", TODAY - timedelta(days=3))
    pending = g.TrialFact(
        uuid.uuid4(),
        "Band work",
        TODAY - timedelta(days=30),
        TrialOutcome.NO_CHANGE,
        TODAY - timedelta(days=10),
    )
    decided = g.TrialFact(
        uuid.uuid4(),
        "Pacing",
        TODAY - timedelta(days=30),
        TrialOutcome.WORSE,
        TODAY - timedelta(days=10),
        TrialDecision.STOP,
    )
    due_today = g.TrialFact(uuid.uuid4(), "Vest", TODAY)
    found = g.advise(g.ClientFacts(trials=(overdue, pending, decided, due_today)), today=TODAY)
    assert [(a.code, a.about) for a in found] == [
        (g.TRIAL_NEEDS_DECISION, f"trial:{pending.id}"),
        (g.TRIAL_REVIEW_OVERDUE, f"trial:{overdue.id}"),
    ]
    assert "3 days ago" in found[1].reason


findings_strategy = st.builds(
    g.FindingFact,
    st.uuids(),
    st.sampled_from(Region),
    st.sampled_from(Side),
    st.sampled_from(Cause),
    st.booleans(),
    st.booleans(),
    st.none() | st.dates(),
    st.booleans(),
    foot_drop=st.booleans(),
    relapse_over_on=st.none() | st.dates(),
    recorded_on=st.none() | st.dates(),
)
items_strategy = st.builds(
    g.ItemFact,
    st.text(min_size=1, max_size=8),
    st.text(min_size=1, max_size=8),
    st.sampled_from(ExerciseCategory),
    st.frozensets(st.sampled_from(Region), min_size=1),
    st.booleans(),
    st.sampled_from(Side),
    st.integers(1, 7),
    unchanged_since=st.none() | st.dates(TODAY - timedelta(days=200), TODAY),
)
measures_strategy = st.sampled_from(["bbs", "tug", "6mwt", "mas", "t25fw"]).flatmap(
    lambda code: st.builds(
        g.MeasureFact,
        st.uuids(),
        st.just(code),
        st.integers(0, int(min(measures()[code].max, 60))).map(float),
        st.dates(TODAY - timedelta(days=400), TODAY),
        st.sampled_from(Side),
        st.none() | st.sampled_from(Region),
    )
)
devices_strategy = st.builds(
    g.DeviceFact,
    st.sampled_from(DeviceKind),
    st.sampled_from(DeviceStatus),
    st.none() | st.dates(TODAY - timedelta(days=60), TODAY + timedelta(days=60)),
    st.none() | st.uuids(),
)


@given(st.lists(findings_strategy, max_size=6), st.lists(items_strategy, max_size=8))
def test_every_advisory_is_complete_and_its_key_unique(findings, items) -> None:
    facts = g.ClientFacts(
        findings=tuple(findings), items=tuple(items), has_active_programme=bool(items)
    )
    found = g.advise(facts, today=TODAY)
    assert len({a.key for a in found}) == len(found)
    for advisory in found:
        assert advisory.code in g.TITLES and advisory.title == g.TITLES[advisory.code]
        assert advisory.reason.strip() and advisory.suggestion.strip() and advisory.about
    open_nerve = {(f.region) for f in findings if not f.resolved and f.cause is Cause.NERVE_DAMAGE}
    if not open_nerve:
        assert g.RESISTANCE_ON_NERVE_DAMAGE not in {a.code for a in found}


@st.composite
def trials_strategy(draw: st.DrawFn) -> g.TrialFact:
    review_on = draw(st.dates(TODAY - timedelta(days=400), TODAY + timedelta(days=60)))
    outcome = draw(st.none() | st.sampled_from(TrialOutcome))
    reviewed_on = None if outcome is None else draw(st.dates(TODAY - timedelta(days=400), TODAY))
    decision = None if outcome is None else draw(st.none() | st.sampled_from(TrialDecision))
    return g.TrialFact(uuid.uuid4(), "Walker", review_on, outcome, reviewed_on, decision)


@given(
    st.lists(findings_strategy, max_size=6),
    st.lists(items_strategy, max_size=8),
    st.lists(devices_strategy, max_size=4),
    st.lists(trials_strategy(), max_size=4),
    st.lists(st.builds(g.FallFact, st.uuids(), st.dates()), max_size=3),
    st.booleans(),
    st.lists(measures_strategy, max_size=6),
    st.booleans(),
    st.booleans(),
    st.frozensets(st.sampled_from(list(g.TITLES))),
)
def test_keys_are_the_advisories_keys_and_need_only_keyed_items(
    findings, items, devices, trials, falls, active, measured, heat, ot, off
) -> None:
    facts = g.ClientFacts(
        tuple(findings),
        tuple(items),
        active,
        tuple(devices),
        tuple(trials),
        tuple(falls),
        tuple(measured),
        heat,
        ot,
    )
    keys = g.advisory_keys(facts, today=TODAY)
    found = g.advise(facts, today=TODAY)
    assert keys == [a.key for a in found]
    assert len(set(keys)) == len(keys)
    for advisory in found:
        assert advisory.reason.strip() and advisory.suggestion.strip()
    # what services/advisories.py relies on to count without loading every item
    keyed = tuple(i for i in items if i.is_keyed)
    assert g.advisory_keys(replace(facts, items=keyed), today=TODAY) == keys
    # a rule turned off for the clinic raises nothing, and the others are untouched
    kept = g.advisory_keys(facts, today=TODAY, off=off)
    assert kept == [k for k in keys if k[0] not in off]
    assert [a.key for a in g.advise(facts, today=TODAY, off=off)] == kept
