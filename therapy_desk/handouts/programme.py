"""The home exercise programme: a card per exercise, safety and pacing, a four-week tick sheet."""

from __future__ import annotations

from collections.abc import Sequence

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

from therapy_desk.handouts.drawing import ExerciseDrawingFlowable
from therapy_desk.handouts.grid import Heading, TickGrid
from therapy_desk.handouts.page import FOOTER_ZONE, long_date
from therapy_desk.handouts.parts import (
    CachedTable,
    boxed,
    details_table,
    handout_top,
    numbered,
    para,
    paragraph,
    section,
    words,
)
from therapy_desk.handouts.snapshot import ExerciseCard, HandoutSnapshot, exercise_safety
from therapy_desk.handouts.styles import Look
from therapy_desk.library.drawings import drawing

WEEKS = 4
DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def programme_handout(snapshot: HandoutSnapshot, look: Look) -> list[Flowable]:
    sheet = snapshot.programme
    assert sheet is not None, "checked by unavailable_reason before building"
    stop, pacing = exercise_safety(snapshot)
    story = handout_top(snapshot, look, "Your home exercise programme")
    story.append(
        para(
            f"Your therapist chose these {len(sheet.cards)} exercise"
            f"{'s' if len(sheet.cards) != 1 else ''} for you "
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
    # steps; a card may run on to the next page below that, so no page is left half
    # empty for the want of a few lines. Its boxes are never split.
    heading = paragraph("<b>How to do it</b>", look.body)
    story: list[Flowable] = [KeepTogether([*parts, heading, numbered(card.steps[:2], look)])]
    # The last steps stay with the boxes, so a "Take care" box never starts a page alone.
    tail: list[Flowable] = [numbered(card.steps[2:], look, start=3)] if card.steps[2:] else []
    story.append(KeepTogether([*tail, *_care(card, look), *_reminder(card, look)]))
    story.append(Spacer(0, look.space(0.8)))
    return story


def _dose_rows(card: ExerciseCard) -> list[tuple[str, str]]:
    rows = list(card.dose)
    if card.equipment:
        rows.append(("You need", ", ".join(card.equipment)))
    return rows


def _steps(card: ExerciseCard, look: Look) -> list[Flowable]:
    return [paragraph("<b>How to do it</b>", look.body), numbered(card.steps, look)]


def _care(card: ExerciseCard, look: Look) -> list[Flowable]:
    if not card.cautions:
        return []
    box = boxed(
        f"Take care with exercise {card.number}",
        card.cautions,
        look,
        bulleted=True,
        keep=False,
    )
    return [Spacer(0, look.space(0.2)), *box]


def _reminder(card: ExerciseCard, look: Look) -> list[Flowable]:
    if not card.cue:
        return []
    box = boxed("Your therapist's reminder", [card.cue], look, keep=False)
    return [Spacer(0, look.space(0.2)), *box]


def _height(parts: Sequence[Flowable], look: Look) -> float:
    """How tall these flowables stand, one under another, at the page's width."""
    return sum(
        p.wrap(look.frame_width, look.page[1])[1] + p.getSpaceBefore() + p.getSpaceAfter()
        for p in parts
    )


def _large_card(card: ExerciseCard, look: Look) -> list[Flowable]:
    """An exercise on a page of its own, the drawing grown to fill what the text leaves.

    When title, drawing, dose, steps, "Take care" and reminder cannot share one page at
    18 pt, the card takes two: first what it is, how much and how to take care (with
    the drawing), then, under the title again, how to do it and the reminder. The
    "Take care" box never stands apart from its exercise's title.
    """
    pictures = drawing(card.drawing) if card.drawing else None
    gap = look.space(0.3)
    room = look.page[1] - 2 * look.margin - FOOTER_ZONE - look.space(0.5)

    def title(more: str = "") -> list[Flowable]:
        return [para(f"{card.number}. {card.name}{more}", look.card_title), Spacer(0, gap)]

    def with_picture(text: list[Flowable], *, force: bool = False) -> list[Flowable] | None:
        """The page with the drawing as tall as fits (up to the most), or None when even
        the least does not fit (with `force`, the least, and the page may run on)."""
        head, rest = text[:2], text[2:]
        fits = _height(text, look) <= room
        if pictures is None:
            return text if fits or force else None
        left = room - _height(text, look) - gap
        if left < look.drawing_height and not force:
            return None
        height = max(look.drawing_height, min(left, look.drawing_max_height))
        picture = ExerciseDrawingFlowable(pictures, look.frame_width, height, look)
        return [*head, picture, Spacer(0, gap), *rest]

    dose = details_table(_dose_rows(card), look, bold_values=True)
    whole = [*title(), dose, *_steps(card, look), *_care(card, look), *_reminder(card, look)]
    one_page = with_picture(whole)
    if one_page is not None:
        return one_page
    first = [
        *title(),
        details_table(_dose_rows(card), look, bold_values=True),
        *_care(card, look),
        paragraph("<b>How to do it: see the next page.</b>", look.body),
    ]
    # Even a card with long cautions keeps a drawing; only then may it run on.
    page_one = with_picture(first, force=True)
    assert page_one is not None
    second = [*title(" (continued)"), *_steps(card, look), *_reminder(card, look)]
    return [*page_one, PageBreak(), *second]


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
        for first_week in range(1, WEEKS + 1, 2):
            story.append(KeepTogether([_fortnight_table(labels, look, first_week)]))
            story.append(Spacer(0, look.space(0.8)))
    return story


def _often(days_per_week: int) -> str:
    if days_per_week == 7:
        return "every day"
    return f"{days_per_week} day{'s' if days_per_week != 1 else ''} a week"


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
