"""Dialogs for a client's devices: add one, move it along its lifecycle, edit its fitting.

The dialogs only gather values. Saving is the caller's `on_save(dialog)`, which runs
one service call with the dialog's form (so problems show at the field) and returns
True when something was saved; the dialog then closes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from typing import Any, TypeVar

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from therapy_desk import words
from therapy_desk.domain import DeviceAssignment
from therapy_desk.domain.vocabulary import (
    DEVICE_HELD,
    DEVICE_TRANSITIONS,
    DeviceKind,
    DeviceStatus,
    Side,
)
from therapy_desk.library.catalogue import device_guides
from ui.forms import Form, date_edit, date_value, set_date, text_box, text_or_none
from ui.widgets.choices import EnumCombo

#: What the side field shows for a sided device before a side is chosen.
CHOOSE_SIDE = "Choose a side…"
#: What the side field shows for a device that is not fitted to one side.
NOT_SIDED = "Not sided"
#: Tooltips that explain a choice's limits.
START_HINT = "Most devices start on trial; choose Issued or In use for one already settled."
NEXT_HINT = "Only the steps that may follow the current status are offered."
#: The offer, on a new device's form, to write its trial straight after saving it.
OPEN_TRIAL_NEXT = "Then o&pen its trial: why it is tried, how success will be judged"


def day(value: date) -> str:
    """A date as the record shows it: 3 Nov 2026 (words.day)."""
    return words.day(value)


def device_name(device: DeviceAssignment) -> str:
    """The device and its side in words: 'Ankle-foot orthosis (AFO), left'."""
    if device.side is Side.NONE:
        return device.kind.label
    return f"{device.kind.label}, {words.mid_sentence(device.side.label)}"


def next_statuses(status: DeviceStatus) -> list[DeviceStatus]:
    """The statuses that may follow `status`, in lifecycle order."""
    return [s for s in DeviceStatus if s in DEVICE_TRANSITIONS[status]]


def is_sided(kind: DeviceKind) -> bool:
    guide = device_guides().get(kind)
    return guide is not None and guide.sided


W = TypeVar("W", bound=QWidget)


def _wide(field: W) -> W:
    """A field as wide as the text boxes, so a message under it has room on one line."""
    field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return field


class _DeviceDialog(QDialog):
    """A form with Save and Cancel; Save hands the dialog to `on_save`."""

    def __init__(
        self,
        title: str,
        on_save: Callable[[Any], bool],
        parent: QWidget | None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._on_save = on_save
        self.form = Form(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName("Save")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.column = QVBoxLayout(self)

    def finish_layout(self, above: QWidget | None = None, below: QWidget | None = None) -> None:
        if above is not None:
            self.column.addWidget(above)
        self.column.addWidget(self.form, 1)
        if below is not None:
            self.column.addWidget(below)
        self.column.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())

    def save(self) -> None:
        if self._on_save(self):
            self.accept()
        else:
            self.fit_messages()

    def fit_messages(self) -> None:
        """Grow to show the messages now under the fields, never shrink under the user."""
        self.layout().activate()
        wanted = self.sizeHint().expandedTo(self.minimumSizeHint())
        self.resize(self.size().expandedTo(wanted))


class AddDeviceDialog(_DeviceDialog):
    """A new device for the client: which, which side, and how it starts."""

    def __init__(
        self,
        *,
        today: date,
        on_save: Callable[[AddDeviceDialog], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Add device", on_save, parent)
        f = self.form
        self.kind = _wide(EnumCombo(DeviceKind))
        self.side = _wide(QComboBox())
        self.status = _wide(EnumCombo([s for s in DeviceStatus if s in DEVICE_HELD]))
        self.started = _wide(date_edit(optional=False, today=lambda: today))
        self.review = _wide(date_edit(optional=True, today=lambda: today))
        self.size_settings = text_box(48)
        self.training = text_box(60)
        self.notes = text_box(60)
        f.add("kind", "&Device:", self.kind)
        f.add("side", "&Side:", self.side)
        f.add("status", "Start &as:", self.status, hint=START_HINT)
        f.add("started_on", "Sta&rted on:", self.started)
        f.add("review_on", "Re&view on:", self.review)
        f.add("size_settings", "Si&ze / settings:", self.size_settings)
        f.add("training_given", "&Training given:", self.training)
        f.add("notes", "&Notes:", self.notes)
        self.purpose = QLabel(self)
        self.purpose.setWordWrap(True)
        self.purpose.setAccessibleName("What this device is for")
        self.purpose.setContentsMargins(8, 4, 8, 4)
        # A device on trial has its trial: offered here, written in the trial dialog that
        # opens once the device is saved (prefilled from it, linked both ways).
        self.open_trial_next = QCheckBox(OPEN_TRIAL_NEXT, self)
        self.open_trial_next.setChecked(True)
        self.open_trial_next.setToolTip(
            "The trial dialog opens next, with this device, its start and review dates filled in"
        )
        f.layout_.addRow("", self.open_trial_next)
        set_date(self.started, today)
        self.status.set_value(DeviceStatus.TRIAL)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.status.currentIndexChanged.connect(self._status_changed)
        self._kind_changed()
        self._status_changed()
        self.finish_layout(below=self.purpose)

    def _status_changed(self) -> None:
        self.form.layout_.setRowVisible(
            self.open_trial_next, self.status.value() is DeviceStatus.TRIAL
        )

    def wants_trial(self) -> bool:
        """Saved on trial with the offer taken: open its trial next."""
        return self.status.value() is DeviceStatus.TRIAL and self.open_trial_next.isChecked()

    def _kind_changed(self) -> None:
        kind = self.kind.value()
        assert kind is not None
        sided = is_sided(kind)
        previous = self.side.currentData()
        self.side.clear()
        if sided:
            self.side.addItem(CHOOSE_SIDE, Side.NONE)
            for side in (Side.LEFT, Side.RIGHT, Side.BOTH):
                self.side.addItem(side.label, side)
            index = self.side.findData(previous)
            self.side.setCurrentIndex(max(index, 0))
        else:
            self.side.addItem(NOT_SIDED, Side.NONE)
        self.side.setEnabled(sided)
        self.side.setToolTip("" if sided else "This device is not fitted to one side")
        guide = device_guides().get(kind)
        self.purpose.setText(
            f"<b>{escape(guide.name)}</b> — {escape(guide.purpose)}" if guide else ""
        )

    def values(self) -> dict[str, Any]:
        """The keyword arguments of `assign_device` this dialog decides."""
        return {
            "kind": self.kind.value(),
            "side": Side(self.side.currentData()),
            "status": self.status.value(),
            "started_on": date_value(self.started),
            "review_on": date_value(self.review),
            "size_settings": text_or_none(self.size_settings),
            "training_given": text_or_none(self.training),
            "notes": text_or_none(self.notes),
        }


class DeviceStatusDialog(_DeviceDialog):
    """Move a device one step along trial → issued → in use → returned or stopped."""

    def __init__(
        self,
        device: DeviceAssignment,
        *,
        today: date,
        on_save: Callable[[DeviceStatusDialog], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Change device status", on_save, parent)
        since = device.history[-1].changed_on if device.history else device.started_on
        self.about = QLabel(
            f"<b>{escape(device_name(device))}</b><br>"
            f"Now: {escape(words.mid_sentence(device.status.label))} since {day(since)}",
            self,
        )
        self.about.setWordWrap(True)
        self.about.setAccessibleName("Device and its current status")
        f = self.form
        self.status = _wide(EnumCombo(next_statuses(device.status)))
        self.on = _wide(date_edit(optional=False, today=lambda: today))
        self.note = text_box(70)
        f.add("status", "&New status:", self.status, hint=NEXT_HINT)
        f.add("on", "&Date:", self.on)
        f.add("note", "N&ote:", self.note)
        set_date(self.on, today)
        self.finish_layout(self.about)

    def offered(self) -> list[DeviceStatus]:
        """The statuses the combo offers, in order."""
        return self.status.members()

    def values(self) -> dict[str, Any]:
        """The keyword arguments of `change_device_status` this dialog decides."""
        return {
            "status": self.status.value(),
            "on": date_value(self.on),
            "note": text_or_none(self.note),
        }


class EditDeviceDialog(_DeviceDialog):
    """The fitting details of a device: review date, size or settings, training, notes."""

    def __init__(
        self,
        device: DeviceAssignment,
        *,
        on_save: Callable[[EditDeviceDialog], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Edit device", on_save, parent)
        self.about = QLabel(
            f"<b>{escape(device_name(device))}</b><br>"
            f"{escape(device.status.label)} · started {day(device.started_on)}",
            self,
        )
        self.about.setWordWrap(True)
        self.about.setAccessibleName("Device")
        f = self.form
        self.review = _wide(date_edit(optional=True))
        self.size_settings = text_box(48)
        self.training = text_box(70)
        self.notes = text_box(70)
        f.add("review_on", "Re&view on:", self.review)
        f.add("size_settings", "Si&ze / settings:", self.size_settings)
        f.add("training_given", "&Training given:", self.training)
        f.add("notes", "&Notes:", self.notes)
        set_date(self.review, device.review_on)
        self.size_settings.setPlainText(device.size_settings or "")
        self.training.setPlainText(device.training_given or "")
        self.notes.setPlainText(device.notes or "")
        self.finish_layout(self.about)

    def values(self) -> dict[str, Any]:
        """The keyword arguments of `update_device` this dialog decides."""
        return {
            "review_on": date_value(self.review),
            "size_settings": text_or_none(self.size_settings),
            "training_given": text_or_none(self.training),
            "notes": text_or_none(self.notes),
        }
