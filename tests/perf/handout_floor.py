"""The floor under the benchmark's "build a 10-exercise programme handout" figure.

`tests/perf/bench.py` times the real builder (`build_handout`, laid out by Platypus)
against `raw_programme_pdf` in the same run: the same words and the same exercise
drawings put on A4 pages with nothing but `Canvas.drawString`, `simpleSplit` line
wrapping and stroked paths, in the same embedded DejaVu fonts. What is left between
the two is what the layout machinery costs; the floor is what any PDF with this
content costs (font subsetting, path data, compression).

`ten_exercise_snapshot` is the input both share: one client with a current programme
of ten different catalogue exercises, built from the shipped catalogue and education
leaflets without a database, the same on every call.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from therapy_desk.domain.vocabulary import Band, HandoutKind, Side
from therapy_desk.handouts.drawing import form_name, stroke_picture
from therapy_desk.handouts.page import FOOTER_ZONE, Footer, draw_footer, long_date
from therapy_desk.handouts.programme import DAYS, WEEKS
from therapy_desk.handouts.snapshot import (
    LEAFLET_OF,
    ClinicHeader,
    ExerciseCard,
    HandoutSnapshot,
    HandoutUnavailable,
    ProgrammeSheet,
    dose_lines,
    unavailable_reason,
)
from therapy_desk.handouts.styles import BOLD, REGULAR, Look, look, register_fonts
from therapy_desk.library import ExerciseSpec, exercises
from therapy_desk.library.drawings import ExerciseDrawing, drawing
from therapy_desk.library.education import Section, leaflets
from therapy_desk.services.programmes import ItemSpec

#: The day the benchmark's handout is printed (and its programme's dates count from).
PRINTED_ON = date(2026, 11, 21)
#: The benchmark client's id: fixed, so every run hashes and prints the same snapshot.
CLIENT_ID = uuid.UUID("6f1c2e0a-4b7d-4c1e-9a53-2d8e7b0c1f42")

_GREY = colors.Color(0.45, 0.45, 0.45)


# --- the shared input -------------------------------------------------------------------


def _programme_items() -> list[ItemSpec]:
    """Ten exercises whose doses between them print every kind of dose line."""
    return [
        ItemSpec(
            "seated-knee-extension-ankle-weight", sets=2, reps=10, load_kg=1.5, side=Side.LEFT
        ),
        ItemSpec(
            "calf-stretch",
            sets=3,
            hold_seconds=30,
            days_per_week=7,
            cue="Keep the back heel on the floor all the way through.",
        ),
        ItemSpec("recumbent-bike", duration_minutes=12, days_per_week=3),
        ItemSpec(
            "standing-hip-abduction-band",
            sets=2,
            reps=12,
            band=Band.LIGHT,
            side=Side.RIGHT,
        ),
        ItemSpec("chin-tucks", sets=1, reps=10, hold_seconds=5, days_per_week=7),
        ItemSpec(
            "sit-to-stand",
            sets=2,
            reps=8,
            days_per_week=3,
            cue="Nose over toes before you push up, and sit down slowly.",
        ),
        ItemSpec("bridging", sets=2, reps=10, hold_seconds=3, days_per_week=3),
        ItemSpec("tandem-stance", sets=3, hold_seconds=20, days_per_week=5),
        ItemSpec("putty-squeeze", sets=2, reps=10, days_per_week=5, side=Side.LEFT),
        ItemSpec(
            "seated-row-band",
            sets=2,
            reps=10,
            band=Band.MEDIUM,
            days_per_week=3,
            cue="Squeeze your shoulder blades together at the end of each pull.",
        ),
    ]


def _exercise_card(number: int, spec: ExerciseSpec, item: ItemSpec) -> ExerciseCard:
    # As services/handouts.py fills a card from a programme item and its exercise row.
    return ExerciseCard(
        number=number,
        code=spec.code,
        name=spec.name,
        summary=spec.summary,
        steps=spec.steps,
        equipment=spec.equipment,
        cautions=spec.cautions,
        dose=dose_lines(item),
        days_per_week=item.days_per_week,
        cue=item.cue,
        drawing=spec.illustration,
    )


def ten_exercise_snapshot(*, large_print: bool = False) -> HandoutSnapshot:
    """One client's handout data with a current programme of ten catalogue exercises.

    `large_print` sets the client's print preference, which `raw_programme_pdf`
    follows; pass the same value to `build_handout(..., large_print=)`.
    """
    catalogue = {spec.code: spec for spec in exercises()}
    cards = tuple(
        _exercise_card(number, catalogue[item.exercise_code], item)
        for number, item in enumerate(_programme_items(), start=1)
    )
    texts = leaflets()
    return HandoutSnapshot(
        client_id=CLIENT_ID,
        clinic=ClinicHeader(
            name="Riverside Neuro Therapy",
            address="12 Mill Lane\nRiverside\nRV1 2AB",
            phone="01632 960 123",
        ),
        reference="C-1042",
        client_name="Zoë Łukasiewicz",
        therapist="Alex Moreno (PT)",
        printed_on=PRINTED_ON,
        prefers_large_print=large_print,
        programme=ProgrammeSheet(
            title="Strength and balance at home",
            revision=3,
            issued_on=date(2026, 10, 22),
            cards=cards,
        ),
        next_follow_up=date(2026, 12, 19),
        leaflets={key: texts[key] for key in LEAFLET_OF.values()},
    )


# --- blocks and pages -------------------------------------------------------------------

#: Paints one block on a canvas, given the y of the block's top edge.
Paint = Callable[[Canvas, float], None]
#: Parts of a block: each painted at an offset below the block's top.
Parts = list[tuple[float, Paint]]


@dataclass(frozen=True)
class _Block:
    """A strip of a page, `height` tall; pages break only between blocks."""

    height: float
    paint: Paint


def _nothing(canvas: Canvas, top: float) -> None:
    return None


def _gap(height: float) -> _Block:
    return _Block(height, _nothing)


def _text(x: float, line: str, font: str, size: float, colour: colors.Color) -> Paint:
    def paint(canvas: Canvas, top: float) -> None:
        canvas.setFillColor(colour)
        canvas.setFont(font, size)
        canvas.drawString(x, top - size, line)

    return paint


def _centred(x: float, line: str, font: str, size: float) -> Paint:
    def paint(canvas: Canvas, top: float) -> None:
        canvas.setFillColor(colors.black)
        canvas.setFont(font, size)
        canvas.drawCentredString(x, top - size, line)

    return paint


def _wrapped(
    text: str, style: ParagraphStyle, x: float, width: float, font: str | None = None
) -> Parts:
    """`text` wrapped to `width`, one part per line, `style.leading` apart."""
    name = font or style.fontName
    lines = simpleSplit(text, name, style.fontSize, width)
    return [
        (n * style.leading, _text(x, line, name, style.fontSize, style.textColor))
        for n, line in enumerate(lines)
    ]


def _block(height: float, parts: Sequence[tuple[float, Paint]]) -> _Block:
    def paint(canvas: Canvas, top: float) -> None:
        for offset, part in parts:
            part(canvas, top - offset)

    return _Block(height, paint)


def _paragraph(
    text: str, style: ParagraphStyle, x: float, width: float, font: str | None = None
) -> list[_Block]:
    """A paragraph as one block per line, so it may run on to the next page."""
    blocks = [_Block(style.leading, part) for _, part in _wrapped(text, style, x, width, font)]
    if style.spaceAfter:
        blocks.append(_gap(style.spaceAfter))
    return blocks


class _Pages:
    """Places blocks top to bottom in the body frame, starting pages as they fill."""

    def __init__(self, style: Look) -> None:
        self.top = style.page[1] - style.margin
        self.bottom = style.margin + FOOTER_ZONE
        self.pages: list[list[tuple[float, Paint]]] = [[]]
        self.y = self.top

    @property
    def frame_height(self) -> float:
        return self.top - self.bottom

    def new_page(self) -> None:
        if self.pages[-1]:  # never a blank page, as Platypus
            self.pages.append([])
        self.y = self.top

    def need(self, height: float) -> None:
        """Start a new page unless `height` is left on this one (a CondPageBreak)."""
        if self.y - height < self.bottom:
            self.new_page()

    def add(self, block: _Block) -> None:
        if self.y - block.height < self.bottom and self.y < self.top:
            self.new_page()
        self.pages[-1].append((self.y, block.paint))
        self.y -= block.height

    def extend(self, blocks: Sequence[_Block]) -> None:
        for block in blocks:
            self.add(block)

    def keep(self, blocks: Sequence[_Block]) -> None:
        """Blocks moved on to a new page when they do not fit this one (a KeepTogether:
        like Platypus, even when they are taller than a whole page)."""
        self.need(sum(block.height for block in blocks))
        self.extend(blocks)

    def table(self, head: Sequence[_Block], rows: Sequence[_Block]) -> None:
        """Rows under a heading that repeats on every page the rows run on to."""
        self.extend(head)
        for row in rows:
            if self.y - row.height < self.bottom:
                self.new_page()
                self.extend(head)
            self.add(row)


# --- the handout's pieces ---------------------------------------------------------------


def _logo_size(logo: bytes) -> tuple[int, int] | None:
    try:
        width, height = ImageReader(io.BytesIO(logo)).getSize()
    except Exception:  # a damaged picture: the real builder prints the header without it
        return None
    return (int(width), int(height)) if min(width, height) > 0 else None


def _clinic_header(clinic: ClinicHeader, style: Look) -> _Block:
    left, width = style.margin, style.frame_width
    size = _logo_size(clinic.logo) if clinic.logo else None
    text_x = left
    logo_w = logo_h = 0.0
    if clinic.logo and size is not None:
        box_w, box_h = style.logo_box
        scale = min(box_w / size[0], box_h / size[1])
        logo_w, logo_h = size[0] * scale, size[1] * scale
        text_x = left + box_w + style.space(0.6)
    text_width = left + width - text_x
    parts = _wrapped(clinic.name, style.clinic_name, text_x, text_width)
    y = len(parts) * style.clinic_name.leading
    if clinic.address:
        address = ", ".join(p.strip() for p in clinic.address.splitlines() if p.strip())
        lines = _wrapped(address, style.clinic_line, text_x, text_width)
        parts += [(y + offset, part) for offset, part in lines]
        y += len(lines) * style.clinic_line.leading
    if clinic.phone:
        line = style.clinic_line
        label = "Phone: "
        parts.append((y, _text(text_x, label, REGULAR, line.fontSize, colors.black)))
        shift = stringWidth(label, REGULAR, line.fontSize)
        parts.append((y, _text(text_x + shift, clinic.phone, BOLD, line.fontSize, colors.black)))
        y += line.leading
    height = max(y, logo_h) + style.space(0.4)
    logo = clinic.logo

    def paint(canvas: Canvas, top: float) -> None:
        if logo and logo_w:
            image = ImageReader(io.BytesIO(logo))
            canvas.drawImage(image, left, top - (height + logo_h) / 2, logo_w, logo_h, mask="auto")
        for offset, part in parts:
            part(canvas, top - offset)
        canvas.setStrokeColor(style.accent)
        canvas.setLineWidth(style.rule)
        canvas.line(left, top - height, left + width, top - height)

    return _Block(height, paint)


def _row(
    label: str, value: str, style: Look, x: float, width: float, *, bold_value: bool
) -> _Block:
    """A label and value row of a details table: 'How often   3 days a week'."""
    pad = style.space(0.3)
    value_font = BOLD if bold_value else REGULAR
    labels = _wrapped(label, style.bold, x, style.label_width - pad)
    values = _wrapped(
        value, style.body, x + style.label_width, width - style.label_width - pad, value_font
    )
    lines = max(len(labels), len(values))
    return _block(lines * style.body.leading + style.space(0.15), labels + values)


def _marked(
    mark: str,
    text: str,
    style: Look,
    mark_style: ParagraphStyle,
    x: float,
    mark_width: float,
    width: float,
) -> _Block:
    """A numbered step or a bullet point: the mark, then the text wrapped beside it."""
    body = style.body
    lines = _wrapped(text, body, x + mark_width, width - mark_width)
    parts: Parts = [(0.0, _text(x, mark, mark_style.fontName, body.fontSize, colors.black))]
    return _block(len(lines) * body.leading + style.space(0.12), parts + lines)


def _list_mark_width(style: Look) -> float:
    return style.body.fontSize * (2.2 if style.large else 2.0)


def _numbered(points: Sequence[str], style: Look, x: float, width: float) -> list[_Block]:
    mark_width = _list_mark_width(style)
    return [
        _marked(f"{n}.", point, style, style.step_number, x, mark_width, width)
        for n, point in enumerate(points, start=1)
    ]


def _bullets(points: Sequence[str], style: Look, x: float, width: float) -> list[_Block]:
    mark_width = _list_mark_width(style)
    return [_marked("•", point, style, style.body, x, mark_width, width) for point in points]


def _box(
    heading: str,
    points: Sequence[str],
    style: Look,
    pages: _Pages,
    *,
    bulleted: bool,
    strong: bool = False,
) -> list[_Block]:
    """A bordered, tinted box with a bold heading, as `parts.boxed` prints one."""
    left = style.margin
    inner = style.frame_width - style.space(0.5)
    pad = style.space(0.5)
    marks = pad + style.body.fontSize * 1.3
    head = _wrapped(heading, style.box_heading, left + pad, inner - 2 * pad)
    blocks = [
        _gap(style.space(0.4)),
        _block(len(head) * style.box_heading.leading + style.space(0.3), head),
    ]
    for point in points:
        if bulleted:
            blocks.append(
                _marked("•", point, style, style.body, left + pad, marks - pad, inner - 2 * pad)
            )
        else:
            lines = _wrapped(point, style.body, left + pad, inner - 2 * pad)
            blocks.append(_block(len(lines) * style.body.leading + style.space(0.12), lines))
    blocks.append(_gap(style.space(0.33)))
    total = sum(block.height for block in blocks)
    if total > pages.frame_height:  # it will run over a page: no outline around it
        return blocks
    border = style.rule * (2.0 if strong else 1.2)
    edge = style.ink if strong else style.accent

    def outline(canvas: Canvas, top: float) -> None:
        canvas.setLineWidth(border)
        canvas.setStrokeColor(edge)
        canvas.setFillColor(style.tint)
        canvas.rect(left, top - total, inner, total, stroke=1, fill=1)

    return [_Block(blocks[0].height, outline), *blocks[1:]]


def _paint_drawing(
    canvas: Canvas, pictures: ExerciseDrawing, width: float, height: float, style: Look
) -> None:
    """Start and finish side by side, captioned, with an arrow between (as drawing.py)."""
    caption = style.caption
    side = min(height - caption.leading, (width - caption.leading) / 2)
    gap = width - 2 * side
    top = height - side
    for index, (picture, label) in enumerate(((pictures.start, "Start"), (pictures.end, "Finish"))):
        x = index * (side + gap)
        stroke_picture(canvas, picture, x, top, side, large=style.large)
        canvas.setFillColor(colors.black)
        canvas.setFont(REGULAR, caption.fontSize)
        canvas.drawCentredString(x + side / 2, top - caption.fontSize, label)
    mid_y = top + side / 2
    left, right = side + gap * 0.2, side + gap * 0.8
    if right - left > 6:
        canvas.setStrokeColor(_GREY)
        canvas.setLineWidth(2 if style.large else 1.2)
        canvas.line(left, mid_y, right, mid_y)
        canvas.line(right, mid_y, right - 5, mid_y + 4)
        canvas.line(right, mid_y, right - 5, mid_y - 4)


def _drawing(
    pictures: ExerciseDrawing, x: float, width: float, height: float, style: Look
) -> Paint:
    """The exercise's drawing, written once per PDF as a named form and placed here."""
    name = form_name(pictures.key, width, height)

    def paint(canvas: Canvas, top: float) -> None:
        if not canvas.hasForm(name):
            canvas.beginForm(name, 0, 0, width, height)
            _paint_drawing(canvas, pictures, width, height, style)
            canvas.endForm()
        canvas.saveState()
        canvas.translate(x, top - height)
        canvas.doForm(name)
        canvas.restoreState()

    return paint


