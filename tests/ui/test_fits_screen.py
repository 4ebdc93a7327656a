"""Every window and dialog fits a 1280×720 laptop screen, at normal and at larger text.

The GUI tests run on an offscreen screen of 1280×720 (tests/small_screen.json, chosen in
tests/conftest.py). Each window here is opened the way a therapist opens it: the app
started on a demo clinic with fresh settings (a first run), each page and record tab
shown, each dialog opened from its own button. Then:

- the window's frame, with room for a window manager's title bar and borders
  (`ui.screen_fit.FRAME_ROOM`), lies on the screen's available area;
- every visible widget lies inside the window, or inside the content of a scroll area
  (reachable by scrolling), never sticking out of the widget that holds it;
- a dialog's own buttons (its QDialogButtonBox) are never inside a scroll area;
- no column header is narrower than its label, no wrapped label is given fewer lines
  than its text needs, and no list or table is squeezed to less than two lines.

Switching the text size with a record open, and a window size remembered from a larger
screen, are checked too.

Every QDialog and window class in ui/ must have a scene here: a new dialog fails
`test_every_dialog_and_window_has_a_scene` until one is added.
"""

from __future__ import annotations

import ast
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, QSettings, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QStyle,
    QTableView,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from therapy_desk.domain import Trial
from therapy_desk.services.demo import build_demo_clinic
from therapy_desk.services.opening import open_clinic
from therapy_desk.services.record_view import ClientRecord
from ui.app import App
from ui.main_window import FIRST_SIZE, MainWindow
from ui.screen_fit import FRAME_ROOM, first_size
from ui.theme import BASE_POINT_SIZE, LARGER_POINT_SIZE, Theme, apply_theme

UI = Path(__file__).resolve().parents[2] / "ui"
#: The screen every GUI test runs on.
SCREEN = (1280, 720)
#: Classes that are only ever opened as one of their subclasses.
BASES = {"_DeviceDialog", "TrialDialog"}
#: Clients in the demo clinic the windows are shown on.
DEMO_CLIENTS = 40


# --- the clinic and the app -----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    database = open_clinic(str(path), create=True)
    with database.transaction() as session:
        build_demo_clinic(session, clients=DEMO_CLIENTS, seed=7, today=date.today())
    database.close()
    return path


@pytest.fixture(params=["normal", "larger"])
def text_size(request: pytest.FixtureRequest) -> Iterator[str]:
    """The app's text at its normal size or with View ▸ Larger text; put back after."""
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    before = (QFont(qt.font()), QPalette(qt.palette()), qt.styleSheet())
    larger = request.param == "larger"
    apply_theme(qt, Theme.LIGHT, larger_text=larger)
    assert qt.font().pointSize() == (LARGER_POINT_SIZE if larger else BASE_POINT_SIZE)
    yield str(request.param)
    font, palette, sheet = before
    qt.setStyleSheet(sheet)
    qt.setPalette(palette)
    qt.setFont(font)


@dataclass
class Stage:
    """The app on the demo clinic, for a scene to open its window from."""

    qtbot: QtBot
    app: App
    monkeypatch: pytest.MonkeyPatch
    picks: dict[str, uuid.UUID]
    opened: list[QDialog] = field(default_factory=list)

    @property
    def window(self) -> MainWindow:
        assert isinstance(self.app.window, MainWindow)
        return self.app.window

    def client(self, need: str) -> uuid.UUID:
        """The demo client with the fullest record of what `need` names (see NEEDS)."""
        return self.picks[need]

    def record_tab(self, client_id: uuid.UUID, title: str) -> QWidget:
        window = self.window
        assert window.open_client(client_id)
        tabs = window.record.tabs
        number = next(n for n in range(tabs.count()) if tabs.tabText(n).replace("&", "") == title)
        tabs.setCurrentIndex(number)
        return tabs.widget(number)

    def dialog(self, action: Callable[[], object]) -> QDialog:
        """The dialog `action` opens (a modal one is shown without its event loop)."""
        before = len(self.opened)
        already = QApplication.topLevelWidgets()  # held, so each keeps its wrapper
        action()
        self.qtbot.waitUntil(lambda: self._new_dialog(before, already) is not None)
        found = self._new_dialog(before, already)
        assert found is not None
        self.qtbot.waitExposed(found)
        return found

    def _new_dialog(self, before: int, already: list[QWidget]) -> QDialog | None:
        if len(self.opened) > before:
            return self.opened[-1]
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                if not any(widget is old for old in already):
                    return widget
        return None


