"""The body map shades the right places, says what they are, and paints something."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QHelpEvent, QImage
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from therapy_desk.domain.vocabulary import Cause, Region, Side
from therapy_desk.services.body_map import RegionShade
from ui.widgets.body_map import BodyMapWidget


@dataclass(frozen=True)
class Finding:
    region: Region
    side: Side
    cause: Cause
    strength_grade: int | None = None
    resolved_on: date | None = None


CLIENT = [
    Finding(Region.KNEE, Side.LEFT, Cause.NERVE_DAMAGE, 3),
    Finding(Region.ANKLE_FOOT, Side.LEFT, Cause.NERVE_DAMAGE, 2),
    Finding(Region.HIP, Side.BOTH, Cause.DECONDITIONING, 4),
    Finding(Region.ARM, Side.RIGHT, Cause.MIXED),
    Finding(Region.TRUNK, Side.NONE, Cause.UNKNOWN),
    Finding(Region.WRIST_HAND, Side.RIGHT, Cause.NERVE_DAMAGE, resolved_on=date(2026, 1, 5)),
]


@pytest.fixture
def body_map(qtbot: QtBot) -> BodyMapWidget:
    widget = BodyMapWidget()
    qtbot.addWidget(widget)
    widget.resize(widget.sizeHint())
    widget.set_findings(CLIENT)
    return widget


def test_shades_land_where_expected(body_map: BodyMapWidget) -> None:
    assert body_map.shade_at(Region.KNEE, Side.LEFT) is RegionShade.NERVE_DAMAGE
    assert body_map.shade_at(Region.KNEE, Side.RIGHT) is None
    assert body_map.shade_at(Region.HIP, Side.LEFT) is RegionShade.DISUSE
    assert body_map.shade_at(Region.HIP, Side.RIGHT) is RegionShade.DISUSE
    assert body_map.shade_at(Region.ARM, Side.RIGHT) is RegionShade.MIXED
    assert body_map.shade_at(Region.TRUNK, Side.NONE) is RegionShade.UNKNOWN
    # An unsided trunk finding shows on both halves of the trunk.
    assert body_map.shade_at(Region.TRUNK, Side.LEFT) is RegionShade.UNKNOWN
    assert body_map.shade_at(Region.WRIST_HAND, Side.RIGHT) is None  # resolved


def test_client_right_is_on_the_viewers_left(body_map: BodyMapWidget) -> None:
    right = body_map.region_centre(Region.KNEE, Side.RIGHT)
    left = body_map.region_centre(Region.KNEE, Side.LEFT)
    assert right.x() < body_map.width() / 2 < left.x()
    assert body_map.part_at(left) == (Region.KNEE, Side.LEFT)
    assert body_map.part_at(QPointF(1, 1)) is None


def test_every_region_and_side_can_be_pointed_at(body_map: BodyMapWidget) -> None:
    for region in Region:
        for side in (Side.RIGHT, Side.LEFT):
            assert body_map.part_at(body_map.region_centre(region, side)) == (region, side)


def test_tooltip_describes_the_region_under_the_pointer(body_map: BodyMapWidget) -> None:
    assert body_map.tooltip_for(Region.KNEE, Side.LEFT) == (
        "Left thigh and knee: nerve damage, grade 3"
    )
    assert body_map.tooltip_for(Region.KNEE, Side.RIGHT) == (
        "Right thigh and knee: no open finding"
    )
    assert body_map.tooltip_for(Region.TRUNK, Side.RIGHT) == "Trunk and core: source not yet known"
    body_map.show()
    where = body_map.region_centre(Region.KNEE, Side.LEFT).toPoint()
    event = QHelpEvent(QHelpEvent.Type.ToolTip, where, body_map.mapToGlobal(where))
    QApplication.sendEvent(body_map, event)
    assert QToolTip.text() == "Left thigh and knee: nerve damage, grade 3"
    QToolTip.hideText()


def test_accessible_name_and_description(body_map: BodyMapWidget) -> None:
    assert body_map.accessibleName() == "Body map"
    description = body_map.accessibleDescription()
    assert "Left thigh and knee: nerve damage, grade 3" in description
    assert "Right hip and buttock: disuse" in description
    assert "wrist" not in description.lower()
    body_map.set_findings([])
    assert body_map.accessibleDescription() == "No open weakness findings."


def _colours(image: QImage) -> set[int]:
    return {
        image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
    }


def test_paints_the_figure_and_its_shades(body_map: BodyMapWidget) -> None:
    image = body_map.grab().toImage()
    assert len(_colours(image)) > 10
    # The shaded left knee is tinted orange, the unshaded right knee is not.
    left = image.pixelColor(body_map.region_centre(Region.KNEE, Side.LEFT).toPoint())
    right = image.pixelColor(body_map.region_centre(Region.KNEE, Side.RIGHT).toPoint())
    background = body_map.palette().color(body_map.backgroundRole())
    assert left != background
    assert right.red() == right.green() == right.blue() or right == background
    assert _is_orangeish(left)


def _is_orangeish(colour: QColor) -> bool:
    return colour.red() > colour.blue() + 30


def test_scales_with_the_widget(body_map: BodyMapWidget) -> None:
    small = body_map.region_centre(Region.FACE, Side.LEFT)
    body_map.resize(520, 840)
    large = body_map.region_centre(Region.FACE, Side.LEFT)
    assert large.y() > small.y() or large.x() > small.x()
    body_map.resize(600, 400)  # wide: the legend moves beside the figure
    assert not body_map.grab().toImage().isNull()
    assert body_map.part_at(body_map.region_centre(Region.HIP, Side.RIGHT)) == (
        Region.HIP,
        Side.RIGHT,
    )
