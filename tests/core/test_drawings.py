"""Every catalogue exercise has a start and end drawing that fits its box."""

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
