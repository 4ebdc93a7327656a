"""Shows finished PDF bytes as a scrolling column of pages, like a print preview.

Qt's own PDF module is not in PySide6-Essentials, so pypdfium2 rasterises the
pages. Only pages near the viewport are rendered; the others are white
placeholders of the right size, so a 40-page batch opens at once. `render_page`
is reusable wherever a page is wanted as a picture (printing uses it too).
"""

from __future__ import annotations

import ctypes
from bisect import bisect_right

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QScrollArea, QWidget

#: Zoom steps for Ctrl++ / Ctrl+- and Ctrl+wheel; 1.0 fits the page width to the view.
ZOOM_STEPS = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0)
MIN_ZOOM = ZOOM_STEPS[0]
MAX_ZOOM = ZOOM_STEPS[-1]
#: Grey space around and between pages, in device-independent pixels.
GAP = 16
#: Width of the drop shadow on the right and bottom of each page.
SHADOW = 3
#: Pause after a resize or zoom before pages are rendered again at the new size.
RENDER_DELAY_MS = 60

# pdfium's BGRx bytes are Qt's RGB32 (0xffRRGGBB) on a little-endian machine,
# which every platform the app ships for is.
_BITMAP_FORMAT = QImage.Format.Format_RGB32


def render_page(
    document: pdfium.PdfDocument, index: int, width_px: int, *, printing: bool = False
) -> QImage:
    """Page `index` (0-based) as an image `width_px` wide, height by its aspect, on white.

    pdfium draws straight into the QImage's own buffer, so the image owns its
    memory and outlives the pdfium bitmap and page. `printing` renders as for
    paper (annotations marked print-only show, screen-only ones do not).
    """
    page = document[index]
    try:
        page_width, page_height = page.get_size()
        width = max(int(width_px), 1)
        height = max(round(width * page_height / page_width), 1)
        flags = pdfium_c.FPDF_ANNOT | (pdfium_c.FPDF_PRINTING if printing else 0)
        return _render(page, width, height, flags)
    finally:
        page.close()


def _render(page: pdfium.PdfPage, width: int, height: int, flags: int) -> QImage:
    image = QImage(width, height, _BITMAP_FORMAT)
    image.fill(QColor("white"))
    buffer = (ctypes.c_ubyte * image.sizeInBytes()).from_buffer(image.bits())
    bitmap = pdfium.PdfBitmap.new_native(
        width, height, pdfium_c.FPDFBitmap_BGRx, buffer=buffer, stride=image.bytesPerLine()
    )
    try:
        pdfium_c.FPDF_RenderPageBitmap(bitmap, page, 0, 0, width, height, 0, flags)
    finally:
        bitmap.close()  # only the pdfium shell: the pixels belong to the QImage
    del buffer
    return image


def _backdrop(palette: QPalette) -> QColor:
    """Mid grey behind the pages; the window colour where the theme makes Mid near
    white (high contrast: black), so the white sheets always stand out."""
    roles = QPalette.ColorRole
    for role in (roles.Mid, roles.Window, roles.Dark, roles.Shadow):
        colour = palette.color(role)
        if colour.lightness() < 215:
            return colour
    return QColor("#808080")


class PageSheet(QWidget):
    """One page: its image once rendered, until then a white sheet; with border and shadow."""

    def __init__(self, parent: QWidget, number: int, count: int) -> None:
        super().__init__(parent)
        self.number = number
        self.image: QImage | None = None
        self.setAccessibleName(f"Page {number} of {count}")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)

    def sheet(self) -> QRect:
        return self.rect().adjusted(0, 0, -SHADOW, -SHADOW)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        try:
            sheet = self.sheet()
            shadow = QColor(self.palette().color(QPalette.ColorRole.Shadow))
            shadow.setAlpha(90)
            painter.fillRect(sheet.translated(SHADOW, SHADOW), shadow)
            painter.fillRect(sheet, QColor("white"))
            if self.image is not None:
                # A stale image (mid zoom) is stretched until the new one arrives.
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
                painter.drawImage(sheet, self.image)
            painter.setPen(self.palette().color(QPalette.ColorRole.Shadow))
            painter.drawRect(sheet.adjusted(0, 0, -1, -1))
        finally:
            painter.end()


class _Column(QWidget):
    """The scrolled widget: paints the grey backdrop the pages sit on."""

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        try:
            painter.fillRect(event.rect(), _backdrop(self.palette()))
        finally:
            painter.end()


