"""The home exercise programme: a card per exercise, safety and pacing, a four-week tick sheet."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from therapy_desk.handouts.drawing import ExerciseDrawingFlowable
from therapy_desk.handouts.page import long_date
from therapy_desk.handouts.parts import (
    boxed,
    details_table,
    handout_top,
    numbered,
    para,
    section,
    words,
)
from therapy_desk.handouts.snapshot import ExerciseCard, HandoutSnapshot
from therapy_desk.handouts.styles import BOLD, Look
from therapy_desk.library.drawings import drawing

WEEKS = 4
DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


def programme_handout(snapshot: HandoutSnapshot, look: Look) -> list[Flowable]:
    sheet = snapshot.programme
    assert sheet is not None, "checked by unavailable_reason before building"
    safety = snapshot.leaflets["exercise_safety"]
    stop, pacing = safety.sections[0], safety.sections[1]
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
    steps_head = Paragraph("<b>How to do it</b>", look.body)
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
            top = Table(
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
    story: list[Flowable] = [
        para("Your four-week tick sheet", look.title),
        para(
            "Tick a box on each day you do the exercise. Bring this sheet to your next "
            "appointment: it helps us see what works for you.",
            look.body,
        ),
        Spacer(0, look.space(0.4)),
    ]
    if look.large:
        for week in range(1, WEEKS + 1):
            story.append(KeepTogether([_week_table(cards, look, week), Spacer(0, look.space(0.8))]))
    else:
        for first_week in range(1, WEEKS + 1, 2):
            story.append(_fortnight_table(cards, look, first_week))
            story.append(Spacer(0, look.space(0.8)))
    return story


def _label(card: ExerciseCard, look: Look) -> Paragraph:
    often = "every day" if card.days_per_week == 7 else f"{card.days_per_week} days a week"
    return Paragraph(f"<b>{card.number}.</b> {words(card.name)}: {often}", look.tick_label)


def _grid_style(look: Look, header_rows: int) -> list[tuple[Any, ...]]:
    return [
        ("GRID", (0, 0), (-1, -1), look.rule / 2, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 0), (-1, -1), "CENTER"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), look.tint),
        ("LEFTPADDING", (0, 0), (0, -1), look.space(0.25)),
        ("LEFTPADDING", (1, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        # Room to write a tick, whatever the hand: rows never shorter than this.
        ("TOPPADDING", (0, header_rows), (-1, -1), look.space(0.25)),
        ("BOTTOMPADDING", (0, header_rows), (-1, -1), look.space(0.25)),
    ]


def _week_table(cards: tuple[ExerciseCard, ...], look: Look, week: int) -> Table:
    """One week; its heading row repeats on every page the week runs onto."""
    day_width = look.tick_head.fontSize * 2.2
    head: list[Any] = [Paragraph(f"Week {week}", look.box_heading), *DAYS]
    rows = [head] + [[_label(card, look)] + [""] * len(DAYS) for card in cards]
    table = Table(
        rows,
        colWidths=[look.frame_width - day_width * len(DAYS)] + [day_width] * len(DAYS),
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            _grid_style(look, 1)
            + [
                ("FONTNAME", (1, 0), (-1, 0), BOLD),
                ("FONTSIZE", (1, 0), (-1, 0), look.tick_head.fontSize),
            ]
        )
    )
    return table


def _fortnight_table(cards: tuple[ExerciseCard, ...], look: Look, first_week: int) -> Table:
    """Two weeks side by side: boxes big enough to tick with a weak hand (7 mm)."""
    day_width = look.tick_head.fontSize * 2.4
    columns = 2 * len(DAYS)
    weeks: list[Any] = [""]
    for week in (first_week, first_week + 1):
        weeks += [f"Week {week}"] + [""] * (len(DAYS) - 1)
    days: list[Any] = ["Exercise"] + [day for _ in range(2) for day in DAYS]
    rows: list[list[Any]] = [weeks, days]
    rows += [[_label(card, look)] + [""] * columns for card in cards]
    table = Table(
        rows,
        colWidths=[look.frame_width - day_width * columns] + [day_width] * columns,
        repeatRows=2,
    )
    style = _grid_style(look, 2)
    style += [
        ("FONTNAME", (0, 0), (-1, 1), BOLD),
        ("FONTSIZE", (0, 0), (-1, 1), look.tick_head.fontSize),
        ("ALIGN", (0, 0), (0, -1), "LEFT"),
        ("LINEAFTER", (len(DAYS), 0), (len(DAYS), -1), look.rule * 2, colors.black),
    ]
    for start in (1, 1 + len(DAYS)):
        style.append(("SPAN", (start, 0), (start + len(DAYS) - 1, 0)))
    table.setStyle(TableStyle(style))
    return table
