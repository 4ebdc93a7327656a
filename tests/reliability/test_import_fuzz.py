"""A fuzzer of the client record import, on SQLite and PostgreSQL.

Each case starts from a real export (a client with every kind of row, in a clinic of
demo clients), mutates it — keys dropped, added or replaced; hostile values (NaN, huge
numbers, NUL, lone surrogates, control characters, invisible names, year 1 and 9999
timestamps with offsets, long strings, wrong types, deep nesting); duplicated list
entries; loops of trials; ids wired to other rows here or in the file — then writes
it (sometimes with a key given twice, cut short, or not UTF-8) and imports it through
`read_record_file` and `import_record`, with or without the client already present.

The property: either the import succeeds and what the file said is what the database
now holds, or ImportError_ is raised and the transaction is exactly as it was (a row
count and a digest of every table). Any other exception fails, and so does a refusal
that came from the database rather than from the import's own checks.

Default: a bounded number of cases per backend (well under a minute for both);
``--long``: 2,000 per backend, in hypothesis and in a seeded loop that counts tracebacks.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import random
import re
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.core.test_exchange import full_client
from tests.factories import TODAY
from therapy_desk.db.database import USER, Database
from therapy_desk.domain import (
    AdvisoryDismissal,
    Base,
    Client,
    Exercise,
    HandoutRecord,
    ProgrammeItem,
    Trial,
    TrialNote,
)
from therapy_desk.domain.base import UTCDateTime
from therapy_desk.domain.vocabulary import Side, TrialDecision, TrialOutcome
from therapy_desk.exchange import ImportError_, export_client, import_record, read_record_file
from therapy_desk.exchange.importer import UNCHECKED_RULE
from therapy_desk.exchange.layout import TREE, Node
from therapy_desk.library.catalogue import parse_exercise
from therapy_desk.services import falls
from therapy_desk.services.catalogue import add_clinic_exercises
from therapy_desk.services.demo import build_demo_clinic

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
#: Cases per backend: hypothesis's, and the seeded loop's.
DEFAULT_EXAMPLES, DEFAULT_SEEDED = 120, 120
LONG_EXAMPLES, LONG_SEEDED = 2000, 2000
#: The seeded loop's first seed (each case i uses SEED + i); set to replay a case.
SEED = int(os.environ.get("THERAPY_DESK_FUZZ_SEED", "20261129"))


def _long(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--long"))


# -- The clinic the cases run in ----------------------------------------------------------------


CLINIC_EXERCISE = {
    "code": "fuzz-wall-push",
    "name": "Wall push",
    "category": "functional",
    "summary": "Push away from a wall",
    "regions": ["arm", "shoulder"],
    "equipment": [],
    "suits": ["deconditioning"],
    "steps": ["Stand at arm's length", "Push away"],
    "cautions": ["Stop if dizzy"],
    "illustration": None,
    "dose": {"sets": 2, "reps": 10},
}


@dataclass
class Ground:
    """What every case starts from."""

    clinic: Database
    document: dict[str, Any]
    client_id: uuid.UUID
    #: Ids of rows here, the client's and other clients' (to wire the file's ids to).
    others: list[str]


def _lay_ground(clinic: Database) -> Ground:
    """A demo clinic, one client with every kind of row exported, then more added here."""
    with clinic.transaction() as session:
        build_demo_clinic(session, clients=3, seed=11, today=TODAY)
    with clinic.transaction() as session:
        client_id = full_client(session, "FUZZ-1")
        add_clinic_exercises(session, [parse_exercise(CLINIC_EXERCISE)])
        own = session.scalar(select(Exercise).where(Exercise.code == CLINIC_EXERCISE["code"]))
        client = session.get(Client, client_id)
        assert own is not None and client is not None
        client.programmes[0].revisions[-1].items.append(
            ProgrammeItem(position=9, exercise=own, sets=2, reps=10, side=Side.BOTH)
        )
        first = min(client.trials, key=lambda t: t.started_on)
        first.outcome, first.reviewed_on = TrialOutcome.HELPED, TODAY
        first.decision, first.decided_on = TrialDecision.CONTINUE, TODAY
        client.handouts.append(
            HandoutRecord(
                kind="programme",
                given_at=datetime.now(UTC) - timedelta(days=2),
                given_by="t",
                content_hash="a" * 64,
            )
        )
        client.dismissals.append(
            AdvisoryDismissal(
                code="afo",
                about="region:ankle_foot",
                dismissed_by="t",
                dismissed_at=datetime.now(UTC) - timedelta(days=1),
                reason="Declined",
            )
        )
    with clinic.reading() as session:
        document = export_client(session, client_id=client_id, now=datetime.now(UTC))
    # Recorded here after the export: what --replace keeps (or, asked to, discards).
    with clinic.transaction() as session:
        falls.log_fall(session, client_id=client_id, today=TODAY, details=falls.FallDetails(TODAY))
        trial = session.get(Trial, uuid.UUID(document["client"]["trials"][0]["id"]))
        assert trial is not None
        trial.notes.append(TrialNote(written_on=TODAY, text="Added after the export"))
    with clinic.reading() as session:
        others = [
            str(row_id)
            for _node, model in _models()
            for row_id in session.scalars(select(model.id))
        ]
    for key in ("findings", "programmes", "devices", "trials", "handouts", "dismissals"):
        assert document["client"][key], f"the ground's client has no {key}"
    assert document["clinic_exercises"], "the ground's client uses no clinic exercise"
    return Ground(clinic, document, client_id, others)


def _models() -> Iterator[tuple[Node, type[Any]]]:
    stack = [TREE]
    while stack:
        node = stack.pop()
        yield node, node.model
        stack.extend(node.children)


# -- Choices: the same mutations driven by hypothesis or by a seeded Random -----------------------


class Chooser:
    """Where a case's choices come from."""

    def integer(self, low: int, high: int) -> int:
        raise NotImplementedError

    def choice(self, options: Sequence[Any]) -> Any:
        return options[self.integer(0, len(options) - 1)]

    def chance(self, percent: int) -> bool:
        return self.integer(1, 100) <= percent


