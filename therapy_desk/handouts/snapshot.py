"""What a handout prints, as plain frozen data: no database, no ReportLab.

A service (`services/handouts.py`) gathers a `HandoutSnapshot` from the record;
the builders turn it into pages. The snapshot holds exactly what the client may
read — never internal notes, dismissed advisories or measure results.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from therapy_desk import words
from therapy_desk.domain.vocabulary import (
    Band,
    Cause,
    DeviceStatus,
    HandoutKind,
    Side,
    TrialDecision,
)

if TYPE_CHECKING:
    from therapy_desk.library.education import Leaflet, Section

#: The kinds printed when nobody chooses: what a client takes home after a visit.
USUAL_KINDS: tuple[HandoutKind, ...] = (
    HandoutKind.PROGRAMME,
    HandoutKind.DEVICES,
    HandoutKind.FOLLOW_UP,
)


@dataclass(frozen=True)
class ClinicHeader:
    name: str
    address: str | None = None
    phone: str | None = None
    #: PNG or JPEG bytes.
    logo: bytes | None = None


@dataclass(frozen=True)
class ExerciseCard:
    number: int
    code: str
    name: str
    summary: str
    steps: tuple[str, ...]
    equipment: tuple[str, ...]
    cautions: tuple[str, ...]
    #: (label, words) pairs, e.g. ("How much", "2 sets of 10").
    dose: tuple[tuple[str, str], ...]
    days_per_week: int
    cue: str | None
    #: Key into the drawings library; None for an exercise without a drawing.
    drawing: str | None


@dataclass(frozen=True)
class ProgrammeSheet:
    title: str
    revision: int
    issued_on: date
    cards: tuple[ExerciseCard, ...]


@dataclass(frozen=True)
class DeviceCard:
    name: str
    status: str
    side: str | None
    purpose: str
    settings: str | None
    practised: str | None
    review_on: date | None
    how_to_use: tuple[str, ...]
    fit: tuple[str, ...]
    care: tuple[str, ...]
    safety: tuple[str, ...]
    #: The catalogue's group: walking_aid, wheeled, orthosis, stimulator, daily_living, ...
    group: str | None = None


def device_status_words(
    status: DeviceStatus, *, trial_open: bool, decision: TrialDecision | None
) -> str:
    """A device's status as the client should read it.

    A device still marked "on trial" whose trial was reviewed and decided is no longer
    being tried: the guide says what was decided, so it agrees with the follow-up plan.
    """
    if status is not DeviceStatus.TRIAL or trial_open or decision is None:
        return status.label
    return DECIDED_WORDS[decision]


#: What a decided device trial means for the client, in the guide's "Status" line.
DECIDED_WORDS: dict[TrialDecision, str] = {
    TrialDecision.CONTINUE: "Trial finished: keep using it",
    TrialDecision.ADJUST: "Trial finished: keep using it with the changes we agreed",
    TrialDecision.STOP: "Trial finished: stop using it and bring it back",
    TrialDecision.TRY_SOMETHING_ELSE: "Trial finished: we will try something else",
}


@dataclass(frozen=True)
class TrialPlan:
    what: str
    why: str | None
    success_looks_like: str | None
    started_on: date
    review_on: date


@dataclass(frozen=True)
class HandoutSnapshot:
    client_id: uuid.UUID
    clinic: ClinicHeader
    reference: str
    client_name: str
    therapist: str | None
    printed_on: date
    prefers_large_print: bool
    programme: ProgrammeSheet | None
    devices: tuple[DeviceCard, ...] = ()
    trials: tuple[TrialPlan, ...] = ()
    next_follow_up: date | None = None
    #: The causes of the client's open weakness findings (no regions, notes or dates):
    #: the weakness leaflet says which of its sections are about them.
    weakness_causes: frozenset[Cause] = frozenset()
    #: The education leaflets (education.toml) the handouts print, by key.
    leaflets: Mapping[str, Leaflet] = field(default_factory=dict, compare=False)


class HandoutUnavailable(ValueError):
    """A handout that cannot be printed for this client, with what to do instead."""


def unavailable_reason(snapshot: HandoutSnapshot, kind: HandoutKind) -> str | None:
    """Why this kind cannot be printed for this client, or None when it can."""
    if kind is HandoutKind.PROGRAMME and (
        snapshot.programme is None or not snapshot.programme.cards
    ):
        return (
            "There is no current home exercise programme to print. "
            "Issue one on the Programme tab first."
        )
    if kind is HandoutKind.DEVICES and not snapshot.devices:
        return (
            "No device is on trial, issued or in use, so there is no device guide to print. "
            "Record the device on the Devices tab first."
        )
    try:
        if kind is HandoutKind.PROGRAMME:
            exercise_safety(snapshot)
        elif kind in LEAFLET_OF:
            leaflet_of(snapshot, LEAFLET_OF[kind])
    except HandoutUnavailable as missing:
        return str(missing)
    return None


def printable(
    snapshot: HandoutSnapshot, kinds: Sequence[HandoutKind]
) -> tuple[list[HandoutKind], dict[HandoutKind, str]]:
    """The kinds that can be printed, in the order asked, and why the others cannot."""
    ready: list[HandoutKind] = []
    skipped: dict[HandoutKind, str] = {}
    for kind in dict.fromkeys(kinds):
        reason = unavailable_reason(snapshot, kind)
        if reason is None:
            ready.append(kind)
        else:
            skipped[kind] = reason
    return ready, skipped


#: The education leaflet each kind prints besides the client's own data.
LEAFLET_OF: dict[HandoutKind, str] = {
    HandoutKind.PROGRAMME: "exercise_safety",
    HandoutKind.HOME_SAFETY: "home_safety",
    HandoutKind.ENERGY: "energy",
    HandoutKind.WEAKNESS: "weakness",
    HandoutKind.FOLLOW_UP: "follow_up",
}


def leaflet_of(snapshot: HandoutSnapshot, key: str) -> Leaflet:
    """The education leaflet `key` (education.toml) as this snapshot holds it."""
    found = snapshot.leaflets.get(key)
    if found is None:
        raise HandoutUnavailable(
            f"The '{key}' leaflet is missing from education.toml, so this handout cannot "
            "be printed. Restore the leaflet, or ask whoever looks after the catalogue."
        )
    return found


def exercise_safety(snapshot: HandoutSnapshot) -> tuple[Section, Section]:
    """The exercise-safety leaflet's two sections: when to stop, and pacing.

    The programme prints the first in a box before the exercises and the second after
    them. Sections have no key in education.toml, so they are told apart by their
    place, as FORMAT.md documents ("exactly two sections"); a leaflet of any other
    shape is refused rather than printed with a section lost or in the wrong place.
    """
    key = LEAFLET_OF[HandoutKind.PROGRAMME]
    safety = leaflet_of(snapshot, key)
    if len(safety.sections) != 2:
        raise HandoutUnavailable(
            f"The '{key}' leaflet in education.toml must have exactly two sections "
            f"(when to stop, then pacing); it has {len(safety.sections)}, so the "
            "programme cannot be printed."
        )
    stop, pacing = safety.sections
    return stop, pacing


def _content(snapshot: HandoutSnapshot, kind: HandoutKind) -> Any:
    key = LEAFLET_OF.get(kind)
    leaflet = snapshot.leaflets.get(key) if key else None
    own: Any = None
    if kind is HandoutKind.PROGRAMME:
        own = asdict(snapshot.programme) if snapshot.programme else None
    elif kind is HandoutKind.DEVICES:
        own = [asdict(d) for d in snapshot.devices]
    elif kind is HandoutKind.FOLLOW_UP:
        own = {
            "trials": [asdict(t) for t in snapshot.trials],
            "next_follow_up": snapshot.next_follow_up,
            "therapist": snapshot.therapist,
        }
    elif kind is HandoutKind.WEAKNESS:
        own = sorted(snapshot.weakness_causes)
    return {"own": own, "leaflet": asdict(leaflet) if leaflet else None}


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    if isinstance(value, frozenset):
        return sorted(value)
    raise TypeError(f"cannot hash {type(value).__name__}")


def content_hash(snapshot: HandoutSnapshot, kind: HandoutKind, *, large_print: bool) -> str:
    """SHA-256 of the words and pictures one handout gives this client.

    The print date is left out on purpose: the same programme printed on two days
    has the same hash, so "has anything changed since the last handout?" is one
    comparison.
    """
    payload = {
        "kind": kind.value,
        "large_print": large_print,
        "clinic": asdict(snapshot.clinic),
        "client": [snapshot.reference, snapshot.client_name],
        "content": _content(snapshot, kind),
    }
    text = json.dumps(payload, default=_plain, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- dose in the client's words -------------------------------------------------------


def amount_words(
    *,
    sets: int | None,
    reps: int | None,
    hold_seconds: int | None,
    duration_minutes: int | None,
) -> str:
    """How much, as a client reads it: '2 sets of 10', 'hold for 30 seconds, 3 times'."""
    parts: list[str] = []
    if reps:
        parts.append(f"{sets} sets of {reps}" if sets and sets > 1 else words.times(reps))
        if hold_seconds:
            parts.append(f"hold each for {_seconds(hold_seconds)}")
    elif hold_seconds:
        parts.append(f"hold for {_seconds(hold_seconds)}")
        if sets and sets > 1:
            parts.append(words.times(sets))
    if duration_minutes:
        minutes = words.count(duration_minutes, "minute")
        parts.append(f"for {minutes}" if parts else minutes)
        if sets and sets > 1 and not reps and not hold_seconds:
            parts.append(words.times(sets))
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def _seconds(n: int) -> str:
    return words.count(n, "second")


class Dosed(Protocol):
    """Anything carrying a dose: a programme item, or an item being drafted."""

    sets: int | None
    reps: int | None
    hold_seconds: int | None
    duration_minutes: int | None
    load_kg: float | None
    band: Band | None
    days_per_week: int
    side: Side


def dose_lines(item: Dosed) -> tuple[tuple[str, str], ...]:
    """The dose as labelled lines for an exercise card."""
    lines = [
        (
            "How much",
            amount_words(
                sets=item.sets,
                reps=item.reps,
                hold_seconds=item.hold_seconds,
                duration_minutes=item.duration_minutes,
            ),
        )
    ]
    days_per_week, side = item.days_per_week, item.side
    if item.load_kg is not None:
        lines.append(("Weight", f"{item.load_kg:g} kg"))
    if item.band is not None:
        lines.append(("Band", f"{words.mid_sentence(item.band.label)} band"))
    lines.append(
        (
            "How often",
            "every day" if days_per_week == 7 else f"{words.count(days_per_week, 'day')} a week",
        )
    )
    if side in (Side.LEFT, Side.RIGHT):
        lines.append(("Which side", f"{words.mid_sentence(side.label)} side only"))
    elif side is Side.BOTH:
        lines.append(("Which side", "both sides"))
    return tuple(lines)
