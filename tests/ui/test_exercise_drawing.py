"""The drawing widget paints both pictures, or says there is no drawing."""

from PySide6.QtGui import QColor, QImage

from therapy_desk.library.drawings import drawing
from ui.widgets.exercise_drawing import NO_DRAWING, ExerciseDrawingWidget, render_png


def _dark_pixels(image: QImage) -> int:
    background = image.pixelColor(0, 0).lightness()
    count = 0
    for x in range(0, image.width(), 3):
        for y in range(0, image.height(), 3):
            if abs(QColor(image.pixelColor(x, y)).lightness() - background) > 60:
                count += 1
    return count


def test_widget_shows_a_drawing(qtbot) -> None:
    widget = ExerciseDrawingWidget()
    qtbot.addWidget(widget)
    widget.resize(440, 250)
    widget.set_drawing(drawing("sit-to-stand"), "Sit to stand")
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.accessibleName() == "Drawing of Sit to stand: start and end positions"
    assert _dark_pixels(widget.grab().toImage()) > 100


def test_widget_without_a_drawing_says_so(qtbot) -> None:
    widget = ExerciseDrawingWidget()
    qtbot.addWidget(widget)
    widget.resize(440, 250)
    widget.set_drawing(None, "My own exercise")
    assert widget.drawing() is None
    assert widget.accessibleDescription() == NO_DRAWING
    widget.show()
    qtbot.waitExposed(widget)
    # Only a line of text: far fewer marks than a drawing.
    assert 0 < _dark_pixels(widget.grab().toImage()) < 100


def test_render_png(tmp_path) -> None:
    path = tmp_path / "bridging.png"
    result = drawing("bridging")
    assert result is not None
    render_png(result, path, 300)
    image = QImage(str(path))
    assert image.width() == 300 and _dark_pixels(image) > 50
