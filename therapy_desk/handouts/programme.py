"""The home exercise programme: a card per exercise, safety and pacing, a four-week tick sheet."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    TableStyle,
)

from therapy_desk.handouts.drawing import (
    COLUMN_ARROW,
    LARGE_THICK_SIDE,
    ExerciseDrawingFlowable,
)
from therapy_desk.handouts.grid import Heading, TickGrid
from therapy_desk.handouts.page import FOOTER_ZONE, long_date
from therapy_desk.handouts.parts import (
    CachedTable,
    boxed,
    details_table,
    handout_top,
    layout_table,
    numbered,
    para,
    paragraph,
    section,
    words,
)
from therapy_desk.handouts.snapshot import ExerciseCard, HandoutSnapshot, exercise_safety
from therapy_desk.handouts.styles import Look
from therapy_desk.library.drawings import ExerciseDrawing, drawing
from therapy_desk.words import count

WEEKS = 4
DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def programme_handout(snapshot: HandoutSnapshot, look: Look) -> list[Flowable]:
    sheet = snapshot.programme
    assert sheet is not None, "checked by unavailable_reason before building"
    stop, pacing = exercise_safety(snapshot)
    story = handout_top(snapshot, look, "Your home exercise programme")
    story.append(
        para(
            f"Your therapist chose {'this' if len(sheet.cards) == 1 else 'these'} "
            f"{count(len(sheet.cards), 'exercise')} for you "
            f"(programme updated {long_date(sheet.issued_on)}). Do each one on the days shown, "
            "the way you practised it with your therapist.",
            look.body,
        )
    )
    story.append(Spacer(0, look.space(0.3)))
    story.extend(boxed(stop.heading, stop.points, look, strong=True, bulleted=True))
    for card in sheet.cards:
        if look.large:
            story.append(PageBreak())
        story.extend(_card(card, look))
    story.append(CondPageBreak(look.space(8)))
    story.extend(section(pacing, look, checklist=False))
    story.extend(tick_sheet(sheet.cards, look))
    return story


def _card(card: ExerciseCard, look: Look) -> list[Flowable]:
    if look.large:
        return _large_card(card, look)
    title = para(f"{card.number}. {card.name}", look.card_title)
    pictures = drawing(card.drawing) if card.drawing else None
    drawing_width = look.drawing_height * 2.15
    right_width = look.frame_width - drawing_width - look.space(0.8)
    # The summary runs across the page under the title; the dose stands by the drawing.
    summary: list[Flowable] = [para(card.summary, look.body)] if card.summary else []
    right: list[Flowable] = [
        details_table(_dose_rows(card), look, bold_values=True, width=right_width)
    ]
    parts: list[Flowable] = []
    if pictures is not None:
        top = CachedTable(
            [
                [
                    ExerciseDrawingFlowable(pictures, drawing_width, look.drawing_height, look),
                    right,
                ]
            ],
            colWidths=[drawing_width + look.space(0.8), right_width],
        )
        top.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        parts.extend([title, *summary, Spacer(0, look.space(0.25)), top])
    else:
        parts.extend([title, *summary, *right])
    # The title never leaves its drawing and dose, nor "How to do it" its first two
    # steps; a card may run on to the next page between them or below, so no page is
    # left half empty for the want of a few lines. Its boxes are never split.
    heading = paragraph("<b>How to do it</b>", look.body)
    story: list[Flowable] = [
        KeepTogether(parts),
        KeepTogether([heading, numbered(card.steps[:2], look)]),
    ]
    # The middle steps may run on to the next page; the last stays with the boxes, so a
    # "Take care" box never starts a page alone.
    last = max(2, len(card.steps) - 1)
    if card.steps[2:last]:
        story.append(numbered(card.steps[2:last], look, start=3))
    tail: list[Flowable] = (
        [numbered(card.steps[last:], look, start=last + 1)] if card.steps[last:] else []
    )
    story.append(KeepTogether([*tail, *_care(card, look), *_reminder(card, look, inline=True)]))
    story.append(Spacer(0, look.space(0.8)))
    return story


def _dose_rows(card: ExerciseCard) -> list[tuple[str, str]]:
    rows = list(card.dose)
    if card.equipment:
        rows.append(("You need", ", ".join(card.equipment)))
    return rows


def _care(
    card: ExerciseCard, look: Look, *, reminder: bool = False, width: float | None = None
) -> list[Flowable]:
    """The "Take care" box (the page's `width` unless told); with `reminder`, the
    therapist's reminder as its last line (a box's border and padding less than a box
    of its own)."""
    if not card.cautions:
        return []
    lines: list[Flowable | str] = list(card.cautions)
    if reminder and card.cue:
        lines.append(paragraph(f"<b>Your therapist's reminder:</b> {words(card.cue)}", look.body))
    box = boxed(
        f"Take care with exercise {card.number}",
        lines,
        look,
        bulleted=True,
        keep=False,
        width=width,
    )
    return [Spacer(0, look.space(0.2)), *box]


def _reminder(
    card: ExerciseCard, look: Look, *, inline: bool = False, width: float | None = None
) -> list[Flowable]:
    """The therapist's cue in a box (the page's `width` unless told); `inline`, on the
    heading's line, to save a line."""
    if not card.cue:
        return []
    if inline:
        box = boxed(f"Your therapist's reminder: {card.cue}", [], look, keep=False, width=width)
    else:
        box = boxed("Your therapist's reminder", [card.cue], look, keep=False, width=width)
    return [Spacer(0, look.space(0.2)), *box]


