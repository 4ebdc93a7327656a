"""Reads handout PDFs back the way a test needs: words, text sizes and drawings per page."""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass

import pypdf
from reportlab.pdfbase.pdfmetrics import stringWidth

_DRAWING = re.compile(rb"/FormXob\.(drawing-[^\s/]+)\s+Do")


@dataclass(frozen=True)
class TextRun:
    page: int
    text: str
    size: float
    x: float
    font: str

    @property
    def width(self) -> float:
        name = "DejaVuSans-Bold" if self.font.endswith("Bold") else "DejaVuSans"
        return stringWidth(self.text.strip(), name, self.size)


class HandoutReader:
    def __init__(self, pdf: bytes) -> None:
        self.reader = pypdf.PdfReader(io.BytesIO(pdf))
        self.pages = self.reader.pages
        self.page_texts = [" ".join(p.extract_text().split()) for p in self.pages]

    @property
    def text(self) -> str:
        """All words, whitespace collapsed, so wrapped lines read as one."""
        return " ".join(self.page_texts)

    def runs(self) -> list[TextRun]:
        found: list[TextRun] = []
        for number, page in enumerate(self.pages, start=1):

            def visit(
                text: str,
                cm: list[float],
                tm: list[float],
                font: object,
                size: float,
                number: int = number,
            ) -> None:
                if not text.strip():
                    return
                scale = math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
                x = cm[4] + tm[4] * math.hypot(cm[0], cm[1])
                name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
                for line in text.splitlines():
                    if line.strip():
                        found.append(TextRun(number, line, size * scale, x, name))

            page.extract_text(visitor_text=visit)
        return found

    def drawings_per_page(self) -> list[list[str]]:
        """The exercise drawings placed on each page, in order."""
        placed = []
        for page in self.pages:
            contents = page.get_contents()
            data = contents.get_data() if contents is not None else b""
            placed.append([m.decode() for m in _DRAWING.findall(data)])
        return placed

    def fonts(self) -> set[str]:
        names: set[str] = set()
        for page in self.pages:
            fonts = page["/Resources"].get("/Font", {})
            for ref in fonts.values():
                names.add(str(ref.get_object()["/BaseFont"]))
        return names

    def image_count(self) -> int:
        return sum(len(page.images) for page in self.pages)
