"""Line drawings of catalogue exercises (start and end positions), as plain data.

A drawing is two pictures of shapes in a 100 x 100 box (y grows downward). The
pictures are built from pose data in resources/illustrations/*.toml (format:
resources/illustrations/FORMAT.md): a stick figure with named joints placed by
forward kinematics from a base posture plus joint angles, props (chair, counter,
band...) and motion arrows that follow a joint's path from the start pose to the
end pose. Renderers (the Qt widget, PDF handouts) only stroke the shapes, with
the relative widths in `STROKE`; nothing here knows about Qt or ReportLab.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from therapy_desk.resources import resource

#: Side of the square drawing box, in box units.
BOX = 100.0


class Role(StrEnum):
    BODY = "body"
    BODY_FAR = "body_far"
    PROP = "prop"
    GROUND = "ground"
    WATER = "water"
    MOTION = "motion"


#: Stroke width of each role in box units, so every renderer draws alike.
STROKE: dict[Role, float] = {
    Role.BODY: 2.6,
    Role.BODY_FAR: 1.8,
    Role.PROP: 1.3,
    Role.GROUND: 1.0,
    Role.WATER: 1.0,
    Role.MOTION: 1.4,
}


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    role: Role


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    role: Role
    filled: bool = False


@dataclass(frozen=True)
class Polyline:
    points: tuple[tuple[float, float], ...]
    role: Role
    closed: bool = False


@dataclass(frozen=True)
class Arrow:
    """A path whose last point carries an arrow head: the direction of movement."""

    points: tuple[tuple[float, float], ...]
    role: Role = Role.MOTION


Shape = Line | Circle | Polyline | Arrow


@dataclass(frozen=True)
class Picture:
    shapes: tuple[Shape, ...]


@dataclass(frozen=True)
class ExerciseDrawing:
    key: str
    start: Picture
    end: Picture


class DrawingError(ValueError):
    """A pose file entry that cannot be drawn, with which key and why."""


Point = tuple[float, float]
Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]


def arrow_head(points: tuple[Point, ...], size: float = 3.2) -> tuple[Point, Point, Point]:
    """The two barb ends and the tip of an arrow head at the end of `points`."""
    tip = points[-1]
    base = points[-2] if len(points) > 1 else (tip[0] - 1.0, tip[1])
    for candidate in reversed(points[:-1]):
        if math.dist(candidate, tip) >= size * 0.8:
            base = candidate
            break
    angle = math.atan2(tip[1] - base[1], tip[0] - base[0])
    left = (
        tip[0] - size * math.cos(angle - 0.45),
        tip[1] - size * math.sin(angle - 0.45),
    )
    right = (
        tip[0] - size * math.cos(angle + 0.45),
        tip[1] - size * math.sin(angle + 0.45),
    )
    return left, tip, right


# --- 3D rotation helpers: x = body's side (far side +), y = up, z = forward -----------


def _rx(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def _ry(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def _rz(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def _mul(a: Mat, b: Mat) -> Mat:
    rows = []
    for i in range(3):
        rows.append(
            (
                a[i][0] * b[0][0] + a[i][1] * b[1][0] + a[i][2] * b[2][0],
                a[i][0] * b[0][1] + a[i][1] * b[1][1] + a[i][2] * b[2][1],
                a[i][0] * b[0][2] + a[i][1] * b[1][2] + a[i][2] * b[2][2],
            )
        )
    return (rows[0], rows[1], rows[2])


def _chain(*mats: Mat) -> Mat:
    result = mats[0]
    for m in mats[1:]:
        result = _mul(result, m)
    return result


def _apply(m: Mat, v: Vec) -> Vec:
    return (
        m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
        m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
        m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
    )


def _add(a: Vec, b: Vec, k: float = 1.0) -> Vec:
    return (a[0] + k * b[0], a[1] + k * b[1], a[2] + k * b[2])


# --- The figure -----------------------------------------------------------------------

#: Segment lengths of the stick figure, in box units.
SEGMENTS: dict[str, float] = {
    "torso": 22.0,
    "neck": 3.0,
    "head_r": 5.5,
    "upper_arm": 13.0,
    "forearm": 12.0,
    "thigh": 19.0,
    "shin": 18.0,
    "heel": 1.5,
    "foot": 6.0,
    "shoulder_w": 6.5,
    "hip_w": 3.5,
}

#: Where the floor line is drawn, and where feet rest on it.
GROUND_Y = 92.0
FLOOR_Y = GROUND_Y - 1.4

#: Angles and settings every pose starts from (a standing figure, side view).
_NEUTRAL: dict[str, Any] = {
    "view": "side",
    "x": 45.0,
    "y": 53.0,
    "settle": FLOOR_Y,
    "pitch": 0.0,
    "roll": 0.0,
    "yaw": 0.0,
    "trunk": 0.0,
    "trunk_side": 0.0,
    "trunk_twist": 0.0,
    "head": 0.0,
    "head_side": 0.0,
    "head_turn": 0.0,
    "head_shift": 0.0,
    "belly": 0.0,
    "ribs": 0.0,
    "mouth": "closed",
}
_LIMB_ANGLES = (
    "shoulder",
    "shoulder_abd",
    "shoulder_in",
    "shoulder_rot",
    "elbow",
    "hip",
    "hip_abd",
    "knee",
    "ankle",
)
for _side in ("near", "far"):
    for _angle in _LIMB_ANGLES:
        _NEUTRAL[f"{_side}_{_angle}"] = 0.0
    _NEUTRAL[f"{_side}_elbow"] = 8.0

#: Base postures: partial settings laid over the neutral standing figure.
POSTURES: dict[str, dict[str, Any]] = {
    "standing": {},
    "sitting": {
        "x": 34.0,
        "y": 72.0,
        "settle": False,
        "near_hip": 90.0,
        "far_hip": 90.0,
        "near_knee": 90.0,
        "far_knee": 90.0,
        "near_elbow": 20.0,
        "far_elbow": 20.0,
    },
    "long_sitting": {
        "x": 30.0,
        "y": 84.0,
        "settle": False,
        "near_hip": 90.0,
        "far_hip": 90.0,
        "near_shoulder": 10.0,
        "far_shoulder": 10.0,
    },
    "lying_back": {
        "x": 52.0,
        "y": 84.0,
        "settle": 88.5,
        "pitch": -90.0,
        "near_elbow": 0.0,
        "far_elbow": 0.0,
        "near_ankle": -25.0,
        "far_ankle": -25.0,
    },
    "lying_front": {
        "x": 48.0,
        "y": 84.0,
        "settle": 88.5,
        "pitch": 90.0,
        "near_shoulder": 0.0,
        "near_elbow": 0.0,
        "far_elbow": 0.0,
        "near_ankle": -60.0,
        "far_ankle": -60.0,
    },
    "lying_side": {
        "view": "front",
        "x": 55.0,
        "y": 80.0,
        "settle": 86.0,
        "roll": 90.0,
        "near_shoulder_abd": 150.0,
        "near_elbow": 60.0,
        "far_shoulder_abd": 10.0,
        "far_elbow": 0.0,
    },
    "hands_knees": {
        "x": 42.0,
        "y": 62.0,
        "pitch": 90.0,
        "near_hip": 90.0,
        "far_hip": 90.0,
        "near_knee": 90.0,
        "far_knee": 90.0,
        "near_shoulder": 90.0,
        "far_shoulder": 90.0,
        "near_elbow": 0.0,
        "far_elbow": 0.0,
        "near_ankle": -70.0,
        "far_ankle": -70.0,
    },
    "kneeling": {
        "x": 45.0,
        "near_knee": 90.0,
        "far_knee": 90.0,
        "near_ankle": -70.0,
        "far_ankle": -70.0,
    },
    "standing_front": {"view": "front", "x": 50.0},
    "sitting_front": {
        "view": "front",
        "x": 50.0,
        "y": 72.0,
        "settle": False,
        "near_hip": 90.0,
        "far_hip": 90.0,
        "near_knee": 90.0,
        "far_knee": 90.0,
        "near_hip_abd": 6.0,
        "far_hip_abd": 6.0,
        "near_elbow": 0.0,
        "far_elbow": 0.0,
        "near_shoulder_abd": 8.0,
        "far_shoulder_abd": 8.0,
    },
}
_NONNUMERIC = {"view", "settle", "mouth"}
_IK_KEYS = ("near_hand_at", "far_hand_at", "hands_at", "near_foot_at", "far_foot_at", "feet_at")


@dataclass(frozen=True)
class _Figure:
    joints: dict[str, Point]
    depth_near_first: bool
    shapes: tuple[Shape, ...]


def _side_sign(side: str) -> float:
    # The near side is the body's left (x < 0): seen from that side, the figure faces right.
    return -1.0 if side == "near" else 1.0


def _limb_frames(p: Mapping[str, Any], side: str, trunk: Mat, pelvis: Mat) -> dict[str, Mat]:
    sign = _side_sign(side)

    def a(name: str) -> float:
        return float(p[f"{side}_{name}"])

    arm = _chain(
        trunk,
        _ry(-sign * a("shoulder_in")),
        _rz(sign * a("shoulder_abd")),
        _rx(-a("shoulder")),
        _ry(-sign * a("shoulder_rot")),
    )
    fore = _mul(arm, _rx(-a("elbow")))
    thigh = _chain(pelvis, _rz(sign * a("hip_abd")), _rx(-a("hip")))
    shin = _mul(thigh, _rx(a("knee")))
    foot = _mul(shin, _rx(-(90.0 + a("ankle"))))
    return {"arm": arm, "fore": fore, "thigh": thigh, "shin": shin, "foot": foot}


_DOWN: Vec = (0.0, -1.0, 0.0)


def _skeleton(p: Mapping[str, Any]) -> dict[str, Vec]:
    """3D joint positions relative to the pelvis centre."""
    s = SEGMENTS
    pelvis = _chain(_rx(float(p["pitch"])), _rz(float(p["roll"])), _ry(float(p["yaw"])))
    trunk = _chain(
        pelvis,
        _rx(float(p["trunk"])),
        _rz(float(p["trunk_side"])),
        _ry(float(p["trunk_twist"])),
    )
    head = _chain(
        trunk, _rx(float(p["head"])), _rz(float(p["head_side"])), _ry(float(p["head_turn"]))
    )
    j: dict[str, Vec] = {"pelvis": (0.0, 0.0, 0.0)}
    j["neck"] = _apply(trunk, (0.0, s["torso"] + 1.5, float(p["head_shift"]) * 0.3))
    j["chest"] = _apply(trunk, (0.0, s["torso"] * 0.7, 0.0))
    centre = _add(j["neck"], _apply(head, (0.0, s["neck"] + s["head_r"], 0.0)))
    j["head"] = _add(centre, _apply(trunk, (0.0, 0.0, float(p["head_shift"]))))
    r = s["head_r"]
    j["chin"] = _add(j["head"], _apply(head, (0.0, -r, 0.0)))
    j["nose"] = _add(j["head"], _apply(head, (0.0, -0.3, r + 1.2)))
    j["mouth"] = _add(j["head"], _apply(head, (0.0, -2.6, r + 0.2)))
    j["forehead"] = _add(j["head"], _apply(head, (0.0, 2.0, r + 0.6)))
    j["back_head"] = _add(j["head"], _apply(head, (0.0, 1.0, -r - 0.6)))
    for eye, across in (("near_eye", -1.0), ("far_eye", 1.0)):
        j[eye] = _add(j["head"], _apply(head, (across * 2.1, 1.0, r * 0.82)))
    for side in ("near", "far"):
        sign = _side_sign(side)
        f = _limb_frames(p, side, trunk, pelvis)
        shoulder = _apply(trunk, (sign * s["shoulder_w"], s["torso"], 0.0))
        elbow = _add(shoulder, _apply(f["arm"], _DOWN), s["upper_arm"])
        hand = _add(elbow, _apply(f["fore"], _DOWN), s["forearm"])
        hip = _apply(pelvis, (sign * s["hip_w"], 0.0, 0.0))
        knee = _add(hip, _apply(f["thigh"], _DOWN), s["thigh"])
        ankle = _add(knee, _apply(f["shin"], _DOWN), s["shin"])
        foot_dir = _apply(f["foot"], _DOWN)
        j[f"{side}_shoulder"] = shoulder
        j[f"{side}_elbow"] = elbow
        j[f"{side}_hand"] = hand
        j[f"{side}_hip"] = hip
        j[f"{side}_knee"] = knee
        j[f"{side}_ankle"] = ankle
        j[f"{side}_heel"] = _add(ankle, foot_dir, -s["heel"])
        j[f"{side}_toe"] = _add(ankle, foot_dir, s["foot"])
    return j


def _project(view: str, v: Vec) -> tuple[float, float, float]:
    """Picture offset (right, down) and depth (towards the viewer) of a 3D point."""
    if view == "front":
        return v[0], -v[1], v[2]
    return v[2], -v[1], -v[0]


_LEG_JOINTS = ("hip", "knee", "ankle", "heel", "toe")
_ARM_JOINTS = ("elbow", "hand")


def _solve_two_link(
    base: Point, target: Point, l1: float, l2: float, bend_positive: bool
) -> tuple[float, float]:
    """Side-view angles (0 = down, 90 = forward/right) of two segments reaching target."""
    dx, dy = target[0] - base[0], target[1] - base[1]
    d = min(max(math.hypot(dx, dy), abs(l1 - l2) + 1e-3), l1 + l2 - 1e-3)
    beta = math.degrees(math.atan2(dx, dy))
    alpha = math.degrees(math.acos((l1 * l1 + d * d - l2 * l2) / (2 * l1 * d)))
    best: tuple[float, float] = (beta, beta)
    for first in (beta + alpha, beta - alpha):
        jx = base[0] + l1 * math.sin(math.radians(first))
        jy = base[1] + l1 * math.cos(math.radians(first))
        second = math.degrees(math.atan2(target[0] - jx, target[1] - jy))
        bend = (second - first + 180.0) % 360.0 - 180.0
        best = (first, second)
        if (bend >= 0) == bend_positive:
            return best
    return best


def _point_of(spec: Any, joints: Mapping[str, Point]) -> Point:
    """A point given as [x, y], "joint" or ["joint", dx, dy]."""
    if isinstance(spec, str):
        if spec not in joints:
            raise DrawingError(f"unknown joint '{spec}'")
        return joints[spec]
    if isinstance(spec, list | tuple) and spec and isinstance(spec[0], str):
        base = _point_of(spec[0], joints)
        dx = float(spec[1]) if len(spec) > 1 else 0.0
        dy = float(spec[2]) if len(spec) > 2 else 0.0
        return base[0] + dx, base[1] + dy
    if isinstance(spec, list | tuple) and len(spec) == 2:
        return float(spec[0]), float(spec[1])
    raise DrawingError(f"not a point: {spec!r}")


def _place(p: Mapping[str, Any], skip: Iterable[str] = ()) -> dict[str, Point]:
    view = str(p["view"])
    raw = _skeleton(p)
    flat = {name: _project(view, v) for name, v in raw.items()}
    x0, y0 = float(p["x"]), float(p["y"])
    settle = p["settle"]
    if settle is not False and settle is not None:
        skipped = tuple(skip)
        used = [
            n
            for n in flat
            if not n.endswith(_ARM_JOINTS) and "eye" not in n and not n.startswith(skipped)
        ]
        lowest = max(flat[n][1] for n in used)
        y0 = float(settle) - lowest
    return {name: (x0 + u, y0 + v) for name, (u, v, _d) in flat.items()}


def resolve_pose(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Every setting of a pose: its base posture, then its own angles, then reaching."""
    base_name = str(spec.get("base", "standing"))
    if base_name not in POSTURES:
        raise DrawingError(f"unknown base posture '{base_name}'")
    p: dict[str, Any] = dict(_NEUTRAL)
    p.update(POSTURES[base_name])
    for key, value in spec.items():
        if key in ("base", "props", "arrows", "flat_feet") or key in _IK_KEYS:
            continue
        if key in _NONNUMERIC:
            p[key] = value
        elif key in p:
            p[key] = float(value)
        elif key in _LIMB_ANGLES:
            p[f"near_{key}"] = p[f"far_{key}"] = float(value)
        else:
            raise DrawingError(f"unknown pose setting '{key}'")
    # Settle the figure first, then let hands and feet reach their targets.
    targets: list[tuple[str, str, Any]] = []
    for key in _IK_KEYS:
        if key in spec:
            limb = "hand" if "hand" in key else "foot"
            sides = ("near", "far") if key.startswith(("hands", "feet")) else (key.split("_")[0],)
            targets.extend((side, limb, spec[key]) for side in sides)
    skip = [f"{side}_{j}" for side, limb, _t in targets if limb == "foot" for j in _LEG_JOINTS]
    joints = _place(p, skip)
    p["x"], p["y"] = joints["pelvis"]
    p["settle"] = False
    if targets and p["view"] != "side":
        raise DrawingError("hands_at / feet_at work only in the side view")
    s = SEGMENTS
    total_trunk = float(p["pitch"]) + float(p["trunk"])
    for side, limb, target_spec in targets:
        target = _point_of(target_spec, joints)
        if limb == "hand":
            first, second = _solve_two_link(
                joints[f"{side}_shoulder"], target, s["upper_arm"], s["forearm"], True
            )
            p[f"{side}_shoulder"] = first + total_trunk
            p[f"{side}_elbow"] = second - first
            for extra in ("shoulder_abd", "shoulder_in", "shoulder_rot"):
                p[f"{side}_{extra}"] = 0.0
        else:
            first, second = _solve_two_link(
                joints[f"{side}_hip"], target, s["thigh"], s["shin"], False
            )
            p[f"{side}_hip"] = first + float(p["pitch"])
            p[f"{side}_knee"] = first - second
            p[f"{side}_hip_abd"] = 0.0
    if spec.get("flat_feet"):
        for side in ("near", "far"):
            shin = p[f"{side}_hip"] - p["pitch"] - p[f"{side}_knee"]
            p[f"{side}_ankle"] = -shin
    return p


