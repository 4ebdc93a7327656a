"""Field checks shared by the services and the import: collect every problem, then raise once."""

from __future__ import annotations

from datetime import date
from typing import Any

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
        self, field: str, value: str | None, *, label: str, limit: int, required: bool = False
    ) -> None:
        if value is None or not value.strip():
            if required:
                self.add(field, f"{label} is needed")
            return
        if len(value) > limit:
            self.add(field, f"{label} is {len(value)} characters; shorten it to {limit} or fewer")

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
            self.add(field, f"{label} cannot be in the future ({value.isoformat()})")

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
