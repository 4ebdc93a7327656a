"""Outcome measures: record results against the catalogue's range, read a series back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from therapy_desk.domain import Client, Measurement
from therapy_desk.domain.vocabulary import DeviceKind, Region, Side
from therapy_desk.library import MeasureSpec, measures
from therapy_desk.services.checks import Problems
from therapy_desk.services.records import fetch


@dataclass(frozen=True)
class Result:
    measure_code: str
    value: float
    measured_on: date
    side: Side = Side.NONE
    region: Region | None = None
    device_used: DeviceKind | None = None
    notes: str | None = None


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
    p.raise_if_any()
    return spec


def record_measurement(
    session: Session, *, client_id: uuid.UUID, result: Result, today: date
) -> Measurement:
    fetch(session, Client, client_id, what="client")
    check_result(result, today=today)
    measurement = Measurement(
        client_id=client_id,
        measure_code=result.measure_code,
        value=result.value,
        measured_on=result.measured_on,
        side=result.side,
        region=result.region,
        device_used=result.device_used,
        notes=(result.notes or "").strip() or None,
    )
    session.add(measurement)
    session.flush()
    return measurement


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
        )
        .order_by(Measurement.measured_on, Measurement.created_at)
    )
    query = query.where(
        Measurement.region.is_(None) if region is None else Measurement.region == region
    )
    return [(row.measured_on, row.value) for row in session.execute(query)]
