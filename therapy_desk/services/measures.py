"""Outcome measures: record results against the catalogue's range, correct or strike out
one typed wrong, read a series back, and sum up each measure's latest result.

Every read for a purpose uses only current results (`Measurement.is_current`): a
corrected or struck-out result stays in the record's history and nowhere else.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from therapy_desk import words
from therapy_desk.domain import Client, Measurement
from therapy_desk.domain.correction import current, earlier_versions
from therapy_desk.domain.vocabulary import DeviceKind, Region, Side
from therapy_desk.library import MeasureSpec, measures
from therapy_desk.services import corrections
from therapy_desk.services.checks import Problems
from therapy_desk.services.errors import ValidationError
from therapy_desk.services.records import fetch

#: What a measure result is called in messages and conflicts.
WHAT = "measure result"


@dataclass(frozen=True)
class Result:
    measure_code: str
    value: float
    measured_on: date
    side: Side = Side.NONE
    region: Region | None = None
    #: Every device used during the test, in the order chosen.
    devices_used: tuple[DeviceKind, ...] = ()
    notes: str | None = None
    #: The timed trials `value` is the mean of, for a measure the catalogue times more
    #: than once (the T25FW twice); None when only the result is known.
    trial_values: tuple[float, ...] | None = None


def check_result(result: Result, *, today: date) -> MeasureSpec:
    p = Problems()
    spec = measures().get(result.measure_code)
    if spec is None:
        p.add("measure", f"'{result.measure_code}' is not a measure in the catalogue")
        p.raise_if_any()
    assert spec is not None
    try:
        spec.check_value(result.value)
    except ValueError as problem:
        p.add("value", str(problem))
    p.not_future("measured_on", result.measured_on, today=today, label="Date measured")
    if spec.per_side:
        p.require(
            result.side in (Side.LEFT, Side.RIGHT),
            "side",
            f"{spec.name} is recorded for each side; choose left or right",
        )
    else:
        p.require(result.side is Side.NONE, "side", f"{spec.name} is not recorded per side")
    if spec.per_region:
        p.require(
            result.region is not None, "region", f"Choose the body region tested by {spec.name}"
        )
    else:
        p.require(result.region is None, "region", f"{spec.name} is not recorded per region")
    p.text("notes", result.notes, label="Notes", limit=2000)
    _check_trials(p, spec, result)
    p.raise_if_any()
    return spec


def _check_trials(p: Problems, spec: MeasureSpec, result: Result) -> None:
    trials = result.trial_values
    if trials is None:
        return
    if spec.trials == 1:
        p.add("trials", f"{spec.name} is taken once; record the result alone")
        return
    if len(trials) != spec.trials:
        p.add("trials", f"{spec.name} is the mean of {spec.trials} trials; give each of them")
        return
    for number, trial in enumerate(trials, start=1):
        try:
            spec.check_value(trial)
        except ValueError as problem:
            p.add(f"trial_{number}", f"Trial {number}: {problem}")
    if abs(result.value - spec.mean_of(trials)) > 10 ** -(spec.decimals + 3):
        p.add("value", f"The result must be the mean of the trials, {spec.mean_of(trials):g}")


def record_measurement(
    session: Session, *, client_id: uuid.UUID, result: Result, today: date
) -> Measurement:
    fetch(session, Client, client_id, what="client")
    check_result(result, today=today)
    measurement = _new_row(client_id, result)
    session.add(measurement)
    session.flush()
    return measurement


def _new_row(client_id: uuid.UUID, result: Result) -> Measurement:
    return Measurement(
        id=uuid.uuid4(),
        client_id=client_id,
        measure_code=result.measure_code,
        value=result.value,
        measured_on=result.measured_on,
        side=result.side,
        region=result.region,
        devices_used=tuple(dict.fromkeys(result.devices_used)),
        trial_values=result.trial_values,
        notes=(result.notes or "").strip() or None,
    )


def result_of(m: Measurement) -> Result:
    """A stored result as the form and `correct_measurement` take it."""
    return Result(
        measure_code=m.measure_code,
        value=m.value,
        measured_on=m.measured_on,
        side=m.side,
        region=m.region,
        devices_used=tuple(m.devices_used),
        notes=m.notes,
        trial_values=m.trial_values,
    )


def correct_measurement(
    session: Session,
    *,
    measurement_id: uuid.UUID,
    result: Result,
    reason: str,
    by: str,
    now: datetime,
    today: date,
    expected_version: int,
) -> Measurement:
    """Put a corrected result in place of one typed wrong: a new row supersedes it, and the
    earlier one stays in the history with who corrected it, when and why."""

    def keeps_the_measure(p: Problems, old: Measurement) -> None:
        p.require(
            result.measure_code == old.measure_code,
            "measure",
            "A correction keeps the measure; strike this result out and record it under "
            "the right measure",
        )

    old = corrections.to_change(
        session,
        Measurement,
        measurement_id,
        what=WHAT,
        expected_version=expected_version,
        reason=reason,
        doing="correcting it",
        also=keeps_the_measure,
    )
    check_result(result, today=today)
    new = _new_row(old.client_id, result)
    if result_of(old) == result_of(new):
        raise ValidationError({"value": "Nothing was changed; change what was typed wrong"})
    corrections.put_in_place(session, old, new, reason=reason, by=by, now=now)
    return new


def strike_out_measurement(
    session: Session,
    *,
    measurement_id: uuid.UUID,
    reason: str,
    by: str,
    now: datetime,
    expected_version: int,
) -> Measurement:
    """Mark a result made in error (the wrong client, a test not done): it leaves the
    charts and figures and stays in the history with who struck it out, when and why."""
    return corrections.strike_out(
        session,
        Measurement,
        measurement_id,
        what=WHAT,
        reason=reason,
        by=by,
        now=now,
        expected_version=expected_version,
    )


def series(
    session: Session,
    *,
    client_id: uuid.UUID,
    measure_code: str,
    side: Side = Side.NONE,
    region: Region | None = None,
) -> list[tuple[date, float]]:
    """One measure's results over time, oldest first: what a chart plots."""
    query = (
        select(Measurement.measured_on, Measurement.value)
        .where(
            Measurement.client_id == client_id,
            Measurement.measure_code == measure_code,
            Measurement.side == side,
            Measurement.is_current,
        )
        .order_by(Measurement.measured_on, Measurement.created_at)
    )
    query = query.where(
        Measurement.region.is_(None) if region is None else Measurement.region == region
    )
    return [(row.measured_on, row.value) for row in session.execute(query)]


