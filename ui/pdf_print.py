"""Prints finished PDF bytes through the system print dialog.

"Print to file" as PDF writes the bytes themselves (vector, exactly as built).
A real printer gets each page rasterised by pdfium at the printer's resolution,
at most 300 dpi, filling the paper as the PDF's own margins lay it out. Copies
and collation are left to Qt and the print system.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QProgressDialog, QWidget

from therapy_desk.files import OutputRefused, staged_file
from ui.errors import sentence, warn
from ui.widgets.pdf_pages import render_page

#: Raster resolution cap: an A4 page at 300 dpi is about 35 MB in memory.
MAX_DPI = 300

#: Told after each page: (pages sent, pages to send); returning False cancels.
Progress = Callable[[int, int], bool]


def print_pdf(data: bytes, parent: QWidget, *, title: str, protect: Sequence[Path] = ()) -> bool:
    """Ask where and how to print, then print; False if the user cancelled. Printing to
    a file never writes over the `protect` files (the open database)."""
    document = pdfium.PdfDocument(data)
    try:
        count = len(document)
        width, height = document.get_page_size(0) if count else (595.0, 842.0)
    finally:
        document.close()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    printer.setFullPage(True)
    # Offer the paper the document was laid out for (A4 unless told otherwise).
    printer.setPageSize(QPageSize(QSizeF(width, height), QPageSize.Unit.Point))
    if width > height:
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.setMinMax(1, max(count, 1))
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False

    bar = QProgressDialog(f"Printing {title}…", "&Cancel", 0, count, parent)
    bar.setWindowTitle(title)
    bar.setWindowModality(Qt.WindowModality.WindowModal)
    bar.setMinimumDuration(500)

    def progress(done: int, total: int) -> bool:
        bar.setMaximum(total)
        bar.setValue(done)  # a modal progress dialog processes events here
        return not bar.wasCanceled()

    try:
        return send_to_printer(data, printer, progress=progress, protect=protect)
    except OutputRefused as refused:
        warn(parent, title, "Not printed to the file", sentence(str(refused)))
        return False
    except OSError as problem:
        where = problem.filename or printer.outputFileName() or "the printer"
        warn(
            parent,
            title,
            "Not printed",
            f"{where} could not be opened ({problem.strerror or 'the system refused'}).",
        )
        return False
    finally:
        bar.close()
        bar.deleteLater()


def send_to_printer(
    data: bytes,
    printer: QPrinter,
    *,
    progress: Progress | None = None,
    protect: Sequence[Path] = (),
) -> bool:
    """Send the pages the printer was set up for; False if `progress` cancelled.

    Raises OSError when the printer (or the file) cannot be opened, OutputRefused when
    the file is one of `protect`.
    """
    printer.setFullPage(True)
    document = pdfium.PdfDocument(data)
    try:
        pages = pages_to_print(printer, len(document))
        file_name = printer.outputFileName()
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and file_name:
            _write_file(data, document, pages, Path(file_name), protect=protect)
            if progress is not None:
                progress(len(pages), len(pages))
            return True
        return paint_pages(document, printer, pages=pages, progress=progress)
    finally:
        document.close()


def pages_to_print(printer: QPrinter, count: int) -> list[int]:
    """0-based page indexes in printing order: the chosen range (all when none) and order."""
    ranges = printer.pageRanges()  # Qt 6: what setFromTo() and the dialog's range set
    pages = [i for i in range(count) if ranges.isEmpty() or ranges.contains(i + 1)]
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        pages.reverse()
    return pages


def paint_pages(
    document: pdfium.PdfDocument,
    device: QPagedPaintDevice,
    *,
    pages: Sequence[int] | None = None,
    progress: Progress | None = None,
    max_dpi: int = MAX_DPI,
) -> bool:
    """Rasterise pages onto any paged device (a QPrinter, a QPdfWriter), one per sheet.

    Each page is scaled to fit the device's paint rectangle keeping its shape,
    centred; in full-page mode that is the whole sheet, so the PDF's own margins
    are kept. Returns False if `progress` cancelled.
    """
    order = list(range(len(document))) if pages is None else list(pages)
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("The printer could not start the print job.")
    try:
        resolution = device.logicalDpiX()  # QPrinter and QPdfWriter: their resolution()
        area = device.pageLayout().paintRectPixels(resolution)
        target = QRectF(QPointF(0, 0), QSizeF(area.size()))
        render_dpi = min(resolution, max_dpi)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        for done, index in enumerate(order, start=1):
            if done > 1:
                device.newPage()
            width, height = document.get_page_size(index)
            scale = min(target.width() / width, target.height() / height)
            sheet = QRectF(0, 0, width * scale, height * scale)
            sheet.moveCenter(target.center())
            pixels = round(sheet.width() * render_dpi / resolution)
            image = render_page(document, index, pixels, printing=True)
            painter.drawImage(sheet, image)
            del image  # one page in memory at a time
            if progress is not None and not progress(done, len(order)):
                if isinstance(device, QPrinter):
                    device.abort()
                return False
        return True
    finally:
        painter.end()


def _write_file(
    data: bytes,
    document: pdfium.PdfDocument,
    pages: list[int],
    path: Path,
    *,
    protect: Sequence[Path],
) -> None:
    """The bytes as they are; for a chosen range, those pages copied without re-rendering.
    All of the file or none of it; the print dialog has asked before replacing one."""
    with staged_file(path, replace=True, protect=protect) as partial:
        if pages == list(range(len(document))):
            partial.write_bytes(data)
            return
        part = pdfium.PdfDocument.new()
        try:
            part.import_pages(document, pages)
            part.save(str(partial))
        finally:
            part.close()