@pytest.fixture
def stage(
    qtbot: QtBot,
    tmp_path: Path,
    demo_template: Path,
    picks: dict[str, uuid.UUID],
    text_size: str,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Stage]:
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    screen = qt.primaryScreen().geometry()
    assert (screen.width(), screen.height()) == SCREEN, "the tests' screen is not 1280×720"
    clinic = tmp_path / "clinic.sqlite3"
    shutil.copy(demo_template, clinic)
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    store.setValue("theme", Theme.LIGHT.value)
    store.setValue("larger_text", text_size == "larger")
    app = App(qt, store, user="tester")
    shown = Stage(qtbot, app, monkeypatch, picks)

    def exec_without_waiting(dialog: QDialog) -> int:
        shown.opened.append(dialog)
        dialog.show()
        return 0

    monkeypatch.setattr(QDialog, "exec", exec_without_waiting)
    yield shown
    for dialog in reversed(shown.opened):
        dialog.close()
    window = app.window
    if window is not None:
        window.close()
    app.background.wait()
    if app.desk is not None:
        app.desk.close()
    if window is not None:  # gone before the next test restyles every widget there is
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def start(stage: Stage) -> MainWindow:
    clinic = Path(stage.app.store.fileName()).with_name("clinic.sqlite3")
    assert stage.app.start(str(clinic))
    window = stage.window
    stage.qtbot.waitExposed(window)
    stage.qtbot.waitUntil(lambda: window.caseload.model.total() == DEMO_CLIENTS)
    stage.qtbot.waitUntil(lambda: window.this_week.follow_ups.count() > 0)
    return window


# --- the scenes: each opens one window the way a user does ---------------------------------

Scene = Callable[[Stage], QWidget]
#: name → (the ui classes it shows, how to open it)
SCENES: dict[str, tuple[tuple[str, ...], Scene]] = {}


def scene(name: str, *classes: str) -> Callable[[Scene], Scene]:
    def register(opener: Scene) -> Scene:
        SCENES[name] = (classes, opener)
        return opener

    return register


def _count(*relations: str) -> Callable[[ClientRecord], int]:
    return lambda record: sum(len(getattr(record.client, r)) for r in relations)


def _most_items(record: ClientRecord) -> int:
    revisions = [r for p in record.client.programmes for r in p.revisions]
    return max((len(r.items) for r in revisions), default=0)


def _trials(wanted: Callable[[Trial], bool]) -> Callable[[ClientRecord], int]:
    return lambda record: sum(1 for t in record.client.trials if wanted(t))


def _unreviewed(trial: Trial) -> bool:
    return trial.outcome is None


#: What a scene needs of its client: the demo client who has the most of it is chosen.
NEEDS: dict[str, Callable[[ClientRecord], int]] = {
    "Overview": lambda r: len(r.advisories) + _count("findings", "devices", "trials", "falls")(r),
    "Weakness": _count("findings"),
    "Programme": _most_items,
    "Devices": _count("devices"),
    "Trials": _count("trials"),
    "Measures": _count("measurements"),
    "Falls": _count("falls"),
    "advisories": lambda r: len(r.open_advisories),
    "unreviewed trials": _trials(_unreviewed),
}
#: The record's tabs, each shown on the client with the most of what it shows.
TABS = ("Overview", "Weakness", "Programme", "Devices", "Trials", "Measures", "Falls")


