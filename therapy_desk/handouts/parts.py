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
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.paragraph import cleanBlockQuotedText

from therapy_desk.handouts.page import long_date
from therapy_desk.handouts.snapshot import ClinicHeader, HandoutSnapshot
from therapy_desk.handouts.styles import Look
from therapy_desk.library.education import Section


def words(text: str) -> str:
    """Plain text made safe for a Paragraph (which reads a little XML)."""
    return escape(text).replace("\n", "<br/>")


class CachedParagraph(Paragraph):
    """A Paragraph that breaks its lines once for each width it is given.

    Platypus wraps a flowable every time it asks how big it is: a table sizing its
    rows, KeepTogether measuring its contents, the frame placing it, the table drawing
    its cells. A Paragraph breaks its lines afresh each time; this one remembers the
    last width and its size, so asking again at that width costs nothing.
    """

    _wrapped: tuple[float, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        wrapped = self._wrapped
        # split() drops blPara when nothing fits: then the lines must be broken again.
        if wrapped is not None and wrapped[0] == availWidth and hasattr(self, "blPara"):
            return wrapped[1]
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size)
        return size


class CachedTable(Table):
    """A Table that works out its row heights once for each width it is given.

    ReportLab sizes a table's every row whenever the table is wrapped, and a table in
    another table's cell is wrapped again while its outer table draws. Once a table has
    sized all its rows at a width, its size no longer depends on the height offered.
    """

    _sized_at: float | None = None
    # Set by ReportLab's Table as it sizes rows: how many it sized, and how many there are.
    _hmax: int
    _nrows: int

    def _calc(self, availWidth: float, availHeight: float) -> None:  # noqa: N803
        if self._sized_at == availWidth:
            return
        super()._calc(availWidth, availHeight)  # type: ignore[misc]  # ReportLab's own
        # A long table offered little height stops sizing rows once it has filled it.
        self._sized_at = availWidth if self._hmax == self._nrows else None


#: A layout table's style: tops aligned, no padding (commands given after it override).
_UNPADDED: tuple[tuple[Any, ...], ...] = (
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
)


def layout_table(
    data: Sequence[list[Any]], widths: Sequence[float], *commands: tuple[Any, ...]
) -> Table:
    """A table that only places flowables in a row or grid: tops aligned, no padding
    unless `commands` add some."""
    table = CachedTable(data, colWidths=list(widths))
    table.setStyle(TableStyle([*_UNPADDED, *commands]))
    return table


def _label_value_spacing(look: Look) -> tuple[tuple[Any, ...], ...]:
    """Label-and-value tables: a little room after each label and under each row."""
    return (
        ("RIGHTPADDING", (0, 0), (-1, -1), look.space(0.3)),
        ("BOTTOMPADDING", (0, 0), (-1, -1), look.space(0.15)),
    )


@lru_cache(maxsize=64)
def _plain_fragment(style: ParagraphStyle) -> Any:
    """The fragment ReportLab's parser makes of markup-free text in `style`."""
    return Paragraph("x", style).frags[0]


@lru_cache(maxsize=4096)
def _parsed(markup: str, style: ParagraphStyle) -> tuple[str, ParagraphStyle, list[Any]]:
    """What ReportLab's paragraph parser makes of `markup`: the same labels and list
    marks on every handout are parsed once per process."""
    parsed = Paragraph(markup, style)
    return parsed.text, parsed.style, parsed.frags


def paragraph(markup: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of ReportLab markup (`<b>` and `<br/>`; escape text with `words`).

    Most of a handout is plain text, with no tag or entity for the parser to read: it
    becomes the one fragment the parser would make (its line ends and runs of spaces
    cleaned the same way) without parsing, which costs a fifth of the time.
    """
    if "<" not in markup and "&" not in markup:
        text = cleanBlockQuotedText(markup)
        if text:
            return CachedParagraph(text, style, frags=[_plain_fragment(style).clone(text=text)])
    text, parsed_style, frags = _parsed(markup, style)
    # Each paragraph gets its own fragments: splitting a paragraph may change them.
    return CachedParagraph(text, parsed_style, frags=[frag.clone() for frag in frags])


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text."""
    return paragraph(words(text), style)


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
    return clinic_banner(snapshot.clinic, look)


def clinic_banner(clinic: ClinicHeader, look: Look) -> Flowable:
    """The clinic's logo, name, address and phone over a rule: the top of every page
    the clinic prints (handouts, a record summary)."""
    lines: list[Flowable] = [para(clinic.name, look.clinic_name)]
    address = ", ".join(p.strip() for p in (clinic.address or "").splitlines() if p.strip())
    phone = f"Phone: <b>{words(clinic.phone)}</b>" if clinic.phone else ""
    if look.large:
        lines += [para(address, look.clinic_line)] if address else []
        lines += [paragraph(phone, look.clinic_line)] if phone else []
    elif address or phone:  # standard print: address and phone share a line
        lines.append(
            paragraph("  ·  ".join(t for t in (words(address), phone) if t), look.clinic_line)
        )
    logo = _logo(clinic.logo, look)
    if logo is None:
        table = CachedTable([[lines]], colWidths=[look.frame_width])
    else:
        logo_width = look.logo_box[0] + look.space(0.6)
        table = CachedTable([[logo, lines]], colWidths=[logo_width, look.frame_width - logo_width])
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
        Spacer(0, look.space(0.6 if look.large else 0.4)),
        para(title, look.title),
        details_table(who, look) if look.large else _who_table(who, look),
        Spacer(0, look.space(0.5 if look.large else 0.3)),
    ]


