"""The follow-up plan: what we try, how we will know it works, when we review, whom to call."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Spacer

from therapy_desk.handouts.page import long_date
from therapy_desk.handouts.parts import boxed, handout_top, para, paragraph, section, words
from therapy_desk.handouts.snapshot import HandoutSnapshot, TrialPlan, leaflet_of
from therapy_desk.handouts.styles import Look


def follow_up_handout(snapshot: HandoutSnapshot, look: Look) -> list[Flowable]:
    story = handout_top(snapshot, look, "Your follow-up plan")
    story.append(para("Your next appointment", look.heading))
    if snapshot.next_follow_up:
        when = f"{snapshot.next_follow_up:%A} {long_date(snapshot.next_follow_up)}"
        with_whom = f" with {snapshot.therapist}" if snapshot.therapist else ""
        story.append(para(f"{when}{with_whom}.", look.bold))
    else:
        story.append(para("Not booked yet. We will contact you to arrange it.", look.bold))
    story.append(Spacer(0, look.space(0.4)))
    story.extend(_whom_to_call(snapshot, look))
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
    for part in leaflet_of(snapshot, "follow_up").sections:
        story.extend(section(part, look, checklist=False))
    return story


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


def _whom_to_call(snapshot: HandoutSnapshot, look: Look) -> list[Flowable]:
    clinic = snapshot.clinic
    lines = [para(clinic.name, look.bold)]
    if clinic.phone:
        lines.append(para(f"Phone: {clinic.phone}", look.bold))
    if snapshot.therapist:
        lines.append(para(f"Ask for: {snapshot.therapist}", look.body))
    return boxed("Whom to call", lines, look, strong=True)
