"""A line chart of one outcome measure over time, against its meaningful-change band.

The band runs around the first (baseline) result: a later result inside it is
within measurement error; one outside it is a meaningful change, drawn as a
filled point (hollow otherwise). The direction of "better" is written at the
y-axis. Painted with QPainter (QtCharts is not a dependency); colours come from
the widget's palette.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QToolTip, QWidget

from therapy_desk import words
from therapy_desk.domain.vocabulary import Better
from therapy_desk.library.catalogue import MeasureSpec
from therapy_desk.services.measures import result_text
from ui.widgets.text_lines import wrap_words

#: How far (in pixels) from a point the pointer may be for its tooltip.
HIT_RADIUS = 9.0
POINT_RADIUS = 4.5


@dataclass(frozen=True)
class ChangeBand:
    """The range around a baseline inside which a change is within measurement error."""

    low: float
    high: float
    #: e.g. "±20% of the first result", "+19.7 m / −7.2 m".
    text: str


def change_band(spec: MeasureSpec, baseline: float) -> ChangeBand:
    """The meaningful-change band around a baseline, kept inside the scale's range."""
    if spec.change_percent is not None:
        size = abs(baseline) * spec.change_percent / 100
        low, high = baseline - size, baseline + size
        text = f"±{spec.change_percent:g}% of the first result"
    elif spec.change_points is not None:
        low, high = baseline - spec.change_points, baseline + spec.change_points
        text = f"±{format_amount(spec, spec.change_points, exact=True)}"
    elif spec.change_improve_percent is not None or spec.change_decline_percent is not None:
        improve_percent = spec.change_improve_percent or 0.0
        decline_percent = spec.change_decline_percent or 0.0
        improve = abs(baseline) * improve_percent / 100
        decline = abs(baseline) * decline_percent / 100
        if spec.better is Better.LOWER:
            low, high = baseline - improve, baseline + decline
        else:
            low, high = baseline - decline, baseline + improve
        text = f"better by {improve_percent:g}%, worse by {decline_percent:g}% of the first result"
    else:
        improve = spec.change_improve or 0.0
        decline = spec.change_decline or 0.0
        if spec.better is Better.LOWER:
            low, high = baseline - improve, baseline + decline
        else:
            low, high = baseline - decline, baseline + improve
        text = (
            f"better by {format_amount(spec, improve, exact=True)}, "
            f"worse by {format_amount(spec, decline, exact=True)}"
        )
    return ChangeBand(max(low, spec.min), min(high, spec.max), text)


def threshold_label(spec: MeasureSpec) -> str:
    """What the band's figure is, e.g. 'Smallest real change (provisional)'."""
    label = spec.change_kind[0].upper() + spec.change_kind[1:]
    return f"{label} (provisional)" if spec.is_provisional else label


def format_amount(spec: MeasureSpec, amount: float, *, exact: bool = False) -> str:
    """A size of change in the measure's unit: '2.1 s', '3 points', '1 grade'.

    `exact` keeps every digit (for thresholds such as 19.7 m on a whole-metre scale).
    """
    amount = abs(amount)
    if spec.is_ordinal:
        return f"{amount:g} {words.noun(round(amount), 'grade')}"
    text = f"{amount:g}" if exact else f"{amount:.{spec.decimals}f}"
    unit = spec.unit
    if unit == "points" and text in ("1", "1.0"):
        unit = "point"
    return f"{text} {unit}"


def describe_change(spec: MeasureSpec, first: float, value: float) -> str:
    """'better than the first by 2.1 s', 'the same as the first'."""
    change = value - first
    if round(change, spec.decimals) == 0:
        return "the same as the first"
    better = change < 0 if spec.better is Better.LOWER else change > 0
    word = "better" if better else "worse"
    return f"{word} than the first by {format_amount(spec, change)}"


def _nice_step(span: float, count: int) -> float:
    raw = span / max(count, 1)
    if raw <= 0:
        return 1.0
    magnitude: float = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