def _figure_shapes(p: Mapping[str, Any], joints: Mapping[str, Point]) -> list[Shape]:
    view = str(p["view"])
    shapes: list[Shape] = []

    def line(a: str, b: str, role: Role) -> None:
        (x1, y1), (x2, y2) = joints[a], joints[b]
        shapes.append(Line(x1, y1, x2, y2, role))

    def limbs(side: str, role: Role) -> None:
        line(f"{side}_shoulder" if view == "front" else "neck", f"{side}_elbow", role)
        line(f"{side}_elbow", f"{side}_hand", role)
        line(f"{side}_hip" if view == "front" else "pelvis", f"{side}_knee", role)
        line(f"{side}_knee", f"{side}_ankle", role)
        line(f"{side}_heel", f"{side}_toe", role)

    if view == "front":
        limbs("far", Role.BODY)
        limbs("near", Role.BODY)
        line("near_shoulder", "far_shoulder", Role.BODY)
        line("near_hip", "far_hip", Role.BODY)
    else:
        limbs("far", Role.BODY_FAR)
    line("pelvis", "neck", Role.BODY)
    line("neck", "chin", Role.BODY)
    hx, hy = joints["head"]
    shapes.append(Circle(hx, hy, SEGMENTS["head_r"], Role.BODY))
    depth = _skeleton(p)
    eyes = [e for e in ("near_eye", "far_eye") if _project(view, depth[e])[2] > 2.0]
    for eye in eyes:
        shapes.append(Circle(joints[eye][0], joints[eye][1], 0.7, Role.BODY, True))
    nose_depth = _project(view, _add(depth["nose"], depth["head"], -1.0))[2]
    if view == "side" and nose_depth < 0.5:
        nx, ny = joints["nose"]
        shapes.append(Line(hx + 0.82 * (nx - hx), hy + 0.82 * (ny - hy), nx, ny, Role.BODY))
    if view == "front" and eyes:
        mx, my = joints["mouth"]
        shapes.append(Line(mx - 1.4, my + 0.3, mx + 1.4, my + 0.3, Role.BODY_FAR))
    if view == "side":
        limbs("near", Role.BODY)
    belly = float(p["belly"])
    if belly and view == "side":
        shapes.append(_bulge(joints["chest"], joints["pelvis"], belly, 3.0))
    ribs = float(p["ribs"])
    if ribs and view == "front":
        chest = joints["chest"]
        for sign in (-1.0, 1.0):
            top = (chest[0] + sign * 4.5, chest[1] - 3)
            bottom = (chest[0] + sign * 4.0, chest[1] + 6)
            shapes.append(_bulge(top, bottom, -sign * ribs, 0.0))
    return shapes


