"""What every tab of the client record does: show a freshly read record, and say
whether it holds edits not yet saved. `run_action` is how every Save in the app runs."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from PySide6.QtWidgets import QDialog, QWidget

from therapy_desk.db.faults import StorageFault
from therapy_desk.services.errors import Conflict, NotFound, ValidationError
from therapy_desk.services.record_view import ClientRecord
from ui.desk import Changes, Desk
from ui.errors import Choice, Notice, report_unexpected, sentence, warn
from ui.forms import Form

T = TypeVar("T")

#: What the user was doing, for the error dialog, when the caller does not say.
SAVING = "saving your changes"


class RecordTab(QWidget):
    #: The tab's title in the record's tab bar.
    title = ""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.record: ClientRecord | None = None

    def show_record(self, record: ClientRecord) -> None:
        self.record = record

    @property
    def client_id(self) -> uuid.UUID:
        assert self.record is not None
        return self.record.client.id

    def has_unsaved_changes(self) -> bool:
        return False

    def unsaved_detail(self) -> str | None:
        """What the pending edit is, in a few words ("2 exercises changed"), for the
        unsaved-changes prompt; None says only the tab's name."""
        return None

    def unsaved_summary(self) -> str:
        """Where the pending edit is and what it is: "Programme tab (2 exercises changed)"."""
        where = f"{self.title.replace('&', '')} tab"
        detail = self.unsaved_detail()
        return f"{where} ({detail})" if detail else where

    def save(self) -> bool:
        """Save pending edits; False if they could not be saved (the message is shown)."""
        return True

    def focus_problem(self) -> None:
        """Once this tab is showing, put the focus on the field whose message is shown
        (a field on a hidden tab cannot take the focus when the message arrives)."""
        for widget in self.findChildren(QWidget):
            if widget.property("invalid") and widget.isVisibleTo(self):
                widget.setFocus()
                return

    def discard(self) -> None:
        """Drop pending edits."""

    def reload(self, form: Form | None = None) -> None:
        """After a conflict, the user chose to see the other change: drop this edit (closing
        the dialog it was typed in) and read the record again."""
        window = form.window() if form is not None else None
        if isinstance(window, QDialog) and window is not self.window():
            window.done(QDialog.DialogCode.Rejected)
        self.discard()
        if self.record is not None:
            self.desk.changed.emit(Changes(self.client_id, "reload"))

    def act(
        self,
        action: Callable[..., T],
        /,
        *,
        changed: str,
        form: Form | None = None,
        on_invalid: Callable[[Mapping[str, str]], None] | None = None,
        **kwargs: Any,
    ) -> T | None:
        """Run one user action for this client; show problems at the form's fields.
        `changed` names what kind of record changed, for the views that listen."""
        return run_action(
            self,
            self.desk,
            action,
            Changes(self.client_id, changed),
            form,
            on_reload=lambda: self.reload(form),
            on_invalid=on_invalid,
            **kwargs,
        )


#: The conflict dialog's answers.
RELOAD, APPLY, CANCEL = "reload", "apply", "cancel"


def run_action(
    parent: QWidget | None,
    desk: Desk,
    action: Callable[..., T],
    changes: Changes,
    form: Form | None,
    *,
    on_reload: Callable[[], None] | None = None,
    on_invalid: Callable[[Mapping[str, str]], None] | None = None,
    doing: str = SAVING,
    **kwargs: Any,
) -> T | None:
    """One user action with everything that can go wrong told to the user; returns None
    when nothing was saved, and the form stays as the user left it.

    - a field to correct: at the field when a form is given (or `on_invalid`), else in
      a message;
    - someone else changed the record (Conflict): Reload (`on_reload`; by default the
      views re-read the record), Apply mine again (the same action over their version)
      or Cancel;
    - the record is gone, or the storage said no (busy, disk full…): its message;
    - anything else: the error dialog (logged safely, with Copy details).

    A field whose text cannot be read (a mistyped date) stops the action before it
    runs, with its message at the field: nothing is saved.
    """
    if form is not None and (problems := form.entry_problems()):
        (on_invalid or form.show_errors)(problems)
        return None
    while True:
        try:
            result = desk.act(action, changes=changes, **kwargs)
        except ValidationError as error:
            if on_invalid is not None:
                on_invalid(error.errors)
            elif form is not None:
                form.show_errors(error.errors)
            else:
                warn(parent, "Not saved", "Not saved", "\n".join(error.errors.values()))
            return None
        except Conflict as conflict:
            can_apply = "expected_version" in kwargs and conflict.current_version is not None
            answer = ask_about_conflict(parent, conflict, can_apply=can_apply)
            if answer == APPLY:
                kwargs["expected_version"] = conflict.current_version
                continue
            if answer == RELOAD:
                if form is not None:
                    form.clear_errors()
                (on_reload or (lambda: desk.changed.emit(changes)))()
            return None
        except NotFound as error:
            warn(parent, "Not saved", "Not saved: it is no longer there", sentence(str(error)))
            return None
        except StorageFault as fault:
            warn(parent, "Not saved", fault_heading(fault), sentence(str(fault)))
            return None
        except Exception as error:
            report_unexpected(parent, error, doing=doing)
            return None
        if form is not None:
            form.clear_errors()
        return result


def fault_heading(fault: StorageFault) -> str:
    """A short heading for a storage problem met while saving."""
    from therapy_desk.db import faults

    headings: list[tuple[type[StorageFault], str]] = [
        (faults.DatabaseBusy, "The database is busy"),
        (faults.DiskFull, "The disk is full"),
        (faults.ReadOnlyDatabase, "The database is read-only"),
        (faults.Unreachable, "The database server cannot be reached"),
        (faults.DiskTrouble, "The disk reported an error"),
        (faults.DamagedDatabase, "The database is damaged"),
    ]
    return next(
        (text for kind, text in headings if isinstance(fault, kind)), "Your changes were not saved"
    )


def conflict_notice(parent: QWidget | None, conflict: Conflict, *, can_apply: bool) -> Notice:
    choices = [Choice(RELOAD, "&Reload", apart=True)]
    if can_apply:
        choices.append(Choice(APPLY, "&Apply mine again"))
    choices.append(Choice(CANCEL, "Cancel"))
    notice = Notice(
        parent,
        title="Not saved",
        heading=f"This {conflict.what} was changed on another workstation",
        text=sentence(conflict.describe())
        + "\n\nReload drops your edit."
        + (" Apply mine again puts your edit in place of their change." if can_apply else "")
        + " Cancel goes back to your edit, still unsaved.",
        choices=choices,
        default=CANCEL,
        cancel=CANCEL,
    )
    notice.button(RELOAD).setToolTip("Drop your edit and show the record as it is now")
    if can_apply:
        notice.button(APPLY).setToolTip("Save your edit over the other change")
    return notice


def ask_about_conflict(parent: QWidget | None, conflict: Conflict, *, can_apply: bool) -> str:
    return conflict_notice(parent, conflict, can_apply=can_apply).ask() or CANCEL
