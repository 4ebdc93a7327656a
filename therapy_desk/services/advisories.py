"""Advisories for one client or many: gather the facts in bulk, run the rules, apply dismissals."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from itertools import chain
from typing import Any, NamedTuple

from sqlalchemy import Dialect, Select, String, and_, bindparam, or_, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from therapy_desk import guidance, words
from therapy_desk.domain import (
    AdvisoryDismissal,
    Client,
    DeviceAssignment,
    Exercise,
    Fall,
    Measurement,
    Programme,
    ProgrammeItem,
    ProgrammeRevision,
    Trial,
    WeaknessFinding,
)
from therapy_desk.domain.vocabulary import Band, ExerciseCategory, Region
from therapy_desk.guidance import Advisory, ClientFacts
from therapy_desk.services.checks import Problems
from therapy_desk.services.errors import ValidationError
from therapy_desk.services.records import CHUNK, fetch, rows_for_clients
from therapy_desk.services.rules import rules_off


@dataclass(frozen=True)
class Dismissed:
    by: str
    at: datetime
    reason: str


@dataclass(frozen=True)
class AdvisoryView:
    advisory: Advisory
    dismissed: Dismissed | None = None


def load_words(load_kg: float | None, band: Band | None) -> str | None:
    """An item's load as a handout would say it: 'a 1.5 kg weight', 'a light band'."""
    if load_kg is not None:
        return f"a {load_kg:g} kg weight"
    if band is not None:
        return f"a {words.mid_sentence(band.label)} band"
    return None


class _Decoded(dict[Any, Any]):
    """One column's raw values, decoded the way its SQLAlchemy type would, each distinct value once.

    Most values repeat from row to row (a client's id, a region, a date), and decoding
    them row by row (a UUID, an enum member) was most of the cost of gathering the whole
    caseload's facts. Only for types whose decoding ignores the driver's column type
    code (UUID, enum, date, boolean); select such columns through `_raw`.
    """

    def __init__(self, session: Session, column: Any) -> None:
        super().__init__()
        self._decode = _processor(session.get_bind().dialect, column.type)

    def __missing__(self, raw: Any) -> Any:
        value = raw if self._decode is None else self._decode(raw)
        self[raw] = value
        return value


@cache
def _processor(dialect: Dialect, type_: TypeEngine[Any]) -> Callable[[Any], Any] | None:
    """How SQLAlchemy turns a driver's value of this type into Python's (None: as it is)."""
    return type_.dialect_impl(dialect).result_processor(dialect, None)


def _raw(column: Any) -> Any:
    """Select a column's value as the driver returns it, to be decoded by a `_Decoded`."""
    return type_coerce(column, String)


class _PerClient(NamedTuple):
    """A per-client query, for every client and for some (bind `client_ids`)."""

    every: Select[*tuple[Any, ...]]
    some: Select[*tuple[Any, ...]]


def _per_client(query: Select[*tuple[Any, ...]], column: Any) -> _PerClient:
    return _PerClient(query, query.where(column.in_(bindparam("client_ids", expanding=True))))


def _plain_rows(
    session: Session, query: _PerClient, ids: Sequence[uuid.UUID] | None
) -> Iterator[Any]:
    """`rows_for_clients` as Core rows, read a thousand at a time from the session's connection.

    The ORM's result handling builds every row of a result before the first is read, which
    with tens of thousands of rows (and the garbage collection it sets off) was a fifth of
    the time to count every client's advisories. Pending changes are flushed first, as the
    ORM would, so the facts include them.
    """
    if session.autoflush:
        session.flush()
    connection = session.connection()
    if ids is None:
        runs: list[tuple[Select[*tuple[Any, ...]], dict[str, Any]]] = [(query.every, {})]
    else:
        runs = [
            (query.some, {"client_ids": ids[at : at + CHUNK]}) for at in range(0, len(ids), CHUNK)
        ]
    for statement, parameters in runs:
        for rows in connection.execute(statement, parameters).partitions(1000):
            yield from rows


class _Queries(NamedTuple):
    """What `gather_facts` reads, in the order its loops unpack the columns."""

    findings: _PerClient
    items: _PerClient
    keyed_items: _PerClient
    history: _PerClient
    programmes: _PerClient
    devices: _PerClient
    trials: _PerClient
    falls: _PerClient
    measurements: _PerClient
    flags: _PerClient


