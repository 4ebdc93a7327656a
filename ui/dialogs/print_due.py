"""The admin's batch: handouts for every client with a follow-up in a date range.

Who is due follows This week's own rule (`follow_ups_due`): the range's follow-ups and,
unless the admin leaves them out, every overdue one, marked. Each client can be unticked.
One combined PDF (each client's pages numbered on their own) saved to a file or
sent straight to the printer. Building runs on its own worker with progress and
Cancel. Handouts printed ahead of a follow-up are not yet given: once the file
is written or the printer has it, the dialog asks once whether they were given
now, and only Yes records every client's handouts, in one transaction.
"""

from __future__ import annotations

import threading
from datetime import date
from enum import Enum

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from therapy_desk import words
from therapy_desk.handouts.build import BatchCancelled, HandoutPdf, Packet, build_batch
from therapy_desk.handouts.snapshot import USUAL_KINDS, HandoutUnavailable
from therapy_desk.services.handouts import handout_snapshots
from therapy_desk.services.this_week import FollowUpDue, follow_ups_due, week_ahead
from ui.background import Background
from ui.desk import Desk
from ui.forms import ErrorLabel, date_edit, date_value, set_date
from ui.handout_output import (
    ask_given,
    open_database_files,
    record_given,
    save_pdf_as,
    suggested_name,
)
from ui.widgets.handout_kinds import HandoutKindChecks


class PrintSize(Enum):
    PREFERENCE = "Each client's own preference"
    LARGE = "Large print for everyone"
    STANDARD = "Standard print for everyone"


class _Progress(QObject):
    advanced = Signal(int, int)


