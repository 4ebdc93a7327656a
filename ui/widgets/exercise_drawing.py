"""Shows an exercise's start and end pictures side by side, in the palette's colours.

The shapes come from `therapy_desk.library.drawings`; this module only strokes
them. `paint_picture` is reusable for printing onto any QPainter.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

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

#: Text shown when an exercise (for example a clinic's own) has no drawing.
NO_DRAWING = "No drawing for this exercise"
#: Text shown when no exercise is chosen: nothing is missing, there is nothing to draw yet.
NO_SELECTION = "Select an exercise to see its drawing"


@dataclass(frozen=True)
class DrawingColours:
    """One colour per role: body, far limbs and props, water, motion arrows."""

    body: QColor
    faint: QColor
    water: QColor
    motion: QColor

    @classmethod
    def from_palette(cls, palette: QPalette) -> DrawingColours:
        body = palette.color(QPalette.ColorRole.WindowText)
        background = palette.color(QPalette.ColorRole.Window)
        faint = QColor(
            (body.red() * 3 + background.red() * 2) // 5,
            (body.green() * 3 + background.green() * 2) // 5,
            (body.blue() * 3 + background.blue() * 2) // 5,
        )
        motion = palette.color(QPalette.ColorRole.Highlight)
        return cls(body=body, faint=faint, water=motion, motion=motion)

    def for_role(self, role: Role) -> QColor:
        if role is Role.BODY:
            return self.body
        if role is Role.MOTION:
            return self.motion
        if role is Role.WATER:
            return self.water
        return self.faint


def paint_picture(
    painter: QPainter, picture: Picture, rect: QRectF, colours: DrawingColours
) -> None:
    """Stroke a picture into the largest centred square inside rect."""
    side = min(rect.width(), rect.height())
    scale = side / BOX
    left = rect.x() + (rect.width() - side) / 2
    top = rect.y() + (rect.height() - side) / 2

    def pt(x: float, y: float) -> QPointF:
        return QPointF(left + x * scale, top + y * scale)

    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for shape in picture.shapes:
        colour = colours.for_role(shape.role)
        pen = QPen(colour, max(STROKE[shape.role] * scale, 1.0))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if isinstance(shape, Line):
            painter.drawLine(pt(shape.x1, shape.y1), pt(shape.x2, shape.y2))
        elif isinstance(shape, Circle):
            if shape.filled:
                painter.setBrush(colour)
            painter.drawEllipse(pt(shape.cx, shape.cy), shape.r * scale, shape.r * scale)
        else:
            path = QPainterPath(pt(*shape.points[0]))
            for x, y in shape.points[1:]:
                path.lineTo(pt(x, y))
            if isinstance(shape, Polyline) and shape.closed:
                path.closeSubpath()
            painter.drawPath(path)
            if isinstance(shape, Arrow) and len(shape.points) > 1:
                left_barb, tip, right_barb = arrow_head(shape.points)
                head = QPainterPath(pt(*left_barb))
                head.lineTo(pt(*tip))
                head.lineTo(pt(*right_barb))
                painter.drawPath(head)
    painter.restore()


class ExerciseDrawingWidget(QWidget):
    """The start and end pictures of one exercise, each captioned, keeping their shape."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._drawing: ExerciseDrawing | None = None
        self._name = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(220, 130)
        self.set_drawing(None, "")

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return QSize(440, 250)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return width // 2 + self.fontMetrics().height() + 8

    def drawing(self) -> ExerciseDrawing | None:
        return self._drawing

    def message(self) -> str:
        """What shows instead of a drawing: none chosen, or the chosen one has none."""
        if self._drawing is not None:
            return ""
        return NO_DRAWING if self._name else NO_SELECTION

    def set_drawing(self, drawing: ExerciseDrawing | None, name: str) -> None:
        self._drawing = drawing
        self._name = name
        if drawing is None:
            self.setAccessibleName(f"{name}: no drawing" if name else "Exercise drawing")
            self.setAccessibleDescription(self.message())
            self.setToolTip("")
        else:
            self.setAccessibleName(f"Drawing of {name}: start and end positions")
            self.setAccessibleDescription(
                f"Two line drawings of {name}: the starting position on the left "
                "and the end position on the right."
            )
            self.setToolTip(f"{name}: start and end positions")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        try:
            palette = self.palette()
            if self._drawing is None:
                painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
                painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.message())
                return
            paint_drawing(painter, self._drawing, QRectF(self.rect()), palette)
        finally:
            painter.end()


def paint_drawing(
    painter: QPainter, drawing: ExerciseDrawing, rect: QRectF, palette: QPalette
) -> None:
    """Both pictures side by side in rect, captioned "Start" and "End"."""
    colours = DrawingColours.from_palette(palette)
    caption = painter.fontMetrics().height() + 4
    gap = 8.0
    width = (rect.width() - gap) / 2
    side = max(min(width, rect.height() - caption), 1.0)
    top = rect.y() + (rect.height() - side - caption) / 2
    for index, (label, picture) in enumerate((("Start", drawing.start), ("End", drawing.end))):
        left = rect.x() + index * (width + gap) + (width - side) / 2
        box = QRectF(left, top, side, side)
        paint_picture(painter, picture, box, colours)
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        painter.drawText(
            QRectF(left, top + side, side, caption), Qt.AlignmentFlag.AlignCenter, label
        )


def render_png(drawing: ExerciseDrawing, path: str | Path, size: int = 400) -> None:
    """Write both pictures to a PNG (black on white), for checking by eye."""
    image = QImage(size, size // 2 + 24, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("white"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("black"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#1565c0"))
    painter = QPainter(image)
    try:
        paint_drawing(painter, drawing, QRectF(0, 0, size, image.height()), palette)
    finally:
        painter.end()
    image.save(str(path))
