"""The tick sheet's grid: exercise rows under heading rows, one empty box a day.

A Platypus Table of the same grid keeps a style for each of its hundreds of cells and
sizes and draws every one, empty boxes included. `TickGrid` knows its shape: it wraps
only the row labels, strokes one rule per row and column edge, and writes the headings
directly. It places everything where the Table it replaces did (ReportLab's default
cell padding and leading included), so the printed page is the same, and it runs on to
the next page between rows with its heading rows repeated, as a Table with `repeatRows`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from therapy_desk.handouts.styles import BOLD, Look

#: What a Platypus table cell keeps above and below its content unless told otherwise.
CELL_PADDING = 3.0
#: The line height a Platypus table gives a plain-string cell, whatever its font size.
CELL_LEADING = 12.0
#: The height a table offers what a cell holds while sizing its rows.
_UNLIMITED = 72000.0


@dataclass(frozen=True)
class Heading:
    """Words in a heading row, over columns `first` to `last`.

    In the label column (0) they are set left, after the label padding; over day
    columns, centred. A Flowable (a bold "Week 1") is placed as it wraps; a string is
    written in bold at the heading size. Day columns under one heading get no
    dividing lines in that row.
    """

    content: str | Flowable
    first: int
    last: int


class TickGrid(Flowable):
    """A label column and day columns of empty boxes, under one or more heading rows."""

    def __init__(
        self,
        heading_rows: Sequence[Sequence[Heading]],
        labels: Sequence[Flowable],
        widths: Sequence[float],
        look: Look,
        *,
        rule_after: int | None = None,
    ) -> None:
        super().__init__()
        self.heading_rows = tuple(tuple(row) for row in heading_rows)
        self.labels = tuple(labels)
        self.widths = tuple(widths)
        self.look = look
        #: A heavier line after this column (between two weeks side by side).
        self.rule_after = rule_after
        #: Row heights, heading rows first; worked out once (they do not depend on the page).
        self._heights: list[float] = []

    # --- size and splitting, as a Table with repeatRows would -------------------------

    def _pad(self) -> float:
        """Room around a label: enough to write a tick, whatever the hand (a one-line
        row of standard print is a little over 7 mm tall)."""
        return self.look.space(0.25 if self.look.large else 0.22)

    def _size(self) -> None:
        if self._heights:
            return
        pad = self._pad()
        heights: list[float] = []
        for row in self.heading_rows:
            height = CELL_LEADING + 2 * CELL_PADDING
            for cell in row:
                if isinstance(cell.content, Flowable):
                    tall = self._tall(cell.content, self._room(cell))
                    height = max(height, tall + 2 * CELL_PADDING)
            heights.append(height)
        for label in self.labels:
            heights.append(self._tall(label, self.widths[0] - pad) + 2 * pad)
        self._heights = heights

    def _tall(self, item: Flowable, width: float) -> float:
        """How tall `item` is at `width` (cells never limit the height of what they hold)."""
        canvas: Canvas | None = getattr(self, "canv", None)
        if canvas is None:
            return item.wrap(width, _UNLIMITED)[1]
        return item.wrapOn(canvas, width, _UNLIMITED)[1]

    def _room(self, cell: Heading) -> float:
        """The width a heading's flowable is set in."""
        width = sum(self.widths[cell.first : cell.last + 1])
        return width - self._pad() if cell.first == 0 else width

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._size()
        self.width = sum(self.widths)
        self.height = _edges(self._heights)[0]
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self._size()
        heads = len(self.heading_rows)
        used = sum(self._heights[:heads])
        fits = 0
        for height in self._heights[heads:]:
            if used + height > availHeight:
                break
            used += height
            fits += 1
        if fits == 0:  # never the headings alone at the foot of a page
            return []
        if fits == len(self.labels):
            return [self]
        return [self._part(self.labels[:fits]), self._part(self.labels[fits:])]

    def _part(self, labels: Sequence[Flowable]) -> TickGrid:
        return TickGrid(
            self.heading_rows, labels, self.widths, self.look, rule_after=self.rule_after
        )

    # --- drawing ----------------------------------------------------------------------

    def draw(self) -> None:
        self._size()
        canvas: Canvas = self.canv
        look = self.look
        xs = [0.0]
        for width in self.widths:
            xs.append(xs[-1] + width)
        tops = _edges(self._heights)
        heads = len(self.heading_rows)
        canvas.saveState()
        canvas.setFillColor(look.tint)
        canvas.rect(0, tops[0], xs[-1], tops[heads] - tops[0], stroke=0, fill=1)
        size = look.tick_head.fontSize
        canvas.setFont(BOLD, size)
        canvas.setFillColor(colors.black)
        for row, cells in enumerate(self.heading_rows):
            bottom, height = tops[row + 1], self._heights[row]
            for cell in cells:
                left, right = xs[cell.first], xs[cell.last + 1]
                if isinstance(cell.content, Flowable):
                    tall = self._tall(cell.content, self._room(cell))
                    x = left + (self._pad() if cell.first == 0 else 0)
                    cell.content.drawOn(canvas, x, bottom + (height - tall) / 2)
                    continue
                # Where a Platypus table sets a string in a middle-aligned cell.
                y = bottom + (height + CELL_LEADING) / 2 - size
                if cell.first == 0:
                    canvas.drawString(left + self._pad(), y, cell.content)
                else:
                    canvas.drawCentredString((left + right) / 2, y, cell.content)
        for number, label in enumerate(self.labels):
            bottom, height = tops[heads + number + 1], self._heights[heads + number]
            tall = self._tall(label, self.widths[0] - self._pad())
            label.drawOn(canvas, self._pad(), bottom + (height - tall) / 2)
        self._draw_lines(canvas, xs, tops)
        canvas.restoreState()

    def _draw_lines(self, canvas: Canvas, xs: list[float], tops: list[float]) -> None:
        """Each rule stroked on its own, as a Platypus table strokes its grid."""
        look = self.look
        canvas.setLineCap(1)
        canvas.setLineJoin(1)
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(look.rule / 2)
        for y in tops:
            canvas.line(xs[0], y, xs[-1], y)
        for column, x in enumerate(xs):
            # A column edge inside a heading's span starts below that heading row.
            top = tops[0]
            for row, cells in enumerate(self.heading_rows):
                if any(cell.first < column <= cell.last for cell in cells):
                    top = tops[row + 1]
            canvas.line(x, tops[-1], x, top)
        if self.rule_after is not None:
            x = xs[self.rule_after + 1]
            canvas.setLineWidth(look.rule * 2)
            canvas.line(x, tops[-1], x, tops[0])


def _edges(heights: Sequence[float]) -> list[float]:
    """Each row's top edge, then the bottom (0), measured up from the bottom.

    Summed from the bottom row up with compensated addition, as a Platypus table
    places its rows, so every line lands on the very same coordinate.
    """
    edges = [0.0]
    total = carry = 0.0
    for height in reversed(heights):
        step = height - carry
        moved = total + step
        carry = (moved - total) - step
        total = moved
        edges.append(total)
    edges.reverse()
    return edges
