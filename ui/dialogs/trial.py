"""The trial-and-error loop's dialogs: open a trial, add a follow-up note, review, decide.

Each dialog gathers what the therapist typed and hands it to a `submit` callback
(the Trials tab's one-transaction action); it stays open with the service's
messages at the fields when nothing was saved. The dialogs never call a service
themselves, and they read only what the client record already loaded.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from enum import Enum
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from therapy_desk import words
from therapy_desk.domain import Client, DeviceAssignment, Programme, ProgrammeRevision, Trial
from therapy_desk.domain.vocabulary import (
    DeviceStatus,
    Side,
    TrialDecision,
    TrialOutcome,
    TrialSubject,
)
from therapy_desk.services.devices import status_after_trial
from therapy_desk.services.trials import carried_over
from ui.forms import Form, date_edit, date_value, set_date, text_box, text_or_none
from ui.widgets.choices import EnumCombo
from ui.widgets.date_field import DateField

E = TypeVar("E", bound=Enum)

#: How far ahead a new trial's review is booked unless the therapist says otherwise.
REVIEW_AFTER = timedelta(weeks=4)

#: Runs the service call for a dialog's values, showing problems on the form;
#: True when it was saved.
Submit = Callable[[Form, dict[str, Any]], bool]


# How trials and what they try are named on screen (shared with the Trials tab).


def day(value: date) -> str:
    """'4 Mar 2026' on every platform (words.day)."""
    return words.day(value)


def device_name(device: DeviceAssignment) -> str:
    if device.side in (Side.NONE, Side.BOTH):
        return device.kind.label
    return f"{device.kind.label}, {words.mid_sentence(device.side.label)}"


def revision_name(client: Client, revision: ProgrammeRevision) -> str:
    """'Programme revision 2', with the programme's title when the client has several."""
    if len(client.programmes) > 1:
        programme = _programme_of(client, revision)
        if programme is not None:
            return f"{programme.title}, revision {revision.number}"
    return f"Programme revision {revision.number}"


def subject_text(client: Client, trial: Trial) -> str:
    """What the trial is linked to, in words: the revision, the device, or the kind of try."""
    if trial.subject is TrialSubject.PROGRAMME_REVISION:
        revision = find_revision(client, trial.programme_revision_id)
        return revision_name(client, revision) if revision else "Programme revision (removed)"
    if trial.subject is TrialSubject.DEVICE:
        device = find_device(client, trial.device_assignment_id)
        return device_name(device) if device else "Device (removed)"
    if trial.subject is TrialSubject.MEDICATION_CHANGE:
        return "Medication change reported by the doctor"
    return "Strategy"


def trial_name(client: Client, trial: Trial) -> str:
    """One line naming a trial: what was tried, and what it is linked to when that adds."""
    subject = subject_text(client, trial)
    if trial.what.lower().startswith(subject.lower()):
        return trial.what
    return f"{trial.what} ({subject})"


def find_revision(client: Client, revision_id: uuid.UUID | None) -> ProgrammeRevision | None:
    for programme in client.programmes:
        for revision in programme.revisions:
            if revision.id == revision_id:
                return revision
    return None


def find_device(client: Client, device_id: uuid.UUID | None) -> DeviceAssignment | None:
    return next((d for d in client.devices if d.id == device_id), None)


def _programme_of(client: Client, revision: ProgrammeRevision) -> Programme | None:
    return next((p for p in client.programmes if p.id == revision.programme_id), None)


def revisions_current_first(client: Client) -> list[tuple[ProgrammeRevision, str]]:
    """The client's programme revisions, each labelled: the active programme's current
    revision first, then the rest newest first."""
    rows: list[tuple[tuple[Any, ...], ProgrammeRevision, str]] = []
    for programme in client.programmes:
        current = programme.current
        for revision in programme.revisions:
            is_current = programme.is_active and revision is current
            label = f"{revision_name(client, revision)} — issued {day(revision.issued_on)}"
            if is_current:
                label += " (current)"
            elif revision.superseded_on is not None:
                label += f", superseded {day(revision.superseded_on)}"
            if revision.reason:
                label += f": {revision.reason}"
            key = (not is_current, -revision.issued_on.toordinal(), -revision.number)
            rows.append((key, revision, label))
    rows.sort(key=lambda row: row[0])
    return [(revision, label) for _, revision, label in rows]


