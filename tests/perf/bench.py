"""How fast Therapy Desk is at clinic scale, each figure beside its floor from the same run.

    python tests/perf/bench.py [--clients N] [--db URL] [--repeat R]

Without --db, a demo clinic of N clients (default 5,000) is built in a temporary
folder (or in --demo-dir, kept there for the next run). With --db, an empty database
gets a demo clinic of N clients; one that already has clients is used as it is.

Each figure is timed several times and reported as median and 95th percentile; where
the issue names a floor (what the platform itself does in the same job), the floor is
timed in the same run, interleaved with the figure so both see the same machine.
Nothing here asserts a time: tests/perf/test_bench.py only checks that it runs.

Start-up and memory are measured in fresh processes: the app is started with
``--exit-after-startup`` and reports the milliseconds from the moment this script
launched it (THERAPY_DESK_LAUNCHED_AT) to its caseload painted; the floor is a bare
PySide6 window reporting its first paint the same way.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script from anywhere in the tree
    sys.path.insert(0, str(ROOT))

#: Set before any Qt import: the benchmark needs no screen unless one is asked for.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

LAUNCHED_AT_VAR = "THERAPY_DESK_LAUNCHED_AT"
TODAY = date.today()


# --- results -----------------------------------------------------------------------------


@dataclass
class Figure:
    name: str
    samples: list[float]
    unit: str = "ms"
    floor: list[float] | None = None
    #: "ratio 1.5" (figure ÷ floor, medians) or "p95 16" or "max 10000" (in the unit).
    target: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)

    @property
    def ratio(self) -> float | None:
        if not self.floor:
            return None
        return self.median / statistics.median(self.floor)

    def met(self) -> bool | None:
        if not self.target:
            return None
        kind, _, limit = self.target.partition(" ")
        value = {"ratio": self.ratio, "p95": self.p95, "max": max(self.samples)}[kind]
        return value is not None and value <= float(limit)


def percentile(samples: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile: with few samples, p95 is the slowest, never an average."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def _amount(value: float, unit: str) -> str:
    if unit == "MB":
        return f"{value:,.0f} MB"
    if value >= 1000:
        return f"{value / 1000:,.2f} s"
    return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"


def _target_words(figure: Figure) -> str:
    kind, _, limit = figure.target.partition(" ")
    if kind == "ratio":
        return f"≤ {limit}× floor"
    if kind == "p95":
        return f"p95 ≤ {_amount(float(limit), figure.unit)}"
    if kind == "max":
        return f"≤ {_amount(float(limit), figure.unit)}"
    return ""


def table(figures: Sequence[Figure]) -> str:
    header = ("figure", "runs", "median", "p95", "floor", "ratio", "target", "met")
    rows = []
    for f in figures:
        met = f.met()
        rows.append(
            (
                f.name,
                str(len(f.samples)),
                _amount(f.median, f.unit),
                _amount(f.p95, f.unit),
                _amount(statistics.median(f.floor), f.unit) if f.floor else "—",
                f"{f.ratio:.2f}×" if f.ratio is not None else "—",
                _target_words(f) or "—",
                "—" if met is None else ("yes" if met else "NO"),
            )
        )
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def timed(work: Callable[[], Any]) -> float:
    start = time.perf_counter()
    work()
    return (time.perf_counter() - start) * 1000


def interleaved(
    figure: Callable[[], Any], floor: Callable[[], Any], runs: int
) -> tuple[list[float], list[float]]:
    """Time both `runs` times, alternating, after one warm-up each."""
    figure()
    floor()
    ours: list[float] = []
    bare: list[float] = []
    for _ in range(runs):
        ours.append(timed(figure))
        bare.append(timed(floor))
    return ours, bare


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- the clinic --------------------------------------------------------------------------


@contextmanager
def clinic(args: argparse.Namespace) -> Iterator[str]:
    """The database to measure, as a location the app accepts, with a demo if empty."""
    if args.db:
        location = args.db
        _fill(location, args.clients)
        yield location
        return
    if args.demo_dir:
        folder = Path(args.demo_dir)
        folder.mkdir(parents=True, exist_ok=True)
        location = str(folder / f"bench-{args.clients}.sqlite3")
        _fill(location, args.clients)
        yield location
        return
    with tempfile.TemporaryDirectory(prefix="therapy-desk-bench-") as folder:
        location = str(Path(folder) / f"bench-{args.clients}.sqlite3")
        _fill(location, args.clients)
        yield location


def _fill(location: str, clients: int) -> None:
    from therapy_desk.services.clients import count_clients
    from therapy_desk.services.demo import build_demo_clinic
    from therapy_desk.services.opening import open_clinic

    database = open_clinic(location, create=True)
    try:
        with database.reading() as session:
            present = count_clients(session)
        if present:
            say(f"Using the {present:,} clients already in the database.")
            return
        say(f"Building a demo clinic of {clients:,} clients…")
        with database.transaction() as session:
            summary = build_demo_clinic(session, clients=clients, seed=1, today=TODAY)
        say(
            f"  built in {summary.seconds:.1f} s: {summary.rows:,} rows, "
            f"{summary.rows / summary.clients:.0f} per client."
        )
    finally:
        database.close()


# --- start-up and memory, in fresh processes ----------------------------------------------

BARE_WINDOW = """
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not getattr(self, "seen", False):
            self.seen = True
            QTimer.singleShot(0, done)
        return False