class PdfPagesView(QScrollArea):
    """A scrolling column of page images, like a print preview.

    PageUp/PageDown/Home/End move by page; Ctrl++, Ctrl+- and Ctrl+0 (or
    Ctrl+wheel) zoom. `page_changed` carries the 1-based current page, or 0 when
    the view is cleared.
    """

    page_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(False)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Keys act on the view, so show when it has them: the theme's focus colour.
        self.setStyleSheet(
            "QScrollArea { border: 2px solid transparent; }"
            "QScrollArea:focus { border-color: palette(highlight); }"
        )
        self.setAccessibleName("Page preview")
        self.setAccessibleDescription(
            "Page Up and Page Down move by page; Control plus and minus zoom."
        )
        self._column = _Column()
        self.setWidget(self._column)
        self._sizes: list[tuple[float, float]] = []  # page sizes in points
        self._pages: list[PageSheet] = []
        self._tops: list[int] = []  # y of each page's sheet in the column
        self._zoom = 1.0
        self._current = 0
        self._pinned: tuple[int, int] | None = None  # (page, scroll value) from go_to_page
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RENDER_DELAY_MS)
        self._timer.timeout.connect(self._render_near)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        # The open document lives in a holder so it is closed even if the widget
        # dies while showing it: the slot must not touch self, gone by then.
        holder: list[pdfium.PdfDocument | None] = [None]
        self._holder = holder
        self.destroyed.connect(lambda: _close(holder))

    # -- public API ---------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(560, 792)  # A4 proportions

    def set_pdf(self, data: bytes | None) -> None:
        """Show these PDF bytes from page 1; None or b"" clears the view.

        Bytes pdfium cannot read raise `pypdfium2.PdfiumError`, and the view keeps
        what it showed.
        """
        document = pdfium.PdfDocument(data) if data else None
        self._clear()
        if document is not None:
            self._holder[0] = document
            count = len(document)
            self._sizes = [document.get_page_size(i) for i in range(count)]
            self._pages = [PageSheet(self._column, n + 1, count) for n in range(count)]
            for page in self._pages:
                page.show()
        self._relayout()
        self.verticalScrollBar().setValue(0)
        self.horizontalScrollBar().setValue(0)
        self._scrolled()
        self._timer.start(0)

    def page_count(self) -> int:
        return len(self._pages)

    def zoom(self) -> float:
        return self._zoom

    def set_zoom(self, zoom: float) -> None:
        """1.0 fits the page width to the view; clamped to 0.5–3.0. Keeps the reading place."""
        zoom = min(max(float(zoom), MIN_ZOOM), MAX_ZOOM)
        if zoom == self._zoom:
            return
        across = self.horizontalScrollBar()
        middle = (across.value() + self.viewport().width() / 2) / max(self._column.width(), 1)
        self._zoom = zoom
        self._relayout_keeping_place()
        across.setValue(round(middle * self._column.width() - self.viewport().width() / 2))
        self._timer.start()

    def current_page(self) -> int:
        """The 1-based page whose top is nearest the top of the view; 0 when empty."""
        if not self._pages:
            return 0
        value = self.verticalScrollBar().value()
        if self._pinned is not None and self._pinned[1] == value:
            # go_to_page asked for a page near the end that cannot scroll to the top.
            return self._pinned[0]
        top = value + GAP
        after = bisect_right(self._tops, top)
        candidates = [i for i in (after - 1, after) if 0 <= i < len(self._tops)]
        return min(candidates, key=lambda i: abs(self._tops[i] - top)) + 1

    def go_to_page(self, number: int) -> None:
        """Scroll so page `number` (1-based, clamped) is at the top of the view."""
        if not self._pages:
            return
        number = min(max(number, 1), len(self._pages))
        bar = self.verticalScrollBar()
        value = self._tops[number - 1] - GAP
        self._pinned = (number, min(max(value, bar.minimum()), bar.maximum()))
        bar.setValue(value)
        self._scrolled()

    # -- events -------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if ctrl and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self._step_zoom(+1)
        elif ctrl and key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self._step_zoom(-1)
        elif ctrl and key == Qt.Key.Key_0:
            self.set_zoom(1.0)
        elif key == Qt.Key.Key_PageDown:
            self.go_to_page(self.current_page() + 1)
        elif key == Qt.Key.Key_PageUp:
            self.go_to_page(self.current_page() - 1)
        elif key == Qt.Key.Key_Home:
            self.go_to_page(1)
        elif key == Qt.Key.Key_End:
            self.go_to_page(self.page_count())
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y()
            if steps:
                self._step_zoom(1 if steps > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._relayout_keeping_place()
        if self._pages:
            self._timer.start()  # restarted on every resize step: renders once it settles

    # -- internals ----------------------------------------------------------

    def _step_zoom(self, direction: int) -> None:
        if direction > 0:
            larger = [z for z in ZOOM_STEPS if z > self._zoom + 1e-6]
            self.set_zoom(larger[0] if larger else MAX_ZOOM)
        else:
            smaller = [z for z in ZOOM_STEPS if z < self._zoom - 1e-6]
            self.set_zoom(smaller[-1] if smaller else MIN_ZOOM)

    def _scale(self) -> float:
        """Pixels per PDF point: the widest page fits the view at zoom 1.0."""
        widest = max((w for w, _ in self._sizes), default=1.0)
        available = max(self.viewport().width() - 2 * GAP - SHADOW, 100)
        return available * self._zoom / widest

    def _relayout_keeping_place(self) -> None:
        """Lay out again with the same page, at the same fraction of it, at the top."""
        if not self._pages:
            self._relayout()
            return
        if self._pinned is not None:
            number = self._pinned[0]
            self._relayout()
            self.go_to_page(number)
            return
        index = self.current_page() - 1
        bar = self.verticalScrollBar()
        height = max(self._pages[index].sheet().height(), 1)
        fraction = (bar.value() + GAP - self._tops[index]) / height
        self._relayout()
        height = self._pages[index].sheet().height()
        bar.setValue(round(self._tops[index] + fraction * height - GAP))

    def _relayout(self) -> None:
        scale = self._scale()
        width = self.viewport().width()
        y = GAP
        self._tops = []
        for page, (w, h) in zip(self._pages, self._sizes, strict=True):
            size = QSize(max(round(w * scale), 1), max(round(h * scale), 1))
            width = max(width, size.width() + 2 * GAP + SHADOW)
            self._tops.append(y)
            page.resize(size.width() + SHADOW, size.height() + SHADOW)
            y += size.height() + GAP
        for page in self._pages:
            page.move((width - page.width()) // 2, self._tops[page.number - 1])
        self._column.resize(width, max(y, self.viewport().height()))

    def _scrolled(self) -> None:
        if self._pinned is not None and self._pinned[1] != self.verticalScrollBar().value():
            self._pinned = None
        current = self.current_page()
        if current != self._current:
            self._current = current
            self.page_changed.emit(current)
        if self._pages and not self._timer.isActive():
            self._timer.start()  # not restarted while scrolling: renders as pages arrive

    def _near(self) -> range:
        """Indexes of pages within one view height above or below what is visible."""
        if not self._pages:
            return range(0)
        height = self.viewport().height()
        top = self.verticalScrollBar().value() - height
        bottom = self.verticalScrollBar().value() + 2 * height
        first = max(bisect_right(self._tops, top) - 1, 0)
        last = bisect_right(self._tops, bottom)
        return range(first, min(last, len(self._pages)))

    def _render_near(self) -> None:
        self._timer.setInterval(RENDER_DELAY_MS)  # set_pdf asks for its first pages at once
        document = self._holder[0]
        if document is None:
            return
        near = self._near()
        ratio = self.devicePixelRatioF()
        for index, page in enumerate(self._pages):
            if index not in near:
                page.image = None  # bounds memory on a long batch at high zoom
                continue
            width = round(page.sheet().width() * ratio)
            if page.image is None or page.image.width() != width:
                image = render_page(document, index, width)
                image.setDevicePixelRatio(ratio)
                page.image = image
                page.update()

    def _clear(self) -> None:
        self._timer.stop()
        for page in self._pages:
            page.deleteLater()
            page.hide()
        self._pages = []
        self._sizes = []
        self._tops = []
        self._pinned = None
        _close(self._holder)
        if self._current:
            self._current = 0
            self.page_changed.emit(0)


def _close(holder: list[pdfium.PdfDocument | None]) -> None:
    document = holder[0]
    holder[0] = None
    if document is not None:
        document.close()