class DrawChooser(Chooser):
    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def integer(self, low: int, high: int) -> int:
        return int(self.data.draw(st.integers(low, high)))


class RandomChooser(Chooser):
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)


def _nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = [value]
    return value


def hostile_values(choose: Chooser, *, direct: bool) -> Any:
    """A value a hostile or broken file might carry."""
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    values: list[Callable[[], Any]] = [
        lambda: float("nan"),
        lambda: float("inf"),
        lambda: float("-inf"),
        lambda: 2**63,
        lambda: -(2**63) - 1,
        lambda: 10**30,
        lambda: 2**31,
        lambda: -1,
        lambda: 0,
        lambda: -0.0,
        lambda: 1.5,
        lambda: 3.0,
        lambda: 1e308,
        lambda: True,
        lambda: None,
        lambda: "",
        lambda: " ",
        lambda: "a\u0000b",
        lambda: "\ud800",
        lambda: "x\udfffy",
        lambda: "bell\x07",
        lambda: "\x1b[31mred",
        lambda: "two\nlines",
        lambda: "tab\there",
        lambda: "\u200b",
        lambda: "\ufeff\u2060",
        lambda: "\u0301\u0308",
        lambda: "\u00a0",
        lambda: "0001-01-01T00:00:00+05:00",
        lambda: "9999-12-31T23:00:00-05:00",
        lambda: "0001-01-01",
        lambda: "9999-12-31",
        lambda: "1899-12-31",
        lambda: "2026-02-30",
        lambda: tomorrow,
        lambda: f"{tomorrow}T00:00:00+00:00",
        lambda: "2026-11-21T09:30:00",
        lambda: "not a date",
        lambda: "x" * 201,
        lambda: "y" * 5001,
        lambda: "z" * 100_001,
        lambda: [],
        lambda: {},
        lambda: [1, "two"],
        lambda: {"value": "left"},
        lambda: _nested(choose.choice([20, 200] if not direct else [20, 200, 5000])),
        lambda: str(uuid.uuid4()),
        lambda: str(uuid.uuid4()).upper(),
        lambda: "00000000-0000-0000-0000-000000000000",
        lambda: "Zoë Łukasiewicz",
        lambda: "left",
        lambda: "helped",
        lambda: 5,
        lambda: 2.5,
    ]
    if direct:  # not JSON at all: only a caller handing over objects can do this
        values += [
            lambda: (1, 2),
            lambda: {1: "a number as a key"},
            lambda: {"\ud800": 1},
            lambda: object(),
            lambda: {1, 2},
            lambda: b"bytes",
        ]
    return choose.choice(values)()