def done():
    launched = float(os.environ["THERAPY_DESK_LAUNCHED_AT"])
    print(f"{(time.time() - launched) * 1000:.0f}", flush=True)
    app.quit()

app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1400, 860)
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
app.exec()
"""


def _child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    # The app's settings (last database, window layout) go to a throwaway home.
    env["HOME"] = str(home)
    env["XDG_CONFIG_HOME"] = str(home / ".config")
    env["XDG_DATA_HOME"] = str(home / ".local" / "share")
    # The warm-up run leaves what it said (therapy_desk/words.py) in the cache, as any
    # start after an installed app's first does.
    env["XDG_CACHE_HOME"] = str(home / ".cache")
    env.pop("THERAPY_DESK_DB", None)
    # Bytecode as an installed app has it (pip compiles on install): the warm-up run
    # compiles into a throwaway cache, so no run is timed compiling the app's source.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home / "bytecode")
    return env


def _launch(command: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a child that prints its milliseconds since launch; (those ms, its peak MB)."""
    env = {**env, LAUNCHED_AT_VAR: repr(time.time())}
    child = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT
    )
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    out = child.stdout.read().decode() if child.stdout else ""
    err = child.stderr.read().decode() if child.stderr else ""
    if child.returncode != 0 or not out.strip():
        raise RuntimeError(f"{command[1:3]} failed ({child.returncode}): {err.strip()[-800:]}")
    return float(out.strip().splitlines()[-1]), usage.ru_maxrss / 1024


def startup(location: str, runs: int) -> Figure:
    app = [sys.executable, "-m", "ui.main", "--db", location, "--exit-after-startup"]
    bare = [sys.executable, "-c", BARE_WINDOW]
    with tempfile.TemporaryDirectory(prefix="therapy-desk-home-") as home:
        env = _child_env(Path(home))
        _launch(app, env)  # warm-up: files into the OS cache, settings written once
        _launch(bare, env)
        ours: list[float] = []
        floor: list[float] = []
        for _ in range(runs):
            ours.append(_launch(app, env)[0])
            floor.append(_launch(bare, env)[0])
    return Figure("cold start to the caseload painted", ours, floor=floor, target="ratio 1.5")


SETTLED_APP = """
import resource, sys, time
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QSettings, QTimer
from ui.app import App, chosen_location

qt = QApplication(sys.argv)
store = QSettings("Therapy Desk bench", "Therapy Desk bench")
app = App(qt, store, user="bench")
started = time.perf_counter()
state = {}

def counted():
    state["settled"] = (time.perf_counter() - started) * 1000
    window = app.window
    model = window.caseload.model
    window.open_client(model.row_at(0).id)
    QTimer.singleShot(200, finish)

def finish():
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{state['settled']:.0f} {peak:.1f}", flush=True)
    qt.quit()

def painted():
    app.window.caseload.counted.connect(counted)

app.caseload_painted.connect(painted)
if not app.start(sys.argv[1]):
    sys.exit(1)
qt.exec()
app.desk.close()
"""


def settled(location: str, runs: int) -> tuple[Figure, Figure]:
    """The app left to finish reading: every row, every advisory counted, a record open."""
    command = [sys.executable, "-c", SETTLED_APP, location]
    times: list[float] = []
    peaks: list[float] = []
    with tempfile.TemporaryDirectory(prefix="therapy-desk-home-") as home:
        env = _child_env(Path(home))
        for _ in range(runs):
            child = subprocess.run(
                command, env=env, capture_output=True, text=True, cwd=ROOT, check=False
            )
            if child.returncode != 0:
                raise RuntimeError(f"the settled app failed: {child.stderr.strip()[-800:]}")
            settle_ms, peak_mb = child.stdout.split()
            times.append(float(settle_ms))
            peaks.append(float(peak_mb))
    return (
        Figure("every row read and advisories counted, after start", times),
        Figure("peak memory, caseload open and a record open", peaks, unit="MB", target="max 300"),
    )


# --- the caseload query -------------------------------------------------------------------


