"""Window and dialog sizes taken from the screen they open on.

The smallest screen the app is made for is a 1280×720 laptop, with a taskbar. A
window's first size is the size it was designed for, or less where the screen's
available area (what the taskbar leaves) is smaller; a size remembered from another
screen (a laptop unplugged from a large monitor) is used only if it fits this one.
What cannot fit scrolls (`scrolling`), with a dialog's own buttons kept outside.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSize
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

#: Room kept for what a window manager draws around a window, in pixels: borders each
#: side (width) and a title bar above and a border below (height).
FRAME_ROOM = (16, 44)


def available(widget: QWidget | None = None) -> QRect:
    """The available area (less taskbars and docks) of the screen `widget` is on."""
    screen = widget.screen() if widget is not None else None
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def room(widget: QWidget | None = None) -> QSize:
    """The largest size a window can have there, its frame and title bar left room."""
    area = available(widget)
    return QSize(area.width() - FRAME_ROOM[0], area.height() - FRAME_ROOM[1])


def first_size(widget: QWidget, width: int, height: int, *, share: float = 1.0) -> QSize:
    """`width`×`height`, or `share` of the room on the screen where that is smaller."""
    most = room(widget)
    return QSize(
        min(width, int(most.width() * share)),
        min(height, int(most.height() * share)),
    )


def centre(widget: QWidget) -> None:
    """Put a window in the middle of its screen's available area, frame and all (a
    window's position is its frame's top-left corner)."""
    area = available(widget)
    size = widget.geometry().size()
    spare_width = area.width() - size.width() - FRAME_ROOM[0]
    spare_height = area.height() - size.height() - FRAME_ROOM[1]
    widget.move(area.left() + max(spare_width // 2, 0), area.top() + max(spare_height // 2, 0))


def size_window(widget: QWidget, width: int, height: int, *, share: float = 1.0) -> None:
    """A top-level window's first size, in the middle of the screen."""
    widget.resize(first_size(widget, width, height, share=share))
    centre(widget)


def size_dialog(dialog: QWidget, width: int | None = None, height: int | None = None) -> None:
    """A dialog's size: `width`×`height` (its size hint where None), within the room on
    its screen. Qt centres it over its parent when it is shown."""
    hint = dialog.sizeHint()
    wanted = QSize(width or hint.width(), height or hint.height())
    dialog.resize(wanted.boundedTo(room(dialog)).expandedTo(dialog.minimumSizeHint()))


def restore_geometry(widget: QWidget, saved: object) -> bool:
    """Restore a window's saved geometry if it fits a screen it lands on; False (and the
    window as it was) when there is none, or it belongs to a screen no longer there or
    larger than this one."""
    if not isinstance(saved, QByteArray | bytes) or not saved:
        return False
    before = widget.saveGeometry()
    if not widget.restoreGeometry(QByteArray(saved)):
        return False
    if widget.isMaximized() or widget.isFullScreen():
        return True
    wanted = widget.geometry()
    for screen in QGuiApplication.screens():
        area = screen.availableGeometry()
        most = QSize(area.width() - FRAME_ROOM[0], area.height() - FRAME_ROOM[1])
        if area.contains(wanted) and wanted.width() <= most.width():
            if wanted.height() <= most.height():
                return True
    widget.restoreGeometry(before)
    return False


def scrolling(content: QWidget, parent: QWidget | None = None) -> VerticalScroll:
    """`content` in a frameless area that scrolls up and down only where the window is
    too short to show it all; it is always as wide as the content needs."""
    area = VerticalScroll(parent)
    area.setWidget(content)
    return area


class VerticalScroll(QScrollArea):
    """Asks for the whole height of its content, and settles for a few lines of it."""

    #: The least height it shrinks to, in lines of text.
    LEAST_LINES = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        from PySide6.QtCore import Qt  # naming Qt builds its namespace: not at start-up

        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def setWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt's name
        super().setWidget(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the content's wanted size changed: so does ours
        return super().eventFilter(watched, event)

    def _bar(self) -> int:
        return self.verticalScrollBar().sizeHint().width()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()  # wrapped text needs another height at another width

    def _content_height(self, content: QWidget) -> int:
        """The content's height at the width it has here (wrapped text grows taller)."""
        if content.hasHeightForWidth():
            width = self.viewport().width() if self.isVisible() else content.sizeHint().width()
            return max(content.heightForWidth(width), content.minimumSizeHint().height())
        return content.sizeHint().expandedTo(content.minimumSizeHint()).height()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        content = self.widget()
        if content is None:
            return super().sizeHint()
        width = content.sizeHint().expandedTo(content.minimumSizeHint()).width()
        return QSize(width + self._bar(), self._content_height(content))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        content = self.widget()
        if content is None:
            return super().minimumSizeHint()
        lines = self.fontMetrics().lineSpacing() * self.LEAST_LINES
        least = content.minimumSizeHint().width() + self._bar()
        return QSize(least, min(self._content_height(content), lines))