def _card(card: ExerciseCard, style: Look, pages: _Pages) -> None:
    left, width = style.margin, style.frame_width
    title = _paragraph(f"{card.number}. {card.name}", style.card_title, left, width)
    pictures = drawing(card.drawing) if card.drawing else None
    dose_rows = list(card.dose)
    if card.equipment:
        dose_rows.append(("You need", ", ".join(card.equipment)))
    blocks: list[_Block] = []
    if style.large:
        pages.new_page()  # one exercise a page
        blocks += [*title, _gap(style.space(0.3))]
        if pictures is not None:
            picture = _drawing(pictures, left, width, style.drawing_height, style)
            blocks += [_Block(style.drawing_height, picture), _gap(style.space(0.3))]
        blocks += [_row(k, v, style, left, width, bold_value=True) for k, v in dose_rows]
    else:
        drawing_width = style.drawing_height * 2.15
        right_width = width - drawing_width - style.space(0.8)
        right_x = left + drawing_width + style.space(0.8) if pictures is not None else left
        right: Parts = []
        y = 0.0
        if card.summary:
            lines = _wrapped(card.summary, style.body, right_x, right_width)
            right += lines
            y += len(lines) * style.body.leading + style.body.spaceAfter
        for label, value in dose_rows:
            row = _row(label, value, style, right_x, right_width, bold_value=True)
            right.append((y, row.paint))
            y += row.height
        blocks += title
        if pictures is not None:
            blocks.append(_gap(style.space(0.25)))
            picture = _drawing(pictures, left, drawing_width, style.drawing_height, style)
            right.insert(0, (0.0, picture))
            y = max(y, style.drawing_height)
        blocks.append(_block(y, right))
    blocks += _paragraph("How to do it", style.body, left, width, BOLD)
    blocks += _numbered(card.steps, style, left, width)
    # Large print keeps each box whole; standard print keeps the whole card whole.
    boxes: list[list[_Block]] = []
    if card.cue:
        boxes.append(
            [
                _gap(style.space(0.2)),
                *_box("Your therapist's reminder", [card.cue], style, pages, bulleted=False),
            ]
        )
    if card.cautions:
        heading = f"Take care with exercise {card.number}"
        boxes.append(
            [
                _gap(style.space(0.2)),
                *_box(heading, card.cautions, style, pages, bulleted=True),
            ]
        )
    if style.large:
        pages.extend(blocks)
        for box in boxes:
            pages.keep(box)
        pages.add(_gap(style.space(0.8)))
    else:  # a card reads as one piece
        pages.keep([*blocks, *(block for box in boxes for block in box), _gap(style.space(0.8))])