@pytest.fixture(scope="module")
def picks(demo_template: Path) -> dict[str, uuid.UUID]:
    from sqlalchemy import select

    from therapy_desk.domain import Client
    from therapy_desk.services.record_view import read_record

    database = open_clinic(str(demo_template))
    try:
        with database.transaction() as session:
            ids = sorted(session.scalars(select(Client.id)))
            records = [read_record(session, client_id=i, today=date.today()) for i in ids]
    finally:
        database.close()
    chosen = {}
    for need, score in NEEDS.items():
        best = max(records, key=score)
        assert score(best) > 0, f"no demo client has {need}"
        chosen[need] = best.client.id
    return chosen


def _tab_scene(title: str) -> Scene:
    def opener(stage: Stage) -> QWidget:
        start(stage)
        stage.record_tab(stage.client(title), title)
        return stage.window

    return opener


for _title in TABS:
    scene(f"main window: record, {_title}", "MainWindow")(_tab_scene(_title))


@scene("welcome", "WelcomeWindow")
def _welcome(stage: Stage) -> QWidget:
    empty = Path(stage.app.store.fileName()).with_name("new-clinic.sqlite3")
    assert stage.app.open(str(empty), create=True)  # a new clinic: the welcome screen
    window = stage.app.window
    assert window is not None and type(window).__name__ == "WelcomeWindow"
    stage.qtbot.waitExposed(window)
    return window


@scene("new client", "ClientDialog")
def _new_client(stage: Stage) -> QWidget:
    window = start(stage)
    return stage.dialog(window.new_client)


@scene("edit client details", "ClientDialog")
def _edit_client(stage: Stage) -> QWidget:
    window = start(stage)
    assert window.open_client(stage.client("Weakness"))
    return stage.dialog(window.record.edit_details)


@scene("handouts", "HandoutsDialog")
def _handouts(stage: Stage) -> QWidget:
    window = start(stage)
    assert window.open_client(stage.client("Programme"))
    dialog = stage.dialog(window.record.open_handouts)
    stage.qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=20_000)
    return dialog


@scene("withdraw a handout given", "WithdrawHandoutDialog")
def _withdraw(stage: Stage) -> QWidget:
    from ui.handout_output import record_given

    handouts = _handouts(stage)
    assert record_given(stage.window.desk, handouts.pdf.packets, parent=handouts)
    return stage.dialog(lambda: stage.qtbot.mouseClick(handouts.withdraw_button, LEFT))


@scene("print handouts for follow-ups due", "PrintDueDialog")
def _print_due(stage: Stage) -> QWidget:
    window = start(stage)
    dialog = stage.dialog(window.print_due)
    stage.qtbot.waitUntil(lambda: dialog.clients.count() > 0, timeout=20_000)
    return dialog


@scene("clinic details", "ClinicDialog")
def _clinic(stage: Stage) -> QWidget:
    window = start(stage)
    return stage.dialog(window._clinic_details)


@scene("advisory rules", "RulesDialog")
def _rules(stage: Stage) -> QWidget:
    window = start(stage)
    return stage.dialog(window._advisory_rules)


@scene("exercise catalogue", "CatalogueBrowser")
def _catalogue(stage: Stage) -> QWidget:
    start(stage)
    tab = stage.record_tab(stage.client("Programme"), "Programme")
    return stage.dialog(lambda: stage.qtbot.mouseClick(tab.add_button, LEFT))


@scene("add a finding", "FindingDialog")
def _finding(stage: Stage) -> QWidget:
    start(stage)
    tab = stage.record_tab(stage.client("Weakness"), "Weakness")
    return stage.dialog(lambda: stage.qtbot.mouseClick(tab.add_button, LEFT))


@scene("edit a finding", "FindingDialog")
def _edit_finding(stage: Stage) -> QWidget:
    start(stage)
    tab = stage.record_tab(stage.client("Weakness"), "Weakness")
    tab.table.setCurrentItem(tab.table.topLevelItem(0))
    return stage.dialog(lambda: stage.qtbot.mouseClick(tab.edit_button, LEFT))


def _devices_tab(stage: Stage) -> QWidget:
    start(stage)
    tab = stage.record_tab(stage.client("Devices"), "Devices")
    tab.table.selectRow(0)
    return tab


@scene("add a device", "AddDeviceDialog")
def _add_device(stage: Stage) -> QWidget:
    tab = _devices_tab(stage)
    return stage.dialog(lambda: stage.qtbot.mouseClick(tab.add_button, LEFT))


