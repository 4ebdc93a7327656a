"""Loads the client-education leaflets printed on handouts (resources/catalogue/education.toml).

The words are data, so a clinic can change them without touching code. Each leaflet is
checked as it loads, so text that would not fit a large-print page, or a leaflet with
nothing in it, is refused with a message naming the leaflet and the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from therapy_desk import words
from therapy_desk.domain.vocabulary import Cause
from therapy_desk.library.catalogue import CatalogueError, read_toml
from therapy_desk.resources import resource

#: The shipped file, in resources/catalogue/.
FILE = "education.toml"

#: The most characters each field may hold. Many clients read handouts in 18 pt large
#: print, where a longer title or heading wraps badly and a longer point is hard to follow.
LIMITS: dict[str, int] = {
    "title": 45,
    "intro": 400,
    "heading": 40,
    "section intro": 250,
    "points": 200,
    "yours": 200,
}

#: Fields a [[leaflet]] table and a [[leaflet.section]] table may have; anything else is a typo.
LEAFLET_FIELDS = frozenset({"key", "title", "intro", "checklist", "section"})
SECTION_FIELDS = frozenset({"heading", "intro", "points", "applies_to", "yours"})

_KEY = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Section:
    heading: str
    #: One or two sentences printed before the points, or None.
    intro: str | None
    #: At least one; printed as bullets, or tick boxes when the leaflet is a checklist.
    points: tuple[str, ...]
    #: The causes of weakness this section is about; empty for a section about everyone.
    applies_to: frozenset[Cause] = frozenset()
    #: One sentence telling a client with an open finding of one of those causes that
    #: the section is about them; set exactly when `applies_to` is.
    yours: str | None = None

    def is_about(self, causes: frozenset[Cause]) -> bool:
        """True when a client whose open findings have these causes should read it as theirs."""
        return bool(self.applies_to & causes)


@dataclass(frozen=True)
class Leaflet:
    key: str
    #: Printed as the handout's title.
    title: str
    #: One short paragraph under the title.
    intro: str
    #: True: every point is printed with an empty tick box.
    checklist: bool
    sections: tuple[Section, ...]


def _fits(text: str, label: str, limit: str) -> str:
    if len(text) > LIMITS[limit]:
        raise ValueError(
            f"{label} is {words.count(len(text), 'character')} long; keep it to {LIMITS[limit]} "
            "or fewer so it fits a large-print page"
        )
    return text


def _words(value: Any, label: str) -> str:
    """Non-empty text, with runs of spaces and line breaks made single spaces."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{label} must be non-empty text")
    return " ".join(value.split())


def _unknown(table: Mapping[str, Any], allowed: frozenset[str]) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise ValueError(
            f"'{extra[0]}' is not a field here; use only: {', '.join(sorted(allowed))}"
        )


def _parse_section(table: Mapping[str, Any]) -> Section:
    _unknown(table, SECTION_FIELDS)
    intro = None
    if "intro" in table:
        intro = _fits(_words(table["intro"], "'intro'"), "'intro'", "section intro")
    points = table.get("points")
    if not isinstance(points, list) or not points:
        raise ValueError("'points' must be a list of at least one text")
    cleaned: list[str] = []
    for number, point in enumerate(points, start=1):
        label = f"'points' item {number}"
        cleaned.append(_fits(_words(point, label), label, "points"))
    applies_to, yours = _applies(table)
    return Section(
        heading=_fits(_words(table.get("heading"), "'heading'"), "'heading'", "heading"),
        intro=intro,
        points=tuple(cleaned),
        applies_to=applies_to,
        yours=yours,
    )


def _applies(table: Mapping[str, Any]) -> tuple[frozenset[Cause], str | None]:
    """A section's `applies_to` causes and its `yours` sentence: both or neither."""
    if ("applies_to" in table) != ("yours" in table):
        raise ValueError("'applies_to' and 'yours' go together; give both or neither")
    if "applies_to" not in table:
        return frozenset(), None
    causes = table["applies_to"]
    choices = ", ".join(c.value for c in Cause)
    if not isinstance(causes, list) or not causes:
        raise ValueError(f"'applies_to' must be a list of at least one of: {choices}")
    found: set[Cause] = set()
    for cause in causes:
        if not isinstance(cause, str) or cause not in {c.value for c in Cause}:
            raise ValueError(f"'applies_to' has {cause!r}; use only: {choices}")
        found.add(Cause(cause))
    return frozenset(found), _fits(_words(table["yours"], "'yours'"), "'yours'", "yours")


def parse_leaflet(entry: Mapping[str, Any]) -> Leaflet:
    """One [[leaflet]] table, checked; raises ValueError saying which field is wrong."""
    _unknown(entry, LEAFLET_FIELDS)
    key = entry.get("key")
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise ValueError("'key' must be lowercase letters, digits and underscores, e.g. 'energy'")
    title = _fits(_words(entry.get("title"), "'title'"), "'title'", "title")
    intro = _fits(_words(entry.get("intro"), "'intro'"), "'intro'", "intro")
    checklist = entry.get("checklist")
    if not isinstance(checklist, bool):
        raise ValueError("'checklist' must be true or false")
    tables = entry.get("section")
    if not isinstance(tables, list) or not tables:
        raise ValueError("needs at least one [[leaflet.section]]")
    sections: list[Section] = []
    for number, table in enumerate(tables, start=1):
        where = f"section {number}"
        try:
            if not isinstance(table, dict):
                raise ValueError("must be a [[leaflet.section]] table")
            heading = table.get("heading")
            if isinstance(heading, str) and heading.strip():
                where += f" ('{' '.join(heading.split())}')"
            sections.append(_parse_section(table))
        except ValueError as problem:
            raise ValueError(f"{where}: {problem}") from None
    return Leaflet(
        key=key,
        title=title,
        intro=intro,
        checklist=checklist,
        sections=tuple(sections),
    )


def parse_leaflets(data: Mapping[str, Any], file: str) -> dict[str, Leaflet]:
    """Every [[leaflet]] in a parsed TOML file, by key, in file order."""
    entries = data.get("leaflet")
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"{file}: no [[leaflet]] entries found")
    found: dict[str, Leaflet] = {}
    for index, entry in enumerate(entries):
        name = entry.get("key") if isinstance(entry, dict) else None
        label = name if isinstance(name, str) and name.strip() else f"number {index + 1}"
        try:
            if not isinstance(entry, dict):
                raise ValueError("must be a [[leaflet]] table")
            leaflet = parse_leaflet(entry)
        except ValueError as problem:
            raise CatalogueError(f"{file}: leaflet '{label}': {problem}") from None
        if leaflet.key in found:
            raise CatalogueError(f"{file}: leaflet '{label}': this key is used twice")
        found[leaflet.key] = leaflet
    return found


def load_leaflets(path: Path) -> dict[str, Leaflet]:
    """Read a leaflet file: the shipped one, or a copy being edited."""
    return parse_leaflets(read_toml(path), path.name)


@cache
def leaflets() -> dict[str, Leaflet]:
    """The shipped leaflets by key, every one checked. Do not change the dict returned."""
    return load_leaflets(resource("catalogue", FILE))


def leaflet(key: str) -> Leaflet:
    """One shipped leaflet; a missing key is a CatalogueError, not a KeyError."""
    found = leaflets().get(key)
    if found is None:
        raise CatalogueError(f"no leaflet '{key}' in {FILE}")
    return found
