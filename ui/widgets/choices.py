"""Combo boxes over the core's vocabulary enums, with an optional 'any' entry."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any, Generic, TypeVar

from PySide6.QtWidgets import QComboBox, QWidget

E = TypeVar("E", bound=Enum)


class EnumCombo(QComboBox, Generic[E]):
    """Shows each member's plain label; `value()` is the member (or None for the blank)."""

    def __init__(
        self,
        members: Iterable[E],
        *,
        blank: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        compact(self)
        if blank is not None:
            self.addItem(blank, None)
        for member in members:
            self.addItem(_label(member), member)

    def value(self) -> E | None:
        data: Any = self.currentData()
        return data  # type: ignore[no-any-return]

    def set_value(self, member: E | None) -> None:
        index = self.findData(member)
        if index >= 0:
            self.setCurrentIndex(index)


def _label(member: Enum) -> str:
    label = getattr(member, "label", None)
    return str(label) if label else str(member.value)


def compact(combo: QComboBox, characters: int = 10) -> QComboBox:
    """Let a combo shrink below its longest item (the popup still shows it whole), so long
    labels never set the window's minimum width."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    return combo