class PrintDueDialog(QDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.due: list[FollowUpDue] = []
        self.background = Background(self)
        self._cancel = threading.Event()
        self._relay = _Progress(self)
        self._progress: QProgressDialog | None = None
        self._destination = "file"
        self.setWindowTitle("Print handouts for follow-ups due")

        today = desk.today()
        self.start = date_edit(optional=False, today=desk.today, parent=self)
        self.end = date_edit(optional=False, today=desk.today, parent=self)
        self._set_range(*week_ahead(today))
        self.start.setAccessibleName("From")
        self.end.setAccessibleName("To")
        self.range_error = ErrorLabel(self)
        week = QPushButton("Next &7 days", self)
        week.setToolTip("Today and the 7 days after: the follow-ups This week lists")
        week.clicked.connect(lambda: self._set_range(*week_ahead(today)))
        self.overdue = QCheckBox("Include &overdue follow-ups (booked before today)", self)
        self.overdue.setChecked(True)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(QLabel("to", self))
        dates.addWidget(self.end)
        dates.addWidget(week)
        dates.addStretch(1)

        self.kinds = HandoutKindChecks(self)
        self.kinds.set_chosen(USUAL_KINDS)
        self.print_size = QComboBox(self)
        for choice in PrintSize:
            self.print_size.addItem(choice.value, choice)
        self.print_size.setAccessibleName("Print size")

        top = QFormLayout()  # the range runs across the dialog, above the two columns
        from_label = QLabel("&Follow-ups from:", self)
        from_label.setBuddy(self.start)
        top.addRow(from_label, dates)
        top.addRow("", self.range_error)
        form = QFormLayout()
        form.addRow(self.overdue)
        size_label = QLabel("Si&ze:", self)
        size_label.setBuddy(self.print_size)
        form.addRow(size_label, self.print_size)
        kinds_box = QGroupBox("Handouts (each client gets the ones that apply)", self)
        QVBoxLayout(kinds_box).addWidget(self.kinds)

        self.count = QLabel(self)
        self.count.setAccessibleName("Clients due")
        self.clients = QListWidget(self)
        self.clients.setAccessibleName("Clients due: untick any to leave out")
        self.clients.setWordWrap(True)
        self.report = QPlainTextEdit(self)
        self.report.setReadOnly(True)
        self.report.setAccessibleName("Report")
        self.report.setPlaceholderText("What was printed, and anything left out, shows here.")
        self.report.setMaximumHeight(130)

        self.save_button = QPushButton("&Save as one PDF…", self)
        self.print_button = QPushButton("&Print…", self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(lambda: self.run("file"))
        self.print_button.clicked.connect(lambda: self.run("printer"))

        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(kinds_box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.count)
        right.addWidget(self.clients, 1)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addWidget(self.report)
        layout.addWidget(buttons)
        self.resize(980, 580)

        self.start.dateChanged.connect(self.refresh)
        self.end.dateChanged.connect(self.refresh)
        self.overdue.toggled.connect(self.refresh)
        self.clients.itemChanged.connect(self._ticks_changed)
        self.kinds.changed.connect(self._choice_changed)
        self.print_size.currentIndexChanged.connect(self._choice_changed)
        self._relay.advanced.connect(self._advanced, Qt.ConnectionType.QueuedConnection)
        self.refresh()

    # --- who is due ---------------------------------------------------------------------

    def _set_range(self, start: date, end: date) -> None:
        set_date(self.start, start)
        set_date(self.end, end)

    def refresh(self) -> None:
        """Who is due for the range and the overdue choice; everyone ticked to start."""
        start, end = date_value(self.start), date_value(self.end)
        self.report.clear()  # what it said was about the range before
        self.clients.blockSignals(True)
        self.clients.clear()
        self.clients.blockSignals(False)
        self.due = []
        if start is None or end is None or end < start:
            self.range_error.say(
                "Type both dates of the range (what is wrong shows beside the date)."
                if start is None or end is None
                else "The range ends before it starts; set 'to' on or after 'from'."
            )
            self.count.setText("")
            self._update_buttons()
            return
        self.range_error.say(None)
        self.due = self.desk.read(
            follow_ups_due,
            today=self.desk.today(),
            start=start,
            end=end,
            overdue=self.overdue.isChecked(),
        )
        self.clients.blockSignals(True)
        for row in self.due:
            self.clients.addItem(_due_item(row))
        self.clients.blockSignals(False)
        self._ticks_changed()

    def ticked(self) -> list[FollowUpDue]:
        """The clients whose handouts will be made: those still ticked, in list order."""
        return [
            row
            for index, row in enumerate(self.due)
            if self.clients.item(index).checkState() == Qt.CheckState.Checked
        ]

    def _ticks_changed(self, _item: QListWidgetItem | None = None) -> None:
        self.report.clear()
        total = len(self.due)
        if not total:
            self.count.setText("No active client has a follow-up in this range.")
        else:
            overdue = sum(row.overdue for row in self.due)
            late = f" · {words.number(overdue)} overdue" if overdue else ""
            self.count.setText(
                f"Print {words.number(len(self.ticked()))} of {words.count(total, 'client')}{late}"
            )
        self._update_buttons()

    def _choice_changed(self) -> None:
        self.report.clear()
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = bool(self.ticked()) and bool(self.kinds.chosen())
        self.save_button.setEnabled(ready)
        self.print_button.setEnabled(ready)

    def _title(self) -> str:
        start, end = date_value(self.start), date_value(self.end)
        span = f"{words.day(start)} to {words.day(end)}" if start and end else ""
        overdue = " and overdue" if self.overdue.isChecked() else ""
        return f"Handouts for follow-ups {span}{overdue}"

    # --- building (its own worker, so the caseload stays live) --------------------------

    def run(self, destination: str) -> None:
        chosen = self.ticked()
        if not chosen or not self.kinds.chosen():
            return
        self._destination = destination
        self._cancel.clear()
        kinds = tuple(self.kinds.chosen())
        size: PrintSize = self.print_size.currentData()
        ids = [row.client_id for row in chosen]
        today = self.desk.today()
        title = self._title()

        progress = QProgressDialog("Reading the records…", "Cancel", 0, len(ids), self)
        progress.setWindowTitle("Handouts for follow-ups due")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.canceled.connect(self._cancel.set)
        self._progress = progress

        def work() -> HandoutPdf:
            snapshots = self.desk.read(handout_snapshots, client_ids=ids, today=today)
            packets = [
                Packet(
                    s,
                    kinds,
                    s.prefers_large_print
                    if size is PrintSize.PREFERENCE
                    else size is PrintSize.LARGE,
                )
                for s in snapshots
            ]

            def advance(done: int, total: int) -> bool:
                self._relay.advanced.emit(done, total)
                return not self._cancel.is_set()

            return build_batch(packets, title=title, progress=advance)

        self.background.run(
            "batch",
            work,
            self._built,
            self._failed,
            doing="making the handouts for follow-ups due",
            known=(BatchCancelled, HandoutUnavailable),
        )

    def _advanced(self, done: int, total: int) -> None:
        if self._progress is not None and not self._cancel.is_set():
            self._progress.setMaximum(total)
            self._progress.setLabelText(
                f"Making handouts: {words.number(done)} of {words.count(total, 'client')}…"
            )
            self._progress.setValue(done)

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.canceled.disconnect(self._cancel.set)
            self._progress.close()
            self._progress = None

    def _failed(self, error: Exception) -> None:
        self._close_progress()
        if isinstance(error, BatchCancelled):
            self.report.setPlainText("Cancelled. Nothing was saved, printed or recorded.")
        elif isinstance(error, HandoutUnavailable):
            self.report.setPlainText(str(error))
        else:
            self.report.setPlainText(f"The handouts could not be made: {error}")

    def _built(self, pdf: HandoutPdf) -> None:
        self._close_progress()
        title = self._title()
        if self._destination == "file":
            name = suggested_name(title, self.desk.today())
            saved = save_pdf_as(self, self.desk, pdf.pdf, name, pdf.packets)
            if saved is None:
                self.report.setPlainText("Not saved, so nothing was recorded.")
                return
            target, count = saved
            where = f"Saved {words.count(pdf.pages, 'page')} to {target}."
        else:
            from ui.pdf_print import print_pdf

            if not print_pdf(pdf.pdf, self, title=title, protect=open_database_files(self.desk)):
                self.report.setPlainText("Not printed, so nothing was recorded.")
                return
            where = f"Sent {words.count(pdf.pages, 'page')} to the printer."
            recorded = (
                record_given(self.desk, pdf.packets, parent=self)
                if ask_given(self, pdf.packets, title="Print handouts")
                else 0
            )
            if recorded is None:
                self.report.setPlainText(f"{where} They were not recorded: see the message.")
                return
            count = recorded
        printed = sum(1 for p in pdf.packets if p.given)
        lines = [
            f"{where} {words.count(count, 'handout')} for {words.count(printed, 'client')} "
            "added to their timelines."
            if count
            else f"{where} Not recorded as given: print or save them again when they are "
            "handed out, and say they were given."
        ]
        for packet in pdf.packets:
            for kind, reason in packet.skipped.items():
                lines.append(f"{packet.snapshot.reference}: {kind.label} left out. {reason}")
        self.report.setPlainText("\n".join(lines))

    def done(self, result: int) -> None:
        self._cancel.set()
        self.background.wait(30_000)
        super().done(result)


def _due_item(row: FollowUpDue) -> QListWidgetItem:
    """A ticked, checkable line; an overdue follow-up says since when, in bold."""
    when = f"Overdue since {words.day(row.on)}" if row.overdue else words.short_day(row.on)
    large = " · large print" if row.large_print else ""
    item = QListWidgetItem(f"{when}  ·  {row.name} ({row.reference}){large}")
    item.setFlags(
        Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable
    )
    item.setCheckState(Qt.CheckState.Checked)
    item.setData(Qt.ItemDataRole.UserRole, row.client_id)
    if row.overdue:
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    return item
