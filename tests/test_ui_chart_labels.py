"""Issue 16 point 4: chart labels never overlap each other, markers or the frontier line.

The geometry is checked as a user would see it: each label's rectangle in scene pixels
(``sceneBoundingRect``), each marker's disc as its bounding square in scene pixels, and
the frontier line walked in half-pixel steps, on the sample and on crowded made-up
options (the names from the issue), at a laptop and at a small projector size.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from PySide6.QtCore import QPointF, QRectF  # noqa: E402

from desktop_app.ui.label_placement import (  # noqa: E402
    choose_label_spots,
    segment_crosses_box,
    stack_line_labels,
)

#: Marker radius on screen: the scatter's 14 px diameter halved plus half its 2.5 px pen.
MARKER_RADIUS_PX = 8.0


# ------------------------------------------------------------------ pure geometry
def test_a_segment_through_a_box_crosses_it_and_one_beside_it_does_not() -> None:
    box = (0.0, 0.0, 2.0, 1.0)
    assert segment_crosses_box((-1.0, 0.5, 3.0, 0.5), box)  # straight through the middle
    assert segment_crosses_box((1.0, 0.5, 5.0, 9.0), box)  # starts inside
    assert not segment_crosses_box((-1.0, 2.0, 3.0, 2.0), box)  # passes above (y 2 > top 1)
    assert not segment_crosses_box((-1.0, 1.0, 3.0, 1.0), box)  # runs along the top edge: touching
    # the diagonal from (-1, -1) to (0.5, 3): at x 0 it is at y 1.67, above the box; it
    # enters x 0..0.5 only above y 1.67, so it misses
    assert not segment_crosses_box((-1.0, -1.0, 0.5, 3.0), box)


def test_a_label_moves_off_the_frontier_line() -> None:
    # One point at (0, 0), label 2 x 1, marker 0.5: the right spot is x 0.5..2.5, y -0.5..0.5.
    # A frontier segment from (1, -5) to (1, 5) cuts it (x = 1), and the spots above and
    # below too (x -0.5..1.5); the right spot raised by one height (y 0.5..1.5) is cut as
    # well, so the first clear spot is left of the marker: x -2.5..-0.5, anchor (1, 0.5).
    spots = choose_label_spots([0.0], [0.0], [(2.0, 1.0)], [0], (0.5, 0.5), (-10, -10, 10, 10),
                               segments=[(1.0, -5.0, 1.0, 5.0)])
    assert spots == {0: ((1, 0.5), (-0.5, 0.0))}


def test_line_labels_stack_in_rows_and_flip_at_the_right_edge() -> None:
    # Lines at 30, 32 and 60 with labels 10 wide in a chart to 100: 30 takes row 0
    # (30..40); 32 would overlap it there (32..42), so row 1; 60 is clear on row 0.
    # A line at 95 would end at 105 > 100: it flips left (85..95), clear on row 0.
    assert stack_line_labels([30, 32, 60, 95], [10, 10, 10, 10], 100) == [
        (0, False), (1, False), (0, False), (0, True)]
    # A reserved span on row 0 from 0 to 35 pushes the line at 30 to row 1, and 32 to row 2.
    assert stack_line_labels([30, 32], [10, 10], 100, reserved=[(0, 35, 0)]) == [(1, False), (2, False)]


# ------------------------------------------------------------------ on screen
def _scene_marker_rects(chart) -> list[QRectF]:
    vb = chart.getPlotItem().getViewBox()
    rects = []
    for spot in chart.points.points():
        c = vb.mapViewToScene(QPointF(spot.pos().x(), spot.pos().y()))
        rects.append(QRectF(c.x() - MARKER_RADIUS_PX, c.y() - MARKER_RADIUS_PX,
                            2 * MARKER_RADIUS_PX, 2 * MARKER_RADIUS_PX))
    return rects


def _frontier_scene_points(chart) -> list[QPointF]:
    """The frontier line walked in half-pixel steps, in scene pixels."""
    vb = chart.getPlotItem().getViewBox()
    xs, ys = chart.frontier.getData()
    if xs is None or len(xs) < 2:
        return []
    corners = [vb.mapViewToScene(QPointF(float(x), float(y))) for x, y in zip(xs, ys, strict=True)]
    walked = []
    for a, b in zip(corners, corners[1:], strict=False):
        n = max(2, int(np.hypot(b.x() - a.x(), b.y() - a.y()) * 2))
        walked += [QPointF(a.x() + (b.x() - a.x()) * t, a.y() + (b.y() - a.y()) * t) for t in np.linspace(0, 1, n)]
    return walked


def assert_vfm_labels_clear(chart, n: int) -> None:
    chart.grab()  # paint once, as the screen would: text items bring their transforms up to date in paint
    labels = [t.sceneBoundingRect() for t in chart.labels[:n]]
    markers = _scene_marker_rects(chart)
    line = _frontier_scene_points(chart)
    view = chart.getPlotItem().getViewBox().sceneBoundingRect()
    names = [t.toPlainText() for t in chart.labels[:n]]
    for i, rect in enumerate(labels):
        assert view.contains(rect), f"{names[i]!r} leaves the chart"
        for j in range(i + 1, n):
            assert not rect.intersects(labels[j]), f"{names[i]!r} overlaps {names[j]!r}"
        for j, marker in enumerate(markers):
            assert not rect.intersects(marker), f"{names[i]!r} covers the marker of option {j}"
        # a pixel inside the label's edge, so a line passing along the edge is not "through" it
        inner = rect.adjusted(1, 1, -1, -1)
        assert not any(inner.contains(p) for p in line), f"{names[i]!r} lies on the frontier line"


CROWDED_NAMES = {
    "BASE": "Do minimum", "ARO": "Arm rural response officers", "ARV": "Extra ARV crew (peak hours)",
    "HYB": "2. Hybrid: three armed stations + rural AROs", "NBR": "Neighbour force cover",
    "TWO": "Two more ARV crews", "ADD": "Baseline + 3 optimised ARO posts",
}


def crowded_state(totals: list[float], costs_m: list[float]) -> SimpleNamespace:
    ids = list(CROWDED_NAMES)[: len(totals)]
    return SimpleNamespace(
        # the chart plots benefit value (here equal to the totals given)
        appraisal=SimpleNamespace(totals=pd.Series(totals, index=ids), benefit_value=pd.Series(totals, index=ids)),
        coverage=SimpleNamespace(measures=pd.DataFrame({"whole_life_cost_gbp": [c * 1e6 for c in costs_m]},
                                                       index=ids)),
        option_names=lambda: CROWDED_NAMES,
        option_ids=lambda: ids,
    )


@pytest.mark.parametrize("size", [(760, 420), (560, 300)])
def test_crowded_vfm_labels_clear_each_other_markers_and_the_frontier(qtbot, size) -> None:
    """Options a few £10k and points apart, the frontier running through the cluster."""
    from desktop_app.ui.vfm_chart import VfmChart

    # frontier (cost up, value up): BASE 10.0/40, NBR 10.2/45, ARO 10.4/52, ARV 10.5/53, HYB 11.2/60;
    # TWO (10.6/50) and ADD (10.45/47) are dominated and sit just under the line
    state = crowded_state([40, 52, 53, 60, 45, 50, 47], [10.0, 10.4, 10.5, 11.2, 10.2, 10.6, 10.45])
    chart = VfmChart()
    qtbot.addWidget(chart)
    chart.resize(*size)
    chart.show()
    qtbot.waitExposed(chart)
    chart.update_from(state)
    qtbot.wait(50)
    assert chart.frontier_ids == ["BASE", "NBR", "ARO", "ARV", "HYB"]
    assert_vfm_labels_clear(chart, 7)


def test_sample_vfm_labels_clear_in_the_appraisal_view(qtbot, sample_read, sample_run) -> None:
    from desktop_app.ui.appraisal_view import AppraisalView
    from desktop_app.ui.state import AppState

    state = AppState()
    view = AppraisalView(state)
    qtbot.addWidget(view)
    view.resize(1340, 640)
    view.show()
    state.set_read_result(sample_read)
    state.set_run(sample_run)
    view.show_tab("Value for money")
    qtbot.wait(80)
    n = len(state.appraisal.totals)
    assert n >= 5
    assert_vfm_labels_clear(view.vfm_chart, n)


def _switch_state(points: list[float], current: float) -> SimpleNamespace:
    """A sensitivity run with switch points at ``points`` (weights 0-1)."""
    ids = ["A", "B", "C", "D", "E"]
    names = {"A": "Arm rural response officers", "B": "Extra ARV crew (peak hours)",
             "C": "Hybrid: three armed stations", "D": "Neighbour force cover", "E": "Two more ARV crews"}
    x = np.linspace(0, 1, 21)
    totals = pd.DataFrame({o: 40 + 10 * np.sin(x * (k + 1)) for k, o in enumerate(ids)}, index=x)
    sens = SimpleNamespace(criterion_id="C1", switch_points=points, totals=totals, x=x, current_weight=current,
                           top_options=ids[: len(points) + 1])
    app = SimpleNamespace(sensitivity=[sens], top_option="A")
    return SimpleNamespace(appraisal=app, option_names=lambda: names, option_ids=lambda: ids,
                           criterion_names=lambda: {"C1": "Threat covered within 20 minutes"})


@pytest.mark.parametrize("size", [(760, 380), (520, 300)])
def test_switch_point_labels_never_overlap(qtbot, size) -> None:
    from desktop_app.ui.appraisal_charts import SensitivityChart

    chart = SensitivityChart()
    qtbot.addWidget(chart)
    chart.resize(*size)
    chart.show()
    qtbot.waitExposed(chart)
    # four switch points within 6 points of one another, "current" among them, one at the right edge
    chart.update_from(_switch_state([0.30, 0.32, 0.34, 0.97], 0.31), "C1")
    qtbot.wait(50)
    chart.grab()  # paint once: text items bring their transforms up to date in paint
    labels = [chart.current_label, *chart.switch_labels]
    assert len(labels) == 5 and all(t.isVisible() for t in labels)
    rects = [t.sceneBoundingRect() for t in labels]
    view = chart.getPlotItem().getViewBox().sceneBoundingRect()
    for i, rect in enumerate(rects):
        assert view.left() <= rect.left() and rect.right() <= view.right(), labels[i].toPlainText()
        for j in range(i + 1, len(rects)):
            assert not rect.intersects(rects[j]), (labels[i].toPlainText(), labels[j].toPlainText())
    # moving to another set of switch points re-stacks (pooled labels are reused)
    chart.update_from(_switch_state([0.5], 0.52), "C1")
    qtbot.wait(20)
    chart.grab()
    assert len(chart.switch_labels) == 1 and not chart._label_pool[1].isVisible()
    a, b = chart.current_label.sceneBoundingRect(), chart.switch_labels[0].sceneBoundingRect()
    assert not a.intersects(b)


def test_axis_titles_keep_their_own_units_without_an_automatic_prefix(qtbot) -> None:
    """A version-1 force's costs under £1m plotted in £m (0.1 to 0.8) had the cost axis read
    "Discounted whole-life cost (£m) (x0.001)" with ticks 100 to 800: pyqtgraph's own prefix."""
    from desktop_app.ui.charts import make_plot

    plot = make_plot("t", left="Value (0-100)", bottom="Discounted whole-life cost (£m)")
    qtbot.addWidget(plot)
    plot.resize(600, 400)
    plot.getPlotItem().plot([0.0, 0.2, 0.59], [91.0, 58.0, 23.7])
    plot.show()
    qtbot.wait(50)
    axis = plot.getPlotItem().getAxis("bottom")
    assert axis.autoSIPrefixScale == 1.0 and "x0.001" not in axis.labelString()
    assert "(£m)" in axis.labelString()
