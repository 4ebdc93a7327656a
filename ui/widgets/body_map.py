"""A front-view body figure shaded by the source of each open weakness finding.

The figure faces the viewer, so the client's right side is on the viewer's left;
"Right" and "Left" are written under the feet to say so. Every shade has a
colour and a pattern of its own, so the map reads without colour (colour-blind
users, black-and-white print). Outlines and text take the widget's palette.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import QToolTip, QWidget

from therapy_desk.domain.vocabulary import Region, Side
from therapy_desk.services.body_map import (
    MIDLINE_REGIONS,
    FindingLike,
    RegionShade,
    RegionState,
    combine_shades,
    place_name,
    region_states,
)

#: The figure is drawn in this logical box, then scaled to fit keeping its aspect.
FIGURE_WIDTH = 200.0
FIGURE_HEIGHT = 372.0
#: The figure's midline; x below it is the viewer's left, which is the client's right.
MIDLINE_X = FIGURE_WIDTH / 2

#: Okabe-Ito colours (distinguishable with the common colour-vision deficiencies).
SHADE_COLOURS: dict[RegionShade, QColor] = {
    RegionShade.DISUSE: QColor("#0072B2"),
    RegionShade.NERVE_DAMAGE: QColor("#D55E00"),
    RegionShade.MIXED: QColor("#AA4499"),
    RegionShade.UNKNOWN: QColor("#888888"),
}
#: The pattern drawn over each shade's tint, named for the legend and for tests.
SHADE_PATTERNS: dict[RegionShade, str] = {
    RegionShade.DISUSE: "diagonal lines",
    RegionShade.NERVE_DAMAGE: "cross-hatch",
    RegionShade.MIXED: "dots",
    RegionShade.UNKNOWN: "horizontal lines",
}
#: Legend order.
LEGEND: tuple[RegionShade | None, ...] = (
    RegionShade.DISUSE,
    RegionShade.NERVE_DAMAGE,
    RegionShade.MIXED,
    RegionShade.UNKNOWN,
    None,
)
_NO_FINDING = "No open finding"
_HATCH_SPACING = 6.0  # device pixels between pattern lines


def _poly(*points: tuple[float, float]) -> QPainterPath:
    path = QPainterPath()
    path.addPolygon(QPolygonF([QPointF(x, y) for x, y in points]))
    path.closeSubpath()
    return path


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> QPainterPath:
    path = QPainterPath()
    path.addEllipse(QPointF(cx, cy), rx, ry)
    return path


def _mirror(path: QPainterPath) -> QPainterPath:
    return QTransform(-1, 0, 0, 1, FIGURE_WIDTH, 0).map(path)


def _half(path: QPainterPath, side: Side) -> QPainterPath:
    """The client's right half (viewer's left) or left half of a midline shape."""
    clip = QPainterPath()
    if side is Side.RIGHT:
        clip.addRect(QRectF(-1, -1, MIDLINE_X + 1, FIGURE_HEIGHT + 2))
    else:
        clip.addRect(QRectF(MIDLINE_X, -1, MIDLINE_X + 1, FIGURE_HEIGHT + 2))
    return path.intersected(clip).simplified()


def _right_limbs() -> dict[Region, QPainterPath]:
    """The client's right limb shapes, on the viewer's left."""
    shoulder = QPainterPath()
    shoulder.moveTo(70, 71)
    shoulder.cubicTo(58, 70, 47, 76, 45, 90)
    shoulder.lineTo(44, 104)
    shoulder.lineTo(66, 104)
    shoulder.lineTo(69, 96)
    shoulder.closeSubpath()
    arm = _poly((44, 106), (66, 106), (61, 166), (41, 164))
    forearm = _poly((41, 166), (61, 168), (55, 226), (40, 225))
    hand = _ellipse(46.5, 240, 9, 14)
    hip = QPainterPath()
    hip.moveTo(74, 171)
    hip.lineTo(99, 171)
    hip.lineTo(99, 205)
    hip.cubicTo(92, 211, 80, 213, 70, 210)
    hip.cubicTo(69, 196, 71, 182, 74, 171)
    hip.closeSubpath()
    thigh = _poly((70, 212), (99, 208), (96, 292), (76, 292))
    shin = _poly((76, 294), (96, 294), (93, 348), (80, 348))
    foot = QPainterPath()
    foot.moveTo(80, 350)
    foot.lineTo(94, 350)
    foot.lineTo(96, 362)
    foot.cubicTo(88, 364, 72, 364, 67, 360)
    foot.cubicTo(70, 355, 75, 352, 80, 350)
    foot.closeSubpath()
    return {
        Region.SHOULDER: shoulder,
        Region.ARM: arm,
        Region.WRIST_HAND: forearm.united(hand).simplified(),
        Region.HIP: hip,
        Region.KNEE: thigh,
        Region.ANKLE_FOOT: shin.united(foot).simplified(),
    }


def _midline() -> dict[Region, QPainterPath]:
    face = _ellipse(MIDLINE_X, 30, 19, 25)
    neck = _poly((91, 54), (109, 54), (110, 70), (90, 70))
    trunk = QPainterPath()
    trunk.moveTo(72, 71)
    trunk.lineTo(128, 71)
    trunk.cubicTo(131, 100, 128, 130, 126, 169)
    trunk.lineTo(74, 169)
    trunk.cubicTo(72, 130, 69, 100, 72, 71)
    trunk.closeSubpath()
    chest = QPainterPath()
    chest.moveTo(80, 80)
    chest.lineTo(120, 80)
    chest.cubicTo(124, 96, 123, 112, 116, 124)
    chest.cubicTo(106, 130, 94, 130, 84, 124)
    chest.cubicTo(77, 112, 76, 96, 80, 80)
    chest.closeSubpath()
    return {
        Region.FACE: face,
        Region.NECK: neck,
        Region.TRUNK: trunk.subtracted(chest).simplified(),
        Region.BREATHING: chest,
    }


@dataclass(frozen=True)
class _Part:
    """One painted shape: a region on one side (or a whole unsided midline shape)."""

    region: Region
    side: Side
    path: QPainterPath


def _figure_parts() -> tuple[_Part, ...]:
    """Every shape of the figure, in hit-test order (front-most first)."""
    parts: list[_Part] = []
    for region, path in _midline().items():
        parts.append(_Part(region, Side.RIGHT, _half(path, Side.RIGHT)))
        parts.append(_Part(region, Side.LEFT, _half(path, Side.LEFT)))
    for region, path in _right_limbs().items():
        parts.append(_Part(region, Side.RIGHT, path))
        parts.append(_Part(region, Side.LEFT, _mirror(path)))
    # The chest sits in front of the trunk: look there first.
    parts.sort(key=lambda part: part.region is not Region.BREATHING)
    return tuple(parts)


def paint_pattern(painter: QPainter, path: QPainterPath, shade: RegionShade, *, dark: bool) -> None:
    """Fill a device-space path with a shade's translucent tint and its pattern.

    Lines and dots go out in one batched call each: fewer calls, faster paints.
    """
    base = QColor(SHADE_COLOURS[shade])
    line = base.lighter(150) if dark else base.darker(115)
    tint = QColor(base)
    tint.setAlpha(70 if dark else 55)
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.fillPath(path, tint)
    painter.setClipPath(path, Qt.ClipOperation.IntersectClip)
    box = path.boundingRect().adjusted(-3, -3, 3, 3)
    step = _HATCH_SPACING
    if shade is RegionShade.MIXED:
        pen = QPen(line, 3.2)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        dots: list[QPointF] = []
        rows = int(box.height() / (step * 0.8)) + 2
        columns = int(box.width() / step) + 2
        for row in range(rows):
            shift = step / 2 if row % 2 else 0.0
            y = box.top() + row * step * 0.8
            dots.extend(QPointF(box.left() + shift + c * step, y) for c in range(columns))
        painter.drawPoints(QPolygonF(dots))
    else:
        pen = QPen(line, 1.4)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        lines: list[QLineF] = []
        if shade is RegionShade.UNKNOWN:
            count = int(box.height() / step) + 1
            for i in range(count):
                y = box.top() + step / 2 + i * step
                lines.append(QLineF(box.left(), y, box.right(), y))
        else:
            # Rising lines for disuse; rising and falling ones for nerve damage.
            gap = step * 1.3
            count = int((box.width() + box.height()) / gap) + 1
            for i in range(count):
                x = box.left() - box.height() + i * gap
                lines.append(QLineF(x, box.bottom(), x + box.height(), box.top()))
                if shade is RegionShade.NERVE_DAMAGE:
                    lines.append(QLineF(x, box.top(), x + box.height(), box.bottom()))
        painter.drawLines(lines)
    painter.restore()


class BodyMapWidget(QWidget):
    """The body figure; call `set_findings` with a client's findings to shade it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts = _figure_parts()
        self._states: dict[tuple[Region, Side], RegionState] = {}
        self.setAccessibleName("Body map")
        self.setMouseTracking(False)
        self._update_description()

    # ----- data -------------------------------------------------------------

    def set_findings(self, findings: Iterable[FindingLike]) -> None:
        """Shade the figure from these findings (only open ones count)."""
        self._states = region_states(findings)
        self._update_description()
        self.update()

    def shade_at(self, region: Region, side: Side) -> RegionShade | None:
        """The shade painted on a region's side; side NONE asks for the unsided finding only.

        A midline half shows its own side's findings together with unsided ones.
        """
        if side is Side.NONE or region not in MIDLINE_REGIONS:
            state = self._states.get((region, side))
            return state.shade if state else None
        return combine_shades(
            state.shade
            for key in ((region, side), (region, Side.NONE))
            if (state := self._states.get(key)) is not None
        )

    def tooltip_for(self, region: Region, side: Side) -> str:
        """The tooltip shown over a region's side."""
        keys = [(region, side)]
        if region in MIDLINE_REGIONS:
            keys.append((region, Side.NONE))
        texts = [state.text for key in keys if (state := self._states.get(key))]
        if texts:
            return "\n".join(texts)
        shown_side = side if region not in MIDLINE_REGIONS else Side.NONE
        return f"{place_name(region, shown_side)}: {_NO_FINDING.lower()}"

    def part_at(self, pos: QPointF) -> tuple[Region, Side] | None:
        """The region and side under a widget position, if any."""
        part = self._logical_part(self._figure_transform().inverted()[0].map(pos))
        return (part.region, part.side) if part else None

    def region_centre(self, region: Region, side: Side) -> QPointF:
        """A point inside a region's side (nearest its middle), in widget coordinates."""
        part = next((p for p in self._parts if p.region is region and p.side is side), None)
        if part is None:
            raise KeyError((region, side))
        box = part.path.boundingRect()
        inside = [
            QPointF(box.left() + box.width() * i / 16, box.top() + box.height() * j / 16)
            for i in range(1, 16)
            for j in range(1, 16)
        ]
        inside = [p for p in inside if self._logical_part(p) is part]
        if not inside:
            raise KeyError((region, side))
        centre = box.center()
        best = min(inside, key=lambda p: (p.x() - centre.x()) ** 2 + (p.y() - centre.y()) ** 2)
        return self._figure_transform().map(best)

    def _logical_part(self, logical: QPointF) -> _Part | None:
        return next((part for part in self._parts if part.path.contains(logical)), None)

    def _update_description(self) -> None:
        if not self._states:
            text = "No open weakness findings."
        else:
            text = "Shaded: " + "; ".join(s.text for s in self._states.values()) + "."
        self.setAccessibleDescription(text)

    # ----- size and geometry --------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(260, 420)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(160, 260)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return False

    def _legend_beside(self) -> bool:
        """A wide widget puts the legend beside the figure, a tall one under it."""
        return self.width() > self.height() * 0.9

    def _legend_layout(self) -> tuple[int, int, int, float]:
        """Legend columns, rows, row height and entry width for the current size."""
        metrics = self.fontMetrics()
        row_height = max(metrics.height(), 14) + 4
        widest = max(metrics.horizontalAdvance(self._legend_text(s)) for s in LEGEND)
        entry = 18 + 6 + widest + 12
        if self._legend_beside():
            return 1, len(LEGEND), row_height, float(entry)
        columns = max(1, min(2, (self.width() - 8) // entry))
        rows = -(-len(LEGEND) // columns)
        return columns, rows, row_height, (self.width() - 8) / columns

    def _legend_text(self, shade: RegionShade | None) -> str:
        return shade.label if shade is not None else _NO_FINDING

    def _figure_rect(self) -> QRectF:
        """Where the figure (with the side labels under it) may go."""
        _, rows, row_height, entry = self._legend_layout()
        sides_height = self.fontMetrics().height() + 6
        if self._legend_beside():
            width = self.width() - entry - 16
            return QRectF(4, 4, max(width, 1), max(self.height() - 8 - sides_height, 1))
        bottom = self.height() - rows * row_height - sides_height - 12
        return QRectF(4, 4, max(self.width() - 8, 1), max(bottom - 4, 1))

    def _figure_transform(self) -> QTransform:
        area = self._figure_rect()
        scale = min(area.width() / FIGURE_WIDTH, area.height() / FIGURE_HEIGHT)
        dx = area.left() + (area.width() - FIGURE_WIDTH * scale) / 2
        dy = area.top() + (area.height() - FIGURE_HEIGHT * scale) / 2
        return QTransform(scale, 0, 0, scale, dx, dy)

    # ----- events -------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            hit = self.part_at(QPointF(event.pos()))
            if hit is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_for(*hit), self)
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        outline = palette.color(QPalette.ColorRole.WindowText)
        transform = self._figure_transform()

        pen = QPen(outline, 1.3)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for part in reversed(self._parts):
            path = transform.map(part.path)
            shade = self.shade_at(part.region, part.side)
            if shade is not None:
                paint_pattern(painter, path, shade, dark=dark)  # restores pen and brush
            painter.drawPath(path)

        self._paint_side_labels(painter, transform, outline)
        self._paint_legend(painter, outline, dark=dark)
        painter.end()

    def _paint_side_labels(self, painter: QPainter, transform: QTransform, colour: QColor) -> None:
        metrics = self.fontMetrics()
        top = transform.map(QPointF(0, FIGURE_HEIGHT)).y() + 4
        painter.setPen(colour)
        for side, x in ((Side.RIGHT, 52.0), (Side.LEFT, FIGURE_WIDTH - 52.0)):
            centre = transform.map(QPointF(x, 0)).x()
            text = side.label
            width = metrics.horizontalAdvance(text)
            painter.drawText(
                QRectF(centre - width, top, width * 2, metrics.height()),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                text,
            )

    def _paint_legend(self, painter: QPainter, colour: QColor, *, dark: bool) -> None:
        columns, rows, row_height, entry = self._legend_layout()
        metrics = self.fontMetrics()
        if self._legend_beside():
            left = self._figure_rect().right() + 12
            top = (self.height() - rows * row_height) / 2
        else:
            left = 4.0
            top = self.height() - rows * row_height - 4
        swatch_width, swatch_height = 18.0, float(min(row_height - 4, 14))
        painter.setPen(QPen(colour, 1))
        for index, shade in enumerate(LEGEND):
            row, column = divmod(index, columns)
            x = left + column * entry
            y = top + row * row_height
            swatch = QPainterPath()
            swatch.addRect(
                QRectF(x, y + (row_height - swatch_height) / 2, swatch_width, swatch_height)
            )
            if shade is not None:
                paint_pattern(painter, swatch, shade, dark=dark)
            painter.drawPath(swatch)
            text = metrics.elidedText(
                self._legend_text(shade), Qt.TextElideMode.ElideRight, int(entry - 28)
            )
            painter.drawText(
                QRectF(x + swatch_width + 6, y, entry - swatch_width - 6, row_height),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                text,
            )

    # For callers that want to list the parts (tests, keyboard tours).
    def regions_drawn(self) -> Sequence[tuple[Region, Side]]:
        return [(part.region, part.side) for part in self._parts]
