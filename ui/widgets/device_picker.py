"""A button that picks several devices (a stick and an ankle-foot orthosis), its text the
devices chosen in words. The menu stays open while devices are ticked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QMenu, QPushButton, QSizePolicy, QWidget

from therapy_desk.domain.vocabulary import DeviceKind
from therapy_desk.services.measures import devices_text


class _StayingMenu(QMenu):
    """A menu of tick boxes that stays open while they are ticked (Esc or a click outside
    closes it)."""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        action = self.actionAt(event.position().toPoint())
        if action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        action = self.activeAction()
        keys = (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if action is not None and action.isCheckable() and event.key() in keys:
            action.trigger()
            return
        super().keyPressEvent(event)


class DevicePicker(QPushButton):
    """Several devices, chosen from a menu; `devices()` in the order they were ticked."""

    changed = Signal()

    def __init__(
        self, kinds: Iterable[DeviceKind] = DeviceKind, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._chosen: list[DeviceKind] = []
        self._text = ""
        self.menu_ = _StayingMenu(self)
        self.actions_: dict[DeviceKind, QAction] = {}
        clear = self.menu_.addAction("No device")
        clear.triggered.connect(lambda: self.set_devices(()))
        self.menu_.addSeparator()
        for kind in kinds:
            action = self.menu_.addAction(kind.label)
            action.setCheckable(True)
            action.toggled.connect(lambda on, k=kind: self._toggled(k, on))
            self.actions_[kind] = action
        self.setMenu(self.menu_)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setStyleSheet("text-align: left; padding-left: 6px;")
        self._show()

    def devices(self) -> tuple[DeviceKind, ...]:
        return tuple(self._chosen)

    def set_devices(self, devices: Sequence[DeviceKind]) -> None:
        wanted = list(dict.fromkeys(devices))
        self._chosen = []
        for kind, action in self.actions_.items():
            action.blockSignals(True)
            action.setChecked(kind in wanted)
            action.blockSignals(False)
        self._chosen = [k for k in wanted if k in self.actions_]
        self._show()
        self.changed.emit()

    def action(self, kind: DeviceKind) -> QAction:
        """The menu entry that ticks `kind` (what a test or a screen reader presses)."""
        return self.actions_[kind]

    def _toggled(self, kind: DeviceKind, on: bool) -> None:
        if on and kind not in self._chosen:
            self._chosen.append(kind)
        elif not on and kind in self._chosen:
            self._chosen.remove(kind)
        self._show()
        self.changed.emit()

    def text_shown(self) -> str:
        """The devices chosen, in words (the button may show them cut short)."""
        return self._text

    def _show(self) -> None:
        self._text = devices_text(self._chosen)
        self.setToolTip(self._text)
        self.setAccessibleDescription(f"Devices used: {self._text}")
        self._elide()

    def _elide(self) -> None:
        room = max(self.width() - 48, 40)
        self.setText(self.fontMetrics().elidedText(self._text, Qt.TextElideMode.ElideRight, room))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        return QSize(min(hint.width(), self.fontMetrics().averageCharWidth() * 30), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        return QSize(self.fontMetrics().averageCharWidth() * 12, hint.height())
