"""The outcome chart: its points, the meaningful-change band, tooltips and summary."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from therapy_desk.library.catalogue import MeasureSpec, measures
from ui.widgets.measure_chart import MeasureChart, change_band, threshold_label


@pytest.fixture
def chart(qtbot: QtBot) -> MeasureChart:
    widget = MeasureChart()
    qtbot.addWidget(widget)
    widget.resize(widget.sizeHint())
    return widget


def spec(code: str) -> MeasureSpec:
    return measures()[code]


def _colour_count(chart: MeasureChart) -> int:
    image = chart.grab().toImage()
    return len(
        {image.pixel(x, y) for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)}
    )


WALK = [(date(2024, 1, 5), 14.5), (date(2025, 3, 1), 13.9), (date(2026, 10, 2), 12.4)]


def test_empty_series_says_so(chart: MeasureChart) -> None:
    chart.set_series(spec("t25fw"), [])
    assert chart.point_count() == 0
    assert chart.band() is None
    assert chart.accessibleDescription() == "No results yet for Timed 25-Foot Walk"
    assert not chart.grab().toImage().isNull()
    assert _colour_count(chart) > 2  # the centred message


def test_one_point_shows_the_point_and_its_band(chart: MeasureChart) -> None:
    chart.set_series(spec("bbs"), [(date(2026, 10, 1), 48.0)])
    assert chart.point_count() == 1
    band = chart.band()
    assert band is not None and (band.low, band.high) == (45.0, 51.0)
    assert chart.accessibleDescription() == "1 result on 1 Oct 2026: 48 points"
    assert "First result" in chart.point_tooltip(0)
    assert _colour_count(chart) > 5


def test_many_points_summary_and_name(chart: MeasureChart) -> None:
    chart.set_series(spec("t25fw"), list(reversed(WALK)), title="T25FW — Zoë")
    assert chart.point_count() == 3
    assert chart.accessibleName() == "T25FW — Zoë"
    assert chart.accessibleDescription() == (
        "3 results from 5 Jan 2024 to 2 Oct 2026; latest 12.4 s, better than the first by "
        "2.1 s (within measurement error)"
    )
    assert _colour_count(chart) > 10


def test_points_are_drawn_left_to_right_by_date(chart: MeasureChart) -> None:
    chart.set_series(spec("t25fw"), list(reversed(WALK)))
    xs = [chart.point_position(i).x() for i in range(3)]
    assert xs == sorted(xs)
    # Lower is better here, and 12.4 s sits below 14.5 s on the screen.
    assert chart.point_position(2).y() > chart.point_position(0).y()


def test_percent_band_and_meaningful_points(chart: MeasureChart) -> None:
    points = [(date(2024, 1, 5), 10.0), (date(2024, 6, 1), 8.5), (date(2025, 1, 1), 7.9)]
    chart.set_series(spec("t25fw"), points)
    band = chart.band()
    assert band is not None
    assert band.low == pytest.approx(8.0) and band.high == pytest.approx(12.0)
    assert band.text == "±20% of the first result"
    assert [chart.is_meaningful(i) for i in range(3)] == [False, False, True]
    assert chart.point_tooltip(2) == (
        "1 Jan 2025\n7.9 s\nBetter than the first by 2.1 s (-21%)\nBeyond measurement error"
    )


def test_points_band(chart: MeasureChart) -> None:
    chart.set_series(spec("msws12"), [(date(2025, 1, 1), 50.0), (date(2025, 6, 1), 60.0)])
    band = chart.band()
    assert band is not None and (band.low, band.high) == (42.0, 58.0)
    assert chart.is_meaningful(1)
    assert "worse than the first by 10.0 points" in chart.accessibleDescription()


def test_improve_and_decline_band_follow_the_better_direction() -> None:
    six = spec("6mwt")  # higher is better: +19.7 m improve, -7.2 m decline
    band = change_band(six, 300.0)
    assert band.low == pytest.approx(292.8) and band.high == pytest.approx(319.7)
    assert band.text == "better by 19.7 m, worse by 7.2 m"


def test_improve_and_decline_points(chart: MeasureChart) -> None:
    points = [
        (date(2025, 2, 3), 310.0),
        (date(2025, 4, 1), 322.0),  # +12: within the improvement threshold
        (date(2025, 6, 1), 301.0),  # -9: beyond the decline threshold
        (date(2025, 9, 1), 331.0),  # +21: beyond the improvement threshold
    ]
    chart.set_series(spec("6mwt"), points)
    assert [chart.is_meaningful(i) for i in range(4)] == [False, False, True, True]
    assert "Worse than the first by 9 m" in chart.point_tooltip(2)


def test_ordinal_scale_uses_grade_labels(chart: MeasureChart) -> None:
    ashworth = spec("mas")  # grades 0, 1, 1+, 2, 3, 4
    points = [(date(2025, 3, 3), 3.0), (date(2025, 5, 5), 2.0), (date(2025, 11, 1), 1.0)]
    chart.set_series(ashworth, points)
    labels = [label for _, label in chart._y_ticks(200.0, chart.fontMetrics())]
    assert labels == ["0", "1", "1+", "2", "3", "4"]
    assert chart.point_tooltip(1).splitlines()[:3] == [
        "5 May 2025",
        "grade 1+",
        "Better than the first by 1 grade",
    ]
    assert (
        "latest grade 1, better than the first by 2 grades (a meaningful change). "
        "Threshold provisional: No MS figure" in chart.accessibleDescription()
    )
    assert _colour_count(chart) > 10


def test_tooltip_event_shows_the_point(chart: MeasureChart) -> None:
    chart.set_series(spec("t25fw"), WALK)
    chart.show()
    where = chart.point_position(1).toPoint()
    QApplication.sendEvent(
        chart, QHelpEvent(QHelpEvent.Type.ToolTip, where, chart.mapToGlobal(where))
    )
    assert QToolTip.text().startswith("1 Mar 2025\n13.9 s")
    QToolTip.hideText()
    assert chart.point_at(chart.point_position(1)) == 1


@pytest.mark.parametrize("code", sorted(measures()))
def test_every_catalogue_measure_draws(chart: MeasureChart, code: str) -> None:
    measure = spec(code)
    low, high = measure.min, measure.max
    points = [
        (date(2023, 1, 1), low + (high - low) * 0.3),
        (date(2024, 7, 1), low + (high - low) * 0.5),
        (date(2026, 1, 1), low + (high - low) * 0.4),
    ]
    if measure.is_ordinal:
        points = [(day, float(round(value))) for day, value in points]
    chart.set_series(measure, points)
    chart.resize(320, 200)
    assert _colour_count(chart) > 5
    assert chart.accessibleDescription().startswith("3 results")


def _legend_texts(chart: MeasureChart) -> list[str]:
    rows = chart._legend_rows(chart.fontMetrics())
    return [text for row in rows for _, text, _ in row]


def test_tug_band_is_per_direction_percent(chart: MeasureChart) -> None:
    tug = spec("tug")  # lower is better: 23% faster, 31% slower (Nilsagård 2007)
    band = change_band(tug, 20.0)
    assert band.low == pytest.approx(15.4) and band.high == pytest.approx(26.2)
    assert band.text == "better by 23%, worse by 31% of the first result"
    points = [
        (date(2025, 1, 6), 20.0),
        (date(2025, 3, 3), 16.0),  # -20%: within the improvement threshold
        (date(2025, 6, 2), 15.2),  # -24%: beyond it
        (date(2025, 9, 1), 25.0),  # +25%: within the decline threshold
        (date(2025, 12, 1), 26.4),  # +32%: beyond it
    ]
    chart.set_series(tug, points)
    assert [chart.is_meaningful(i) for i in range(5)] == [False, False, True, False, True]
    assert "(+32%)" in chart.point_tooltip(4)


def test_legend_names_the_kind_of_threshold(chart: MeasureChart) -> None:
    chart.set_series(spec("mfis"), [(date(2025, 1, 1), 40.0), (date(2025, 6, 1), 35.0)])
    assert "Minimal important change: ±4 points" in _legend_texts(chart)
    chart.set_series(spec("mfis_physical"), [(date(2025, 1, 1), 20.0)])
    assert "Smallest real change: ±9.9 points" in _legend_texts(chart)


def test_provisional_threshold_is_said_on_the_chart(chart: MeasureChart) -> None:
    grip = spec("grip")
    chart.set_series(grip, [(date(2025, 1, 1), 20.0), (date(2025, 6, 1), 24.0)])
    chart.resize(900, 320)
    texts = _legend_texts(chart)
    assert threshold_label(grip) == "Minimal important change (provisional)"
    assert "Minimal important change (provisional): ±6.5 kg" in texts
    assert chart.notes() == [f"Threshold provisional: {grip.provisional_reason}"]
    assert (
        " ".join(t for t in texts if not t.startswith(("Meaning", "Within", "Minimal")))
        == (chart.notes()[0])
    )
    assert "Threshold provisional" in chart.accessibleDescription()
    chart.set_series(spec("6mwt"), [(date(2025, 1, 1), 300.0)])
    assert chart.notes() == []
    assert not any("provisional" in text for text in _legend_texts(chart))


def test_berg_at_56_shows_the_ceiling_note(chart: MeasureChart) -> None:
    berg = spec("bbs")
    chart.set_series(berg, [(date(2025, 1, 1), 52.0), (date(2025, 6, 1), 55.0)])
    assert chart.notes() == []
    chart.set_series(berg, [(date(2025, 1, 1), 52.0), (date(2025, 6, 1), 56.0)])
    assert chart.notes() == [berg.ceiling_note]
    assert berg.ceiling_note.startswith("At 56, the top of the scale")
    assert berg.ceiling_note in chart.accessibleDescription()
    chart.resize(700, 360)
    assert _legend_texts(chart)[3].startswith("At 56")
    with_note = _colour_count(chart)
    assert with_note > 10


def test_a_long_note_wraps_within_the_width(chart: MeasureChart) -> None:
    chart.set_series(spec("bbs"), [(date(2025, 1, 1), 56.0)])
    chart.resize(360, 320)
    metrics = chart.fontMetrics()
    rows = chart._legend_rows(metrics)
    note_rows = [row for row in rows if row[0][0] in ("note", "more")]
    assert len(note_rows) > 1
    assert all(metrics.horizontalAdvance(row[0][1]) <= chart.width() for row in note_rows)


def test_catalogue_browser_measure_view_shows_kind_provisional_and_ceiling(qtbot: QtBot) -> None:
    from ui.dialogs.measure_catalogue import MeasureCatalogue, measure_html

    browser = MeasureCatalogue(code="grip")
    qtbot.addWidget(browser)
    assert browser.current() is spec("grip")
    text = browser.details.toPlainText()
    assert "6.5 kg either way (minimal important change (provisional))" in text
    assert "Provisional: No MS figure" in text
    labels = [browser.list.item(row).text() for row in range(browser.list.count())]
    assert len(labels) == len(measures())
    assert "Grip strength (dynamometer)  ·  provisional threshold" in labels
    assert "Timed Up and Go" in labels
    tug = measure_html(spec("tug"))
    assert "23% better or 31% worse (smallest real change)" in tug
    assert "Provisional" not in tug
    berg = measure_html(spec("bbs"))
    assert "a result at or below 44" in berg and "Ceiling:</b> At 56" in berg
    assert "Rooney" in measure_html(spec("mfis")) and "minimal important change" in (
        measure_html(spec("mfis"))
    )
    assert "smallest real change" in measure_html(spec("mfis_physical"))
