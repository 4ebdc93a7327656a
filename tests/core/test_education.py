"""The shipped leaflets are complete and readable; a bad leaflet file is refused, naming where."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from therapy_desk.domain.vocabulary import Cause, DeviceKind
from therapy_desk.library.catalogue import CatalogueError, device_guides
from therapy_desk.library.education import (
    LIMITS,
    Leaflet,
    leaflet,
    leaflets,
    load_leaflets,
    parse_leaflets,
)

#: Each leaflet a handout prints: whether it is a checklist, how many sections it may
#: have, and how many points each section may have (enough to help, few enough to read).
REQUIRED = {
    "home_safety": (True, range(6, 11), range(3, 7)),
    "energy": (False, range(7, 11), range(3, 7)),
    "exercise_safety": (False, range(2, 3), range(5, 9)),
    "follow_up": (False, range(3, 5), range(3, 7)),
    "weakness": (False, range(5, 8), range(4, 7)),
}


def _texts(item: Leaflet) -> list[str]:
    texts = [item.title, item.intro]
    for section in item.sections:
        texts += [section.heading, *([section.intro] if section.intro else []), *section.points]
        texts += [section.yours] if section.yours else []
    return texts


@pytest.mark.parametrize("key", sorted(REQUIRED))
def test_every_required_leaflet_loads_with_sections_and_points(key: str) -> None:
    checklist, section_count, point_count = REQUIRED[key]
    item = leaflet(key)
    assert item.key == key and item.title and item.intro
    assert item.checklist is checklist
    assert len(item.sections) in section_count
    for section in item.sections:
        assert section.heading
        assert len(section.points) in point_count, section.heading


def test_exercise_safety_has_the_warning_signs_then_the_pacing_advice() -> None:
    item = leaflet("exercise_safety")
    assert [s.heading for s in item.sections] == ["Stop and rest if…", "Pacing your exercises"]
    warnings = item.sections[0]
    assert any("emergency services" in p for p in warnings.points)


def test_home_safety_asks_to_hear_about_every_fall() -> None:
    falls = leaflet("home_safety").sections[-1]
    assert any("every fall" in p and "therapist" in p for p in falls.points)


def test_follow_up_gives_the_same_skin_check_time_as_the_splint_guide() -> None:
    splint = " ".join(device_guides()[DeviceKind.ANKLE_FOOT_ORTHOSIS].safety)
    text = " ".join(p for s in leaflet("follow_up").sections for p in s.points)
    assert "20 to 30 minutes" in splint and "20 to 30 minutes" in text
    assert "24 hours" in text


def test_weakness_names_each_cause_and_keeps_weights_off_nerve_damage() -> None:
    item = leaflet("weakness")
    about = {cause: [s.heading for s in item.sections if s.is_about({cause})] for cause in Cause}
    assert about == {
        Cause.DECONDITIONING: ["Weak from not being used"],
        Cause.NERVE_DAMAGE: ["Weak from nerve damage"],
        Cause.MIXED: ["Weak from not being used", "Weak from nerve damage"],
        Cause.UNKNOWN: ["Why your programme is your own"],
    }
    disuse, nerve = (s for s in item.sections if s.is_about({Cause.MIXED}))
    assert any("weight or a stretchy band" in p for p in disuse.points)
    assert any("will not give you weights" in p for p in nerve.points)
    assert any("muscles around the weak one" in p for p in nerve.points)
    # Heat and relapses weaken for a while; aids support independence.
    words = " ".join(t for s in item.sections for t in (s.heading, s.intro or "", *s.points))
    for said in ("cool down", "relapse", "stay independent", "Foot drop"):
        assert said in words
    # Sections for everyone say nothing about the client.
    assert all(s.yours is None for s in item.sections if not s.applies_to)


def test_shipped_text_is_finished_plain_and_short() -> None:
    for item in leaflets().values():
        for text in _texts(item):
            assert not re.search(r"todo|lorem|placeholder|xxx|tbc|\?\?", text, re.I), text
            # No phone numbers: they differ by country and the clinic's own are printed.
            assert not re.search(r"\d{3}", text), text
            for sentence in re.split(r"(?<=[.?!])\s+", text):
                assert len(sentence.split()) <= 20, sentence


def test_a_missing_leaflet_is_a_catalogue_error_not_a_key_error() -> None:
    with pytest.raises(CatalogueError, match="no leaflet 'nope' in education.toml"):
        leaflet("nope")


GOOD = """
[[leaflet]]
key = "clinic_parking"
title = "Getting to the clinic"
intro = "Where to park."
checklist = false

