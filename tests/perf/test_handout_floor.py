"""The benchmark's PDF floor prints what the real programme handout prints.

A floor that left out words or drawings would make the real builder look slow for
nothing, so these read both PDFs back and compare: names, the drawings placed, and
the strokes inside each drawing. Text is read once per PDF (pypdf takes ~0.4 s a
document here) and large print is checked on the floor alone, to stay under two seconds.
"""

from __future__ import annotations

import io
import re
from functools import cache, cached_property

import pypdf
import pytest

from tests.handouts.reading import HandoutReader
from tests.perf.handout_floor import raw_programme_pdf, ten_exercise_snapshot
from therapy_desk.domain.vocabulary import HandoutKind
from therapy_desk.handouts.build import build_handout
from therapy_desk.handouts.drawing import FORM_PREFIX
from therapy_desk.handouts.snapshot import ExerciseCard
from therapy_desk.library import exercises
from therapy_desk.library.drawings import drawing

#: PDF operators that paint a path: stroke, close and stroke, fill and stroke (every kind).
_PAINTS = {b"S", b"s", b"B", b"B*", b"b", b"b*"}
_PLACED = re.compile(rb"/FormXob\.(" + re.escape(FORM_PREFIX.encode()) + rb"[^\s/]+)\s+Do")


class Printed:
    """One snapshot printed both ways; each PDF is built and read back at most once."""

    def __init__(self, large: bool) -> None:
        self.snapshot = ten_exercise_snapshot(large_print=large)
        assert self.snapshot.programme is not None
        self.cards: tuple[ExerciseCard, ...] = self.snapshot.programme.cards
        self.floor = raw_programme_pdf(self.snapshot)

    @cached_property
    def real(self) -> bytes:
        kinds = [HandoutKind.PROGRAMME]
        return build_handout(
            self.snapshot, kinds, large_print=self.snapshot.prefers_large_print
        ).pdf

    @cached_property
    def floor_text(self) -> str:
        return HandoutReader(self.floor).text

    @cached_property
    def real_text(self) -> str:
        return HandoutReader(self.real).text


@cache
def _printed(large: bool) -> Printed:
    return Printed(large)


@pytest.fixture(params=[False, True], ids=["standard", "large-print"])
def printed(request: pytest.FixtureRequest) -> Printed:
    return _printed(request.param)


def _placed(pdf: bytes) -> list[str]:
    """The exercise drawings placed on the pages, in order."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found: list[str] = []
    for page in reader.pages:
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
        found += [m.decode() for m in _PLACED.findall(data)]
    return found


def _paths_painted(pdf: bytes) -> dict[str, int]:
    """How many paths each drawing form paints, by form name."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    painted: dict[str, int] = {}
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        assert isinstance(resources, pypdf.generic.DictionaryObject)
        xobjects = resources.get("/XObject", pypdf.generic.DictionaryObject()).get_object()
        for key, ref in xobjects.items():
            name = str(key).removeprefix("/FormXob.")
            if name.startswith(FORM_PREFIX) and name not in painted:
                tokens = ref.get_object().get_data().split()
                painted[name] = sum(1 for token in tokens if token in _PAINTS)
    return painted


def _catalogue_names_in(text: str) -> set[str]:
    return {spec.name for spec in exercises() if spec.name in text}


def test_snapshot_is_ten_different_catalogue_exercises_each_with_a_drawing() -> None:
    snapshot = ten_exercise_snapshot()
    assert snapshot.programme is not None
    cards = snapshot.programme.cards
    assert len(cards) == 10
    assert len({card.code for card in cards}) == 10
    assert [card.number for card in cards] == list(range(1, 11))
    assert all(card.drawing and drawing(card.drawing) is not None for card in cards)
    assert sum(1 for card in cards if card.cue) >= 2
    assert all(card.dose[0][0] == "How much" and card.dose[0][1] for card in cards)
    assert ten_exercise_snapshot() == snapshot
    assert ten_exercise_snapshot(large_print=True).prefers_large_print


def test_floor_prints_the_client_and_every_exercise() -> None:
    printed = _printed(False)
    text = printed.floor_text
    assert printed.snapshot.client_name in text
    assert printed.snapshot.clinic.name in text
    for card in printed.cards:
        assert card.name in text
        for _, words in card.dose:
            assert words in text
        assert card.steps[-1] in text
    assert "Stop and rest if…" in text
    assert "Your four-week tick sheet" in text


def test_floor_strokes_every_exercise_drawing(printed: Printed) -> None:
    placed = _placed(printed.floor)
    assert [name.rsplit("-", 1)[0] for name in placed] == [
        f"{FORM_PREFIX}{card.drawing}" for card in printed.cards
    ]
    painted = _paths_painted(printed.floor)
    assert sorted(painted) == sorted(placed)
    for card, name in zip(printed.cards, placed, strict=True):
        assert card.drawing is not None
        pictures = drawing(card.drawing)
        assert pictures is not None
        shapes = len(pictures.start.shapes) + len(pictures.end.shapes)
        assert painted[name] >= shapes, f"{name}: {painted[name]} paths for {shapes} shapes"


def test_real_builder_places_the_same_drawings() -> None:
    printed = _printed(False)
    placed = _placed(printed.real)
    assert len(placed) == len(printed.cards)
    assert placed == _placed(printed.floor)


def test_real_builder_prints_the_same_exercise_names() -> None:
    printed = _printed(False)
    names = {card.name for card in printed.cards}
    assert _catalogue_names_in(printed.real_text) == names
    assert _catalogue_names_in(printed.floor_text) == names