@scene("change a device's status", "DeviceStatusDialog")
def _device_status(stage: Stage) -> QWidget:
    tab = _devices_tab(stage)
    return stage.dialog(lambda: stage.qtbot.mouseClick(tab.status_button, LEFT))


@scene("edit a device", "EditDeviceDialog")
def _edit_device(stage: Stage) -> QWidget:
    tab = _devices_tab(stage)
    return stage.dialog(lambda: stage.qtbot.mouseClick(tab.edit_button, LEFT))


def _trials_tab(stage: Stage, need: str, wanted: Callable[[Trial], bool]) -> QWidget:
    start(stage)
    tab = stage.record_tab(stage.client(need), "Trials")
    trial = max((t for t in tab.record.client.trials if wanted(t)), key=lambda t: len(t.what))
    assert tab.select_trial(trial.id)
    return tab


@scene("open a trial", "OpenTrialDialog")
def _open_trial(stage: Stage) -> QWidget:
    tab = _trials_tab(stage, "Trials", lambda t: True)
    return stage.dialog(lambda: stage.qtbot.mouseClick(tab.open_button, LEFT))


@scene("add a follow-up note", "TrialNoteDialog")
def _trial_note(stage: Stage) -> QWidget:
    tab = _trials_tab(stage, "unreviewed trials", _unreviewed)
    return stage.dialog(lambda: stage.qtbot.mouseClick(tab.note_button, LEFT))


@scene("review a trial", "ReviewTrialDialog")
def _review_trial(stage: Stage) -> QWidget:
    tab = _trials_tab(stage, "unreviewed trials", _unreviewed)
    return stage.dialog(lambda: stage.qtbot.mouseClick(tab.review_button, LEFT))


@scene("decide what next", "DecideTrialDialog")
def _decide_trial(stage: Stage) -> QWidget:
    from therapy_desk.domain.vocabulary import TrialOutcome
    from therapy_desk.services.trials import review_trial

    tab = _trials_tab(stage, "unreviewed trials", _unreviewed)
    trial = tab.selected_trial()
    desk = stage.window.desk
    with desk.database.transaction() as session:  # reviewed, as the Review… dialog does
        review_trial(
            session,
            trial_id=trial.id,
            outcome=TrialOutcome.NO_CHANGE,
            on=desk.today(),
            expected_version=trial.version,
            note="Walks the same distance before resting; no change in the diary.",
        )
    stage.window.record.refresh()
    assert tab.select_trial(trial.id)
    return stage.dialog(lambda: stage.qtbot.mouseClick(tab.decide_button, LEFT))


@scene("dismiss an advisory", "DismissDialog")
def _dismiss(stage: Stage) -> QWidget:
    from ui.pages.record_overview import AdvisoryCard

    start(stage)
    tab = stage.record_tab(stage.client("advisories"), "Overview")
    card = next(c for c in tab.findChildren(AdvisoryCard) if c.button.text() == "Dismiss…")
    return stage.dialog(lambda: stage.qtbot.mouseClick(card.button, LEFT))


@scene("about a measure", "MeasureCatalogue")
def _measure_catalogue(stage: Stage) -> QWidget:
    start(stage)
    tab = stage.record_tab(stage.client("Measures"), "Measures")
    return stage.dialog(lambda: stage.qtbot.mouseClick(tab.about_button, LEFT))


def _chosen_result(stage: Stage) -> QWidget:
    start(stage)
    tab = stage.record_tab(stage.client("Measures"), "Measures")
    first = tab.results.topLevelItem(0)
    assert first is not None, "the measure shown has no results"
    tab.results.setCurrentItem(first)
    return tab


@scene("correct a result", "CorrectMeasureDialog")
def _correct_result(stage: Stage) -> QWidget:
    tab = _chosen_result(stage)
    return stage.dialog(lambda: stage.qtbot.mouseClick(tab.correct_button, LEFT))


@scene("strike out a result", "StrikeOutDialog")
def _strike_result(stage: Stage) -> QWidget:
    tab = _chosen_result(stage)
    return stage.dialog(lambda: stage.qtbot.mouseClick(tab.strike_button, LEFT))


