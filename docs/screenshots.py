"""Take the README's screenshots of the real app on the demo clinic.

Run under a virtual screen so real fonts and window decorations are used:

    xvfb-run -s "-screen 0 1600x1000x24" .venv/bin/python docs/screenshots.py
    xvfb-run -s "-screen 0 1280x720x24" .venv/bin/python docs/screenshots.py trouble

Writes PNGs into docs/screens/. Uses a throwaway home folder, so no real settings
or databases are touched. `trouble` takes only the dialogs a Save or an open can
meet (a conflict, a busy database, a damaged file, an unexpected error), each made
by really causing it.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported for real only once the throwaway home is set
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ui.desk import Desk
    from ui.main_window import MainWindow

HERE = Path(__file__).resolve().parent
OUT = HERE / "screens"
sys.path.insert(0, str(HERE.parent))


def _throwaway_home() -> Path:
    home = Path(tempfile.mkdtemp(prefix="td-shots-"))
    os.environ["HOME"] = str(home)
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["XDG_STATE_HOME"] = str(home / "state")
    os.environ.pop("THERAPY_DESK_DB", None)
    return home


def _application() -> QApplication:
    """The Qt application, in the light theme with normal text, writing into docs/screens."""
    from PySide6.QtWidgets import QApplication

    from ui.theme import Theme, apply_theme

    app = QApplication(sys.argv)
    apply_theme(app, Theme.LIGHT, larger_text=False)
    OUT.mkdir(exist_ok=True)
    return app


def _settle(ms: int = 250) -> None:
    """Let the application paint and answer its events for a while."""
    from PySide6.QtWidgets import QApplication

    started = time.perf_counter()
    while time.perf_counter() - started < ms / 1000:
        QApplication.processEvents()


def _snap_screen(name: str) -> None:
    """The whole screen, once it has settled, as docs/screens/<name>.png."""
    from PySide6.QtGui import QGuiApplication

    _settle()
    QGuiApplication.primaryScreen().grabWindow(0).save(str(OUT / f"{name}.png"))
    print("wrote", OUT / f"{name}.png")


def _demo_desk(home: Path, *, today: date | None = None) -> Desk:
    """The demo clinic of 200 clients, in a new file in the throwaway home, for Sam."""
    from therapy_desk.services.demo import build_demo_clinic
    from therapy_desk.services.opening import open_clinic
    from ui.desk import Desk

    database = open_clinic(str(home / "demo.sqlite3"), create=True)
    with database.transaction() as session:
        build_demo_clinic(session, clients=200, seed=7, today=today or date.today())
    return Desk(database, user="Sam Patel")


def _main_window(desk: Desk, settings: QSettings, *, first_run_size: bool = True) -> MainWindow:
    """The main window, shown once the caseload and This week are filled; at the size it
    chooses on a first run, or else over the whole 1280x720 screen."""
    from ui.main_window import MainWindow

    window = MainWindow(desk, settings)
    if not first_run_size:
        window.setGeometry(0, 0, 1280, 720)
    window.show()
    window.start()
    while window.caseload.model.total() == 0 or window.this_week.follow_ups.count() == 0:
        _settle(50)
    return window


def main(argv: list[str]) -> int:
    if argv[1:] == ["trouble"]:
        return trouble()
    if argv[1:] == ["devices"]:
        return device_trials()
    if argv[1:] == ["clinician"]:
        return clinician()
    if argv[1:] == ["dates"]:
        return date_fields()
    if argv[1:] == ["measures"]:
        return measures_and_falls()
    if argv[1:] == ["small"]:
        return small_screen()
    if argv[1:] == ["words"]:
        return words_screens()
    if argv[1:] == ["batch"]:
        return batch_and_summary()
    home = _throwaway_home()

    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from therapy_desk.services.clients import find_by_reference
    from therapy_desk.services.demo import build_demo_clinic
    from therapy_desk.services.opening import open_clinic
    from ui.desk import Desk
    from ui.dialogs.catalogue import CatalogueBrowser
    from ui.main_window import MainWindow
    from ui.theme import Theme, apply_theme
    from ui.welcome import WelcomeWindow

    app = QApplication(sys.argv)
    OUT.mkdir(exist_ok=True)
    settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)

    def settle(ms: int = 150) -> None:
        end = ms / 1000
        import time

        started = time.perf_counter()
        while time.perf_counter() - started < end:
            app.processEvents()

    def snap(widget, name: str) -> None:  # type: ignore[no-untyped-def]
        settle()
        widget.grab().save(str(OUT / f"{name}.png"))
        print("wrote", OUT / f"{name}.png")

    apply_theme(app, Theme.LIGHT, larger_text=False)
    empty = Desk(open_clinic(str(home / "new-clinic.sqlite3"), create=True), user="Sam Patel")
    welcome = WelcomeWindow(empty)
    welcome.resize(1000, 580)
    welcome.show()
    snap(welcome, "welcome")
    welcome.close()

    database = open_clinic(str(home / "demo.sqlite3"), create=True)
    with database.transaction() as session:
        build_demo_clinic(session, clients=200, seed=7, today=date.today())
    desk = Desk(database, user="Sam Patel")
    window = MainWindow(desk, settings)
    window.resize(1500, 900)
    window.show()
    window.start()
    while window.caseload.model.total() == 0 or window.this_week.follow_ups.count() == 0:
        settle(50)
    snap(window, "caseload")

    # TD-00001 is the teaching example; devices and falls are shown on clients who have them.
    teaching = desk.read(find_by_reference, reference="TD-00001").id
    rows = window.caseload.model
    with_devices = next(
        rows.row_at(r).id for r in range(rows.rowCount()) if len(rows.row_at(r).devices) >= 2
    )
    fallen = window.this_week.falls.item(0).data(Qt.ItemDataRole.UserRole)
    chosen = {"DevicesTab": with_devices, "FallsTab": fallen}
    for number, page in enumerate(window.record.tab_pages):
        window.open_client(chosen.get(type(page).__name__, teaching))
        window.record.tabs.setCurrentIndex(number)
        snap(window, f"record-{type(page).__name__.removesuffix('Tab').lower()}")
    window.open_client(teaching)

    browser = CatalogueBrowser(desk, window)
    browser.search.setText("sit to stand")
    browser.show()
    snap(browser, "catalogue")
    browser.close()

    from ui.dialogs.handouts import HandoutsDialog
    from ui.dialogs.print_due import PrintDueDialog

    handouts = HandoutsDialog(desk, with_devices, window)
    handouts.show()
    while not handouts.save_button.isEnabled():
        settle(50)
    snap(handouts, "handouts")
    handouts.close()
    batch = PrintDueDialog(desk, window)  # This week's range, overdue included
    batch.show()
    snap(batch, "print-due")
    batch.close()

    window.record.tabs.setCurrentIndex(2)
    apply_theme(app, Theme.DARK, larger_text=False)
    snap(window, "theme-dark")
    window.record.tabs.setCurrentIndex(1)
    apply_theme(app, Theme.HIGH_CONTRAST, larger_text=True)
    snap(window, "theme-high-contrast")
    window.close()
    return 0


def trouble() -> int:
    """The dialogs of things going wrong, each caught as the app really shows it."""
    home = _throwaway_home()
    import sqlite3
    import time
    from dataclasses import replace

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from therapy_desk.db import engine
    from therapy_desk.db.backup import automatic_backup
    from therapy_desk.services.clients import (
        ClientDetails,
        find_by_reference,
        load_record,
        update_client,
    )
    from therapy_desk.services.demo import build_demo_clinic
    from therapy_desk.services.opening import open_clinic
    from ui.app import App
    from ui.desk import Changes, Desk
    from ui.dialogs.client import ClientDialog
    from ui.errors import Notice
    from ui.theme import Theme, apply_theme

    app = QApplication(sys.argv)
    apply_theme(app, Theme.LIGHT, larger_text=False)
    OUT.mkdir(exist_ok=True)

    def settle(ms: int = 200) -> None:
        started = time.perf_counter()
        while time.perf_counter() - started < ms / 1000:
            app.processEvents()

    # Each dialog is shown, photographed, and answered as the next entry says.
    script: list[tuple[str, str | None]] = []

    def ask(self: Notice) -> str | None:
        name, answer = script.pop(0)
        self.adjustSize()
        self.show()
        settle()
        self.grab().save(str(OUT / f"{name}.png"))
        print("wrote", OUT / f"{name}.png")
        self.close()
        self.chosen = answer if answer is not None else self._cancel
        return self.chosen

    Notice.ask = ask  # type: ignore[method-assign]

    path = home / "clinic.sqlite3"
    database = open_clinic(str(path), create=True)
    with database.transaction() as session:
        build_demo_clinic(session, clients=30, seed=7, today=date.today())
    database.close()
    engine.SQLITE_BUSY_TIMEOUT_MS = 300  # a busy database answers in moments, for the shot
    sam = Desk(open_clinic(str(path)), user="Sam Patel")
    alex = Desk(open_clinic(str(path)), user="Alex Morgan")
    client_id = sam.read(find_by_reference, reference="TD-00001").id

    def editing() -> ClientDialog:
        dialog = ClientDialog(sam, client=sam.read(load_record, client_id=client_id))
        dialog.show()
        dialog.notes.setPlainText("Walks with a stick outdoors since the spring.")
        settle(50)
        return dialog

    # Someone else saved the client while Sam had the details open.
    dialog = editing()
    seen = alex.read(load_record, client_id=client_id)
    fields = {f: getattr(seen, f) for f in ClientDetails.__dataclass_fields__}
    alex.act(
        update_client,
        changes=Changes(client_id, "client"),
        client_id=client_id,
        details=replace(ClientDetails(**fields), phone="01632 960 777"),
        today=date.today(),
        expected_version=seen.version,
    )
    script.append(("conflict", "cancel"))
    dialog.save()

    # Another program holds the write lock.
    dialog.done(0)
    dialog = editing()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    script.append(("busy", None))
    dialog.save()
    holder.execute("ROLLBACK")
    holder.close()

    # Something no one foresaw.
    import ui.dialogs.client as client_dialog

    def broken(session, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug")

    client_dialog.update_client = broken  # type: ignore[assignment]
    script.append(("error", None))
    dialog.save()
    dialog.done(0)
    sam.close()
    alex.close()

    # A damaged file with a good backup beside it; and a --db path with a typo.
    automatic_backup(path, "before-upgrade")
    data = bytearray(path.read_bytes())
    for page in range(2, len(data) // 4096, 2):
        data[page * 4096 + 8 : page * 4096 + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))
    store = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
    starting = App(app, store, user="Sam Patel")
    script.append(("damaged", None))
    starting.start(str(path))
    script.append(("no-database", None))
    starting.start(str(home / "clinc.sqlite3"))
    return 0


def device_trials() -> int:
    """At 1280x720 on the demo clinic: This week, a device on trial beside its trial on
    Devices and Trials, and an AFO added on trial opening its trial, prefilled."""
    home = _throwaway_home()
    from PySide6.QtCore import QSettings
    from sqlalchemy import select

    from therapy_desk.domain import Client, DeviceAssignment, Trial
    from therapy_desk.domain.vocabulary import ClientStatus, DeviceKind, DeviceStatus, Side
    from therapy_desk.services.clients import find_by_reference
    from ui.dialogs.device import AddDeviceDialog
    from ui.forms import set_date
    from ui.pages.record_devices import DevicesTab
    from ui.pages.record_trials import TrialsTab

    _application()
    settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
    today = date.today()
    desk = _demo_desk(home, today=today)
    with desk.database.reading() as session:  # an active client's AFO on trial, its trial open
        client_id, device_id, trial_id = session.execute(
            select(Client.id, DeviceAssignment.id, Trial.id)
            .join(DeviceAssignment, DeviceAssignment.client_id == Client.id)
            .join(Trial, Trial.device_assignment_id == DeviceAssignment.id)
            .where(
                Client.status == ClientStatus.ACTIVE,
                DeviceAssignment.status == DeviceStatus.TRIAL,
                DeviceAssignment.kind == DeviceKind.ANKLE_FOOT_ORTHOSIS,
                Trial.outcome.is_(None),
            )
            .order_by(Client.reference)
            .limit(1)
        ).one()
    window = _main_window(desk, settings, first_run_size=False)
    window.show_home()
    _snap_screen("this-week")

    window.open_client(client_id)
    devices, trials = window.record.tab(DevicesTab), window.record.tab(TrialsTab)
    assert isinstance(devices, DevicesTab) and isinstance(trials, TrialsTab)
    window.record.tabs.setCurrentWidget(devices)
    devices.select(device_id)
    _snap_screen("record-devices")
    window.record.tabs.setCurrentWidget(trials)
    trials.select_trial(trial_id)
    _snap_screen("record-trials")

    # TD-00001's left foot drops: an AFO goes on trial, and its trial opens prefilled.
    window.open_client(desk.read(find_by_reference, reference="TD-00001").id)
    window.record.tabs.setCurrentWidget(devices)
    shown: list[AddDeviceDialog] = []

    def show_instead(dialog: AddDeviceDialog) -> int:
        shown.append(dialog)
        dialog.show()
        return 0

    AddDeviceDialog.exec = show_instead  # type: ignore[method-assign,assignment]
    devices.add()
    add = shown[0]
    add.kind.set_value(DeviceKind.ANKLE_FOOT_ORTHOSIS)
    add.side.setCurrentIndex(add.side.findData(Side.LEFT))
    set_date(add.review, today + timedelta(days=28))
    add.size_settings.setPlainText("Size 6, posterior leaf spring")
    _snap_screen("device-add")
    add.save()
    dialog = trials.dialog
    assert dialog is not None
    _snap_screen("device-trial")
    dialog.close()
    window.close()
    return 0


def clinician() -> int:
    """The first start on a computer: who is using Therapy Desk, over the main window."""
    home = _throwaway_home()
    from PySide6.QtCore import QSettings

    from therapy_desk.services.demo import build_demo_clinic
    from therapy_desk.services.opening import open_clinic
    from ui.app import App
    from ui.dialogs.clinician import ClinicianDialog

    app = _application()
    path = home / "clinic.sqlite3"
    database = open_clinic(str(path), create=True)
    with database.transaction(user="setup") as session:
        build_demo_clinic(session, clients=40, seed=7, today=date.today())
    database.close()

    def photograph(dialog: ClinicianDialog) -> int:
        dialog.show()
        dialog.name.setText("Ana García")
        dialog.role.setText("OT")
        _snap_screen("clinician")
        dialog.save()
        return 1

    ClinicianDialog.exec = photograph  # type: ignore[method-assign,assignment]
    os.environ.pop("THERAPY_DESK_CLINICIAN", None)
    desktop = App(app, QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat), user=None)
    desktop.open(str(path))
    _settle(1500)
    if desktop.window is not None:
        desktop.window.close()
    return 0


def date_fields() -> int:
    """The client dialog at 1280x720 with dates typed as people type them: one read (the
    weekday beside it), one that cannot be (the message beside it), then its calendar."""
    home = _throwaway_home()
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from therapy_desk.services.opening import open_clinic
    from ui.desk import Desk
    from ui.dialogs.client import ClientDialog

    _application()
    desk = Desk(open_clinic(str(home / "clinic.sqlite3"), create=True), user="Sam Patel")
    dialog = ClientDialog(desk)
    dialog.move(380, 40)
    dialog.show()
    dialog.activateWindow()
    QTest.keyClicks(dialog.name, "Nia Adeyemi")
    for field, typed in ((dialog.date_of_birth, "14/3/68"), (dialog.follow_up, "31/2/2027")):
        field.edit.setFocus()
        _settle()
        QTest.keyClicks(field.edit, typed)
        QTest.keyClick(field.edit, Qt.Key.Key_Tab)
    _snap_screen("date-field")
    dialog.date_of_birth.edit.setFocus()
    QTest.keyClick(dialog.date_of_birth.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    _snap_screen("date-field-calendar")
    dialog.date_of_birth.close_calendar()
    dialog.done(0)
    desk.close()
    return 0


def measures_and_falls() -> int:
    """At 1280x720 on the demo clinic, normal and larger text: the Measures tab (every
    measure's latest result, the timed walk's two trials, a result corrected with its
    history shown) and the Falls tab (falls corrected and struck out, shown greyed)."""
    home = _throwaway_home()
    from PySide6.QtCore import QSettings
    from sqlalchemy import func, select

    from therapy_desk.domain import Client, Fall
    from therapy_desk.domain.vocabulary import ClientStatus
    from therapy_desk.services.clients import find_by_reference
    from ui.pages.record_falls import FallsTab
    from ui.pages.record_measures import MeasuresTab
    from ui.theme import Theme, apply_theme

    app = _application()
    settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
    desk = _demo_desk(home)
    with desk.database.reading() as session:  # an active client with a fall corrected or struck
        fallen = session.execute(
            select(Client.id)
            .join(Fall, Fall.client_id == Client.id)
            .where(Client.status == ClientStatus.ACTIVE)
            .group_by(Client.id, Client.reference)
            .having(func.count(Fall.corrected_at) + func.count(Fall.struck_at) > 0)
            .order_by(func.count(Fall.id).desc(), Client.reference)
            .limit(1)
        ).scalar_one()
    teaching = desk.read(find_by_reference, reference="TD-00001").id
    for larger, suffix in ((False, ""), (True, "-larger")):
        apply_theme(app, Theme.LIGHT, larger_text=larger)
        window = _main_window(desk, settings, first_run_size=False)
        window.open_client(teaching)
        measures = window.record.tab(MeasuresTab)
        assert isinstance(measures, MeasuresTab)
        window.record.tabs.setCurrentWidget(measures)
        measures.show_series(("t25fw", measures.side.value() or _no_side(), None))
        measures.show_history.setChecked(True)
        measures.results.setCurrentItem(measures.results.topLevelItem(0))
        _snap_screen(f"record-measures{suffix}")
        bar = measures.page_scroll.verticalScrollBar()
        bar.setValue(bar.maximum())
        _snap_screen(f"record-measures-history{suffix}")
        measures.show_history.setChecked(False)
        window.open_client(fallen)
        falls = window.record.tab(FallsTab)
        assert isinstance(falls, FallsTab)
        window.record.tabs.setCurrentWidget(falls)
        falls.show_history.setChecked(True)
        _settle()
        if larger:  # the form above, the falls logged below: scrolled to them
            bar = falls.page_scroll.verticalScrollBar()
            bar.setValue(bar.maximum())
        _snap_screen(f"record-falls{suffix}")
        falls.show_history.setChecked(False)
        window.close()
        _settle()
    return 0


def small_screen() -> int:
    """A first run on a 1280x720 screen, normal and larger text: the whole screen with
    the main window at the size it chose, the Programme tab, and the Handouts dialog.
    Run under `xvfb-run -s "-screen 0 1280x720x24"`."""
    home = _throwaway_home()
    from PySide6.QtCore import QSettings

    from ui.dialogs.handouts import HandoutsDialog
    from ui.pages.record_programme import ProgrammeTab
    from ui.theme import Theme, apply_theme

    app = _application()
    desk = _demo_desk(home)
    for larger, suffix in ((False, ""), (True, "-larger")):
        apply_theme(app, Theme.LIGHT, larger_text=larger)
        # Fresh settings each time: the window's first-run size, chosen from the screen.
        settings = QSettings(str(home / f"settings{suffix}.ini"), QSettings.Format.IniFormat)
        window = _main_window(desk, settings)
        _snap_screen(f"small-screen-main{suffix}")
        rows = window.caseload.model
        fullest = max(
            (rows.row_at(r) for r in range(rows.rowCount())),
            key=lambda row: (len(row.devices), str(row.id)),
        ).id
        window.open_client(fullest)
        programme = window.record.tab(ProgrammeTab)
        window.record.tabs.setCurrentWidget(programme)
        _snap_screen(f"small-screen-programme{suffix}")
        handouts = HandoutsDialog(desk, fullest, window)
        handouts.show()
        while not handouts.save_button.isEnabled():
            _settle(50)
        _snap_screen(f"small-screen-handouts{suffix}")
        handouts.close()
        window.close()
        _settle()
    return 0


def words_screens() -> int:
    """Counts and dates as the screens say them (issue 14 item 9): This week, a record's
    overview with a fall and a device advisory, its Devices tab, and the follow-up
    handout's page. Run under `xvfb-run -s "-screen 0 1280x720x24"`."""
    home = _throwaway_home()
    import subprocess

    from PySide6.QtCore import QSettings, Qt

    from therapy_desk.domain.vocabulary import HandoutKind
    from therapy_desk.handouts.build import build_handout
    from therapy_desk.services.handouts import handout_snapshot
    from ui.pages.record_devices import DevicesTab
    from ui.pages.record_overview import OverviewTab

    _application()
    desk = _demo_desk(home)
    settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
    window = _main_window(desk, settings)
    _snap_screen("words-this-week")
    fallen = window.this_week.falls.item(0).data(Qt.ItemDataRole.UserRole)
    window.open_client(fallen)
    window.record.tabs.setCurrentWidget(window.record.tab(OverviewTab))
    _snap_screen("words-overview")
    window.record.tabs.setCurrentWidget(window.record.tab(DevicesTab))
    _snap_screen("words-devices")
    window.close()
    snapshot = desk.read(handout_snapshot, client_id=fallen, today=date.today())
    pdf = build_handout(snapshot, [HandoutKind.FOLLOW_UP, HandoutKind.PROGRAMME], large_print=False)
    target = home / "words-handout.pdf"
    target.write_bytes(pdf.pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", target, OUT / "words-handout"],
        check=True,
    )
    print("wrote", OUT / "words-handout-*.png")
    return 0


