"""The one door for unexpected errors: a plain message for the user, the detail in a log.

The log lives in the user's log folder (platformdirs), readable by the user alone.
It keeps what a developer needs — where the error happened, the kinds of error in
its chain, the SQL statement with its placeholders, database error codes — and never
an exception's message or a parameter value: those can quote a client's record (a
name, a note, PostgreSQL's "failing row contains …").
"""

from __future__ import annotations

import os
import traceback
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from therapy_desk.files import NOFOLLOW, PRIVATE_FILE, private_folder

#: The log is started afresh when it grows past this, keeping one older file.
LOG_LIMIT_BYTES = 1_000_000
LOG_NAME = "therapy-desk.log"


@dataclass(frozen=True)
class Incident:
    """One unexpected error, as told to the user."""

    #: A short code the user can quote to support; it heads the entry in the log.
    code: str
    #: What the user was doing, in their words ("saving the client's details").
    doing: str
    #: The safe details (also written to the log): the "Copy details" text.
    details: str
    #: Where the details were written, or None when even the log could not be written.
    log: Path | None

    def message(self) -> str:
        where = (
            f"The details are in {self.log} (incident {self.code})."
            if self.log is not None
            else f"Incident {self.code}; the log could not be written."
        )
        return (
            f"Something went wrong while {self.doing}, and it was not finished. Nothing "
            f"half-done was saved. {where} Try again; if it happens again, send the "
            "details to your support contact."
        )


def log_folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir("therapy-desk", appauthor=False))


def safe_details(error: BaseException) -> str:
    """The error's chain and stack, with no message text and no parameter values."""
    parts: list[str] = []
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for number, cause in enumerate(reversed(chain)):
        if number:
            parts.append("which led to")
        parts.append(f"{type(cause).__module__}.{type(cause).__qualname__}")
        parts.extend(_codes(cause))
        for frame in traceback.extract_tb(cause.__traceback__):
            parts.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
            if frame.line:
                parts.append(f"    {frame.line}")
    return "\n".join(parts)


def _codes(error: BaseException) -> list[str]:
    """Facts about a database error that are safe to keep: codes and the statement's SQL
    (written with placeholders; the values travel separately and are left out)."""
    facts: list[str] = []
    for name in ("sqlite_errorname", "sqlstate"):
        value = getattr(error, name, None)
        if isinstance(value, str):
            facts.append(f"  {name}: {value}")
    statement = getattr(error, "statement", None)
    if isinstance(statement, str):
        facts.append("  statement: " + " ".join(statement.split())[:2000])
    diag = getattr(error, "diag", None)
    for name in ("table_name", "column_name", "constraint_name"):
        value = getattr(diag, name, None) if diag is not None else None
        if isinstance(value, str):
            facts.append(f"  {name}: {value}")
    return facts


def report(error: BaseException, *, doing: str) -> Incident:
    """Log an unexpected error safely and return what to tell the user."""
    code = uuid.uuid4().hex[:8].upper()
    details = f"Therapy Desk incident {code}, while {doing}\n{safe_details(error)}"
    return Incident(code, doing, details, _write(details))


def _write(details: str) -> Path | None:
    try:
        folder = private_folder(log_folder())
        log = folder / LOG_NAME
        if log.exists() and log.stat().st_size > LOG_LIMIT_BYTES:
            os.replace(log, log.with_name(LOG_NAME + ".1"))
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | NOFOLLOW
        fd = os.open(log, flags, PRIVATE_FILE)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, PRIVATE_FILE)
            stamp = datetime.now(UTC).isoformat(timespec="seconds")
            os.write(fd, f"--- {stamp}\n{details}\n".encode())
        finally:
            os.close(fd)
        return log
    except OSError:
        return None