def _paths(document: Any) -> list[tuple[Any, ...]]:
    """Every place in the document, parents before children."""
    found: list[tuple[Any, ...]] = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(document, ())]
    while stack:
        value, at = stack.pop()
        found.append(at)
        if isinstance(value, dict):
            stack.extend((sub, (*at, key)) for key, sub in value.items())
        elif isinstance(value, list):
            stack.extend((sub, (*at, i)) for i, sub in enumerate(value))
    found.sort(key=lambda p: (len(p), repr(p)))
    return found


def _get(document: Any, at: tuple[Any, ...]) -> Any:
    for part in at:
        document = document[part]
    return document


def _ids(document: Any) -> list[tuple[tuple[Any, ...], str]]:
    return [
        (at, value)
        for at in _paths(document)
        if at
        and at[-1] in ("id", "follows_trial_id", "programme_revision_id", "device_assignment_id")
        and isinstance(value := _get(document, at), str)
    ]


FIELD_NAMES = sorted(
    {c.key for _n, model in _models() for c in model.__table__.columns}
    | {"exercise_code", "nickname", "", "x" * 300, "exported_at", "client"}
)


def mutate(document: dict[str, Any], choose: Chooser, ground: Ground, *, direct: bool) -> str:
    """Change the document in place; say how (for the failure report)."""
    done = []
    for _ in range(choose.integer(1, 3)):
        paths = _paths(document)
        if len(paths) < 2:
            break
        kind = choose.choice(
            ["replace", "replace", "drop", "insert", "duplicate", "loop", "wire", "swap", "grow"]
        )
        at = choose.choice(paths[1:])
        parent = _get(document, at[:-1])
        if kind == "replace":
            parent[at[-1]] = hostile_values(choose, direct=direct)
        elif kind == "drop":
            del parent[at[-1]]
        elif kind == "insert":
            target = _get(document, at)
            if isinstance(target, dict):
                target[choose.choice(FIELD_NAMES)] = hostile_values(choose, direct=direct)
            elif isinstance(target, list):
                target.insert(choose.integer(0, len(target)), hostile_values(choose, direct=direct))
            else:
                parent[at[-1]] = hostile_values(choose, direct=direct)
        elif kind == "duplicate":  # a list entry twice: same id, or a fresh one
            lists = [p for p in paths if isinstance(_get(document, p), list) and _get(document, p)]
            if lists:
                entries = _get(document, choose.choice(lists))
                twin = copy.deepcopy(choose.choice(entries))
                if isinstance(twin, dict) and "id" in twin and choose.chance(50):
                    twin["id"] = str(uuid.uuid4())
                entries.append(twin)
        elif kind == "loop":  # trials following themselves or each other round a loop
            client = document.get("client")
            trials = client.get("trials") if isinstance(client, dict) else None
            if isinstance(trials, list) and trials:
                chain = [t for t in trials if isinstance(t, dict)]
                chain = chain[: choose.integer(1, max(1, len(chain)))]
                for earlier, later in zip(chain, chain[1:] + chain[:1], strict=True):
                    later["follows_trial_id"] = earlier.get("id")
        elif kind == "wire":  # an id or a reference pointed at another row, here or in the file
            ids = _ids(document)
            if ids:
                where, _value = choose.choice(ids)
                pool = [v for _p, v in ids] + ground.others
                _get(document, where[:-1])[where[-1]] = choose.choice(pool)
        elif kind == "swap":  # two fields' values exchanged
            other = choose.choice(paths[1:])
            if not (at[: len(other)] == other or other[: len(at)] == at):
                other_parent = _get(document, other[:-1])
                parent[at[-1]], other_parent[other[-1]] = (
                    other_parent[other[-1]],
                    parent[at[-1]],
                )
        elif kind == "grow":  # a list just longer than a real record's
            client = document.get("client")
            if isinstance(client, dict):
                bounds = {c.key: c.max_items for c in TREE.children}
                key = choose.choice(["findings", "trials", "falls"])
                entries = client.get(key)
                if isinstance(entries, list) and entries:
                    client[key] = [copy.deepcopy(entries[0]) for _ in range(bounds[key] + 1)]
        done.append(f"{kind} at {at!r}")
        if not isinstance(document, dict):
            break
    return "; ".join(done)


