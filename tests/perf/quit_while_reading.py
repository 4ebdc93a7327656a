"""How long quitting takes while the caseload is still being read behind the window.

Each run starts the app on DB (offscreen), and as soon as the window is up with a read
under way on the worker, closes it as Ctrl+Q does; the parent times from that close to
the process's end. "opening": the database is still opening behind the first paint;
"reading": it is open and the whole caseload is being read; "idle": all is read (the
floor: what ending the process costs anyway). Not a test: run it by hand
on a large clinic (`therapy-desk --db big.sqlite3 demo --clients 3000`).

    python -m tests.perf.quit_while_reading DB [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import ui.app
from ui.main_window import MainWindow

qt = QApplication([sys.argv[0]])

def close_while_reading():
    try:
        check()
    except BaseException:  # no error dialog to wait on: say it and stop
        import traceback
        traceback.print_exc()
        os._exit(3)

def check():
    windows = [w for w in qt.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    window = windows[0] if windows else None
    opened = window is not None and window.desk._ready.is_set()
    busy = window is not None and window.background.busy()
    ready = {
        "opening": busy and not opened,
        "reading": busy and opened,
        "idle": opened and not busy and window.caseload.model.total() > 0,
    }[sys.argv[2]]
    if not ready:
        QTimer.singleShot(5, close_while_reading)
        return
    print(f"closing {time.time():.6f}", flush=True)
    windows[0].close()
    qt.quit()

QTimer.singleShot(0, close_while_reading)
ui.app.run(sys.argv[1], "timer")
"""


def once(db: str, when: str) -> float:
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, db, when],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": tempfile.mkdtemp()},
    )
    assert process.stdout is not None
    closed = None
    for line in process.stdout:
        if line.startswith("closing "):
            closed = float(line.split()[1])
    code = process.wait()
    ended = time.time()
    if code:
        raise SystemExit(f"the app ended with {code}")
    if closed is None:
        raise SystemExit("the window closed before a read was under way")
    return (ended - closed) * 1000


def main() -> None:
    db = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    for when in ("opening", "reading", "idle"):
        times = [once(db, when) for _ in range(runs)]
        print(
            f"quit while {when}: median {statistics.median(times):.0f} ms, max "
            f"{max(times):.0f} ms over {runs} runs ({', '.join(f'{t:.0f}' for t in times)})"
        )


if __name__ == "__main__":
    main()
