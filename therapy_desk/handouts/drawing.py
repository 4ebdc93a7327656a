"""An exercise's start and finish pictures as a PDF drawing, stroked from the shared shapes.

Each exercise's drawing is written once per PDF as a form XObject named
`drawing-<key>-<w>x<h>` and placed wherever a card needs it, so a batch of a
hundred programmes carries each picture once — and a test can count drawings.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from therapy_desk.handouts.styles import REGULAR, Look
from therapy_desk.library.drawings import (
    BOX,
    STROKE,
    Arrow,
    Circle,
    ExerciseDrawing,
    Line,
    Picture,
    Polyline,
    Role,
    arrow_head,
)

#: Prefix of every drawing's form name (after ReportLab's own "FormXob.").
FORM_PREFIX = "drawing-"
#: A large-print picture smaller than this keeps the line weights it has at this size.
LARGE_THICK_SIDE = 45 * mm

_GREY = colors.Color(0.45, 0.45, 0.45)
_MOTION = colors.HexColor("#1b5fa6")
_WATER = colors.HexColor("#6f9cc9")


def _colour(role: Role, large: bool) -> colors.Color:
    if role is Role.BODY:
        return colors.black
    if role is Role.MOTION:
        return colors.black if large else _MOTION
    if role is Role.WATER:
        return _WATER
    return _GREY


def form_name(key: str, width: float, height: float) -> str:
    return f"{FORM_PREFIX}{key}-{round(width)}x{round(height)}"


def stroke_picture(
    canvas: Canvas,
    picture: Picture,
    x: float,
    y: float,
    side: float,
    *,
    large: bool,
    weight: float = 1.0,
) -> None:
    """Stroke a picture into the square whose lower-left corner is (x, y).

    `weight` thickens every line (large print's drawings sit beside 18 pt text).
    """
    scale = side / BOX

    def pt(px: float, py: float) -> tuple[float, float]:
        # Box units run y-down; PDF runs y-up.
        return x + px * scale, y + side - py * scale

    canvas.saveState()
    canvas.setLineCap(1)
    canvas.setLineJoin(1)
    for shape in picture.shapes:
        colour = _colour(shape.role, large)
        canvas.setStrokeColor(colour)
        canvas.setFillColor(colour)
        canvas.setLineWidth(max(STROKE[shape.role] * scale * weight, 0.6 * weight))
        if isinstance(shape, Line):
            canvas.line(*pt(shape.x1, shape.y1), *pt(shape.x2, shape.y2))
        elif isinstance(shape, Circle):
            cx, cy = pt(shape.cx, shape.cy)
            canvas.circle(cx, cy, shape.r * scale, stroke=1, fill=1 if shape.filled else 0)
        else:
            path = canvas.beginPath()
            path.moveTo(*pt(*shape.points[0]))
            for px, py in shape.points[1:]:
                path.lineTo(*pt(px, py))
            if isinstance(shape, Polyline) and shape.closed:
                path.close()
            canvas.drawPath(path, stroke=1, fill=0)
            if isinstance(shape, Arrow) and len(shape.points) > 1:
                left, tip, right = arrow_head(shape.points)
                head = canvas.beginPath()
                head.moveTo(*pt(*left))
                head.lineTo(*pt(*tip))
                head.lineTo(*pt(*right))
                canvas.drawPath(head, stroke=1, fill=0)
    canvas.restoreState()


#: The room between start and finish, one above the other, for the arrow down.
COLUMN_ARROW = 10 * mm


class ExerciseDrawingFlowable(Flowable):
    """Start and finish side by side, captioned, in a box `width` × `height`; in a
    `column`, start above finish with an arrow down between them."""

    def __init__(
        self,
        drawing: ExerciseDrawing,
        width: float,
        height: float,
        look: Look,
        *,
        column: bool = False,
    ):
        super().__init__()
        self.drawing = drawing
        self.width = width
        self.height = height
        self.look = look
        self.column = column

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas: Canvas = self.canv
        key = f"{self.drawing.key}-column" if self.column else self.drawing.key
        name = form_name(key, self.width, self.height)
        if not canvas.hasForm(name):
            canvas.beginForm(name, 0, 0, self.width, self.height)
            if self.column:
                self._paint_column(canvas)
            else:
                self._paint(canvas)
            canvas.endForm()
        canvas.doForm(name)

    def _weight(self, side: float) -> float:
        """Line weight: a large-print picture smaller than LARGE_THICK_SIDE keeps the
        lines it has at that size."""
        weight = self.look.stroke_weight
        if self.look.large and 0 < side < LARGE_THICK_SIDE:
            weight *= LARGE_THICK_SIDE / side
        return weight

    def _paint_column(self, canvas: Canvas) -> None:
        caption = self.look.caption
        caption_height = caption.leading
        side = min(self.width, (self.height - COLUMN_ARROW) / 2 - caption_height)
        x = (self.width - side) / 2
        weight = self._weight(side)
        pictures = ((self.drawing.start, "Start"), (self.drawing.end, "Finish"))
        for index, (picture, label) in enumerate(pictures):
            # The square's lower-left corner; its caption under it.
            top = self.height - side - index * (side + caption_height + COLUMN_ARROW)
            stroke_picture(canvas, picture, x, top, side, large=self.look.large, weight=weight)
            canvas.setFillColor(colors.black)
            canvas.setFont(REGULAR, caption.fontSize)
            canvas.drawCentredString(x + side / 2, top - caption.fontSize, label)
        # A plain arrow down from start to finish.
        mid_x = self.width / 2
        high = self.height - (side + caption_height) - COLUMN_ARROW * 0.15
        low = high - COLUMN_ARROW * 0.7
        canvas.setStrokeColor(_GREY)
        canvas.setLineWidth(1.2 * self.look.stroke_weight)
        canvas.line(mid_x, high, mid_x, low)
        canvas.line(mid_x, low, mid_x - 4, low + 5)
        canvas.line(mid_x, low, mid_x + 4, low + 5)

    def _paint(self, canvas: Canvas) -> None:
        caption = self.look.caption
        caption_height = caption.leading
        side = min(self.height - caption_height, (self.width - caption_height) / 2)
        gap = self.width - 2 * side
        top = self.height - side
        weight = self._weight(side)
        for index, (picture, label) in enumerate(
            ((self.drawing.start, "Start"), (self.drawing.end, "Finish"))
        ):
            x = index * (side + gap)
            stroke_picture(canvas, picture, x, top, side, large=self.look.large, weight=weight)
            canvas.setFillColor(colors.black)
            canvas.setFont(REGULAR, caption.fontSize)
            canvas.drawCentredString(x + side / 2, top - caption.fontSize, label)
        # A plain arrow between the two pictures: from start to finish.
        mid_y = top + side / 2
        left, right = side + gap * 0.2, side + gap * 0.8
        if right - left > 6:
            canvas.setStrokeColor(_GREY)
            canvas.setLineWidth(1.2 * self.look.stroke_weight)
            canvas.line(left, mid_y, right, mid_y)
            canvas.line(right, mid_y, right - 5, mid_y + 4)
            canvas.line(right, mid_y, right - 5, mid_y - 4)
