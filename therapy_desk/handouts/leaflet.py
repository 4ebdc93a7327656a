"""Education leaflets printed as they are written in education.toml: home safety, energy, weakness.

A leaflet whose sections say which causes of weakness they are about (`applies_to`)
opens, for a client with an open finding of such a cause, with a box naming the
sections that are about them. A client with no such finding reads the leaflet as written.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from therapy_desk.handouts.parts import boxed, handout_top, para, section
from therapy_desk.handouts.snapshot import HandoutSnapshot, leaflet_of
from therapy_desk.handouts.styles import Look
from therapy_desk.library.education import Leaflet

#: The heading of the box that tells a client which sections are about them.
YOURS_HEADING = "What your therapist found"


def yours_lines(leaflet: Leaflet, snapshot: HandoutSnapshot) -> list[str]:
    """For each section about this client's causes of weakness: its sentence, and where to read."""
    return [
        f"{part.yours} Read “{part.heading}” below."
        for part in leaflet.sections
        if part.yours and part.is_about(snapshot.weakness_causes)
    ]


def leaflet_handout(snapshot: HandoutSnapshot, look: Look, key: str) -> list[Flowable]:
    leaflet = leaflet_of(snapshot, key)
    story = handout_top(snapshot, look, leaflet.title)
    story.append(para(leaflet.intro, look.body))
    lines = yours_lines(leaflet, snapshot)
    if lines:
        story.extend(boxed(YOURS_HEADING, lines, look, bulleted=len(lines) > 1))
    for part in leaflet.sections:
        story.extend(section(part, look, checklist=leaflet.checklist))
    return story
