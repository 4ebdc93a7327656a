"""Building blocks shared by every handout: the clinic header, lists, boxes, tables."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from therapy_desk.handouts.page import long_date
from therapy_desk.handouts.snapshot import HandoutSnapshot
from therapy_desk.handouts.styles import Look
from therapy_desk.library.education import Section


def words(text: str) -> str:
    """Plain text made safe for a Paragraph (which reads a little XML)."""
    return escape(text).replace("\n", "<br/>")


def para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(words(text), style)


@lru_cache(maxsize=8)
def _logo_size(logo: bytes) -> tuple[int, int] | None:
    try:
        width, height = ImageReader(io.BytesIO(logo)).getSize()
    except Exception:  # a damaged picture: print the header without it
        return None
    return int(width), int(height)


def _logo(logo: bytes | None, look: Look) -> Flowable | None:
    if not logo:
        return None
    size = _logo_size(logo)
    if size is None or min(size) <= 0:
        return None
    box_w, box_h = look.logo_box
    scale = min(box_w / size[0], box_h / size[1])
    return Image(io.BytesIO(logo), width=size[0] * scale, height=size[1] * scale)


def clinic_header(snapshot: HandoutSnapshot, look: Look) -> Flowable:
    clinic = snapshot.clinic
    lines: list[Flowable] = [para(clinic.name, look.clinic_name)]
    if clinic.address:
        lines.append(
            para(
                ", ".join(p.strip() for p in clinic.address.splitlines() if p.strip()),
                look.clinic_line,
            )
        )
    if clinic.phone:
        lines.append(Paragraph(f"Phone: <b>{words(clinic.phone)}</b>", look.clinic_line))
    logo = _logo(clinic.logo, look)
    if logo is None:
        table = Table([[lines]], colWidths=[look.frame_width])
    else:
        logo_width = look.logo_box[0] + look.space(0.6)
        table = Table([[logo, lines]], colWidths=[logo_width, look.frame_width - logo_width])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), look.space(0.4)),
                ("LINEBELOW", (0, 0), (-1, 0), look.rule, look.accent),
            ]
        )
    )
    return table


def handout_top(snapshot: HandoutSnapshot, look: Look, title: str) -> list[Flowable]:
    """Clinic header, the handout's title, and whom it is for."""
    who = [
        ("For", snapshot.client_name),
        ("Date", long_date(snapshot.printed_on)),
    ]
    if snapshot.therapist:
        who.append(("Your therapist", snapshot.therapist))
    return [
        clinic_header(snapshot, look),
        Spacer(0, look.space(0.6)),
        para(title, look.title),
        details_table(who, look),
        Spacer(0, look.space(0.5)),
    ]


def details_table(
    rows: Sequence[tuple[str, str]],
    look: Look,
    *,
    bold_values: bool = False,
    width: float | None = None,
) -> Table:
    """Label and value rows, labels in bold: 'How often   3 days a week'."""
    width = look.frame_width if width is None else width
    value_style = look.bold if bold_values else look.body
    data = [[para(label, look.bold), para(value, value_style)] for label, value in rows]
    table = Table(data, colWidths=[look.label_width, width - look.label_width])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), look.space(0.3)),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), look.space(0.15)),
            ]
        )
    )
    return table


def _list(
    marks: Iterable[str], points: Sequence[str], look: Look, width: float | None = None
) -> Table:
    width = look.frame_width if width is None else width
    mark_width = look.body.fontSize * (2.2 if look.large else 2.0)
    data = [
        [Paragraph(mark, look.step_number), para(point, look.body)]
        for mark, point in zip(marks, points, strict=True)
    ]
    table = Table(data, colWidths=[mark_width, width - mark_width])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), look.space(0.12)),
            ]
        )
    )
    return table


def numbered(points: Sequence[str], look: Look, width: float | None = None) -> Table:
    return _list((f"{n}." for n in range(1, len(points) + 1)), points, look, width)