[[leaflet.section]]
heading = "Parking"
points = [
  \"\"\"Use the spaces   by the
     front door.\"\"\",
]
"""


def _write(tmp_path: Path, text: str) -> Path:
    file = tmp_path / "education.toml"
    file.write_text(text, encoding="utf-8")
    return file


def test_a_good_file_loads_and_tidies_spacing(tmp_path: Path) -> None:
    found = load_leaflets(_write(tmp_path, GOOD))
    assert list(found) == ["clinic_parking"]
    section = found["clinic_parking"].sections[0]
    assert section.intro is None
    assert section.points == ("Use the spaces by the front door.",)
    assert section.applies_to == frozenset() and section.yours is None


def test_a_section_about_some_causes_loads_with_its_sentence(tmp_path: Path) -> None:
    text = GOOD.replace(
        "points = [",
        'applies_to = ["nerve_damage", "mixed"]\nyours = "  About   you. "\npoints = [',
    )
    section = load_leaflets(_write(tmp_path, text))["clinic_parking"].sections[0]
    assert section.applies_to == {Cause.NERVE_DAMAGE, Cause.MIXED}
    assert section.yours == "About you."
    assert section.is_about(frozenset({Cause.MIXED, Cause.UNKNOWN}))
    assert not section.is_about(frozenset({Cause.DECONDITIONING}))
    assert not section.is_about(frozenset())


TOO_LONG = {field: "x" * (limit + 1) for field, limit in LIMITS.items()}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('title = "Getting to the clinic"', f'title = "{TOO_LONG["title"]}"'),
            "leaflet 'clinic_parking': 'title' is 46 characters long; keep it to 45",
        ),
        (
            ('intro = "Where to park."', f'intro = "{TOO_LONG["intro"]}"'),
            "leaflet 'clinic_parking': 'intro' is 401 characters long",
        ),
        (
            ('heading = "Parking"', f'heading = "{TOO_LONG["heading"]}"'),
            "leaflet 'clinic_parking': section 1 ('" + TOO_LONG["heading"] + "'): 'heading' is 41",
        ),
        (
            ('heading = "Parking"', f'heading = "Parking"\nintro = "{TOO_LONG["section intro"]}"'),
            "leaflet 'clinic_parking': section 1 ('Parking'): 'intro' is 251 characters long",
        ),
        (
            ("points = [", f'points = [\n"Fine.", "{TOO_LONG["points"]}",'),
            "leaflet 'clinic_parking': section 1 ('Parking'): 'points' item 2 is 201 characters",
        ),
        (
            ('heading = "Parking"', 'heading = "Parking"\nintro = "  "'),
            "leaflet 'clinic_parking': section 1 ('Parking'): 'intro' must be non-empty text",
        ),
        (
            ('heading = "Parking"', 'heading = ""'),
            "leaflet 'clinic_parking': section 1: 'heading' must be non-empty text",
        ),
        (
            ("points = [", 'old = ["typo"]\npoints = ['),
            "leaflet 'clinic_parking': section 1 ('Parking'): 'old' is not a field here",
        ),
        (
            ("points = [", "points = []\nspare = ["),
            "leaflet 'clinic_parking': section 1 ('Parking'): 'spare' is not a field here",
        ),
        (
            ("checklist = false", 'checklist = "no"'),
            "leaflet 'clinic_parking': 'checklist' must be true or false",
        ),
        (
            ('key = "clinic_parking"', 'key = "Clinic Parking"'),
            "leaflet 'Clinic Parking': 'key' must be lowercase",
        ),
        (
            ('intro = "Where to park."', ""),
            "leaflet 'clinic_parking': 'intro' must be non-empty text",
        ),
        (
            ("[[leaflet.section]]", "[[leaflet.sections]]"),
            "leaflet 'clinic_parking': 'sections' is not a field here",
        ),
        (
            ("points = [", 'applies_to = ["nerve_damage"]\npoints = ['),
            "leaflet 'clinic_parking': section 1 ('Parking'): 'applies_to' and 'yours' go together",
        ),
        (
            ("points = [", 'yours = "This is about you."\npoints = ['),
            "leaflet 'clinic_parking': section 1 ('Parking'): 'applies_to' and 'yours' go together",
        ),
        (
            ("points = [", 'applies_to = ["nerves"]\nyours = "You."\npoints = ['),
            "leaflet 'clinic_parking': section 1 ('Parking'): 'applies_to' has 'nerves'; use only: "
            "deconditioning, nerve_damage, mixed, unknown",
        ),
        (
            ("points = [", 'applies_to = []\nyours = "You."\npoints = ['),
            "leaflet 'clinic_parking': section 1 ('Parking'): 'applies_to' must be a list",
        ),
        (
            ("points = [", f'applies_to = ["mixed"]\nyours = "{TOO_LONG["yours"]}"\npoints = ['),
            "leaflet 'clinic_parking': section 1 ('Parking'): 'yours' is 201 characters long",
        ),
        (
            ("points = [", 'applies_to = ["mixed"]\nyours = " "\npoints = ['),
            "leaflet 'clinic_parking': section 1 ('Parking'): 'yours' must be non-empty text",
        ),
        (("[[leaflet]]", "[[leaflet]"), "not valid TOML"),
    ],
)
def test_bad_file_is_refused_naming_leaflet_and_field(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    assert change[0] in GOOD
    with pytest.raises(CatalogueError) as raised:
        load_leaflets(_write(tmp_path, GOOD.replace(change[0], change[1], 1)))
    assert str(raised.value).startswith(f"education.toml: {expected}"), str(raised.value)


def test_a_key_used_twice_is_refused() -> None:
    data = tomllib.loads(GOOD)
    data["leaflet"] *= 2
    with pytest.raises(CatalogueError, match="'clinic_parking': this key is used twice"):
        parse_leaflets(data, "education.toml")


def test_a_file_without_leaflets_is_refused() -> None:
    with pytest.raises(CatalogueError, match=re.escape("no [[leaflet]] entries")):
        parse_leaflets({}, "education.toml")
