"""Where finished handouts go: a PDF file the user names, or the printer — then on record.

Shared by the client's Handouts dialog and the admin's batch; ReportLab and pdfium
are imported only here and in the dialogs, never at start-up.

A handout goes on record when it is given: when it is printed for the client in
front of you, or when the user says so. A PDF saved (to send, or to print later)
asks "Given to the client now?"; No saves it without a record, which can be made
later by printing or saving again.

Saving a PDF and putting the handouts on record is then one user action: the PDF is
written under a private temporary name beside the chosen file and takes that name
only once the record has committed. If either fails, nothing is left behind: no PDF
that the record does not know about, no record of a handout that was never saved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QStyle, QWidget

from therapy_desk import words
from therapy_desk.files import OutputRefused, database_files, staged_file, sync
from therapy_desk.handouts.build import PacketResult
from therapy_desk.services.handouts import record_handouts_given
from ui.desk import Changes, Desk
from ui.errors import Choice, Notice, sentence, warn
from ui.pages.record_tab import run_action


def suggested_name(title: str, on: date) -> str:
    """A file name from a title, safe on every platform: 'Handouts – Zoë Ł… – 2026-11-21.pdf'."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", title).strip()
    cleaned = re.sub(r"\s+", " ", cleaned)[:80].rstrip(" .")
    return f"{cleaned} – {on.isoformat()}.pdf"


def open_database_files(desk: Desk) -> list[Path]:
    """The files of the open clinic database, which no export may ever write over."""
    path = desk.database.file
    return database_files(path) if path is not None else []


#: QSettings key: the folder a PDF was last saved in, where the next one starts.
LAST_FOLDER_KEY = "files/last_pdf_folder"


def folder_store() -> QSettings:
    """The app's own settings, where the last folder is remembered (tests swap it)."""
    return QSettings("Therapy Desk", "Therapy Desk")


def start_folder(store: QSettings) -> Path:
    """The folder last saved in, else the user's Documents folder, else their home —
    never the folder the program happened to be started from."""
    last = store.value(LAST_FOLDER_KEY)
    if isinstance(last, str) and last and Path(last).is_dir():
        return Path(last)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def ask_pdf_path(parent: QWidget, name: str, *, title: str = "Save handouts as PDF") -> Path | None:
    """Where to save a PDF; None when cancelled. The dialog itself asks before an
    existing file is replaced. The folder chosen is where the next one starts."""
    store = folder_store()
    chosen, _ = QFileDialog.getSaveFileName(
        parent, title, str(start_folder(store) / name), "PDF files (*.pdf)"
    )
    if not chosen:
        return None
    target = Path(chosen)
    store.setValue(LAST_FOLDER_KEY, str(target.parent))
    if target.suffix.lower() != ".pdf":
        target = target.with_name(target.name + ".pdf")
    return target


#: The answers to "Given to the client now?".
GIVEN, LATER = "given", "later"


def ask_given(parent: QWidget | None, packets: Sequence[PacketResult], *, title: str) -> bool:
    """Ask once whether these handouts are given now; True records them. Closing the
    question counts as No: a record is never made that the user did not confirm."""
    given = [p for p in packets if p.given]
    handouts = sum(len(p.given) for p in given)
    if not handouts:
        return False
    clients = len({p.snapshot.client_id for p in given})
    whom = "the client" if clients == 1 else f"the {words.count(clients, 'client')}"
    notice = Notice(
        parent,
        title=title,
        heading=f"Given to {whom} now?",
        text=(
            f"Yes puts {words.count(handouts, 'handout')} on "
            f"{'the' if clients == 1 else 'their'} record as given today. Choose No when "
            "they are to be sent or handed out later: print or save them again then, "
            "and say Yes."
        ),
        icon=QStyle.StandardPixmap.SP_MessageBoxQuestion,
        choices=(Choice(GIVEN, "&Yes, given now"), Choice(LATER, "&No, not yet")),
        default=LATER,
        cancel=LATER,
    )
    return notice.ask() == GIVEN


class _NotRecorded(Exception):
    """The record was not saved (the user has been told why): the PDF must not stay."""


def save_pdf_as(
    parent: QWidget,
    desk: Desk,
    data: bytes,
    name: str,
    packets: Sequence[PacketResult] = (),
    *,
    title: str = "Save handouts as PDF",
) -> tuple[Path, int] | None:
    """Ask where, then whether the handouts are given now; write the PDF and, when they
    are, put them on record as one action: the PDF takes its name only when the record
    has committed. The file and how many handouts were recorded (0 when not given), or
    None when cancelled or refused (the user is told)."""
    target = ask_pdf_path(parent, name, title=title)
    if target is None:
        return None
    given = ask_given(parent, packets, title="Save handouts")
    try:
        with staged_file(target, replace=True, protect=open_database_files(desk)) as partial:
            partial.write_bytes(data)
            count: int | None = 0
            if given:
                sync(partial)  # all that is left after the record commits is the rename
                count = record_given(desk, packets, parent=parent)
            if count is None:
                raise _NotRecorded
    except _NotRecorded:
        return None
    except OutputRefused as refused:
        warn(parent, "Save handouts", "The PDF was not saved", sentence(str(refused)))
        return None
    except OSError as problem:
        warn(
            parent,
            "Save handouts",
            "The PDF was not saved",
            f"It could not be written to {target} ({problem.strerror or 'the system refused'}). "
            "Choose another folder, or free some space, and save again. Nothing was recorded.",
        )
        return None
    return target, count or 0


def record_given(
    desk: Desk, packets: Sequence[PacketResult], *, parent: QWidget | None = None
) -> int | None:
    """Put every handout given on its client's record, in one transaction: how many,
    or None when that failed (the user has been told why)."""
    given = [p for p in packets if p.given]
    if not given:
        return 0
    client_ids = {p.snapshot.client_id for p in given}
    only = next(iter(client_ids)) if len(client_ids) == 1 else None
    saved = run_action(
        parent,
        desk,
        record_handouts_given,
        Changes(only, "handout"),
        None,
        doing="recording the handouts given",
        packets=given,
        by=desk.user,
        now=desk.now(),
    )
    if saved is None:
        return None
    return sum(len(p.given) for p in given)