def _who_table(rows: Sequence[tuple[str, str]], look: Look) -> Table:
    """Standard print: whom the handout is for, two label-and-value pairs a line."""
    label = look.label_width
    value = (look.frame_width - 2 * label) / 2
    cells: list[Flowable | str] = [
        para(text, style)
        for pair in rows
        for text, style in zip(pair, (look.bold, look.body), strict=True)
    ]
    cells += [""] * (-len(cells) % 4)
    data = [cells[n : n + 4] for n in range(0, len(cells), 4)]
    return layout_table(data, [label, value, label, value], *_label_value_spacing(look))


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
    widths = [look.label_width, width - look.label_width]
    return layout_table(data, widths, *_label_value_spacing(look))


def _list(
    marks: Iterable[str],
    points: Sequence[str],
    look: Look,
    width: float | None = None,
    *,
    spacing: float | None = None,
) -> Table:
    """Marks beside points; `spacing` under each point (a little under an eighth of a
    line unless told)."""
    width = look.frame_width if width is None else width
    spacing = look.space(0.12) if spacing is None else spacing
    mark_width = look.body.fontSize * (2.2 if look.large else 1.5)
    data = [
        [paragraph(mark, look.step_number), para(point, look.body)]
        for mark, point in zip(marks, points, strict=True)
    ]
    table = CachedTable(data, colWidths=[mark_width, width - mark_width])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), spacing),
            ]
        )
    )
    return table


def numbered(
    points: Sequence[str],
    look: Look,
    width: float | None = None,
    *,
    start: int = 1,
    spacing: float | None = None,
) -> Table:
    marks = (f"{n}." for n in range(start, start + len(points)))
    return _list(marks, points, look, width, spacing=spacing)


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
    width: float | None = None,
) -> list[Flowable]:
    """A bordered box with a bold heading: for points the eye must not miss.

    Strings become paragraphs (with a bullet when `bulleted`). The box is kept whole
    on one page; only a box taller than a whole page continues, its heading
    repeated. Pass keep=False
    inside a KeepTogether: ReportLab's KeepTogether reports nested ones as endless,
    which would push every card onto a page of its own.
    """
    marks = look.space(0.5) + look.body.fontSize * (1.3 if look.large else 1.0)
    inner = box_width(look) if width is None else width - look.space(0.5)
    rows: list[list[Any]] = [[para(heading, look.box_heading), ""]]
    for line in lines:
        if isinstance(line, str) and bulleted:
            rows.append([paragraph("•", look.body), para(line, look.body)])
        else:
            rows.append([para(line, look.body) if isinstance(line, str) else line, ""])
    table = CachedTable(rows, colWidths=[marks, inner - marks], repeatRows=1)
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
    # Never split: "Stop and rest if…" or "Stay safe" read as one warning.
    return [KeepTogether([table])]


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


def columns(left: Sequence[Flowable], right: Sequence[Flowable], look: Look) -> Table:
    """Two blocks side by side (standard print), each half the page wide.

    The pair is laid out as one piece: it moves whole to the next page when it does
    not fit, so use it only for short blocks (a list or two, a box).
    """
    gap = look.space(1)
    half = (look.frame_width - gap) / 2
    # The gap belongs to the left column: its text stops short of the right.
    return layout_table(
        [[list(left), list(right)]], [half + gap, half], ("RIGHTPADDING", (0, 0), (0, 0), gap)
    )


def column_width(look: Look) -> float:
    """The width of one of `columns`' two blocks."""
    return (look.frame_width - look.space(1)) / 2


def short_list(
    heading: str, points: Sequence[str], look: Look, *, intro: str | None = None
) -> list[Flowable]:
    """A heading over bullets, one column wide, for `columns` (which keeps it whole)."""
    width = column_width(look)
    head: list[Flowable] = [para(heading, look.heading)]
    if intro:
        head.append(para(intro, look.body))
    return [*head, bullets(points, look, width)]
