"""Handout PDFs shown as pages and sent to a printer, from small PDFs drawn here."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPdfWriter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from ui.pdf_print import pages_to_print, paint_pages, print_pdf, send_to_printer
from ui.theme import dark_palette, high_contrast_palette, light_palette
from ui.widgets.pdf_pages import PageSheet, PdfPagesView, _backdrop, render_page

#: The black box on every page, in points from the bottom-left: x, y, width, height.
BOX = (100.0, 100.0, 200.0, 100.0)


def handout(pages: int = 3) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number in range(1, pages + 1):
        pdf.setFont("Helvetica-Bold", 72)
        pdf.drawString(72, 600, f"Page {number}")
        pdf.rect(*BOX, stroke=0, fill=1)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def is_dark(image: QImage, x: float, y: float) -> bool:
    return QColor(image.pixelColor(round(x), round(y))).lightness() < 60


def dark_pixels(image: QImage) -> int:
    return sum(
        is_dark(image, x, y)
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
    )


def shown_view(qtbot: QtBot, data: bytes | None) -> PdfPagesView:
    view = PdfPagesView()
    qtbot.addWidget(view)
    view.resize(420, 520)
    view.set_pdf(data)
    view.show()
    qtbot.waitExposed(view)
    return view


def sheets(view: PdfPagesView) -> list[PageSheet]:
    return [s for s in view.findChildren(PageSheet) if s.isVisibleTo(view)]


# -- render_page -----------------------------------------------------------


def test_render_page_has_the_width_asked_and_the_box_where_it_was_drawn() -> None:
    document = pdfium.PdfDocument(handout())
    image = render_page(document, 1, 300)
    document.close()  # the image owns its pixels: still readable afterwards
    page_width, page_height = A4
    scale = 300 / page_width
    assert image.width() == 300
    assert image.height() == round(page_height * scale)
    x, y, w, h = BOX
    centre_x = (x + w / 2) * scale
    centre_y = (page_height - y - h / 2) * scale
    assert is_dark(image, centre_x, centre_y)
    assert image.pixelColor(2, 2) == QColor("white")
    assert image.pixelColor(round(centre_x), round((page_height - y + 20) * scale)) == QColor(
        "white"
    )


# -- PdfPagesView ----------------------------------------------------------


def test_view_shows_each_page_with_a_name(qtbot: QtBot) -> None:
    view = shown_view(qtbot, handout())
    assert view.page_count() == 3
    assert [s.accessibleName() for s in sheets(view)] == [
        "Page 1 of 3",
        "Page 2 of 3",
        "Page 3 of 3",
    ]
    assert view.current_page() == 1
    first = sheets(view)[0]
    qtbot.waitUntil(lambda: first.image is not None)
    assert dark_pixels(first.grab().toImage()) > 50  # the heading and the box


def test_pages_wait_as_white_sheets_until_rendered(qtbot: QtBot) -> None:
    view = PdfPagesView()
    qtbot.addWidget(view)
    view.resize(420, 520)
    view.set_pdf(handout())
    first = sheets(view)[0]
    assert first.image is None
    blank = first.grab().toImage()
    inside = blank.copy(first.sheet().adjusted(2, 2, -2, -2))
    assert dark_pixels(inside) == 0


def test_go_to_page_scrolls_and_says_which_page(qtbot: QtBot) -> None:
    view = shown_view(qtbot, handout())
    with qtbot.waitSignal(view.page_changed) as changed:
        view.go_to_page(3)
    assert changed.args == [3]
    assert view.current_page() == 3
    last = sheets(view)[2]
    assert last.visibleRegion().boundingRect().top() == 0


def test_keys_move_by_page(qtbot: QtBot) -> None:
    view = shown_view(qtbot, handout())
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.current_page() == 3
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.current_page() == 1
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.current_page() == 2
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert view.current_page() == 1


def test_end_reaches_a_last_page_too_short_to_scroll_to_the_top(qtbot: QtBot) -> None:
    view = shown_view(qtbot, handout())
    view.set_zoom(0.5)
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.current_page() == 3
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert view.current_page() == 2


def test_zoom_keys_and_limits(qtbot: QtBot) -> None:
    view = shown_view(qtbot, handout())
    fitted = sheets(view)[0].width()
    qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == 1.25
    assert sheets(view)[0].width() > fitted
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == 0.8
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom() == 1.0
    assert sheets(view)[0].width() == fitted
    view.set_zoom(10)
    assert view.zoom() == 3.0
    view.set_zoom(0.1)
    assert view.zoom() == 0.5


def test_zoom_keeps_the_page_being_read(qtbot: QtBot) -> None:
    view = shown_view(qtbot, handout())
    view.go_to_page(2)
    view.set_zoom(2.0)
    assert view.current_page() == 2
    across = view.horizontalScrollBar()
    assert abs(across.value() - across.maximum() / 2) <= 2  # still the middle of the page
    view.set_zoom(1.0)
    assert view.current_page() == 2


def test_a_long_batch_renders_only_the_pages_in_view(qtbot: QtBot) -> None:
    view = shown_view(qtbot, handout(40))
    pages = sheets(view)
    assert len(pages) == 40
    qtbot.waitUntil(lambda: pages[0].image is not None)
    assert pages[39].image is None
    view.go_to_page(40)
    qtbot.waitUntil(lambda: pages[39].image is not None)
    assert pages[0].image is None


def test_clearing_empties_the_view(qtbot: QtBot) -> None:
    view = shown_view(qtbot, handout())
    with qtbot.waitSignal(view.page_changed) as changed:
        view.set_pdf(None)
    assert changed.args == [0]
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert view.page_count() == 0
    assert view.current_page() == 0
    assert view.findChildren(PageSheet) == []
    view.set_pdf(b"")
    assert view.page_count() == 0
    view.set_pdf(handout(2))
    assert view.page_count() == 2 and view.current_page() == 1


def test_bytes_that_are_not_a_pdf_leave_the_view_as_it_was(qtbot: QtBot) -> None:
    view = shown_view(qtbot, handout())
    with pytest.raises(pdfium.PdfiumError):
        view.set_pdf(b"not a pdf")
    assert view.page_count() == 3


def test_view_has_an_a4_size_hint(qtbot: QtBot) -> None:
    view = PdfPagesView()
    qtbot.addWidget(view)
    hint = view.sizeHint()
    assert hint.width() == 560
    assert abs(hint.height() / hint.width() - A4[1] / A4[0]) < 0.01


@pytest.mark.parametrize("palette", [light_palette, dark_palette, high_contrast_palette])
def test_pages_stand_out_from_the_backdrop_in_every_theme(palette) -> None:  # type: ignore[no-untyped-def]
    assert _backdrop(palette()).lightness() < 215


# -- printing --------------------------------------------------------------


def file_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_print_to_file_writes_the_pdf_itself(tmp_path: Path) -> None:
    data = handout()
    path = tmp_path / "out.pdf"
    assert send_to_printer(data, file_printer(path))
    assert path.read_bytes() == data


def test_print_to_file_of_a_range_keeps_the_text(tmp_path: Path) -> None:
    path = tmp_path / "out.pdf"
    printer = file_printer(path)
    printer.setFromTo(2, 3)
    assert send_to_printer(handout(), printer)
    reader = PdfReader(path)
    assert [page.extract_text().strip() for page in reader.pages] == ["Page 2", "Page 3"]


def test_pages_to_print_follows_range_and_order() -> None:
    printer = QPrinter()
    assert pages_to_print(printer, 4) == [0, 1, 2, 3]
    printer.setFromTo(2, 3)
    assert pages_to_print(printer, 4) == [1, 2]
    printer.setPageOrder(QPrinter.PageOrder.LastPageFirst)
    assert pages_to_print(printer, 4) == [2, 1]


def pdf_writer(path: Path) -> QPdfWriter:
    """A PDF file standing in for a printer: the same paged device API, A4, no margins."""
    writer = QPdfWriter(str(path))
    writer.setResolution(72)
    layout = writer.pageLayout()
    layout.setMode(QPageLayout.Mode.FullPageMode)
    writer.setPageLayout(layout)
    return writer


def test_raster_pages_fill_a_paged_device(tmp_path: Path) -> None:
    path = tmp_path / "raster.pdf"
    writer = pdf_writer(path)
    document = pdfium.PdfDocument(handout())
    seen: list[tuple[int, int]] = []

    def note(done: int, total: int) -> bool:
        seen.append((done, total))
        return True

    assert paint_pages(document, writer, progress=note)
    del writer
    assert seen == [(1, 3), (2, 3), (3, 3)]
    reader = PdfReader(path)
    assert len(reader.pages) == 3
    for page in reader.pages:
        assert len(page.images) == 1  # a picture of the page, not its text
        assert page.extract_text().strip() == ""
    # The picture fills the sheet, so the box is where it was drawn.
    printed = render_page(pdfium.PdfDocument(path.read_bytes()), 0, 300)
    scale = 300 / A4[0]
    x, y, w, h = BOX
    assert is_dark(printed, (x + w / 2) * scale, (A4[1] - y - h / 2) * scale)


def test_cancelling_stops_after_the_page_in_hand(tmp_path: Path) -> None:
    path = tmp_path / "cancelled.pdf"
    writer = pdf_writer(path)
    calls: list[int] = []

    def cancel(done: int, total: int) -> bool:
        calls.append(done)
        return False

    assert not paint_pages(pdfium.PdfDocument(handout()), writer, progress=cancel)
    del writer
    assert calls == [1]
    assert len(PdfReader(path).pages) == 1


def test_print_pdf_cancelled_in_the_dialog(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QPrintDialog.DialogCode.Rejected)
    assert not print_pdf(handout(), parent, title="Print handout")


def test_print_pdf_to_file(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    path = tmp_path / "handout.pdf"
    asked: list[tuple[str, str, QPageSize.PageSizeId]] = []

    def choose_file(dialog: QPrintDialog) -> QPrintDialog.DialogCode:
        printer = dialog.printer()
        asked.append(
            (dialog.windowTitle(), printer.docName(), printer.pageLayout().pageSize().id())
        )
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", choose_file)
    data = handout()
    assert print_pdf(data, parent, title="Print handout — Zoë")
    title = "Print handout — Zoë"
    assert asked == [(title, title, QPageSize.PageSizeId.A4)]
    assert path.read_bytes() == data
