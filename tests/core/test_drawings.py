"""Every catalogue exercise has a start and end drawing that fits its box."""

import math
import subprocess
import sys

import pytest

from therapy_desk.library import catalogue, drawings
from therapy_desk.library.drawings import (
    BOX,
    STROKE,
    Arrow,
    Circle,
    Line,
    Picture,
    Polyline,
    Role,
    Shape,
    arrow_head,
    drawing,
    drawing_keys,
)

EXERCISES = catalogue.exercises()


def _points(picture: Picture) -> list[tuple[float, float, float]]:
    """Every point a picture touches, with the radius around it."""
    found: list[tuple[float, float, float]] = []
    for shape in picture.shapes:
        if isinstance(shape, Line):
            found += [(shape.x1, shape.y1, 0.0), (shape.x2, shape.y2, 0.0)]
        elif isinstance(shape, Circle):
            found.append((shape.cx, shape.cy, shape.r))
        else:
            found += [(x, y, 0.0) for x, y in shape.points]
    return found


def test_every_catalogue_exercise_has_a_drawing() -> None:
    missing = [e.code for e in EXERCISES if e.illustration not in drawing_keys()]
    assert missing == []


@pytest.mark.parametrize("spec", EXERCISES, ids=lambda e: e.code)
def test_drawing_fits_its_box_and_shows_a_movement(spec: catalogue.ExerciseSpec) -> None:
    assert spec.illustration is not None
    result = drawing(spec.illustration)
    assert result is not None and result.key == spec.illustration
    for picture in (result.start, result.end):
        assert picture.shapes
        assert any(s.role is Role.BODY for s in picture.shapes)
        for x, y, r in _points(picture):
            assert -0.01 <= x - r and x + r <= BOX + 0.01, (spec.code, x, r)
            assert -0.01 <= y - r and y + r <= BOX + 0.01, (spec.code, y, r)
    assert result.start != result.end


def test_shapes_are_plain_frozen_data() -> None:
    shapes = [s for key in drawing_keys() for p in (drawing(key).start, drawing(key).end)  # type: ignore[union-attr]
              for s in p.shapes]  # fmt: skip
    assert {type(s) for s in shapes} <= {Line, Circle, Polyline, Arrow}
    assert all(role in STROKE for role in Role)
    arrow = next(s for s in shapes if isinstance(s, Arrow))
    left, tip, right = arrow_head(arrow.points)
    assert tip == arrow.points[-1] and left != right


def test_unknown_key_has_no_drawing() -> None:
    assert drawing("a-clinics-own-exercise") is None


def test_cached() -> None:
    assert drawing("sit-to-stand") is drawing("sit-to-stand")


def test_bad_pose_entry_is_refused_with_its_key() -> None:
    with pytest.raises(drawings.DrawingError, match="my-own: .*unknown pose setting 'elbw'"):
        drawings.build_drawing("my-own", {"start": {"elbw": 3}, "end": {}})
    with pytest.raises(drawings.DrawingError, match="my-own: needs a"):
        drawings.build_drawing("my-own", {"start": {}})


