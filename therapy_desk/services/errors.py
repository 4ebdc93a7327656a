"""Errors services raise, worded for the person at the keyboard."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from therapy_desk import words


class ValidationError(ValueError):
    """One or more fields are wrong. `errors` maps each field to what is wrong and how to fix it."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


class NotFound(LookupError):
    """The record asked for does not exist (or no longer does)."""


class Conflict(RuntimeError):
    """Someone else changed the record since it was opened; nothing was saved.

    Carries who changed it, when, and the version now stored, so the screen can offer
    to reload, or to apply the user's edit again over the newer version.
    """

    def __init__(
        self,
        what: str,
        *,
        changed_by: str | None = None,
        changed_at: datetime | None = None,
        current_version: int | None = None,
    ) -> None:
        self.what = what
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.current_version = current_version
        super().__init__(self.describe())

    def describe(self) -> str:
        who = self.changed_by or "someone on another workstation"
        at = self.changed_at
        when = f" at {words.clock(at)} on {words.day(at.astimezone().date())}" if at else ""
        return (
            f"Not saved: {who} changed this {self.what}{when}, after you opened it. "
            "Your edit is kept: reload to see their change, or apply yours again over it"
        )
