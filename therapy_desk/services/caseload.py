"""The caseload: every client as one small row (never a live ORM object), and its filters.

The rows are read with four plain SQL statements over a DB-API connection, so the same
code serves start-up (before SQLAlchemy has loaded, through `therapy_desk.db.direct`)
and every later read (through the session's own connection). Filtering happens in
Python over the rows (`matches`), so the screen, the command line and the tests all
filter one way, and search as you type never goes back to the database.

Advisory counts run the guidance rules over each client's whole record; they are
counted apart (`count_advisories`) so a screen can show the list first.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from therapy_desk.db.direct import Direct
from therapy_desk.domain.vocabulary import (
    DEVICE_HELD,
    Cause,
    ClientStatus,
    DeviceKind,
    MSCourse,
    Region,
    Side,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class CaseloadFilter:
    search: str = ""
    status: ClientStatus | None = ClientStatus.ACTIVE
    due_by: date | None = None
    overdue_trials: bool = False
    has_advisories: bool = False
    course: MSCourse | None = None
    region: Region | None = None
    cause: Cause | None = None


class CaseloadRow(NamedTuple):
    """One client in the list. A tuple, not a dataclass: 50,000 of them are built at a
    time, and a frozen dataclass costs ten times as much to make."""

    id: uuid.UUID
    reference: str
    name: str
    status: ClientStatus
    ms_course: MSCourse
    next_follow_up: date | None
    main_weakness: str | None
    devices: tuple[DeviceKind, ...]
    overdue_trials: int
    #: Open advisories; None until they have been counted.
    advisories: int | None = None
    #: (region, cause) of each open finding, so the screen can filter without a query.
    open_findings: frozenset[tuple[Region, Cause]] = frozenset()


#: Stored value → member, looked up instead of calling the enum (much cheaper per row).
_STATUS = {m.value: m for m in ClientStatus}
_COURSE = {m.value: m for m in MSCourse}
_REGION = {m.value: m for m in Region}
_SIDE = {m.value: m for m in Side}
_CAUSE = {m.value: m for m in Cause}
_DEVICE = {m.value: m for m in DeviceKind}
_HELD = tuple(sorted(s.value for s in DEVICE_HELD))

# Each statement leaves room ({only}) for "and only these clients".
_CLIENTS = (
    "SELECT id, reference, name, status, ms_course, next_follow_up FROM client WHERE 1 = 1{only}"
)
_OPEN_FINDINGS = (
    "SELECT client_id, region, side, cause, strength_grade FROM weakness_finding"
    " WHERE resolved_on IS NULL{only}"
)
_DEVICES_HELD = (
    "SELECT client_id, kind FROM device_assignment"
    f" WHERE status IN ({', '.join('?' for _ in _HELD)}){{only}} ORDER BY started_on"
)
_OVERDUE_TRIALS = (
    "SELECT client_id, count(*) FROM trial WHERE outcome IS NULL AND review_on < ?{only}"
    " GROUP BY client_id"
)


def direct_of(session: Session) -> Direct:
    """The session's own DB-API connection, inside its transaction (not to be closed)."""
    bind = session.get_bind()
    return Direct(bind.dialect.name, session.connection().connection.driver_connection)


def read_caseload(
    direct: Direct,
    *,
    today: date,
    ids: Sequence[uuid.UUID] | None = None,
    first: int | None = None,
) -> list[CaseloadRow]:
    """Clients ordered by name, with the facts the list shows (advisories not yet counted).

    Every client by default; only `ids` if given; or only the `first` few by name, which
    is what start-up paints while the rest is read.
    """
    if first is not None:
        by_name_first = _CLIENTS.format(only="") + " ORDER BY lower(name), reference LIMIT ?"
        clients = direct.run(by_name_first, (first,))
        keys: list[Any] | None = [c[0] for c in clients]
    elif ids is not None:
        keys = [direct.key(i) for i in ids]
        clients = _for_keys(direct, _CLIENTS, "id", keys, ())
    else:
        keys = None
        clients = _for_keys(direct, _CLIENTS, "id", None, ())
    weakness, open_findings = _open_findings(direct, keys)
    held: dict[Any, list[DeviceKind]] = defaultdict(list)
    for key, kind in _for_keys(direct, _DEVICES_HELD, "client_id", keys, _HELD):
        held[key].append(_DEVICE[kind])
    late = dict(_for_keys(direct, _OVERDUE_TRIALS, "client_id", keys, (direct.day(today),)))
    to_id = _id_reader(direct)
    to_day = _day_reader(direct)
    no_devices: tuple[DeviceKind, ...] = ()
    no_findings: frozenset[tuple[Region, Cause]] = frozenset()
    rows = [
        CaseloadRow(
            to_id(key),
            reference,
            name,
            _STATUS[status],
            _COURSE[course],
            to_day(follow_up),
            weakness.get(key),
            tuple(held[key]) if key in held else no_devices,
            late.get(key, 0),
            None,
            open_findings.get(key, no_findings),
        )
        for key, reference, name, status, course, follow_up in clients
    ]
    # Sorted here rather than by SQL: SQLite's lower() knows only ASCII, and Python's
    # casefold orders "Ådne" and "Łukasz" the same on every backend.
    rows.sort(key=by_name)
    return rows


def caseload_statements(direct: Direct, *, today: date) -> list[tuple[str, tuple[Any, ...]]]:
    """The statements `read_caseload` runs for every client, with their parameters: the
    benchmark runs them bare through the driver as the floor to compare with."""
    return [
        (_CLIENTS.format(only=""), ()),
        (_OPEN_FINDINGS.format(only=""), ()),
        (_DEVICES_HELD.format(only=""), _HELD),
        (_OVERDUE_TRIALS.format(only=""), (direct.day(today),)),
    ]