def mutate_mildly(document: dict[str, Any], choose: Chooser) -> str:
    """Changes a real file may carry that still describe a valid record."""
    done = []
    for _ in range(choose.integer(1, 3)):
        rows = [
            (at, entry)
            for at in _paths(document)
            if isinstance(entry := _get(document, at), dict) and "id" in entry
        ]
        at, entry = choose.choice(rows)
        kind = choose.choice(["drop row", "omit", "retext", "reverse", "offset", "upper", "new id"])
        if kind == "drop row" and len(at) > 1:
            del _get(document, at[:-1])[at[-1]]
        elif kind == "omit":  # a field left out: a timestamp, or anything that may be empty
            optional = [k for k, v in entry.items() if v is None or k.endswith("_at")]
            if optional:
                del entry[choose.choice(optional)]
        elif kind == "retext":
            texts = [k for k in ("notes", "cue", "what_happened", "why", "note") if k in entry]
            if texts:
                entry[choose.choice(texts)] = choose.choice(
                    ["Line one\nline\ttwo", "Zoë · Łódź · 東京 · 🙂", "  padded  ", "\r\n"]
                )
        elif kind == "reverse":
            lists = [k for k, v in entry.items() if isinstance(v, list)]
            if lists:
                entry[choose.choice(lists)].reverse()
        elif kind == "offset":  # the same moment, written with a time zone offset
            stamps = [k for k in entry if k.endswith("_at") and isinstance(entry[k], str)]
            if stamps:
                key = choose.choice(stamps)
                moment = datetime.fromisoformat(entry[key])
                entry[key] = moment.astimezone(timezone(timedelta(hours=-5))).isoformat()
        elif kind == "upper":
            entry["id"] = entry["id"].upper()
        elif kind == "new id" and len(at) > 1:  # a row no other row points at
            pointed = {v for _p, v in _ids(document) if _p[-1] != "id"}
            if entry["id"] not in pointed:
                entry["id"] = str(uuid.uuid4())
        done.append(f"{kind} at {at!r}")
    return "; ".join(done)


def serialise(document: Any, choose: Chooser) -> tuple[str, bytes]:
    """The document as a file's bytes, sometimes broken in one of the usual ways."""
    how = choose.choice(["plain", "plain", "utf-8", "twice", "cut", "garble", "bom"])
    if how == "utf-8":
        text = json.dumps(document, ensure_ascii=False)
        return how, text.encode("utf-8", "surrogatepass")
    text = json.dumps(document)
    if how == "twice":  # a key given twice in one object
        keys = list(re.finditer(r'"([a-z_]+)": ', text))
        if keys:
            found = choose.choice(keys)
            text = text[: found.start()] + f'"{found.group(1)}": null, ' + text[found.start() :]
    raw = text.encode("utf-8")
    if how == "cut":
        raw = raw[: choose.integer(0, len(raw) - 1)]
    elif how == "garble":
        at = choose.integer(0, len(raw) - 1)
        raw = raw[:at] + bytes([choose.choice([0xFF, 0xC3, 0x00, 0x22])]) + raw[at + 1 :]
    elif how == "bom":
        raw = b"\xef\xbb\xbf" + raw
    return how, raw