def bullets(points: Sequence[str], look: Look, width: float | None = None) -> Table:
    return _list(("•" for _ in points), points, look, width)


def tick_boxes(points: Sequence[str], look: Look, width: float | None = None) -> Table:
    return _list(("☐" for _ in points), points, look, width)


def boxed(
    heading: str,
    lines: Sequence[Flowable | str],
    look: Look,
    *,
    strong: bool = False,
    bulleted: bool = False,
    keep: bool = True,
) -> list[Flowable]:
    """A bordered box with a bold heading: for points the eye must not miss.

    Strings become paragraphs (with a bullet when `bulleted`). A short box is kept
    whole; a long one may continue on the next page, its heading repeated, because
    a large-print box can be taller than what is left of a page. Pass keep=False
    inside a KeepTogether: ReportLab's KeepTogether reports nested ones as endless,
    which would push every card onto a page of its own.
    """
    marks = look.space(0.5) + look.body.fontSize * 1.3
    inner = box_width(look)
    rows: list[list[Any]] = [[para(heading, look.box_heading), ""]]
    for line in lines:
        if isinstance(line, str) and bulleted:
            rows.append([Paragraph("•", look.body), para(line, look.body)])
        else:
            rows.append([para(line, look.body) if isinstance(line, str) else line, ""])
    table = Table(rows, colWidths=[marks, inner - marks], repeatRows=1)
    border = look.rule * (2.0 if strong else 1.2)
    pad = look.space(0.5)
    style: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), border, look.ink if strong else look.accent),
        ("BACKGROUND", (0, 0), (-1, -1), look.tint),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("SPAN", (0, 0), (1, 0)),
        ("LEFTPADDING", (0, 0), (0, -1), pad),
        ("LEFTPADDING", (1, 0), (1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), look.space(0.12)),
        ("TOPPADDING", (0, 0), (-1, 0), look.space(0.4)),
        ("BOTTOMPADDING", (0, 0), (-1, 0), look.space(0.3)),
        ("BOTTOMPADDING", (0, -1), (-1, -1), look.space(0.45)),
    ]
    style += [("SPAN", (0, n), (1, n)) for n, row in enumerate(rows) if n and row[1] == ""]
    table.setStyle(TableStyle(style))
    if not keep:
        return [table]
    if len(rows) <= 5:
        return [KeepTogether([table])]
    return [CondPageBreak(look.space(7)), table]


def box_width(look: Look) -> float:
    """The width inside a `boxed` box's padding."""
    return look.frame_width - look.space(0.5)


def headed_list(
    heading: str,
    points: Sequence[str],
    look: Look,
    *,
    intro: str | None = None,
    lister: Callable[[Sequence[str], Look], Table] = bullets,
) -> list[Flowable]:
    """A heading over a list. The heading never ends a page: it moves on with its
    first two points, and the rest may follow on the next page (a whole large-print
    list can fill half a page, and keeping it whole would leave that half blank)."""
    head: list[Flowable] = [para(heading, look.heading)]
    if intro:
        head.append(para(intro, look.body))
    parts: list[Flowable] = [KeepTogether([*head, lister(points[:2], look)])]
    if points[2:]:
        parts.append(_list_from(lister, points, look))
    return parts


def _list_from(
    lister: Callable[[Sequence[str], Look], Table], points: Sequence[str], look: Look
) -> Table:
    # Numbered lists carry on counting where the kept-together part stopped.
    if lister is numbered:
        return _list((f"{n}." for n in range(3, len(points) + 1)), points[2:], look)
    return lister(points[2:], look)


def section(section: Section, look: Look, *, checklist: bool) -> list[Flowable]:
    """An education leaflet's section: heading, optional intro, bullets or tick boxes."""
    return headed_list(
        section.heading,
        section.points,
        look,
        intro=section.intro,
        lister=tick_boxes if checklist else bullets,
    )
