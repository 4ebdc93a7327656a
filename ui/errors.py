"""The one door for what goes wrong, and the dialog every problem is told in.

An unexpected error (a bug, something no one foresaw) is reported through
`therapy_desk.incidents`, which logs it without any message text or parameter value,
and the user sees what happened, that nothing half-done was saved, and a "Copy
details" button for their support contact. Nothing is printed to stderr: an
exception's text can quote a client's record.

`install` makes this the app's `sys.excepthook` and `threading.excepthook`, so an
exception in a Qt slot or a worker thread neither prints nor closes the app silently.
Known problems (a busy database, a conflict, a form to correct) are shown where they
happen, each in its own words; see `is_known`.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from therapy_desk.incidents import Incident

#: What the user was doing when an error arrived through a hook, not an action.
SOMEWHERE = "working in Therapy Desk"
#: How wide a notice's text is before it wraps, in average characters.
TEXT_WIDTH_CHARACTERS = 72


def sentence(text: str) -> str:
    """A core message ("nothing was saved: …") as a sentence: capital first, full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


@dataclass(frozen=True)
class Choice:
    """One button of a notice: `key` is what `Notice.ask` returns when it is pressed.
    An `apart` button stands at the start of the row, away from the others (Reload,
    Copy details): the rest follow at the end, in the order given."""

    key: str
    label: str
    apart: bool = False


