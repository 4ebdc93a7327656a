"""Combo boxes over the core's vocabulary enums, with an optional 'any' entry."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Generic, TypeVar

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
        # Kept in Python: Qt hands a StrEnum back as a plain str, and services compare
        # members with `is`.
        self._members: list[E | None] = []
        if blank is not None:
            self.addItem(blank, None)
            self._members.append(None)
        for member in members:
            self.addItem(_label(member), member)
            self._members.append(member)

    def value(self) -> E | None:
        index = self.currentIndex()
        return self._members[index] if 0 <= index < len(self._members) else None

    def members(self) -> list[E]:
        """The members offered, in order (the blank left out)."""
        return [m for m in self._members if m is not None]

    def set_value(self, member: E | None) -> None:
        if member in self._members:
            self.setCurrentIndex(self._members.index(member))


def _label(member: Enum) -> str:
    label = getattr(member, "label", None)
    return str(label) if label else str(member.value)


def compact(combo: QComboBox, characters: int = 10) -> QComboBox:
    """Let a combo shrink below its longest item (the popup still shows it whole), so long
    labels never set the window's minimum width."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    return combo
