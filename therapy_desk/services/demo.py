"""A realistic demo clinic: mixed weakness sources and regions, programmes with revisions,
devices, trials with outcomes, three years of measures, falls. Same seed, same clinic.

Rows are made as plain dicts, a batch of clients at a time, and handed straight to the
driver (executemany on SQLite, COPY on PostgreSQL) inside the caller's one transaction:
at 440,000 rows for 5,000 clients, even the ORM's bulk ``insert()`` spent most of the
build converting values one at a time (see _RowWriter).
"""

from __future__ import annotations

import os
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnDefault, Connection, Table, Uuid, inspect, select, text
from sqlalchemy.orm import Session

from therapy_desk.domain import (
    Client,
    DeviceAssignment,
    DeviceStatusChange,
    Exercise,
    Fall,
    HandoutRecord,
    Measurement,
    Programme,
    ProgrammeItem,
    ProgrammeRevision,
    Record,
    Trial,
    TrialNote,
    WeaknessFinding,
)
from therapy_desk.domain.vocabulary import (
    ARM_REGIONS,
    DEVICE_HELD,
    LEG_REGIONS,
    Band,
    Cause,
    ClientStatus,
    DeviceKind,
    DeviceStatus,
    ExerciseCategory,
    MSCourse,
    Region,
    Side,
    TrialDecision,
    TrialOutcome,
    TrialSubject,
)
from therapy_desk.library import measures
from therapy_desk.library.catalogue import LoadKind, MeasureSpec, load_kind
from therapy_desk.services import demo_people as words
from therapy_desk.services import demo_texts
from therapy_desk.services.clients import count_clients
from therapy_desk.services.clinic import ClinicDetails, clinic_details, save_clinic_details
from therapy_desk.services.devices import status_after_trial, trial_decided_note
from therapy_desk.services.errors import ValidationError
from therapy_desk.words import count, mid_sentence

#: Clients written per bulk batch: bounds memory at 50,000 clients.
BATCH = 500
#: SQLite page cache while building (KiB): the demo's indexes are written at random.
BULK_CACHE_KIB = 128 * 1024
REGION_WEIGHTS = {
    Region.ANKLE_FOOT: 25,
    Region.KNEE: 15,
    Region.HIP: 15,
    Region.TRUNK: 10,
    Region.WRIST_HAND: 12,
    Region.ARM: 6,
    Region.SHOULDER: 6,
    Region.NECK: 4,
    Region.BREATHING: 4,
    Region.FACE: 3,
}
CAUSE_WEIGHTS = {
    Cause.DECONDITIONING: 35,
    Cause.NERVE_DAMAGE: 30,
    Cause.MIXED: 20,
    Cause.UNKNOWN: 15,
}
COURSE_WEIGHTS = {
    MSCourse.RELAPSING_REMITTING: 55,
    MSCourse.SECONDARY_PROGRESSIVE: 15,
    MSCourse.SECONDARY_PROGRESSIVE_ACTIVE: 6,
    MSCourse.PRIMARY_PROGRESSIVE: 12,
    MSCourse.CIS: 5,
    MSCourse.UNKNOWN: 7,
}


#: A row's id: the 32 hex digits of a random version-4 UUID, as SQLite stores it and as
#: PostgreSQL reads it into its uuid type (no uuid.UUID objects to make and convert).
_Id = str


class _IdPool:
    """uuid4() a few thousand at a time: one urandom call, then version and variant bits set
    exactly as uuid.uuid4 sets them."""

    SIZE = 4096

    def __init__(self) -> None:
        self.pool: list[_Id] = []

    def __call__(self) -> _Id:
        if not self.pool:
            raw = bytearray(os.urandom(16 * self.SIZE))
            raw[6::16] = bytes(b & 0x0F | 0x40 for b in raw[6::16])  # version 4
            raw[8::16] = bytes(b & 0x3F | 0x80 for b in raw[8::16])  # RFC 4122 variant
            text = raw.hex()
            self.pool = [text[i : i + 32] for i in range(0, len(text), 32)]
        return self.pool.pop()


@dataclass(frozen=True)
class DemoSummary:
    clients: int
    rows: int
    seconds: float


@dataclass(frozen=True)
class _Ex:
    id: _Id
    code: str
    category: ExerciseCategory
    regions: frozenset[Region]
    suits: frozenset[Cause]
    dose: dict[str, int]
    #: Band or weight, from the equipment list: an item never gets the other kind.
    load: LoadKind | None = None


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


#: A trial whose review date passed this many days ago or fewer may still be waiting for
#: its review (or, reviewed, for its decision); older ones were all reviewed and decided.
RECENT_DAYS = 21
#: The chance such a recent trial is still unreviewed, up to a handful in the clinic.
STILL_OPEN = 0.6
#: Clients per trial left overdue: about 5 in a clinic of 200 (at least 2).
CLIENTS_PER_OVERDUE = 40


def _decision(rng: random.Random, outcome: TrialOutcome, *, adjust: bool) -> TrialDecision:
    """What a therapist decides after this outcome: what helped is kept (sometimes
    fine-tuned); what did not is adjusted, stopped, or swapped for something else."""
    if outcome is TrialOutcome.HELPED:
        options = {TrialDecision.CONTINUE: 85, TrialDecision.ADJUST: 15}
    elif outcome is TrialOutcome.NO_CHANGE:
        options = {
            TrialDecision.ADJUST: 40,
            TrialDecision.TRY_SOMETHING_ELSE: 35,
            TrialDecision.STOP: 25,
        }
    else:
        options = {
            TrialDecision.STOP: 45,
            TrialDecision.TRY_SOMETHING_ELSE: 35,
            TrialDecision.ADJUST: 20,
        }
    if not adjust:
        options.pop(TrialDecision.ADJUST)
    decision: TrialDecision = _pick(rng, options)
    return decision


#: Parents before children, so every foreign key finds its row.
_ORDER: tuple[type[Record], ...] = (
    Client,
    WeaknessFinding,
    Programme,
    ProgrammeRevision,
    ProgrammeItem,
    DeviceAssignment,
    DeviceStatusChange,
    Trial,
    TrialNote,
    Measurement,
    Fall,
    HandoutRecord,
)


