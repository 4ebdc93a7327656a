"""Starting the desktop app: choose the database, then the welcome screen or the main window.

Paths and settings are worked out here, when asked, never at import time.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from therapy_desk.db.database import Database, SchemaError
from therapy_desk.db.location import user_data_dir
from therapy_desk.services.clients import count_clients
from therapy_desk.services.clinic import clinic_details
from therapy_desk.services.opening import open_clinic
from ui.background import Background
from ui.desk import Changes, Desk
from ui.main_window import MainWindow
from ui.theme import Theme, apply_theme
from ui.welcome import WelcomeWindow

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
    if desk.read(clinic_details) is not None:
        return False
    return desk.read(count_clients) == 0


class App:
    """Holds whichever window is showing and the database behind it."""

    def __init__(self, qt: QApplication, store: QSettings, *, user: str | None) -> None:
        self.qt = qt
        self.store = store
        self.user = user
        self.desk: Desk | None = None
        self.window: QWidget | None = None
        self.background = Background()

    def open(self, location: str | None, *, remember: bool = False) -> bool:
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
        assert self.desk is not None
        welcome = WelcomeWindow(self.desk)
        welcome.clinic_created.connect(self._show_main)
        welcome.open_path.connect(lambda path: self.open(path, remember=True))
        welcome.open_demo.connect(self.open_demo)
        self._set_window(welcome)

    def _show_main(self) -> None:
        assert self.desk is not None
        window = MainWindow(self.desk, self.store)
        window.switch_database.connect(self._switch)
        self._set_window(window)
        window.start()

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
        progress = QProgressDialog("Building the demo clinic…", "", 0, 0, self.window)
        progress.setCancelButton(None)
        progress.setMinimumDuration(0)
        progress.show()

        def build() -> None:
            from datetime import date

            from therapy_desk.services.demo import build_demo_clinic

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
            progress.close()
            path.unlink(missing_ok=True)
            QMessageBox.critical(
                self.window, "Demo clinic", f"The demo could not be built: {error}"
            )

        self.background.run("demo", build, done, failed)


def run(db: str | None, user: str | None) -> int:
    qt = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(qt, QApplication)
    qt.setApplicationName("Therapy Desk")
    qt.setOrganizationName("Therapy Desk")
    store = settings()
    theme = Theme(str(store.value("theme", Theme.SYSTEM.value)))
    apply_theme(qt, theme, larger_text=store.value("larger_text", False, type=bool))
    app = App(qt, store, user=user)
    if not app.open(chosen_location(db, store)):
        return 1
    code = qt.exec()
    if app.desk is not None:
        app.desk.close()
    return code
