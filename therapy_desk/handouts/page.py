"""The page around every handout: frame, footer with "page x of y" and the date.

One PDF may hold several clients (the admin's batch). A zero-size `PacketMark`
starts each client's packet; the canvas remembers which packet every page
belongs to and, once all pages are laid out, writes each footer with that
packet's own page count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from therapy_desk import words
from therapy_desk.handouts.styles import LARGE_PRINT_MIN_PT, REGULAR, Look, look

#: Height kept free at the foot of every page for the footer.
FOOTER_ZONE = LARGE_PRINT_MIN_PT * 2.2


def long_date(day: date) -> str:
    """ "3 December 2026": the handouts' date (words.long_day, kept under this name)."""
    return words.long_day(day)


@dataclass(frozen=True)
class Footer:
    name: str
    printed_on: date
    large: bool


@dataclass
class PageCounts:
    """Filled in when the PDF is saved: pages per packet, in packet order."""

    pages: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.pages.values())


class PacketMark(Flowable):
    """Marks the start of one client's packet; draws nothing."""

    def __init__(self, index: int, footer: Footer, on_start: Callable[[int], None] | None):
        super().__init__()
        self.index = index
        self.footer = footer
        self.on_start = on_start

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._packet = (self.index, self.footer)  # type: ignore[attr-defined]
        if self.on_start is not None:
            self.on_start(self.index)


def fit_text(text: str, width: float, size: float) -> str:
    """The text, shortened with an ellipsis to fit `width` points."""
    if stringWidth(text, REGULAR, size) <= width:
        return text
    while text and stringWidth(text + "…", REGULAR, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


class PagedCanvas(Canvas):
    """Holds pages back until the end so each footer can say "page x of y"."""

    def __init__(self, *args: Any, counts: PageCounts, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[dict[str, Any]] = []
        self._packet: tuple[int, Footer] | None = None
        self._counts = counts

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._held.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # ReportLab's own page reset

    def save(self) -> None:
        held = self._held
        per_packet = Counter(state["_packet"][0] for state in held if state["_packet"])
        seen: Counter[int] = Counter()
        for state in held:
            self.__dict__.update(state)
            if state["_packet"] is not None:
                index, footer = state["_packet"]
                seen[index] += 1
                self._footer(footer, seen[index], per_packet[index])
            Canvas.showPage(self)
        self._counts.pages = dict(per_packet)
        Canvas.save(self)

    def _footer(self, footer: Footer, page: int, pages: int) -> None:
        self.saveState()
        draw_footer(self, footer, page, pages)
        self.restoreState()


class HandoutDocument(BaseDocTemplate):
    """A4 pages with one frame above the footer zone."""

    def __init__(self, target: Any, *, title: str, author: str, counts: PageCounts) -> None:
        style: Look = look(False)
        width, height = style.page
        margin = style.margin
        super().__init__(
            target,
            pagesize=style.page,
            leftMargin=margin,
            rightMargin=margin,
            topMargin=margin,
            bottomMargin=margin,
            title=title,
            author=author,
            creator="Therapy Desk",
            subject="Client handout",
        )
        frame = Frame(
            margin,
            margin + FOOTER_ZONE,
            width - 2 * margin,
            height - 2 * margin - FOOTER_ZONE,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self._counts = counts

    def canvas(self, *args: Any, **kwargs: Any) -> PagedCanvas:
        return PagedCanvas(*args, counts=self._counts, **kwargs)


def draw_footer(canvas: Canvas, footer: Footer, page: int, pages: int) -> None:
    """A rule, the client's name, page x of y and the print date at the foot of a page."""
    style = look(footer.large)
    size = style.footer_pt
    width = style.frame_width
    left = style.margin
    baseline = style.margin + size * 0.2
    right_text = f"Printed {long_date(footer.printed_on)}  ·  Page {page} of {pages}"
    if footer.large:
        right_text = f"Page {page} of {pages}  ·  {words.day(footer.printed_on)}"
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(style.rule / 2)
    canvas.line(left, baseline + size * 1.3, left + width, baseline + size * 1.3)
    canvas.setFillColor(colors.black)
    canvas.setFont(REGULAR, size)
    right_width = stringWidth(right_text, REGULAR, size)
    canvas.drawRightString(left + width, baseline, right_text)
    room = width - right_width - size * 1.5
    if room > size * 3:
        canvas.drawString(left, baseline, fit_text(footer.name, room, size))
