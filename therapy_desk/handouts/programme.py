"""The home exercise programme: a card per exercise, safety and pacing, a four-week tick sheet."""

from __future__ import annotations

from collections.abc import Sequence

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
from therapy_desk.handouts.page import long_date
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
    story.append(PageBreak())
    story.extend(tick_sheet(sheet.cards, look))
    return story


def _card(card: ExerciseCard, look: Look) -> list[Flowable]:
    title = para(f"{card.number}. {card.name}", look.card_title)
    pictures = drawing(card.drawing) if card.drawing else None
    dose_rows = list(card.dose)
    if card.equipment:
        dose_rows.append(("You need", ", ".join(card.equipment)))
    steps_head = paragraph("<b>How to do it</b>", look.body)
    parts: list[Flowable] = []
    if look.large:
        parts.append(title)
        parts.append(Spacer(0, look.space(0.3)))
        if pictures is not None:
            parts.append(
                ExerciseDrawingFlowable(pictures, look.frame_width, look.drawing_height, look)
            )
            parts.append(Spacer(0, look.space(0.3)))
        parts.append(details_table(dose_rows, look, bold_values=True))
        parts.extend([steps_head, numbered(card.steps, look)])
    else:
        drawing_width = look.drawing_height * 2.15
        right_width = look.frame_width - drawing_width - look.space(0.8)
        right: list[Flowable] = [para(card.summary, look.body)] if card.summary else []
        right.append(details_table(dose_rows, look, bold_values=True, width=right_width))
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
            parts.extend([title, Spacer(0, look.space(0.25)), top])
        else:
            parts.extend([title, *right])
        parts.extend([steps_head, numbered(card.steps, look)])
    if card.cue:
        parts.append(Spacer(0, look.space(0.2)))
        parts.extend(boxed("Your therapist's reminder", [card.cue], look, keep=look.large))
    if card.cautions:
        parts.append(Spacer(0, look.space(0.2)))
        parts.extend(
            boxed(
                f"Take care with exercise {card.number}",
                card.cautions,
                look,
                bulleted=True,
                keep=look.large,
            )
        )
    parts.append(Spacer(0, look.space(0.8)))
    if look.large:
        return parts
    # A card reads as one piece: start it on a new page rather than split it.
    return [KeepTogether(parts)]


def tick_sheet(cards: tuple[ExerciseCard, ...], look: Look) -> list[Flowable]:
    """Four weeks of tick boxes: two weeks side by side, or in large print a week at a time.

    A week's rows run on to the next page under a repeat of its heading rows (never the
    headings alone at the foot of a page), so large print fills its pages instead of
    moving each week whole to a fresh one; the title stays with the first rows.
    """
    story: list[Flowable] = [
        # Room for the title, the words under it, the heading rows and two exercises.
        CondPageBreak(look.space(12)),
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
    if look.large:
        for week in range(1, WEEKS + 1):
            story.append(_week_table(labels, look, week))
            story.append(Spacer(0, look.space(0.8)))
    else:
        for first_week in range(1, WEEKS + 1, 2):
            story.append(_fortnight_table(labels, look, first_week))
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
    day_width = look.tick_head.fontSize * 2.2
    head = [Heading(paragraph(f"Week {week}", look.box_heading), 0, 0)]
    head += [Heading(day, column, column) for column, day in enumerate(DAYS, start=1)]
    return TickGrid(
        [head],
        labels,
        [look.frame_width - day_width * len(DAYS)] + [day_width] * len(DAYS),
        look,
    )


def _fortnight_table(labels: Sequence[Flowable], look: Look, first_week: int) -> TickGrid:
    """Two weeks side by side: boxes big enough to tick with a weak hand (7 mm)."""
    day_width = look.tick_head.fontSize * 2.4
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