def devices_held_first(client: Client) -> list[tuple[DeviceAssignment, str]]:
    """The client's devices, each labelled: those they still have first, newest first."""
    devices = sorted(
        client.devices, key=lambda d: (not d.is_held, -d.started_on.toordinal(), d.kind.value)
    )
    return [
        (d, f"{device_name(d)} — {words.mid_sentence(d.status.label)} since {day(d.started_on)}")
        for d in devices
    ]


def _what_for_revision(client: Client, revision: ProgrammeRevision) -> str:
    programme = _programme_of(client, revision)
    title = programme.title if programme else "Home exercise programme"
    if revision.reason:
        return f"{title}, revision {revision.number}: {revision.reason}"
    return f"{title}, revision {revision.number}, as issued"


def _context(text: str, parent: QWidget) -> QLabel:
    """A paragraph at the top of a dialog saying which trial it is about."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName("About this trial")
    return label


def _wide_combo() -> QComboBox:
    """A combo whose long entries don't stretch the dialog; its list shows them whole."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(30)
    return _wide(combo)


C = TypeVar("C", bound=QComboBox)


def _wide(combo: C) -> C:
    """Fill the row, so the message under it has room too."""
    combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return combo


class TrialDialog(QDialog):
    """Form, Save and Cancel; Save hands the values to `submit` and closes when saved."""

    def __init__(self, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.submit = submit
        self.form = Form(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Save")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)

    def _finish_layout(self, *above: QWidget) -> None:
        for widget in above:
            self.layout_.addWidget(widget)
        self.layout_.addWidget(self.form)
        self.layout_.addStretch(1)
        self.layout_.addWidget(self.buttons)

    def values(self) -> dict[str, Any] | None:
        """The service's keyword arguments, or None (with the message shown) when a
        required choice is missing."""
        raise NotImplementedError

    def save(self) -> None:
        values = self.values()
        if values is not None and self.submit(self.form, values):
            self.accept()

    def _required_choice(self, key: str, value: object, message: str) -> bool:
        if value is None:
            self.form.show_errors({key: message})
            return False
        return True


class OpenTrialDialog(TrialDialog):
    """What is being tried, why, how success will be judged, and when to review it."""

    def __init__(
        self,
        client: Client,
        *,
        today: date,
        submit: Submit,
        follows: Trial | None = None,
        subject: TrialSubject | None = None,
        device: DeviceAssignment | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(submit, parent)
        self.client = client
        self.setWindowTitle("Open a trial")
        self._prefilled = ""
        self._carried: dict[str, str | None] = {}
        self._review_touched = False
        f = self.form
        self.subject = f.add("subject", "&Trying:", EnumCombo(TrialSubject))
        self.subject.setItemText(
            self.subject.findData(TrialSubject.MEDICATION_CHANGE),
            "Medication change reported by the doctor",
        )
        self.subject.setMinimumContentsLength(len("Medication change reported by the doctor"))
        self.revision = f.add("programme_revision", "&Revision:", _wide_combo())
        for revision, label in revisions_current_first(client):
            self.revision.addItem(label, revision.id)
        if self.revision.count() == 0:
            self.revision.addItem("This client has no programme yet", None)
        self.device = f.add("device", "&Device:", _wide_combo())
        for device, label in devices_held_first(client):
            self.device.addItem(label, device.id)
        if self.device.count() == 0:
            self.device.addItem("This client has no devices yet", None)
        what = QLineEdit()
        what.setMaxLength(500)
        what.setPlaceholderText("In a few words: what exactly is tried")
        self.what = f.add("what", "&What is tried:", what)
        self.why = f.add("why", "W&hy:", text_box())
        self.success = f.add(
            "success_looks_like",
            "Su&ccess looks like:",
            text_box(),
            hint="How you will judge it at the review: a measure, a task, what the client says",
        )
        self.started = f.add(
            "started_on", "St&arted:", date_edit(optional=False, today=lambda: today)
        )
        self.review = f.add(
            "review_on", "Re&view by:", date_edit(optional=False, today=lambda: today)
        )
        self.follows = f.add(
            "follows_trial",
            "&Follows:",
            _wide_combo(),
            hint="The earlier trial this one comes after, when it is the next try",
        )
        self.follows.addItem("Nothing — a new line of trials", None)
        for earlier in sorted(client.trials, key=lambda t: t.started_on, reverse=True):
            self.follows.addItem(_follows_label(client, earlier), earlier.id)
        self._finish_layout()

        set_date(self.started, today)
        set_date(self.review, today + REVIEW_AFTER)
        self.subject.currentIndexChanged.connect(self._subject_changed)
        self.revision.currentIndexChanged.connect(self._prefill)
        self.device.currentIndexChanged.connect(self._prefill)
        self.started.dateChanged.connect(self._start_moved)
        self.review.dateChanged.connect(self._review_edited)
        self.follows.currentIndexChanged.connect(self._carry_over)
        if follows is not None:
            self.follows.setCurrentIndex(self.follows.findData(follows.id))
            if device is None and subject is TrialSubject.DEVICE:
                device = find_device(client, follows.device_assignment_id)
        if device is not None:
            subject = TrialSubject.DEVICE
        self.subject.set_value(subject or TrialSubject.PROGRAMME_REVISION)
        self._subject_changed()
        if device is not None:
            self._from_device(device, fresh=follows is None)
        self.resize(680, self.sizeHint().height())

    def _from_device(self, device: DeviceAssignment, *, fresh: bool) -> None:
        """The device being tried; a device's first trial also takes its dates (its start,
        its review date when one is set)."""
        self.device.setCurrentIndex(max(self.device.findData(device.id), 0))
        if not fresh:
            return
        set_date(self.started, device.started_on)
        if device.review_on is not None:
            set_date(self.review, device.review_on)
        self.why.setFocus()  # what is left to write

    def _carry_over(self) -> None:
        """The trial this follows lends its why and its measure of success, to edit; what
        the therapist wrote themselves stays."""
        earlier = next((t for t in self.client.trials if t.id == self.follows.currentData()), None)
        lent = carried_over(earlier) if earlier is not None else {}
        for key, box in (("why", self.why), ("success_looks_like", self.success)):
            current = box.toPlainText().strip()
            if current in ("", (self._carried.get(key) or "").strip()):
                box.setPlainText(lent.get(key) or "")
                box.moveCursor(QTextCursor.MoveOperation.End)  # to add to it, not before it
        self._carried = lent

    def _subject_changed(self) -> None:
        subject = self.subject.value()
        self._row(self.revision, subject is TrialSubject.PROGRAMME_REVISION)
        self._row(self.device, subject is TrialSubject.DEVICE)
        self._prefill()

    def _row(self, field: QWidget, visible: bool) -> None:
        holder = field.parentWidget()
        assert holder is not None
        self.form.layout_.setRowVisible(holder, visible)

    def _prefill(self) -> None:
        """Name the chosen revision or device in 'What', unless the therapist wrote their own."""
        subject = self.subject.value()
        text = ""
        if subject is TrialSubject.PROGRAMME_REVISION:
            revision = find_revision(self.client, self.revision.currentData())
            text = _what_for_revision(self.client, revision) if revision else ""
        elif subject is TrialSubject.DEVICE:
            device = find_device(self.client, self.device.currentData())
            text = device_name(device) if device else ""
        current = self.what.text().strip()
        if current in ("", self._prefilled):
            self.what.setText(text)
            self.what.setCursorPosition(0)
            self._prefilled = text

    def _start_moved(self) -> None:
        started = date_value(self.started)
        if not self._review_touched and started is not None:
            self.review.blockSignals(True)
            set_date(self.review, started + REVIEW_AFTER)
            self.review.blockSignals(False)

    def _review_edited(self) -> None:
        self._review_touched = True

    def values(self) -> dict[str, Any] | None:
        subject = self.subject.value()
        if subject is None:
            return None
        return {
            "subject": subject,
            "what": self.what.text(),
            "why": text_or_none(self.why),
            "success_looks_like": text_or_none(self.success),
            "started_on": date_value(self.started),
            "review_on": date_value(self.review),
            "programme_revision_id": self.revision.currentData()
            if subject is TrialSubject.PROGRAMME_REVISION
            else None,
            "device_assignment_id": self.device.currentData()
            if subject is TrialSubject.DEVICE
            else None,
            "follows_trial_id": self.follows.currentData(),
        }


def _follows_label(client: Client, trial: Trial) -> str:
    label = f"{day(trial.started_on)} · {trial_name(client, trial)}"
    if trial.outcome is not None:
        label += f" — {words.mid_sentence(trial.outcome.label)}"
    if trial.decision is not None:
        label += f", {words.mid_sentence(trial.decision.label)}"
    return label


def _date_field(form: Form, key: str, label: str, today: date) -> DateField:
    edit = date_edit(optional=False, today=lambda: today)
    set_date(edit, today)
    form.add(key, label, edit)
    return edit


class TrialNoteDialog(TrialDialog):
    """A follow-up note: what the client reported, what was seen."""

    def __init__(
        self, client: Client, trial: Trial, *, today: date, submit: Submit, parent: QWidget | None
    ) -> None:
        super().__init__(submit, parent)
        self.setWindowTitle("Add a follow-up note")
        self.text = self.form.add(
            "text",
            "&Note:",
            text_box(120),
            hint="What the client reported, what you saw",
        )
        self.on = _date_field(self.form, "on", "&Date:", today)
        about = f"{trial_name(client, trial)}\nStarted {day(trial.started_on)}"
        self.about = _context(about, self)
        self._finish_layout(self.about)
        self.resize(520, self.sizeHint().height())

    def values(self) -> dict[str, Any] | None:
        return {"text": self.text.toPlainText(), "on": date_value(self.on)}


class ReviewTrialDialog(TrialDialog):
    """The outcome at the review, judged against what success was to look like."""

    def __init__(
        self, client: Client, trial: Trial, *, today: date, submit: Submit, parent: QWidget | None
    ) -> None:
        super().__init__(submit, parent)
        self.setWindowTitle("Review a trial")
        self.outcome = self.form.add(
            "outcome", "&Outcome:", _wide(EnumCombo(TrialOutcome, blank="Choose the outcome…"))
        )
        self.note = self.form.add("note", "&Note:", text_box(90))
        self.on = _date_field(self.form, "on", "&Date:", today)
        about = [trial_name(client, trial), f"Started {day(trial.started_on)}"]
        about.append(f"Success looks like: {trial.success_looks_like or 'not written down'}")
        self.about = _context("\n".join(about), self)
        self._finish_layout(self.about)
        self.resize(520, self.sizeHint().height())

    def values(self) -> dict[str, Any] | None:
        outcome = self.outcome.value()
        if not self._required_choice("outcome", outcome, "Choose how the trial went"):
            return None
        return {"outcome": outcome, "note": text_or_none(self.note), "on": date_value(self.on)}


def device_consequence(device: DeviceAssignment | None, decision: TrialDecision | None) -> str:
    """What deciding a device's trial this way does to the device, said before saving."""
    if device is None or decision is None or device.status is not DeviceStatus.TRIAL:
        return ""
    name = device_name(device)
    status = status_after_trial(device.status, decision)
    if status is DeviceStatus.ISSUED:
        return f"The client keeps the device: {name} will show as issued on Devices."
    if status is not None:
        return (
            f"The device goes back: {name} will show as {words.mid_sentence(status.label)} on "
            "Devices, ended on the decision's date."
        )
    return f"{name} stays on trial for the next try."


class DecideTrialDialog(TrialDialog):
    """What next after the review: continue, adjust, stop, or try something else."""

    def __init__(
        self, client: Client, trial: Trial, *, today: date, submit: Submit, parent: QWidget | None
    ) -> None:
        super().__init__(submit, parent)
        self.setWindowTitle("Decide what next")
        self.decision = self.form.add(
            "decision", "D&ecision:", _wide(EnumCombo(TrialDecision, blank="Choose what next…"))
        )
        self.note = self.form.add("note", "&Note:", text_box(90))
        self.on = _date_field(self.form, "on", "&Date:", today)
        about = [trial_name(client, trial)]
        if trial.outcome is not None and trial.reviewed_on is not None:
            about.append(f"Outcome: {trial.outcome.label} (reviewed {day(trial.reviewed_on)})")
        self.about = _context("\n".join(about), self)
        #: What the decision does to the device a device trial is about.
        self.device = (
            find_device(client, trial.device_assignment_id)
            if trial.subject is TrialSubject.DEVICE
            else None
        )
        self.consequence = QLabel(self)
        self.consequence.setWordWrap(True)
        self.consequence.setAccessibleName("What the decision does to the device")
        self.decision.currentIndexChanged.connect(self._say_consequence)
        self._finish_layout(self.about)
        self.layout_.insertWidget(self.layout_.indexOf(self.form) + 1, self.consequence)
        self._say_consequence()
        self.resize(520, self.sizeHint().height())

    def _say_consequence(self) -> None:
        self.consequence.setText(device_consequence(self.device, self.decision.value()))
        self.consequence.setVisible(bool(self.consequence.text()))

    def values(self) -> dict[str, Any] | None:
        decision = self.decision.value()
        if not self._required_choice("decision", decision, "Choose what happens next"):
            return None
        return {"decision": decision, "note": text_or_none(self.note), "on": date_value(self.on)}
