"""GUI test setup: a Desk over a fresh SQLite clinic with a fixed 'today', and a
record page opened on one client — the way a therapist would see it."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from tests import factories
from therapy_desk.db.database import Database
from ui.app import App
from ui.desk import Desk
from ui.errors import Notice


@pytest.fixture
def desk(sqlite_clinic: Database) -> Iterator[Desk]:
    desk = Desk(
        sqlite_clinic,
        user="tester",
        today=lambda: factories.TODAY,
        now=lambda: datetime(2026, 11, 21, 10, 30, tzinfo=UTC),
    )
    yield desk


@pytest.fixture
def client_id(desk: Desk) -> uuid.UUID:
    with desk.database.transaction() as session:
        return factories.client(session, reference="TD-00001", name="Zoë Łukasiewicz")


@pytest.fixture(autouse=True)
def _no_modal_boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """A stray message box would hang a headless run: record it and answer Yes instead."""
    shown: list[tuple[str, str]] = []

    def answer(kind: str, reply: QMessageBox.StandardButton):  # type: ignore[no-untyped-def]
        def box(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            shown.append((kind, text))
            return reply

        return box

    for kind in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, answer(kind, QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", answer("question", QMessageBox.StandardButton.Yes))
    return shown


@pytest.fixture(autouse=True)
def _private_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders remembered for saving go to the test's own settings file."""
    store = QSettings(str(tmp_path / "remembered.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr("ui.handout_output.folder_store", lambda: store)


@pytest.fixture
def message_boxes(_no_modal_boxes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return _no_modal_boxes


class Notices:
    """The app's own dialogs (ui.errors.Notice) shown during a test, answered without a
    modal loop: each is built for real, then `ask` returns the next of `answers` (its
    key), or its safe way out. `during(notice)` runs first, e.g. to press a button."""

    def __init__(self) -> None:
        self.shown: list[Notice] = []
        self.answers: list[str] = []
        self.during: Callable[[Notice], None] | None = None

    def text(self, index: int = -1) -> str:
        notice = self.shown[index]
        return f"{notice.heading.text()}\n{notice.text.text()}"

    def labels(self, index: int = -1) -> list[str]:
        return self.shown[index].labels()


@pytest.fixture(autouse=True)
def notices(monkeypatch: pytest.MonkeyPatch) -> Notices:
    seen = Notices()

    def ask(self: Notice) -> str | None:
        seen.shown.append(self)
        if seen.during is not None:
            seen.during(self)
        if self.chosen is None:
            self.chosen = seen.answers.pop(0) if seen.answers else self._cancel
        assert self.chosen is None or self.chosen in self._by_key, self.chosen
        return self.chosen

    monkeypatch.setattr(Notice, "ask", ask)
    return seen


def show(qtbot: QtBot, widget):  # type: ignore[no-untyped-def]
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


D = TypeVar("D", bound=QDialog)


def modeless(monkeypatch: pytest.MonkeyPatch, dialog_class: type[D]) -> list[D]:
    """Instead of a modal exec, show each such dialog modelessly and hand it to the test."""
    opened: list[D] = []

    def fake_exec(self: D) -> int:
        opened.append(self)
        self.show()
        return 0

    monkeypatch.setattr(dialog_class, "exec", fake_exec)
    return opened


@pytest.fixture
def open_tab(qtbot: QtBot, desk: Desk):  # type: ignore[no-untyped-def]
    """Show one record tab on its own, re-read after every save as the record page does."""
    from therapy_desk.services.record_view import read_record

    def opener(tab_class, client_id: uuid.UUID):  # type: ignore[no-untyped-def]
        tab = tab_class(desk)

        def refresh(_changes: object = None) -> None:
            tab.show_record(desk.read(read_record, client_id=client_id, today=desk.today()))

        desk.changed.connect(refresh)
        refresh()
        return show(qtbot, tab)

    return opener


@pytest.fixture
def desktop(qtbot: QtBot, tmp_path: Path) -> Iterator[App]:
    """The app itself, with its settings in the test's own folder."""
    qt = QApplication.instance()
    assert isinstance(qt, QApplication)
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    started = App(qt, store, user="tester")
    yield started
    if started.window is not None:
        started.window.close()
    started.background.wait()
    if started.desk is not None:
        started.desk.close()