def _height(parts: Sequence[Flowable], look: Look, width: float | None = None) -> float:
    """How tall these flowables stand, one under another, at the page's width (or `width`)."""
    width = look.frame_width if width is None else width
    return sum(
        p.wrap(width, look.page[1])[1] + p.getSpaceBefore() + p.getSpaceAfter() for p in parts
    )


#: The least a large-print picture (start or finish) shrinks to, each of the two.
LARGE_PICTURE_MIN = LARGE_THICK_SIDE
#: The least it shrinks to on a card that does not fit otherwise (a long reminder), its
#: lines kept as thick as at LARGE_PICTURE_MIN.
LARGE_PICTURE_LEAST = 35 * mm
#: The most it grows to: two of them side by side across the page.
LARGE_PICTURE_MAX = 80 * mm


@cache
def _compact(look: Look) -> Look:
    """Large print set close for an exercise card: the same 18 pt text, tighter lines."""
    body = look.body.fontSize
    lead = body * 1.2

    def closer(style: ParagraphStyle, leading: float, **extra: Any) -> ParagraphStyle:
        return ParagraphStyle(f"{style.name}-compact", parent=style, leading=leading, **extra)

    return replace(
        look,
        body=closer(look.body, lead, spaceAfter=body * 0.15),
        bold=closer(look.bold, lead),
        step_number=closer(look.step_number, lead),
        box_heading=closer(look.box_heading, look.box_heading.fontSize * 1.2),
        card_title=closer(look.card_title, 22 * 1.15, fontSize=22),
    )


def _one_line_dose(card: ExerciseCard, look: Look, *, column: bool = False) -> list[Flowable]:
    """The dose as one line ('2 sets of 10 · 1.5 kg · 3 days a week'), or a line each in a
    `column` beside the drawing; what to have ready under it."""
    values = [words(value) for _, value in card.dose]
    shown = values if column else [" · ".join(values)] if values else []
    lines: list[Flowable] = [paragraph(f"<b>{value}</b>", look.body) for value in shown]
    if card.equipment:
        lines.append(paragraph(f"<b>You need:</b> {words(', '.join(card.equipment))}", look.body))
    return lines