def _bulge(a: Point, b: Point, amount: float, base: float, role: Role = Role.BODY_FAR) -> Polyline:
    """A curve from a to b bowed sideways (to the right of a->b for positive amounts)."""
    ax, ay = a
    bx, by = b
    length = math.dist(a, b) or 1.0
    nx, ny = (by - ay) / length, -(bx - ax) / length
    nx, ny = -nx, -ny
    points = []
    for i in range(9):
        t = i / 8
        bow = base + amount * math.sin(math.pi * t)
        points.append((ax + (bx - ax) * t + nx * bow, ay + (by - ay) * t + ny * bow))
    return Polyline(tuple(points), role)


def _oval(centre: Point, rx: float, ry: float, tilt_deg: float, role: Role) -> Polyline:
    x, y = centre
    tilt = math.radians(tilt_deg)
    points = []
    for i in range(24):
        t = 2 * math.pi * i / 24
        ex, ey = rx * math.cos(t), ry * math.sin(t)
        points.append(
            (
                x + ex * math.cos(tilt) - ey * math.sin(tilt),
                y + ex * math.sin(tilt) + ey * math.cos(tilt),
            )
        )
    return Polyline(tuple(points), role, True)


# --- Props ----------------------------------------------------------------------------

PropMaker = Callable[[Mapping[str, Any], Mapping[str, Point]], list[Shape]]
_P = Role.PROP