# --- Reading results back: rows with their history, and the overview ----------------------

#: One plotted line: a measure, on one side, for one region.
SeriesKey = tuple[str, Side, Region | None]


def series_key(m: Measurement) -> SeriesKey:
    return (m.measure_code, m.side, m.region)


def series_label(spec: MeasureSpec, side: Side, region: Region | None) -> str:
    """'Nine-Hole Peg Test (left)', 'Manual muscle test (MRC/Oxford scale) (right, knee)'."""
    parts = []
    if side is not Side.NONE:
        parts.append(words.mid_sentence(side.label))
    if region is not None:
        parts.append(words.mid_sentence(region.label))
    return spec.name + (f" ({', '.join(parts)})" if parts else "")


def result_text(spec: MeasureSpec, value: float) -> str:
    """A result with its unit in words: '12.4 s', '48 points', 'grade 1+'."""
    if spec.is_ordinal:
        return f"grade {spec.format_value(value)}"
    if spec.unit == "points":
        return f"{spec.format_value(value)} {words.noun(value, 'point')}"
    return spec.format_value(value)


def trials_text(spec: MeasureSpec, trials: Sequence[float] | None) -> str:
    """'8.4 s and 8.6 s': the trials a result is the mean of ('' when none were kept)."""
    return words.listing([spec.format_value(t) for t in trials]) if trials else ""


def devices_text(devices: Sequence[DeviceKind]) -> str:
    """'Cane and ankle-foot orthosis (AFO)'; 'None' when no device was used."""
    if not devices:
        return "None"
    text = words.listing([words.mid_sentence(d.label) for d in devices])
    return text[0].upper() + text[1:]


@dataclass(frozen=True)
class ResultRow:
    """One result as the Measures tab shows it, with its history in words."""

    id: uuid.UUID
    version: int
    key: SeriesKey
    measured_on: date
    value: float
    #: '8.5 s', with the trials when kept: '8.5 s (mean of 8.4 s and 8.6 s)'.
    text: str
    devices: str
    notes: str | None
    #: From the first current result of the series: '−12% (−1.2 s)'; '' for the first.
    change: str
    current: bool
    struck: bool
    #: Earlier versions (for a current row) or what became of it (for a history row).
    history: tuple[str, ...]


