"""The Qt binding itself must be sound: a PySide6 build that leaks references to None
(6.12.0 on Python 3.11) crashes the app after a few thousand paints."""

from __future__ import annotations

import sys

from PySide6.QtGui import QPen


def test_calls_returning_nothing_keep_none_alive() -> None:
    pen = QPen()
    before = sys.getrefcount(None)
    for _ in range(1000):
        pen.setWidthF(2.0)
    assert sys.getrefcount(None) >= before - 10
