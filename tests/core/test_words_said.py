"""The sentences issue 14 found wrong, said right: counts agree with their number, a
programme's mix names only what it has, AFO stays in capitals, a fall's place reads as
typed, a follow-up shows one date, and no ISO date sits inside a sentence."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest

from therapy_desk import guidance as g
from therapy_desk.cli import main
from therapy_desk.domain.vocabulary import (
    Cause,
    DeviceKind,
    DeviceStatus,
    ExerciseCategory,
    Region,
    Side,
)
from therapy_desk.services.devices import check_side
from therapy_desk.services.errors import ValidationError
from therapy_desk.services.this_week import _when
from therapy_desk.services.timeline import fall_title
from therapy_desk.words import mid_sentence

TODAY = date(2026, 11, 21)


def _item(code: str, category: ExerciseCategory, *, loaded: bool = False) -> g.ItemFact:
    return g.ItemFact(code, code.title(), category, frozenset({Region.KNEE}), loaded, Side.BOTH, 3)


def _fatigue_reason(*items: g.ItemFact) -> str:
    tired = g.FindingFact(uuid.uuid4(), Region.KNEE, Side.LEFT, Cause.MIXED, fatigue_linked=True)
    facts = g.ClientFacts(findings=(tired,), items=items, has_active_programme=True)
    (advisory,) = [a for a in g.advise(facts, today=TODAY) if a.code == g.FATIGUE_PACING]
    return advisory.reason


@pytest.mark.parametrize(
    ("items", "said"),
    [
        (
            [("squat", ExerciseCategory.RESISTANCE), ("bridge", ExerciseCategory.RESISTANCE)],
            "The active programme has 2 strength exercises, on up to 3 days a week.",
        ),
        (
            [("bike", ExerciseCategory.CARDIO), ("squat", ExerciseCategory.RESISTANCE)],
            "The active programme has 1 cardio and 1 strength exercise, on up to 3 days a week.",
        ),
        (
            [
                ("bike", ExerciseCategory.CARDIO),
                ("squat", ExerciseCategory.RESISTANCE),
                ("stretch", ExerciseCategory.FLEXIBILITY),
            ],
            "has 1 cardio and 1 strength exercise among 3, on up to 3 days a week.",
        ),
        (
            [("bike", ExerciseCategory.CARDIO)],
            "The active programme has 1 cardio exercise, on up to 3 days a week.",
        ),
        (
            [("stretch", ExerciseCategory.FLEXIBILITY)],
            "has no cardio or strength exercise among its 1 exercise, on up to 3 days a week.",
        ),
    ],
)
def test_the_programme_mix_names_only_what_it_has(
    items: list[tuple[str, ExerciseCategory]], said: str
) -> None:
    reason = _fatigue_reason(*(_item(code, category) for code, category in items))
    assert said in reason
    assert "(s)" not in reason and " 0 " not in reason


def test_afo_keeps_its_capitals_inside_a_sentence() -> None:
    assert mid_sentence("Ankle-foot orthosis (AFO)") == "ankle-foot orthosis (AFO)"
    assert mid_sentence("FES foot-drop stimulator") == "FES foot-drop stimulator"
    assert mid_sentence("Wrist and hand") == "wrist and hand"
    afo = g.DeviceFact(DeviceKind.ANKLE_FOOT_ORTHOSIS, DeviceStatus.ISSUED, TODAY - timedelta(1))
    (advisory,) = [
        a
        for a in g.advise(g.ClientFacts(devices=(afo,)), today=TODAY)
        if a.code == g.DEVICE_REVIEW_OVERDUE
    ]
    assert advisory.reason == (
        "The ankle-foot orthosis (AFO) (issued) was due for review on 20 Nov 2026, 1 day ago."
    )
    with pytest.raises(ValidationError) as refused:
        check_side(DeviceKind.ANKLE_FOOT_ORTHOSIS, Side.NONE)
    assert refused.value.errors["side"] == "Say which side the ankle-foot orthosis (AFO) is for"


def test_a_fall_s_place_reads_as_typed() -> None:
    assert fall_title("Kitchen") == "Fall — Kitchen"
    assert fall_title("at the bus stop") == "Fall — at the bus stop"
    assert fall_title("  ") == "Fall" and fall_title(None) == "Fall"


def test_dates_inside_sentences_are_the_screens_dates() -> None:
    fall = g.FallFact(uuid.uuid4(), date(2026, 11, 3))
    (advisory,) = [
        a for a in g.advise(g.ClientFacts(falls=(fall,)), today=TODAY) if a.code == g.FALL_REVIEW
    ]
    assert advisory.reason.startswith("1 fall recorded, the latest on 3 Nov 2026; 1 in the past")
    assert "2026-" not in advisory.reason


def test_a_follow_up_shows_one_date() -> None:
    assert _when(TODAY, TODAY) == "Today"
    assert _when(TODAY + timedelta(days=1), TODAY) == "Tomorrow"
    assert _when(date(2026, 11, 26), TODAY) == "Thu 26 Nov"
    assert _when(TODAY - timedelta(days=1), TODAY) == "Overdue by 1 day (20 Nov 2026)"
    assert _when(TODAY - timedelta(days=3), TODAY) == "Overdue by 3 days (18 Nov 2026)"


def test_the_command_line_counts_one_client(tmp_path: Path) -> None:
    out = io.StringIO()
    db = str(tmp_path / "one.sqlite3")
    assert main(["--db", db, "demo", "--clients", "1", "--seed", "2"], out=out) == 0
    assert "1 client," in out.getvalue()
    out = io.StringIO()
    assert main(["--db", db, "clients", "--status", "all"], out=out) == 0
    assert out.getvalue().splitlines()[-1] == "1 client"
