"""What can go wrong with the storage itself, worded for the person at the keyboard.

Database drivers describe trouble in their own terms ("no such savepoint" for a full
disk, "database is locked" for a read-only file) and PostgreSQL's messages quote the
failing row, which is a client's data. `storage_fault` turns a driver error into one
of the plain faults here, reading only error codes, never the driver's message text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path


class StorageFault(RuntimeError):
    """The database cannot do what was asked; the message says why and what to do."""


class NoDatabase(StorageFault):
    """No clinic database at the path given; nothing was created."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"no clinic database at {path}. Check the path for a typo; to start a new "
            f"clinic there, run `therapy-desk --db {path} db init`"
        )


class NotADatabase(StorageFault):
    """The path holds something other than a Therapy Desk database; it was left as it is."""

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self.what = what
        super().__init__(
            f"{path} is not a Therapy Desk database: it is {what}. "
            "Nothing was changed. Check the path, or choose the clinic's database file"
        )


class DamagedDatabase(StorageFault):
    """SQLite's own check found damage; nothing was written to the file."""

    def __init__(self, path: Path, *, backup: Path | None) -> None:
        self.path = path
        #: The newest backup that passed its own check, if there is one.
        self.backup = backup
        advice = (
            f"The newest good backup is {backup}; restore it with "
            f"`therapy-desk --db {path} db restore`"
            if backup is not None
            else "No good backup was found beside it; ask your IT support to recover it"
        )
        super().__init__(f"{path} is damaged, so nothing was written to it. {advice}")


class DatabaseBusy(StorageFault):
    """Another program or workstation holds what this action needs; nothing was saved."""

    def __init__(self, subject: str | None = None) -> None:
        self.subject = subject
        held = f"client {subject} is" if subject else "the database is"
        super().__init__(
            f"Nothing was saved: {held} busy — another workstation or program is saving "
            "to it. Wait a moment and try again; if it stays busy, close Therapy Desk on "
            "the other computers"
        )


class DiskFull(StorageFault):
    def __init__(self) -> None:
        super().__init__(
            "Nothing was saved: the disk holding the database is full. Free some space "
            "(empty the bin, move old files), then try again"
        )


class ReadOnlyDatabase(StorageFault):
    def __init__(self) -> None:
        super().__init__(
            "Nothing was saved: the database is read-only for your account (a file's "
            "permissions, a locked folder, or a read-only copy). Ask your IT support for "
            "write access, or open the clinic's own database"
        )


class Unreachable(StorageFault):
    def __init__(self) -> None:
        super().__init__(
            "cannot reach the database server. Check the network and that the server is "
            "running, then try again"
        )


class CannotOpen(StorageFault):
    def __init__(self) -> None:
        super().__init__(
            "the database file cannot be opened: your account may not have access to it "
            "or to its folder. Ask your IT support, or choose another database"
        )


class DiskTrouble(StorageFault):
    def __init__(self) -> None:
        super().__init__(
            "Nothing was saved: the disk reported an input/output error. Check the drive "
            "(a removed USB stick, a network share gone), then try again"
        )


def causes(error: BaseException) -> Iterator[BaseException]:
    """The error and what led to it, newest first (a chain of `raise … from` and context)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


#: SQLite primary result codes (sqlite3.h) and what they mean to the user.
_SQLITE_CODES = {
    5: "busy",  # SQLITE_BUSY
    6: "busy",  # SQLITE_LOCKED
    8: "readonly",  # SQLITE_READONLY
    10: "ioerr",  # SQLITE_IOERR
    11: "corrupt",  # SQLITE_CORRUPT
    13: "full",  # SQLITE_FULL
    14: "cantopen",  # SQLITE_CANTOPEN
    26: "notadb",  # SQLITE_NOTADB
}

#: PostgreSQL SQLSTATE codes (by class or whole code) and what they mean to the user.
_PG_CODES = {
    "55P03": "busy",  # lock_not_available (lock_timeout)
    "57014": "busy",  # query_canceled (statement_timeout)
    "40P01": "busy",  # deadlock_detected
    "40001": "busy",  # serialization_failure
    "53100": "full",  # disk_full
    "25006": "readonly",  # read_only_sql_transaction
    "08": "unreachable",  # connection exceptions
    "57P": "unreachable",  # admin/crash shutdown, cannot connect now
}


def _kind(error: BaseException) -> str | None:
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return _SQLITE_CODES.get(code & 0xFF)
    state = getattr(error, "sqlstate", None)
    if isinstance(state, str):
        for prefix in (state, state[:3], state[:2]):
            if prefix in _PG_CODES:
                return _PG_CODES[prefix]
    if type(error).__module__.startswith("psycopg") and type(error).__name__ == "OperationalError":
        return "unreachable"  # no SQLSTATE: the connection itself failed
    return None


def storage_fault(
    error: BaseException, *, path: Path | None = None, subject: str | None = None
) -> StorageFault | None:
    """The plain fault behind a driver error, or None when it is not a storage problem.

    `subject` names the client the action was about, for a busy message.
    """
    for cause in causes(error):
        if isinstance(cause, StorageFault):
            return cause
        kind = _kind(cause)
        if kind is None:
            continue
        if kind == "busy":
            return DatabaseBusy(subject)
        if kind == "full":
            return DiskFull()
        if kind == "readonly":
            return ReadOnlyDatabase()
        if kind == "cantopen":
            return ReadOnlyDatabase() if path is not None and _read_only(path) else CannotOpen()
        if kind == "ioerr":
            return DiskTrouble()
        if kind in ("corrupt", "notadb") and path is not None:
            from therapy_desk.db.backup import newest_good_backup

            return DamagedDatabase(path, backup=newest_good_backup(path))
        if kind == "unreachable":
            return Unreachable()
    return None


def _read_only(path: Path) -> bool:
    """The file or its folder cannot be written (a read-only medium, share or mode)."""
    import os

    return not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK))