def _section(section: Section, style: Look, pages: _Pages) -> None:
    left, width = style.margin, style.frame_width
    head = [_gap(style.heading.spaceBefore)]
    head += _paragraph(section.heading, style.heading, left, width)
    head.append(_gap(style.heading.spaceAfter))
    if section.intro:
        head += _paragraph(section.intro, style.body, left, width)
    points = _bullets(section.points, style, left, width)
    pages.keep([*head, *points[:2]])  # the heading never ends a page
    pages.extend(points[2:])


def _tick_label(card: ExerciseCard, style: Look, x: float, width: float) -> tuple[int, Parts]:
    """The row label: how many lines it wraps to, and its parts ("**3.** Bridging: ...")."""
    days = card.days_per_week
    often = "every day" if days == 7 else f"{days} day{'' if days == 1 else 's'} a week"
    label = style.tick_label
    number = f"{card.number}. "
    indent = stringWidth(number, BOLD, label.fontSize)
    lines = _wrapped(f"{card.name}: {often}", label, x + indent, width - indent)
    return len(lines), [(0.0, _text(x, number, BOLD, label.fontSize, colors.black)), *lines]


def _grid_row(
    height: float, xs: Sequence[float], parts: Parts, style: Look, *, centre_offset: float = 0.0
) -> _Block:
    """One table row: its cell borders, then its text placed `centre_offset` down."""
    edges = list(xs)

    def paint(canvas: Canvas, top: float) -> None:
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(style.rule / 2)
        canvas.grid(edges, [top, top - height])
        for offset, part in parts:
            part(canvas, top - centre_offset - offset)

    return _Block(height, paint)


