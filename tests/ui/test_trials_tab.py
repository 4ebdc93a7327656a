"""The Trials tab: the trial-and-error loop written and read back the way a therapist
would — buttons, dialogs, keys — checked on screen and in the saved record."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests import factories
from therapy_desk.domain import Client, Trial
from therapy_desk.domain.vocabulary import (
    DeviceKind,
    Side,
    TrialDecision,
    TrialOutcome,
    TrialSubject,
)
from therapy_desk.services.devices import assign_device
from therapy_desk.services.record_view import read_record
from therapy_desk.services.trials import decide_trial, open_trial, review_trial
from ui.desk import Desk
from ui.dialogs.trial import (
    DecideTrialDialog,
    OpenTrialDialog,
    ReviewTrialDialog,
    TrialNoteDialog,
)
from ui.forms import date_value, set_date
from ui.pages.record_trials import TrialsTab, outcome_and_decision, trial_lines

TODAY = factories.TODAY


def saved_client(desk: Desk, client_id: uuid.UUID) -> Client:
    return desk.read(read_record, client_id=client_id, today=desk.today()).client


def saved_trials(desk: Desk, client_id: uuid.UUID) -> list[Trial]:
    return sorted(saved_client(desk, client_id).trials, key=lambda t: t.created_at)


def add_trial(desk: Desk, client_id: uuid.UUID, what: str, **more: object) -> uuid.UUID:
    values: dict[str, object] = {
        "subject": TrialSubject.STRATEGY,
        "started_on": TODAY - timedelta(days=40),
        "review_on": TODAY - timedelta(days=12),
    }
    values.update(more)
    with desk.database.transaction() as session:
        return open_trial(session, client_id=client_id, what=what, by="tester", **values).id  # type: ignore[arg-type]


def row_texts(tab: TrialsTab) -> list[list[str]]:
    return [[item.text(c) for c in range(tab.tree.columnCount())] for item in list(tab._items())]


def click(qtbot: QtBot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled(), f"{button.text()} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _version(session, trial_id: uuid.UUID) -> int:  # type: ignore[no-untyped-def]
    trial = session.get(Trial, trial_id)
    assert trial is not None
    return trial.version


def test_open_review_decide_then_the_next_try(
    qtbot: QtBot,
    desk: Desk,
    client_id: uuid.UUID,
    open_tab,  # type: ignore[no-untyped-def]
    message_boxes: list[tuple[str, str]],
) -> None:
    with desk.database.transaction() as session:
        factories.programme(session, client_id, factories.weighted_knee())
    revision = saved_client(desk, client_id).programmes[0].revisions[0]
    tab = open_tab(TrialsTab, client_id)
    assert not tab.note_button.isEnabled() and not tab.review_button.isEnabled()

    # Open a trial of the programme revision: the current revision is offered first
    # and names what is tried.
    click(qtbot, tab.open_button)
    dialog = tab.dialog
    assert isinstance(dialog, OpenTrialDialog) and dialog.isVisible()
    assert dialog.revision.currentData() == revision.id
    assert dialog.what.text().startswith("Home exercise programme, revision 1")
    assert not dialog.device.isVisibleTo(dialog)
    assert date_value(dialog.started) == TODAY
    assert date_value(dialog.review) == TODAY + timedelta(weeks=4)
    qtbot.keyClicks(dialog.why, "Knee gives way on stairs")
    qtbot.keyClicks(dialog.success, "Climbs the stairs at home without the knee buckling")
    click(qtbot, dialog.save_button)
    assert tab.dialog is None

    [trial] = saved_trials(desk, client_id)
    assert trial.subject is TrialSubject.PROGRAMME_REVISION
    assert trial.programme_revision_id == revision.id
    assert trial.opened_by == "tester"
    assert trial.review_on == TODAY + timedelta(weeks=4)
    assert tab.selected_trial_id() == trial.id
    [row] = row_texts(tab)
    assert "Programme revision 1" in row[0]
    assert row[3] == "Not yet reviewed"
    assert "Climbs the stairs" in tab.story.toPlainText()
    assert not tab.decide_button.isEnabled()

    # Review it: no change.
    click(qtbot, tab.review_button)
    review = tab.dialog
    assert isinstance(review, ReviewTrialDialog)
    assert "Climbs the stairs" in review.about.text()
    review.outcome.set_value(TrialOutcome.NO_CHANGE)
    qtbot.keyClicks(review.note, "Still buckles on the last two steps")
    click(qtbot, review.save_button)
    assert not tab.review_button.isEnabled()
    assert tab.decide_button.isEnabled()
    [row] = row_texts(tab)
    assert row[3] == "No change · 21 Nov 2026\n→ to decide"

    # Decide: try something else. The tab offers the next try, following this one.
    click(qtbot, tab.decide_button)
    decide = tab.dialog
    assert isinstance(decide, DecideTrialDialog)
    decide.decision.set_value(TrialDecision.TRY_SOMETHING_ELSE)
    click(qtbot, decide.save_button)
    assert message_boxes and message_boxes[-1][0] == "question"
    assert "Open the next trial now" in message_boxes[-1][1]

    [trial] = saved_trials(desk, client_id)
    assert trial.outcome is TrialOutcome.NO_CHANGE
    assert trial.reviewed_on == TODAY
    assert trial.decision is TrialDecision.TRY_SOMETHING_ELSE
    assert trial.decided_on == TODAY
    assert [n.text for n in trial.notes] == ["Still buckles on the last two steps"]

    # The timeline shows the outcome and the decision.
    [row] = row_texts(tab)
    assert row[3] == "No change · 21 Nov 2026\n→ Try something else"
    story = tab.story.toPlainText()
    assert "Outcome: No change" in story
    assert "Decision: Try something else" in story
    assert not tab.decide_button.isEnabled()

    # The next try opened straight away, following the first.
    follow_on = tab.dialog
    assert isinstance(follow_on, OpenTrialDialog) and follow_on.isVisible()
    assert follow_on.follows.currentData() == trial.id
    follow_on.subject.set_value(TrialSubject.STRATEGY)
    assert not follow_on.revision.isVisibleTo(follow_on)
    assert follow_on.what.text() == ""
    qtbot.keyClicks(follow_on.what, "Lead with the stronger leg going up")
    click(qtbot, follow_on.save_button)

    first, second = saved_trials(desk, client_id)
    assert second.follows_trial_id == first.id
    assert second.subject is TrialSubject.STRATEGY
    heading, *tries = row_texts(tab)
    assert heading[0].startswith("2 tries, each following the last")
    assert [t[0].split("\n")[0] for t in tries] == [
        first.what,
        "Lead with the stronger leg going up",
    ]
    assert tab.selected_trial_id() == second.id
    story = tab.story.toPlainText()
    assert story.index("Try something else") < story.index("next try") < story.index("Lead with")


def test_saying_no_to_the_next_try_opens_nothing(
    qtbot: QtBot,
    desk: Desk,
    client_id: uuid.UUID,
    open_tab,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    trial_id = add_trial(desk, client_id, "Pacing the morning routine")
    with desk.database.transaction() as session:
        review_trial(
            session,
            trial_id=trial_id,
            outcome=TrialOutcome.WORSE,
            on=TODAY,
            expected_version=_version(session, trial_id),
        )
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda parent, title, text, *a, **k: asked.append(text) or QMessageBox.StandardButton.No,
    )
    tab = open_tab(TrialsTab, client_id)
    click(qtbot, tab.decide_button)
    tab.dialog.decision.set_value(TrialDecision.ADJUST)
    click(qtbot, tab.dialog.save_button)
    assert len(asked) == 1
    assert tab.dialog is None
    [trial] = saved_trials(desk, client_id)
    assert trial.decision is TrialDecision.ADJUST


def test_review_date_before_start_is_shown_at_the_field_and_nothing_is_saved(
    qtbot: QtBot,
    desk: Desk,
    client_id: uuid.UUID,
    open_tab,  # type: ignore[no-untyped-def]
) -> None:
    tab = open_tab(TrialsTab, client_id)
    click(qtbot, tab.open_button)
    dialog = tab.dialog
    assert isinstance(dialog, OpenTrialDialog)
    dialog.subject.set_value(TrialSubject.STRATEGY)
    qtbot.keyClicks(dialog.what, "Cooling vest for the afternoon walk")
    set_date(dialog.review, TODAY - timedelta(days=3))
    click(qtbot, dialog.save_button)

    assert dialog.isVisible()
    assert dialog.form.error_text("review_on") == "Review date is before the start"
    assert dialog.form.error_text("what") == ""
    assert saved_trials(desk, client_id) == []
    assert row_texts(tab) == []

    # Put right, it saves.
    set_date(dialog.review, TODAY + timedelta(days=14))
    click(qtbot, dialog.save_button)
    [trial] = saved_trials(desk, client_id)
    assert trial.review_on == TODAY + timedelta(days=14)


def test_a_programme_trial_needs_a_programme_and_what_is_tried(
    qtbot: QtBot,
    desk: Desk,
    client_id: uuid.UUID,
    open_tab,  # type: ignore[no-untyped-def]
) -> None:
    tab = open_tab(TrialsTab, client_id)
    click(qtbot, tab.open_button)
    dialog = tab.dialog
    assert dialog.revision.currentData() is None  # "This client has no programme yet"
    click(qtbot, dialog.save_button)
    assert "programme revisions" in dialog.form.error_text("programme_revision")
    assert dialog.form.error_text("what") == "What is being tried is needed"
    assert saved_trials(desk, client_id) == []
    dialog.reject()


def test_add_a_follow_up_note_and_see_it(
    qtbot: QtBot,
    desk: Desk,
    client_id: uuid.UUID,
    open_tab,  # type: ignore[no-untyped-def]
) -> None:
    add_trial(desk, client_id, "Sitting to prepare meals", review_on=TODAY + timedelta(days=7))
    tab = open_tab(TrialsTab, client_id)
    assert tab.selected_trial() is not None
    assert "No follow-up notes yet" in tab.story.toPlainText()
    click(qtbot, tab.note_button)
    dialog = tab.dialog
    assert isinstance(dialog, TrialNoteDialog)
    qtbot.keyClicks(dialog.text, "Uses the perching stool most evenings")
    click(qtbot, dialog.save_button)

    [trial] = saved_trials(desk, client_id)
    [note] = trial.notes
    assert (note.text, note.written_on, note.written_by) == (
        "Uses the perching stool most evenings",
        TODAY,
        "tester",
    )
    story = tab.story.toPlainText()
    assert "21 Nov 2026, tester: Uses the perching stool most evenings" in story
    # A note is still open to the trial: reviewing is the next step.
    assert tab.review_button.isEnabled()


def test_an_empty_note_is_refused_at_its_field(
    qtbot: QtBot,
    desk: Desk,
    client_id: uuid.UUID,
    open_tab,  # type: ignore[no-untyped-def]
) -> None:
    add_trial(desk, client_id, "Sitting to prepare meals")
    tab = open_tab(TrialsTab, client_id)
    click(qtbot, tab.note_button)
    dialog = tab.dialog
    click(qtbot, dialog.save_button)
    assert dialog.form.error_text("text") == "Follow-up note is needed"
    assert saved_trials(desk, client_id)[0].notes == []
    dialog.reject()


def test_review_needs_an_outcome_chosen(
    qtbot: QtBot,
    desk: Desk,
    client_id: uuid.UUID,
    open_tab,  # type: ignore[no-untyped-def]
) -> None:
    add_trial(desk, client_id, "Energy diary")
    tab = open_tab(TrialsTab, client_id)
    click(qtbot, tab.review_button)
    dialog = tab.dialog
    assert dialog.outcome.value() is None
    click(qtbot, dialog.save_button)
    assert dialog.form.error_text("outcome") == "Choose how the trial went"
    assert dialog.isVisible()
    assert saved_trials(desk, client_id)[0].outcome is None
    dialog.reject()


def test_overdue_trials_are_marked_and_buttons_follow_the_selection(
    qtbot: QtBot,
    desk: Desk,
    client_id: uuid.UUID,
    open_tab,  # type: ignore[no-untyped-def]
) -> None:
    late = add_trial(desk, client_id, "Energy diary")  # review 12 days ago
    reviewed = add_trial(
        desk,
        client_id,
        "Afternoon rest",
        started_on=TODAY - timedelta(days=30),
        review_on=TODAY - timedelta(days=2),
    )
    decided = add_trial(
        desk,
        client_id,
        "Cooling vest",
        started_on=TODAY - timedelta(days=20),
        review_on=TODAY - timedelta(days=1),
    )
    with desk.database.transaction() as session:
        review_trial(
            session,
            trial_id=reviewed,
            outcome=TrialOutcome.WORSE,
            on=TODAY,
            expected_version=_version(session, reviewed),
        )
        review_trial(
            session,
            trial_id=decided,
            outcome=TrialOutcome.HELPED,
            on=TODAY,
            expected_version=_version(session, decided),
        )
        decide_trial(
            session,
            trial_id=decided,
            decision=TrialDecision.CONTINUE,
            on=TODAY,
            expected_version=_version(session, decided),
        )
    tab = open_tab(TrialsTab, client_id)

    # Newest first: three lines of one try each.
    rows = row_texts(tab)
    assert [r[0] for r in rows] == [
        "Cooling vest\nStrategy",
        "Afternoon rest\nStrategy",
        "Energy diary\nStrategy",
    ]
    assert rows[2][2] == "9 Nov 2026\n12 days late"
    assert tab.tree.topLevelItem(2).font(2).bold()
    assert "1 past its review date" in tab.summary.text()
    assert "1 reviewed, waiting for a decision" in tab.summary.text()

    def state() -> tuple[bool, bool, bool]:
        return (
            tab.note_button.isEnabled(),
            tab.review_button.isEnabled(),
            tab.decide_button.isEnabled(),
        )

    # Keyboard: the list drives the buttons.
    tab.tree.setFocus()
    assert tab.selected_trial_id() == decided
    assert state() == (True, False, False)
    assert tab.decide_button.toolTip() == "Already decided: continue"
    qtbot.keyClick(tab.tree, Qt.Key.Key_Down)
    assert tab.selected_trial_id() == reviewed
    assert state() == (True, False, True)
    qtbot.keyClick(tab.tree, Qt.Key.Key_Down)
    assert tab.selected_trial_id() == late
    assert state() == (True, True, False)
    assert "overdue by 12 days" in tab.story.toPlainText()
    qtbot.keyClick(tab.tree, Qt.Key.Key_Home)
    assert tab.selected_trial_id() == decided


def test_a_line_heading_selects_no_trial(
    qtbot: QtBot,
    desk: Desk,
    client_id: uuid.UUID,
    open_tab,  # type: ignore[no-untyped-def]
) -> None:
    first = add_trial(desk, client_id, "Energy diary")
    add_trial(desk, client_id, "Energy diary with rests", follows_trial_id=first)
    tab = open_tab(TrialsTab, client_id)
    heading = tab.tree.topLevelItem(0)
    assert heading.childCount() == 2
    assert tab.selected_trial_id() is not None  # the latest try, under the heading
    tab.tree.setCurrentItem(heading)
    assert tab.selected_trial_id() is None
    assert not tab.note_button.isEnabled()
    assert not tab.review_button.isEnabled()
    assert tab.open_button.isEnabled()
    story = tab.story.toPlainText()
    assert "1. Energy diary" in story and "2. Energy diary with rests" in story


def test_a_device_trial_names_the_device(
    qtbot: QtBot,
    desk: Desk,
    client_id: uuid.UUID,
    open_tab,  # type: ignore[no-untyped-def]
) -> None:
    with desk.database.transaction() as session:
        device_id = assign_device(
            session,
            client_id=client_id,
            kind=DeviceKind.ANKLE_FOOT_ORTHOSIS,
            side=Side.LEFT,
            started_on=TODAY - timedelta(days=3),
        ).id
    tab = open_tab(TrialsTab, client_id)
    click(qtbot, tab.open_button)
    dialog = tab.dialog
    dialog.subject.set_value(TrialSubject.DEVICE)
    assert dialog.device.isVisibleTo(dialog)
    assert not dialog.revision.isVisibleTo(dialog)
    assert dialog.device.currentData() == device_id
    assert dialog.what.text() == "Ankle-foot orthosis (AFO), left"
    qtbot.keyClick(dialog.what, Qt.Key.Key_End)
    qtbot.keyClicks(dialog.what, " for walks outside")
    click(qtbot, dialog.save_button)

    [trial] = saved_trials(desk, client_id)
    assert trial.device_assignment_id == device_id
    assert trial.what == "Ankle-foot orthosis (AFO), left for walks outside"
    [row] = row_texts(tab)
    assert row[0] == "Ankle-foot orthosis (AFO), left for walks outside"


def test_opening_from_a_trial_decided_adjust_follows_it(
    qtbot: QtBot,
    desk: Desk,
    client_id: uuid.UUID,
    open_tab,  # type: ignore[no-untyped-def]
) -> None:
    trial_id = add_trial(desk, client_id, "Energy diary")
    with desk.database.transaction() as session:
        review_trial(
            session,
            trial_id=trial_id,
            outcome=TrialOutcome.NO_CHANGE,
            on=TODAY,
            expected_version=_version(session, trial_id),
        )
        decide_trial(
            session,
            trial_id=trial_id,
            decision=TrialDecision.ADJUST,
            on=TODAY,
            expected_version=_version(session, trial_id),
        )
    tab = open_tab(TrialsTab, client_id)
    click(qtbot, tab.open_button)
    dialog = tab.dialog
    assert dialog.follows.currentData() == trial_id
    assert dialog.subject.value() == TrialSubject.STRATEGY
    dialog.reject()


def test_lines_read_oldest_try_first_and_newest_line_first(
    desk: Desk, client_id: uuid.UUID
) -> None:
    a = add_trial(desk, client_id, "A", started_on=date(2026, 1, 5), review_on=date(2026, 2, 5))
    b = add_trial(
        desk,
        client_id,
        "B",
        started_on=date(2026, 3, 1),
        review_on=date(2026, 4, 1),
        follows_trial_id=a,
    )
    c = add_trial(desk, client_id, "C", started_on=date(2026, 2, 1), review_on=date(2026, 3, 1))
    d = add_trial(
        desk,
        client_id,
        "D",
        started_on=date(2026, 5, 1),
        review_on=date(2026, 6, 1),
        follows_trial_id=b,
    )
    lines = trial_lines(saved_client(desk, client_id).trials)
    assert [[t.id for t in line] for line in lines] == [[a, b, d], [c]]


def test_a_later_decision_shows_its_own_date(desk: Desk, client_id: uuid.UUID) -> None:
    trial_id = add_trial(desk, client_id, "Energy diary")
    with desk.database.transaction() as session:
        review_trial(
            session,
            trial_id=trial_id,
            outcome=TrialOutcome.HELPED,
            on=TODAY - timedelta(days=5),
            expected_version=_version(session, trial_id),
        )
        decide_trial(
            session,
            trial_id=trial_id,
            decision=TrialDecision.CONTINUE,
            on=TODAY,
            expected_version=_version(session, trial_id),
        )
    [trial] = saved_trials(desk, client_id)
    assert outcome_and_decision(trial) == "Helped · 16 Nov 2026\n→ Continue · 21 Nov 2026"
