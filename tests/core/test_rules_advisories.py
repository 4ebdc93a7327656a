"""The advisory rules of issue 13, each on hand-made records, firing and not firing."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from therapy_desk import guidance as g
from therapy_desk.domain.vocabulary import (
    Cause,
    DeviceKind,
    DeviceStatus,
    ExerciseCategory,
    Region,
    Side,
)

TODAY = date(2026, 11, 21)


def finding(region: Region, cause: Cause, side: Side = Side.LEFT, **more: object) -> g.FindingFact:
    return g.FindingFact(uuid.uuid4(), region, side, cause, **more)  # type: ignore[arg-type]


def item(
    code: str,
    category: ExerciseCategory,
    *regions: Region,
    side: Side = Side.BOTH,
    load: str | None = None,
    unchanged_since: date | None = None,
) -> g.ItemFact:
    name = code.replace("-", " ").capitalize()
    return g.ItemFact(
        code,
        name,
        category,
        frozenset(regions),
        load is not None,
        side,
        3,
        load,
        unchanged_since,
    )


def result(code: str, value: float, days_ago: int, **more: object) -> g.MeasureFact:
    on = TODAY - timedelta(days=days_ago)
    return g.MeasureFact(uuid.uuid4(), code, value, on, **more)  # type: ignore[arg-type]


def raised(facts: g.ClientFacts, code: str) -> list[g.Advisory]:
    return [a for a in g.advise(facts, today=TODAY) if a.code == code]


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


# fall-review


def test_fall_review_counts_only_the_past_year() -> None:
    recent = g.FallFact(uuid.uuid4(), ago(30))
    old = g.FallFact(uuid.uuid4(), date(2024, 6, 1))
    (advisory,) = raised(g.ClientFacts(falls=(old, recent)), g.FALL_REVIEW)
    assert advisory.about == f"fall:{recent.id}"
    assert "1 in the past 12 months" in advisory.reason and "2 falls" in advisory.reason


def test_fall_review_is_quiet_when_the_only_fall_is_over_a_year_ago() -> None:
    old = g.FallFact(uuid.uuid4(), date(2024, 6, 1))
    assert raised(g.ClientFacts(falls=(old,)), g.FALL_REVIEW) == []


# relapse-intensity


def test_relapse_fires_within_twelve_weeks_of_onset() -> None:
    f = finding(Region.KNEE, Cause.NERVE_DAMAGE, during_relapse=True, onset_on=ago(30))
    (advisory,) = raised(g.ClientFacts(findings=(f,)), g.RELAPSE_INTENSITY)
    assert "from 22 Oct 2026," in advisory.reason


def test_relapse_ends_after_twelve_weeks_or_when_marked_over() -> None:
    old = finding(Region.KNEE, Cause.NERVE_DAMAGE, during_relapse=True, onset_on=date(2023, 3, 1))
    over = finding(
        Region.HIP,
        Cause.NERVE_DAMAGE,
        during_relapse=True,
        onset_on=ago(20),
        relapse_over_on=ago(2),
    )
    assert raised(g.ClientFacts(findings=(old, over)), g.RELAPSE_INTENSITY) == []
    edge = finding(Region.KNEE, Cause.NERVE_DAMAGE, during_relapse=True, onset_on=ago(84))
    assert raised(g.ClientFacts(findings=(edge,)), g.RELAPSE_INTENSITY) == []
    inside = finding(Region.KNEE, Cause.NERVE_DAMAGE, during_relapse=True, onset_on=ago(83))
    assert raised(g.ClientFacts(findings=(inside,)), g.RELAPSE_INTENSITY)


# foot-drop-orthosis


def test_foot_drop_fires_for_nerve_mixed_unknown_or_the_flag() -> None:
    for f in (
        finding(Region.ANKLE_FOOT, Cause.NERVE_DAMAGE),
        finding(Region.ANKLE_FOOT, Cause.MIXED),
        finding(Region.ANKLE_FOOT, Cause.UNKNOWN),
        finding(Region.ANKLE_FOOT, Cause.DECONDITIONING, foot_drop=True),
    ):
        (advisory,) = raised(g.ClientFacts(findings=(f,)), g.FOOT_DROP_ORTHOSIS)
        assert f.cause.label.lower() in advisory.reason


def test_disuse_ankle_without_the_flag_is_strengthened_first() -> None:
    f = finding(Region.ANKLE_FOOT, Cause.DECONDITIONING)
    facts = g.ClientFacts(findings=(f,))
    assert raised(facts, g.FOOT_DROP_ORTHOSIS) == []
    (advisory,) = raised(facts, g.DECONDITIONING_WITHOUT_RESISTANCE)
    assert "Strengthen the ankle first" in advisory.suggestion


# occupational therapy


def test_arm_ot_is_not_suggested_when_an_ot_is_involved() -> None:
    arm = finding(Region.WRIST_HAND, Cause.MIXED)
    assert raised(g.ClientFacts(findings=(arm,)), g.ARM_HAND_OT)
    assert raised(g.ClientFacts(findings=(arm,), ot_involved=True), g.ARM_HAND_OT) == []


def test_ot_for_getting_around_with_leg_or_trunk_findings() -> None:
    for region in (Region.KNEE, Region.TRUNK):
        facts = g.ClientFacts(findings=(finding(region, Cause.NERVE_DAMAGE),))
        (advisory,) = raised(facts, g.OT_GETTING_AROUND)
        assert "at home and at work" in advisory.suggestion
        involved = g.ClientFacts(findings=facts.findings, ot_involved=True)
        assert raised(involved, g.OT_GETTING_AROUND) == []
    neck = g.ClientFacts(findings=(finding(Region.NECK, Cause.NERVE_DAMAGE),))
    assert raised(neck, g.OT_GETTING_AROUND) == []
    # arms and legs together: one OT advisory that covers both
    both = g.ClientFacts(
        findings=(finding(Region.ARM, Cause.MIXED), finding(Region.HIP, Cause.MIXED))
    )
    assert raised(both, g.OT_GETTING_AROUND) == []
    (arm,) = raised(both, g.ARM_HAND_OT)
    assert "getting around" in arm.suggestion


# progression due


def test_progression_due_after_eight_weeks_at_the_same_dose() -> None:
    knee = finding(Region.KNEE, Cause.DECONDITIONING)
    steady = item(
        "knee-weights",
        ExerciseCategory.RESISTANCE,
        Region.KNEE,
        load="a 1.5 kg weight",
        unchanged_since=ago(7 * 88),
    )
    facts = g.ClientFacts(findings=(knee,), items=(steady,), has_active_programme=True)
    (advisory,) = raised(facts, g.PROGRESSION_DUE)
    assert advisory.about == "region:knee"
    assert "88 weeks" in advisory.reason and "1.5 kg" in advisory.reason
    assert "progressive resistive exercise" in advisory.suggestion


def test_progression_not_due_when_recent_nerve_damage_or_progressed() -> None:
    recent = item("knee-weights", ExerciseCategory.RESISTANCE, Region.KNEE, unchanged_since=ago(55))
    knee = finding(Region.KNEE, Cause.DECONDITIONING)
    assert raised(g.ClientFacts(findings=(knee,), items=(recent,)), g.PROGRESSION_DUE) == []
    old = item("knee-weights", ExerciseCategory.RESISTANCE, Region.KNEE, unchanged_since=ago(90))
    nerve = finding(Region.KNEE, Cause.NERVE_DAMAGE)
    assert raised(g.ClientFacts(findings=(nerve,), items=(old,)), g.PROGRESSION_DUE) == []
    # one of the knee's items progressed recently: progression is under way
    assert raised(g.ClientFacts(findings=(knee,), items=(old, recent)), g.PROGRESSION_DUE) == []


# device review overdue


def test_device_review_overdue_with_a_skin_check_for_orthoses() -> None:
    afo = g.DeviceFact(DeviceKind.ANKLE_FOOT_ORTHOSIS, DeviceStatus.IN_USE, ago(5), uuid.uuid4())
    cane = g.DeviceFact(DeviceKind.CANE, DeviceStatus.ISSUED, ago(1), uuid.uuid4())
    found = raised(g.ClientFacts(devices=(afo, cane)), g.DEVICE_REVIEW_OVERDUE)
    assert [a.about for a in found] == [f"device:{afo.id}", f"device:{cane.id}"]
    assert "5 days ago" in found[0].reason and "skin" in found[0].suggestion
    assert "skin" not in found[1].suggestion


def test_device_review_not_overdue_when_due_later_or_device_returned() -> None:
    later = g.DeviceFact(DeviceKind.CANE, DeviceStatus.IN_USE, TODAY, uuid.uuid4())
    back = g.DeviceFact(DeviceKind.KNEE_BRACE, DeviceStatus.RETURNED, ago(30), uuid.uuid4())
    none = g.DeviceFact(DeviceKind.ROLLATOR, DeviceStatus.IN_USE, None, uuid.uuid4())
    assert raised(g.ClientFacts(devices=(later, back, none)), g.DEVICE_REVIEW_OVERDUE) == []


# fall risk without a fall


def test_fall_risk_from_berg_without_aid_or_fall() -> None:
    berg = result("bbs", 35, 10)
    (advisory,) = raised(g.ClientFacts(measurements=(berg,)), g.FALL_RISK_WITHOUT_FALL)
    assert advisory.about == f"measurement:{berg.id}"
    assert "35" in advisory.reason and "44" in advisory.reason
    assert "walking aid" in advisory.suggestion


def test_no_fall_risk_advisory_above_cut_off_with_an_aid_or_after_a_fall() -> None:
    assert (
        raised(g.ClientFacts(measurements=(result("bbs", 45, 3),)), g.FALL_RISK_WITHOUT_FALL) == []
    )
    # an old low score, a newer good one
    better = (result("bbs", 35, 90), result("bbs", 50, 3))
    assert raised(g.ClientFacts(measurements=better), g.FALL_RISK_WITHOUT_FALL) == []
    low = (result("bbs", 35, 3),)
    rollator = (g.DeviceFact(DeviceKind.ROLLATOR, DeviceStatus.IN_USE),)
    assert raised(g.ClientFacts(measurements=low, devices=rollator), g.FALL_RISK_WITHOUT_FALL) == []
    fell = (g.FallFact(uuid.uuid4(), ago(100)),)
    assert raised(g.ClientFacts(measurements=low, falls=fell), g.FALL_RISK_WITHOUT_FALL) == []
    long_ago = (g.FallFact(uuid.uuid4(), ago(400)),)
    assert raised(g.ClientFacts(measurements=low, falls=long_ago), g.FALL_RISK_WITHOUT_FALL)


# source not established


def test_source_not_established_after_six_weeks() -> None:
    f = finding(Region.HIP, Cause.UNKNOWN, onset_on=ago(50))
    (advisory,) = raised(g.ClientFacts(findings=(f,)), g.SOURCE_NOT_ESTABLISHED)
    assert advisory.about == f"finding:{f.id}" and "7 weeks" in advisory.reason
    recorded = finding(Region.HIP, Cause.UNKNOWN, recorded_on=ago(42))
    assert raised(g.ClientFacts(findings=(recorded,)), g.SOURCE_NOT_ESTABLISHED)


def test_source_not_raised_when_known_or_recent() -> None:
    for f in (
        finding(Region.HIP, Cause.UNKNOWN, onset_on=ago(41)),
        finding(Region.HIP, Cause.DECONDITIONING, onset_on=ago(400)),
        finding(Region.HIP, Cause.UNKNOWN, onset_on=ago(400), resolved=True),
    ):
        assert raised(g.ClientFacts(findings=(f,)), g.SOURCE_NOT_ESTABLISHED) == []


# measure worse


def test_measure_worse_than_the_previous_result() -> None:
    walk = (result("6mwt", 420, 200), result("6mwt", 386, 5))
    (advisory,) = raised(g.ClientFacts(measurements=walk), g.MEASURE_WORSE)
    assert advisory.about == f"measurement:{walk[1].id}"
    assert "386" in advisory.reason and "420" in advisory.reason
    assert "relapse" in advisory.suggestion and "programme" in advisory.suggestion


def test_measure_worse_than_the_first_result_by_small_steps() -> None:
    walk = (result("6mwt", 420, 300), result("6mwt", 414, 150), result("6mwt", 408, 5))
    (advisory,) = raised(g.ClientFacts(measurements=walk), g.MEASURE_WORSE)
    assert "the first, 420" in advisory.reason and "previous" not in advisory.reason
    assert "408" in advisory.reason


def test_measure_not_worse_when_better_or_within_the_threshold() -> None:
    for walk in (
        (result("6mwt", 386, 200), result("6mwt", 420, 5)),
        (result("6mwt", 420, 200), result("6mwt", 415, 5)),
        (result("6mwt", 420, 5),),
    ):
        assert raised(g.ClientFacts(measurements=walk), g.MEASURE_WORSE) == []


# spasticity


def test_spasticity_without_a_stretch() -> None:
    mas = result("mas", 2, 3, side=Side.LEFT, region=Region.KNEE)  # grade "1+"
    facts = g.ClientFacts(measurements=(mas,))
    (advisory,) = raised(facts, g.SPASTICITY_NO_STRETCH)
    assert "1+" in advisory.reason and "left thigh and knee" in advisory.reason
    arm_stretch = item("arm-stretch", ExerciseCategory.FLEXIBILITY, Region.ARM)
    assert raised(g.ClientFacts(measurements=(mas,), items=(arm_stretch,)), g.SPASTICITY_NO_STRETCH)


def test_no_spasticity_advisory_below_one_plus_or_with_a_stretch() -> None:
    low = result("mas", 1, 3, side=Side.LEFT, region=Region.KNEE)  # grade "1"
    assert raised(g.ClientFacts(measurements=(low,)), g.SPASTICITY_NO_STRETCH) == []
    high = result("mas", 3, 3, side=Side.LEFT, region=Region.KNEE)
    stretch = item("hamstring-stretch", ExerciseCategory.FLEXIBILITY, Region.KNEE)
    assert (
        raised(g.ClientFacts(measurements=(high,), items=(stretch,)), g.SPASTICITY_NO_STRETCH) == []
    )


# heat sensitivity


def test_heat_sensitive_client_with_cardio_or_pool_work() -> None:
    bike = item("recumbent-bike", ExerciseCategory.CARDIO, Region.KNEE)
    pool = item("pool-walking", ExerciseCategory.AQUATIC, Region.HIP)
    facts = g.ClientFacts(items=(bike, pool), has_active_programme=True, heat_sensitive=True)
    (advisory,) = raised(facts, g.HEAT_SENSITIVITY)
    assert "Recumbent bike" in advisory.reason and "Pool walking" in advisory.reason
    assert "cool" in advisory.suggestion and "energy leaflet" in advisory.suggestion


def test_no_heat_advisory_without_the_flag_or_warming_work() -> None:
    bike = item("recumbent-bike", ExerciseCategory.CARDIO, Region.KNEE)
    stretch = item("calf-stretch", ExerciseCategory.FLEXIBILITY, Region.ANKLE_FOOT)
    assert raised(g.ClientFacts(items=(bike,)), g.HEAT_SENSITIVITY) == []
    assert raised(g.ClientFacts(items=(stretch,), heat_sensitive=True), g.HEAT_SENSITIVITY) == []


# clinic settings


def test_a_rule_turned_off_raises_nothing_and_leaves_the_others() -> None:
    facts = g.ClientFacts(
        findings=(finding(Region.ANKLE_FOOT, Cause.NERVE_DAMAGE),),
        falls=(g.FallFact(uuid.uuid4(), ago(3)),),
    )
    every = {a.code for a in g.advise(facts, today=TODAY)}
    assert {g.FOOT_DROP_ORTHOSIS, g.FALL_REVIEW} <= every
    kept = {a.code for a in g.advise(facts, today=TODAY, off=frozenset({g.FOOT_DROP_ORTHOSIS}))}
    assert kept == every - {g.FOOT_DROP_ORTHOSIS}