def _tick_rows(
    cards: Sequence[ExerciseCard], style: Look, label_width: float, xs: Sequence[float]
) -> list[_Block]:
    pad = style.space(0.25)
    rows = []
    for card in cards:
        lines, parts = _tick_label(card, style, style.margin + pad, label_width - pad)
        height = lines * style.tick_label.leading + 2 * pad
        rows.append(_grid_row(height, xs, parts, style, centre_offset=pad))
    return rows


def _tick_sheet(cards: Sequence[ExerciseCard], style: Look, pages: _Pages) -> None:
    left, width = style.margin, style.frame_width
    pages.new_page()
    pages.extend(_paragraph("Your four-week tick sheet", style.title, left, width))
    pages.extend(
        _paragraph(
            "Tick a box on each day you do the exercise. Bring this sheet to your next "
            "appointment: it helps us see what works for you.",
            style.body,
            left,
            width,
        )
    )
    pages.add(_gap(style.space(0.4)))
    head_style = style.tick_head
    size = head_style.fontSize
    head_height = head_style.leading + 6  # Platypus' default cell padding, top and bottom
    if style.large:
        day_width = size * 2.2
        label_width = width - day_width * len(DAYS)
        xs = [left, *(left + label_width + day_width * n for n in range(len(DAYS) + 1))]
        for week in range(1, WEEKS + 1):
            heading: Parts = _wrapped(
                f"Week {week}", style.box_heading, left + style.space(0.25), label_width
            )
            heading += [
                (0.0, _centred(left + label_width + day_width * (n + 0.5), day, BOLD, size))
                for n, day in enumerate(DAYS)
            ]
            height = max(style.box_heading.leading, head_height)
            head = [_grid_row(height, xs, heading, style, centre_offset=3)]
            rows = _tick_rows(cards, style, label_width, xs)
            pages.need(head[0].height + rows[0].height)  # weeks run on, as the real builder now
            pages.table(head, rows)
            pages.add(_gap(style.space(0.8)))
        return
    day_width = size * 2.4
    columns = 2 * len(DAYS)
    label_width = width - day_width * columns
    days_x = left + label_width
    xs = [left, *(days_x + day_width * n for n in range(columns + 1))]
    for first_week in range(1, WEEKS + 1, 2):
        weeks: Parts = [
            (0.0, _centred(days_x + day_width * len(DAYS) * (n + 0.5), f"Week {week}", BOLD, size))
            for n, week in enumerate((first_week, first_week + 1))
        ]
        week_edges = [left, days_x, days_x + day_width * len(DAYS), xs[-1]]
        days: Parts = [(0.0, _text(left + style.space(0.25), "Exercise", BOLD, size, colors.black))]
        days += [
            (0.0, _centred(days_x + day_width * (n + 0.5), day, BOLD, size))
            for n, day in enumerate(DAYS * 2)
        ]
        head = [
            _grid_row(head_height, week_edges, weeks, style, centre_offset=3),
            _grid_row(head_height, xs, days, style, centre_offset=3),
        ]
        pages.table(head, _tick_rows(cards, style, label_width, xs))
        pages.add(_gap(style.space(0.8)))


