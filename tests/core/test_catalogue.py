"""The shipped catalogue is complete and consistent; clinic exercises load the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from therapy_desk.domain.vocabulary import Better, Cause, DeviceKind, ExerciseCategory, Region
from therapy_desk.library import CatalogueError, device_guides, exercises, load_exercises, measures
from therapy_desk.services.catalogue import import_clinic_exercises, list_exercises


def test_at_least_sixty_exercises_covering_every_category_and_region() -> None:
    specs = exercises()
    assert len(specs) >= 60
    assert {s.category for s in specs} == set(ExerciseCategory)
    assert {r for s in specs for r in s.regions} == set(Region)


def test_every_exercise_is_complete_and_resistance_never_suits_nerve_damage() -> None:
    for spec in exercises():
        assert spec.steps and spec.summary and spec.illustration, spec.code
        if spec.category is ExerciseCategory.RESISTANCE:
            assert Cause.NERVE_DAMAGE not in spec.suits, spec.code


def test_every_device_kind_has_use_and_care_guidance() -> None:
    guides = device_guides()
    assert len(guides) >= 15
    assert set(guides) == set(DeviceKind)
    for guide in guides.values():
        assert guide.how_to_use and guide.fit and guide.care and guide.safety


def test_ankle_foot_orthosis_guidance_mentions_skin_checks() -> None:
    text = " ".join(device_guides()[DeviceKind.ANKLE_FOOT_ORTHOSIS].safety).lower()
    assert "skin" in text


@pytest.mark.parametrize(
    ("code", "better", "unit"),
    [
        ("t25fw", Better.LOWER, "s"),
        ("nhpt", Better.LOWER, "s"),
        ("6mwt", Better.HIGHER, "m"),
        ("bbs", Better.HIGHER, "points"),
        ("msws12", Better.LOWER, "points"),
        ("grip", Better.HIGHER, "kg"),
    ],
)
def test_measures_have_unit_direction_and_source(code: str, better: Better, unit: str) -> None:
    spec = measures()[code]
    assert spec.better is better and spec.unit == unit
    assert spec.sources and all(s.cite for s in spec.sources)


def test_meaningful_change() -> None:
    walk = measures()["t25fw"]
    assert walk.is_meaningful(10.0, 7.9) and not walk.is_meaningful(10.0, 8.5)
    six = measures()["6mwt"]
    assert six.is_meaningful(400, 420) and not six.is_meaningful(400, 410)
    assert six.is_meaningful(400, 392) and not six.is_meaningful(400, 395)


def test_modified_ashworth_keeps_1_plus_as_its_own_grade() -> None:
    mas = measures()["mas"]
    assert mas.grades == ("0", "1", "1+", "2", "3", "4")
    assert mas.format_value(mas.parse_value("1+")) == "1+"
    with pytest.raises(ValueError, match="graded"):
        mas.parse_value("1.5")


CLINIC_FILE = """
[[exercise]]
code = "clinic-stair-practice"
name = "Stair practice with rail"
category = "functional"
regions = ["hip", "knee"]
equipment = ["Stairs with a rail"]
suits = ["deconditioning", "nerve_damage"]
summary = "Practise the stairs at home, one step at a time."
steps = ["Hold the rail.", "Step up with the stronger leg.", "Bring the other foot up beside it."]
cautions = ["Have someone nearby the first few times."]
illustration = "clinic-stair-practice"
[exercise.dose]
sets = 2
reps = 5
"""


def test_clinic_adds_its_own_exercises(sqlite_clinic, tmp_path: Path) -> None:
    file = tmp_path / "ours.toml"
    file.write_text(CLINIC_FILE, encoding="utf-8")
    with sqlite_clinic.transaction() as session:
        import_clinic_exercises(session, file)
    with sqlite_clinic.reading() as session:
        ours = [e for e in list_exercises(session) if not e.builtin]
    assert [e.code for e in ours] == ["clinic-stair-practice"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('category = "functional"', 'category = "dance"'), "category"),
        (('category = "functional"', 'category = "resistance"'), "cannot suit nerve damage"),
        (("reps = 5", "reps = 500"), "dose.reps"),
        (('code = "clinic-stair-practice"', 'code = "Stair Practice"'), "lowercase"),
        (("[[exercise]]", "[[exercise]"), "not valid TOML"),
    ],
)
def test_bad_clinic_file_is_refused_naming_the_problem(tmp_path: Path, change, message) -> None:
    file = tmp_path / "bad.toml"
    file.write_text(CLINIC_FILE.replace(*change), encoding="utf-8")
    with pytest.raises(CatalogueError, match=message):
        load_exercises(file)
