"""Add or edit a weakness finding: where, which side, its source, and its grade."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from therapy_desk.domain import WeaknessFinding
from therapy_desk.domain.vocabulary import Cause, Region, Side
from therapy_desk.services.findings import FindingDetails, add_finding, update_finding
from therapy_desk.services.record_view import read_record
from ui.desk import Changes, Desk
from ui.forms import Form, date_edit, date_value, set_date, text_box, text_or_none
from ui.pages.record_tab import run_action
from ui.screen_fit import size_dialog
from ui.widgets.choices import EnumCombo

#: MRC grades in words, as a therapist says them at the bedside.
MRC_GRADES = (
    "0 — no contraction",
    "1 — flicker of contraction",
    "2 — moves with gravity removed",
    "3 — moves against gravity",
    "4 — moves against some resistance",
    "5 — normal strength",
)

CAUSE_HELP = (
    "Disuse weakness responds to progressive resistance exercise. Nerve-damage weakness does "
    "not: keep those muscles in use and strengthen the muscles around them."
)


class FindingDialog(QDialog):
    def __init__(
        self,
        desk: Desk,
        *,
        client_id: uuid.UUID,
        finding: WeaknessFinding | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.client_id = client_id
        self.finding = finding
        self.setWindowTitle("Edit weakness finding" if finding else "Add weakness finding")
        self.form = f = Form(self)
        self.region = f.add("region", "&Region:", EnumCombo(Region))
        self.side = f.add("side", "&Side:", EnumCombo(Side))
        self.cause = f.add("cause", "S&ource:", EnumCombo(Cause), hint=CAUSE_HELP)
        grade = QComboBox()
        grade.addItem("Not graded", None)
        for number, words in enumerate(MRC_GRADES):
            grade.addItem(words, number)
        self.grade = f.add("strength_grade", "Strength (&MRC):", grade)
        self.fatigue = f.add("fatigue_linked", "", QCheckBox("Linked to &fatigue"))
        self.relapse = f.add("during_relapse", "", QCheckBox("Found during a re&lapse"))
        self.onset = f.add("onset_on", "O&nset:", date_edit(optional=True, today=desk.today))
        self.relapse_over = f.add(
            "relapse_over_on",
            "Rel&apse over:",
            date_edit(optional=True, today=desk.today),
            hint="When the relapse was over; lighter work is advised until then, or for "
            "12 weeks from the onset",
        )
        self.foot_drop = f.add("foot_drop", "", QCheckBox("Foot &drops or catches when walking"))
        self.foot_drop.setAccessibleName("Foot drops or catches when walking")
        self.relapse.toggled.connect(self.relapse_over.setEnabled)
        self.relapse_over.setEnabled(False)
        self.resolved = f.add(
            "resolved_on", "Resol&ved:", date_edit(optional=True, today=desk.today)
        )
        notes = text_box(70)
        self.notes = f.add("notes", "No&tes:", notes)
        help_text = QLabel(CAUSE_HELP, self)
        help_text.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(help_text)
        layout.addWidget(buttons)
        if finding is not None:
            self._fill(finding)
        else:
            set_date(self.onset, desk.today())
            self.cause.set_value(Cause.UNKNOWN)
        size_dialog(self, 480)

    def _fill(self, finding: WeaknessFinding) -> None:
        self.region.set_value(finding.region)
        self.side.set_value(finding.side)
        self.cause.set_value(finding.cause)
        self.grade.setCurrentIndex(self.grade.findData(finding.strength_grade))
        self.fatigue.setChecked(finding.fatigue_linked)
        self.relapse.setChecked(finding.during_relapse)
        set_date(self.onset, finding.onset_on)
        set_date(self.relapse_over, finding.relapse_over_on)
        self.foot_drop.setChecked(finding.foot_drop)
        set_date(self.resolved, finding.resolved_on)
        self.notes.setPlainText(finding.notes or "")

    def details(self) -> FindingDetails:
        return FindingDetails(
            region=self.region.value() or Region.KNEE,
            side=self.side.value() or Side.NONE,
            cause=self.cause.value() or Cause.UNKNOWN,
            strength_grade=self.grade.currentData(),
            fatigue_linked=self.fatigue.isChecked(),
            during_relapse=self.relapse.isChecked(),
            onset_on=date_value(self.onset),
            resolved_on=date_value(self.resolved),
            notes=text_or_none(self.notes),
            foot_drop=self.foot_drop.isChecked(),
            relapse_over_on=date_value(self.relapse_over) if self.relapse.isChecked() else None,
        )

    def reload(self) -> None:
        """Show the finding as saved now (someone else changed it), dropping the edit."""
        assert self.finding is not None
        record = self.desk.read(read_record, client_id=self.client_id, today=self.desk.today())
        self.desk.changed.emit(Changes(self.client_id, "finding"))
        fresh = next((f for f in record.client.findings if f.id == self.finding.id), None)
        if fresh is None:
            self.reject()
            return
        self.finding = fresh
        self._fill(fresh)

    def save(self) -> None:
        changes = Changes(self.client_id, "finding")
        common = {"details": self.details(), "today": self.desk.today()}
        if self.finding is None:
            saved = run_action(
                self, self.desk, add_finding, changes, self.form, client_id=self.client_id, **common
            )
        else:
            saved = run_action(
                self,
                self.desk,
                update_finding,
                changes,
                self.form,
                on_reload=self.reload,
                doing="saving the weakness finding",
                finding_id=self.finding.id,
                expected_version=self.finding.version,
                **common,
            )
        if saved is not None:
            self.accept()
