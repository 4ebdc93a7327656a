"""The shipped catalogue is complete and consistent; clinic exercises load the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from therapy_desk.domain.vocabulary import Better, Cause, DeviceKind, ExerciseCategory, Region
from therapy_desk.library import CatalogueError, device_guides, exercises, load_exercises, measures
from therapy_desk.library.catalogue import CHANGE_KINDS, parse_measures
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


def test_tug_thresholds_differ_by_direction() -> None:
    tug = measures()["tug"]  # lower is better: 23% faster or 31% slower (Nilsagård 2007)
    assert (tug.change_improve_percent, tug.change_decline_percent) == (23.0, 31.0)
    assert tug.change_percent is None and tug.change_kind == "smallest real change"
    assert tug.is_meaningful(20.0, 15.4) and not tug.is_meaningful(20.0, 15.6)
    assert tug.is_meaningful(20.0, 26.2) and not tug.is_meaningful(20.0, 26.0)
    # A 25% slower time is worse but within the 31% decline threshold; the old 15%
    # trial cut-off would have called it meaningful.
    assert not tug.is_worse(20.0, 25.0) and tug.is_worse(20.0, 26.4)
    assert not tug.is_worse(20.0, 14.0)  # better, not worse, however large


def test_is_worse_follows_the_direction_of_better() -> None:
    six = measures()["6mwt"]  # higher is better: decline threshold 7.2 m
    assert six.is_worse(400, 392) and not six.is_worse(400, 395)
    assert not six.is_worse(400, 440)
    mas = measures()["mas"]  # lower is better, 1 grade step
    assert mas.is_worse(1.0, 2.0) and not mas.is_worse(2.0, 1.0)
    assert not mas.is_meaningful(2.0, 2.0)


def test_fall_risk_cut_offs() -> None:
    berg = measures()["bbs"]
    assert berg.at_fall_risk(44.0) and berg.at_fall_risk(35.0) and not berg.at_fall_risk(45.0)
    # No MS cut-off with clinical utility was found for the TUG (Quinn 2019).
    assert measures()["tug"].fall_risk_at is None and not measures()["tug"].at_fall_risk(26.0)


def test_every_threshold_says_its_kind_and_no_ms_source_means_provisional() -> None:
    specs = measures()
    assert all(spec.change_kind in CHANGE_KINDS for spec in specs.values())
    provisional = {code for code, spec in specs.items() if spec.is_provisional}
    assert {"mfis5", "mmt", "grip", "mas"} <= provisional
    assert not {"t25fw", "tug", "6mwt", "bbs", "mfis", "msis29_physical"} & provisional
    for code in provisional:
        assert len(specs[code].provisional_reason) > 20, code
    # MFIS: the total is a minimal important difference, the subscales minimal detectable
    # changes; the kind tells them apart.
    assert specs["mfis"].change_kind == "minimal important change"
    assert {specs[c].change_kind for c in ("mfis_physical", "mfis_cognitive")} == {
        "smallest real change"
    }


def test_berg_has_a_ceiling_note_at_56() -> None:
    berg = measures()["bbs"]
    assert berg.at_ceiling(56.0) and not berg.at_ceiling(55.0)
    assert "56" in berg.ceiling_note
    assert measures()["t25fw"].ceiling_note == ""


@pytest.mark.parametrize(
    ("code", "low", "high", "better", "unit"),
    [
        ("minibest", 0.0, 28.0, Better.HIGHER, "points"),
        ("abc", 0.0, 100.0, Better.HIGHER, "%"),
        ("10mwt", 0.0, 300.0, Better.LOWER, "s"),
        ("msis29_physical", 0.0, 100.0, Better.LOWER, "points"),
        ("msis29_psychological", 0.0, 100.0, Better.LOWER, "points"),
    ],
)
def test_new_measures_ranges_and_sources(code, low, high, better, unit) -> None:
    spec = measures()[code]
    assert (spec.min, spec.max, spec.better, spec.unit) == (low, high, better, unit)
    spec.check_value(high)
    with pytest.raises(ValueError, match="between"):
        spec.check_value(high + 1)
    assert spec.sources and all("." in s.cite and s.supports for s in spec.sources)


def test_msis29_physical_uses_the_8_point_change() -> None:
    msis = measures()["msis29_physical"]
    assert msis.is_worse(30.0, 38.0) and not msis.is_worse(30.0, 37.0)
    assert "Costelloe" in " ".join(s.cite for s in msis.sources)


MEASURE_FILE = """
[[measure]]
code = "tug"
name = "Timed Up and Go"
short_name = "TUG"
unit = "s"
min = 0.0
max = 180.0
better = "lower"
decimals = 1
[measure.meaningful_change]
kind = "smallest real change"
improve_percent = 23.0
decline_percent = 31.0
[[measure.sources]]
cite = "Nilsagård Y, et al. Physiother Res Int. 2007;12(2):105-114."
supports = "Per-direction thresholds."
"""


def _measure_file(*changes: tuple[str, str]) -> dict:
    import tomllib

    text = MEASURE_FILE
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    return tomllib.loads(text)


def test_a_good_measure_file_parses() -> None:
    spec = parse_measures(_measure_file(), "ours.toml")["tug"]
    assert (spec.change_improve_percent, spec.change_decline_percent) == (23.0, 31.0)
    assert not spec.is_provisional


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('kind = "smallest real change"', 'kind = "a good change"'), "kind' must say"),
        (('kind = "smallest real change"\n', ""), "kind' must say"),
        (("decline_percent = 31.0\n", ""), "both improve_percent and decline_percent"),
        (("improve_percent = 23.0", "improve_percent = 23.0\npercent = 20.0"), "exactly one"),
        (("improve_percent = 23.0", "improve_percent = -23.0"), "must be above 0"),
        (("improve_percent = 23.0", "improve_pct = 23.0"), "'meaningful_change.improve_pct'"),
        (("decline_percent = 31.0", "decline_percent = 31.0\nprovisional = true"), "saying why"),
        (("decline_percent = 31.0", 'decline_percent = 31.0\nprovisional = "yes"'), "true or"),
        (
            ("decline_percent = 31.0", 'decline_percent = 31.0\nprovisional_reason = "x"'),
            "needs 'provisional = true'",
        ),
        (('unit = "s"', 'unit = "s"\nfall_risk_at = 500.0'), "fall_risk_at"),
        (('unit = "s"', 'unit = "s"\nceiling_note = ""'), "ceiling_note"),
    ],
)
def test_bad_measure_is_refused_naming_measure_and_field(change, message) -> None:
    with pytest.raises(CatalogueError, match=message) as refused:
        parse_measures(_measure_file(change), "ours.toml")
    assert str(refused.value).startswith("ours.toml: measure 'tug': ")


def test_a_provisional_threshold_keeps_its_reason() -> None:
    data = _measure_file(
        (
            "decline_percent = 31.0",
            'decline_percent = 31.0\nprovisional = true\nprovisional_reason = "Not from MS."',
        )
    )
    spec = parse_measures(data, "ours.toml")["tug"]
    assert spec.is_provisional and spec.provisional_reason == "Not from MS."
