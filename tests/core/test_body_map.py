"""The body-map rule: which (region, side) is shaded, how, and what its tooltip says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from therapy_desk.domain import WeaknessFinding
from therapy_desk.domain.vocabulary import Cause, Region, Side
from therapy_desk.services.body_map import (
    MIDLINE_REGIONS,
    RegionShade,
    RegionState,
    combine_shades,
    place_name,
    region_states,
    shade_regions,
)


@dataclass(frozen=True)
class Finding:
    region: Region
    side: Side
    cause: Cause
    strength_grade: int | None = None
    resolved_on: date | None = None


def test_one_finding_shades_its_side_with_its_cause() -> None:
    shades = shade_regions([Finding(Region.KNEE, Side.LEFT, Cause.NERVE_DAMAGE, 3)])
    assert shades == {(Region.KNEE, Side.LEFT): RegionShade.NERVE_DAMAGE}


def test_tooltip_text_names_side_region_cause_and_grade() -> None:
    states = region_states([Finding(Region.KNEE, Side.LEFT, Cause.NERVE_DAMAGE, 3)])
    assert states[(Region.KNEE, Side.LEFT)] == RegionState(
        RegionShade.NERVE_DAMAGE, "Left thigh and knee: nerve damage, grade 3"
    )


def test_several_grades_give_a_range() -> None:
    states = region_states(
        [
            Finding(Region.ARM, Side.RIGHT, Cause.DECONDITIONING, 4),
            Finding(Region.ARM, Side.RIGHT, Cause.DECONDITIONING, 2),
        ]
    )
    assert states[(Region.ARM, Side.RIGHT)].text == (
        "Right arm and elbow: disuse (deconditioning), grades 2 to 4"
    )


def test_both_sides_shade_left_and_right() -> None:
    shades = shade_regions([Finding(Region.HIP, Side.BOTH, Cause.DECONDITIONING)])
    assert shades == {
        (Region.HIP, Side.RIGHT): RegionShade.DISUSE,
        (Region.HIP, Side.LEFT): RegionShade.DISUSE,
    }


def test_unsided_midline_region_shades_the_midline_key() -> None:
    shades = shade_regions(
        [
            Finding(Region.TRUNK, Side.NONE, Cause.UNKNOWN),
            Finding(Region.BREATHING, Side.NONE, Cause.NERVE_DAMAGE),
        ]
    )
    assert shades == {
        (Region.TRUNK, Side.NONE): RegionShade.UNKNOWN,
        (Region.BREATHING, Side.NONE): RegionShade.NERVE_DAMAGE,
    }
    assert region_states([Finding(Region.TRUNK, Side.NONE, Cause.UNKNOWN)])[
        (Region.TRUNK, Side.NONE)
    ].text == ("Trunk and core: source not yet known")


def test_unsided_limb_region_shades_both_sides() -> None:
    shades = shade_regions([Finding(Region.ANKLE_FOOT, Side.NONE, Cause.NERVE_DAMAGE)])
    assert set(shades) == {(Region.ANKLE_FOOT, Side.RIGHT), (Region.ANKLE_FOOT, Side.LEFT)}


def test_sided_midline_finding_keeps_its_side() -> None:
    shades = shade_regions([Finding(Region.FACE, Side.LEFT, Cause.NERVE_DAMAGE)])
    assert shades == {(Region.FACE, Side.LEFT): RegionShade.NERVE_DAMAGE}


def test_disuse_and_nerve_damage_on_one_place_is_mixed() -> None:
    shades = shade_regions(
        [
            Finding(Region.KNEE, Side.LEFT, Cause.NERVE_DAMAGE),
            Finding(Region.KNEE, Side.BOTH, Cause.DECONDITIONING),
        ]
    )
    assert shades == {
        (Region.KNEE, Side.LEFT): RegionShade.MIXED,
        (Region.KNEE, Side.RIGHT): RegionShade.DISUSE,
    }


def test_known_cause_beats_unknown_and_mixed_beats_all() -> None:
    assert combine_shades([RegionShade.UNKNOWN, RegionShade.DISUSE]) is RegionShade.DISUSE
    assert combine_shades([RegionShade.UNKNOWN]) is RegionShade.UNKNOWN
    assert combine_shades([RegionShade.DISUSE, RegionShade.MIXED]) is RegionShade.MIXED
    assert combine_shades([]) is None


def test_resolved_findings_do_not_shade() -> None:
    resolved = Finding(Region.KNEE, Side.LEFT, Cause.NERVE_DAMAGE, resolved_on=date(2026, 1, 2))
    assert shade_regions([resolved]) == {}


def test_the_database_record_fits() -> None:
    record = WeaknessFinding(
        region=Region.WRIST_HAND, side=Side.RIGHT, cause=Cause.MIXED, strength_grade=4
    )
    assert region_states([record])[(Region.WRIST_HAND, Side.RIGHT)].text == (
        "Right wrist and hand: mixed disuse and nerve damage, grade 4"
    )


def test_place_names() -> None:
    assert place_name(Region.HIP, Side.RIGHT) == "Right hip and buttock"
    assert place_name(Region.NECK, Side.NONE) == "Neck"
    assert RegionShade.UNKNOWN.label == "Source not yet known"


findings_strategy = st.lists(
    st.builds(
        Finding,
        region=st.sampled_from(Region),
        side=st.sampled_from(Side),
        cause=st.sampled_from(Cause),
        strength_grade=st.none() | st.integers(0, 5),
        resolved_on=st.none() | st.just(date(2026, 5, 1)),
    ),
    max_size=12,
)


@given(findings=findings_strategy, data=st.data())
def test_shading_does_not_depend_on_order(findings: list[Finding], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(findings))
    assert region_states(shuffled) == region_states(findings)
    assert list(region_states(shuffled)) == list(region_states(findings))


@given(findings=findings_strategy)
def test_only_open_findings_shade(findings: list[Finding]) -> None:
    open_only = [f for f in findings if f.resolved_on is None]
    assert region_states(findings) == region_states(open_only)
    closed = [f for f in findings if f.resolved_on is not None]
    assert shade_regions(closed) == {}


@given(findings=findings_strategy)
def test_keys_are_well_formed(findings: list[Finding]) -> None:
    for region, side in shade_regions(findings):
        assert side is not Side.BOTH
        if side is Side.NONE:
            assert region in MIDLINE_REGIONS
