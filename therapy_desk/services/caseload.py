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
from therapy_desk.services.search_text import haystack, needle
from therapy_desk.words import mid_sentence

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


def _caseload_sql(backend: str, only: str) -> str:
    """One statement: each client with every open finding (grade, region, side, cause),
    the devices they hold and their trials past review, each gathered by an index probe
    per client and joined into a string, so Python only unpacks a row per client.
    `only` is "" or an IN (...) list of client keys."""
    finding = "coalesce(strength_grade, 6) || '|' || region || '|' || side || '|' || cause"
    device = "CAST(started_on AS TEXT) || '|' || kind"
    if backend == "sqlite":
        findings, devices = f"group_concat({finding})", f"group_concat({device})"
    else:
        findings, devices = f"string_agg({finding}, ',')", f"string_agg({device}, ',')"
    held = ", ".join("?" for _ in _HELD)
    return (
        "SELECT c.id, c.reference, c.name, c.status, c.ms_course, c.next_follow_up,"
        f" (SELECT {findings} FROM weakness_finding f"
        "  WHERE f.client_id = c.id AND f.resolved_on IS NULL),"
        f" (SELECT {devices} FROM device_assignment d"
        f"  WHERE d.client_id = c.id AND d.status IN ({held})),"
        " (SELECT count(*) FROM trial t"
        "  WHERE t.client_id = c.id AND t.outcome IS NULL AND t.review_on < ?)"
        " FROM client c" + (f" WHERE c.id IN {only}" if only else "")
    )


def _caseload_params(direct: Direct, today: date, keys: Sequence[Any]) -> tuple[Any, ...]:
    """The parameters in the order `_caseload_sql` asks for them."""
    return (*_HELD, direct.day(today), *keys)


def direct_of(session: Session) -> Direct:
    """The session's own DB-API connection, inside its transaction (not to be closed)."""
    bind = session.get_bind()
    return Direct(bind.dialect.name, session.connection().connection.driver_connection)


#: Keys per statement: well inside every backend's bound-parameter limit.
_CHUNK = 900


def read_caseload(
    direct: Direct,
    *,
    today: date,
    ids: Sequence[uuid.UUID] | None = None,
    first: int | None = None,
) -> list[CaseloadRow]:
    """Clients with the facts the list shows (advisories not yet counted), in no set
    order: the screen sorts them its own way, `list_caseload` by name.

    Every client by default; only `ids` if given; or only the `first` few by name, which
    is what start-up paints while the rest is read.
    """
    if first is not None:
        first_keys = "SELECT id FROM client ORDER BY lower(name), reference LIMIT ?"
        keys = [key for (key,) in direct.run(first_keys, (first,))]
    elif ids is not None:
        keys = [direct.key(i) for i in ids]
    else:
        return _rows(direct, direct.run(*caseload_statement(direct, today=today)))
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        only = f"({', '.join('?' for _ in chunk)})"
        sql = _caseload_sql(direct.backend, only)
        found.extend(direct.run(sql, _caseload_params(direct, today, chunk)))
    return _rows(direct, found)


def caseload_statement(direct: Direct, *, today: date) -> tuple[str, tuple[Any, ...]]:
    """The statement `read_caseload` runs for every client, with its parameters: the
    benchmark runs it bare through the driver as the floor to compare with."""
    return _caseload_sql(direct.backend, ""), _caseload_params(direct, today, ())


def by_name(row: CaseloadRow) -> tuple[str, str]:
    """Name order on every backend (SQLite's lower() knows only ASCII)."""
    return (row.name.casefold(), row.reference)


def _rows(direct: Direct, found: list[tuple[Any, ...]]) -> list[CaseloadRow]:
    to_id = _id_reader(direct)
    to_day = _day_reader(direct)
    no_devices: tuple[DeviceKind, ...] = ()
    no_findings: frozenset[tuple[Region, Cause]] = frozenset()
    rows = []
    for key, reference, name, status, course, follow_up, findings, held, late in found:
        if findings is None:
            weakest, open_findings = None, no_findings
        else:
            parts = findings.split(",")
            weakest = _finding(min(parts)).words
            open_findings = frozenset([_finding(p).pair for p in parts])
        rows.append(
            CaseloadRow(
                to_id(key),
                reference,
                name,
                _STATUS[status],
                _COURSE[course],
                to_day(follow_up),
                weakest,
                no_devices if held is None else _devices(held),
                late or 0,
                None,
                open_findings,
            )
        )
    return rows


class _Finding(NamedTuple):
    pair: tuple[Region, Cause]
    #: 'Ankle and foot (left), nerve damage'.
    words: str


_FINDINGS: dict[str, _Finding] = {}


def _finding(text: str) -> _Finding:
    """'2|ankle_foot|left|nerve_damage' (grade first, so the weakest sorts first)."""
    known = _FINDINGS.get(text)
    if known is None:
        _, region, side, cause = text.split("|")
        sided = _SIDE[side]
        side_words = "" if sided in (Side.NONE, Side.BOTH) else f" ({mid_sentence(sided.label)})"
        cause_words = mid_sentence(_CAUSE[cause].label.split(" (")[0])
        words = f"{_REGION[region].label}{side_words}, {cause_words}"
        known = _FINDINGS[text] = _Finding((_REGION[region], _CAUSE[cause]), words)
    return known


def _devices(held: str) -> tuple[DeviceKind, ...]:
    """'2025-03-01|cane,2024-11-02|afo' → the kinds in the order they were started."""
    parts = held.split(",")
    if len(parts) > 1:
        parts.sort()
    return tuple([_DEVICE[p.partition("|")[2]] for p in parts])


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
    rows.sort(key=by_name)
    narrowed = [r for r in rows if matches(r, replace(filters, has_advisories=False))]
    everyone = len(narrowed) == len(rows)
    counts = count_advisories(session, None if everyone else [r.id for r in narrowed], today=today)
    counted = with_advisories(narrowed, counts)
    if filters.has_advisories:
        counted = [r for r in counted if r.advisories]
    return counted


def matches(row: CaseloadRow, filters: CaseloadFilter) -> bool:
    """Whether the row passes the filter. Search looks for the text anywhere in the name
    or the reference, ignoring case, accents, spaces and punctuation (`search_text.fold`:
    "garcia" finds García, "oneill" finds O'Neill). A row whose advisories are not
    counted yet does not pass "has advisories"."""
    wanted = needle(filters.search)
    if wanted and wanted not in haystack(row.name, row.reference):
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