# -- One case ------------------------------------------------------------------------------------


def digest(session: Session) -> dict[str, tuple[int, str]]:
    """Rows and a content hash of every table, as this transaction sees them."""
    seen: dict[str, tuple[int, str]] = {}
    for table in Base.metadata.sorted_tables:
        rows = sorted(repr(tuple(row)) for row in session.execute(select(table)))
        seen[table.name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return seen


@dataclass
class Tally:
    cases: int = 0
    imported: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    tracebacks: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self, backend: str, what: str) -> str:
        top = ", ".join(f"{k} {v}" for k, v in self.refused.most_common(6))
        return (
            f"import fuzz [{backend}, {what}]: {self.cases} cases in {self.seconds:.1f} s; "
            f"{self.imported} imported, {sum(self.refused.values())} refused ({top}); "
            f"{len(self.tracebacks)} tracebacks"
        )


def run_case(ground: Ground, choose: Chooser, folder: Path, tally: Tally) -> None:
    """Mutate, write, read and import once; check the property. Raises AssertionError."""
    mild = choose.chance(40)
    direct = not mild and choose.chance(15)
    document = copy.deepcopy(ground.document)
    if mild:
        how = "mildly: " + mutate_mildly(document, choose)
    else:
        how = mutate(document, choose, ground, direct=direct)
    present = choose.chance(50)
    replace = choose.chance(70)
    discard_newer = choose.chance(30)
    tally.cases += 1
    session = ground.clinic.sessions()
    session.info[USER] = "fuzz"
    try:
        if not present:
            session.delete(session.get(Client, ground.client_id))
            session.flush()
        before = digest(session)
        outcome = None
        try:
            if direct:
                data = document
            else:
                shape, raw = (
                    ("plain", json.dumps(document).encode())
                    if mild
                    else serialise(document, choose)
                )
                how += f"; written {shape}"
                file = folder / "case.json"
                file.write_bytes(raw)
                data = read_record_file(file)
            outcome = import_record(
                session, data, replace=replace, discard_newer=discard_newer, today=TODAY
            )
        except ImportError_ as refused:
            assert refused.problems, how
            assert UNCHECKED_RULE not in refused.problems.values(), (
                f"the database refused what the checks let through ({how})"
            )
            first = next(iter(refused.problems))
            tally.refused[re.sub(r"\[\d+\]", "[]", first).split(".")[-1]] += 1
            assert digest(session) == before, f"a refused import changed the database ({how})"
            return
        tally.imported += 1
        session.flush()
        session.expire_all()
        written = export_client(session, client_id=outcome.client.id, now=datetime.now(UTC))
        old = {uuid.UUID(i) for i in ground.others}
        _same(TREE, data["client"], written["client"], "client", old)
    finally:
        session.rollback()
        session.close()