def _num(spec: Mapping[str, Any], key: str, default: float | None = None) -> float:
    value = spec.get(key, default)
    if value is None:
        raise DrawingError(f"prop '{spec.get('kind')}' needs '{key}'")
    return float(value)


def _poly(points: Iterable[Point], closed: bool = False, role: Role = _P) -> Polyline:
    return Polyline(tuple(points), role, closed)


def _rect(x: float, y: float, w: float, h: float, role: Role = _P) -> Polyline:
    return _poly(((x, y), (x + w, y), (x + w, y + h), (x, y + h)), True, role)


def _chair(spec: Mapping[str, Any], _j: Mapping[str, Point]) -> list[Shape]:
    x = _num(spec, "x")
    seat = _num(spec, "seat", 75.5)
    back = spec.get("back", True)
    shapes: list[Shape] = [
        Line(x - 8, seat, x + 12, seat, _P),
        Line(x - 7, seat, x - 7, GROUND_Y, _P),
        Line(x + 11, seat, x + 11, GROUND_Y, _P),
    ]
    if back:
        shapes.append(Line(x - 8, seat, x - 11, seat - 28, _P))
    return shapes


def _chair_front(spec: Mapping[str, Any], _j: Mapping[str, Point]) -> list[Shape]:
    x = _num(spec, "x", 50)
    seat = _num(spec, "seat", 75.5)
    return [
        Line(x - 13, seat, x + 13, seat, _P),
        Line(x - 12, seat, x - 12, GROUND_Y, _P),
        Line(x + 12, seat, x + 12, GROUND_Y, _P),
        Line(x - 12, seat, x - 12, seat - 30, _P),
        Line(x + 12, seat, x + 12, seat - 30, _P),
        Line(x - 12, seat - 30, x + 12, seat - 30, _P),
    ]


def _bed(spec: Mapping[str, Any], _j: Mapping[str, Point]) -> list[Shape]:
    x1, x2 = _num(spec, "x1", 6), _num(spec, "x2", 94)
    y = _num(spec, "y", 74)
    return [
        _rect(x1, y, x2 - x1, 5),
        Line(x1 + 2, y + 5, x1 + 2, GROUND_Y, _P),
        Line(x2 - 2, y + 5, x2 - 2, GROUND_Y, _P),
    ]


def _mat(spec: Mapping[str, Any], _j: Mapping[str, Point]) -> list[Shape]:
    x1, x2 = _num(spec, "x1", 8), _num(spec, "x2", 92)
    return [_rect(x1, GROUND_Y - 3, x2 - x1, 3)]


def _counter(spec: Mapping[str, Any], _j: Mapping[str, Point]) -> list[Shape]:
    x = _num(spec, "x")
    y = _num(spec, "y", 50)
    depth = _num(spec, "depth", 22)
    if spec.get("side", "right") == "left":
        depth = -depth
    return [
        Line(x - 1.5 * (1 if depth > 0 else -1), y, x + depth, y, _P),
        Line(x, y, x, GROUND_Y, _P),
        Line(x, y + 4, x + depth, y + 4, _P),
    ]


def _countertop(spec: Mapping[str, Any], _j: Mapping[str, Point]) -> list[Shape]:
    """A counter seen from the front: its top edge across the picture."""
    x1, x2 = _num(spec, "x1", 14), _num(spec, "x2", 86)
    y = _num(spec, "y", 50)
    return [Line(x1, y, x2, y, _P), Line(x1, y + 3, x2, y + 3, _P)]


def _table(spec: Mapping[str, Any], _j: Mapping[str, Point]) -> list[Shape]:
    x1, x2 = _num(spec, "x1"), _num(spec, "x2", 98)
    y = _num(spec, "y", 62)
    shapes: list[Shape] = [Line(x1, y, x2, y, _P), Line(x1 + 3, y, x1 + 3, GROUND_Y, _P)]
    if x2 < 97:
        shapes.append(Line(x2 - 3, y, x2 - 3, GROUND_Y, _P))
    return shapes


def _wall(spec: Mapping[str, Any], _j: Mapping[str, Point]) -> list[Shape]:
    x = _num(spec, "x")
    return [Line(x, _num(spec, "top", 8), x, GROUND_Y, _P)]


def _step(spec: Mapping[str, Any], _j: Mapping[str, Point]) -> list[Shape]:
    x, w, h = _num(spec, "x"), _num(spec, "w", 26), _num(spec, "h", 10)
    return [_rect(x, GROUND_Y - h, w, h)]


def _line_prop(spec: Mapping[str, Any], joints: Mapping[str, Point]) -> list[Shape]:
    points = [_point_of(q, joints) for q in spec.get("points", [])]
    if len(points) < 2:
        raise DrawingError("prop 'line' needs at least two points")
    return [_poly(points, bool(spec.get("closed", False)))]


def _band(spec: Mapping[str, Any], joints: Mapping[str, Point]) -> list[Shape]:
    a = _point_of(spec["from"], joints)
    b = _point_of(spec["to"], joints)
    return [Line(a[0], a[1], b[0], b[1], _P)]


def _band_loop(spec: Mapping[str, Any], joints: Mapping[str, Point]) -> list[Shape]:
    a = _point_of(spec["from"], joints)
    b = _point_of(spec["to"], joints)
    width = _num(spec, "width", 1.6)
    length = math.dist(a, b) or 1.0
    nx, ny = -(b[1] - a[1]) / length * width, (b[0] - a[0]) / length * width
    return [_poly(((a[0] + nx, a[1] + ny), (b[0] + nx, b[1] + ny), (b[0] - nx, b[1] - ny),
                   (a[0] - nx, a[1] - ny)), True)]  # fmt: skip


def _weight(spec: Mapping[str, Any], joints: Mapping[str, Point]) -> list[Shape]:
    x, y = _point_of(spec["at"], joints)
    r = _num(spec, "r", 2.4)
    return [Circle(x, y, r, _P, True)]


def _dumbbell(spec: Mapping[str, Any], joints: Mapping[str, Point]) -> list[Shape]:
    x, y = _point_of(spec["at"], joints)
    half = _num(spec, "len", 7) / 2
    angle = math.radians(_num(spec, "angle", 90))
    dx, dy = half * math.cos(angle), half * math.sin(angle)
    r = _num(spec, "r", 2.0)
    return [
        Line(x - dx, y - dy, x + dx, y + dy, _P),
        Circle(x - dx, y - dy, r, _P, True),
        Circle(x + dx, y + dy, r, _P, True),
    ]


def _ball(spec: Mapping[str, Any], joints: Mapping[str, Point]) -> list[Shape]:
    x, y = _point_of(spec["at"], joints)
    return [Circle(x, y, _num(spec, "r", 3), _P, bool(spec.get("filled", False)))]


def _ellipse(spec: Mapping[str, Any], joints: Mapping[str, Point]) -> list[Shape]:
    at = _point_of(spec["at"], joints)
    role = Role.BODY if spec.get("body") else _P
    return [_oval(at, _num(spec, "rx", 4), _num(spec, "ry", 2), _num(spec, "angle", 0), role)]


def _crank(spec: Mapping[str, Any], joints: Mapping[str, Point]) -> list[Shape]:
    cx, cy, r = _num(spec, "cx"), _num(spec, "cy"), _num(spec, "r", 6)
    shapes: list[Shape] = [Circle(cx, cy, r, _P)]
    if "to" in spec:
        tx, ty = _point_of(spec["to"], joints)
        shapes.append(Line(cx, cy, tx, ty, _P))
    return shapes


