"""The exercise catalogue browser: search and filter, read the steps, see the drawing,
and add the chosen exercise to the programme being drafted."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from therapy_desk import words
from therapy_desk.domain import Exercise
from therapy_desk.domain.vocabulary import Cause, ExerciseCategory, Region, Side
from therapy_desk.library.catalogue import steps_for
from therapy_desk.library.drawings import drawing
from therapy_desk.services.catalogue import find_exercises, list_exercises
from ui.desk import Desk
from ui.screen_fit import size_dialog
from ui.widgets.choices import EnumCombo
from ui.widgets.exercise_drawing import ExerciseDrawingWidget


def exercise_html(exercise: Exercise) -> str:
    """The catalogue entry in plain words, as the therapist reads it before choosing."""
    regions = ", ".join(Region(r).label for r in exercise.regions)
    suits = ", ".join(Cause(c).label for c in exercise.suits)
    # The catalogue shows the steps as for both sides; a one-side item's own steps show
    # on the programme tab and print on its card.
    steps = "".join(f"<li>{escape(s)}</li>" for s in steps_for(exercise.steps, Side.BOTH))
    cautions = "".join(f"<li>{escape(c)}</li>" for c in exercise.cautions)
    equipment = ", ".join(exercise.equipment) or "none"
    return (
        f"<h3>{escape(exercise.name)}</h3><p>{escape(exercise.summary)}</p>"
        f"<p><b>Category:</b> {exercise.category.label}<br><b>Works:</b> {escape(regions)}"
        f"<br><b>Suits weakness from:</b> {escape(suits)}<br><b>Equipment:</b> "
        f"{escape(equipment)}</p><p><b>Steps</b></p><ol>{steps}</ol>"
        f"<p><b>Stop and rest if…</b></p><ul>{cautions}</ul>"
    )


class CatalogueBrowser(QDialog):
    """Non-blocking for the programme: `chosen` fires for each exercise added."""

    chosen = Signal(object)  # Exercise

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Exercise catalogue")
        self.exercises = desk.read(list_exercises)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search exercises, e.g. sit to stand, band, chair")
        self.search.setAccessibleName("Search exercises")
        self.search.setClearButtonEnabled(True)
        self.category = EnumCombo(ExerciseCategory, blank="Any category", parent=self)
        self.category.setAccessibleName("Category filter")
        self.region = EnumCombo(Region, blank="Any region", parent=self)
        self.region.setAccessibleName("Region filter")
        self.suits = EnumCombo(Cause, blank="Suits any source", parent=self)
        self.suits.setAccessibleName("Suits weakness source filter")
        for combo in (self.category, self.region, self.suits):
            combo.currentIndexChanged.connect(self.refilter)
        self.search.textChanged.connect(self.refilter)

        self.list = QListWidget(self)
        self.list.setAccessibleName("Exercises")
        self.list.currentItemChanged.connect(self._show_current)
        self.list.itemActivated.connect(lambda *_: self.add_current())
        self.count = QLabel(self)
        self.drawing = ExerciseDrawingWidget(self)
        self.details = QTextBrowser(self)
        self.details.setAccessibleName("Exercise details")

        filters = QGridLayout()
        filters.addWidget(self.search, 0, 0, 1, 3)
        filters.addWidget(self.category, 1, 0)
        filters.addWidget(self.region, 1, 1)
        filters.addWidget(self.suits, 1, 2)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.count)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.drawing, 2)
        right_layout.addWidget(self.details, 3)
        split = QSplitter(self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)

        buttons = QDialogButtonBox(self)
        self.add_button = buttons.addButton(
            "&Add to programme", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.add_button.clicked.connect(self.add_current)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        size_dialog(self, 980, 640)
        self.refilter()
        self.search.setFocus()

    def refilter(self) -> None:
        found = find_exercises(
            self.exercises,
            search=self.search.text(),
            category=self.category.value(),
            region=self.region.value(),
            suits=self.suits.value(),
        )
        self.list.clear()
        for exercise in found:
            item = QListWidgetItem(f"{exercise.name}  ·  {exercise.category.label}")
            item.setData(Qt.ItemDataRole.UserRole, exercise.code)
            self.list.addItem(item)
        self.count.setText(
            f"{words.number(len(found))} of {words.count(len(self.exercises), 'exercise')}"
        )
        if found:
            self.list.setCurrentRow(0)
        else:
            self._show(None)

    def current(self) -> Exercise | None:
        item = self.list.currentItem()
        if item is None:
            return None
        code = item.data(Qt.ItemDataRole.UserRole)
        return next((e for e in self.exercises if e.code == code), None)

    def select(self, code: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == code:
                self.list.setCurrentRow(row)
                return

    def add_current(self) -> None:
        exercise = self.current()
        if exercise is not None:
            self.chosen.emit(exercise)

    def _show_current(self, *_: object) -> None:
        self._show(self.current())

    def _show(self, exercise: Exercise | None) -> None:
        self.add_button.setEnabled(exercise is not None)
        if exercise is None:
            self.details.setHtml("<p>No exercise matches. Clear the search or a filter.</p>")
            self.drawing.set_drawing(None, "")
            return
        self.details.setHtml(exercise_html(exercise))
        key = exercise.illustration or exercise.code
        self.drawing.set_drawing(drawing(key), exercise.name)