def _differences(spec: MeasureSpec, before: Measurement, after: Measurement) -> list[str]:
    """What a correction changed, each as the earlier value: 'was 12.4 s'."""
    changes = []
    if before.value != after.value:
        changes.append(f"was {result_text(spec, before.value)}")
    if before.trial_values != after.trial_values and before.trial_values:
        changes.append(f"trials were {trials_text(spec, before.trial_values)}")
    if before.measured_on != after.measured_on:
        changes.append(f"date was {words.day(before.measured_on)}")
    if before.side != after.side:
        changes.append(f"side was {words.mid_sentence(before.side.label)}")
    if before.region != after.region:
        region = before.region.label if before.region else "none"
        changes.append(f"region was {words.mid_sentence(region)}")
    if tuple(before.devices_used) != tuple(after.devices_used):
        changes.append(f"devices were {words.mid_sentence(devices_text(before.devices_used))}")
    if before.notes != after.notes:
        changes.append("notes were changed")
    return changes


def result_rows(
    measurements: Iterable[Measurement], *, specs: dict[str, MeasureSpec] | None = None
) -> dict[SeriesKey, list[ResultRow]]:
    """Every result of every measure in the catalogue, by series, oldest first; history
    rows (corrected or struck out) included and marked. Change figures count only
    current results."""
    specs = specs if specs is not None else measures()
    rows = sorted(  # on one day, what was corrected before what corrected it
        (m for m in measurements if m.measure_code in specs),
        key=lambda m: (m.measured_on, m.is_current, m.created_at),
    )
    by_id = {m.id: m for m in rows}
    chains = earlier_versions(rows)
    firsts: dict[SeriesKey, float] = {}
    out: dict[SeriesKey, list[ResultRow]] = defaultdict(list)
    for m in rows:
        spec = specs[m.measure_code]
        key = series_key(m)
        change = ""
        if m.is_current:
            if key in firsts:
                change = spec.format_change(firsts[key], m.value)
            else:
                firsts[key] = m.value
        history: list[str] = []
        if m.is_current:
            successor = m
            for earlier in chains.get(m.id, []):
                history.append(
                    corrections.corrected_line(earlier, _differences(spec, earlier, successor))
                )
                successor = earlier
        elif m.struck_at is not None:
            history.append(corrections.struck_line(m))
        else:
            later = by_id.get(m.superseded_by_id) if m.superseded_by_id else None
            now_text = f"now {result_text(spec, later.value)}" if later is not None else ""
            history.append(corrections.corrected_line(m, [now_text] if now_text else []))
        text = result_text(spec, m.value)
        if m.trial_values:
            text += f" (mean of {trials_text(spec, m.trial_values)})"
        out[key].append(
            ResultRow(
                id=m.id,
                version=m.version,
                key=key,
                measured_on=m.measured_on,
                value=m.value,
                text=text,
                devices=devices_text(m.devices_used),
                notes=m.notes,
                change=change,
                current=m.is_current,
                struck=m.struck_at is not None,
                history=tuple(history),
            )
        )
    return dict(out)


@dataclass(frozen=True)
class OverviewRow:
    """A measure's latest result, its change since the one before, and which way it went."""

    key: SeriesKey
    label: str
    latest_on: date
    latest: str
    #: The result before the latest ('' when the latest is the first).
    previous: str
    #: Since the previous: '−12% (−1.2 s)' ('' when the latest is the first).
    change: str
    #: 'better', 'worse', 'no real change' (inside the meaningful-change threshold) or
    #: 'first result'.
    direction: str
    count: int


def overview(
    measurements: Iterable[Measurement], *, specs: dict[str, MeasureSpec] | None = None
) -> list[OverviewRow]:
    """Every measure's latest current result, with its change since the previous one and
    its direction (by the measure's meaningful-change threshold), in name order."""
    specs = specs if specs is not None else measures()
    series: dict[SeriesKey, list[Measurement]] = defaultdict(list)
    for m in current(measurements):
        if m.measure_code in specs:
            series[series_key(m)].append(m)
    rows = []
    for key, results in series.items():
        spec = specs[key[0]]
        results.sort(key=lambda m: (m.measured_on, m.created_at))
        latest = results[-1]
        before = results[-2] if len(results) > 1 else None
        rows.append(
            OverviewRow(
                key=key,
                label=series_label(spec, key[1], key[2]),
                latest_on=latest.measured_on,
                latest=result_text(spec, latest.value),
                previous=result_text(spec, before.value) if before else "",
                change=spec.format_change(before.value, latest.value) if before else "",
                direction=spec.verdict(before.value, latest.value) if before else "first result",
                count=len(results),
            )
        )
    return sorted(rows, key=lambda r: r.label)
