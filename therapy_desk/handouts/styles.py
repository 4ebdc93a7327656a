"""The one stylesheet every handout uses: fonts, sizes, colours and spacing.

Two looks: standard print, and large print for clients with poor eyesight
(optic neuritis is common in MS) — every piece of text at least 18 pt, black
on white, wider spacing, one exercise per page. Standard print follows RNIB Clear
Print too: body text at least 12 pt (STANDARD_MIN_PT), only the footer smaller.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from therapy_desk.resources import resource

#: Embedded so any client's name prints: "Zoë Łukasiewicz", "Nguyễn Thị Hà".
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
#: The smallest text large print may use anywhere on the page.
LARGE_PRINT_MIN_PT = 18.0
#: The smallest text standard print uses outside the footer (RNIB Clear Print: 12 pt).
STANDARD_MIN_PT = 12.0


@cache
def register_fonts() -> None:
    """Register the handout fonts once per process (about 20 ms, so never twice).

    Also switches off ReportLab's ASCII85 encoding of PDF streams, for the whole
    process: it only makes compressed streams printable text (a quarter bigger), and
    without ReportLab's C accelerator it is a tenth of a handout's build time. The
    benchmark's raw-canvas floor calls this too, so both sides write streams alike.
    """
    rl_config.useA85 = 0
    pdfmetrics.registerFont(TTFont(REGULAR, str(resource("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(BOLD, str(resource("fonts", "DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )


@dataclass(frozen=True)
class Look:
    """Sizes, colours and styles for one kind of print."""

    large: bool
    page: tuple[float, float]
    margin: float
    footer_pt: float
    ink: colors.Color
    accent: colors.Color
    tint: colors.Color
    rule: float
    title: ParagraphStyle
    heading: ParagraphStyle
    card_title: ParagraphStyle
    body: ParagraphStyle
    bold: ParagraphStyle
    step_number: ParagraphStyle
    box_heading: ParagraphStyle
    clinic_name: ParagraphStyle
    clinic_line: ParagraphStyle
    caption: ParagraphStyle
    tick_label: ParagraphStyle
    tick_head: ParagraphStyle
    #: Height of an exercise's start-and-finish drawing (large print: the least it shrinks to).
    drawing_height: float
    #: The tallest a large-print drawing grows to fill its page.
    drawing_max_height: float
    #: Drawing strokes are this many times their catalogue width (thicker beside big text).
    stroke_weight: float
    logo_box: tuple[float, float]
    #: Width of the label column in dose and detail tables.
    label_width: float

    @property
    def frame_width(self) -> float:
        return self.page[0] - 2 * self.margin

    def space(self, lines: float = 1.0) -> float:
        """Vertical space of `lines` body lines."""
        return self.body.leading * lines


def _style(name: str, size: float, leading: float, **extra: Any) -> ParagraphStyle:
    settings: dict[str, Any] = {
        "fontName": REGULAR,
        "fontSize": size,
        "leading": leading,
        "alignment": TA_LEFT,
        "splitLongWords": 1,
        **extra,
    }
    return ParagraphStyle(name, **settings)


def _look(large: bool) -> Look:
    register_fonts()
    # Large print keeps to pure black: tints and colour carry nothing a reader needs.
    ink = colors.black
    accent = colors.black if large else colors.HexColor("#1d4e63")
    tint = colors.white if large else colors.HexColor("#eef4f6")
    if large:
        body, lead = 18.0, 27.0
        sizes = {"title": 30.0, "heading": 24.0, "card": 26.0, "clinic": 22.0}
    else:
        body, lead = STANDARD_MIN_PT, 15.0
        sizes = {"title": 21.0, "heading": 15.0, "card": 15.0, "clinic": 15.0}
    minimum = body

    def text(name: str, size: float, **extra: Any) -> ParagraphStyle:
        extra.setdefault("textColor", ink)
        return _style(name, size, size * 1.35, **extra)

    return Look(
        large=large,
        page=A4,
        margin=15 * mm,
        footer_pt=LARGE_PRINT_MIN_PT if large else 9.0,
        ink=ink,
        accent=accent,
        tint=tint,
        rule=2.0 if large else 0.8,
        title=text("title", sizes["title"], fontName=BOLD, textColor=accent, spaceAfter=4),
        heading=text(
            "heading",
            sizes["heading"],
            fontName=BOLD,
            textColor=accent,
            spaceBefore=lead * (0.6 if large else 0.35),
            spaceAfter=lead * 0.25,
        ),
        card_title=text("card_title", sizes["card"], fontName=BOLD, textColor=accent),
        body=_style("body", body, lead, textColor=ink, spaceAfter=body * 0.3),
        bold=_style("bold", body, lead, textColor=ink, fontName=BOLD),
        step_number=_style("step_number", body, lead, textColor=ink, fontName=BOLD),
        box_heading=_style("box_heading", body * 1.1, lead * 1.1, textColor=ink, fontName=BOLD),
        clinic_name=text("clinic_name", sizes["clinic"], fontName=BOLD),
        clinic_line=_style("clinic_line", max(minimum, body * 0.9), lead * 0.9, textColor=ink),
        caption=_style("caption", max(minimum, body * 0.85), lead * 0.85, textColor=ink),
        tick_label=_style("tick_label", max(minimum, body * 0.9), lead * 0.9, textColor=ink),
        tick_head=_style(
            "tick_head", max(minimum, body * 0.85), lead * 0.85, textColor=ink, fontName=BOLD
        ),
        drawing_height=(60 if large else 36) * mm,
        drawing_max_height=(92 if large else 36) * mm,
        stroke_weight=2.2 if large else 1.0,
        logo_box=((42 if large else 34) * mm, (24 if large else 18) * mm),
        label_width=(64 if large else 40) * mm,
    )


@cache
def look(large: bool) -> Look:
    return _look(large)
