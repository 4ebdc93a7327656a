"""The front end's door to the core: every read and every user action goes through here.

A user action runs one service call inside one transaction, then broadcasts a
`Changes` so each view decides for itself whether to refresh (Anki's habit).
"""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from therapy_desk.db.database import Database

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    """What one action changed: which client (None for clinic-wide) and which kind."""

    client_id: uuid.UUID | None
    kind: str


class Desk(QObject):
    changed = Signal(object)

    def __init__(
        self,
        database: Database,
        *,
        user: str | None = None,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__()
        self.database = database
        self.user = user or _login_name()
        self._today = today
        self._now = now

    def today(self) -> date:
        return self._today()

    def now(self) -> datetime:
        return self._now()

    def read(self, query: Callable[..., T], /, **kwargs: Any) -> T:
        """Run a read-only service function in its own short session."""
        with self.database.reading() as session:
            return query(session, **kwargs)

    def act(
        self,
        action: Callable[..., T],
        /,
        *,
        changes: Changes,
        **kwargs: Any,
    ) -> T:
        """One user action: the service call commits whole or not at all, then views hear."""
        with self.database.transaction() as session:
            result = action(session, **kwargs)
        self.changed.emit(changes)
        return result

    def close(self) -> None:
        self.database.close()


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "therapist"
