"""Clinic ▸ Advisory rules: turn each advisory rule on or off for the whole clinic."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from therapy_desk import words
from therapy_desk.services.rules import RuleSetting, RuleSettings, rule_settings, set_rule
from ui.desk import Changes, Desk
from ui.pages.record_tab import run_action
from ui.screen_fit import size_dialog


def changed_words(rule: RuleSetting) -> str:
    """Who last turned the rule off or on, and when, in words."""
    if rule.changed_at is None:
        return "On: never changed" if rule.on else "Off"
    state = "Turned on" if rule.on else "Turned off"
    on = words.day(rule.changed_at.astimezone().date())
    return f"{state} by {rule.changed_by or 'someone'} on {on}"


class RulesDialog(QDialog):
    """One check box per rule; each change is saved at once, with who and when."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("Advisory rules")
        self.settings: RuleSettings = desk.read(rule_settings)
        self.boxes: dict[str, QCheckBox] = {}
        self.notes: dict[str, QLabel] = {}

        intro = QLabel(
            "Each rule raises advisories on client records. A rule turned off raises "
            "nothing for any client of this clinic until it is turned on again; the "
            "record's Overview says which rules are off.",
            self,
        )
        intro.setWordWrap(True)
        grid_box = QWidget(self)
        grid = QGridLayout(grid_box)
        for row, rule in enumerate(self.settings.rules):
            box = QCheckBox(rule.title, grid_box)
            box.setObjectName(rule.code)
            box.setAccessibleName(f"Advisory rule: {rule.title}")
            box.setChecked(rule.on)
            box.toggled.connect(lambda on, code=rule.code: self.turn(code, on))
            note = QLabel(changed_words(rule), grid_box)
            note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(box, row, 0)
            grid.addWidget(note, row, 1)
            self.boxes[rule.code] = box
            self.notes[rule.code] = note
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        size_dialog(self, 760, 560)

    def turn(self, code: str, on: bool) -> None:
        saved = run_action(
            self,
            self.desk,
            set_rule,
            Changes(None, "rules"),
            None,
            on_reload=self.reload,
            code=code,
            on=on,
            by=self.desk.user,
            now=self.desk.now(),
            expected_version=self.settings.version,
        )
        if saved is None:
            self.reload()
        else:
            self.show_settings(saved)

    def reload(self) -> None:
        self.show_settings(self.desk.read(rule_settings))

    def show_settings(self, settings: RuleSettings) -> None:
        self.settings = settings
        for rule in settings.rules:
            box = self.boxes[rule.code]
            box.blockSignals(True)
            box.setChecked(rule.on)
            box.blockSignals(False)
            self.notes[rule.code].setText(changed_words(rule))

    def off_titles(self) -> list[str]:
        return [r.title for r in self.settings.rules if not r.on]
