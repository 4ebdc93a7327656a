"""The follow-up plan: what we try, how we will know it works, when we review, whom to call."""

from __future__ import annotations

from dataclasses import replace

from reportlab.platypus import Flowable, KeepTogether, Spacer, TableStyle

from therapy_desk.handouts.page import long_date
from therapy_desk.handouts.parts import (
    CachedTable,
    boxed,
    columns,
    handout_top,
    para,
    paragraph,
    section,
    short_list,
    words,
)
from therapy_desk.handouts.snapshot import HandoutSnapshot, TrialPlan, leaflet_of
from therapy_desk.handouts.styles import Look
from therapy_desk.words import long_day_with_weekday


def follow_up_handout(snapshot: HandoutSnapshot, look: Look) -> list[Flowable]:
    story = handout_top(snapshot, look, "Your follow-up plan")
    appointment: list[Flowable] = [para("Your next appointment", look.heading)]
    if snapshot.next_follow_up:
        when = long_day_with_weekday(snapshot.next_follow_up)
        with_whom = f" with {snapshot.therapist}" if snapshot.therapist else ""
        appointment.append(para(f"{when}{with_whom}.", look.bold))
    else:
        appointment.append(para("Not booked yet. We will contact you to arrange it.", look.bold))
    if look.large:
        story += [*appointment, Spacer(0, look.space(0.4)), *_whom_to_call(snapshot, look)]
    else:
        # Side by side in standard print: the plan then fits on one page.
        half = (look.frame_width - look.space(1)) / 2
        side_by_side = CachedTable(
            [[appointment, _whom_to_call(snapshot, look, width=half)]],
            colWidths=[half + look.space(1), half],
        )
        side_by_side.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (0, 0), look.space(1)),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        story.append(side_by_side)
    heading = para("What we are trying", look.heading)
    if snapshot.trials:
        first, *rest = [_trial(trial, look) for trial in snapshot.trials]
        story.append(KeepTogether([heading, *first]))
        story.extend(KeepTogether(parts) for parts in rest)
    else:
        nothing = para(
            "Nothing new is being tried just now. Keep going with what you do, "
            "and tell us how you get on.",
            look.body,
        )
        story.append(KeepTogether([heading, nothing]))
    parts = [
        replace(part, points=points)
        for part in leaflet_of(snapshot, "follow_up").sections
        if (points := true_for(snapshot, part.points))
    ]
    if look.large or len(parts) < 3:
        for part in parts:
            story.extend(section(part, look, checklist=False))
        return story
    # Standard print: the first section across the page, the later ones in pairs.
    story.extend(section(parts[0], look, checklist=False))
    for number in range(1, len(parts), 2):
        pair = [
            short_list(p.heading, p.points, look, intro=p.intro) for p in parts[number : number + 2]
        ]
        story.append(columns(pair[0], pair[1] if len(pair) > 1 else [], look))
    return story


#: Words that make a point about the exercise programme: printed only with one.
PROGRAMME_WORDS = ("exercise programme", "tick sheet", "your exercises")
#: Words naming a kind of device, and the catalogue groups a client must hold for them.
DEVICE_WORDS: dict[str, frozenset[str]] = {
    "walking aid": frozenset({"walking_aid"}),
    "splint": frozenset({"orthosis"}),
    "brace": frozenset({"orthosis"}),
    "orthosis": frozenset({"orthosis"}),
}
#: A programme point that still holds without one, once the programme part is taken out.
WITHOUT_PROGRAMME = {"Bring your tick sheet and your notes.": "Bring your notes."}


def true_for(snapshot: HandoutSnapshot, points: tuple[str, ...]) -> tuple[str, ...]:
    """The leaflet's points that are true for this client.

    No line about keeping up the programme or its tick sheet without a programme;
    no line about a walking aid, splint or brace unless the client holds one (a line
    naming several kinds is kept if the client holds any of them).
    """
    has_programme = snapshot.programme is not None and bool(snapshot.programme.cards)
    groups = {d.group for d in snapshot.devices}
    kept: list[str] = []
    for point in points:
        lower = point.lower()
        if not has_programme and any(w in lower for w in PROGRAMME_WORDS):
            if point not in WITHOUT_PROGRAMME:
                continue
            point = WITHOUT_PROGRAMME[point]
        needed = [need for word, need in DEVICE_WORDS.items() if word in lower]
        if needed and not any(groups & need for need in needed):
            continue
        kept.append(point)
    return tuple(kept)


def _trial(trial: TrialPlan, look: Look) -> list[Flowable]:
    lines = [("Why", trial.why), ("How we will know it works", trial.success_looks_like)]
    parts: list[Flowable] = [para(trial.what, look.card_title)]
    parts += [
        paragraph(f"<b>{label}:</b> {words(text)}", look.body) for label, text in lines if text
    ]
    parts.append(
        paragraph(
            f"<b>Started:</b> {long_date(trial.started_on)}. "
            f"<b>We will review it on:</b> {long_date(trial.review_on)}.",
            look.body,
        )
    )
    parts.append(Spacer(0, look.space(0.4)))
    return parts


def _whom_to_call(
    snapshot: HandoutSnapshot, look: Look, width: float | None = None
) -> list[Flowable]:
    clinic = snapshot.clinic
    lines = [para(clinic.name, look.bold)]
    if clinic.phone:
        lines.append(para(f"Phone: {clinic.phone}", look.bold))
    if snapshot.therapist:
        lines.append(para(f"Ask for: {snapshot.therapist}", look.body))
    return boxed("Whom to call", lines, look, strong=True, keep=width is None, width=width)
