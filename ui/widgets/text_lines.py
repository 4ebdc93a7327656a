"""Text flowed into lines of a given width, for text a widget lays out itself."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics


def wrap_words(text: str, metrics: QFontMetrics, width: float) -> list[str]:
    """Words flowed into lines no wider than `width` (a long word keeps a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines
