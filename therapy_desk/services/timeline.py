"""Everything that happened to a client, newest first: the record read back as a story."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from therapy_desk.domain import Client, HandoutRecord
from therapy_desk.domain.correction import current
from therapy_desk.domain.vocabulary import HandoutKind, Side
from therapy_desk.library.catalogue import measures
from therapy_desk.words import count, day, mid_sentence


@dataclass(frozen=True)
class TimelineEvent:
    on: date
    #: finding, programme, device, trial, measure, fall, handout or advisory.
    kind: str
    title: str
    detail: str | None = None


def _where(region_label: str, side: Side) -> str:
    return (
        region_label
        if side in (Side.NONE, Side.BOTH)
        else f"{side.label} {mid_sentence(region_label)}"
    )


def fall_title(place: str | None) -> str:
    """ "Fall — Kitchen", "Fall — at the bus stop": the place is free text, shown as typed
    after a dash, so any wording reads right (no "Fall at at home")."""
    return f"Fall \u2014 {place.strip()}" if place and place.strip() else "Fall"


def timeline(client: Client) -> list[TimelineEvent]:
    """Built from a record loaded with `load_record`; touches no database."""
    events: list[TimelineEvent] = []
    add = events.append
    for f in client.findings:
        where = _where(f.region.label, f.side)
        grade = f", grade {f.strength_grade}" if f.strength_grade is not None else ""
        cause = mid_sentence(f.cause.label.split(" (")[0])
        add(
            TimelineEvent(
                f.onset_on or f.created_at.date(),
                "finding",
                f"Weakness found: {where}, {cause}{grade}",
                f.notes,
            )
        )
        if f.resolved_on is not None:
            add(TimelineEvent(f.resolved_on, "finding", f"Weakness resolved: {where}"))
    for programme in client.programmes:
        for revision in programme.revisions:
            add(
                TimelineEvent(
                    revision.issued_on,
                    "programme",
                    f"{programme.title}: revision {revision.number} issued "
                    f"({count(len(revision.items), 'exercise')})",
                    revision.reason,
                )
            )
        if programme.ended_on is not None:
            add(TimelineEvent(programme.ended_on, "programme", f"{programme.title} ended"))
    for device in client.devices:
        name = _where(device.kind.label, device.side)
        for change in device.history:
            add(
                TimelineEvent(
                    change.changed_on,
                    "device",
                    f"{name}: {mid_sentence(change.status.label)}",
                    change.note,
                )
            )
    for trial in client.trials:
        add(TimelineEvent(trial.started_on, "trial", f"Trial started: {trial.what}", trial.why))
        for note in trial.notes:
            add(
                TimelineEvent(note.written_on, "trial", f"Trial follow-up: {trial.what}", note.text)
            )
        if trial.outcome is not None and trial.reviewed_on is not None:
            add(
                TimelineEvent(
                    trial.reviewed_on,
                    "trial",
                    f"Trial reviewed: {trial.what} — {mid_sentence(trial.outcome.label)}",
                )
            )
        if trial.decision is not None and trial.decided_on is not None:
            add(
                TimelineEvent(
                    trial.decided_on,
                    "trial",
                    f"Decision on {trial.what}: {mid_sentence(trial.decision.label)}",
                )
            )
    specs = measures()
    for m in current(client.measurements):
        spec = specs.get(m.measure_code)
        name = spec.name if spec else m.measure_code
        value = spec.format_value(m.value) if spec else f"{m.value:g}"
        side = "" if m.side is Side.NONE else f" ({mid_sentence(m.side.label)})"
        add(TimelineEvent(m.measured_on, "measure", f"{name}{side}: {value}", m.notes))
    for fall in current(client.falls):
        add(TimelineEvent(fall.fell_on, "fall", fall_title(fall.place), fall.what_happened))
    for handout in client.handouts:
        _handout_events(handout, add)
    for d in client.dismissals:
        add(
            TimelineEvent(
                d.dismissed_at.date(),
                "advisory",
                f"Advisory dismissed by {d.dismissed_by}",
                d.reason,
            )
        )
    events.sort(key=lambda e: e.on, reverse=True)
    return events


def _handout_events(handout: HandoutRecord, add: Callable[[TimelineEvent], None]) -> None:
    """A handout given; a withdrawn one says so, with who withdrew it, when and why."""
    label = _handout_label(handout.kind)
    large = " (large print)" if handout.large_print else ""
    withdrawn = " (withdrawn)" if handout.withdrawn_at is not None else ""
    add(
        TimelineEvent(
            handout.given_at.date(),
            "handout",
            f"Handout given: {label}{large}{withdrawn}",
            f"by {handout.given_by}" if handout.given_by else None,
        )
    )
    if handout.withdrawn_at is not None:
        by = f" by {handout.withdrawn_by}" if handout.withdrawn_by else ""
        add(
            TimelineEvent(
                handout.withdrawn_at.date(),
                "handout",
                f"Handout withdrawn{by}: {label}{large}, given {day(handout.given_at.date())}",
                handout.withdrawn_reason,
            )
        )


def _handout_label(kind: str) -> str:
    try:
        return HandoutKind(kind).label
    except ValueError:  # a kind from a newer version of the app
        return kind.replace("_", " ")