def by_name(row: CaseloadRow) -> tuple[str, str]:
    return (row.name.casefold(), row.reference)


def count_clients(direct: Direct) -> int:
    return int(direct.run("SELECT count(*) FROM client")[0][0])


#: Keys per IN (...) list: well inside every backend's bound-parameter limit.
_CHUNK = 900


def _for_keys(
    direct: Direct, sql: str, column: str, keys: list[Any] | None, params: Sequence[Any]
) -> list[tuple[Any, ...]]:
    """Run a statement for these clients only (None: every client), a chunk at a time."""
    if keys is None:
        return direct.run(sql.format(only=""), params)
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        only = f" AND {column} IN ({', '.join('?' for _ in chunk)})"
        found.extend(direct.run(sql.format(only=only), (*params, *chunk)))
    return found


def _open_findings(
    direct: Direct, keys: list[Any] | None
) -> tuple[dict[Any, str], dict[Any, frozenset[tuple[Region, Cause]]]]:
    """Per client: the weakest open finding in words ('Ankle and foot (left), nerve
    damage'), and the region and cause of every open finding."""
    best: dict[Any, tuple[int, tuple[str, str, str]]] = {}
    found: dict[Any, set[tuple[Region, Cause]]] = defaultdict(set)
    for key, region, side, cause, grade in _for_keys(direct, _OPEN_FINDINGS, "client_id", keys, ()):
        found[key].add((_REGION[region], _CAUSE[cause]))
        rank = 6 if grade is None else grade
        if key not in best or rank < best[key][0]:
            best[key] = (rank, (region, side, cause))
    return (
        {key: _weakness_words(*finding) for key, (_, finding) in best.items()},
        {key: frozenset(pairs) for key, pairs in found.items()},
    )


_WORDS: dict[tuple[str, str, str], str] = {}


def _weakness_words(region: str, side: str, cause: str) -> str:
    words = _WORDS.get((region, side, cause))
    if words is None:
        sided = _SIDE[side]
        side_words = "" if sided in (Side.NONE, Side.BOTH) else f" ({sided.label.lower()})"
        cause_words = _CAUSE[cause].label.split(" (")[0].lower()
        words = _WORDS[(region, side, cause)] = (
            f"{_REGION[region].label}{side_words}, {cause_words}"
        )
    return words


def _id_reader(direct: Direct) -> Any:
    # SQLAlchemy keeps a UUID as 32 hex digits on SQLite; psycopg hands back UUIDs.
    # UUID(int=…) skips the text clean-up UUID(hex=…) does: half the cost per row.
    if direct.backend == "sqlite":
        return lambda key: uuid.UUID(int=int(key, 16))
    return lambda key: key


def _day_reader(direct: Direct) -> Any:
    if direct.backend != "sqlite":
        return lambda value: value
    return lambda value: None if value is None else date.fromisoformat(value)


def with_advisories(rows: Iterable[CaseloadRow], counts: dict[uuid.UUID, int]) -> list[CaseloadRow]:
    """The rows with their advisory counts filled in (clients missing from counts have none)."""
    return [r._replace(advisories=counts.get(r.id, 0)) for r in rows]


def count_advisories(
    session: Session, client_ids: Sequence[uuid.UUID] | None, *, today: date
) -> dict[uuid.UUID, int]:
    """Open advisories per client (None: every client); clients with none are left out."""
    from therapy_desk.services.advisories import open_advisory_counts

    return open_advisory_counts(session, client_ids, today=today)


def caseload_rows(
    session: Session, *, today: date, ids: Sequence[uuid.UUID] | None = None
) -> list[CaseloadRow]:
    """`read_caseload` through the session's connection."""
    return read_caseload(direct_of(session), today=today, ids=ids)


def client_row(session: Session, *, client_id: uuid.UUID, today: date) -> CaseloadRow | None:
    """One client's row, advisories counted; None if the client is gone."""
    rows = caseload_rows(session, today=today, ids=[client_id])
    if not rows:
        return None
    return with_advisories(rows, count_advisories(session, [client_id], today=today))[0]


def list_caseload(session: Session, *, filters: CaseloadFilter, today: date) -> list[CaseloadRow]:
    """The clients the filter lets through, ordered by name, advisories counted."""
    rows = read_caseload(direct_of(session), today=today)
    narrowed = [r for r in rows if matches(r, replace(filters, has_advisories=False))]
    everyone = len(narrowed) == len(rows)
    counts = count_advisories(session, None if everyone else [r.id for r in narrowed], today=today)
    counted = with_advisories(narrowed, counts)
    if filters.has_advisories:
        counted = [r for r in counted if r.advisories]
    return counted


def matches(row: CaseloadRow, filters: CaseloadFilter) -> bool:
    """Whether the row passes the filter. Search looks for the text anywhere in the name
    or the reference, ignoring case. A row whose advisories are not counted yet does not
    pass "has advisories"."""
    needle = filters.search.strip().lower()
    if needle and needle not in row.name.lower() and needle not in row.reference.lower():
        return False
    if filters.status is not None and row.status != filters.status:
        return False
    if filters.due_by is not None and (
        row.next_follow_up is None or row.next_follow_up > filters.due_by
    ):
        return False
    if filters.course is not None and row.ms_course != filters.course:
        return False
    if (filters.region is not None or filters.cause is not None) and not any(
        filters.region in (None, region) and filters.cause in (None, cause)
        for region, cause in row.open_findings
    ):
        return False
    if filters.overdue_trials and not row.overdue_trials:
        return False
    return not (filters.has_advisories and not row.advisories)
