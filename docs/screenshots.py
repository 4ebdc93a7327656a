"""Take the README's screenshots of the real app on the demo clinic.

Run under a virtual screen so real fonts and window decorations are used:

    xvfb-run -s "-screen 0 1600x1000x24" .venv/bin/python docs/screenshots.py

Writes PNGs into docs/screens/. Uses a throwaway home folder, so no real settings
or databases are touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "screens"
sys.path.insert(0, str(HERE.parent))


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="td-shots-"))
    os.environ["HOME"] = str(home)
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ.pop("THERAPY_DESK_DB", None)

    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from therapy_desk.services.clients import find_by_reference
    from therapy_desk.services.demo import build_demo_clinic
    from therapy_desk.services.opening import open_clinic
    from ui.desk import Desk
    from ui.dialogs.catalogue import CatalogueBrowser
    from ui.main_window import MainWindow
    from ui.theme import Theme, apply_theme
    from ui.welcome import WelcomeWindow

    app = QApplication(sys.argv)
    OUT.mkdir(exist_ok=True)
    settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)

    def settle(ms: int = 150) -> None:
        end = ms / 1000
        import time

        started = time.perf_counter()
        while time.perf_counter() - started < end:
            app.processEvents()

    def snap(widget, name: str) -> None:  # type: ignore[no-untyped-def]
        settle()
        widget.grab().save(str(OUT / f"{name}.png"))
        print("wrote", OUT / f"{name}.png")

    apply_theme(app, Theme.LIGHT, larger_text=False)
    empty = Desk(open_clinic(str(home / "new-clinic.sqlite3")), user="Sam Patel")
    welcome = WelcomeWindow(empty)
    welcome.resize(1000, 580)
    welcome.show()
    snap(welcome, "welcome")
    welcome.close()

    database = open_clinic(str(home / "demo.sqlite3"))
    with database.transaction() as session:
        build_demo_clinic(session, clients=200, seed=7, today=date.today())
    desk = Desk(database, user="Sam Patel")
    window = MainWindow(desk, settings)
    window.resize(1500, 900)
    window.show()
    window.start()
    while window.caseload.model.total() == 0 or window.this_week.follow_ups.count() == 0:
        settle(50)
    snap(window, "caseload")

    # TD-00001 is the teaching example; devices and falls are shown on clients who have them.
    teaching = desk.read(find_by_reference, reference="TD-00001").id
    rows = window.caseload.model
    with_devices = next(
        rows.row_at(r).id for r in range(rows.rowCount()) if len(rows.row_at(r).devices) >= 2
    )
    fallen = window.this_week.falls.item(0).data(Qt.ItemDataRole.UserRole)
    chosen = {"DevicesTab": with_devices, "FallsTab": fallen}
    for number, page in enumerate(window.record.tab_pages):
        window.open_client(chosen.get(type(page).__name__, teaching))
        window.record.tabs.setCurrentIndex(number)
        snap(window, f"record-{type(page).__name__.removesuffix('Tab').lower()}")
    window.open_client(teaching)

    browser = CatalogueBrowser(desk, window)
    browser.search.setText("sit to stand")
    browser.show()
    snap(browser, "catalogue")
    browser.close()

    from ui.dialogs.handouts import HandoutsDialog
    from ui.dialogs.print_due import PrintDueDialog
    from ui.forms import set_date

    handouts = HandoutsDialog(desk, with_devices, window)
    handouts.show()
    while not handouts.save_button.isEnabled():
        settle(50)
    snap(handouts, "handouts")
    handouts.close()
    batch = PrintDueDialog(desk, window)
    set_date(batch.end, date.today() + timedelta(days=6))
    batch.show()
    snap(batch, "print-due")
    batch.close()

    window.record.tabs.setCurrentIndex(2)
    apply_theme(app, Theme.DARK, larger_text=False)
    snap(window, "theme-dark")
    window.record.tabs.setCurrentIndex(1)
    apply_theme(app, Theme.HIGH_CONTRAST, larger_text=True)
    snap(window, "theme-high-contrast")
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