def _dose_beside(card: ExerciseCard, look: Look) -> list[tuple[list[Flowable], list[Flowable]]]:
    """Ways to set the dose beside a drawing: all in the column, or what to have ready
    under the drawing."""
    ways: list[tuple[list[Flowable], list[Flowable]]] = [
        (_one_line_dose(card, look, column=True), [])
    ]
    if card.equipment:
        dose = _one_line_dose(replace(card, equipment=()), look, column=True)
        ways.append((dose, _one_line_dose(replace(card, dose=()), look)))
    return ways


def _large_card(card: ExerciseCard, look: Look) -> list[Flowable]:
    """An exercise whole on a page of its own, its drawing sized to what the text leaves.

    Title, dose, start and finish drawings side by side, the steps, "Take care" and the
    reminder share one page: the text stays at 18 pt, set close, and the drawings shrink
    (to no less than LARGE_PICTURE_MIN each) until the card fits; when the page is
    tight the dose stands beside them. Only a card too long even then takes two pages:
    first what it is, how much and how to take care (with the drawing), then, under
    the title again, how to do it and the reminder; the "Take care" box never stands
    apart from its exercise's title.
    """
    tight = _compact(look)
    pictures = drawing(card.drawing) if card.drawing else None
    gap = tight.space(0.3)
    # The frame's height, less a little for ReportLab's rounding.
    room = look.page[1] - 2 * look.margin - FOOTER_ZONE - 2

    def title(more: str = "") -> list[Flowable]:
        return [para(f"{card.number}. {card.name}{more}", tight.card_title), Spacer(0, gap)]

    def page(
        rest: list[Flowable], *, least: float = LARGE_PICTURE_MIN, force: bool = False
    ) -> list[Flowable] | None:
        """Title, dose and drawing over `rest`, the drawing as big as fits; None when
        even the `least` does not fit (with `force`, the least, and the page may run on)."""
        dose = _one_line_dose(card, tight)
        if pictures is None:
            text = [*title(), *dose, Spacer(0, gap), *rest]
            return text if force or _height(text, tight) <= room else None
        best = max(
            (
                _stacked(pictures, title(), dose, rest, tight, look, room, gap, least),
                _beside(pictures, title(), card, rest, tight, look, room, gap, least),
            ),
            key=lambda laid: laid[0],
        )
        if best[0] < least and not force:
            return None
        if best[0] >= least:
            return best[1]
        # Forced: the least drawing, the dose under it, and the page runs on.
        return _stacked(
            pictures, title(), dose, rest, tight, look, room, gap, least, smallest=True
        )[1]

    steps = [paragraph("<b>How to do it</b>", tight.body), numbered(card.steps, tight)]
    one_page = page([*steps, *_care(card, tight), *_reminder(card, tight, inline=True)])
    if one_page is not None:
        return one_page
    # A long reminder: the steps set closer, the reminder the last line of "Take care",
    # and the drawings smaller (lines as thick) before the card takes two pages.
    close = [
        paragraph("<b>How to do it</b>", tight.body),
        numbered(card.steps, tight, spacing=0),
    ]

    def boxes(width: float | None = None) -> list[Flowable]:
        if card.cautions:
            return _care(card, tight, reminder=True, width=width)
        return _reminder(card, tight, inline=True, width=width)

    squeezed = page([*close, *boxes()], least=LARGE_PICTURE_LEAST)
    if squeezed is not None:
        return squeezed
    # Then start above finish in a column beside the steps (and the boxes, when they
    # fit there), the rest across the page.
    if pictures is not None:
        side, laid = _column(
            pictures,
            title(),
            _one_line_dose(card, tight),
            lambda width: [
                paragraph("<b>How to do it</b>", tight.body),
                numbered(card.steps, tight, width, spacing=0),
            ],
            boxes,
            tight,
            look,
            room,
            gap,
        )
        if side >= LARGE_PICTURE_LEAST:
            return laid
    first = [*_care(card, tight), paragraph("<b>How to do it: see the next page.</b>", tight.body)]
    # Even a card with long cautions keeps a drawing; only then may it run on.
    page_one = page(first, force=True)
    assert page_one is not None
    second = [*title(" (continued)"), *steps, *_reminder(card, tight, inline=True)]
    return [*page_one, PageBreak(), *second]