def _treadmill(spec: Mapping[str, Any], _j: Mapping[str, Point]) -> list[Shape]:
    x1, x2 = _num(spec, "x1", 12), _num(spec, "x2", 80)
    rail = _num(spec, "rail", 56)
    return [
        _poly(((x1, GROUND_Y), (x1 + 3, GROUND_Y - 4), (x2, GROUND_Y - 4), (x2, GROUND_Y)), True),
        Line(x2, GROUND_Y - 4, x2 + 6, rail - 14, _P),
        Line(x2 + 6, rail - 14, x2 + 10, rail - 16, _P),
        Line(x2 + 3, rail - 6, x2 - 28, rail, _P),
    ]


def _pool(spec: Mapping[str, Any], _j: Mapping[str, Point]) -> list[Shape]:
    water = _num(spec, "water", 48)
    shapes: list[Shape] = []
    x1, x2 = 2.0, 98.0
    if "wall" in spec:
        x = _num(spec, "wall")
        shapes.append(Line(x, water - 12, x, GROUND_Y, _P))
        rail = _num(spec, "rail", water - 3)
        inward = -1.0 if x > 50 else 1.0
        shapes.append(_poly(((x, rail - 3), (x + inward * 3, rail - 3), (x + inward * 3, rail))))
        if x > 50:
            x2 = x
        else:
            x1 = x
    step = 4.0
    points = []
    xx = x1
    i = 0
    while xx <= x2 + 0.01:
        points.append((xx, water + (0.9 if i % 2 else -0.9)))
        xx += step
        i += 1
    if points[-1][0] < x2:
        points.append((x2, water))
    shapes.append(_poly(points, role=Role.WATER))
    return shapes


def _bag(spec: Mapping[str, Any], joints: Mapping[str, Point]) -> list[Shape]:
    x, y = _point_of(spec["at"], joints)
    return [
        _poly(((x - 3, y + 5), (x, y), (x + 3, y + 5))),
        _poly(((x - 6, y + 5), (x + 6, y + 5), (x + 5, y + 16), (x - 5, y + 16)), True),
    ]


def _cup(spec: Mapping[str, Any], joints: Mapping[str, Point]) -> list[Shape]:
    x, y = _point_of(spec["at"], joints)
    w, h = _num(spec, "w", 6), _num(spec, "h", 7)
    return [_poly(((x - w / 2, y - h), (x - w / 2 + 1, y), (x + w / 2 - 1, y), (x + w / 2, y - h)))]


def _stick(spec: Mapping[str, Any], joints: Mapping[str, Point]) -> list[Shape]:
    a = _point_of(spec["from"], joints)
    b = _point_of(spec["to"], joints)
    return [Line(a[0], a[1], b[0], b[1], _P)]


def _trainer(spec: Mapping[str, Any], joints: Mapping[str, Point]) -> list[Shape]:
    x, y = _point_of(spec["at"], joints)
    return [_rect(x, y - 1.2, 5, 2.4), _rect(x + 5, y - 2.5, 5, 5)]


def _mirror(spec: Mapping[str, Any], _j: Mapping[str, Point]) -> list[Shape]:
    x, y1, y2 = _num(spec, "x"), _num(spec, "y1", 20), _num(spec, "y2", 60)
    return [_rect(x, y1, 3, y2 - y1), Line(x + 1.5, y2, x + 1.5, GROUND_Y, _P)]


def _text_lines(spec: Mapping[str, Any], joints: Mapping[str, Point]) -> list[Shape]:
    """Short parallel strokes (air, steam, a huff) starting near a point."""
    x, y = _point_of(spec["at"], joints)
    angle = math.radians(_num(spec, "angle", 0))
    length = _num(spec, "len", 4)
    shapes: list[Shape] = []
    for k in (-1, 0, 1):
        ox, oy = -math.sin(angle) * 2.2 * k, math.cos(angle) * 2.2 * k
        sx, sy = x + ox + abs(k) * math.cos(angle), y + oy + abs(k) * math.sin(angle)
        shapes.append(
            Line(sx, sy, sx + length * math.cos(angle), sy + length * math.sin(angle), Role.MOTION)
        )
    return shapes


#: Outline of a foot seen from above, heel at (0, 0), toes pointing right, 1 unit long.
_FOOT_TOP: tuple[Point, ...] = (
    (0.0, 0.0), (0.05, -0.14), (0.3, -0.17), (0.65, -0.21), (0.88, -0.18), (1.0, -0.06),
    (1.0, 0.05), (0.9, 0.15), (0.65, 0.18), (0.35, 0.14), (0.05, 0.14),
)  # fmt: skip


def _footprints(spec: Mapping[str, Any], joints: Mapping[str, Point]) -> list[Shape]:
    """Both feet seen from above in a framed inset, toes to the right.

    `ahead` is how far the near (left) foot stands in front of the far one, in foot
    lengths: 0 side by side, 1 heel to toe in one line. `at` is the inset's centre.
    """
    cx, cy = _point_of(spec["at"], joints)
    length = _num(spec, "len", 11)
    ahead = _num(spec, "ahead", 0)
    apart = length * 0.45 * (1 - min(ahead, 1.0))
    span = length * (1 + ahead)
    left = cx - span / 2
    shapes: list[Shape] = [_rect(cx - length - 3, cy - length * 0.55 - 2, 2 * length + 6,
                                 length * 1.1 + 4, Role.GROUND)]  # fmt: skip
    for heel_x, across, role in (
        (left, apart / 2, Role.BODY_FAR),
        (left + ahead * length, -apart / 2, Role.BODY),
    ):
        outline = [(heel_x + u * length, cy + across + v * length) for u, v in _FOOT_TOP]
        shapes.append(_poly(outline, True, role))
    return shapes


PROPS: dict[str, PropMaker] = {
    "chair": _chair,
    "chair_front": _chair_front,
    "bed": _bed,
    "mat": _mat,
    "counter": _counter,
    "countertop": _countertop,
    "table": _table,
    "wall": _wall,
    "step": _step,
    "line": _line_prop,
    "band": _band,
    "band_loop": _band_loop,
    "weight": _weight,
    "dumbbell": _dumbbell,
    "ball": _ball,
    "ellipse": _ellipse,
    "crank": _crank,
    "treadmill": _treadmill,
    "pool": _pool,
    "bag": _bag,
    "cup": _cup,
    "stick": _stick,
    "trainer": _trainer,
    "mirror": _mirror,
    "air": _text_lines,
    "footprints": _footprints,
}
_BEHIND = {"chair", "chair_front", "bed", "mat", "counter", "table", "wall", "step", "treadmill",
           "mirror", "crank", "countertop"}  # fmt: skip


# --- Close-ups: a hand, a face ----------------------------------------------------------

_HAND_DEFAULTS: dict[str, Any] = {
    "x": 52.0,
    "y": 55.0,
    "forearm": 90.0,
    "wrist": 0.0,
    "palm": "down",
    "mcp": 10.0,
    "pip": 10.0,
    "dip": 5.0,
    "thumb": 35.0,
    "thumb_flex": 10.0,
    "spread": 0.0,
    "view": "hand",
}


