"""When the clinic database cannot be opened: say why in plain words, offer the way on.

Opening never creates a clinic by accident: a path with nothing at it (a typo in
--db, a remembered database since moved) asks first. A file that is not a clinic
database is named for what it is, and a damaged one is left as it is, with the
newest good backup offered in its place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QStyle, QWidget

from therapy_desk import words
from therapy_desk.db.faults import DamagedDatabase, NoDatabase, NotADatabase, StorageFault
from ui.errors import Choice, Notice, report_unexpected, sentence, tell, warn

#: The answers of the dialogs here.
CREATE, OPEN_ANOTHER, RESTORE, RETRY, LEAVE = "create", "open", "restore", "retry", "leave"


@dataclass(frozen=True)
class Attempt:
    """What to open next: `location` (None for the default), creating it if `create`."""

    location: str | None
    create: bool = False
    #: Remember it as the database to open next time (one the user chose).
    remember: bool = False


def is_opening_problem(error: BaseException) -> bool:
    """A problem opening a database that has its own plain message."""
    from therapy_desk.db.database import SchemaError

    return isinstance(error, StorageFault | SchemaError | ValueError | OSError)


def way_on(
    parent: QWidget | None, location: str | None, error: BaseException, *, leave: str
) -> Attempt | None:
    """Tell the user why `location` did not open; what they chose to try next, or None
    when they chose to leave (the `leave` button: "Quit" or "Cancel")."""
    if not is_opening_problem(error):
        report_unexpected(parent, error, doing="opening the clinic database")
        return None
    notice = problem_notice(parent, location, error, leave=leave)
    answer = notice.ask()
    if answer == CREATE:
        return Attempt(location, create=True)
    if answer == OPEN_ANOTHER:
        from ui.widgets.database_file import choose_database_file

        chosen = choose_database_file(parent)
        return Attempt(chosen, remember=True) if chosen else Attempt(location)
    if answer == RESTORE and isinstance(error, DamagedDatabase):
        restore_backup(parent, location, error)
        return Attempt(location)
    if answer == RETRY:
        return Attempt(location)
    return None


def problem_notice(
    parent: QWidget | None, location: str | None, error: BaseException, *, leave: str
) -> Notice:
    """The dialog for one problem, with the ways on that fit it."""
    another = Choice(OPEN_ANOTHER, "&Open another…")
    leaving = Choice(LEAVE, leave)
    title = "Therapy Desk — open a clinic"
    if isinstance(error, NoDatabase):
        return Notice(
            parent,
            title=title,
            heading=f"No clinic database at {error.path}",
            text=(
                "Nothing is there, and nothing was created. If the path has a typo, or the "
                "database was moved, choose Open another… to find it. To start a new, empty "
                "clinic at this path, choose Create a new clinic here."
            ),
            icon=QStyle.StandardPixmap.SP_MessageBoxQuestion,
            choices=(
                Choice(CREATE, "&Create a new clinic here"),
                another,
                leaving,
            ),
            default=OPEN_ANOTHER,
            cancel=LEAVE,
        )
    if isinstance(error, NotADatabase):
        return Notice(
            parent,
            title=title,
            heading=f"{error.path.name} is not a clinic database",
            text=(
                f"{error.path} is {error.what}, not a Therapy Desk database. It was left as "
                "it is. Choose Open another… to find the clinic's database file."
            ),
            choices=(another, leaving),
            cancel=LEAVE,
        )
    if isinstance(error, DamagedDatabase):
        return damaged_notice(parent, error, another=another, leaving=leaving)
    return Notice(
        parent,
        title=title,
        heading="The clinic database cannot be opened",
        text=_problem_text(location, error),
        choices=(Choice(RETRY, "&Try again"), another, leaving),
        default=RETRY,
        cancel=LEAVE,
    )


def damaged_notice(
    parent: QWidget | None, error: DamagedDatabase, *, another: Choice, leaving: Choice
) -> Notice:
    text = (
        f"SQLite's own check found damage in {error.path}, so Therapy Desk wrote nothing to it.\n\n"
    )
    choices = [another, leaving]
    if error.backup is not None:
        made = backup_date(error.backup)
        text += (
            f"The newest good backup was made on {made}:\n    {error.backup.name}\n"
            "Restoring puts it in the database's place: changes made after it are not in it. "
            "The damaged file is kept beside it, for your IT support to recover what they can."
        )
        choices.insert(0, Choice(RESTORE, f"&Restore the backup of {made}"))
    else:
        text += (
            "No good backup was found beside it. Ask your IT support to recover it, or "
            "open another database."
        )
    return Notice(
        parent,
        title="Therapy Desk — damaged database",
        heading="The clinic database is damaged",
        text=text,
        icon=QStyle.StandardPixmap.SP_MessageBoxCritical,
        choices=choices,
        default=choices[0].key,
        cancel=LEAVE,
    )


def backup_date(backup: Path) -> str:
    try:
        made = datetime.fromtimestamp(backup.stat().st_mtime)
    except OSError:
        return "an unknown date"
    return words.moment(made)


def restore_backup(parent: QWidget | None, location: str | None, error: DamagedDatabase) -> None:
    """Put the newest good backup in the damaged database's place, and say where the
    damaged file was kept."""
    from therapy_desk.db.backup import BackupFailed
    from therapy_desk.db.location import resolve_url
    from therapy_desk.db.maintenance import restore

    try:
        restored = restore(resolve_url(location), error.backup)
    except (StorageFault, BackupFailed, OSError) as problem:
        warn(
            parent,
            "Therapy Desk — restore",
            "The backup was not restored",
            _problem_text(location, problem),
        )
        return
    made = backup_date(restored.backup)
    kept = (
        f" The damaged file was kept as {restored.set_aside}."
        if restored.set_aside is not None
        else ""
    )
    tell(
        parent,
        "Therapy Desk — restore",
        f"The backup of {made} was restored",
        f"{restored.database} now holds the backup {restored.backup.name}. Changes made "
        f"after {made} are not in it: enter them again from your notes.{kept}",
    )


def _problem_text(location: str | None, error: BaseException) -> str:
    if isinstance(error, OSError) and not isinstance(error, StorageFault):
        where = error.filename or location or "the database"
        return f"{where} could not be opened: {error.strerror or 'the system refused'}."
    return sentence(str(error))