@cache
def _queries() -> _Queries:
    """Built once: for one client, building the statements cost more than running them."""
    F, D, T = WeaknessFinding, DeviceAssignment, Trial
    findings = select(
        *map(
            _raw,
            (
                F.client_id,
                F.id,
                F.region,
                F.side,
                F.cause,
                F.fatigue_linked,
                F.during_relapse,
                F.foot_drop,
            ),
        ),
        _raw(F.onset_on),
        _raw(F.relapse_over_on),
        F.created_at,
    ).where(F.resolved_on.is_(None))
    Item, R = ProgrammeItem, ProgrammeRevision
    #: What makes two revisions' items the same dose and load (see _unchanged_since).
    #: (Selected raw, as the items query selects them, so the two compare equal.)
    dose = (
        _raw(Item.exercise_id),
        Item.sets,
        Item.reps,
        Item.hold_seconds,
        Item.duration_minutes,
        Item.load_kg,
        _raw(Item.band),
    )
    all_items = (
        select(
            _raw(Programme.client_id),
            _raw(Item.exercise_id),
            Exercise.code,
            Exercise.name,
            _raw(Exercise.category),
            Exercise.regions,
            Item.load_kg,
            _raw(Item.band),
            _raw(Item.side),
            Item.days_per_week,
            R.programme_id,
            R.number,
            _raw(R.issued_on),
            *dose[1:5],
        )
        .join(R, R.programme_id == Programme.id)
        .join(Item, Item.revision_id == R.id)
        .join(Exercise, Exercise.id == Item.exercise_id)
        .where(Programme.ended_on.is_(None))
    )
    items = all_items.where(R.superseded_on.is_(None))
    is_resistance = or_(  # ItemFact.is_resistance
        Exercise.category == ExerciseCategory.RESISTANCE,
        Item.load_kg.is_not(None),
        Item.band.is_not(None),
    )
    keyed_items = items.where(  # ItemFact.is_keyed
        or_(is_resistance, Exercise.category.in_(sorted(guidance.KEYED_CATEGORIES)))
    )
    history = (
        select(_raw(Programme.client_id), R.programme_id, R.number, _raw(R.issued_on), *dose)
        .join(R, R.programme_id == Programme.id)
        .join(Item, Item.revision_id == R.id)
        .join(Exercise, Exercise.id == Item.exercise_id)
        .where(Programme.ended_on.is_(None), is_resistance)
    )
    programmes = select(_raw(Programme.client_id)).where(Programme.ended_on.is_(None))
    devices = select(_raw(D.client_id), _raw(D.kind), _raw(D.status), _raw(D.review_on), _raw(D.id))
    trials = select(
        _raw(T.client_id),
        _raw(T.id),
        T.what,
        _raw(T.review_on),
        _raw(T.outcome),
        _raw(T.reviewed_on),
        _raw(T.decision),
    ).where(
        # A trial reviewed as helpful, or reviewed and decided, can raise nothing (_trials).
        or_(
            T.outcome.is_(None),
            and_(T.outcome.in_(sorted(guidance.UNHELPFUL_OUTCOMES)), T.decision.is_(None)),
        )
    )
    falls = select(_raw(Fall.client_id), _raw(Fall.id), _raw(Fall.fell_on)).where(Fall.is_current)
    M = Measurement
    measurements = select(
        _raw(M.client_id),
        _raw(M.id),
        M.measure_code,
        M.value,
        _raw(M.measured_on),
        _raw(M.side),
        _raw(M.region),
    ).where(M.is_current)  # a corrected or struck-out result raises nothing
    flags = select(_raw(Client.id), _raw(Client.heat_sensitive), _raw(Client.ot_involved)).where(
        or_(Client.heat_sensitive.is_(True), Client.ot_involved.is_(True))
    )
    return _Queries(
        findings=_per_client(findings, F.client_id),
        items=_per_client(items, Programme.client_id),
        keyed_items=_per_client(keyed_items, Programme.client_id),
        history=_per_client(history, Programme.client_id),
        programmes=_per_client(programmes, Programme.client_id),
        devices=_per_client(devices, D.client_id),
        trials=_per_client(trials, T.client_id),
        falls=_per_client(falls, Fall.client_id),
        measurements=_per_client(measurements, M.client_id),
        flags=_per_client(flags, Client.id),
    )


