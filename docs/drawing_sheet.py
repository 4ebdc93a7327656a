"""Render every exercise drawing (start and finish) to one PNG contact sheet, for checking by eye.

    .venv/bin/python docs/drawing_sheet.py docs/drawings-after.png
    .venv/bin/python docs/drawing_sheet.py /tmp/hands.png peg-pick-up coin-pick-up

With keys after the file name only those drawings are drawn, larger, so one can
look closely. Each cell holds the start and finish pictures side by side with the
illustration key under them. Runs headless (Qt's offscreen platform).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

#: Cells per row on the full sheet.
COLUMNS = 8
#: Side of one picture in pixels: small on the full sheet, larger for chosen keys.
SIDE_ALL, SIDE_CHOSEN = 120, 260


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPalette, QPen

    from therapy_desk.library.drawings import drawing, drawing_keys
    from ui.widgets.exercise_drawing import DrawingColours, paint_picture

    app = QGuiApplication.instance() or QGuiApplication(argv[:1])
    chosen = argv[2:]
    keys = chosen or sorted(drawing_keys())
    side = SIDE_CHOSEN if chosen else SIDE_ALL
    columns = min(COLUMNS if not chosen else 3, len(keys))
    cell_w, cell_h = 2 * side + 24, side + 22
    rows = (len(keys) + columns - 1) // columns
    image = QImage(columns * cell_w, rows * cell_h, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("white"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("black"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#1565c0"))
    colours = DrawingColours.from_palette(palette)
    painter = QPainter(image)
    try:
        painter.setFont(QFont("DejaVu Sans", 9 if not chosen else 12))
        for index, key in enumerate(keys):
            found = drawing(key)
            left = (index % columns) * cell_w
            top = (index // columns) * cell_h
            painter.setPen(QPen(QColor("#cccccc"), 1))
            painter.drawRect(QRectF(left + 2, top + 2, cell_w - 4, cell_h - 4))
            if found is not None:
                for n, picture in enumerate((found.start, found.end)):
                    box = QRectF(left + 8 + n * (side + 8), top + 4, side, side)
                    paint_picture(painter, picture, box, colours)
            painter.setPen(QColor("black"))
            painter.drawText(
                QRectF(left, top + side + 2, cell_w, 18), Qt.AlignmentFlag.AlignCenter, key
            )
    finally:
        painter.end()
    image.save(argv[1])
    del app
    print(f"{len(keys)} drawings -> {argv[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
