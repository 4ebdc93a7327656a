"""Correcting a record made in error, without losing what it said.

A measure result or a fall that was typed wrong is never edited in place nor deleted:
a correction writes a new row and marks the old one superseded by it (who, when, why);
a strike-out marks the row struck (who, when, why). Both stay in the record's history.
Everything that reads results or falls for a purpose (charts, latest values, change
figures, advisories, handouts, this week, the caseload) reads only the *current* rows:
`Correctable.is_current` is that one filter, in Python and in SQL alike.

Also here: the JSON list columns a measurement uses (the devices used, the timed trials).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlalchemy import JSON, ColumnElement, Dialect, String, Text, TypeDecorator, and_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from therapy_desk.domain.base import USER_NAME_MAX

E = TypeVar("E", bound=StrEnum)
C = TypeVar("C", bound="Correctable")


class Correctable:
    """Columns (and the current-rows filter) of a record that can be corrected or struck out."""

    #: The row that corrected this one; set, this row is history.
    superseded_by_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    corrected_at: Mapped[datetime | None] = mapped_column(default=None)
    corrected_by: Mapped[str | None] = mapped_column(String(USER_NAME_MAX), default=None)
    correction_reason: Mapped[str | None] = mapped_column(Text, default=None)
    #: Struck out (made in error, nothing to put in its place); set, this row is history.
    struck_at: Mapped[datetime | None] = mapped_column(default=None)
    struck_by: Mapped[str | None] = mapped_column(String(USER_NAME_MAX), default=None)
    struck_reason: Mapped[str | None] = mapped_column(Text, default=None)

    @hybrid_property
    def is_current(self) -> bool:
        """Neither corrected since nor struck out: the row every read for a purpose uses."""
        return self.superseded_by_id is None and self.struck_at is None

    @is_current.inplace.expression
    @classmethod
    def _is_current(cls) -> ColumnElement[bool]:
        return and_(cls.superseded_by_id.is_(None), cls.struck_at.is_(None))

    @property
    def is_struck(self) -> bool:
        return self.struck_at is not None

    @property
    def is_superseded(self) -> bool:
        return self.superseded_by_id is not None


def current(rows: Iterable[C]) -> list[C]:
    """The rows still in force (the Python side of `Correctable.is_current`)."""
    return [row for row in rows if row.is_current]


def earlier_versions(rows: Sequence[C]) -> dict[uuid.UUID, list[C]]:
    """For each row, the rows it corrected, newest first (the chain back to the first entry)."""
    by_successor: dict[uuid.UUID, C] = {}
    for row in rows:
        if row.superseded_by_id is not None:
            by_successor[row.superseded_by_id] = row
    chains: dict[uuid.UUID, list[C]] = {}
    for row in rows:
        chain: list[C] = []
        seen = {_id(row)}
        step = by_successor.get(_id(row))
        while step is not None and _id(step) not in seen:
            chain.append(step)
            seen.add(_id(step))
            step = by_successor.get(_id(step))
        if chain:
            chains[_id(row)] = chain
    return chains


def _id(row: Any) -> uuid.UUID:
    value = row.id
    assert isinstance(value, uuid.UUID)
    return value


class EnumList(TypeDecorator[tuple[E, ...]], Generic[E]):
    """A list of enum members, stored as a JSON list of their values (never NULL: [])."""

    impl = JSON
    cache_ok = True

    def __init__(self, enum_class: type[E]) -> None:
        super().__init__()
        self.enum_class = enum_class

    def process_bind_param(self, value: Iterable[E] | None, dialect: Dialect) -> list[str]:
        return [self.enum_class(member).value for member in (value or ())]

    def process_result_value(self, value: Any, dialect: Dialect) -> tuple[E, ...]:
        return tuple(self.enum_class(v) for v in (value or ()))

    def coerce_compared_value(self, op: Any, value: Any) -> Any:
        return self.impl_instance


class NumberList(TypeDecorator[tuple[float, ...]]):
    """A list of numbers, stored as a JSON list; NULL when there is none."""

    impl = JSON(none_as_null=True)
    cache_ok = True

    def process_bind_param(
        self, value: Iterable[float] | None, dialect: Dialect
    ) -> list[float] | None:
        numbers = [float(v) for v in value] if value is not None else []
        return numbers or None

    def process_result_value(self, value: Any, dialect: Dialect) -> tuple[float, ...] | None:
        return tuple(float(v) for v in value) if value else None
