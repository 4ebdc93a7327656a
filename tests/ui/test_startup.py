"""Start-up as a therapist sees it: the first clients on screen at once, the rest of the
caseload and its advisories filling in behind, and a save that re-reads one row only."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QHeaderView
from pytestqt.qtbot import QtBot

from tests import factories
from therapy_desk.domain.vocabulary import Cause, Region, Side
from therapy_desk.services import first_look as first_look_module
from therapy_desk.services.findings import FindingDetails, add_finding
from therapy_desk.services.opening import open_clinic
from ui.app import App
from ui.desk import Changes, Desk
from ui.main_window import MainWindow
from ui.models.caseload import ADVISORIES, NAME
from ui.pages import caseload as caseload_page


def _clinic(path: Path, template: Path, clients: int) -> list[uuid.UUID]:
    shutil.copy(template, path)
    database = open_clinic(str(path))
    try:
        with database.transaction() as session:
            ids = [
                factories.client(session, f"TD-{n:05d}", f"Client {n:03d}", ot_involved=True)
                for n in range(clients)
            ]
            # Foot drop from nerve damage and no orthosis: one open advisory (an OT is
            # involved, so no occupational-therapy advisory).
            factories.finding(session, ids[-1], Region.ANKLE_FOOT, Cause.NERVE_DAMAGE)
    finally:
        database.close()
    return ids


def _cell(window: MainWindow, row: int, column: int) -> str:
    model = window.caseload.model
    return str(model.data(model.index(row, column)))


def test_the_first_clients_paint_at_once_then_the_rest_and_their_advisories(
    qtbot: QtBot,
    desktop: App,
    tmp_path: Path,
    sqlite_template: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(first_look_module, "FIRST_ROWS", 5)
    path = tmp_path / "clinic.sqlite3"
    _clinic(path, sqlite_template, 12)

    with qtbot.waitSignal(desktop.caseload_painted, timeout=10_000):
        assert desktop.start(str(path))
        window = desktop.window
        assert isinstance(window, MainWindow)
        # On screen before the database has been opened the full way.
        assert window.caseload.model.rowCount() == 5
        assert window.caseload.count.text() == (
            "Showing the first 5 of 12 clients; reading the rest…"
        )
        assert [_cell(window, r, NAME) for r in range(5)] == [f"Client {n:03d}" for n in range(5)]
    with qtbot.waitSignal(window.caseload.counted, timeout=20_000):
        pass
    assert window.caseload.model.rowCount() == 12
    assert window.caseload.count.text() == "12 clients"
    last = window.caseload.model.row_of(window.caseload.model.row_at(11).id)
    assert last == 11 and _cell(window, 11, ADVISORIES) == "1"
    assert window.desk.where == f"sqlite:///{path}"
    # What waited for the first paint is there now: the commands, the week, sorting.
    file_menu = window.menuBar().actions()[0].menu()
    assert "&New client…" in [action.text() for action in file_menu.actions()]
    assert window.pages.currentWidget() is window.this_week
    header = window.caseload.table.horizontalHeader()
    assert [header.model().headerData(n, Qt.Orientation.Horizontal) for n in range(7)] == [
        "Name",
        "Reference",
        "MS course",
        "Main weakness",
        "Next follow-up",
        "Devices",
        "Advisories",
    ]
    assert window.caseload.table.isSortingEnabled()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_middle_of(header, NAME))
    assert _cell(window, 0, NAME) == "Client 011"


def _middle_of(header: QHeaderView, section: int) -> QPoint:
    return QPoint(header.sectionViewportPosition(section) + 10, header.height() // 2)


def test_a_save_rereads_only_that_clients_row(
    qtbot: QtBot, desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with desk.database.transaction() as session:
        ids = [
            factories.client(session, f"TD-{n}", f"Client {n}", ot_involved=True) for n in range(3)
        ]
    window = MainWindow(desk, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.caseload.counted, timeout=10_000):
        window.start()
    window.caseload.select(ids[1])

    full_reads: list[object] = []
    real = caseload_page.caseload_rows
    monkeypatch.setattr(
        caseload_page, "caseload_rows", lambda *a, **k: full_reads.append(1) or real(*a, **k)
    )
    with qtbot.waitSignal(window.caseload.model.dataChanged, timeout=10_000):
        desk.act(
            add_finding,
            changes=Changes(ids[1], "finding"),
            client_id=ids[1],
            details=FindingDetails(
                region=Region.ANKLE_FOOT, side=Side.LEFT, cause=Cause.NERVE_DAMAGE
            ),
            today=factories.TODAY,
        )
    assert _cell(window, 1, 3) == "Ankle and foot (left), nerve damage"
    assert _cell(window, 1, ADVISORIES) == "1"
    assert window.caseload.selected_client() == ids[1]
    assert full_reads == []


def _run_app(path: Path, home: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    return subprocess.run(
        [sys.executable, *extra, "--db", str(path), "--exit-after-startup"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_exit_after_startup_prints_the_milliseconds_to_the_painted_caseload(
    tmp_path: Path, sqlite_template: Path
) -> None:
    path = tmp_path / "clinic.sqlite3"
    _clinic(path, sqlite_template, 3)
    done = _run_app(path, tmp_path, "-m", "ui.main")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().isdigit() and int(done.stdout) > 0


def test_nothing_heavy_is_loaded_before_the_caseload_paints(
    tmp_path: Path, sqlite_template: Path
) -> None:
    path = tmp_path / "clinic.sqlite3"
    _clinic(path, sqlite_template, 3)
    script = tmp_path / "watch.py"
    script.write_text(
        "import sys\n"
        "import ui.app\n"
        "heavy = ('sqlalchemy', 'alembic', 'reportlab', 'pypdfium2', 'ui.pages.record')\n"
        "def report():\n"
        "    print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
        "    built = 'Qt' in vars(sys.modules['PySide6.QtCore'])\n"
        "    print(f'Qt namespace built: {built}', file=sys.stderr)\n"
        "init = ui.app.App.__init__\n"
        "def watched(self, *args, **kwargs):\n"
        "    init(self, *args, **kwargs)\n"
        "    self.caseload_painted.connect(report)\n"
        "ui.app.App.__init__ = watched\n"
        "from ui.main import main\n"
        "raise SystemExit(main(sys.argv[1:]))\n"
    )
    assert _run_app(path, tmp_path, "-m", "ui.main").returncode == 0  # light or dark noted
    done = _run_app(path, tmp_path, str(script))
    assert done.returncode == 0, done.stderr
    assert "[]" in done.stderr.splitlines(), done.stderr
    # PySide builds its whole `Qt` namespace (12 ms) the first time anything names it.
    assert "Qt namespace built: False" in done.stderr.splitlines(), done.stderr


def test_exit_after_startup_on_a_new_clinic_says_there_is_no_caseload(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    open_clinic(str(path), create=True).close()
    done = _run_app(path, tmp_path, "-m", "ui.main")
    assert done.returncode == 2
    assert "welcome screen" in done.stderr


def test_exit_after_startup_on_a_path_with_nothing_there_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "typo.sqlite3"
    done = _run_app(path, tmp_path, "-m", "ui.main")
    assert done.returncode == 1
    assert f"No clinic database at {path}" in done.stderr
    assert not path.exists()