def caseload_query(location: str, runs: int) -> list[Figure]:
    from therapy_desk.db.direct import connect
    from therapy_desk.db.location import location_text, plain_location
    from therapy_desk.services.caseload import (
        caseload_rows,
        caseload_statement,
        count_advisories,
        read_caseload,
    )
    from therapy_desk.services.first_look import FIRST_ROWS
    from therapy_desk.services.opening import open_clinic

    plain = plain_location(location_text(location))
    assert plain is not None, "the benchmark needs a plain SQLite path or PostgreSQL URL"
    direct = connect(plain)
    assert direct is not None, f"cannot open {location} with the bare driver"
    database = open_clinic(location)
    sql, params = caseload_statement(direct, today=TODAY)
    if direct.backend != "sqlite":
        sql = sql.replace("?", "%s")

    def ours() -> None:
        with database.reading() as session:
            caseload_rows(session, today=TODAY)

    def floor() -> None:
        cursor = direct.connection.cursor()
        cursor.execute(sql, params)
        cursor.fetchall()
        cursor.close()

    try:
        figure, bare = interleaved(ours, floor, runs)
        first = [
            timed(lambda: read_caseload(direct, today=TODAY, first=FIRST_ROWS)) for _ in range(2)
        ]
        advisories = []
        for _ in range(max(3, runs // 4)):
            with database.reading() as session:
                advisories.append(timed(lambda: count_advisories(session, None, today=TODAY)))
    finally:
        direct.close()
        database.close()
    return [
        Figure("caseload query (every client's row)", figure, floor=bare, target="ratio 2"),
        Figure(f"first screen at start-up ({FIRST_ROWS} rows, bare driver)", first),
        Figure("advisories counted for every client", advisories),
    ]


# --- the screen: search and opening a record ----------------------------------------------


def on_screen(location: str, keystrokes: int, opens: int) -> list[Figure]:
    import random

    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from therapy_desk.services.opening import open_clinic
    from ui.desk import Desk
    from ui.main_window import MainWindow

    qt = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="therapy-desk-home-") as home:
        store = QSettings(str(Path(home) / "settings.ini"), QSettings.Format.IniFormat)
        desk = Desk(open_clinic(location), user="bench")
        window = MainWindow(desk, store)
        window.show()
        done = {"counted": False}
        window.caseload.counted.connect(lambda: done.update(counted=True))
        window.start()
        _wait(qt, lambda: done["counted"], seconds=600)
        _ = window.record  # the record page, as the app makes it after the first paint
        qt.processEvents()

        rng = random.Random(5)
        model = window.caseload.model
        names = [model.row_at(r).name for r in range(model.rowCount())]
        search = window.caseload.search
        viewport = window.caseload.table.viewport()
        typed: list[float] = []
        while len(typed) < keystrokes:
            name = rng.choice(names)
            word = rng.choice(name.split())
            start = rng.randrange(max(1, len(word) - 3))
            text = word[start : start + rng.randint(2, 5)].lower()
            for ch in [*text, "clear"]:

                def key(ch: str = ch) -> None:
                    if ch == "clear":
                        QTest.keyClick(search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
                        QTest.keyClick(search, Qt.Key.Key_Backspace)
                    else:
                        # QTest types ASCII only; an input method delivers the rest so.
                        if ch.isascii():
                            QTest.keyClick(search, ch)
                        else:
                            search.insert(ch)
                    viewport.repaint()

                typed.append(timed(key))

        targets = _full_records(desk, rng, opens + 1)
        record_ms: list[float] = []
        for number, client_id in enumerate(targets):
            window.show_home()
            qt.processEvents()

            def open_record(client_id: Any = client_id) -> None:
                # Opened as by a double-click, then painted as the event loop would
                # paint it: every region the open made dirty, nothing else.
                window.open_client(client_id)
                qt.sendPostedEvents()
                qt.processEvents()

            elapsed = timed(open_record)
            if number:  # the first open is the warm-up
                record_ms.append(elapsed)
        window.close()
        desk.close()
    return [
        Figure("search keystroke to table updated", typed, target="p95 16"),
        Figure("open a client record, all tabs filled", record_ms, target="p95 100"),
    ]


def _wait(qt: Any, ready: Callable[[], bool], *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > deadline:
            raise RuntimeError("the caseload did not finish loading")
        qt.processEvents()
        time.sleep(0.005)


def _full_records(desk: Any, rng: Any, count: int) -> list[Any]:
    """Clients with something on every tab: findings, programme, devices, trials,
    measures and falls."""
    from sqlalchemy import select

    from therapy_desk.domain import (
        Client,
        DeviceAssignment,
        Fall,
        Measurement,
        Programme,
        Trial,
        WeaknessFinding,
    )

    with desk.database.reading() as session:
        query = select(Client.id)
        for model in (WeaknessFinding, Programme, DeviceAssignment, Trial, Measurement, Fall):
            query = query.where(select(model.id).where(model.client_id == Client.id).exists())
        ids = list(session.scalars(query.order_by(Client.reference)))
    if not ids:
        raise RuntimeError("no client has something on every tab; is this a demo clinic?")
    return [rng.choice(ids) for _ in range(count)]


# --- handouts -----------------------------------------------------------------------------


def handouts(location: str, runs: int, batches: int) -> list[Figure]:
    from tests.perf.handout_floor import raw_programme_pdf, ten_exercise_snapshot
    from therapy_desk.domain.vocabulary import HandoutKind
    from therapy_desk.handouts.build import Packet, build_batch, build_handout
    from therapy_desk.handouts.snapshot import USUAL_KINDS
    from therapy_desk.services.handouts import handout_snapshots
    from therapy_desk.services.opening import open_clinic

    snapshot = ten_exercise_snapshot()

    def ours() -> None:
        build_handout(snapshot, [HandoutKind.PROGRAMME], large_print=snapshot.prefers_large_print)

    def floor() -> None:
        raw_programme_pdf(snapshot)

    built, bare = interleaved(ours, floor, runs)

    database = open_clinic(location)
    try:
        from sqlalchemy import select

        from therapy_desk.domain import Client, Programme
        from therapy_desk.domain.vocabulary import ClientStatus

        with database.reading() as session:
            ids = list(
                session.scalars(
                    select(Client.id)
                    .where(Client.status == ClientStatus.ACTIVE)
                    .where(select(Programme.id).where(Programme.client_id == Client.id).exists())
                    .order_by(Client.reference)
                    .limit(100)
                )
            )

        def batch() -> None:
            with database.reading() as session:
                snapshots = handout_snapshots(session, client_ids=ids, today=TODAY)
            packets = [Packet(s, USUAL_KINDS, s.prefers_large_print) for s in snapshots]
            build_batch(packets, title="Handouts")

        batch_ms = [timed(batch) for _ in range(batches)]
    finally:
        database.close()
    return [
        Figure("build a 10-exercise programme handout", built, floor=bare, target="ratio 2"),
        Figure(f"batch of {len(ids)} handout packets", batch_ms, target="max 10000"),
    ]


# --- the run ------------------------------------------------------------------------------


def describe_machine(location: str) -> str:
    import PySide6
    import reportlab
    import sqlalchemy

    from therapy_desk.db.location import describe_plain, location_text, plain_location

    plain = plain_location(location_text(location))
    try:
        from reportlab.lib import rl_accel

        accelerated = bool(getattr(rl_accel, "_c_funcs", None))
    except ImportError:
        accelerated = False
    return (
        f"{describe_plain(plain) if plain else location} · Python {platform.python_version()} · "
        f"PySide6 {PySide6.__version__} · SQLAlchemy {sqlalchemy.__version__} · "
        f"ReportLab {reportlab.Version}{' (C accelerator)' if accelerated else ''} · "
        f"{os.cpu_count()} cores · Qt platform {os.environ.get('QT_QPA_PLATFORM')}"
    )


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=5000, help="demo size (default 5,000)")
    parser.add_argument("--db", metavar="URL", help="measure this database (filled if empty)")
    parser.add_argument(
        "--demo-dir", metavar="DIR", help="keep the demo clinic here and reuse it next time"
    )
    parser.add_argument("--repeat", type=int, default=20, help="runs per timed figure (default 20)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    runs = max(2, args.repeat)
    began = time.perf_counter()
    with clinic(args) as location:
        figures: list[Figure] = []
        say("Start-up…")
        figures.append(startup(location, runs=max(2, runs // 2)))
        say("Caseload query…")
        figures.extend(caseload_query(location, runs))
        say("Search and records on screen…")
        figures.extend(on_screen(location, keystrokes=max(10, runs * 5), opens=max(3, runs)))
        say("Handouts…")
        figures.extend(handouts(location, runs, batches=max(1, min(3, runs // 5))))
        say("The app left to settle, for its memory…")
        figures.extend(settled(location, runs=max(1, min(3, runs // 5))))
        clients = _clients(location)
        machine = describe_machine(location)
    print(f"\nTherapy Desk benchmark: {clients:,} clients · {TODAY:%d %b %Y}")
    print(machine)
    print()
    print(table(figures))
    print(f"\nWhole run {time.perf_counter() - began:.0f} s.")
    return 0


def _clients(location: str) -> int:
    from therapy_desk.db.direct import client_count, connect
    from therapy_desk.db.location import location_text, plain_location

    plain = plain_location(location_text(location))
    direct = connect(plain) if plain else None
    if direct is None:
        return 0
    try:
        return client_count(direct)
    finally:
        direct.close()


if __name__ == "__main__":
    raise SystemExit(main())