def test_module_imports_without_qt() -> None:
    script = (
        "import sys; sys.modules['PySide6'] = None\n"
        "from therapy_desk.library.drawings import drawing\n"
        "assert drawing('sit-to-stand') is not None\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6.', 'reportlab', 'ui'))]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def _prop_lines(picture: Picture) -> list[Line]:
    return [s for s in picture.shapes if isinstance(s, Line) and s.role is Role.PROP]


def test_seated_lean_back_chair_has_a_backrest_close_behind() -> None:
    # The caution needs it: "the chair back should be close behind you".
    result = drawing("seated-lean-back-hold")
    assert result is not None
    for picture in (result.start, result.end):
        uprights = [
            line for line in _prop_lines(picture) if abs(line.y1 - line.y2) >= 20
            and min(line.y1, line.y2) < 55 and max(line.x1, line.x2) < 30
        ]  # fmt: skip
        assert uprights, "no chair back behind the sitter"


def _feet_from_above(picture: Picture) -> dict[Role, tuple[float, float, float, float]]:
    """Each footprint's left, right, top and bottom (the near foot is drawn bold)."""
    feet = {}
    for shape in picture.shapes:
        if isinstance(shape, Polyline) and shape.closed and shape.role in (
            Role.BODY, Role.BODY_FAR
        ):  # fmt: skip
            xs = [x for x, _y in shape.points]
            ys = [y for _x, y in shape.points]
            feet[shape.role] = (min(xs), max(xs), min(ys), max(ys))
    return feet


def test_tandem_stance_shows_the_feet_heel_to_toe() -> None:
    result = drawing("tandem-stance")
    assert result is not None
    start = _feet_from_above(result.start)
    end = _feet_from_above(result.end)
    assert set(start) == set(end) == {Role.BODY, Role.BODY_FAR}
    # Start: side by side (same heel line, one above the other).
    assert start[Role.BODY][0] == pytest.approx(start[Role.BODY_FAR][0])
    assert start[Role.BODY][3] < start[Role.BODY_FAR][2] + 1.0
    # Finish: in one line, the front foot's heel at the back foot's toes.
    near, far = end[Role.BODY], end[Role.BODY_FAR]
    assert near[0] == pytest.approx(far[1], abs=0.5)
    assert (near[2] + near[3]) / 2 == pytest.approx((far[2] + far[3]) / 2, abs=0.5)


def _body_points(picture: Picture) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for shape in picture.shapes:
        if shape.role is Role.BODY and isinstance(shape, Line):
            points += [(shape.x1, shape.y1), (shape.x2, shape.y2)]
    return points


def _head(picture: Picture) -> Circle:
    return next(s for s in picture.shapes if isinstance(s, Circle) and s.r > 4)


def test_chest_stretch_hands_behind_the_head_elbows_back() -> None:
    result = drawing("chest-stretch")
    assert result is not None
    for picture, wide in ((result.start, False), (result.end, True)):
        head = _head(picture)
        points = _body_points(picture)
        # Every arm line that ends near head height ends on the head: hands on it.
        near_head = [p for p in points if abs(p[1] - head.cy) <= head.r]
        hands = [p for p in near_head if abs(p[0] - head.cx) <= head.r + 1]
        assert len(hands) >= 2
        elbows = [p for p in near_head if abs(p[0] - head.cx) > head.r + 1]
        if wide:
            assert elbows and min(abs(x - head.cx) for x, _y in elbows) > 10
        else:
            assert all(abs(x - head.cx) < 10 for x, _y in elbows)


def _on_line(line: Line, x: float, y: float) -> bool:
    lo, hi = sorted((line.x1, line.x2))
    if not lo <= x <= hi:
        return False
    t = (x - line.x1) / (line.x2 - line.x1)
    return abs(line.y1 + t * (line.y2 - line.y1) - y) < 1.5


def test_treadmill_hands_hold_the_rails() -> None:
    result = drawing("treadmill-walking")
    assert result is not None
    for picture in (result.start, result.end):
        rail = max(_prop_lines(picture), key=lambda line: abs(line.x1 - line.x2))
        hands = [s for s in picture.shapes if isinstance(s, Line) and s.role is not Role.PROP]

        # A forearm of each arm ends on the rail line.
        assert any(_on_line(rail, s.x2, s.y2) for s in hands if s.role is Role.BODY)
        assert any(_on_line(rail, s.x2, s.y2) for s in hands if s.role is Role.BODY_FAR)


#: The close-up hand drawings a client must recognise as a hand.
HAND_DRAWINGS = (
    "peg-pick-up", "coin-pick-up", "putty-squeeze", "putty-pinch", "buttoning-practice",
    "finger-bends",
)  # fmt: skip


def _finger_outlines(picture: Picture) -> list[Polyline]:
    """Fingers and thumbs: bold open outlines that go out to a round tip and come back."""
    return [
        s for s in picture.shapes
        if isinstance(s, Polyline) and not s.closed and s.role is Role.BODY
        and len(s.points) >= 9 and math.dist(s.points[0], s.points[-1]) < 9
    ]  # fmt: skip


@pytest.mark.parametrize("key", HAND_DRAWINGS)
def test_hands_have_a_thumb_and_fingers_with_width(key: str) -> None:
    result = drawing(key)
    assert result is not None
    for picture in (result.start, result.end):
        assert len(_finger_outlines(picture)) >= 2, key


def _centre(shape: Shape) -> tuple[float, float]:
    if isinstance(shape, Line):
        return (shape.x1 + shape.x2) / 2, (shape.y1 + shape.y2) / 2
    if isinstance(shape, Circle):
        return shape.cx, shape.cy
    xs, ys = zip(*shape.points, strict=True)
    return sum(xs) / len(xs), sum(ys) / len(ys)


def _touching(point: tuple[float, float], outlines: list[Polyline]) -> int:
    """How many finger outlines come within reach of a point."""
    return sum(any(math.dist(point, q) < 6 for q in o.points) for o in outlines)


@pytest.mark.parametrize("key", ["peg-pick-up", "coin-pick-up", "putty-pinch"])
def test_pinched_object_sits_between_thumb_and_finger(key: str) -> None:
    result = drawing(key)
    assert result is not None
    for picture in (result.start, result.end):
        outlines = _finger_outlines(picture)
        held = [s for s in picture.shapes if s.role is Role.PROP and not isinstance(s, Line)]
        held += [s for s in _prop_lines(picture) if math.dist((s.x1, s.y1), (s.x2, s.y2)) < 12]

        assert any(_touching(_centre(s), outlines) >= 2 for s in held), key


def test_finger_bends_goes_from_straight_fingers_to_a_fist() -> None:
    result = drawing("finger-bends")
    assert result is not None
    top = {
        name: min(y for o in _finger_outlines(picture) for _x, y in o.points)
        for name, picture in (("start", result.start), ("end", result.end))
    }
    assert top["end"] - top["start"] > 12


def test_buttoning_shows_a_shirt_and_a_button_in_the_fingers() -> None:
    result = drawing("buttoning-practice")
    assert result is not None
    for picture in (result.start, result.end):
        shirt = [s for s in picture.shapes if isinstance(s, Polyline) and s.closed
                 and s.role is Role.PROP and len(s.points) >= 10]  # fmt: skip
        assert shirt
        buttons = [s for s in picture.shapes if isinstance(s, Circle) and s.role is Role.PROP]
        tips = [p for o in _finger_outlines(picture) for p in o.points]
        assert any(math.dist((b.cx, b.cy), p) < 6 for b in buttons for p in tips)