def _go(pt: Point, angle: float, length: float) -> Point:
    """The point `length` from pt in direction angle (0 = down, 90 = right, 180 = up)."""
    return (
        pt[0] + length * math.sin(math.radians(angle)),
        pt[1] + length * math.cos(math.radians(angle)),
    )


def _finger(chain: list[Point], half: tuple[float, ...], role: Role) -> Polyline:
    """Outline of a finger (or thumb) round a chain of joints: open at the base, round tip.

    `half` is the half-width at each joint; the outline runs up one side, round the
    tip and back down the other, so it joins the palm's outline at the base.
    """
    left: list[Point] = []
    right: list[Point] = []
    count = len(chain)
    direction = (0.0, 1.0)
    for i, (px, py) in enumerate(chain):
        ax, ay = chain[max(i - 1, 0)]
        bx, by = chain[min(i + 1, count - 1)]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy) or 1.0
        direction = (dx / length, dy / length)
        nx, ny = -direction[1], direction[0]
        left.append((px + nx * half[i], py + ny * half[i]))
        right.append((px - nx * half[i], py - ny * half[i]))
    tx, ty = chain[-1]
    r = half[-1]
    dx, dy = direction
    nx, ny = -dy, dx
    tip = []
    for k in range(1, 8):
        t = math.radians(90 - k * 22.5)
        tip.append((tx + r * (math.cos(t) * dx + math.sin(t) * nx),
                    ty + r * (math.cos(t) * dy + math.sin(t) * ny)))  # fmt: skip
    return Polyline(tuple(left + tip + right[::-1]), role)


#: Half-widths of a finger at its knuckle, middle joints and tip (side view).
_FINGER_HALF = (3.0, 2.7, 2.4, 2.2)
_THUMB_HALF = (4.0, 3.2, 2.8, 2.5)


def _hand_from_side(p: Mapping[str, Any]) -> tuple[dict[str, Point], list[Shape]]:
    """A hand from the thumb side: forearm, palm, index finger, the other fingers, thumb."""
    x, y = float(p["x"]), float(p["y"])
    j: dict[str, Point] = {"wrist": (x, y)}
    shapes: list[Shape] = []
    forearm = float(p["forearm"])
    palm_sign = 1.0 if p["palm"] == "down" else -1.0
    elbow = _go((x, y), forearm + 180, 40)
    j["elbow"] = elbow
    for side in (1.0, -1.0):
        shapes.append(_poly((_go(elbow, forearm + side * 90, 5.5),
                             _go((x, y), forearm + side * 90, 4.5)), role=Role.BODY))  # fmt: skip
    # Flexing the wrist or fingers turns them towards the palm.
    hand_angle = forearm - palm_sign * float(p["wrist"])
    back, palm_side = hand_angle + palm_sign * 90, hand_angle - palm_sign * 90
    knuckle = _go((x, y), hand_angle, 20)
    j["knuckle"] = knuckle
    # The back of the hand, and the palm's edge from the thumb's root to the knuckle.
    shapes.append(_poly((_go((x, y), forearm + palm_sign * 90, 4.5),
                         _go(_go((x, y), hand_angle, 6), back, 4.6),
                         _go(knuckle, back, _FINGER_HALF[0])), role=Role.BODY))  # fmt: skip
    # The palm's edge runs from the web of the thumb to the index knuckle.
    shapes.append(_poly((_go(_go((x, y), hand_angle, 11), palm_side, 3.5),
                         _go(knuckle, palm_side, _FINGER_HALF[0])), role=Role.BODY))  # fmt: skip
    for name, shift, role, bend in (
        ("far", 2.2, Role.BODY_FAR, 1.1),
        ("near", 0.0, Role.BODY, 1.0),
    ):
        angle = hand_angle
        pt = _go(knuckle, palm_side, shift)
        points = [pt]
        for joint, length in (("mcp", 13.0), ("pip", 9.0), ("dip", 7.0)):
            angle -= palm_sign * float(p[joint]) * bend
            pt = _go(pt, angle, length * (0.92 if name == "far" else 1.0))
            points.append(pt)
        shapes.append(_finger(points, _FINGER_HALF, role))
        j[f"{name}_tip"] = points[-1]
        j[f"{name}_mid"] = points[1]
    # The thumb leaves the palm's edge a third of the way to the knuckles.
    thumb_base = _go(_go((x, y), hand_angle, 6), palm_side, 1.0)
    t_angle = hand_angle - palm_sign * float(p["thumb"])
    flex = palm_sign * float(p["thumb_flex"])
    t1 = _go(thumb_base, t_angle, 11)
    t2 = _go(t1, t_angle - flex, 9)
    t3 = _go(t2, t_angle - flex * 1.8, 7.5)
    shapes.append(_finger([thumb_base, t1, t2, t3], _THUMB_HALF, Role.BODY))
    j["thumb_tip"] = t3
    j["thumb_mid"] = t2
    j["pinch"] = ((t3[0] + j["near_tip"][0]) / 2, (t3[1] + j["near_tip"][1]) / 2)
    j["palm"] = _go(_go((x, y), hand_angle, 12), palm_side, 5)
    return j, shapes


def _hand_from_front(p: Mapping[str, Any]) -> tuple[dict[str, Point], list[Shape]]:
    """A hand seen flat (palm or back), fingers up; `mcp` 60 or more folds them into a fist."""
    x, y = float(p["x"]), float(p["y"])
    spread = float(p["spread"])
    curl = float(p["mcp"])
    palm_w = 20.0
    half = 2.5
    j: dict[str, Point] = {"wrist": (x, y), "elbow": (x, y + 40), "palm": (x, y - 9)}
    shapes: list[Shape] = [
        Line(x - 6, y, x - 7, y + 40, Role.BODY),
        Line(x + 6, y, x + 7, y + 40, Role.BODY),
    ]
    knuckles = [(x - palm_w / 2 + half + i * (palm_w - 2 * half) / 3, y - 18 + abs(i - 1.5) * 1.3)
                for i in range(4)]  # fmt: skip
    fist = curl >= 60
    shapes.append(_poly(((x + 6, y), (x + palm_w / 2 + 0.5, y - 9),
                         (knuckles[3][0] + half, knuckles[3][1])), role=Role.BODY))  # fmt: skip
    shapes.append(_poly(((x - 6, y), (x - palm_w / 2, y - 6),
                         (knuckles[0][0] - half, knuckles[0][1])), role=Role.BODY))  # fmt: skip
    lengths = (20.0, 23.0, 21.0, 17.0)
    for i, (kx, ky) in enumerate(knuckles):
        if fist:
            # Folded down over the palm: a short rounded finger, tip towards the wrist.
            top = (kx, ky - 3.5)
            tip = (kx + (i - 1.5) * 0.4, ky + 5)
            shapes.append(_finger([tip, top], (half, half), Role.BODY))
            shapes.append(_finger([top, tip], (half, half), Role.BODY))
            j[f"tip{i + 1}"], j[f"mid{i + 1}"] = tip, top
            continue
        fan = (i - 1.5) * (2.0 + spread * 0.9)
        length = lengths[i] * math.cos(math.radians(curl))
        points = [(kx, ky), _go((kx, ky), 180 - fan, length * 0.55),
                  _go((kx, ky), 180 - fan, length)]  # fmt: skip
        shapes.append(_finger(points, (half, half * 0.95, half * 0.9), Role.BODY))
        j[f"tip{i + 1}"] = points[-1]
        j[f"mid{i + 1}"] = points[1]
    base = (x - 7, y - 4)
    if fist:
        # The thumb lies across the front of the folded fingers.
        t1 = (x - palm_w / 2 - 1, y - 10)
        t2 = (x + 1, y - 12)
    else:
        tangle = 180 + 38 + spread * 1.2
        t1 = _go(base, tangle, 10)
        t2 = _go(t1, tangle - 12, 9)
    shapes.append(_finger([base, t1, t2], (3.2, 2.9, 2.6), Role.BODY))
    j["thumb_tip"] = t2
    j["thumb_mid"] = t1
    return j, shapes


