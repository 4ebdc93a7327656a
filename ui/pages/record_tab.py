"""What every tab of the client record does: show a freshly read record, and say
whether it holds edits not yet saved."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from therapy_desk.services.errors import Conflict, NotFound, ValidationError
from therapy_desk.services.record_view import ClientRecord
from ui.desk import Changes, Desk
from ui.forms import Form

T = TypeVar("T")


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

    def save(self) -> bool:
        """Save pending edits; False if they could not be saved (the message is shown)."""
        return True

    def discard(self) -> None:
        """Drop pending edits."""

    def act(
        self,
        action: Callable[..., T],
        /,
        *,
        changed: str,
        form: Form | None = None,
        **kwargs: Any,
    ) -> T | None:
        """Run one user action for this client; show problems at the form's fields.
        `changed` names what kind of record changed, for the views that listen."""
        return run_action(self, self.desk, action, Changes(self.client_id, changed), form, **kwargs)


def run_action(
    parent: QWidget,
    desk: Desk,
    action: Callable[..., T],
    changes: Changes,
    form: Form | None,
    **kwargs: Any,
) -> T | None:
    """One user action with its errors shown: at the field when a form is given, else in
    a message box. Returns None when nothing was saved."""
    try:
        result = desk.act(action, changes=changes, **kwargs)
    except ValidationError as error:
        if form is not None:
            form.show_errors(error.errors)
        else:
            QMessageBox.warning(parent, "Not saved", "\n".join(error.errors.values()))
        return None
    except (Conflict, NotFound) as error:
        QMessageBox.warning(parent, "Not saved", str(error))
        return None
    if form is not None:
        form.clear_errors()
    return result