def _table(model: type[Record]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


class _Memo(dict[Any, Any]):
    """A bind processor called once per distinct value: the demo repeats a few thousand
    dates, one timestamp and a handful of enum members across hundreds of thousands of rows."""

    def __init__(self, process: Callable[[Any], Any]) -> None:
        super().__init__()
        self.process = process

    def __missing__(self, value: Any) -> Any:
        self[value] = converted = self.process(value)
        return converted


#: How one column's values are made ready: its key in the row dicts, the value that
#: replaces a None (the column's scalar default), and the conversion for the driver.
_Column = tuple[str, Any, Callable[[Any], Any] | None]


class _RowWriter:
    """Hands generated rows to the DB-API driver in the caller's transaction.

    The ORM bulk ``insert(Model)`` spent ~80% of a build converting values one by one, and
    split a batch wherever a row's None columns differed (11,469 statements for 500
    clients). Here each value goes through the same bind processor SQLAlchemy would use
    (so what is stored is identical), but once per distinct value, and each table gets one
    executemany (SQLite) or COPY (PostgreSQL) per batch.
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect
        # PostgreSQL: COPY built 5,000 clients in a quarter of the time executemany took.
        self.copy = self.dialect.name == "postgresql" and self.dialect.driver == "psycopg"
        self.plans: dict[Table, tuple[str, list[_Column]]] = {}

    def plan(self, table: Table) -> tuple[str, list[_Column]]:
        if table in self.plans:
            return self.plans[table]
        quote = self.dialect.identifier_preparer
        columns: list[_Column] = []
        for column in table.columns:
            # The ORM leaves a None out of its INSERT, so a column default then applies:
            # do the same. Only scalar defaults can meet a None here (ids and timestamps
            # are always given).
            default = column.default
            fill = default.arg if isinstance(default, ColumnDefault) and default.is_scalar else None
            process: Callable[[Any], Any] | None = column.type.dialect_impl(
                self.dialect
            ).bind_processor(self.dialect)
            if isinstance(column.type, Uuid):
                process = None  # ids are already in the driver's form (see _Id)
            elif process is not None:
                process = _Memo(process).__getitem__
            columns.append((column.key, fill, process))
        names = ", ".join(quote.format_column(c) for c in table.columns)
        if self.copy:
            sql = f"COPY {quote.format_table(table)} ({names}) FROM STDIN"
        else:
            mark = "?" if self.dialect.paramstyle == "qmark" else "%s"
            marks = ", ".join(mark for _ in table.columns)
            sql = f"INSERT INTO {quote.format_table(table)} ({names}) VALUES ({marks})"
        self.plans[table] = sql, columns
        return sql, columns

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """SQLite: connection settings for a bulk load, put back afterwards.

        - A bigger page cache: random UUID keys touch index pages all over the file, and
          the default 2 MB cache keeps spilling them to the WAL mid-transaction.
        - CHECK constraints tested once per table at the end instead of per row: SQLite
          evaluates each enum column's ``IN (...)`` list afresh for every row an INSERT
          writes (and so does ``quick_check``), over half the insert time; one SELECT per
          table evaluates them all in a single pass. A violation raises, so the caller's
          transaction rolls back and nothing lands, as before.
        """
        if self.dialect.name != "sqlite":
            yield  # PostgreSQL checks as COPY streams, with no per-row penalty
            return
        run = self.connection.exec_driver_sql
        cache = int(run("PRAGMA cache_size").scalar_one())
        checks = self._check_queries()
        run(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        if checks is not None:
            run("PRAGMA ignore_check_constraints = ON")
        try:
            yield
        finally:
            if checks is not None:
                run("PRAGMA ignore_check_constraints = OFF")
            run(f"PRAGMA cache_size = {cache}")
        for table, names, query in checks or ():
            broken = [
                f"{n} ({c:,} rows)" for n, c in zip(names, run(query).one(), strict=True) if c
            ]
            if broken:
                raise RuntimeError(f"demo rows break {table} constraints: {', '.join(broken)}")

    def _check_queries(self) -> list[tuple[str, list[str], str]] | None:
        """Per table, a SELECT counting the rows that break each of its CHECK constraints,
        read from the database's own schema; None (keep checking per row) unless every
        CHECK in a table's CREATE statement was read."""
        inspector = inspect(self.connection)
        queries = []
        for model in _ORDER:
            table = _table(model).name
            checks = inspector.get_check_constraints(table)
            created = self.connection.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).scalar_one()
            if len(re.findall(r"(?<!\w)CHECK\s*\(", created, re.IGNORECASE)) != len(checks):
                return None
            if checks:
                # NOT of a passing CHECK is 0 and of a NULL one NULL: sum counts failures.
                counts = ", ".join(f"sum(NOT ({c['sqltext']}))" for c in checks)
                names = [str(c["name"]) for c in checks]
                queries.append((table, names, f"SELECT {counts} FROM {table}"))
        return queries

    def write(self, model: type[Record], rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        sql, plan = self.plan(_table(model))
        values: list[list[Any]] = []
        for key, fill, process in plan:  # column by column: list comprehensions, not calls
            column = [row.get(key) for row in rows]
            if fill is not None:
                column = [fill if v is None else v for v in column]
            if process is not None:
                column = list(map(process, column))
            values.append(column)
        records = list(zip(*values, strict=True))
        if self.copy:
            raw = self.connection.connection.driver_connection
            assert raw is not None
            with raw.cursor() as cursor, cursor.copy(sql) as copy:
                for record in records:
                    copy.write_row(record)
        else:
            self.connection.exec_driver_sql(sql, records)


class _Clinic:
    def __init__(
        self,
        session: Session,
        rng: random.Random,
        today: date,
        extra: random.Random,
    ) -> None:
        self.session, self.rng, self.today = session, rng, today
        #: Draws for what was added to the demo later (OT involvement, foot drop, the
        #: newer measures): a stream of their own, so the rest of the clinic stays as a
        #: seed always made it.
        self.extra = extra
        #: Draws for timed trials and for entries corrected or struck out (set per seed by
        #: `build_demo_clinic`): their own stream, so adding them moved nothing else.
        self.entry = random.Random(0)
        #: How many more trials may be left past their review (see `settle`).
        self.overdue_left = 2
        #: The client being made was discharged: their trials were all seen to.
        self.discharged = False
        self.now = datetime.now(UTC)
        self.rows: dict[type[Record], list[dict[str, Any]]] = defaultdict(list)
        self.written = 0
        self.new_id = _IdPool()
        self.writer = _RowWriter(session.connection())
        self.exercises = [
            _Ex(
                e.id.hex,
                e.code,
                e.category,
                frozenset(Region(r) for r in e.regions),
                frozenset(Cause(c) for c in e.suits),
                dict(e.dose),
                load_kind(e.equipment),
            )
            for e in session.scalars(select(Exercise).where(Exercise.retired.is_(False)))
        ]
        if not self.exercises:
            raise ValidationError({"catalogue": "The exercise catalogue is empty"})

    def add(self, model: type[Record], **values: Any) -> _Id:
        values["id"] = record_id = self.new_id()
        values["created_at"] = values["updated_at"] = self.now
        values["version"] = 1
        self.rows[model].append(values)
        return record_id

    def flush(self) -> None:
        for model in _ORDER:
            batch = self.rows.pop(model, [])
            if model is Trial:  # a trial may follow another: insert those after
                first = [r for r in batch if r.get("follows_trial_id") is None]
                then = [r for r in batch if r.get("follows_trial_id") is not None]
                for part in (first, then):
                    self.writer.write(model, part)
            else:
                self.writer.write(model, batch)
            self.written += len(batch)

    def day_between(self, start: date, end: date, rng: random.Random | None = None) -> date:
        span = max((end - start).days, 0)
        return start + timedelta(days=(rng or self.rng).randint(0, span))

    # -- one client -------------------------------------------------------------------------

    def client(self, number: int) -> None:
        rng = self.rng
        age = rng.randint(24, 79)
        born = self.day_between(
            date(self.today.year - age - 1, 1, 1), date(self.today.year - age, 1, 1)
        )
        diagnosed = rng.randint(max(born.year + 18, self.today.year - 35), self.today.year - 1)
        course = _pick(rng, COURSE_WEIGHTS)
        if course is MSCourse.RELAPSING_REMITTING and self.today.year - diagnosed > 20:
            course = MSCourse.SECONDARY_PROGRESSIVE
        discharged = rng.random() < 0.12
        self.discharged = discharged
        first_seen = self.today - timedelta(days=rng.randint(400, 3 * 365))
        if rng.random() < 0.04:
            name = rng.choice(words.FAMILY_FIRST)
        else:
            name = f"{rng.choice(words.GIVEN)} {rng.choice(words.FAMILY)}"
        client_id = self.add(
            Client,
            reference=f"TD-{number:05d}",
            name=name,
            date_of_birth=born,
            phone=f"0{rng.randint(1000, 9999)} {rng.randint(100000, 999999)}",
            ms_course=course,
            diagnosis_year=diagnosed,
            primary_therapist=rng.choice(words.THERAPISTS),
            status=ClientStatus.DISCHARGED if discharged else ClientStatus.ACTIVE,
            discharged_on=self.today - timedelta(days=rng.randint(10, 300)) if discharged else None,
            next_follow_up=None
            if discharged
            # A few follow-ups just missed and not yet rebooked; the rest booked ahead.
            else self.today + timedelta(days=rng.randint(-3, 60)),
            large_print=rng.random() < 0.2,
            # Derived from the number, not drawn, so the rest of the demo does not shift.
            heat_sensitive=number % 6 == 0,
            language="en",
        )
        severity = rng.random() + (
            0.4 if course in (MSCourse.PRIMARY_PROGRESSIVE, MSCourse.SECONDARY_PROGRESSIVE) else 0
        )
        client_row = self.rows[Client][-1]
        findings = self.findings(client_id, course, first_seen)
        client_row["ot_involved"] = self.ot_involved(client_row["primary_therapist"], findings)
        revisions = self.programme(client_id, findings, first_seen)
        devices = self.devices(client_id, findings, severity, first_seen)
        self.trials(client_id, revisions, first_seen)
        drift = self.measurements(client_id, findings, severity, first_seen)
        self.newer_measurements(client_id, findings, severity, first_seen, drift)
        self.falls(client_id, severity, first_seen, devices)
        for _ in range(rng.randint(0, 3)):
            given = self.day_between(first_seen, self.today)
            self.add(
                HandoutRecord,
                client_id=client_id,
                kind=rng.choice(("programme", "device-guide", "home-safety")),
                given_at=datetime(given.year, given.month, given.day, 10, 0, tzinfo=UTC),
                given_by=rng.choice(words.THERAPISTS),
                large_print=False,
                content_hash=f"{rng.getrandbits(256):064x}",
            )

    def findings(self, client_id: _Id, course: MSCourse, first_seen: date) -> list[dict[str, Any]]:
        rng = self.rng
        made: list[dict[str, Any]] = []
        regions: set[Region] = set()
        for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
            region = _pick(rng, REGION_WEIGHTS)
            if region in regions:
                continue
            regions.add(region)
            onset = self.day_between(
                first_seen - timedelta(days=400), first_seen + timedelta(days=200)
            )
            resolved = (
                self.day_between(onset + timedelta(days=60), self.today)
                if rng.random() < 0.15 and onset + timedelta(days=60) < self.today
                else None
            )
            values = dict(
                client_id=client_id,
                region=region,
                side=Side.NONE
                if region in (Region.TRUNK, Region.BREATHING, Region.NECK)
                else rng.choice((Side.LEFT, Side.RIGHT, Side.BOTH)),
                cause=_pick(rng, CAUSE_WEIGHTS),
                strength_grade=rng.choice((2, 3, 3, 4, 4, 4)),
                fatigue_linked=rng.random() < 0.4,
                during_relapse=course
                in (MSCourse.RELAPSING_REMITTING, MSCourse.SECONDARY_PROGRESSIVE_ACTIVE)
                and rng.random() < 0.12,
                onset_on=onset,
                resolved_on=resolved,
            )
            # A relapse settles in weeks: one whose onset is long past is marked over.
            if values["during_relapse"] and onset + timedelta(weeks=8) < self.today:
                values["relapse_over_on"] = onset + timedelta(weeks=8)
            if region is Region.ANKLE_FOOT:
                values["foot_drop"] = self.foot_drop(values["cause"], values["strength_grade"])
            self.add(WeaknessFinding, **values)
            made.append(values)
        return made

    def foot_drop(self, cause: Cause, grade: int) -> bool:
        """Weak ankle dorsiflexors from nerve damage drop the foot, the weaker the likelier;
        weakness from disuse alone seldom does."""
        chance = {Cause.NERVE_DAMAGE: 1.0, Cause.MIXED: 0.6}.get(cause, 0.0)
        return self.extra.random() < chance * {2: 0.8, 3: 0.5}.get(grade, 0.2)

    def ot_involved(self, therapist: str, findings: list[dict[str, Any]]) -> bool:
        """An occupational therapist's own clients, and some referred on for their arms and
        hands or for getting about the house."""
        if therapist.endswith("(OT)"):
            return True
        regions = {f["region"] for f in findings}
        if regions & ARM_REGIONS:
            return self.extra.random() < 0.35
        if regions & LEG_REGIONS or Region.TRUNK in regions:
            return self.extra.random() < 0.1
        return self.extra.random() < 0.05

    def suited(self, region: Region, cause: Cause) -> list[_Ex]:
        return [e for e in self.exercises if region in e.regions and cause in e.suits]

    def programme_items(self, findings: list[dict[str, Any]]) -> list[tuple[_Ex, dict[str, Any]]]:
        rng = self.rng
        chosen: dict[str, tuple[_Ex, dict[str, Any]]] = {}
        for finding in findings:
            options = self.suited(finding["region"], finding["cause"])
            # Now and then a loaded exercise on a nerve-damage region: the mistake the
            # advisory exists to catch.
            if finding["cause"] is Cause.NERVE_DAMAGE and rng.random() < 0.12:
                options = [
                    e
                    for e in self.exercises
                    if finding["region"] in e.regions and e.category is ExerciseCategory.RESISTANCE
                ] or options
            for ex in rng.sample(options, min(len(options), rng.randint(1, 3))):
                chosen[ex.code] = (
                    ex,
                    {"side": finding["side"] if finding["side"] is not Side.NONE else Side.BOTH},
                )
        for category in (
            ExerciseCategory.CARDIO,
            ExerciseCategory.BALANCE,
            ExerciseCategory.FLEXIBILITY,
        ):
            pool = [e for e in self.exercises if e.category is category]
            ex = rng.choice(pool)
            chosen.setdefault(ex.code, (ex, {"side": Side.BOTH}))
        return list(chosen.values())[:10]

    def dose(self, ex: _Ex, side: Side, step: int) -> dict[str, Any]:
        rng = self.rng
        dose = dict(ex.dose)
        values: dict[str, Any] = {
            "sets": dose.get("sets"),
            "reps": dose.get("reps"),
            "hold_seconds": dose.get("hold_seconds"),
            "duration_minutes": dose.get("duration_minutes"),
            "days_per_week": dose.get("days_per_week", 3),
            "side": side,
            "load_kg": None,
            "band": None,
            "cue": None,
        }
        if not (values["reps"] or values["hold_seconds"] or values["duration_minutes"]):
            values["reps"] = 10
        if ex.category is ExerciseCategory.RESISTANCE:
            # The draws stay as they were, so the rest of the demo does not shift; a
            # body-weight or putty exercise is loaded by neither.
            band: Band | None = None
            if rng.random() < 0.5:
                load_kg = min(0.5 + 0.5 * step + rng.choice((0, 0.5, 1)), 10.0)
            else:
                band = list(Band)[min(step + rng.randint(0, 1), len(Band) - 1)]
                load_kg = 0.5 + 0.5 * step
            if ex.load is LoadKind.WEIGHT:
                values["load_kg"] = load_kg
            elif ex.load is LoadKind.BAND:
                values["band"] = list(Band)[min(step, len(Band) - 1)] if band is None else band
            if values["reps"]:
                values["reps"] = min(values["reps"] + 2 * step, 15)
        if values["duration_minutes"]:
            values["duration_minutes"] = min(values["duration_minutes"] + 5 * step, 40)
        cues = demo_texts.CUES.get(ex.code)
        if rng.random() < 0.25 and cues:
            values["cue"] = rng.choice(cues)  # written for this exercise
        return values

    def programme(
        self, client_id: _Id, findings: list[dict[str, Any]], first_seen: date
    ) -> list[tuple[_Id, date]]:
        rng = self.rng
        if rng.random() < 0.08:
            return []
        started = first_seen + timedelta(days=rng.randint(0, 30))
        programme_id = self.add(
            Programme, client_id=client_id, title="Home exercise programme", started_on=started
        )
        items = self.programme_items(findings)
        revisions: list[tuple[_Id, date]] = []
        issued = started
        count = rng.choice((1, 2, 2, 3, 3, 4))
        for number in range(1, count + 1):
            nxt = issued + timedelta(days=rng.randint(60, 200))
            last = number == count or nxt >= self.today
            revision_id = self.add(
                ProgrammeRevision,
                programme_id=programme_id,
                number=number,
                issued_on=issued,
                issued_by=rng.choice(words.THERAPISTS),
                reason=None
                if number == 1
                else rng.choice(
                    (
                        "Progressed the load: last sets felt easy.",
                        "Fewer sets after a tiring month.",
                        "Swapped a standing exercise for a seated one.",
                        "Added balance work after a fall.",
                    )
                ),
                superseded_on=None if last else nxt,
            )
            if number > 1 and rng.random() < 0.5:
                extra = rng.choice(self.exercises)
                if all(e.code != extra.code for e, _ in items):
                    items = (
                        [*items[:-1], (extra, {"side": Side.BOTH})]
                        if len(items) >= 10
                        else [*items, (extra, {"side": Side.BOTH})]
                    )
            for position, (ex, base) in enumerate(items, start=1):
                self.add(
                    ProgrammeItem,
                    revision_id=revision_id,
                    position=position,
                    exercise_id=ex.id,
                    **self.dose(ex, base["side"], number - 1),
                )
            revisions.append((revision_id, issued))
            if last:
                break
            issued = nxt
        return revisions

    def devices(
        self,
        client_id: _Id,
        findings: list[dict[str, Any]],
        severity: float,
        first_seen: date,
    ) -> list[tuple[_Id, date, DeviceKind]]:
        rng = self.rng
        wanted: list[tuple[DeviceKind, Side]] = []
        for f in findings:
            if f["region"] is Region.ANKLE_FOOT and rng.random() < 0.7:
                side = f["side"] if f["side"] in (Side.LEFT, Side.RIGHT) else Side.LEFT
                wanted.append(
                    (
                        rng.choice(
                            (DeviceKind.ANKLE_FOOT_ORTHOSIS,) * 3
                            + (DeviceKind.FES_FOOT_DROP_STIMULATOR,)
                        ),
                        side,
                    )
                )
            if f["region"] in ARM_REGIONS and rng.random() < 0.6:
                wanted.append(
                    (
                        rng.choice(
                            (
                                DeviceKind.JAR_OPENER,
                                DeviceKind.BUILT_UP_GRIPS,
                                DeviceKind.REACHER,
                                DeviceKind.BUTTON_HOOK,
                            )
                        ),
                        Side.NONE,
                    )
                )
        if severity > 0.6 and any(f["region"] in LEG_REGIONS for f in findings):
            kind = (
                DeviceKind.ROLLATOR
                if severity > 1.0
                else rng.choice((DeviceKind.CANE, DeviceKind.QUAD_CANE, DeviceKind.FOREARM_CRUTCH))
            )
            wanted.append(
                (
                    kind,
                    Side.NONE
                    if kind is DeviceKind.ROLLATOR
                    else rng.choice((Side.LEFT, Side.RIGHT)),
                )
            )
        if rng.random() < 0.1:
            wanted.append((DeviceKind.COOLING_VEST, Side.NONE))
        made: list[tuple[_Id, date, DeviceKind]] = []
        for kind, side in wanted[:3]:
            started = self.day_between(first_seen, self.today - timedelta(days=20))
            device_id = self.add(
                DeviceAssignment,
                client_id=client_id,
                kind=kind,
                side=side,
                status=DeviceStatus.TRIAL,
                started_on=started,
                ended_on=None,
                review_on=None,
                size_settings=_settings(kind, side, rng),
                training_given=_training(kind, rng),
            )
            device = self.rows[DeviceAssignment][-1]
            if rng.random() < 0.65:
                steps = self.device_on_trial(client_id, device, started)
            else:  # issued outright: a device the client already knew, or an everyday aid
                steps = self.device_issued(started)
            for status, day, note in steps:
                self.add(
                    DeviceStatusChange,
                    assignment_id=device_id,
                    status=status,
                    changed_on=day,
                    changed_by=rng.choice(words.THERAPISTS),
                    note=note,
                )
            made.append((device_id, started, kind))
        return made

    def device_on_trial(
        self, client_id: _Id, device: dict[str, Any], started: date
    ) -> list[tuple[DeviceStatus, date, str | None]]:
        """A device's trial, tried again after each "adjust", and the device's status after
        its last decision (the app's own rule, `status_after_trial`): kept → issued,
        stopped or given up → returned that day, undecided → still on trial."""
        rng = self.rng
        kind, side = device["kind"], device["side"]
        name = (
            kind.label
            if side in (Side.NONE, Side.BOTH)
            else f"{kind.label}, {mid_sentence(side.label)}"
        )
        why, success = demo_texts.device_trial_words(kind)
        steps: list[tuple[DeviceStatus, date, str | None]] = [(DeviceStatus.TRIAL, started, None)]
        trial, follows, begun = None, None, started
        for attempt in range(3):
            trial = self.trial(
                client_id,
                TrialSubject.DEVICE,
                what=name if attempt == 0 else f"{name}, adjusted",
                why=why,
                success_looks_like=success,
                started_on=begun,
                device_assignment_id=device["id"],
                follows_trial_id=follows,
                last_try=attempt == 2,
            )
            if trial["decision"] is not TrialDecision.ADJUST:
                break
            follows, begun = trial["id"], trial["decided_on"]
        assert trial is not None
        status = (
            status_after_trial(DeviceStatus.TRIAL, trial["decision"])
            if trial["decision"] is not None
            else None
        )
        if status is None:  # still on trial: reviewed when its trial is
            device["review_on"] = trial["review_on"]
            return steps
        decided = trial["decided_on"]
        steps.append((status, decided, trial_decided_note(trial["what"], trial["decision"])))
        device["status"] = status
        if status in DEVICE_HELD:
            if decided + timedelta(days=30) < self.today and rng.random() < 0.5:
                device["status"] = DeviceStatus.IN_USE
                steps.append(
                    (DeviceStatus.IN_USE, decided + timedelta(days=rng.randint(7, 30)), None)
                )
            device["review_on"] = max(self.today + timedelta(days=rng.randint(-15, 90)), decided)
        else:
            device["ended_on"] = decided
        return steps

    def device_issued(self, started: date) -> list[tuple[DeviceStatus, date, str | None]]:
        """A device issued without a trial: in use since, or stopped later."""
        rng = self.rng
        path = rng.choice(
            (
                (DeviceStatus.ISSUED,),
                (DeviceStatus.ISSUED, DeviceStatus.IN_USE),
                (DeviceStatus.ISSUED, DeviceStatus.IN_USE, DeviceStatus.STOPPED),
            )
        )
        days = [started]
        for _ in path[1:]:
            days.append(min(days[-1] + timedelta(days=rng.randint(7, 60)), self.today))
        device = self.rows[DeviceAssignment][-1]
        device["status"] = path[-1]
        if path[-1] in DEVICE_HELD:
            device["review_on"] = max(self.today + timedelta(days=rng.randint(-15, 90)), started)
        else:
            device["ended_on"] = days[-1]
        return [(status, day, None) for status, day in zip(path, days, strict=True)]

    def settle(self, review: date, *, last_try: bool = True) -> dict[str, Any]:
        """How a trial due for review on `review` stands today, as a working clinic keeps
        them: reviewed and decided once past, except a few this last while (a handful
        overdue, a few waiting for their decision); not yet due, still open."""
        rng = self.rng
        outcome = reviewed = decision = decided = None
        late = (self.today - review).days
        recent = 0 < late <= RECENT_DAYS and not self.discharged
        if recent and self.overdue_left > 0 and rng.random() < STILL_OPEN:
            self.overdue_left -= 1
        elif late > 0:
            reviewed = review + timedelta(days=rng.randint(0, min(10, late)))
            outcome = rng.choices(list(TrialOutcome), weights=(50, 25, 15, 10))[0]
            waited = (self.today - reviewed).days
            if waited > RECENT_DAYS or self.discharged or rng.random() < 0.75:
                decision = _decision(rng, outcome, adjust=not last_try)
                decided = reviewed
        return {
            "outcome": outcome,
            "reviewed_on": reviewed,
            "decision": decision,
            "decided_on": decided,
        }

    def trial(
        self,
        client_id: _Id,
        subject: TrialSubject,
        *,
        started_on: date,
        last_try: bool = True,
        settled: dict[str, Any] | None = None,
        **plan: Any,
    ) -> dict[str, Any]:
        """One trial and its follow-up notes (written before its review); returns its row."""
        rng = self.rng
        review = started_on + timedelta(days=rng.choice((28, 42, 56, 84)))
        values: dict[str, Any] = {
            "client_id": client_id,
            "subject": subject,
            "started_on": started_on,
            "review_on": review,
            "opened_by": rng.choice(words.THERAPISTS),
            "follows_trial_id": None,
            "programme_revision_id": None,
            "device_assignment_id": None,
        }
        values.update(plan)
        values.update(settled or self.settle(values["review_on"], last_try=last_try))
        trial_id = self.add(Trial, **values)
        until = min(values["reviewed_on"] or self.today, self.today)
        for k in range(rng.randint(1, 3)):
            written = started_on + timedelta(days=14 * (k + 1))
            if written > until:
                break
            self.add(
                TrialNote,
                trial_id=trial_id,
                written_on=written,
                written_by=values["opened_by"],
                text=rng.choice(demo_texts.TRIAL_NOTES[subject]),
            )
        values["id"] = trial_id
        return values

    def trials(
        self,
        client_id: _Id,
        revisions: list[tuple[_Id, date]],
        first_seen: date,
    ) -> None:
        """The programme's last two revisions tried in turn (the first adjusted into the
        second), now and then a strategy, and a medication change the doctor made."""
        rng = self.rng
        previous: _Id | None = None
        recent = revisions[-2:]
        for number, (revision_id, issued) in enumerate(recent):
            settled = None
            if number + 1 < len(recent):  # revised: reviewed, and adjusted into the next
                revised = recent[number + 1][1]
                reviewed = self.day_between(min(issued + timedelta(days=28), revised), revised)
                settled = {
                    "review_on": reviewed,
                    "outcome": rng.choice((TrialOutcome.NO_CHANGE, TrialOutcome.HELPED)),
                    "reviewed_on": reviewed,
                    "decision": TrialDecision.ADJUST,
                    "decided_on": reviewed,
                }
            trial = self.trial(
                client_id,
                TrialSubject.PROGRAMME_REVISION,
                started_on=issued,
                settled=settled,
                programme_revision_id=revision_id,
                follows_trial_id=previous,
                what="Home exercise programme as issued",
                why="Build strength and walking stamina",
                success_looks_like="Timed 25-Foot Walk faster by a fifth; fewer trips",
            )
            previous = trial["id"]
        if rng.random() < 0.5:
            what, why = rng.choice(words.STRATEGIES)
            self.trial(
                client_id,
                TrialSubject.STRATEGY,
                started_on=self.day_between(first_seen, self.today),
                what=what,
                why=why,
                success_looks_like="Client reports managing the day with energy left",
            )
        if rng.random() < 0.2:
            what, why = rng.choice(words.MEDICATION)
            self.trial(
                client_id,
                TrialSubject.MEDICATION_CHANGE,
                started_on=self.day_between(first_seen, self.today),
                what=what,
                why=why,
                success_looks_like="Less stiffness reported at follow-up",
            )

    def measurements(
        self,
        client_id: _Id,
        findings: list[dict[str, Any]],
        severity: float,
        first_seen: date,
    ) -> float:
        """Three years of the long-standing measures; returns the client's drift (per year:
        negative improves timed tests)."""
        rng = self.rng
        drift = rng.uniform(-0.08, 0.12)

        def series(
            code: str,
            every_days: int,
            start: float,
            *,
            side: Side = Side.NONE,
            region: Region | None = None,
            step: Callable[[float, float], float] | None = None,
        ) -> None:
            self.series(
                rng,
                client_id,
                code,
                first_seen,
                every_days,
                start,
                step or (lambda v, y: v * (1 + drift * y)),
                side=side,
                region=region,
            )

        walk = 4.5 + 9 * severity
        series("t25fw", 120, walk)
        series("tug", 180, walk * 1.6)
        series(
            "6mwt" if severity < 1.0 else "2mwt",
            180,
            (480 if severity < 1.0 else 110) * (1.2 - severity / 2),
            step=lambda v, y: v * (1 - drift * y),
        )
        series(
            "msws12",
            180,
            min(15 + 50 * severity, 100),
            step=lambda v, y: min(max(v + 40 * drift * y, 0), 100),
        )
        series(
            "mfis",
            180,
            min(20 + 35 * severity, 84),
            step=lambda v, y: min(max(v + rng.uniform(-4, 4), 0), 84),
        )
        series(
            "bbs",
            365,
            max(56 - 18 * severity, 10),
            step=lambda v, y: min(max(v - 20 * drift * y, 0), 56),
        )
        for side in (Side.LEFT, Side.RIGHT):
            series("nhpt", 180, 19 + 10 * severity * rng.uniform(0.6, 1.4), side=side)
            series(
                "grip", 365, rng.uniform(14, 40), side=side, step=lambda v, y: v * (1 - drift * y)
            )
        for f in findings[:2]:
            if f["region"] in (Region.BREATHING, Region.FACE):
                continue
            sides = (Side.LEFT, Side.RIGHT) if f["side"] in (Side.BOTH, Side.NONE) else (f["side"],)
            grade_index = {2: 3, 3: 6, 4: 9}.get(f["strength_grade"], 9)
            for side in sides:
                series(
                    "mmt",
                    365,
                    grade_index,
                    side=side,
                    region=f["region"],
                    step=lambda v, y: v + rng.choice((-1, 0, 0, 1)),
                )
        return drift

    def series(
        self,
        rng: random.Random,
        client_id: _Id,
        code: str,
        first: date,
        every_days: int,
        start: float,
        step: Callable[[float, float], float],
        *,
        side: Side = Side.NONE,
        region: Region | None = None,
        last: date | None = None,
    ) -> None:
        """One measure taken every `every_days` from `first` to `last` (today), the true
        value moved by `step(value, years)` between visits and read with a little noise."""
        spec = measures()[code]
        day, value = first, start
        end = self.today if last is None else min(last, self.today)
        while day <= end:
            shown = min(max(value * rng.uniform(0.94, 1.06), spec.min), spec.max)
            if spec.grades:
                shown = float(min(max(round(value), 0), len(spec.grades) - 1))
            trials = self.trials_for(spec, shown)
            values: dict[str, Any] = {
                "client_id": client_id,
                "measure_code": code,
                "value": spec.mean_of(trials) if trials else round(shown, spec.decimals),
                "measured_on": day,
                "side": side,
                "region": region,
                "devices_used": (),
                "trial_values": trials,
            }
            kept = self.add(Measurement, **values)
            self.maybe_mistyped(spec, kept, values)
            value = step(value, every_days / 365)
            day += timedelta(days=every_days + rng.randint(-10, 10))

    def newer_measurements(
        self,
        client_id: _Id,
        findings: list[dict[str, Any]],
        severity: float,
        first_seen: date,
        drift: float,
    ) -> None:
        """The measures the clinic took up lately, for some clients: once, or every six
        months since, with the same drift as the client's other results."""
        rng = self.extra
        regions = {f["region"] for f in findings}
        walking = bool(regions & LEG_REGIONS) or Region.TRUNK in regions

        def clamp(low: float, high: float) -> Callable[[float], float]:
            return lambda v: min(max(v, low), high)

        def take(code: str, start: float, step: Callable[[float, float], float]) -> None:
            since = max(first_seen, self.today - timedelta(days=730))
            if rng.random() < 0.35:  # a series: every six months since it was taken up
                first = self.day_between(since, self.today - timedelta(days=180), rng)
                self.series(rng, client_id, code, first, 182, start, step)
            else:
                once = self.day_between(
                    max(since, self.today - timedelta(days=365)), self.today, rng
                )
                self.series(rng, client_id, code, once, 182, start, step, last=once)

        balance = clamp(0, 28)
        confidence = clamp(0, 100)
        if walking and rng.random() < 0.4:
            take(
                "minibest",
                balance(25 - 13 * severity + rng.uniform(-2, 2)),
                lambda v, y: balance(v - 12 * drift * y + rng.uniform(-1, 1)),
            )
        if walking and rng.random() < 0.3:
            take(
                "abc",
                confidence(90 - 40 * severity + rng.uniform(-10, 8)),
                lambda v, y: confidence(v - 50 * drift * y + rng.uniform(-4, 4)),
            )
        if walking and rng.random() < 0.3:
            # 10 m at the pace of the timed 25-foot (7.62 m) walk.
            take("10mwt", (4.5 + 9 * severity) * 10 / 7.62, lambda v, y: v * (1 + drift * y))
        if rng.random() < 0.35:
            impact = clamp(0, 100)
            physical = impact(10 + 50 * severity + rng.uniform(-8, 8))
            mood = impact(15 + 30 * severity * rng.uniform(0.4, 1.4))
            since = max(first_seen, self.today - timedelta(days=730))
            once = rng.random() >= 0.35
            day = (
                self.day_between(max(since, self.today - timedelta(days=365)), self.today, rng)
                if once
                else self.day_between(since, self.today - timedelta(days=180), rng)
            )
            # Both halves of the one questionnaire, filled in on the same days.
            while day <= self.today:
                for code, value in (("msis29_physical", physical), ("msis29_psychological", mood)):
                    self.add(
                        Measurement,
                        client_id=client_id,
                        measure_code=code,
                        value=round(value),
                        measured_on=day,
                        side=Side.NONE,
                        region=None,
                        devices_used=(),
                    )
                if once:
                    break
                physical = impact(physical + 35 * drift / 2 + rng.uniform(-4, 4))
                mood = impact(mood + 20 * drift / 2 + rng.uniform(-6, 6))
                day += timedelta(days=182 + rng.randint(-10, 10))

    def trials_for(self, spec: MeasureSpec, shown: float) -> tuple[float, ...] | None:
        """The timed trials behind a result the catalogue times more than once (T25FW):
        each a little either side of the true time."""
        if spec.trials == 1 or spec.grades:
            return None
        return tuple(
            round(min(max(shown * self.entry.uniform(0.95, 1.05), spec.min), spec.max), 1)
            for _ in range(spec.trials)
        )

    def maybe_mistyped(self, spec: MeasureSpec, kept: _Id, values: dict[str, Any]) -> None:
        """Now and then a result was first typed wrong and corrected the same day (the
        earlier entry stays, superseded), or a result was entered for the wrong client and
        struck out."""
        draw = self.entry.random()
        if draw < 0.015 and not spec.grades:
            self.mistyped(spec, kept, values)
        elif draw > 0.996:
            stamp = self.stamp(values["measured_on"])
            self.add(
                Measurement,
                **{
                    **values,
                    "value": spec.max if spec.grades else round(values["value"] * 0.6, 1),
                    "trial_values": None,
                },
                struck_at=stamp,
                struck_by=self.entry.choice(words.THERAPISTS),
                struck_reason="Entered for the wrong client",
            )

    def mistyped(self, spec: MeasureSpec, kept: _Id, values: dict[str, Any]) -> None:
        trials = values["trial_values"]
        if trials:  # one trial copied from the wrong line of the score sheet
            wrong = (round(min(trials[0] * 1.5, spec.max), 1), *trials[1:])
            earlier = {"value": spec.mean_of(wrong), "trial_values": wrong}
            reason = "Trial 1 copied from the wrong line of the score sheet"
        else:  # the decimal point slipped
            slipped = (
                values["value"] * 10 if values["value"] * 10 <= spec.max else values["value"] / 10
            )
            earlier = {"value": round(slipped, spec.decimals)}
            reason = "Decimal point in the wrong place"
        self.add(
            Measurement,
            **{**values, **earlier},
            superseded_by_id=kept,
            corrected_at=self.stamp(values["measured_on"]),
            corrected_by=self.entry.choice(words.THERAPISTS),
            correction_reason=reason,
        )

    def stamp(self, day: date) -> datetime:
        """Later on the day something was recorded (never after now)."""
        return min(datetime.combine(day, time(16, 40), UTC), self.now)

    def falls(
        self,
        client_id: _Id,
        severity: float,
        first_seen: date,
        devices: list[tuple[_Id, date, DeviceKind]],
    ) -> None:
        rng = self.rng
        count = min(int(rng.expovariate(1 / (0.6 + severity))), 8)
        for _ in range(count):
            values: dict[str, Any] = {
                "client_id": client_id,
                "fell_on": self.day_between(first_seen, self.today),
                "place": rng.choice(words.FALL_PLACES),
                "what_happened": rng.choice(words.FALL_STORIES),
                "injury": rng.choice(words.INJURIES),
                "action_taken": rng.choice(words.ACTIONS),
                "device_in_use": rng.choice([None, *[k for _, _, k in devices]]),
            }
            kept = self.add(Fall, **values)
            draw = self.entry.random()
            if draw < 0.1:  # logged first with the day it was told, not the day it happened
                told = min(values["fell_on"] + timedelta(days=self.entry.randint(2, 9)), self.today)
                if told != values["fell_on"]:
                    self.add(
                        Fall,
                        **{**values, "fell_on": told},
                        superseded_by_id=kept,
                        corrected_at=self.stamp(told),
                        corrected_by=self.entry.choice(words.THERAPISTS),
                        correction_reason=(
                            "Logged with the day it was reported, not the day of the fall"
                        ),
                    )
            elif draw > 0.95:
                self.add(
                    Fall,
                    **{
                        **values,
                        "what_happened": "Sat down on the floor on purpose to rest",
                        "injury": "None",
                    },
                    struck_at=self.stamp(values["fell_on"]),
                    struck_by=self.entry.choice(words.THERAPISTS),
                    struck_reason="Not a fall: sat down on purpose",
                )

    def correction_examples(self, client_id: _Id) -> None:
        """TD-00001 shows the history of corrections: the latest timed walk was first typed
        with a trial's digits swapped (taken with a stick and the AFO), and a fall logged
        for this client in error was struck out (neither raises an advisory)."""
        walks = [
            r
            for r in self.rows[Measurement]
            if r["client_id"] == client_id
            and r["measure_code"] == "t25fw"
            and r.get("superseded_by_id") is None
            and r.get("struck_at") is None
        ]
        if walks:
            latest = max(walks, key=lambda r: r["measured_on"])
            latest["devices_used"] = (DeviceKind.CANE, DeviceKind.ANKLE_FOOT_ORTHOSIS)
            self.mistyped(measures()["t25fw"], latest["id"], latest)
        fell_on = self.today - timedelta(days=20)
        self.add(
            Fall,
            client_id=client_id,
            fell_on=fell_on,
            place="Bus stop",
            what_happened="Tripped on the kerb",
            injury="Grazed hands",
            action_taken="Reviewed footwear",
            struck_at=self.stamp(fell_on),
            struck_by=words.THERAPISTS[0],
            struck_reason="Logged for the wrong client",
        )

    def teaching_example(self) -> None:
        """TD-00001: nerve damage in the left leg with a weighted knee exercise in the
        programme, so the key advisory can be seen on a fresh demo."""
        client_id = self.add(
            Client,
            reference="TD-00001",
            name="Zoë Łukasiewicz",
            date_of_birth=date(1979, 3, 14),
            phone="01632 960412",
            ms_course=MSCourse.RELAPSING_REMITTING,
            diagnosis_year=2009,
            primary_therapist=words.THERAPISTS[0],
            status=ClientStatus.ACTIVE,
            next_follow_up=self.today + timedelta(days=3),
            large_print=True,
            language="en",
        )
        start = self.today - timedelta(days=200)
        for region, cause, grade in (
            (Region.KNEE, Cause.NERVE_DAMAGE, 3),
            (Region.ANKLE_FOOT, Cause.NERVE_DAMAGE, 2),
            (Region.HIP, Cause.DECONDITIONING, 4),
        ):
            self.add(
                WeaknessFinding,
                client_id=client_id,
                region=region,
                side=Side.LEFT,
                cause=cause,
                strength_grade=grade,
                fatigue_linked=region is Region.HIP,
                # Grade 2 at the ankle: the foot cannot be lifted against gravity.
                foot_drop=region is Region.ANKLE_FOOT,
                during_relapse=False,
                onset_on=start - timedelta(days=90),
                resolved_on=None,
            )
        programme_id = self.add(
            Programme, client_id=client_id, title="Home exercise programme", started_on=start
        )
        revision_id = self.add(
            ProgrammeRevision,
            programme_id=programme_id,
            number=1,
            issued_on=start,
            issued_by=words.THERAPISTS[0],
            reason=None,
            superseded_on=None,
        )
        by_code = {e.code: e for e in self.exercises}
        loaded_knee = next(
            e
            for e in self.exercises
            if e.category is ExerciseCategory.RESISTANCE and Region.KNEE in e.regions
        )
        others = [
            e
            for e in self.exercises
            if e.category in (ExerciseCategory.CARDIO, ExerciseCategory.BALANCE)
        ][:2]
        for position, ex in enumerate([loaded_knee, *others], start=1):
            values = self.dose(by_code[ex.code], Side.LEFT if ex is loaded_knee else Side.BOTH, 0)
            if ex is loaded_knee:
                values.update(load_kg=1.5, band=None)
            self.add(
                ProgrammeItem,
                revision_id=revision_id,
                position=position,
                exercise_id=ex.id,
                **values,
            )
        self.add(
            Trial,
            client_id=client_id,
            subject=TrialSubject.PROGRAMME_REVISION,
            programme_revision_id=revision_id,
            device_assignment_id=None,
            follows_trial_id=None,
            what="Home exercise programme as issued",
            why="Stronger left leg for the stairs",
            success_looks_like="Climbs the stairs at home without stopping",
            started_on=start,
            review_on=self.today - timedelta(days=12),
            opened_by=words.THERAPISTS[0],
            outcome=None,
            reviewed_on=None,
            decision=None,
            decided_on=None,
        )
        self.measurements(client_id, [], 0.7, start - timedelta(days=365))
        self.correction_examples(client_id)


_WALKING_AIDS = {
    DeviceKind.CANE,
    DeviceKind.QUAD_CANE,
    DeviceKind.FOREARM_CRUTCH,
    DeviceKind.WALKING_FRAME,
    DeviceKind.ROLLATOR,
}
_WHEELED = {
    DeviceKind.MANUAL_WHEELCHAIR,
    DeviceKind.POWERED_WHEELCHAIR,
    DeviceKind.MOBILITY_SCOOTER,
}


def _settings(kind: DeviceKind, side: Side, rng: random.Random) -> str | None:
    """Size and settings as a therapist writes them for this kind of device."""
    sided = f"{side.label}, " if side in (Side.LEFT, Side.RIGHT) else ""
    if kind in _WALKING_AIDS:
        return "Height set to wrist crease"
    if kind is DeviceKind.ANKLE_FOOT_ORTHOSIS:
        return f"{sided}size {rng.randint(4, 9)}, posterior leaf spring"
    if kind is DeviceKind.FES_FOOT_DROP_STIMULATOR:
        return f"{sided}{rng.randint(18, 35)} mA, heel-switch trigger"
    if kind in _WHEELED:
        return f"Seat width {rng.choice((40, 42, 44, 46))} cm, pressure cushion"
    if kind in (DeviceKind.KNEE_BRACE, DeviceKind.WRIST_HAND_SPLINT, DeviceKind.COOLING_VEST):
        return f"{sided}size {rng.choice(('S', 'M', 'L'))}"
    if kind in (DeviceKind.SHOWER_SEAT, DeviceKind.RAISED_TOILET_SEAT, DeviceKind.GRAB_RAILS):
        return "Fitted at the home visit"
    return None


def _training(kind: DeviceKind, rng: random.Random) -> str:
    if kind in _WALKING_AIDS or kind in _WHEELED:
        return rng.choice(
            ("Taught on level ground and stairs.", "Practised indoors and at the kerb.")
        )
    if kind in (
        DeviceKind.ANKLE_FOOT_ORTHOSIS,
        DeviceKind.KNEE_BRACE,
        DeviceKind.WRIST_HAND_SPLINT,
    ):
        return "Fitting and skin checks explained."
    if kind is DeviceKind.FES_FOOT_DROP_STIMULATOR:
        return "Electrode placement and skin checks practised."
    return rng.choice(("Practised with carer present.", "Shown how to use it at home."))


#: The made-up clinic a demo database prints on its handouts.
DEMO_CLINIC = ClinicDetails(
    name="Riverside Neuro Therapy (demo)",
    address="12 Mill Lane, Riverside RV1 2AB",
    phone="01632 960 123",
)


def build_demo_clinic(
    session: Session,
    *,
    clients: int,
    seed: int,
    today: date,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Fill an empty database with a demo clinic of `clients` clients."""
    import time

    if clients < 1 or clients > 200_000:
        raise ValidationError({"clients": "Choose between 1 and 200,000 clients"})
    existing = count_clients(session)
    if existing:
        raise ValidationError(
            {
                "database": f"This database already holds {count(existing, 'client')}; demo data "
                "goes only into an empty database. Name a new file with --db."
            }
        )
    started = time.perf_counter()
    clinic = _Clinic(session, random.Random(seed), today, random.Random(f"{seed}:later"))
    clinic.entry = random.Random(f"{seed}:entry")
    # TD-00001's trial is one of them.
    clinic.overdue_left = max(2, clients // CLIENTS_PER_OVERDUE) - 1
    with clinic.writer.bulk():
        clinic.teaching_example()
        for number in range(2, clients + 1):
            clinic.client(number)
            if number % BATCH == 0:
                clinic.flush()
                if progress:
                    progress(number, clients)
        clinic.flush()
    if clinic_details(session) is None:
        save_clinic_details(session, details=DEMO_CLINIC)
    if session.get_bind().dialect.name == "postgresql":
        # The planner's statistics still describe empty tables until autovacuum's next
        # round; the caseload's first reads would be planned for nothing.
        session.execute(text("ANALYZE"))
    if progress:
        progress(clients, clients)
    return DemoSummary(clients, clinic.written, time.perf_counter() - started)
