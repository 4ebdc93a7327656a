"""Errors services raise, worded for the person at the keyboard."""

from __future__ import annotations

from collections.abc import Mapping


class ValidationError(ValueError):
    """One or more fields are wrong. `errors` maps each field to what is wrong and how to fix it."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


class NotFound(LookupError):
    """The record asked for does not exist (or no longer does)."""


class Conflict(RuntimeError):
    """Someone else changed the record since it was opened; nothing was saved."""
