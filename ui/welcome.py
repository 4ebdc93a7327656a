"""First run: set up the clinic, open an existing database, or try the demo clinic."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.desk import Desk
from ui.dialogs.clinic import ClinicForm
from ui.screen_fit import size_window
from ui.widgets.database_file import choose_database_file


class WelcomeWindow(QWidget):
    clinic_created = Signal()
    open_path = Signal(str)
    open_demo = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("Welcome to Therapy Desk")
        title = QLabel("Welcome to Therapy Desk", self)
        title.setObjectName("pageTitle")
        intro = QLabel(
            "Therapy Desk keeps your caseload of clients with MS-related weakness: findings, "
            "home exercise programmes, devices, what was tried and whether it worked, "
            "measures and falls. Start in one of three ways.",
            self,
        )
        intro.setWordWrap(True)

        create = self._panel("Set up your clinic")
        self.form = ClinicForm(create)
        create.layout().addWidget(
            _note(
                f"Your records will be kept in {desk.where}. The clinic's name, "
                "address, phone and logo head every handout.",
                create,
            )
        )
        create.layout().addWidget(self.form)
        self.create_button = QPushButton("&Create clinic", create)
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create_clinic)
        create.layout().addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignRight)

        existing = self._panel("Open an existing database")
        existing.layout().addWidget(
            _note(
                "Choose a Therapy Desk database file, for example one copied from another "
                "workstation or a backup.",
                existing,
            )
        )
        self.open_button = QPushButton("&Open a database…", existing)
        self.open_button.clicked.connect(self.choose_database)
        existing.layout().addWidget(self.open_button)
        existing.layout().addStretch(1)

        demo = self._panel("Try the demo clinic")
        demo.layout().addWidget(
            _note(
                "200 made-up clients with findings, programmes, devices, trials, three years of "
                "measures and falls — to learn the program without touching real records. "
                "It is kept in its own file.",
                demo,
            )
        )
        self.demo_button = QPushButton("Open the &demo clinic", demo)
        self.demo_button.clicked.connect(self.open_demo.emit)
        demo.layout().addWidget(self.demo_button)
        demo.layout().addStretch(1)

        side = QVBoxLayout()
        side.addWidget(existing)
        side.addWidget(demo)
        panels = QHBoxLayout()
        panels.addWidget(create, 3)
        panels.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(panels, 1)
        size_window(self, 980, 560)
        self.form.name.setFocus()

    def _panel(self, heading: str) -> QFrame:
        frame = QFrame(self)
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame.setAccessibleName(heading)
        column = QVBoxLayout(frame)
        label = QLabel(heading, frame)
        label.setObjectName("sectionTitle")
        column.addWidget(label)
        return frame

    def create_clinic(self) -> None:
        if self.form.save(self.desk):
            self.clinic_created.emit()

    def choose_database(self) -> None:
        path = choose_database_file(self)
        if path:
            self.open_path.emit(path)


def _note(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label