class MeasureChart(QWidget):
    """One measure's results over time; call `set_series` to show them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._spec: MeasureSpec | None = None
        self._points: list[tuple[date, float]] = []
        self._title = ""
        self.setAccessibleName("Outcome chart")
        self.setAccessibleDescription("No results yet")

    # ----- data ---------------------------------------------------------------

    def set_series(
        self,
        spec: MeasureSpec,
        points: Sequence[tuple[date, float]],
        *,
        title: str | None = None,
    ) -> None:
        """Show these results (any order; drawn by date) of one measure."""
        self._spec = spec
        self._points = sorted(points, key=lambda point: point[0])
        self._title = title or spec.name
        self.setAccessibleName(self._title)
        self.setAccessibleDescription(self.summary())
        self.update()

    def point_count(self) -> int:
        return len(self._points)

    def band(self) -> ChangeBand | None:
        """The meaningful-change band around the first result, if there is one."""
        if self._spec is None or not self._points:
            return None
        return change_band(self._spec, self._points[0][1])

    def is_meaningful(self, index: int) -> bool:
        """Whether result `index` (by date) is a meaningful change from the first."""
        assert self._spec is not None
        return index > 0 and self._spec.is_meaningful(self._points[0][1], self._points[index][1])

    def summary(self) -> str:
        """A sentence for screen readers: how many results, when, and where it stands."""
        spec = self._spec
        if spec is None:
            return "No results yet"
        if not self._points:
            return f"No results yet for {spec.name}"
        first_day, first = self._points[0]
        last_day, last = self._points[-1]
        if len(self._points) == 1:
            return f"1 result on {words.day(first_day)}: {result_text(spec, first)}"
        text = (
            f"{words.count(len(self._points), 'result')} from {words.day(first_day)} to "
            f"{words.day(last_day)}; "
            f"latest {result_text(spec, last)}, {describe_change(spec, first, last)}"
        )
        if last != first:
            meaningful = spec.is_meaningful(first, last)
            text += " (a meaningful change)" if meaningful else " (within measurement error)"
        notes = self.notes()
        return f"{text}. {' '.join(notes)}" if notes else text

    def notes(self) -> list[str]:
        """Sentences under the chart: a provisional threshold, a result at the scale's ceiling."""
        spec = self._spec
        if spec is None or not self._points:
            return []
        notes = []
        if spec.is_provisional:
            notes.append(f"Threshold provisional: {spec.provisional_reason}")
        if spec.ceiling_note and any(spec.at_ceiling(value) for _, value in self._points):
            notes.append(spec.ceiling_note)
        return notes

    def point_tooltip(self, index: int) -> str:
        spec = self._spec
        assert spec is not None
        day, value = self._points[index]
        lines = [words.day(day), result_text(spec, value)]
        if index == 0:
            lines.append("First result (the baseline)")
        else:
            first = self._points[0][1]
            change = describe_change(spec, first, value)
            lines.append(change[0].upper() + change[1:])
            relative = spec.change_percent is not None or spec.change_improve_percent is not None
            if relative and first:
                lines[-1] += f" ({(value - first) / abs(first) * 100:+.0f}%)"
            lines.append(
                "Beyond measurement error"
                if spec.is_meaningful(first, value)
                else "Within measurement error"
            )
        return "\n".join(lines)

    # ----- geometry -------------------------------------------------------------

    #: Lines of text the chart is never shorter than: title, unit, a plot with room for
    #: five ticks, the x-axis labels and a legend of three rows.
    MINIMUM_LINES = 16

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(480, max(300, self.fontMetrics().height() * 20))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """Never a strip: with larger text the chart grows, and the page scrolls instead."""
        return QSize(260, self.fontMetrics().height() * self.MINIMUM_LINES)

    def _plot_rect(self, metrics: QFontMetrics) -> QRectF:
        line = metrics.height()
        left = self._y_label_width(metrics) + 14
        top = line * 2.5 + 10
        bottom = line + 16 + self._legend_height(metrics)
        return QRectF(
            left, top, max(self.width() - left - 14, 10), max(self.height() - top - bottom, 10)
        )

    def _y_label_width(self, metrics: QFontMetrics) -> int:
        return max(metrics.horizontalAdvance(label) for _, label in self._y_ticks(100.0, metrics))

    def _legend_entries(self) -> tuple[tuple[str, str], ...]:
        band = self.band()
        label = threshold_label(self._spec) if self._spec is not None else "Threshold"
        entries = [
            ("filled", "Meaningful change from the first"),
            ("hollow", "Within measurement error"),
            ("band", f"{label}: {band.text if band else ''}"),
        ]
        return tuple(entries + [("note", note) for note in self.notes()])

    def _legend_rows(self, metrics: QFontMetrics) -> list[list[tuple[str, str, float]]]:
        """Legend entries flowed into rows that fit the width: (kind, text, x)."""
        left = self._y_label_width(metrics) + 14
        rows: list[list[tuple[str, str, float]]] = [[]]
        x = float(left)
        for kind, label in self._legend_entries():
            if kind == "note":
                # A note takes rows of its own, its words wrapped to the width.
                for number, text in enumerate(wrap_words(label, metrics, self.width() - left - 30)):
                    rows.append([("note" if number == 0 else "more", text, float(left))])
                rows.append([])
                x = float(left)
                continue
            width = 22 + metrics.horizontalAdvance(label)
            if rows[-1] and x + width > self.width() - 8:
                rows.append([])
                x = float(left)
            available = self.width() - x - 30
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(max(available, 20)))
            rows[-1].append((kind, text, x))
            x += 22 + metrics.horizontalAdvance(text) + 18
        return [row for row in rows if row]

    def _legend_height(self, metrics: QFontMetrics) -> int:
        return len(self._legend_rows(metrics)) * (metrics.height() + 2) + 4

    def _y_range(self) -> tuple[float, float]:
        spec = self._spec
        assert spec is not None
        band = self.band()
        values = [value for _, value in self._points]
        if band is not None:
            values += [band.low, band.high]
        low, high = min(values), max(values)
        if spec.is_ordinal:
            # Short scales show every grade; long ones (MRC with + and -) the part in use.
            if len(spec.grades) <= 7:
                low, high = spec.min, spec.max
            return low - 0.4, high + 0.4
        span = high - low
        pad = span * 0.12 if span > 0 else max(abs(high) * 0.1, 1.0)
        low, high = max(low - pad, spec.min), min(high + pad, spec.max)
        step = _nice_step(high - low, 5)
        low = max(math.floor(low / step) * step, spec.min)
        high = min(math.ceil(high / step) * step, spec.max)
        if high <= low:
            high = low + step
        return low, high

    def _y_ticks(self, height: float, metrics: QFontMetrics) -> list[tuple[float, str]]:
        spec = self._spec
        if spec is None or not self._points:
            return [(0.0, "")]
        if spec.is_ordinal:
            low, high = self._y_range()
            shown = [(float(i), g) for i, g in enumerate(spec.grades) if low <= i <= high]
            room = max(int(height / (metrics.height() + 1)), 2)
            every = max(1, math.ceil(len(shown) / room))
            return [tick for i, tick in enumerate(shown) if i % every == 0]
        low, high = self._y_range()
        step = _nice_step(high - low, max(min(int(height / (metrics.height() * 2)), 6), 2))
        decimals = max(0, -math.floor(math.log10(step))) if step < 1 else 0
        if step != round(step, decimals):
            decimals += 1
        ticks = []
        value = math.ceil(low / step - 1e-9) * step
        while value <= high + step * 1e-6:
            ticks.append((value, f"{value:.{decimals}f}"))
            value += step
        return ticks

    def _x_range(self) -> tuple[date, date]:
        first, last = self._points[0][0], self._points[-1][0]
        span = (last - first).days
        pad = timedelta(days=max(span * 0.05, 20 if span == 0 else 3))
        return first - pad, last + pad

    def _x_ticks(self, width: float, metrics: QFontMetrics) -> list[tuple[date, str]]:
        start, end = self._x_range()
        days = (end - start).days
        label_width = metrics.horizontalAdvance("May 2026") + 16
        room = max(int(width / label_width), 2)
        if days <= 62:
            step_days = next((s for s in (1, 2, 7, 14, 28) if days / s <= room), 28)
            day = start + timedelta(days=1)
            if step_days >= 7:
                day += timedelta(days=(7 - day.weekday()) % 7)  # Mondays
            ticks = []
            while day <= end:
                ticks.append((day, words.day_month(day)))
                day += timedelta(days=step_days)
            return ticks
        months = days / 30.4
        step = next((s for s in (1, 2, 3, 6, 12, 24, 60, 120) if months / s <= room), 120)
        day = _add_months(start, 1)
        while (day.year * 12 + day.month - 1) % step:
            day = _add_months(day, 1)
        ticks = []
        while day <= end:
            if step >= 12:
                label = str(day.year)
            else:
                label = words.month_year(day)
            ticks.append((day, label))
            day = _add_months(day, step)
        return ticks

    def _x(self, day: date, plot: QRectF) -> float:
        start, end = self._x_range()
        return plot.left() + (day - start).days / max((end - start).days, 1) * plot.width()

    def _y(self, value: float, plot: QRectF) -> float:
        low, high = self._y_range()
        return plot.bottom() - (value - low) / (high - low) * plot.height()

    def point_position(self, index: int) -> QPointF:
        """Where result `index` (by date) is drawn, in widget coordinates."""
        plot = self._plot_rect(self.fontMetrics())
        day, value = self._points[index]
        return QPointF(self._x(day, plot), self._y(value, plot))

    def point_at(self, pos: QPointF) -> int | None:
        """The result nearest a widget position, if the pointer is close enough."""
        best: tuple[float, int] | None = None
        for index in range(len(self._points)):
            where = self.point_position(index)
            distance = math.hypot(where.x() - pos.x(), where.y() - pos.y())
            if distance <= HIT_RADIUS and (best is None or distance < best[0]):
                best = (distance, index)
        return best[1] if best else None

    # ----- events -----------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.point_at(QPointF(event.pos())) if self._points else None
            if index is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.point_tooltip(index), self)
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        metrics = self.fontMetrics()
        spec = self._spec
        if spec is None or not self._points:
            painter.setPen(text_colour)
            name = spec.name if spec is not None else "this measure"
            painter.drawText(
                QRectF(self.rect()),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                f"No results yet for {name}",
            )
            painter.end()
            return
        plot = self._plot_rect(metrics)
        self._paint_header(painter, spec, metrics, text_colour)
        self._paint_axes(painter, spec, plot, metrics, palette)
        self._paint_series(painter, spec, plot, palette)
        self._paint_legend(painter, plot, metrics, palette)
        painter.end()

    def _paint_header(
        self, painter: QPainter, spec: MeasureSpec, metrics: QFontMetrics, colour: QColor
    ) -> None:
        line = metrics.height()
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(colour)
        better = "Lower is better ↓" if spec.better is Better.LOWER else "Higher is better ↑"
        bold = QFontMetrics(font)
        better_width = metrics.horizontalAdvance(better) + 8
        title = bold.elidedText(
            self._title, Qt.TextElideMode.ElideRight, max(self.width() - better_width - 24, 40)
        )
        painter.drawText(QRectF(8, 4, self.width() - 16, line), Qt.AlignmentFlag.AlignLeft, title)
        font.setBold(False)
        painter.setFont(font)
        painter.drawText(QRectF(8, 4, self.width() - 16, line), Qt.AlignmentFlag.AlignRight, better)
        unit = "grade" if spec.is_ordinal else spec.unit
        painter.drawText(
            QRectF(8, 6 + line, self.width() - 16, line), Qt.AlignmentFlag.AlignLeft, unit
        )

    def _paint_axes(
        self,
        painter: QPainter,
        spec: MeasureSpec,
        plot: QRectF,
        metrics: QFontMetrics,
        palette: QPalette,
    ) -> None:
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        grid = QColor(palette.color(QPalette.ColorRole.Mid))
        grid.setAlpha(110)
        painter.fillRect(plot, palette.color(QPalette.ColorRole.Base))
        y_ticks = self._y_ticks(plot.height(), metrics)
        x_ticks = self._x_ticks(plot.width(), metrics)
        grid_pen = QPen(grid, 1)
        painter.setPen(grid_pen)
        lines = [
            QLineF(plot.left(), self._y(v, plot), plot.right(), self._y(v, plot))
            for v, _ in y_ticks
        ]
        lines += [
            QLineF(self._x(d, plot), plot.top(), self._x(d, plot), plot.bottom())
            for d, _ in x_ticks
        ]
        painter.drawLines(lines)
        painter.setPen(QPen(text_colour, 1))
        painter.drawLines(
            [
                QLineF(plot.bottomLeft(), plot.topLeft()),
                QLineF(plot.bottomLeft(), plot.bottomRight()),
            ]
        )
        line = metrics.height()
        for value, label in y_ticks:
            y = self._y(value, plot)
            painter.drawText(
                QRectF(0, y - line / 2, plot.left() - 6, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
        last_right = -1e9
        for day, label in x_ticks:
            x = self._x(day, plot)
            width = metrics.horizontalAdvance(label)
            left = min(max(x - width / 2, 0), self.width() - width)
            if left < last_right + 6:
                continue
            painter.drawText(
                QRectF(left, plot.bottom() + 4, width, line), Qt.AlignmentFlag.AlignLeft, label
            )
            last_right = left + width

    def _series_colour(self, palette: QPalette) -> QColor:
        return palette.color(QPalette.ColorRole.Highlight)

    def _paint_series(
        self, painter: QPainter, spec: MeasureSpec, plot: QRectF, palette: QPalette
    ) -> None:
        colour = self._series_colour(palette)
        band = self.band()
        assert band is not None
        painter.save()
        painter.setClipRect(plot)
        fill = QColor(colour)
        fill.setAlpha(45)
        top, bottom = self._y(band.high, plot), self._y(band.low, plot)
        painter.fillRect(QRectF(plot.left(), top, plot.width(), bottom - top), fill)
        edge = QColor(colour)
        edge.setAlpha(120)
        dashed = QPen(edge, 1, Qt.PenStyle.DashLine)
        painter.setPen(dashed)
        baseline = self._y(self._points[0][1], plot)
        painter.drawLines(
            [
                QLineF(plot.left(), top, plot.right(), top),
                QLineF(plot.left(), bottom, plot.right(), bottom),
                QLineF(plot.left(), baseline, plot.right(), baseline),
            ]
        )
        painter.restore()
        positions = [self.point_position(i) for i in range(len(self._points))]
        painter.setPen(QPen(colour, 2))
        if len(positions) > 1:
            painter.drawPolyline(QPolygonF(positions))
        base = palette.color(QPalette.ColorRole.Base)
        for index, where in enumerate(positions):
            painter.setBrush(colour if self.is_meaningful(index) else base)
            painter.drawEllipse(where, POINT_RADIUS, POINT_RADIUS)

    def _paint_legend(
        self, painter: QPainter, plot: QRectF, metrics: QFontMetrics, palette: QPalette
    ) -> None:
        """Under the x-axis labels: the two point styles and the band, flowed to fit."""
        colour = self._series_colour(palette)
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        base = palette.color(QPalette.ColorRole.Base)
        line = metrics.height()
        top = plot.bottom() + line + 10
        for row, entries in enumerate(self._legend_rows(metrics)):
            y = top + row * (line + 2)
            for kind, text, x in entries:
                if kind == "band":
                    fill = QColor(colour)
                    fill.setAlpha(45)
                    painter.fillRect(QRectF(x, y + 2, 16, line - 4), fill)
                elif kind == "note":
                    painter.setPen(text_colour)
                    painter.drawText(QRectF(x, y, 22, line), Qt.AlignmentFlag.AlignLeft, "ⓘ")
                elif kind == "more":
                    pass
                else:
                    painter.setPen(QPen(colour, 2))
                    painter.setBrush(colour if kind == "filled" else base)
                    painter.drawEllipse(QPointF(x + 8, y + line / 2), POINT_RADIUS, POINT_RADIUS)
                painter.setPen(text_colour)
                painter.drawText(
                    QRectF(x + 22, y, self.width() - x - 22, line),
                    Qt.AlignmentFlag.AlignLeft,
                    text,
                )