def _chosen_fall(stage: Stage) -> QWidget:
    start(stage)
    tab = stage.record_tab(stage.client("Falls"), "Falls")
    tab.table.selectRow(0)
    return tab


@scene("correct a fall", "CorrectFallDialog")
def _correct_fall(stage: Stage) -> QWidget:
    tab = _chosen_fall(stage)
    return stage.dialog(lambda: stage.qtbot.mouseClick(tab.correct_button, LEFT))


@scene("strike out a fall", "StrikeOutDialog")
def _strike_fall(stage: Stage) -> QWidget:
    tab = _chosen_fall(stage)
    return stage.dialog(lambda: stage.qtbot.mouseClick(tab.strike_button, LEFT))


@scene("record summary", "RecordSummaryDialog")
def _record_summary(stage: Stage) -> QWidget:
    window = start(stage)
    assert window.open_client(stage.client("Overview"))
    return stage.dialog(window.print_current)


@scene("clinician", "ClinicianDialog")
def _clinician(stage: Stage) -> QWidget:
    window = start(stage)
    return stage.dialog(window.choose_clinician)


@scene("clinician, at first start", "ClinicianDialog")
def _first_clinician(stage: Stage) -> QWidget:
    start(stage)
    stage.app.user = None
    return stage.dialog(stage.app.ask_clinician)


def _notice(build: Callable[[QWidget, Path], QDialog]) -> Scene:
    def opener(stage: Stage) -> QWidget:
        window = start(stage)
        notice = build(window, Path(stage.app.store.fileName()).parent)
        stage.opened.append(notice)
        notice.adjustSize()  # as Notice.ask does
        notice.show()
        stage.qtbot.waitExposed(notice)
        return notice

    return opener


def _no_database(parent: QWidget, folder: Path) -> QDialog:
    from therapy_desk.db.faults import NoDatabase
    from ui.opening import problem_notice

    where = "/home/therapist/Documents/Clinic records/2026/Harbour Neuro Physio.sqlite3"
    return problem_notice(parent, where, NoDatabase(Path(where)), leave="Quit")


def _damaged(parent: QWidget, folder: Path) -> QDialog:
    from therapy_desk.db.faults import DamagedDatabase
    from ui.errors import Choice
    from ui.opening import damaged_notice

    backup = folder / "clinic.sqlite3.2026-11-20T17-45-03.backup"
    backup.write_bytes(b"")
    error = DamagedDatabase(folder / "clinic.sqlite3", backup=backup)
    return damaged_notice(
        parent, error, another=Choice("open", "&Open another…"), leaving=Choice("leave", "Quit")
    )


def _something_went_wrong(parent: QWidget, folder: Path) -> QDialog:
    from therapy_desk import incidents
    from ui.errors import error_notice

    try:
        raise RuntimeError("a bug")
    except RuntimeError as error:
        incident = incidents.report(error, doing="making the handouts")
    return error_notice(parent, incident)


scene("no database there", "Notice")(_notice(_no_database))
scene("damaged database", "Notice")(_notice(_damaged))
scene("something went wrong", "Notice")(_notice(_something_went_wrong))

LEFT = Qt.MouseButton.LeftButton


# --- what is checked ---------------------------------------------------------------------


def describe(widget: QWidget) -> str:
    words = ""
    if isinstance(widget, QAbstractButton):
        words = widget.text()
    elif hasattr(widget, "text") and callable(widget.text):
        try:
            words = str(widget.text())[:40]
        except TypeError:
            words = ""
    name = widget.accessibleName() or widget.objectName()
    label = " ".join(part for part in (name, repr(words) if words else "") if part)
    return f"{type(widget).__name__}({label})"


def _scroll_viewport(widget: QWidget) -> bool:
    """Is `widget` the viewport of a scroll area (its content is reached by scrolling)?"""
    parent = widget.parentWidget()
    return isinstance(parent, QAbstractScrollArea) and parent.viewport() is widget