def _unchanged_since(
    session: Session, client_ids: Sequence[uuid.UUID] | None
) -> dict[tuple[Any, Any], date]:
    """Since when each current resistance item has kept its dose and load.

    Keyed by (programme id, dose): the issue date of the earliest revision in the unbroken
    run of revisions, back from the current one, that holds the same exercise at the same
    sets, repeats, hold, minutes, weight and band.
    """
    day = _Decoded(session, ProgrammeRevision.issued_on)
    revisions: defaultdict[Any, dict[int, tuple[date, set[tuple[Any, ...]]]]] = defaultdict(dict)
    for _cid, programme, number, issued, *dose in _plain_rows(
        session, _queries().history, client_ids
    ):
        revisions[programme].setdefault(number, (day[issued], set()))[1].add(tuple(dose))
    since: dict[tuple[Any, Any], date] = {}
    for programme, by_number in revisions.items():
        current = max(by_number)
        for dose in by_number[current][1]:
            number = current
            while number - 1 in by_number and dose in by_number[number - 1][1]:
                number -= 1
            since[programme, dose] = by_number[number][0]
    return since


def gather_facts(
    session: Session, client_ids: Sequence[uuid.UUID] | None, *, for_keys: bool = False
) -> dict[uuid.UUID, ClientFacts]:
    """The guidance facts for these clients (None: every client) in ten queries.

    Resolved findings and settled trials are left out: no rule can raise anything from
    them. With `for_keys`, so are the items no rule keys on (`ItemFact.is_keyed`), which
    only the wording reads: enough for `guidance.advisory_keys`, not for `guidance.advise`.

    Values are decoded once per distinct value (see `_Decoded`), rows are grouped by the
    raw client id, and equal items and devices share one (frozen) fact object.
    """
    queries = _queries()
    client = _Decoded(session, Client.id)

    F = WeaknessFinding
    # (every boolean column decodes alike, and every date column)
    finding_id, region, side, cause, flag, day = (
        _Decoded(session, c)
        for c in (F.id, F.region, F.side, F.cause, F.fatigue_linked, F.onset_on)
    )
    findings: defaultdict[Any, list[guidance.FindingFact]] = defaultdict(list)
    for cid, fid, reg, sd, cs, tired, relapse, drop, onset, over, created in _plain_rows(
        session, queries.findings, client_ids
    ):
        findings[cid].append(
            guidance.FindingFact(
                finding_id[fid],
                region[reg],
                side[sd],
                cause[cs],
                flag[tired],
                flag[relapse],
                day[onset],
                foot_drop=flag[drop],
                relapse_over_on=day[over],
                recorded_on=created.date() if created is not None else None,
            )
        )

    band, category = _Decoded(session, ProgrammeItem.band), _Decoded(session, Exercise.category)
    items: defaultdict[Any, list[guidance.ItemFact]] = defaultdict(list)
    made_items: dict[tuple[Any, ...], guidance.ItemFact] = {}
    current_items = queries.keyed_items if for_keys else queries.items
    unchanged = _unchanged_since(session, client_ids)
    for (
        cid,
        ex,
        code,
        name,
        cat,
        regions,
        kg,
        bd,
        sd,
        days,
        programme,
        _number,
        _issued,
        *dose,
    ) in _plain_rows(session, current_items, client_ids):
        steady = unchanged.get((programme, (ex, *dose, kg, bd)))
        key = (ex, kg, bd, sd, days, steady)
        item = made_items.get(key)
        if item is None:
            item = made_items[key] = guidance.ItemFact(
                code,
                name,
                category[cat],
                frozenset(Region(x) for x in regions),
                kg is not None or bd is not None,
                side[sd],
                days,
                load_words(kg, band[bd]),
                steady,
            )
        items[cid].append(item)

    has_active = {cid for (cid,) in _plain_rows(session, queries.programmes, client_ids)}

    D = DeviceAssignment
    kind, status = _Decoded(session, D.kind), _Decoded(session, D.status)
    devices: defaultdict[Any, list[guidance.DeviceFact]] = defaultdict(list)
    device_id = _Decoded(session, D.id)
    for cid, kd, st, review, did in _plain_rows(session, queries.devices, client_ids):
        devices[cid].append(guidance.DeviceFact(kind[kd], status[st], day[review], device_id[did]))

    T = Trial
    trial_id, outcome, decision = (_Decoded(session, c) for c in (T.id, T.outcome, T.decision))
    trials: defaultdict[Any, list[guidance.TrialFact]] = defaultdict(list)
    for cid, tid, what, review, out, reviewed, dec in _plain_rows(
        session, queries.trials, client_ids
    ):
        trials[cid].append(
            guidance.TrialFact(
                trial_id[tid], what, day[review], outcome[out], day[reviewed], decision[dec]
            )
        )

    fall_id = _Decoded(session, Fall.id)
    falls: defaultdict[Any, list[guidance.FallFact]] = defaultdict(list)
    for cid, fid, fell in _plain_rows(session, queries.falls, client_ids):
        falls[cid].append(guidance.FallFact(fall_id[fid], day[fell]))

    M = Measurement
    measure_id, measure_region = _Decoded(session, M.id), _Decoded(session, M.region)
    measured: defaultdict[Any, list[guidance.MeasureFact]] = defaultdict(list)
    for cid, mid, code, value, on, sd, reg in _plain_rows(
        session, queries.measurements, client_ids
    ):
        measured[cid].append(
            guidance.MeasureFact(
                measure_id[mid], code, value, day[on], side[sd], measure_region[reg]
            )
        )

    flags = {
        cid: (flag[heat], flag[ot])
        for cid, heat, ot in _plain_rows(session, queries.flags, client_ids)
    }

    # Every client with a fact, in the order the rows came.
    everyone = dict.fromkeys(
        chain(findings, items, has_active, devices, trials, falls, measured, flags)
    )
    return {
        client[cid]: ClientFacts(
            findings=tuple(findings.get(cid, ())),
            items=tuple(items.get(cid, ())),
            has_active_programme=cid in has_active,
            devices=tuple(devices.get(cid, ())),
            trials=tuple(trials.get(cid, ())),
            falls=tuple(falls.get(cid, ())),
            measurements=tuple(measured.get(cid, ())),
            heat_sensitive=flags.get(cid, (False, False))[0],
            ot_involved=flags.get(cid, (False, False))[1],
        )
        for cid in everyone
    }


