"""Trials: the trial-and-error loop read back as a timeline — tried, outcome, decision,
next try — with the buttons that write the next step of it.

Trials that follow one another form a line; each line is one entry in the list,
newest line first, its tries oldest first so it reads as the story it is. The
pane beside the list tells the selected line's story in full.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from therapy_desk import words
from therapy_desk.domain import Client, DeviceAssignment, Trial
from therapy_desk.domain.vocabulary import TrialDecision, TrialSubject
from therapy_desk.services.record_view import ClientRecord
from therapy_desk.services.trials import add_trial_note, decide_trial, open_trial, review_trial
from ui.desk import Desk
from ui.dialogs.trial import (
    DecideTrialDialog,
    OpenTrialDialog,
    ReviewTrialDialog,
    Submit,
    TrialDialog,
    TrialNoteDialog,
    day,
    device_name,
    find_device,
    subject_text,
    trial_name,
)
from ui.forms import Form
from ui.pages.record_tab import RecordTab
from ui.widgets.columns import fit_labels

#: Item data: the trial's id on a trial row; None on a line's heading row.
TRIAL_ID = Qt.ItemDataRole.UserRole
#: Item data: the id of the first trial of the line a row belongs to.
LINE_ID = Qt.ItemDataRole.UserRole + 1

#: Decisions after which the next try usually follows straight away.
NEXT_TRY = frozenset({TrialDecision.ADJUST, TrialDecision.TRY_SOMETHING_ELSE})

D = TypeVar("D", bound=TrialDialog)

COLUMNS = ("Trial", "Started", "Review", "Outcome → decision")


def trial_lines(trials: Iterable[Trial]) -> list[list[Trial]]:
    """Trials grouped into lines of tries, each following the one before.

    A trial whose earlier trial is not on file starts a line. Within a line the tries
    are oldest first (a trial followed twice keeps both branches, depth first); lines
    are newest first, by their latest start.
    """
    trials = list(trials)
    known = {t.id for t in trials}
    after: dict[uuid.UUID, list[Trial]] = {}
    for t in trials:
        if t.follows_trial_id is not None and t.follows_trial_id in known:
            after.setdefault(t.follows_trial_id, []).append(t)

    def order(t: Trial) -> tuple[date, Any]:
        return (t.started_on, t.created_at)

    seen: set[uuid.UUID] = set()

    def walk(first: Trial) -> list[Trial]:
        line: list[Trial] = []
        stack = [first]
        while stack:
            t = stack.pop()
            if t.id in seen:
                continue
            seen.add(t.id)
            line.append(t)
            stack.extend(sorted(after.get(t.id, []), key=order, reverse=True))
        return line

    firsts = [t for t in trials if t.follows_trial_id is None or t.follows_trial_id not in known]
    lines = [walk(t) for t in sorted(firsts, key=order)]
    # A loop of trials following each other has no first: start it at its oldest.
    for t in sorted(trials, key=order):
        if t.id not in seen:
            lines.append(walk(t))
    lines.sort(key=lambda line: max(order(t) for t in line), reverse=True)
    return lines


def is_overdue(trial: Trial, today: date) -> bool:
    """Not yet reviewed and the review date has passed."""
    return trial.outcome is None and trial.review_on < today


class TrialsTab(RecordTab):
    title = "&Trials"
    #: Show this device (its id) on the Devices tab.
    device_chosen = Signal(object)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Trials summary")
        self.open_button = self._button("Open a tri&al…", "Open a trial", self.open_trial)
        self.note_button = self._button(
            "Add follow-up &note…", "Add a follow-up note to the selected trial", self.add_note
        )
        self.review_button = self._button("Re&view…", "Review the selected trial", self.review)
        self.decide_button = self._button(
            "Dec&ide…", "Decide what next for the selected trial", self.decide
        )
        buttons = QHBoxLayout()
        for button in (self.open_button, self.note_button, self.review_button, self.decide_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Trials, newest line first")
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        fit_labels(self.tree)  # the stretched column never narrower than its label
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemCollapsed.connect(self._collapsed_line)
        self.tree.itemExpanded.connect(self._expanded_line)

        self.story = QTextBrowser(self)
        self.story.setAccessibleName("The selected line of trials, told in full")
        self.story.setOpenLinks(False)
        self.story.anchorClicked.connect(self._link)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(False)
        split.addWidget(self.tree)
        split.addWidget(self.story)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([750, 350])

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

        #: The dialog now open from this tab, if any (what tests drive).
        self.dialog: TrialDialog | None = None
        self._trials: dict[uuid.UUID, Trial] = {}
        self._lines: list[list[Trial]] = []
        self._collapsed: set[uuid.UUID] = set()
        self._enable()

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.clicked.connect(lambda: slot())
        return button

    # Reading the record

    def show_record(self, record: ClientRecord) -> None:
        super().show_record(record)
        client = record.client
        today = self.desk.today()
        keep = self.selected_trial_id()
        self._trials = {t.id: t for t in client.trials}
        self._lines = trial_lines(client.trials)
        self.tree.blockSignals(True)
        self.tree.clear()
        for line in self._lines:
            line_id = line[0].id
            if len(line) == 1:
                self.tree.addTopLevelItem(self._trial_item(client, line[0], today, line_id))
                continue
            heading = QTreeWidgetItem([_line_heading(line)])
            heading.setData(0, TRIAL_ID, None)
            heading.setData(0, LINE_ID, line_id)
            font = QFont(heading.font(0))
            font.setBold(True)
            heading.setFont(0, font)
            self.tree.addTopLevelItem(heading)
            heading.setFirstColumnSpanned(True)
            for trial in line:
                heading.addChild(self._trial_item(client, trial, today, line_id))
            heading.setExpanded(line_id not in self._collapsed)
        self.tree.blockSignals(False)
        self._summarise(today)
        if keep is None or not self.select_trial(keep):
            self._select_default()
        self._current_changed()

    def _trial_item(
        self, client: Client, trial: Trial, today: date, line_id: uuid.UUID
    ) -> QTreeWidgetItem:
        subject = subject_text(client, trial)
        first = trial.what
        if not trial.what.lower().startswith(subject.lower()):
            first += f"\n{subject}"
        review = f"by {day(trial.review_on)}"
        late = is_overdue(trial, today)
        if late:
            review = f"{day(trial.review_on)}\n{_count((today - trial.review_on).days, 'day')} late"
        elif trial.outcome is None and trial.review_on == today:
            review = f"{day(trial.review_on)}\ndue today"
        elif trial.outcome is not None:
            review = day(trial.review_on)
        item = QTreeWidgetItem([first, day(trial.started_on), review, outcome_and_decision(trial)])
        item.setData(0, TRIAL_ID, trial.id)
        item.setData(0, LINE_ID, line_id)
        item.setToolTip(0, trial_name(client, trial))
        bold = QFont(item.font(0))
        bold.setBold(True)
        if late:
            item.setFont(2, bold)
            item.setToolTip(2, "Past its review date and not yet reviewed")
        if trial.outcome is not None and trial.decision is None:
            item.setFont(3, bold)
            item.setToolTip(3, "Reviewed; decide what happens next")
        dim = self.palette().color(self.palette().ColorRole.PlaceholderText)
        if trial.outcome is None:
            item.setForeground(3, dim)
        return item

    def _summarise(self, today: date) -> None:
        trials = list(self._trials.values())
        if not trials:
            self.summary.setText("No trials yet.")
            return
        lines = len(self._lines)
        parts = [
            f"{_count(len(trials), 'trial')} in {_count(lines, 'line')} of tries",
        ]
        late = sum(is_overdue(t, today) for t in trials)
        if late:
            parts.append(f"{late} past {words.noun(late, 'its', 'their')} review date")
        waiting = sum(t.outcome is not None and t.decision is None for t in trials)
        if waiting:
            parts.append(f"{waiting} reviewed, waiting for a decision")
        self.summary.setText(" · ".join(parts))

    # Selection

    def selected_trial_id(self) -> uuid.UUID | None:
        item = self.tree.currentItem()
        value = item.data(0, TRIAL_ID) if item is not None else None
        return value if isinstance(value, uuid.UUID) else None

    def selected_trial(self) -> Trial | None:
        trial_id = self.selected_trial_id()
        return self._trials.get(trial_id) if trial_id is not None else None

    def select_trial(self, trial_id: uuid.UUID) -> bool:
        for item in self._items():
            if item.data(0, TRIAL_ID) == trial_id:
                if item.parent() is not None:
                    item.parent().setExpanded(True)
                self.tree.setCurrentItem(item)
                self.tree.scrollToItem(item)
                return True
        return False

    def _select_default(self) -> None:
        """The newest line's latest try: where the loop stands now."""
        top = self.tree.topLevelItem(0)
        if top is None:
            return
        if top.childCount():
            top.setExpanded(True)
            top = top.child(top.childCount() - 1)
        self.tree.setCurrentItem(top)

    def _items(self) -> Iterable[QTreeWidgetItem]:
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            yield top
            for j in range(top.childCount()):
                yield top.child(j)

    def _collapsed_line(self, item: QTreeWidgetItem) -> None:
        self._collapsed.add(item.data(0, LINE_ID))

    def _expanded_line(self, item: QTreeWidgetItem) -> None:
        self._collapsed.discard(item.data(0, LINE_ID))

    def _current_changed(self, *_: object) -> None:
        self._enable()
        self._tell_story()

    def _enable(self) -> None:
        trial = self.selected_trial()
        self.open_button.setEnabled(self.record is not None)
        self.note_button.setEnabled(trial is not None)
        self.review_button.setEnabled(trial is not None and trial.outcome is None)
        self.decide_button.setEnabled(
            trial is not None and trial.outcome is not None and trial.decision is None
        )
        pick = "Choose a trial in the list first"
        self.note_button.setToolTip("" if trial else pick)
        if trial is None:
            review_tip = decide_tip = pick
        else:
            review_tip = (
                ""
                if trial.outcome is None
                else f"Already reviewed on {day(trial.reviewed_on or trial.review_on)}"
            )
            if trial.outcome is None:
                decide_tip = "Review the trial before deciding what next"
            elif trial.decision is not None:
                decide_tip = f"Already decided: {words.mid_sentence(trial.decision.label)}"
            else:
                decide_tip = ""
        self.review_button.setToolTip(review_tip)
        self.decide_button.setToolTip(decide_tip)

    def _tell_story(self) -> None:
        if self.record is None:
            self.story.clear()
            return
        if not self._trials:
            self.story.setHtml(
                "<p>No trials yet.</p><p>Open a trial to record what is being tried, why, "
                "how success will be judged and when to review it. Each review's outcome "
                "and decision then shows here, and the next try follows on.</p>"
            )
            return
        item = self.tree.currentItem()
        if item is None:
            self.story.clear()
            return
        line_id = item.data(0, LINE_ID)
        line = next((ln for ln in self._lines if ln[0].id == line_id), [])
        selected = self.selected_trial_id()
        highlight = self.palette().color(self.palette().ColorRole.AlternateBase).name()
        self.story.setHtml(
            story_html(self.record.client, line, selected, self.desk.today(), highlight)
        )
        if selected is not None and len(line) > 1:
            self.story.scrollToAnchor(_anchor(selected))

    # Actions: each dialog's Save is one service call in one transaction

    def open_trial(
        self,
        follows: Trial | None = None,
        subject: TrialSubject | None = None,
        device: DeviceAssignment | None = None,
    ) -> OpenTrialDialog | None:
        if self.record is None:
            return None
        if follows is None and device is None:
            follows, subject = self._next_after(self.selected_trial())

        def submit(form: Form, values: dict[str, Any]) -> bool:
            saved = self.act(
                open_trial,
                changed="trials",
                form=form,
                client_id=self.client_id,
                by=self.desk.user,
                **values,
            )
            if saved is not None:
                self.select_trial(saved.id)
            return saved is not None

        dialog = OpenTrialDialog(
            self.record.client,
            today=self.desk.today(),
            submit=submit,
            follows=follows,
            subject=subject,
            device=device,
            parent=self,
        )
        return self._show(dialog)

    def open_device_trial(self, device_id: uuid.UUID) -> OpenTrialDialog | None:
        """The trial of a device on trial, prefilled from the device and linked to it; when
        its trial is already open, that one is shown instead (never a second)."""
        if self.record is None:
            return None
        device = find_device(self.record.client, device_id)
        if device is None:
            return None
        already = next(
            (
                t
                for t in self._trials.values()
                if t.device_assignment_id == device_id and t.outcome is None
            ),
            None,
        )
        if already is not None:
            self.select_trial(already.id)
            return None
        return self.open_trial(device=device)

    def _link(self, url: QUrl) -> None:
        """A link in the story: 'device:<id>' shows that device on the Devices tab."""
        kind, _, value = url.toString().partition(":")
        if kind == "device":
            self.device_chosen.emit(uuid.UUID(value))

    def _next_after(self, trial: Trial | None) -> tuple[Trial | None, TrialSubject | None]:
        """A trial decided 'adjust' or 'try something else' that nothing follows yet is
        what the next trial follows; an adjustment usually keeps the same kind of try."""
        if trial is None or trial.decision not in NEXT_TRY:
            return None, None
        if any(t.follows_trial_id == trial.id for t in self._trials.values()):
            return None, None
        same = trial.subject if trial.decision is TrialDecision.ADJUST else None
        return trial, same

    def add_note(self) -> TrialNoteDialog | None:
        trial = self.selected_trial()
        if trial is None or self.record is None:
            return None
        return self._show(
            TrialNoteDialog(
                self.record.client,
                trial,
                today=self.desk.today(),
                submit=self._submit(add_trial_note, trial.id, version=None),
                parent=self,
            )
        )

    def review(self) -> ReviewTrialDialog | None:
        trial = self.selected_trial()
        if trial is None or self.record is None or trial.outcome is not None:
            return None
        return self._show(
            ReviewTrialDialog(
                self.record.client,
                trial,
                today=self.desk.today(),
                submit=self._submit(review_trial, trial.id, version=trial.version),
                parent=self,
            )
        )

    def decide(self) -> DecideTrialDialog | None:
        trial = self.selected_trial()
        if trial is None or self.record is None or trial.outcome is None:
            return None
        if trial.decision is not None:
            return None
        # A device trial's decision moves the device too: checked against the device as
        # this record showed it.
        device = find_device(self.record.client, trial.device_assignment_id)
        dialog = DecideTrialDialog(
            self.record.client,
            trial,
            today=self.desk.today(),
            submit=self._submit(
                decide_trial,
                trial.id,
                version=trial.version,
                device_expected_version=device.version if device is not None else None,
            ),
            parent=self,
        )
        trial_id = trial.id
        dialog.accepted.connect(lambda: self._after_decision(trial_id))
        return self._show(dialog)

    def _after_decision(self, trial_id: uuid.UUID) -> None:
        """After 'adjust' or 'try something else', offer to open the next try."""
        trial = self._trials.get(trial_id)
        if trial is None or trial.decision not in NEXT_TRY:
            return
        answer = QMessageBox.question(
            self,
            "Open the next trial?",
            f"You decided to {words.mid_sentence(trial.decision.label)} after “{trial.what}”.\n\n"
            "Open the next trial now, following on from this one?",
        )
        if answer == QMessageBox.StandardButton.Yes:
            same = trial.subject if trial.decision is TrialDecision.ADJUST else None
            self.open_trial(follows=trial, subject=same)

    def _submit(
        self,
        action: Callable[..., Any],
        trial_id: uuid.UUID,
        *,
        version: int | None,
        **more: Any,
    ) -> Submit:
        """Save a dialog's values for one trial; `version` is the trial's as the user saw
        it, for the actions that change the trial itself."""
        checked: dict[str, Any] = {} if version is None else {"expected_version": version}
        checked.update(more)

        def submit(form: Form, values: dict[str, Any]) -> bool:
            saved = self.act(
                action,
                changed="trials",
                form=form,
                trial_id=trial_id,
                by=self.desk.user,
                **checked,
                **values,
            )
            if saved is not None:
                self.select_trial(trial_id)
            return saved is not None

        return submit

    def _show(self, dialog: D) -> D:
        """Open a dialog without blocking; it closes itself once saved."""
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda *_: self._closed(dialog))
        dialog.open()
        return dialog

    def _closed(self, dialog: TrialDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None


def outcome_and_decision(trial: Trial) -> str:
    """'No change · 26 Jan 2026', then '→ Try something else' (with its own date when the
    decision came later), '→ to decide', or 'Not yet reviewed'."""
    if trial.outcome is None or trial.reviewed_on is None:
        return "Not yet reviewed"
    text = f"{trial.outcome.label} · {day(trial.reviewed_on)}"
    if trial.decision is None or trial.decided_on is None:
        return f"{text}\n→ to decide"
    text += f"\n→ {trial.decision.label}"
    if trial.decided_on != trial.reviewed_on:
        text += f" · {day(trial.decided_on)}"
    return text


def _count(n: int, word: str) -> str:
    return words.count(n, word)


def _line_heading(line: list[Trial]) -> str:
    first, last = line[0], line[-1]
    return (
        f"{words.count(len(line), 'try', 'tries')}, each following the last · "
        f"{day(first.started_on)} "
        f"to {day(last.started_on)}"
    )


def _anchor(trial_id: uuid.UUID) -> str:
    return f"trial-{trial_id.hex}"


def _text(value: str) -> str:
    return html.escape(value).replace("\n", "<br>")


def story_html(
    client: Client, line: list[Trial], selected: uuid.UUID | None, today: date, highlight: str
) -> str:
    """One line of tries as a story: each try, its follow-ups, outcome and decision."""
    parts: list[str] = []
    for number, trial in enumerate(line, start=1):
        if number > 1:
            parts.append("<p align='center'>↓ next try</p>")
        block = _trial_html(client, trial, today, number if len(line) > 1 else None)
        if trial.id == selected and len(line) > 1:
            block = (
                f"<table width='100%' cellpadding='6' bgcolor='{highlight}'>"
                f"<tr><td>{block}</td></tr></table>"
            )
        parts.append(f"<a name='{_anchor(trial.id)}'></a>{block}")
    return "".join(parts)


def _device_html(client: Client, trial: Trial) -> str:
    """A device trial's device as it stands now, with a link to it on the Devices tab."""
    device = find_device(client, trial.device_assignment_id)
    if trial.subject is not TrialSubject.DEVICE or device is None:
        return ""
    since = device.history[-1].changed_on if device.history else device.started_on
    return (
        f"<p><b>Device:</b> {_text(device_name(device))} — "
        f"{_text(words.mid_sentence(device.status.label))} since {words.day(since)} · "
        f"<a href='device:{device.id}'>show on Devices</a></p>"
    )


def _trial_html(client: Client, trial: Trial, today: date, number: int | None) -> str:
    heading = f"{number}. " if number is not None else ""
    subject = subject_text(client, trial)
    by = f" · opened by {_text(trial.opened_by)}" if trial.opened_by else ""
    unwritten = "not written down"
    out = [
        f"<h3>{heading}{_text(trial.what)}</h3>",
        f"<p><i>{_text(subject)}</i>{by}</p>",
        _device_html(client, trial),
        f"<p><b>Why:</b> {_text(trial.why or unwritten)}</p>",
        f"<p><b>Success looks like:</b> {_text(trial.success_looks_like or unwritten)}</p>",
    ]
    review = f"<b>Review by</b> {day(trial.review_on)}"
    if is_overdue(trial, today):
        review += f" — <b>overdue by {_count((today - trial.review_on).days, 'day')}</b>"
    out.append(f"<p><b>Started</b> {day(trial.started_on)} · {review}</p>")
    if trial.notes:
        out.append("<p><b>Follow-up notes</b></p><ul>")
        for note in trial.notes:
            who = f", {_text(note.written_by)}" if note.written_by else ""
            out.append(f"<li><b>{day(note.written_on)}</b>{who}: {_text(note.text)}</li>")
        out.append("</ul>")
    else:
        out.append("<p>No follow-up notes yet.</p>")
    if trial.outcome is not None and trial.reviewed_on is not None:
        out.append(
            f"<p><b>Outcome:</b> {trial.outcome.label} — reviewed {day(trial.reviewed_on)}</p>"
        )
    else:
        out.append("<p><b>Outcome:</b> not yet reviewed</p>")
    if trial.decision is not None and trial.decided_on is not None:
        out.append(f"<p><b>Decision:</b> {trial.decision.label} — {day(trial.decided_on)}</p>")
    elif trial.outcome is not None:
        out.append("<p><b>Decision:</b> <b>still to decide</b></p>")
    return "".join(out)
