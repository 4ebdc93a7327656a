"""Which parts of the body map to shade, and how, from a client's weakness findings.

A pure rule for the body-map picture: no Qt, no database. Only open findings
count. Each finding lands on one or more (region, side) keys:

- LEFT and RIGHT land on that side; BOTH lands on left and right;
- NONE ("not sided") lands on the midline key (side NONE) for the midline
  regions (face, neck, trunk, breathing) and on both sides for limb regions.

Several findings on one key combine: MIXED, or disuse together with nerve
damage, gives MIXED; an unknown source beside a known one gives the known one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from therapy_desk.domain.vocabulary import Cause, Region, Side
from therapy_desk.words import mid_sentence

#: Regions on the body's midline: a finding there may be unsided.
MIDLINE_REGIONS = frozenset({Region.FACE, Region.NECK, Region.TRUNK, Region.BREATHING})


class RegionShade(StrEnum):
    """How a region is shaded: the source of its open weakness."""

    DISUSE = "disuse"
    NERVE_DAMAGE = "nerve_damage"
    MIXED = "mixed"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return _SHADE_LABELS[self]


_SHADE_LABELS: dict[RegionShade, str] = {
    RegionShade.DISUSE: "Disuse",
    RegionShade.NERVE_DAMAGE: "Nerve damage",
    RegionShade.MIXED: "Mixed",
    RegionShade.UNKNOWN: "Source not yet known",
}

#: The words a tooltip uses after the place name.
_SHADE_PHRASES: dict[RegionShade, str] = {
    RegionShade.DISUSE: "disuse (deconditioning)",
    RegionShade.NERVE_DAMAGE: "nerve damage",
    RegionShade.MIXED: "mixed disuse and nerve damage",
    RegionShade.UNKNOWN: "source not yet known",
}

_CAUSE_SHADES: dict[Cause, RegionShade] = {
    Cause.DECONDITIONING: RegionShade.DISUSE,
    Cause.NERVE_DAMAGE: RegionShade.NERVE_DAMAGE,
    Cause.MIXED: RegionShade.MIXED,
    Cause.UNKNOWN: RegionShade.UNKNOWN,
}

#: Order of sides in results and descriptions: the client's right, left, then midline.
_SIDE_ORDER = (Side.RIGHT, Side.LEFT, Side.NONE)


class FindingLike(Protocol):
    """What the body map reads from a weakness finding (the ORM record fits)."""

    @property
    def region(self) -> Region: ...
    @property
    def side(self) -> Side: ...
    @property
    def cause(self) -> Cause: ...
    @property
    def strength_grade(self) -> int | None: ...
    @property
    def resolved_on(self) -> date | None: ...


@dataclass(frozen=True)
class RegionState:
    """One shaded (region, side): its shade and a plain sentence for a tooltip."""

    shade: RegionShade
    text: str


def combine_shades(shades: Iterable[RegionShade]) -> RegionShade | None:
    """One shade for several: mixed wins, disuse + nerve damage is mixed, known beats unknown."""
    present = set(shades)
    if not present:
        return None
    if RegionShade.MIXED in present:
        return RegionShade.MIXED
    known = present - {RegionShade.UNKNOWN}
    if len(known) > 1:
        return RegionShade.MIXED
    if known:
        return next(iter(known))
    return RegionShade.UNKNOWN


def keys_for(region: Region, side: Side) -> tuple[tuple[Region, Side], ...]:
    """The (region, side) keys a finding on this region and side shades."""
    if side is Side.LEFT or side is Side.RIGHT:
        return ((region, side),)
    if side is Side.NONE and region in MIDLINE_REGIONS:
        return ((region, Side.NONE),)
    return ((region, Side.RIGHT), (region, Side.LEFT))


def place_name(region: Region, side: Side) -> str:
    """'Left thigh and knee', 'Trunk and core': a region on one side, in plain words."""
    if side is Side.LEFT or side is Side.RIGHT:
        return f"{side.label} {mid_sentence(region.label)}"
    if side is Side.BOTH:
        return f"{region.label} (both sides)"
    return region.label


def _grade_text(grades: set[int]) -> str:
    if not grades:
        return ""
    if len(grades) == 1:
        return f", grade {next(iter(grades))}"
    return f", grades {min(grades)} to {max(grades)}"


def region_states(findings: Iterable[FindingLike]) -> dict[tuple[Region, Side], RegionState]:
    """Every shaded (region, side) with its shade and tooltip text, in body order."""
    shades: dict[tuple[Region, Side], set[RegionShade]] = defaultdict(set)
    grades: dict[tuple[Region, Side], set[int]] = defaultdict(set)
    for finding in findings:
        if finding.resolved_on is not None:
            continue
        for key in keys_for(finding.region, finding.side):
            shades[key].add(_CAUSE_SHADES[finding.cause])
            if finding.strength_grade is not None:
                grades[key].add(finding.strength_grade)
    result: dict[tuple[Region, Side], RegionState] = {}
    for region in Region:
        for side in _SIDE_ORDER:
            key = (region, side)
            shade = combine_shades(shades.get(key, ()))
            if shade is None:
                continue
            text = f"{place_name(region, side)}: {_SHADE_PHRASES[shade]}{_grade_text(grades[key])}"
            result[key] = RegionState(shade=shade, text=text)
    return result


def shade_regions(findings: Iterable[FindingLike]) -> dict[tuple[Region, Side], RegionShade]:
    """The shade of every (region, side) that has an open finding, in body order."""
    return {key: state.shade for key, state in region_states(findings).items()}