def _lay_out(snapshot: HandoutSnapshot, sheet: ProgrammeSheet, style: Look) -> _Pages:
    """Every block of the programme handout, in `programme_handout`'s order, on pages."""
    left, width = style.margin, style.frame_width
    safety = snapshot.leaflets["exercise_safety"]
    stop, pacing = safety.sections[0], safety.sections[1]
    pages = _Pages(style)
    pages.add(_clinic_header(snapshot.clinic, style))
    pages.add(_gap(style.space(0.6)))
    pages.extend(_paragraph("Your home exercise programme", style.title, left, width))
    who = [("For", snapshot.client_name), ("Date", long_date(snapshot.printed_on))]
    if snapshot.therapist:
        who.append(("Your therapist", snapshot.therapist))
    pages.extend([_row(k, v, style, left, width, bold_value=False) for k, v in who])
    pages.add(_gap(style.space(0.5)))
    count = len(sheet.cards)
    pages.extend(
        _paragraph(
            f"Your therapist chose these {count} exercise{'s' if count != 1 else ''} for you "
            f"(programme updated {long_date(sheet.issued_on)}). Do each one on the days shown, "
            "the way you practised it with your therapist.",
            style.body,
            left,
            width,
        )
    )
    pages.add(_gap(style.space(0.3)))
    pages.keep(_box(stop.heading, stop.points, style, pages, bulleted=True, strong=True))
    for card in sheet.cards:
        _card(card, style, pages)
    pages.need(style.space(8))
    _section(pacing, style, pages)
    _tick_sheet(sheet.cards, style, pages)
    return pages


def raw_programme_pdf(snapshot: HandoutSnapshot) -> bytes:
    """The programme handout's words and drawings on a bare ReportLab canvas, as PDF bytes.

    Prints in large print when the snapshot's client prefers it. Fonts are registered
    through the real stylesheet (once per process), so neither side of the comparison
    pays for registration after its first call.
    """
    sheet = snapshot.programme
    if sheet is None or not sheet.cards:
        raise HandoutUnavailable(unavailable_reason(snapshot, HandoutKind.PROGRAMME) or "")
    register_fonts()
    style = look(snapshot.prefers_large_print)
    pages = _lay_out(snapshot, sheet, style).pages
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=style.page)
    canvas.setTitle(f"{HandoutKind.PROGRAMME.label} — {snapshot.client_name}")
    canvas.setAuthor(snapshot.clinic.name)
    canvas.setCreator("Therapy Desk")
    canvas.setSubject("Client handout")
    for number, page in enumerate(pages, start=1):
        for top, paint in page:
            paint(canvas, top)
        footer = Footer(snapshot.client_name, snapshot.printed_on, style.large)
        draw_footer(canvas, footer, number, len(pages))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
