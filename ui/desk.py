"""The front end's door to the core: every read and every user action goes through here.

A user action runs one service call inside one transaction, then broadcasts a
`Changes` so each view decides for itself whether to refresh (Anki's habit).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal

from therapy_desk.db.faults import StorageFault
from therapy_desk.services.errors import ValidationError

if TYPE_CHECKING:
    from therapy_desk.db.database import Database

T = TypeVar("T")

#: Why nothing is saved while nobody has said who is using Therapy Desk here.
NO_CLINICIAN = (
    "Not saved: say who is using Therapy Desk on this computer first (File ▸ Clinician…), "
    "so the record shows who made this change"
)


@dataclass(frozen=True)
class Changes:
    """What one action changed: which client (None for clinic-wide) and which kind."""

    client_id: uuid.UUID | None
    kind: str


class Desk(QObject):
    changed = Signal(object)
    #: A desk made with `Desk.opening` could not open its database (the error).
    open_failed = Signal(object)

    def __init__(
        self,
        database: Database | None,
        *,
        user: str | None = None,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__()
        self._database = database
        self._ready = threading.Event()
        self._opening: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._started = False
        self._closed = False
        self._open_error: BaseException | None = None
        #: The database's location as safe to show (no password).
        self.where = ""
        if database is not None:
            from therapy_desk.db.location import describe

            self.where = describe(database.url)
            self._ready.set()
        #: Who is acting, stamped on what they record: the clinician's own name (see
        #: therapy_desk.workstation), never the login. None until they have said it.
        self.user: str | None = user
        self._today = today
        self._now = now

    @classmethod
    def opening(
        cls, open_database: Callable[[], Database], *, where: str, user: str | None = None
    ) -> Desk:
        """A desk whose database opens on a thread of its own, so the window can paint
        while SQLAlchemy loads; the first read or action waits for it."""
        desk = cls(None, user=user)
        desk.where = where

        def open_now() -> None:
            try:
                database = open_database()
            except BaseException as error:  # reported to the window; reads re-raise it
                desk._open_error = error
                desk.open_failed.emit(error)
            else:
                with desk._start_lock:
                    desk._database = database
                    desk._ready.set()
                    closed = desk._closed
                if closed:  # the app quit while it was opening: close it here
                    database.close()
            finally:
                desk._ready.set()

        desk._opening = threading.Thread(target=open_now, name="open-database", daemon=True)
        return desk

    def begin_opening(self) -> None:
        """Start opening the database (once): called after the first paint, so loading
        SQLAlchemy does not compete with it; any earlier use starts it too."""
        with self._start_lock:
            if self._opening is not None and not self._started:
                self._started = True
                self._opening.start()

    @property
    def database(self) -> Database:
        self.begin_opening()
        self._ready.wait()
        if self._database is None:
            raise NotOpened()
        return self._database

    @property
    def open_error(self) -> BaseException | None:
        """Why a desk made with `Desk.opening` has no database (None while all is well)."""
        return self._open_error

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
        """One user action: the service call commits whole or not at all, then views hear.
        Nothing is written without a name to stamp it with (the app asks for it before
        the first window is used): without one, ValidationError leaves the edit unsaved."""
        if not self.user:
            raise ValidationError({"clinician": NO_CLINICIAN})
        with self.database.transaction(user=self.user) as session:
            result = action(session, **kwargs)
        self.changed.emit(changes)
        return result

    def close(self) -> None:
        """Close the database; one still opening is not waited for (quitting is at once):
        the opening thread closes it when it is done, unless the process has ended."""
        if self._opening is not None and not self._started:
            return  # never opened: nothing to close
        with self._start_lock:
            self._closed = True
            if not self._ready.is_set():
                return
        if self._database is not None:
            self._database.close()


class NotOpened(StorageFault):
    """Asked to read or save on a desk whose database could not be opened (the window
    has already said why)."""

    def __init__(self) -> None:
        super().__init__(
            "the clinic database could not be opened, so nothing can be read or saved. "
            "Open another database from the File menu"
        )