def _hand_joints(p: Mapping[str, Any]) -> tuple[dict[str, Point], list[Shape]]:
    """A hand from the side (view 'hand') or from the front (view 'hand_top')."""
    return _hand_from_front(p) if p["view"] == "hand_top" else _hand_from_side(p)


_FACE_DEFAULTS: dict[str, Any] = {
    "view": "face",
    "eyes": "open",
    "brows": "normal",
    "mouth": "closed",
    "cheeks": "normal",
    "nose": "normal",
}


def _face(p: Mapping[str, Any]) -> tuple[dict[str, Point], list[Shape]]:
    cx, cy, r = 50.0, 46.0, 27.0
    b = Role.BODY
    f = Role.BODY_FAR
    shapes: list[Shape] = []
    cheeks = p["cheeks"]
    outline = []
    for i in range(41):
        t = 2 * math.pi * i / 40
        rx = r * (1.0 if cheeks != "puffed" else 1.0 + 0.12 * max(0.0, math.sin(t)) ** 2)
        if cheeks == "sucked":
            rx = r * (1.0 - 0.08 * max(0.0, math.sin(t)) ** 2)
        outline.append((cx + rx * math.cos(t), cy + r * 1.15 * math.sin(t)))
    shapes.append(_poly(outline, True, b))
    shapes.append(Line(cx - 11, cy + 29, cx - 12, GROUND_Y - 4, b))
    shapes.append(Line(cx + 11, cy + 29, cx + 12, GROUND_Y - 4, b))
    eyes = p["eyes"]
    brows = p["brows"]
    for sign in (-1.0, 1.0):
        ex, ey = cx + sign * 10, cy - 5
        if eyes == "open":
            shapes.append(Circle(ex, ey, 1.6, b, True))
        elif eyes == "wide":
            shapes.append(Circle(ex, ey, 3.0, b))
            shapes.append(Circle(ex, ey, 1.2, b, True))
        elif eyes == "closed":
            shapes.append(_poly(((ex - 3.5, ey), (ex, ey + 1.4), (ex + 3.5, ey)), role=b))
        else:  # squeezed
            shapes.append(
                _poly(((ex - 3.5, ey - 1.5), (ex + 2.5, ey), (ex - 3.5, ey + 1.5)), role=b)
            )
        lift = {"normal": 0.0, "raised": -5.0, "frown": 1.5}.get(str(brows), 0.0)
        inner = 2.5 if brows == "frown" else 0.0
        outer = -1.0 if brows == "raised" else 0.0
        shapes.append(
            _poly(
                (
                    (ex - sign * 4.5, ey - 6 + lift + inner),
                    (ex, ey - 7.5 + lift),
                    (ex + sign * 4.5, ey - 6 + lift + outer),
                ),
                role=b,
            )
        )
        if brows == "raised":
            shapes.append(Line(cx - 6, cy - 23 + 2 * sign, cx + 6, cy - 23 + 2 * sign, f))
    if p["nose"] == "wrinkle":
        shapes.append(_poly(((cx - 2, cy - 1), (cx, cy + 6), (cx - 3, cy + 7)), role=b))
        shapes.append(Line(cx - 4, cy - 3, cx - 1, cy - 2, f))
        shapes.append(Line(cx + 4, cy - 3, cx + 1, cy - 2, f))
    else:
        shapes.append(_poly(((cx, cy - 1), (cx + 1.5, cy + 7), (cx - 2, cy + 8)), role=b))
    my = cy + 16
    mouth = p["mouth"]
    if mouth == "smile":
        shapes.append(_bulge((cx - 11, my - 2), (cx + 11, my - 2), 5, 0, b))
    elif mouth == "pressed":
        shapes.append(Line(cx - 7, my, cx + 7, my, b))
        shapes.append(Line(cx - 7, my + 1.6, cx + 7, my + 1.6, f))
    elif mouth == "pucker":
        shapes.append(Circle(cx, my + 1, 2.6, b))
    elif mouth == "open":
        shapes.append(_oval((cx, my + 1), 5, 4, 0, b))
    else:
        shapes.append(_poly(((cx - 6, my), (cx, my + 0.8), (cx + 6, my)), role=b))
    if cheeks == "puffed":
        for sign in (-1.0, 1.0):
            shapes.append(Circle(cx + sign * 16, cy + 11, 3.5, f))
    joints = {"mouth": (cx, my + 1), "nose": (cx, cy + 6), "head": (cx, cy)}
    return joints, shapes


# --- Building pictures ------------------------------------------------------------------

_ZOOM_KEYS = ("zoom", "focus")


@dataclass(frozen=True)
class _Resolved:
    params: dict[str, Any]
    joints: dict[str, Point]
    figure: list[Shape]


def _resolve(spec: Mapping[str, Any]) -> _Resolved:
    view = spec.get("view", POSTURES.get(str(spec.get("base", "standing")), {}).get("view"))
    plain = {k: v for k, v in spec.items() if k not in _ZOOM_KEYS and k not in ("props", "arrows")}
    if view in ("hand", "hand_top", "face"):
        defaults = _FACE_DEFAULTS if view == "face" else _HAND_DEFAULTS
        p = dict(defaults)
        for key in plain:
            if key != "base" and key not in p:
                raise DrawingError(f"unknown {view} setting '{key}'")
        p.update(plain)
        joints, shapes = _face(p) if view == "face" else _hand_joints(p)
        return _Resolved(p, joints, shapes)
    params = resolve_pose(plain)
    joints = _place(params)
    return _Resolved(params, joints, _figure_shapes(params, joints))


def _interpolate(a: Mapping[str, Any], b: Mapping[str, Any], t: float) -> dict[str, Any]:
    out = dict(b)
    for key, value in a.items():
        other = b.get(key)
        if isinstance(value, float) and isinstance(other, float):
            out[key] = value + (other - value) * t
    out["settle"] = False
    return out


def _joint_path(start: _Resolved, end: _Resolved, joint: str, steps: int = 16) -> list[Point]:
    if start.params.get("view") in ("hand", "hand_top", "face"):
        a, b = start.joints[joint], end.joints[joint]
        return [(a[0] + (b[0] - a[0]) * i / steps, a[1] + (b[1] - a[1]) * i / steps)
                for i in range(steps + 1)]  # fmt: skip
    points = []
    for i in range(steps + 1):
        p = _interpolate(start.params, end.params, i / steps)
        points.append(_place(p)[joint])
    return points


