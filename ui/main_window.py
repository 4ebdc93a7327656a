"""The main window: caseload on the left; on the right the week at a glance or one
client's record. Menus, shortcuts, remembered layout and unsaved-changes prompts."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QSplitter, QStackedWidget, QWidget

from therapy_desk import words
from ui.background import Background
from ui.desk import Desk
from ui.pages.caseload import CaseloadPanel

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from therapy_desk.services.first_look import FirstLook
    from ui.pages.record import RecordPage
    from ui.pages.this_week import ThisWeekPage
    from ui.theme import Theme


#: The window's first size where the screen has room for it (less where it has not).
FIRST_SIZE = (1400, 860)


class MainWindow(QMainWindow):
    """Built in steps so the caseload paints first: the week page and the menus' commands
    are made just after that paint, the record page (and everything it imports) after
    that, or each on first use."""

    #: Asked to open another database (a path) or the demo clinic (None).
    switch_database = Signal(object)
    #: The caseload's rows are on screen for the first time.
    caseload_painted = Signal()
    #: The database behind the window could not be opened (the error), for the app to
    #: explain and offer the way on.
    cannot_open = Signal(object)
    #: Who is using Therapy Desk here changed (File ▸ Clinician…): the new stamp.
    clinician_changed = Signal(str)

    def __init__(self, desk: Desk, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.settings = settings
        self.background = Background(self)
        self.setWindowTitle(f"Therapy Desk — {desk.where}")

        # Made without a parent: PySide matches QSplitter(parent) against its
        # QSplitter(Qt.Orientation) overload, which builds the whole `Qt` namespace (12 ms).
        self.splitter = QSplitter()  # side by side
        self.setCentralWidget(self.splitter)
        # Each part is made in its place: moving a made widget re-styles all of it.
        self.caseload = CaseloadPanel(desk, self.background, self.splitter)
        self._this_week: ThisWeekPage | None = None
        self._record: RecordPage | None = None
        self.pages = QStackedWidget(self.splitter)
        self.splitter.addWidget(self.caseload)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([480, 920])
        # The menu bar takes its height now so nothing moves when its commands arrive.
        bar = self.menuBar()
        self._menus = {
            name: bar.addMenu(title)
            for name, title in (
                ("file", "&File"),
                ("edit", "&Edit"),
                ("view", "&View"),
                ("clinic", "&Clinic"),
                ("help", "&Help"),
            )
        }
        self._finished = False

        self.caseload.client_chosen.connect(self.open_client)
        self.caseload.failed.connect(lambda text: self.statusBar().showMessage(text))
        self.caseload.loaded.connect(self._loaded)
        self.caseload.painted.connect(self.caseload_painted)
        self.caseload.painted.connect(self._make_record_page_soon)
        desk.open_failed.connect(self._open_failed)
        self._restore_layout()
        self.statusBar().showMessage("Reading the caseload…")

    def start(self, first: FirstLook | None = None) -> None:
        """Read the caseload and the week; with a first look, paint its rows at once and
        make the rest of the window after that paint."""
        if first is None:
            self._finish()
            self._read_all()
            return
        self.caseload.show_first(first.rows, total=first.total)
        self.caseload.painted.connect(self._after_first_paint)

    def _after_first_paint(self) -> None:
        self.caseload.painted.disconnect(self._after_first_paint)
        self._finish()
        self._read_all()

    def _finish(self) -> None:
        """The parts not needed to see the caseload: the week page and the commands."""
        if self._finished:
            return
        self._finished = True
        self.caseload.finish()
        self.this_week.client_chosen.connect(self.open_client)
        self._build_menus()

    def _read_all(self) -> None:
        self.desk.begin_opening()
        self.caseload.reload()
        self.this_week.reload()

    @property
    def this_week(self) -> ThisWeekPage:
        """The week at a glance, the home page: made just after the first paint."""
        if self._this_week is None:
            from ui.pages.this_week import ThisWeekPage

            self._this_week = ThisWeekPage(self.desk, self.background, self)
            self.pages.insertWidget(0, self._this_week)  # current if no page is yet
        return self._this_week

    def _make_record_page_soon(self) -> None:
        QTimer.singleShot(0, lambda: self.record)

    @property
    def record(self) -> RecordPage:
        """The client record page, made on first use (its tabs import a great deal)."""
        if self._record is None:
            from ui.pages.record import RecordPage

            self._finish()  # its tab commands go in the View menu
            self._record = RecordPage(self.desk, self)
            self.pages.addWidget(self._record)
            self._record.closed.connect(self.show_home)
            self._add_tab_actions(self._record)
        return self._record

    # Navigation

    def open_client(self, client_id: uuid.UUID) -> bool:
        if self.record.client_id == client_id and self.pages.currentWidget() is self.record:
            return True
        if not self.confirm_leave("before another client's record opens"):
            if self.record.client_id is not None:
                self.caseload.select(self.record.client_id)  # the record still showing
            return False
        if not self.record.open_client(client_id):
            return False
        self.pages.setCurrentWidget(self.record)
        self.caseload.select(client_id)
        self.close_action.setEnabled(True)
        return True

    def show_home(self) -> None:
        if self._showing_record() and not self.confirm_leave("before the record closes"):
            return
        self.pages.setCurrentWidget(self.this_week)
        self.close_action.setEnabled(False)

    def confirm_leave(self, going: str = "before you go on") -> bool:
        """Ask before edits are lost, naming what is unsaved and where; True when it is
        fine to move on. A Save that fails (a field to correct) keeps the user here, on
        the tab with the problem and at its field (see `RecordPage.save`)."""
        record = self._record
        if record is None or not record.has_unsaved_changes():
            return True
        from PySide6.QtWidgets import QMessageBox

        who = f"{record.record.client.name}'s record" if record.record else "this record"
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"Unsaved changes on {who}: {record.unsaved_summary()}.\n\n"
            f"They are not saved yet. Save them {going}?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            if record.save():
                return True
            self.pages.setCurrentWidget(record)  # where the problem is shown
            return False
        if answer == QMessageBox.StandardButton.Discard:
            self.record.discard()
            return True
        return False

    # Actions

    def _showing_record(self) -> bool:
        return self._record is not None and self.pages.currentWidget() is self._record

    def new_client(self) -> None:
        from ui.dialogs.client import ClientDialog

        if not self.confirm_leave("before you add a new client"):
            return
        dialog = ClientDialog(self.desk, parent=self)
        if dialog.exec() and dialog.saved_id is not None:
            self.record.discard()
            self.open_client(dialog.saved_id)

    def save(self) -> None:
        if self._showing_record():
            if self.record.has_unsaved_changes():
                if self.record.save():
                    self.statusBar().showMessage("Saved", 3000)
            else:
                self.statusBar().showMessage("Nothing to save: every change is already saved", 3000)

    def print_current(self) -> None:
        from ui.printing import print_record

        if self._showing_record() and self.record.record is not None:
            print_record(self.desk, self.record.record, self)
        else:
            self.statusBar().showMessage("Open a client's record to print it", 4000)

    def handouts(self) -> None:
        if self._showing_record() and self.record.record is not None:
            self.record.open_handouts()
        else:
            self.statusBar().showMessage(
                "Open a client's record for their handouts, or use Clinic ▸ Print handouts "
                "for follow-ups due",
                6000,
            )

    def print_due(self) -> None:
        from ui.dialogs.print_due import PrintDueDialog

        PrintDueDialog(self.desk, parent=self).exec()

    def _build_menus(self) -> None:
        from PySide6.QtGui import QAction, QActionGroup, QKeySequence

        from ui.theme import Theme

        file_menu = self._menus["file"]
        self.new_action = self._action(
            file_menu, "&New client…", QKeySequence.StandardKey.New, self.new_client
        )
        self._action(file_menu, "&Save", QKeySequence.StandardKey.Save, self.save)
        self._action(file_menu, "&Handouts…", QKeySequence.StandardKey.Print, self.handouts)
        self._action(file_menu, "Print record &summary…", "Ctrl+Shift+P", self.print_current)
        file_menu.addSeparator()
        self._action(file_menu, "&Open database…", "Ctrl+O", self._open_database)
        self._action(file_menu, "Open the &demo clinic", None, lambda: self._switch(None))
        file_menu.addSeparator()
        self._action(file_menu, "C&linician…", None, self.choose_clinician)
        file_menu.addSeparator()
        self.close_action = self._action(
            file_menu, "&Close client", QKeySequence.StandardKey.Close, self.show_home
        )
        self.close_action.setEnabled(False)
        # Ctrl+Q everywhere: Qt's standard Quit key is empty on Windows and some platforms.
        self._action(file_menu, "&Quit", "Ctrl+Q", self.close)

        edit_menu = self._menus["edit"]
        self._action(
            edit_menu, "&Find client", QKeySequence.StandardKey.Find, self.caseload.focus_search
        )
        self._action(
            edit_menu, "Edit client &details…", "Ctrl+E", lambda: self.record.edit_details()
        )

        view_menu = self._menus["view"]
        self._action(view_menu, "&This week", "Ctrl+Home", self.show_home)
        self._action(view_menu, "&Refresh", QKeySequence.StandardKey.Refresh, self.start)
        self.view_menu = view_menu
        #: The record's tab actions go in above this, once the record page is made.
        self.tabs_end = view_menu.addSeparator()
        theme_menu = view_menu.addMenu("T&heme")
        self.theme_group = QActionGroup(self)
        current = Theme(str(self.settings.value("theme", Theme.SYSTEM.value)))
        for theme in Theme:
            action = QAction(theme.label, self, checkable=True)
            action.setChecked(theme is current)
            action.setData(theme.value)
            action.triggered.connect(lambda checked=False, t=theme: self.set_theme(t))
            self.theme_group.addAction(action)
            theme_menu.addAction(action)
        self.larger_text = QAction("&Larger text", self, checkable=True)
        self.larger_text.setShortcut("Ctrl++")
        self.larger_text.setChecked(self.settings.value("larger_text", False, type=bool))
        self.larger_text.toggled.connect(lambda on: self.set_theme(self.theme(), larger=on))
        view_menu.addAction(self.larger_text)

        clinic_menu = self._menus["clinic"]
        self._action(
            clinic_menu, "&Print handouts for follow-ups due…", "Ctrl+Shift+H", self.print_due
        )
        self._action(clinic_menu, "Clinic &details for handouts…", None, self._clinic_details)
        self._action(clinic_menu, "Advisory &rules…", None, self._advisory_rules)

        help_menu = self._menus["help"]
        self._action(help_menu, "&About Therapy Desk", None, self._about)

    def _add_tab_actions(self, record: RecordPage) -> None:
        from PySide6.QtGui import QAction, QKeySequence

        for number in range(len(record.tab_pages)):
            action = QAction(
                f"Record tab {number + 1}: {record.tabs.tabText(number).replace('&', '')}", self
            )
            action.setShortcut(QKeySequence(f"Alt+{number + 1}"))
            action.triggered.connect(lambda checked=False, n=number: self._show_tab(n))
            self.view_menu.insertAction(self.tabs_end, action)
        self.view_menu.insertSeparator(self.tabs_end)

    def _action(self, menu, text, shortcut, slot) -> QAction:  # type: ignore[no-untyped-def]
        from PySide6.QtGui import QAction, QKeySequence

        from ui.errors import slot as told

        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        command = f"{menu.title()} ▸ {text}".replace("&", "").replace("…", "")
        action.triggered.connect(told(f"using {command}", slot))
        menu.addAction(action)
        return action

    def _show_tab(self, number: int) -> None:
        if self._showing_record():
            self.record.tabs.setCurrentIndex(number)
            self.record.tabs.currentWidget().setFocus()

    # Themes and layout

    def theme(self) -> Theme:
        from ui.theme import Theme

        return Theme(str(self.settings.value("theme", Theme.SYSTEM.value)))

    def set_theme(self, theme: Theme, *, larger: bool | None = None) -> None:
        larger = self.larger_text.isChecked() if larger is None else larger
        self.settings.setValue("theme", theme.value)
        self.settings.setValue("larger_text", larger)
        from PySide6.QtWidgets import QApplication

        from ui.theme import apply_theme

        app = QApplication.instance()
        assert isinstance(app, QApplication)
        apply_theme(app, theme, larger_text=larger)
        from ui.widgets.columns import labels_whole_later

        labels_whole_later(self)  # no column left narrower than its label

    def _restore_layout(self) -> None:
        """The window as it was left, if that fits the screen it opens on (a laptop
        unplugged from a large monitor gets a first-run size instead)."""
        from ui.screen_fit import restore_geometry, size_window

        if not restore_geometry(self, self.settings.value("window/geometry")):
            size_window(self, *FIRST_SIZE)
        state = self.settings.value("window/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        header = self.settings.value("window/caseload_header")
        if header is not None:
            self.caseload.table.horizontalHeader().restoreState(header)

    def _save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue(
            "window/caseload_header", self.caseload.table.horizontalHeader().saveState()
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirm_leave("before Therapy Desk closes"):
            event.ignore()
            return
        self._save_layout()
        self.background.abandon()  # a read under way is not waited for: quit at once
        event.accept()

    # Clinic and database

    def _loaded(self) -> None:
        self.statusBar().showMessage(
            f"{words.count(self.caseload.model.total(), 'client')} in {self.desk.where}", 5000
        )

    def _open_failed(self, error: object) -> None:
        self.statusBar().showMessage("The clinic database could not be opened")
        self.cannot_open.emit(error)

    def _clinic_details(self) -> None:
        from ui.dialogs.clinic import ClinicDialog

        ClinicDialog(self.desk, parent=self).exec()

    def _advisory_rules(self) -> None:
        from ui.dialogs.rules import RulesDialog

        RulesDialog(self.desk, parent=self).exec()
        if self._showing_record():
            self.record.refresh()

    def _open_database(self) -> None:
        from ui.widgets.database_file import choose_database_file

        path = choose_database_file(self)
        if path:
            self._switch(path)

    def _switch(self, path: str | None) -> None:
        if self.confirm_leave("before another database opens"):
            self.switch_database.emit(path)

    def choose_clinician(self) -> None:
        """Change who is using Therapy Desk on this computer (stamped on what they record)."""
        from therapy_desk import workstation
        from ui.dialogs.clinician import ClinicianDialog

        dialog = ClinicianDialog(workstation.remembered(), parent=self)
        if not dialog.exec() or dialog.chosen is None:
            return
        stamp = dialog.chosen.stamp
        self.desk.user = stamp
        self.clinician_changed.emit(stamp)
        kept = "" if dialog.not_kept is None else " (for this session only: it could not be kept)"
        self.statusBar().showMessage(f"What you record now says “by {stamp}”{kept}", 8000)

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from therapy_desk import __version__

        QMessageBox.about(
            self,
            "About Therapy Desk",
            f"<b>Therapy Desk {__version__}</b><p>A caseload manager for therapists who treat "
            "muscle weakness in multiple sclerosis. It records, reminds and prints what the "
            "therapist decides; its advisories are for a therapist to read, act on or dismiss."
            f"</p><p>Database: {self.desk.where}</p>",
        )
