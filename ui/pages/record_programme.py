"""Programme: the current revision's exercises, edited as a draft and issued as a new
revision. Earlier revisions stay readable, each with what changed from the one before."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from PySide6.QtCore import QEvent, QItemSelection
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from therapy_desk import words
from therapy_desk.domain import Exercise, Programme, ProgrammeRevision
from therapy_desk.domain.vocabulary import Band, Side
from therapy_desk.library.catalogue import steps_for
from therapy_desk.library.drawings import drawing
from therapy_desk.services.programmes import (
    ItemSpec,
    default_item,
    revise_programme,
    revision_changes,
    start_programme,
)
from therapy_desk.services.record_view import ClientRecord
from ui.desk import Desk
from ui.dialogs.catalogue import CatalogueBrowser
from ui.forms import ErrorLabel
from ui.models.programme import FIELDS, ProgrammeItemsModel
from ui.pages.record_tab import RecordTab
from ui.screen_fit import scrolling
from ui.widgets.choices import compact
from ui.widgets.columns import fit_columns, refit_later
from ui.widgets.delegates import ChoiceDelegate, DecimalDelegate
from ui.widgets.exercise_drawing import ExerciseDrawingWidget

#: Lines of "What changed" shown before it scrolls.
CHANGES_LINES = 4
#: Exercise, sets, reps, hold, minutes, load, band, side, days a week.
ITEM_COLUMN_CHARACTERS = (34, 5, 5, 7, 8, 9, 11, 8, 11)


def active_programme(record: ClientRecord) -> Programme | None:
    live = [p for p in record.client.programmes if p.ended_on is None and p.revisions]
    return max(live, key=lambda p: p.started_on) if live else None


def describe_changes(old: ProgrammeRevision, new: ProgrammeRevision) -> str:
    lines = []
    for change in revision_changes(old, new):
        if change.change == "added":
            lines.append(f"Added {change.exercise_name} ({change.after})")
        elif change.change == "removed":
            lines.append(f"Removed {change.exercise_name}")
        elif change.change == "cue":
            done = "new reminder" if change.after else "reminder removed"
            lines.append(f"{change.exercise_name}: {done}")
        else:
            lines.append(f"{change.exercise_name}: {change.before} → {change.after}")
    return "; ".join(lines) or "Same exercises and doses as the revision before"


class ProgrammeTab(RecordTab):
    title = "&Programme"

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.programme: Programme | None = None
        self.revisions: list[ProgrammeRevision] = []
        self.exercises: dict[str, Exercise] = {}
        self._saved: list[ItemSpec] = []
        #: The programme's version when the draft began: issuing checks nobody issued a
        #: revision meanwhile.
        self._draft_version: int | None = None

        self.revision_picker = compact(QComboBox(self), 20)
        self.revision_picker.setAccessibleName("Programme revision shown")
        self.revision_picker.currentIndexChanged.connect(self._show_revision)
        picker_label = QLabel("&Showing:", self)
        picker_label.setBuddy(self.revision_picker)
        self.changes = QLabel(self)
        self.changes.setWordWrap(True)
        self.changes.setAccessibleName("What changed in this revision")
        # A long list of changes scrolls, so the exercises keep the room.
        self.changes_area = scrolling(self.changes, self)
        self._cap_changes()

        self.model = ProgrammeItemsModel(self)
        self.model.dataChanged.connect(self._draft_changed)
        self.model.rowsInserted.connect(self._draft_changed)
        self.model.rowsRemoved.connect(self._draft_changed)
        self.model.modelReset.connect(self._draft_changed)
        self.table = QTableView(self)
        self.table.setAccessibleName("Programme exercises")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        fit_columns(self.table, ITEM_COLUMN_CHARACTERS)
        bands = [("none", "")] + [(b.label, b.value) for b in Band]
        self.table.setItemDelegateForColumn(FIELDS.index("band"), ChoiceDelegate(bands, self))
        sides = [(s.label, s.value) for s in Side]
        self.table.setItemDelegateForColumn(FIELDS.index("side"), ChoiceDelegate(sides, self))
        self.table.setItemDelegateForColumn(
            FIELDS.index("load_kg"), DecimalDelegate(maximum=100, step=0.5, parent=self)
        )
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.drawing = ExerciseDrawingWidget(self)
        self.steps = QTextBrowser(self)
        self.steps.setAccessibleName("Exercise steps")
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.drawing, 1)
        side_layout.addWidget(self.steps, 1)
        split = QSplitter(self)
        split.addWidget(self.table)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)

        self.add_button = QPushButton("&Add exercise…", self)
        self.remove_button = QPushButton("Re&move", self)
        self.up_button = QPushButton("Move &up", self)
        self.down_button = QPushButton("Move do&wn", self)
        self.add_button.clicked.connect(self.browse)
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("Why this revision, e.g. progressed the sit to stand")
        self.reason.setAccessibleName("Reason for the new revision")
        self.issue_button = QPushButton("&Issue new revision", self)
        self.issue_button.setToolTip(
            "Save the draft as a new revision (Ctrl+S); the old one is kept"
        )
        self.issue_button.clicked.connect(self.save)
        self.discard_button = QPushButton("&Discard changes", self)
        self.discard_button.clicked.connect(self.discard)
        self.draft_state = QLabel(self)
        self.draft_state.setAccessibleName("Draft state")
        self.errors = ErrorLabel(self)
        self.errors.setObjectName("formError")

        top = QHBoxLayout()
        top.addWidget(picker_label)
        top.addWidget(self.revision_picker, 1)
        edit_row = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            edit_row.addWidget(b)
        edit_row.addStretch(1)
        edit_row.addWidget(self.draft_state)
        issue_row = QHBoxLayout()
        reason_label = QLabel("&Reason:", self)
        reason_label.setBuddy(self.reason)
        issue_row.addWidget(reason_label)
        issue_row.addWidget(self.reason, 1)
        issue_row.addWidget(self.issue_button)
        issue_row.addWidget(self.discard_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.changes_area)
        layout.addWidget(split, 1)
        layout.addLayout(edit_row)
        layout.addWidget(self.errors)
        layout.addLayout(issue_row)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            refit_later(self.table, ITEM_COLUMN_CHARACTERS)
            self._cap_changes()

    def _cap_changes(self) -> None:
        self.changes_area.setMaximumHeight(self.fontMetrics().lineSpacing() * CHANGES_LINES + 4)

    # Showing

    def show_record(self, record: ClientRecord) -> None:
        keep_draft = self.record is not None and self.record.client.id == record.client.id
        draft = self.model.items() if keep_draft and self.has_unsaved_changes() else None
        super().show_record(record)
        self.programme = active_programme(record)
        if draft is None:
            self._draft_version = self.programme.version if self.programme else None
        self.revisions = list(reversed(self.programme.revisions)) if self.programme else []
        for revision in self.revisions:
            for item in revision.items:
                self.exercises[item.exercise.code] = item.exercise
        current = self.revisions[0] if self.revisions else None
        self._saved = [ItemSpec.of(i) for i in current.items] if current else []
        self.revision_picker.blockSignals(True)
        self.revision_picker.clear()
        for revision in self.revisions:
            label = f"Revision {revision.number} — issued {words.day(revision.issued_on)}"
            if revision.issued_by:
                label += f" by {revision.issued_by}"
            if revision is current:
                label += " (current)"
            self.revision_picker.addItem(label)
        if not self.revisions:
            self.revision_picker.addItem("No programme yet")
        self.revision_picker.setCurrentIndex(0)
        self.revision_picker.blockSignals(False)
        self._show_revision(0, draft=draft)

    def _show_revision(self, index: int, *, draft: list[ItemSpec] | None = None) -> None:
        self.errors.say(None)
        current = index <= 0
        if not self.revisions:
            self.changes.setText(
                "No programme yet. Add exercises from the catalogue, then issue the first revision."
            )
            self.model.set_items(draft or [], self._names(), editable=True)
        else:
            revision = self.revisions[index]
            earlier = self.revisions[index + 1] if index + 1 < len(self.revisions) else None
            what = describe_changes(earlier, revision) if earlier else "First revision"
            reason = f" Reason: {revision.reason}" if revision.reason else ""
            self.changes.setText(f"What changed: {what}.{reason}")
            items = (
                draft
                if (current and draft is not None)
                else [ItemSpec.of(i) for i in revision.items]
            )
            self.model.set_items(items, self._names(), editable=current)
        for b in (self.add_button, self.reason):
            b.setEnabled(current)
        if self.model.rowCount():
            self.table.selectRow(0)
        self._selection_changed()
        self._draft_changed()

    def _names(self) -> dict[str, str]:
        return {code: exercise.name for code, exercise in self.exercises.items()}

    def _selection_changed(self, *_: QItemSelection) -> None:
        row = self.selected_row()
        editable = self.revision_picker.currentIndex() <= 0
        self.remove_button.setEnabled(editable and row is not None)
        self.up_button.setEnabled(editable and row is not None and row > 0)
        self.down_button.setEnabled(
            editable and row is not None and row < self.model.rowCount() - 1
        )
        if row is None:
            self.drawing.set_drawing(None, "")
            self.steps.clear()
            return
        item = self.model.item(row)
        code = item.exercise_code
        exercise = self.exercises.get(code)
        name = exercise.name if exercise else code
        self.drawing.set_drawing(drawing(exercise.illustration or code) if exercise else None, name)
        if exercise is not None:
            shown = steps_for(exercise.steps, item.side)
            steps = "".join(f"<li>{escape(s)}</li>" for s in shown)
            self.steps.setHtml(f"<b>{escape(name)}</b><ol>{steps}</ol>")

    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    # Drafting

    def has_unsaved_changes(self) -> bool:
        return self.record is not None and self.model.items() != self._saved

    def unsaved_detail(self) -> str | None:
        draft, saved = self.model.items(), self._saved
        changed = sum(a != b for a, b in zip(draft, saved, strict=False))
        changed += abs(len(draft) - len(saved))
        return f"{words.count(changed, 'exercise')} changed" if changed else None

    def focus_problem(self) -> None:
        problems = sorted(self.model.problems())
        if problems:
            row, field = problems[0]
            self.table.setCurrentIndex(self.model.index(row, FIELDS.index(field)))
        self.table.setFocus()

    def _draft_changed(self, *_: object) -> None:
        dirty = self.has_unsaved_changes()
        self.issue_button.setEnabled(dirty)
        self.discard_button.setEnabled(dirty)
        self.draft_state.setText(
            "Unsaved changes: issue a new revision to keep them" if dirty else ""
        )

    def browse(self) -> None:
        browser = CatalogueBrowser(self.desk, self)
        browser.chosen.connect(self.add_exercise)
        browser.exec()

    def add_exercise(self, exercise: Exercise) -> None:
        if self.revision_picker.currentIndex() > 0:
            self.revision_picker.setCurrentIndex(0)
        self.exercises[exercise.code] = exercise
        row = self.model.add(default_item(exercise), exercise.name)
        self.table.selectRow(row)

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.model.remove(row)
            if self.model.rowCount():
                self.table.selectRow(min(row, self.model.rowCount() - 1))

    def move_selected(self, by: int) -> None:
        row = self.selected_row()
        if row is not None:
            self.table.selectRow(self.model.move(row, by))

    def discard(self) -> None:
        if self.record is not None:
            self.reason.clear()
            self._show_revision(0)

    def save(self) -> bool:
        if not self.has_unsaved_changes():
            return True
        items = self.model.items()
        common = {
            "items": items,
            "on": self.desk.today(),
            "by": self.desk.user,
            "reason": self.reason.text().strip() or None,
        }
        if self.programme is None:
            saved = self.act(
                start_programme,
                changed="programme",
                on_invalid=self._show_problems,
                client_id=self.client_id,
                **common,
            )
        else:
            saved = self.act(
                revise_programme,
                changed="programme",
                on_invalid=self._show_problems,
                programme_id=self.programme.id,
                expected_version=(
                    self.programme.version if self._draft_version is None else self._draft_version
                ),
                **common,
            )
        if saved is None:
            return False
        self.reason.clear()
        self.errors.say(None)
        self._scroll_home()
        return True

    def _scroll_home(self) -> None:
        """The issued revision from its first cell: exercise column and first row in view."""
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self.table.scrollToTop()
        self.table.horizontalScrollBar().setValue(0)

    def _show_problems(self, errors: Mapping[str, str]) -> None:
        general = self.model.show_problems(errors)
        cells = [
            f"Line {row + 1}, {field.replace('_', ' ')}: {message}"
            for (row, field), message in self.model.problems().items()
        ]
        self.errors.say("\n".join(general + cells))
