"""The device guide: for each device on trial, issued or in use — use, fit, care, safety."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from therapy_desk.handouts.page import long_date
from therapy_desk.handouts.parts import (
    boxed,
    column_width,
    columns,
    details_table,
    handout_top,
    headed_list,
    numbered,
    para,
    short_list,
)
from therapy_desk.handouts.snapshot import DeviceCard, HandoutSnapshot
from therapy_desk.handouts.styles import Look


def devices_handout(snapshot: HandoutSnapshot, look: Look) -> list[Flowable]:
    many = len(snapshot.devices) > 1
    story = handout_top(snapshot, look, "Your devices: a guide" if many else "Your device: a guide")
    story.append(
        para(
            "This guide backs up what your therapist showed you. If anything does not feel "
            "right, stop using the device and call us.",
            look.body,
        )
    )
    for number, device in enumerate(snapshot.devices):
        if number and look.large:
            story.append(PageBreak())
        elif number:
            story.append(CondPageBreak(look.space(14)))
        story.extend(_device(device, look))
    return story


def _device(device: DeviceCard, look: Look) -> list[Flowable]:
    name = f"{device.name} ({device.side} side)" if device.side else device.name
    facts = [("Status", device.status)]
    if device.settings:
        facts.append(("Your settings", device.settings))
    if device.practised:
        facts.append(("What we practised", device.practised))
    if device.review_on:
        facts.append(("Review date", long_date(device.review_on)))
    head: list[Flowable] = [
        Spacer(0, look.space(0.4 if look.large else 0.2)),
        para(name, look.card_title),
        para(device.purpose, look.body),
        details_table(facts, look),
    ]
    if look.large:
        return [
            KeepTogether(head),
            *headed_list("How to use it", device.how_to_use, look, lister=numbered),
            *headed_list("Getting the fit right", device.fit, look),
            *headed_list("Looking after it", device.care, look),
            Spacer(0, look.space(0.4)),
            *boxed("Stay safe", device.safety, look, strong=True, bulleted=True),
        ]
    # Standard print: two short blocks side by side, twice; "Stay safe" beside "How to
    # use it", so it is read with it and never starts a page alone.
    width = column_width(look)
    how_to_use = [para("How to use it", look.heading), numbered(device.how_to_use, look, width)]
    safety = [
        Spacer(0, look.space(0.5)),
        *boxed(
            "Stay safe", device.safety, look, strong=True, bulleted=True, keep=False, width=width
        ),
    ]
    return [
        KeepTogether(head),
        columns(how_to_use, safety, look),
        columns(
            short_list("Getting the fit right", device.fit, look),
            short_list("Looking after it", device.care, look),
            look,
        ),
    ]