def _trim(points: list[Point], start_frac: float, end_frac: float) -> list[Point]:
    lengths = [0.0]
    for a, b in zip(points, points[1:], strict=False):
        lengths.append(lengths[-1] + math.dist(a, b))
    total = lengths[-1]
    if total <= 1e-6:
        return points
    lo, hi = total * start_frac, total * (1 - end_frac)
    out: list[Point] = []
    for (a, b), (la, lb) in zip(
        zip(points, points[1:], strict=False), zip(lengths, lengths[1:], strict=False), strict=False
    ):
        if lb < lo or la > hi or lb == la:
            continue
        ta = max(0.0, (lo - la) / (lb - la))
        tb = min(1.0, (hi - la) / (lb - la))
        pa = (a[0] + (b[0] - a[0]) * ta, a[1] + (b[1] - a[1]) * ta)
        pb = (a[0] + (b[0] - a[0]) * tb, a[1] + (b[1] - a[1]) * tb)
        if not out:
            out.append(pa)
        out.append(pb)
    return out or points


def _arc(spec: Mapping[str, Any]) -> list[Point]:
    cx, cy, r = float(spec["cx"]), float(spec["cy"]), float(spec["r"])
    rx = float(spec.get("rx", r))
    a0, a1 = float(spec["from_deg"]), float(spec["to_deg"])
    # Degrees counted like a clock face turned: 0 = right, 90 = down.
    return [
        (
            cx + rx * math.cos(math.radians(a0 + (a1 - a0) * i / 24)),
            cy + r * math.sin(math.radians(a0 + (a1 - a0) * i / 24)),
        )
        for i in range(25)
    ]


def _arrows(specs: Iterable[Any], start: _Resolved, end: _Resolved, here: _Resolved) -> list[Shape]:
    shapes: list[Shape] = []
    for spec in specs:
        if isinstance(spec, str):
            spec = {"joint": spec}
        if "joint" in spec:
            points = _joint_path(start, end, str(spec["joint"]))
            if spec.get("reverse"):
                points.reverse()
        elif "arc" in spec:
            points = _arc(spec["arc"])
        elif "points" in spec:
            points = [_point_of(q, here.joints) for q in spec["points"]]
        else:
            raise DrawingError(f"an arrow needs 'joint', 'arc' or 'points': {spec!r}")
        dx, dy = spec.get("offset", (0.0, 0.0))
        points = [(x + float(dx), y + float(dy)) for x, y in points]
        trim = float(spec.get("trim", 0.12 if "joint" in spec else 0.0))
        points = _trim(points, trim, trim)
        if math.dist(points[0], points[-1]) < 0.5 and len(points) < 3:
            continue
        shapes.append(Arrow(tuple(points)))
        if spec.get("both"):
            shapes.append(Arrow(tuple(reversed(points))))
    return shapes


def _zoomed(shapes: list[Shape], zoom: float, focus: Point) -> list[Shape]:
    def tf(x: float, y: float) -> Point:
        return 50 + zoom * (x - focus[0]), 50 + zoom * (y - focus[1])

    out: list[Shape] = []
    for shape in shapes:
        if isinstance(shape, Line):
            clipped = _clip(tf(shape.x1, shape.y1), tf(shape.x2, shape.y2))
            if clipped:
                (x1, y1), (x2, y2) = clipped
                out.append(Line(x1, y1, x2, y2, shape.role))
        elif isinstance(shape, Circle):
            cx, cy = tf(shape.cx, shape.cy)
            r = shape.r * (zoom if shape.r > 1.0 else min(zoom, 1.8))
            if r <= cx <= BOX - r and r <= cy <= BOX - r:
                out.append(Circle(cx, cy, r, shape.role, shape.filled))
        else:
            points = [tf(x, y) for x, y in shape.points]
            if all(0 <= x <= BOX and 0 <= y <= BOX for x, y in points):
                if isinstance(shape, Arrow):
                    out.append(Arrow(tuple(points), shape.role))
                else:
                    out.append(Polyline(tuple(points), shape.role, shape.closed))
            elif isinstance(shape, Polyline):
                pairs = list(zip(points, points[1:], strict=False))
                if shape.closed:
                    pairs.append((points[-1], points[0]))
                for a, b in pairs:
                    clipped = _clip(a, b)
                    if clipped:
                        (x1, y1), (x2, y2) = clipped
                        out.append(Line(x1, y1, x2, y2, shape.role))
    return out


def _clip(a: Point, b: Point) -> tuple[Point, Point] | None:
    """Liang-Barsky clipping of a segment to the box."""
    x1, y1 = a
    dx, dy = b[0] - x1, b[1] - y1
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x1), (dx, BOX - x1), (-dy, y1), (dy, BOX - y1)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    return (x1 + t0 * dx, y1 + t0 * dy), (x1 + t1 * dx, y1 + t1 * dy)


def _picture(
    spec: Mapping[str, Any],
    shared: Mapping[str, Any],
    here: _Resolved,
    start: _Resolved,
    end: _Resolved,
) -> Picture:
    view = here.params.get("view")
    behind: list[Shape] = []
    front: list[Shape] = []
    prop_specs = list(shared.get("props", [])) + list(spec.get("props", []))
    for prop in prop_specs:
        kind = str(prop.get("kind"))
        maker = PROPS.get(kind)
        if maker is None:
            raise DrawingError(f"unknown prop '{kind}'")
        (behind if kind in _BEHIND or prop.get("behind") else front).extend(
            maker(prop, here.joints)
        )
    ground: list[Shape] = []
    if view not in ("hand", "hand_top", "face") and not shared.get("no_ground"):
        ground.append(Line(2.0, GROUND_Y, 98.0, GROUND_Y, Role.GROUND))
    arrows = _arrows(spec.get("arrows", []), start, end, here)
    shapes = ground + behind + here.figure + front + arrows
    zoom = float(shared.get("zoom", spec.get("zoom", 1.0)))
    focus = _point_of(shared.get("focus", spec.get("focus", [50, 50])), here.joints)
    # Zooming also clips whatever reaches out of the box (a forearm, a long band).
    shapes = _zoomed(shapes, zoom, focus if zoom != 1.0 else (50.0, 50.0))
    return Picture(tuple(shapes))


def build_drawing(key: str, entry: Mapping[str, Any]) -> ExerciseDrawing:
    """One drawing from its pose-file entry (see resources/illustrations/FORMAT.md)."""
    try:
        start_spec, end_spec = entry["start"], entry["end"]
    except KeyError as missing:
        raise DrawingError(f"{key}: needs a [{key}.{missing.args[0]}] pose") from None
    try:
        shared_view = {k: entry[k] for k in ("view", "base") if k in entry}
        start_spec = {**shared_view, **start_spec}
        end_spec = {**shared_view, **end_spec}
        start, end = _resolve(start_spec), _resolve(end_spec)
        return ExerciseDrawing(
            key=key,
            start=_picture(start_spec, entry, start, start, end),
            end=_picture(end_spec, entry, end, start, end),
        )
    except (DrawingError, KeyError, TypeError, ValueError) as problem:
        raise DrawingError(f"{key}: {problem}") from None


@cache
def _entries() -> dict[str, Mapping[str, Any]]:
    entries: dict[str, Mapping[str, Any]] = {}
    folder = resource("illustrations")
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        for key, entry in data.items():
            if key in entries:
                raise DrawingError(f"{path.name}: drawing '{key}' is defined twice")
            if isinstance(entry, dict):
                entries[key] = entry
    return entries


def drawing_keys() -> frozenset[str]:
    """Every illustration key that has a drawing."""
    return frozenset(_entries())


@cache
def drawing(key: str) -> ExerciseDrawing | None:
    """The start and end pictures for an illustration key; None when there is none."""
    entry = _entries().get(key)
    if entry is None:
        return None
    return build_drawing(key, entry)
