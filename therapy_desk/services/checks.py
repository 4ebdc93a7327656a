"""Field checks shared by the services and the import: collect every problem, then raise once."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from therapy_desk import words
from therapy_desk.services.errors import ValidationError


class Problems:
    """Collects field problems so a form can show all of them at once."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def require(self, ok: bool, field: str, message: str) -> None:
        if not ok:
            self.add(field, message)

    def text(
        self,
        field: str,
        value: str | None,
        *,
        label: str,
        limit: int,
        required: bool = False,
        single_line: bool = False,
    ) -> None:
        if value is None or not value.strip():
            if required:
                self.add(field, f"{label} is needed")
            return
        if len(value) > limit:
            length = words.count(len(value), "character")
            self.add(field, f"{label} is {length}; shorten it to {limit} or fewer")
        hidden = hidden_character(value, single_line=single_line)
        if hidden is not None:
            self.add(
                field,
                f"{label} holds an invisible control character ({hidden}); delete it, "
                "or paste the text again as plain text",
            )

    def visible(self, field: str, value: str | None, *, label: str) -> None:
        """Text that must show: at least one letter, digit, mark of punctuation or symbol."""
        if value and value.strip() and not any(_shows(c) for c in value):
            self.add(field, f"{label} has no visible characters; type it again")

    def whole(self, field: str, value: Any, *, label: str, low: int, high: int) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(field, f"{label} must be a whole number")
        elif not low <= value <= high:
            self.add(field, f"{label} must be from {low} to {high}; {value} is outside that")

    def in_order(
        self, field: str, earlier: date | None, later: date | None, *, message: str
    ) -> None:
        if earlier is not None and later is not None and later < earlier:
            self.add(field, message)

    def not_future(self, field: str, value: date | None, *, today: date, label: str) -> None:
        if value is not None and value > today:
            self.add(field, f"{label} cannot be in the future ({words.day(value)})")

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


#: Control characters free text may hold: tab and line breaks.
_TEXT_CONTROLS = frozenset("\t\n\r")


def hidden_character(value: str, *, single_line: bool = False) -> str | None:
    """The first control character (NUL, escape …) or lone surrogate in `value`, named
    as U+XXXX, or None. PostgreSQL cannot store NUL; none of them belongs in a record."""
    allowed = frozenset() if single_line else _TEXT_CONTROLS
    for char in value:
        if char in allowed:
            continue
        if unicodedata.category(char) in ("Cc", "Cs"):
            return f"U+{ord(char):04X}"
    return None


def _shows(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNPS"