def _stacked(
    pictures: ExerciseDrawing,
    head: list[Flowable],
    dose: list[Flowable],
    rest: list[Flowable],
    tight: Look,
    look: Look,
    room: float,
    gap: float,
    least: float = LARGE_PICTURE_MIN,
    *,
    smallest: bool = False,
) -> tuple[float, list[Flowable]]:
    """Title, dose, the drawing across the page, then the rest: the side of each picture
    that fits (less than the `least` when nothing fits), and the page (with `smallest`,
    the least drawing)."""
    caption = look.caption.leading
    text = [*head, *dose, *rest]
    side = room - _height(text, tight) - 2 * gap - caption
    size = least if smallest else max(least, min(side, LARGE_PICTURE_MAX))
    # Start and finish a short arrow apart, not pushed out to the page's edges.
    width = min(look.frame_width, 2 * size + 24 * mm)
    picture = ExerciseDrawingFlowable(pictures, width, size + caption, look)
    return side, [*head, *dose, Spacer(0, gap), picture, Spacer(0, gap), *rest]


def _beside(
    pictures: ExerciseDrawing,
    head: list[Flowable],
    card: ExerciseCard,
    rest: list[Flowable],
    tight: Look,
    look: Look,
    room: float,
    gap: float,
    least: float = LARGE_PICTURE_MIN,
) -> tuple[float, list[Flowable]]:
    """Title, then the drawing with the dose beside it, then the rest: the biggest side
    of each picture, no less than `least`, that fits (0 when none does), and the page."""
    caption = look.caption.leading
    between = 12 * mm  # room for the arrow from start to finish
    pad = tight.space(0.6)
    rest_height = _height([*head, *rest], tight) + gap
    side = (look.frame_width - between - pad - 55 * mm) / 2
    while side >= least:
        width = 2 * side + between
        dose_width = look.frame_width - width - pad
        # What to have ready stands beside the drawing or, when shorter so, under it.
        dose, below, row = min(
            (
                (column, under, max(side + caption, _height(column, tight, dose_width)))
                for column, under in _dose_beside(card, tight)
            ),
            key=lambda laid: laid[2] + _height(laid[1], tight),
        )
        if rest_height + row + _height(below, tight) <= room:
            picture = ExerciseDrawingFlowable(pictures, width, side + caption, look)
            table = layout_table([[picture, dose]], [width + pad, dose_width])
            return side, [*head, table, *below, Spacer(0, gap), *rest]
        side -= 1 * mm
    return 0.0, []


def _column(
    pictures: ExerciseDrawing,
    head: list[Flowable],
    dose: list[Flowable],
    steps: Callable[[float], list[Flowable]],
    after: Callable[[float | None], list[Flowable]],
    tight: Look,
    look: Look,
    room: float,
    gap: float,
    least: float = LARGE_PICTURE_LEAST,
) -> tuple[float, list[Flowable]]:
    """The title, then the `steps` with start above finish in a column beside them; the
    dose and `after` (the boxes) beside them too where they fit, else across the page
    (the dose over the steps, the boxes under them), each laid out at the width given:
    the biggest side of each picture, no less than `least`, that fits (0 when none
    does), and the page."""
    caption = look.caption.leading
    pad = tight.space(0.6)
    # The steps keep at least half the page's width; whole millimetres, down to `least`.
    top = round(min(LARGE_PICTURE_MAX, look.frame_width / 2 - pad) / mm)
    for side in (whole * mm for whole in range(top, math.ceil(least / mm - 0.01) - 1, -1)):
        text_width = look.frame_width - side - pad
        height = 2 * (side + caption) + COLUMN_ARROW
        boxes = after(None)
        for over, text, under in (
            ([], [*dose, *steps(text_width), *after(text_width)], []),
            ([], [*dose, *steps(text_width)], boxes),
            (dose, steps(text_width), boxes),
        ):
            row = max(_height(text, tight, text_width), height)
            if _height([*head, *over, *under], tight) + gap + row > room:
                continue
            picture = ExerciseDrawingFlowable(pictures, side, height, look, column=True)
            table = layout_table([[text, picture]], [text_width + pad, side])
            return side, [*head, *over, Spacer(0, gap), table, *under]
    return 0.0, []