def _inside_scroll_area(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if _scroll_viewport(parent):
            return True
        parent = parent.parentWidget()
    return False


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisibleTo(window) and widget.width() > 0 and widget.height() > 0


def frame_problems(window: QWidget) -> list[str]:
    area = window.screen().availableGeometry()
    frame = window.frameGeometry()
    # Offscreen draws a thin frame; a window manager takes a title bar and borders.
    needed = QRect(frame.topLeft(), window.geometry().size().grownBy(_room_margins()))
    problems = []
    if needed.width() > area.width() or needed.height() > area.height():
        problems.append(
            f"{describe(window)} needs {needed.width()}×{needed.height()} with its frame, "
            f"on a screen of {area.width()}×{area.height()}"
        )
    elif not area.contains(frame):
        problems.append(f"{describe(window)} is partly off the screen: {frame} on {area}")
    return problems


def _room_margins():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QMargins

    width, height = FRAME_ROOM
    return QMargins(0, 0, width, height)


def placement_problems(window: QWidget) -> list[str]:
    """Widgets sticking out of what holds them, up to the window or a scroll area."""
    problems = []
    for widget in window.findChildren(QWidget):
        if widget.isWindow() or not _shown(widget, window):
            continue
        rect = QRect(QPoint(0, 0), widget.geometry().size())
        child, parent = widget, widget.parentWidget()
        while parent is not None:
            rect.translate(child.pos())
            if _scroll_viewport(parent):
                break  # reached by scrolling
            if not parent.rect().adjusted(-1, -1, 1, 1).contains(rect):
                problems.append(
                    f"{describe(widget)} sticks out of {describe(parent)}: {_box(rect)} in "
                    f"{_box(parent.rect())}"
                )
                break
            if parent is window:
                break
            child, parent = parent, parent.parentWidget()
    return problems


def _box(rect: QRect) -> str:
    return f"{rect.width()}×{rect.height()} at ({rect.x()}, {rect.y()})"


def button_problems(window: QWidget) -> list[str]:
    return [
        f"{describe(box)} is inside a scroll area: its buttons must always show"
        for box in window.findChildren(QDialogButtonBox)
        if _shown(box, window) and _inside_scroll_area(box, window)
    ]


def header_problems(window: QWidget) -> list[str]:
    problems = []
    for view in window.findChildren(QAbstractItemView):
        if not isinstance(view, QTableView | QTreeView) or not _shown(view, window):
            continue
        header: QHeaderView = (
            view.horizontalHeader() if isinstance(view, QTableView) else view.header()
        )
        if header.isHidden():
            continue
        metrics = header.fontMetrics()
        margin = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        model = header.model()
        for logical in range(header.count()):
            if header.isSectionHidden(logical):
                continue
            text = model.headerData(logical, Qt.Orientation.Horizontal) if model else None
            if not text:
                continue
            width = max(metrics.horizontalAdvance(line) for line in str(text).splitlines())
            if header.sectionSize(logical) < width + margin:
                problems.append(
                    f"{describe(view)}: column {str(text)!r} is {header.sectionSize(logical)} px,"
                    f" its label needs {width + margin}"
                )
    return problems


def squeeze_problems(window: QWidget) -> list[str]:
    problems = []
    for view in window.findChildren(QAbstractItemView):
        if isinstance(view, QHeaderView) or not _shown(view, window):
            continue
        if _inside_scroll_area(view, window):
            continue
        lines = view.viewport().height() / view.fontMetrics().height()
        if lines < 2:
            problems.append(f"{describe(view)} shows {lines:.1f} lines of text")
    return problems


def cut_text_problems(window: QWidget) -> list[str]:
    """Wrapping labels given fewer lines than their text needs (cut off at the bottom)."""
    problems = []
    for label in window.findChildren(QLabel):
        if not label.wordWrap() or not label.text() or not _shown(label, window):
            continue
        needed = label.heightForWidth(label.width())
        if label.height() + 2 < needed:
            problems.append(
                f"{describe(label)} is {label.height()} px high, its text needs {needed}"
            )
    return problems


def everything_wrong(window: QWidget) -> list[str]:
    return [
        *frame_problems(window),
        *placement_problems(window),
        *button_problems(window),
        *header_problems(window),
        *cut_text_problems(window),
        *squeeze_problems(window),
    ]


# --- the tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SCENES))
def test_fits_a_1280_by_720_screen(stage: Stage, name: str) -> None:
    _classes, opener = SCENES[name]
    window = opener(stage)
    stage.qtbot.wait(50)  # let layouts settle after the last show
    problems = everything_wrong(window)
    assert not problems, "\n".join(problems)


def _dialog_and_window_classes() -> set[str]:
    """Every class in ui/ that is a QDialog or a window (QMainWindow, or named …Window)."""
    bases: dict[str, list[str]] = {}
    for path in UI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases[node.name] = [ast.unparse(b).split(".")[-1] for b in node.bases]

    def is_window(name: str, seen: frozenset[str] = frozenset()) -> bool:
        if name in ("QDialog", "QMainWindow"):
            return True
        if name in seen or name not in bases:
            return False
        return any(is_window(b, seen | {name}) for b in bases[name])

    return {n for n in bases if is_window(n) or n.endswith("Window")}


def test_every_dialog_and_window_has_a_scene() -> None:
    found = _dialog_and_window_classes()
    assert {"MainWindow", "WelcomeWindow", "HandoutsDialog", "Notice"} <= found
    covered = {c for classes, _opener in SCENES.values() for c in classes}
    assert found - BASES - covered == set(), "add a scene for each to SCENES"
    assert covered - found == set(), "a scene names a class ui/ no longer has"


def test_switching_text_size_with_the_record_open_keeps_everything_on_the_screen(
    stage: Stage, text_size: str
) -> None:
    window = start(stage)
    tab = stage.record_tab(stage.client("Programme"), "Programme")
    larger = text_size == "normal"  # switch to the other size, from the View menu
    assert window.larger_text.isChecked() is not larger
    window.larger_text.trigger()
    assert window.larger_text.isChecked() is larger
    font = QApplication.font().pointSize()
    stage.qtbot.waitUntil(lambda: tab.font().pointSize() == font)
    stage.qtbot.wait(50)  # the tables refit once they hear of the font
    area = window.screen().availableGeometry()
    for command in (tab.add_button, tab.reason, tab.issue_button):
        where = QRect(command.mapToGlobal(QPoint(0, 0)), command.geometry().size())
        assert command.isVisible() and area.contains(where), describe(command)
    for number in range(window.record.tabs.count()):
        window.record.tabs.setCurrentIndex(number)
        stage.qtbot.wait(20)
        problems = everything_wrong(window)
        assert not problems, "\n".join(problems)


def _saved_geometry(x: int, y: int, width: int, height: int) -> bytes:
    """What a window left at that place and size saves (on a screen that may be gone)."""
    window = QWidget()
    window.setGeometry(x, y, width, height)
    saved = bytes(window.saveGeometry().data())
    window.deleteLater()
    return saved


def test_a_window_left_large_on_a_big_monitor_opens_within_the_laptop_screen(
    stage: Stage,
) -> None:
    from PySide6.QtCore import QByteArray

    stage.app.store.setValue("window/geometry", QByteArray(_saved_geometry(1500, 80, 2200, 1250)))
    window = start(stage)
    assert frame_problems(window) == []
    # Its first-run size on this screen, not the 2200 × 1250 left on the big monitor.
    assert window.geometry().size() == first_size(window, *FIRST_SIZE)
    assert window.geometry().size().toTuple() == (1280 - FRAME_ROOM[0], 720 - FRAME_ROOM[1])


def test_a_window_that_fits_opens_where_it_was_left(stage: Stage) -> None:
    from PySide6.QtCore import QByteArray

    stage.app.store.setValue("window/geometry", QByteArray(_saved_geometry(60, 50, 1100, 600)))
    window = start(stage)
    assert window.geometry() == QRect(60, 50, 1100, 600)
    window.resize(1000, 560)
    window.close()  # leaving saves it, as it was left
    again = MainWindow(window.desk, stage.app.store)
    assert again.geometry().size() == window.geometry().size()
    again.deleteLater()