class Notice(QDialog):
    """A message with an icon, a short heading, the explanation, and named buttons.

    Used instead of QMessageBox so the text wraps at a readable width, every button
    says what it does, and a button can act without closing the dialog (Copy details).
    """

    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        heading: str,
        text: str,
        icon: QStyle.StandardPixmap = QStyle.StandardPixmap.SP_MessageBoxWarning,
        choices: Sequence[Choice] = (Choice("ok", "OK"),),
        default: str | None = None,
        cancel: str | None = None,
    ) -> None:
        from PySide6.QtCore import Qt  # not at import: start-up never names Qt (12 ms)

        super().__init__(parent)
        self.setObjectName("notice")
        self.setWindowTitle(title)
        self.setModal(True)
        self.chosen: str | None = None
        self._cancel = cancel
        self._stay: dict[str, Callable[[], None]] = {}

        picture = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize, None, self)
        picture.setPixmap(self.style().standardIcon(icon, None, self).pixmap(size, size))
        picture.setAccessibleName("")
        self.heading = QLabel(heading, self)
        self.heading.setObjectName("noticeHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.heading.setFont(font)
        self.text = QLabel(text, self)
        self.text.setObjectName("noticeText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        width = self.fontMetrics().averageCharWidth() * TEXT_WIDTH_CHARACTERS
        for label in (self.heading, self.text):
            label.setMinimumWidth(width)
            label.setMaximumWidth(width)

        # Laid out in the order given, the same on every platform: what each button
        # does is in its words, so no platform's habit of order is needed to read it.
        self.buttons = QHBoxLayout()
        self._by_key: dict[str, QPushButton] = {}
        apart = [c for c in choices if c.apart]
        for choice in [*apart, None, *(c for c in choices if not c.apart)]:
            if choice is None:
                self.buttons.addStretch(1)
                continue
            button = QPushButton(choice.label, self)
            button.setAutoDefault(False)
            button.clicked.connect(lambda checked=False, key=choice.key: self._pressed(key))
            self.buttons.addWidget(button)
            self._by_key[choice.key] = button
        wanted = default or (choices[0].key if choices else None)
        if wanted is not None:
            self._by_key[wanted].setDefault(True)
            self._by_key[wanted].setFocus()

        words = QVBoxLayout()
        words.addWidget(self.heading)
        words.addWidget(self.text)
        words.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(picture, 0)
        top.addSpacing(8)
        top.addLayout(words, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.addLayout(top)
        layout.addSpacing(10)
        layout.addLayout(self.buttons)

    def button(self, key: str) -> QPushButton:
        return self._by_key[key]

    def labels(self) -> list[str]:
        """The buttons' words, left to right."""
        return [button.text().replace("&", "") for button in self._by_key.values()]

    def keep_open_for(self, key: str, action: Callable[[], None]) -> None:
        """Pressing `key` runs `action` and leaves the dialog open."""
        self._stay[key] = action

    def _pressed(self, key: str) -> None:
        if key in self._stay:
            self._stay[key]()
            return
        self.chosen = key
        self.accept()

    def reject(self) -> None:
        """Escape or the window's close button: the `cancel` choice, if there is one."""
        if self._cancel is None and self._by_key:
            return  # no safe way out but the buttons
        self.chosen = self._cancel
        super().reject()

    def ask(self) -> str | None:
        """Show it and wait; the key of the button pressed (or `cancel`)."""
        self.adjustSize()
        self.exec()
        return self.chosen


def warn(parent: QWidget | None, title: str, heading: str, text: str) -> None:
    """A problem the user can do something about: one OK button."""
    Notice(parent, title=title, heading=heading, text=text, cancel="ok").ask()


def tell(parent: QWidget | None, title: str, heading: str, text: str) -> None:
    """Something done, worth knowing."""
    Notice(
        parent,
        title=title,
        heading=heading,
        text=text,
        icon=QStyle.StandardPixmap.SP_MessageBoxInformation,
        cancel="ok",
    ).ask()


# --- the door for unexpected errors ----------------------------------------------------------

#: Set while an error dialog is up: errors that arrive meanwhile are logged, not stacked.
_showing = threading.Event()


def is_known(error: BaseException) -> bool:
    """A problem with its own plain message, to be shown where it happened."""
    from therapy_desk.db.faults import StorageFault
    from therapy_desk.files import OutputRefused
    from therapy_desk.services.errors import Conflict, NotFound, ValidationError

    return isinstance(error, StorageFault | Conflict | NotFound | ValidationError | OutputRefused)


def report_unexpected(parent: QWidget | None, error: BaseException, *, doing: str) -> Incident:
    """Log the error safely and tell the user, with a Copy details button."""
    from therapy_desk import incidents

    incident = incidents.report(error, doing=doing)
    if _showing.is_set() or QApplication.instance() is None:
        return incident
    _showing.set()
    try:
        error_notice(parent, incident).ask()
    finally:
        _showing.clear()
    return incident


def error_notice(parent: QWidget | None, incident: Incident) -> Notice:
    notice = Notice(
        parent,
        title="Therapy Desk — something went wrong",
        heading="Something went wrong",
        text=incident.message(),
        icon=QStyle.StandardPixmap.SP_MessageBoxCritical,
        choices=(
            Choice("copy", "&Copy details", apart=True),
            Choice("ok", "OK"),
        ),
        default="ok",
        cancel="ok",
    )
    copy = notice.button("copy")
    copy.setToolTip("Copy what went wrong (no client's details) to send to your support contact")

    def copy_details() -> None:
        QApplication.clipboard().setText(incident.details)
        copy.setText("Copied")

    notice.keep_open_for("copy", copy_details)
    return notice


class Unexpected(Exception):
    """Stands for an unexpected error already reported: what a view may show of it."""

    def __init__(self, incident: Incident) -> None:
        self.incident = incident
        super().__init__(f"something unexpected went wrong (incident {incident.code})")


class _Relay(QObject):
    """Carries an error from whichever thread it happened on to the GUI thread."""

    arrived = Signal(object)

    def show_later(self, error: object) -> None:
        # After the failing slot has unwound, never inside it (a paint, a timer).
        if isinstance(error, BaseException):
            QTimer.singleShot(0, lambda: _from_hook(error))


def show_error(parent: QWidget | None, error: BaseException, *, doing: str) -> None:
    """Tell the user about an error no one caught: a known problem (a busy database met
    outside an action) in its own words, anything else as an incident while `doing`."""
    if is_known(error):
        if not _showing.is_set():
            _showing.set()
            try:
                warn(parent, "Therapy Desk", "That did not work", sentence(str(error)))
            finally:
                _showing.clear()
        return
    report_unexpected(parent, error, doing=doing)


def slot(doing: str, action: Callable[[], object]) -> Callable[..., None]:
    """`action` made into a slot that tells the user, should it fail, what failed: "while
    opening the handouts" says more than the hook's "while working in Therapy Desk"."""

    def run(*_: object) -> None:
        try:
            action()
        except Exception as error:
            show_error(QApplication.activeWindow(), error, doing=doing)

    return run


#: An error from the same place arriving this soon after the user was told of it is
#: dropped: a paint or a model's data() fails again at every repaint, and a stream of the
#: same dialog would leave no way to work. A click repeated later is told again.
QUIET_SECONDS = 5.0
_told_at: dict[str, float] = {}


def _repeats(error: BaseException) -> bool:
    """The same error, from the same line, as one told moments ago."""
    import time
    import traceback

    frames = traceback.extract_tb(error.__traceback__)
    last = frames[-1] if frames else None
    place = f"{type(error).__qualname__}:{last.filename}:{last.lineno}" if last else ""
    now = time.monotonic()
    if place and now - _told_at.get(place, -QUIET_SECONDS) < QUIET_SECONDS:
        _told_at[place] = now
        return True
    _told_at[place] = now
    return False


def _from_hook(error: BaseException) -> None:
    try:
        if _repeats(error):
            return
        show_error(QApplication.activeWindow(), error, doing=SOMEWHERE)
        _repeats(error)  # quiet from when the dialog closed, not from when it opened
    except Exception:  # noqa: S110 - the door itself failed: never print the error
        pass


_relay: _Relay | None = None


def install(app: QApplication) -> None:
    """Route every uncaught exception, on any thread, through the door."""
    global _relay
    _relay = _Relay(app)
    _relay.arrived.connect(_relay.show_later)
    relay = _relay

    def excepthook(kind: type[BaseException], error: BaseException, tb: object) -> None:
        if issubclass(kind, KeyboardInterrupt):
            app.quit()
            return
        try:
            relay.arrived.emit(error)
        except Exception:  # noqa: S110 - Qt is gone (shutting down): stay silent
            pass

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None and not isinstance(args.exc_value, SystemExit):
            excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = excepthook
    threading.excepthook = thread_hook