def _value(column: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return moment.astimezone(UTC)
    if column.key == "id" or column.key.endswith("_id"):
        return uuid.UUID(value)
    return value


def _same(
    node: Node, given: dict[str, Any], written: dict[str, Any], at: str, old: set[uuid.UUID]
) -> None:
    """What the file said is what the database holds (fields it left out take defaults;
    rows it lacks may be rows kept from before)."""
    for column in node.columns:
        if column.key in given:
            want, got = _value(column, given[column.key]), _value(column, written[column.key])
            assert want == got, f"{at}.{column.key}: {want!r} was imported as {got!r}"
    if "exercise_code" in given:
        assert given["exercise_code"] == written["exercise_code"], at
    for child in node.children:
        theirs = {uuid.UUID(e["id"]): e for e in written[child.key]}
        mine = {uuid.UUID(e["id"]): e for e in given[child.key]}
        for key, entry in mine.items():
            assert key in theirs, f"{at}.{child.key}: {key} is missing after the import"
            _same(child, entry, theirs[key], f"{at}.{child.key}[{key}]", old)
        extra = set(theirs) - set(mine)
        assert extra <= old, f"{at}.{child.key}: rows appeared from nowhere"


# -- The tests ---------------------------------------------------------------------------------


@pytest.fixture
def ground(clinic: Database) -> Ground:
    return _lay_ground(clinic)


def test_the_ground_imports_as_it_was_exported(ground: Ground, tmp_path: Path) -> None:
    """Unmutated, the file imports on both paths (absent, and replacing the client)."""
    file = tmp_path / "ground.json"
    file.write_text(json.dumps(ground.document), encoding="utf-8")
    with ground.clinic.transaction() as session:
        result = import_record(session, read_record_file(file), replace=True, today=TODAY)
    assert dict(result.kept) == {"falls": 1, "trial notes": 1}
    with ground.clinic.transaction() as session:
        session.delete(session.get(Client, ground.client_id))
    with ground.clinic.transaction() as session:
        result = import_record(session, read_record_file(file), today=TODAY)
    assert not result.kept and not result.discarded


def test_every_demo_client_round_trips(clinic: Database) -> None:
    """The stricter checks refuse nothing the app itself records."""
    with clinic.transaction() as session:
        build_demo_clinic(session, clients=25, seed=5, today=TODAY)
    with clinic.reading() as session:
        ids = list(session.scalars(select(Client.id)))
    for client_id in ids:
        with clinic.reading() as session:
            document = export_client(session, client_id=client_id, now=datetime.now(UTC))
        with clinic.transaction() as session:
            import_record(session, json.loads(json.dumps(document)), replace=True, today=TODAY)
        with clinic.reading() as session:
            again = export_client(session, client_id=client_id, now=datetime.now(UTC))
        assert _canonical(again["client"]) == _canonical(document["client"])


def _canonical(value: Any) -> Any:
    """Lists of rows in id order: some (a client's trials, falls …) have no order of their own."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        rows = [_canonical(v) for v in value]
        return (
            sorted(rows, key=lambda r: r["id"]) if all(isinstance(r, dict) for r in rows) else rows
        )
    return value


def test_fuzzed_files_import_whole_or_change_nothing(
    ground: Ground, backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    tally = Tally()
    examples = LONG_EXAMPLES if _long(request) else DEFAULT_EXAMPLES

    @settings(max_examples=examples, deadline=None, derandomize=IN_CI)
    @given(st.data())
    def case(data: st.DataObject) -> None:
        run_case(ground, DrawChooser(data), tmp_path, tally)

    started = time.perf_counter()
    case()
    tally.seconds = time.perf_counter() - started
    print("\n" + tally.line(backend, "hypothesis"))
    assert tally.imported and tally.refused


def test_seeded_mutations_leave_no_traceback(
    ground: Ground, backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The same mutations from a seeded Random: every other exception is counted (with
    its seed, to replay it with THERAPY_DESK_FUZZ_SEED) and there must be none."""
    tally = Tally()
    cases = LONG_SEEDED if _long(request) else DEFAULT_SEEDED
    started = time.perf_counter()
    for i in range(cases):
        seed = SEED + i
        try:
            run_case(ground, RandomChooser(random.Random(seed)), tmp_path, tally)
        except Exception as problem:  # each one is counted and shown
            where = traceback.extract_tb(problem.__traceback__)[-1]
            tally.tracebacks.append(
                f"seed {seed}: {type(problem).__name__} at {Path(where.filename).name}:"
                f"{where.lineno}: {str(problem)[:200]}"
            )
    tally.seconds = time.perf_counter() - started
    print("\n" + tally.line(backend, f"seeded from {SEED}"))
    assert not tally.tracebacks, "\n".join(tally.tracebacks[:20])