def tick_sheet(cards: tuple[ExerciseCard, ...], look: Look) -> list[Flowable]:
    """Four weeks of tick boxes: two weeks side by side, or in large print a week at a time.

    Each week (each fortnight) is kept whole on one page, so a client never turns over
    in the middle of a week; only a week too long for any page (thirty exercises) runs
    on, under a repeat of its heading rows. The title follows the pacing advice on its
    page when week 1 does not fit beneath it, rather than stand alone on one.
    """
    story: list[Flowable] = [
        # Room for the title and the words under it.
        CondPageBreak(look.space(6)),
        para("Your four-week tick sheet", look.title),
        para(
            "Tick a box on each day you do the exercise. Bring this sheet to your next "
            "appointment: it helps us see what works for you.",
            look.body,
        ),
        Spacer(0, look.space(0.4)),
    ]
    # Every week lists the same exercises: each label is laid out once, drawn each week.
    labels = [_label(card, look) for card in cards]
    # A week (or fortnight) is kept on one page; only one too long for any page runs on.
    if look.large:
        for week in range(1, WEEKS + 1):
            story.append(KeepTogether([_week_table(labels, look, week)]))
            story.append(Spacer(0, look.space(0.8)))
    else:
        # Packed close, so a long programme's two fortnights share a page.
        for first_week in range(1, WEEKS + 1, 2):
            story.append(KeepTogether([_fortnight_table(labels, look, first_week)]))
            story.append(Spacer(0, look.space(0.4)))
    return story


def _often(days_per_week: int) -> str:
    if days_per_week == 7:
        return "every day"
    return f"{count(days_per_week, 'day')} a week"


def _label(card: ExerciseCard, look: Look) -> Paragraph:
    often = _often(card.days_per_week)
    return paragraph(f"<b>{card.number}.</b> {words(card.name)}: {often}", look.tick_label)


def _week_table(labels: Sequence[Flowable], look: Look, week: int) -> TickGrid:
    """One week; its heading row repeats on every page the week runs onto."""
    # Narrow enough that a label takes two lines and ten exercises fit a page.
    day_width = max(look.tick_head.fontSize * 1.7, 10 * mm)
    head = [Heading(paragraph(f"Week {week}", look.box_heading), 0, 0)]
    head += [Heading(day, column, column) for column, day in enumerate(DAYS, start=1)]
    return TickGrid(
        [head],
        labels,
        [look.frame_width - day_width * len(DAYS)] + [day_width] * len(DAYS),
        look,
    )


def _fortnight_table(labels: Sequence[Flowable], look: Look, first_week: int) -> TickGrid:
    """Two weeks side by side: boxes big enough to tick with a weak hand (at least 7 mm)."""
    day_width = max(look.tick_head.fontSize * 1.9, 7 * mm)
    columns = 2 * len(DAYS)
    weeks = [
        Heading(f"Week {week}", 1 + n * len(DAYS), (n + 1) * len(DAYS))
        for n, week in enumerate((first_week, first_week + 1))
    ]
    days = [Heading("Exercise", 0, 0)]
    days += [Heading(day, column, column) for column, day in enumerate(DAYS * 2, start=1)]
    return TickGrid(
        [weeks, days],
        labels,
        [look.frame_width - day_width * columns] + [day_width] * columns,
        look,
        rule_after=len(DAYS),
    )
