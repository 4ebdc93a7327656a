"""Starting the desktop app: choose the database, then the welcome screen or the main window.

Paths and settings are worked out here, when asked, never at import time.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QApplication, QWidget

from therapy_desk.db.location import location_text, user_data_dir
from ui.background import Background
from ui.desk import Changes, Desk
from ui.main_window import MainWindow
from ui.theme import (
    FUSION_ARGUMENTS,
    Theme,
    apply_theme,
    follow_system,
    remembered_system_dark,
)

if TYPE_CHECKING:
    from therapy_desk.db.database import Database
    from therapy_desk.services.first_look import FirstLook

#: Clients in the demo clinic built from the welcome screen or the File menu.
DEMO_CLIENTS = 200
DEMO_FILE = "demo-clinic.sqlite3"


def settings() -> QSettings:
    return QSettings("Therapy Desk", "Therapy Desk")


def chosen_location(cli_db: str | None, store: QSettings) -> str | None:
    """--db, then THERAPY_DESK_DB, then the database opened last, else the default file."""
    if cli_db or os.environ.get("THERAPY_DESK_DB"):
        return cli_db
    last = store.value("database/last")
    if isinstance(last, str) and last and Path(last).exists():
        return last
    return None


def is_new(desk: Desk) -> bool:
    from therapy_desk.services.clients import count_clients
    from therapy_desk.services.clinic import clinic_details

    if desk.read(clinic_details) is not None:
        return False
    return desk.read(count_clients) == 0


class App(QObject):
    """Holds whichever window is showing and the database behind it."""

    #: A main window's caseload is on screen for the first time.
    caseload_painted = Signal()

    def __init__(self, qt: QApplication, store: QSettings, *, user: str | None) -> None:
        super().__init__()
        self.qt = qt
        self.store = store
        self.user = user
        self.desk: Desk | None = None
        self.window: QWidget | None = None
        self.background = Background()

    def start(self, location: str | None) -> bool:
        """The first window of the session. A clinic that is ready gets its caseload painted
        straight from the file or server, while the rest loads behind it; anything else
        (a new clinic, an upgrade, a problem to explain) opens the full way."""
        from therapy_desk.services.first_look import first_look

        text = location_text(location)
        first = first_look(text, today=date.today())
        if first is None:
            return self.open(location)

        def open_database() -> Database:
            from therapy_desk.services.opening import open_clinic

            return open_clinic(text)

        self.desk = Desk.opening(open_database, where=first.where, user=self.user)
        self._show_main(first)
        return True

    def open(self, location: str | None, *, remember: bool = False) -> bool:
        from PySide6.QtWidgets import QMessageBox

        from therapy_desk.db.database import SchemaError
        from therapy_desk.services.opening import open_clinic

        try:
            database = open_clinic(location)
        except (SchemaError, OSError, ValueError) as error:
            QMessageBox.critical(None, "Cannot open the database", str(error))
            return False
        self._use(database)
        if remember and database.file is not None:
            self.store.setValue("database/last", str(database.file))
        assert self.desk is not None
        if is_new(self.desk):
            self._show_welcome()
        else:
            self._show_main()
        return True

    def _use(self, database: Database) -> None:
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        if self.desk is not None:
            self.desk.close()
        self.desk = Desk(database, user=self.user)

    def _show_welcome(self) -> None:
        from ui.welcome import WelcomeWindow

        assert self.desk is not None
        welcome = WelcomeWindow(self.desk)
        welcome.clinic_created.connect(self._show_main)
        welcome.open_path.connect(lambda path: self.open(path, remember=True))
        welcome.open_demo.connect(self.open_demo)
        self._set_window(welcome)

    def _show_main(self, first: FirstLook | None = None) -> None:
        assert self.desk is not None
        window = MainWindow(self.desk, self.store)
        window.switch_database.connect(self._switch)
        window.caseload_painted.connect(self.caseload_painted)
        self._set_window(window)
        window.start(first)

    def _set_window(self, window: QWidget) -> None:
        old = self.window
        self.window = window
        window.show()
        if old is not None:
            old.close()
            old.deleteLater()

    def _switch(self, path: object) -> None:
        if path is None:
            self.open_demo()
        else:
            self.open(str(path), remember=True)

    def open_demo(self) -> None:
        """Build the demo clinic in its own file (once), off the GUI thread, then open it."""
        path = user_data_dir() / DEMO_FILE
        if path.exists():
            self.open(str(path), remember=True)
            return
        from PySide6.QtWidgets import QProgressDialog

        progress = QProgressDialog("Building the demo clinic…", "", 0, 0, self.window)
        progress.setCancelButton(None)
        progress.setMinimumDuration(0)
        progress.show()

        def build() -> None:
            from therapy_desk.services.demo import build_demo_clinic
            from therapy_desk.services.opening import open_clinic

            builder = Desk(open_clinic(str(path)), user=self.user)
            try:
                builder.act(
                    build_demo_clinic,
                    changes=Changes(None, "demo"),
                    clients=DEMO_CLIENTS,
                    seed=7,
                    today=date.today(),
                )
            finally:
                builder.close()

        def done(_: object) -> None:
            progress.close()
            self.open(str(path), remember=True)

        def failed(error: Exception) -> None:
            from PySide6.QtWidgets import QMessageBox

            progress.close()
            path.unlink(missing_ok=True)
            QMessageBox.critical(
                self.window, "Demo clinic", f"The demo could not be built: {error}"
            )

        self.background.run("demo", build, done, failed)


#: Set by whoever launches the app to time its start-up: the launch moment, as
#: `time.time()` seconds. Without it, the clock starts when the entry point does.
LAUNCHED_AT_VAR = "THERAPY_DESK_LAUNCHED_AT"


def run(
    db: str | None,
    user: str | None,
    *,
    exit_after_startup: bool = False,
    started: float | None = None,
) -> int:
    """The desktop app. With `exit_after_startup`, quit as soon as the caseload is painted
    and print how many milliseconds that took from launch."""
    qt = QApplication.instance()
    made_here = qt is None
    if made_here:
        qt = QApplication([*sys.argv[:1], *FUSION_ARGUMENTS, *sys.argv[1:]])
    assert isinstance(qt, QApplication)
    qt.setApplicationName("Therapy Desk")
    qt.setOrganizationName("Therapy Desk")
    store = settings()
    theme = Theme(str(store.value("theme", Theme.SYSTEM.value)))
    # Light or dark as the system was last time: asking it now would delay the first
    # paint; `follow_system` asks just after it, and changes the theme if need be.
    apply_theme(
        qt,
        theme,
        larger_text=store.value("larger_text", False, type=bool),
        system_dark=remembered_system_dark(store),
        set_style=not made_here,
    )
    app = App(qt, store, user=user)
    if exit_after_startup:
        launched = _launch_time(started)

        def painted() -> None:
            print(f"{(time.time() - launched) * 1000:.0f}", flush=True)
            qt.quit()

        app.caseload_painted.connect(painted)  # before anything else hears it

    def first_painted() -> None:
        app.caseload_painted.disconnect(first_painted)
        gc.enable()
        follow_system(qt, store)

    app.caseload_painted.connect(first_painted)
    opened = app.start(chosen_location(db, store))
    if not isinstance(app.window, MainWindow):  # no caseload to wait for
        first_painted()
    if not opened:
        return 1
    if exit_after_startup and not isinstance(app.window, MainWindow):
        print("therapy-desk: no caseload to paint: the welcome screen opened", file=sys.stderr)
        return 2
    code = qt.exec()
    if app.desk is not None:
        app.desk.close()
    return code


def _launch_time(started: float | None) -> float:
    given = os.environ.get(LAUNCHED_AT_VAR)
    if given:
        try:
            return float(given)
        except ValueError:
            pass
    return time.time() if started is None else started