def _dismissals(
    session: Session, client_ids: Sequence[uuid.UUID] | None
) -> dict[uuid.UUID, dict[tuple[str, str], Dismissed]]:
    A = AdvisoryDismissal
    found: dict[uuid.UUID, dict[tuple[str, str], Dismissed]] = defaultdict(dict)
    query = select(A.client_id, A.code, A.about, A.dismissed_by, A.dismissed_at, A.reason)
    for r in rows_for_clients(session, query, A.client_id, client_ids):
        found[r.client_id][(r.code, r.about)] = Dismissed(r.dismissed_by, r.dismissed_at, r.reason)
    return found


def advisories_for(
    session: Session, *, client_id: uuid.UUID, today: date, include_dismissed: bool = False
) -> list[AdvisoryView]:
    fetch(session, Client, client_id, what="client")
    facts = gather_facts(session, [client_id]).get(client_id, ClientFacts())
    dismissed = _dismissals(session, [client_id]).get(client_id, {})
    off = rules_off(session)
    views = [
        AdvisoryView(a, dismissed.get(a.key)) for a in guidance.advise(facts, today=today, off=off)
    ]
    return [v for v in views if include_dismissed or v.dismissed is None]


def open_advisory_counts(
    session: Session, client_ids: Sequence[uuid.UUID] | None, *, today: date
) -> dict[uuid.UUID, int]:
    """How many undismissed advisories each client has (clients with none are left out).

    Rules the clinic has turned off count nothing.
    """
    off = rules_off(session)
    facts = gather_facts(session, client_ids, for_keys=True)
    dismissed = _dismissals(session, client_ids)
    counts: dict[uuid.UUID, int] = {}
    for client_id, client_facts in facts.items():
        keys = guidance.advisory_keys(client_facts, today=today, off=off)
        gone = dismissed.get(client_id)
        n = sum(1 for key in keys if key not in gone) if gone else len(keys)
        if n:
            counts[client_id] = n
    return counts


def dismiss_advisory(
    session: Session,
    *,
    client_id: uuid.UUID,
    code: str,
    about: str,
    reason: str,
    by: str,
    now: datetime,
) -> AdvisoryDismissal:
    """Record that a therapist has read an advisory and chosen not to act, and why."""
    p = Problems()
    p.text("reason", reason, label="Reason for dismissing", limit=2000, required=True)
    p.raise_if_any()
    raised = {
        v.advisory.key for v in advisories_for(session, client_id=client_id, today=now.date())
    }
    if (code, about) not in raised:
        raise ValidationError(
            {"advisory": f"No open advisory {code} about {about} for this client"}
        )
    dismissal = AdvisoryDismissal(
        client_id=client_id,
        code=code,
        about=about,
        dismissed_by=by,
        dismissed_at=now,
        reason=reason.strip(),
    )
    session.add(dismissal)
    session.flush()
    return dismissal


def restore_advisory(session: Session, *, client_id: uuid.UUID, code: str, about: str) -> None:
    """Undo a dismissal so the advisory shows again."""
    found = session.scalar(
        select(AdvisoryDismissal).where(
            AdvisoryDismissal.client_id == client_id,
            AdvisoryDismissal.code == code,
            AdvisoryDismissal.about == about,
        )
    )
    if found is not None:
        session.delete(found)
        session.flush()
