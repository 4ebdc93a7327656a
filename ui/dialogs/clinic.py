"""The clinic's details printed on handouts: name, address, phone and logo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from therapy_desk.services.clinic import ClinicDetails, clinic_details, save_clinic_details
from ui.desk import Changes, Desk
from ui.forms import Form, text_box, text_or_none
from ui.pages.record_tab import run_action
from ui.screen_fit import size_dialog


class ClinicForm(Form):
    """Name, address, phone and logo, with the logo previewed as it will print."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.logo: bytes | None = None
        self.name = self.add("name", "Clinic &name:", QLineEdit())
        address = text_box(64)
        self.address = self.add("address", "&Address:", address)
        self.phone = self.add("phone", "&Phone:", QLineEdit())
        logo_row = QWidget()
        row = QHBoxLayout(logo_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.preview = QLabel("No logo")
        self.preview.setFixedSize(160, 64)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFrameShape(QLabel.Shape.StyledPanel)
        self.preview.setAccessibleName("Logo preview")
        self.choose = QPushButton("&Choose…")
        self.choose.setAccessibleName("Choose a logo picture")
        self.choose.clicked.connect(self.choose_logo)
        self.clear = QPushButton("Remo&ve")
        self.clear.setAccessibleName("Remove the logo")
        self.clear.clicked.connect(lambda: self.set_logo(None))
        row.addWidget(self.preview)
        row.addWidget(self.choose)
        row.addWidget(self.clear)
        row.addStretch(1)
        self.add("logo", "&Logo:", logo_row, hint="A PNG or JPEG up to 1 MB, printed on handouts")
        self.choose.setAccessibleName("Choose a logo picture")
        self.set_logo(None)

    def fill(self, details: ClinicDetails | None) -> None:
        if details is None:
            return
        self.name.setText(details.name)
        self.address.setPlainText(details.address or "")
        self.phone.setText(details.phone or "")
        self.set_logo(details.logo)

    def save(self, desk: Desk) -> bool:
        """Save the typed details as one action; problems appear at their fields."""
        saved = run_action(
            self, desk, save_clinic_details, Changes(None, "clinic"), self, details=self.details()
        )
        return saved is not None

    def details(self) -> ClinicDetails:
        return ClinicDetails(
            name=self.name.text(),
            address=text_or_none(self.address),
            phone=text_or_none(self.phone),
            logo=self.logo,
        )

    def set_logo(self, data: bytes | None) -> None:
        self.logo = data
        self.clear.setEnabled(data is not None)
        pixmap = QPixmap()
        if data is not None and pixmap.loadFromData(data):
            self.preview.setPixmap(
                pixmap.scaled(
                    self.preview.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.preview.setPixmap(QPixmap())
            self.preview.setText("No logo" if data is None else "Not a picture")

    def choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose the clinic logo", "", "Pictures (*.png *.jpg *.jpeg)"
        )
        if path:
            self.set_logo(Path(path).read_bytes())


class ClinicDialog(QDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("Clinic details")
        self.form = ClinicForm(self)
        self.form.fill(desk.read(clinic_details))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("These details head every handout the clinic prints.", self))
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        size_dialog(self, 520)

    def save(self) -> None:
        if self.form.save(self.desk):
            self.accept()
