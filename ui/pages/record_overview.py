"""Overview: who the client is, the live advisories with their reasons, and the timeline."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from therapy_desk import words
from therapy_desk.services.advisories import AdvisoryView, restore_advisory
from therapy_desk.services.record_view import ClientRecord
from ui.desk import Desk
from ui.dialogs.dismiss import DismissDialog
from ui.pages.record_tab import RecordTab

#: Timeline kinds in words, for the first column.
KIND_WORDS = {
    "finding": "Weakness",
    "programme": "Programme",
    "device": "Device",
    "trial": "Trial",
    "measure": "Measure",
    "fall": "Fall",
    "handout": "Handout",
    "advisory": "Advisory",
}


class AdvisoryCard(QFrame):
    """One advisory with its Dismiss (or, once dismissed, who dismissed it and Restore).
    The tab keeps its cards and fills them again for the next record (`show_view`):
    making them afresh (and, until the event loop deleted them, showing the old ones
    too) was a large part of the cost of opening a record."""

    def __init__(self, view: AdvisoryView, tab: OverviewTab) -> None:
        super().__init__(tab)
        self.tab = tab
        self.setObjectName("advisory")
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        row = QHBoxLayout()
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        row.addWidget(self.note, 1)
        self.button = QPushButton(self)
        self.button.clicked.connect(self._clicked)
        row.addStretch(0)
        row.addWidget(self.button)
        layout.addLayout(row)
        self.show_view(view)

    def show_view(self, view: AdvisoryView) -> None:
        self.view = view
        a = view.advisory
        dismissed = view.dismissed is not None
        if self.property("dismissed") != dismissed:
            self.setProperty("dismissed", dismissed)
            self.style().unpolish(self)
            self.style().polish(self)
        self.text.setText(
            f"<b>{escape(a.title)}</b><br>{escape(a.reason)}<br><i>Suggestion:</i> "
            f"{escape(a.suggestion)}"
        )
        if view.dismissed is None:
            self.note.hide()
            self.note.clear()
            self.button.setText("Dismiss…")
            self.button.setAccessibleName(f"Dismiss advisory: {a.title}")
        else:
            d = view.dismissed
            self.note.setText(
                f"Dismissed by {escape(d.by)} on {words.day(d.at.astimezone().date())}: "
                f"{escape(d.reason)}"
            )
            self.note.show()
            self.button.setText("Restore")
            self.button.setAccessibleName(f"Restore advisory: {a.title}")
        self.setAccessibleName(f"Advisory: {a.title}")
        self.setAccessibleDescription(f"{a.reason} Suggestion: {a.suggestion}")

    def _clicked(self) -> None:
        if self.view.dismissed is None:
            self.tab.dismiss(self.view)
        else:
            self.tab.restore(self.view)


class OverviewTab(RecordTab):
    title = "&Overview"

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk, parent)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Client details")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop)

        advisories_title = QLabel("Advisories", self)
        advisories_title.setObjectName("sectionTitle")
        self.rules_note = QLabel(self)
        self.rules_note.setObjectName("rulesOff")
        self.rules_note.setWordWrap(True)
        self.rules_note.setAccessibleName("Advisory rules turned off")
        self.rules_note.hide()
        self.advisory_box = QWidget(self)
        self.advisory_list = QVBoxLayout(self.advisory_box)
        self.advisory_list.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.advisory_box)
        scroll.setAccessibleName("Advisories")
        self.advisory_scroll = scroll
        #: The cards showing this record's advisories; `_card_pool` holds every card
        #: made so far, in the list's order, those past `cards` hidden.
        self.cards: list[AdvisoryCard] = []
        self._card_pool: list[AdvisoryCard] = []
        self.no_advisories = QLabel(
            "No advisories: nothing in this record needs a second look.", self.advisory_box
        )
        self.no_advisories.setWordWrap(True)
        self.no_advisories.hide()
        self.advisory_list.addWidget(self.no_advisories)
        self.advisory_list.addStretch(1)

        timeline_title = QLabel("Timeline", self)
        timeline_title.setObjectName("sectionTitle")
        self.timeline = QTreeWidget(self)
        self.timeline.setAccessibleName("Timeline")
        self.timeline.setHeaderLabels(["Date", "What", "Event", "Details"])
        self.timeline.setRootIsDecorated(False)
        self.timeline.setAlternatingRowColors(True)
        self.timeline.setWordWrap(True)
        for column, width in enumerate((100, 90, 330)):
            self.timeline.setColumnWidth(column, width)
        timeline_title.setBuddy(self.timeline)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(advisories_title)
        left_layout.addWidget(self.rules_note)
        left_layout.addWidget(scroll, 1)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(timeline_title)
        right_layout.addWidget(self.timeline, 1)
        split = QSplitter(self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([1, 1])
        self.summary.setMinimumWidth(self.fontMetrics().averageCharWidth() * 36)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def show_record(self, record: ClientRecord) -> None:
        super().show_record(record)
        c = record.client
        rows = [
            ("Born", words.day_or(c.date_of_birth, "not recorded")),
            ("MS course", c.ms_course.label),
            ("Diagnosed", str(c.diagnosis_year) if c.diagnosis_year else "year not recorded"),
            ("Phone", c.phone or "—"),
            ("Email", c.email or "—"),
            ("Address", c.address or "—"),
            ("Handouts", "large print" if c.large_print else "standard print"),
        ]
        html = "".join(
            f"<tr><td><b>{label}</b>&nbsp;&nbsp;</td><td>{escape(value)}</td></tr>"
            for label, value in rows
        )
        notes = f"<p><b>Notes</b><br>{escape(c.notes)}</p>" if c.notes else ""
        self.summary.setText(f"<table>{html}</table>{notes}")

        if record.rules_off:
            count = len(record.rules_off)
            self.rules_note.setText(
                f"{words.count(count, 'advisory rule')} {words.noun(count, 'is', 'are')} turned "
                f"off for the clinic and {words.noun(count, 'raises', 'raise')} nothing here: "
                f"{'; '.join(record.rules_off)}. Clinic ▸ Advisory rules turns them on."
            )
            self.rules_note.show()
        else:
            self.rules_note.clear()
            self.rules_note.hide()
        self._show_cards(record.advisories)

        self.timeline.clear()
        for event in record.timeline:
            item = QTreeWidgetItem(
                [
                    words.day(event.on),
                    KIND_WORDS.get(event.kind, event.kind),
                    event.title,
                    event.detail or "",
                ]
            )
            item.setToolTip(2, event.title)
            item.setToolTip(3, event.detail or "")
            self.timeline.addTopLevelItem(item)

    def _show_cards(self, views: list[AdvisoryView]) -> None:
        pool = self._card_pool
        for number, view in enumerate(views):
            if number < len(pool):
                pool[number].show_view(view)
            else:
                card = AdvisoryCard(view, self)
                self.advisory_list.insertWidget(number, card)
                pool.append(card)
        self.cards = pool[: len(views)]
        for number, card in enumerate(pool):
            card.setVisible(number < len(views))
        self.no_advisories.setVisible(not views)

    def show_advisories(self) -> None:
        """Bring the open advisories into view, the focus on the first one's button."""
        first = next((c for c in self.cards if c.view.dismissed is None), None)
        if first is None:
            self.advisory_scroll.setFocus()
            return
        self.advisory_scroll.ensureWidgetVisible(first)
        first.button.setFocus()

    def advisory_titles(self) -> list[str]:
        """Titles of the open advisories shown (what a therapist reads first)."""
        return [c.view.advisory.title for c in self.cards if c.view.dismissed is None]

    def dismiss(self, view: AdvisoryView) -> None:
        DismissDialog(
            self.desk, client_id=self.client_id, advisory=view.advisory, parent=self
        ).exec()

    def restore(self, view: AdvisoryView) -> None:
        self.act(
            restore_advisory,
            changed="advisory",
            client_id=self.client_id,
            code=view.advisory.code,
            about=view.advisory.about,
        )
