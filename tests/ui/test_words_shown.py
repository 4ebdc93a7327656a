"""What the screens say about one client, one follow-up, one trial and one fall: counts in
the singular, one date per follow-up line, and the fall's place as it was typed."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from tests import factories
from tests.ui.conftest import show
from therapy_desk.domain.vocabulary import TrialSubject
from therapy_desk.services.falls import FallDetails, log_fall
from therapy_desk.services.trials import open_trial
from ui.desk import Desk
from ui.main_window import MainWindow
from ui.pages.record_overview import OverviewTab


@pytest.fixture
def one_of_each(desk: Desk) -> uuid.UUID:
    today = factories.TODAY  # Sat 21 Nov 2026
    with desk.database.transaction() as s:
        ada = factories.client(
            s, "TD-00001", "Ada Okafor", next_follow_up=today + timedelta(days=5)
        )
        open_trial(
            s,
            client_id=ada,
            subject=TrialSubject.STRATEGY,
            what="Pacing diary",
            started_on=today - timedelta(days=40),
            review_on=today - timedelta(days=5),
        )
        log_fall(
            s,
            client_id=ada,
            details=FallDetails(fell_on=today - timedelta(days=3), place="Kitchen"),
            today=today,
        )
    return ada


def test_one_of_each_is_said_in_the_singular_with_one_date_a_line(
    qtbot: QtBot, desk: Desk, tmp_path: Path, one_of_each: uuid.UUID
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(desk, settings)
    show(qtbot, window)
    with qtbot.waitSignal(window.caseload.loaded, timeout=10_000):
        window.start()
    week = window.this_week
    qtbot.waitUntil(lambda: week.follow_ups.count() > 0, timeout=10_000)

    assert week.subtitle.text() == (
        "Saturday 21 November 2026 · 1 follow-up due, 1 trial to review, 1 recent fall"
    )
    # The follow-up's one date, not "26 Nov 2026 · Thu 26 Nov".
    assert week.follow_ups.item(0).text() == "Ada Okafor  (TD-00001)\nThu 26 Nov"
    assert week.trials.item(0).text() == "Ada Okafor  (TD-00001)\n16 Nov 2026 · Pacing diary"
    assert week.falls.item(0).text() == "Ada Okafor  (TD-00001)\n18 Nov 2026 · Kitchen"
    assert window.caseload.count.text().startswith("1 client")

    week.follow_ups.setCurrentRow(0)
    week.follow_ups.itemActivated.emit(week.follow_ups.item(0))
    overview = window.record.tab(OverviewTab)
    assert isinstance(overview, OverviewTab)
    events = [
        [overview.timeline.topLevelItem(i).text(c) for c in range(3)]
        for i in range(overview.timeline.topLevelItemCount())
    ]
    assert ["18 Nov 2026", "Fall", "Fall — Kitchen"] in events
    assert "1 trial overdue" in [w.text() for w in window.record.findChildren(type(week.title))]


def test_one_result_is_one_result(open_tab, desk: Desk, one_of_each: uuid.UUID) -> None:  # type: ignore[no-untyped-def]
    from therapy_desk.services.measures import Result, record_measurement
    from ui.pages.record_measures import MeasuresTab

    with desk.database.transaction() as s:
        result = Result("tug", 12.0, factories.TODAY - timedelta(days=2))
        record_measurement(s, client_id=one_of_each, result=result, today=factories.TODAY)
    tab = open_tab(MeasuresTab, one_of_each)
    shown = [tab.picker.itemText(i) for i in range(tab.picker.count())]
    assert shown == ["Timed Up and Go — 1 result"]