def batch_and_summary() -> int:
    """The batch for follow-ups due with the overdue marked and one client unticked, and
    the record summary's preview (issue 14 items 13 and 10f). Run under `xvfb-run -s
    "-screen 0 1280x720x24"`."""
    home = _throwaway_home()
    from PySide6.QtCore import QSettings, Qt

    from therapy_desk.services.clients import find_by_reference
    from therapy_desk.services.record_view import read_record
    from ui.dialogs.print_due import PrintDueDialog
    from ui.printing import RecordSummaryDialog

    _application()
    desk = _demo_desk(home)
    window = _main_window(desk, QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat))

    batch = PrintDueDialog(desk, window)
    batch.show()
    overdue = [i for i, row in enumerate(batch.due) if row.overdue]
    unticked = overdue[-1] + 1 if overdue and overdue[-1] + 1 < len(batch.due) else 0
    batch.clients.item(unticked).setCheckState(Qt.CheckState.Unchecked)
    batch.clients.setCurrentRow(unticked)
    _snap_screen("print-due")
    batch.close()

    teaching = desk.read(find_by_reference, reference="TD-00001").id
    record = desk.read(read_record, client_id=teaching, today=desk.today())
    summary = RecordSummaryDialog(desk, record, window)
    summary.show()
    _snap_screen("record-summary-preview")
    summary.close()
    window.close()
    return 0


def _no_side():  # type: ignore[no-untyped-def]
    from therapy_desk.domain.vocabulary import Side

    return Side.NONE


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
