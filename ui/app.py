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

from therapy_desk import words
from therapy_desk.db.location import APP_NAME, DEMO_FILE, ENV_VAR, location_text, user_data_dir
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
    from ui.opening import Attempt

#: Clients in the demo clinic built from the welcome screen or the File menu.
DEMO_CLIENTS = 200
#: Stamped on the demo clinic's invented records when nobody has said who is acting.
DEMO_BUILDER = "Demo clinic"


def settings() -> QSettings:
    return QSettings("Therapy Desk", "Therapy Desk")


def chosen_location(cli_db: str | None, store: QSettings) -> str | None:
    """--db, then THERAPY_DESK_DB, then the database opened last (even one since moved:
    opening it then asks what to do), else None: the default file."""
    if cli_db or os.environ.get(ENV_VAR):
        return cli_db
    last = store.value("database/last")
    if isinstance(last, str) and last:
        return last
    return None


def is_first_choice(location: str | None) -> bool:
    """Nothing was chosen (no --db, no THERAPY_DESK_DB, no remembered database): the
    default file, which the first run creates. Anywhere else, a missing database is a
    mistake to ask about, never a new clinic made silently."""
    return location is None and not os.environ.get(ENV_VAR)


def known_clinician() -> str | None:
    """Who is acting when --by is not given: THERAPY_DESK_CLINICIAN, else the clinician
    remembered on this computer; None when nobody has said (the app then asks). Never
    the login name."""
    from therapy_desk import workstation
    from therapy_desk.services.errors import ValidationError

    given = workstation.from_environment()
    if given is not None:
        try:
            return workstation.clinician(given[0]).stamp
        except ValidationError:
            return None
    here = workstation.remembered()
    return here.stamp if here is not None else None


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
        #: Who is acting (--by, the environment or this computer's clinician); None until
        #: they say, which the first window asks.
        self.user = user or known_clinician()
        self._asking = False
        self.desk: Desk | None = None
        self.window: QWidget | None = None
        self.background = Background()
        #: Where the open clinic is, as chosen (None: the default or the environment).
        self.location: str | None = None
        #: False when nobody is there to answer a question (timing start-up): a problem
        #: opening the database is then printed, without any client's data, and ends it.
        self.interactive = True

    def start(self, location: str | None) -> bool:
        """The first window of the session. A clinic that is ready gets its caseload painted
        straight from the file or server, while the rest loads behind it; anything else
        (a new clinic, an upgrade, a problem to explain) opens the full way."""
        from therapy_desk.services.first_look import first_look

        text = location_text(location)
        first = first_look(text, today=date.today())
        if first is None:
            return self.open(location, create=is_first_choice(location))

        def open_database() -> Database:
            from therapy_desk.services.opening import open_clinic

            return open_clinic(text)

        self.location = location
        self.desk = Desk.opening(open_database, where=first.where, user=self.user)
        self._show_main(first)
        return True

    def open(self, location: str | None, *, remember: bool = False, create: bool = False) -> bool:
        """Open a clinic and show it. When it cannot be opened the user is told why and
        chooses the way on (create it, open another, restore a backup…); False when they
        chose to leave instead, and the window showing stays as it was."""
        from therapy_desk.services.opening import open_clinic
        from ui.opening import Attempt

        attempt = Attempt(location, create=create, remember=remember)
        while True:
            try:
                database = open_clinic(attempt.location, create=attempt.create)
                break
            except Exception as error:
                following = self._way_on(attempt.location, error)
                if following is None:
                    return False
                attempt = Attempt(
                    following.location,
                    create=following.create,
                    remember=following.remember or attempt.remember,
                )
        self._use(database)
        self.location = attempt.location
        if attempt.remember and database.file is not None:
            self.store.setValue("database/last", str(database.file))
        assert self.desk is not None
        if is_new(self.desk):
            self._show_welcome()
        else:
            self._show_main()
        return True

    def _way_on(self, location: str | None, error: BaseException) -> Attempt | None:
        from ui.opening import way_on

        if not self.interactive:
            print(f"therapy-desk: {_plain(error)}", file=sys.stderr)
            return None
        working = self.window is not None and self.desk is not None and self.desk.open_error is None
        return way_on(self.window, location, error, leave="Cancel" if working else "Quit")

    def _opening_failed(self, error: object) -> None:
        """The database behind a window painted from the first look did not open."""
        window = self.window
        if not isinstance(error, BaseException) or window is None:
            return
        following = self._way_on(self.location, error)
        if following is not None and self.open(
            following.location, remember=following.remember, create=following.create
        ):
            return
        if self.window is window:
            window.close()
            if not self.interactive:
                self.qt.exit(1)

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
        window.cannot_open.connect(self._opening_failed)
        window.caseload_painted.connect(self.caseload_painted)
        window.clinician_changed.connect(self.use_clinician)
        self._set_window(window)
        window.start(first)

    def _set_window(self, window: QWidget) -> None:
        old = self.window
        self.window = window
        window.show()
        if old is not None:
            old.close()
            old.deleteLater()
        if self.user is None and self.interactive:
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, self.ask_clinician)  # once the window is on screen

    def ask_clinician(self) -> None:
        """First start on this computer: who is using it, before anything is recorded."""
        if self.user is not None or self._asking:
            return
        from ui.dialogs.clinician import ClinicianDialog

        self._asking = True
        try:
            dialog = ClinicianDialog(required=True, parent=self.window)
            dialog.exec()
        finally:
            self._asking = False
        if dialog.chosen is not None:
            self.use_clinician(dialog.chosen.stamp)

    def use_clinician(self, stamp: str) -> None:
        self.user = stamp
        if self.desk is not None:
            self.desk.user = stamp

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

            builder = Desk(open_clinic(str(path), create=True), user=self.user or DEMO_BUILDER)
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
            from therapy_desk.files import database_files
            from ui.errors import Unexpected, sentence, warn

            progress.close()
            for file in database_files(path):
                file.unlink(missing_ok=True)
            if not isinstance(error, Unexpected):  # that one has been told already
                warn(
                    self.window,
                    "Demo clinic",
                    "The demo clinic could not be built",
                    sentence(str(error)),
                )

        self.background.run(
            "demo", build, done, failed, doing="building the demo clinic", known=(OSError,)
        )


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
    from ui.errors import install

    install(qt)  # an error anywhere is logged safely and told, never printed
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
    app.interactive = not exit_after_startup
    if exit_after_startup:
        launched = _launch_time(started)

        def painted() -> None:
            print(f"{(time.time() - launched) * 1000:.0f}", flush=True)
            qt.quit()

        app.caseload_painted.connect(painted)  # before anything else hears it

    said_before = _said_before()
    words.remember_from(said_before)

    def first_painted() -> None:
        app.caseload_painted.disconnect(first_painted)
        gc.enable()
        follow_system(qt, store)
        try:
            words.keep_in(said_before)
        except OSError:
            pass  # only a cache: the next start asks Babel again

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


def _said_before() -> Path:
    """Where the dates and counts of the last start are kept (therapy_desk/words.py)."""
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "words-said.json"


def _plain(error: BaseException) -> str:
    """A problem opening the database in words safe to print (no client's data)."""
    from ui.errors import sentence
    from ui.opening import is_opening_problem

    if is_opening_problem(error):
        return sentence(str(error))
    from therapy_desk import incidents

    incident = incidents.report(error, doing="opening the clinic database")
    return f"the database could not be opened (incident {incident.code}; see {incident.log})"


def _launch_time(started: float | None) -> float:
    given = os.environ.get(LAUNCHED_AT_VAR)
    if given:
        try:
            return float(given)
        except ValueError:
            pass
    return time.time() if started is None else started
