"""Education leaflets printed as they are written in education.toml: home safety, energy."""

from __future__ import annotations

from reportlab.platypus import Flowable

from therapy_desk.handouts.parts import handout_top, para, section
from therapy_desk.handouts.snapshot import HandoutSnapshot, leaflet_of
from therapy_desk.handouts.styles import Look


def leaflet_handout(snapshot: HandoutSnapshot, look: Look, key: str) -> list[Flowable]:
    leaflet = leaflet_of(snapshot, key)
    story = handout_top(snapshot, look, leaflet.title)
    story.append(para(leaflet.intro, look.body))
    for part in leaflet.sections:
        story.extend(section(part, look, checklist=leaflet.checklist))
    return story
