"""Point-label placement shared by both value-for-money charts: hand-worked geometry,
and the Appraisal chart's labels kept apart when options are close together."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

pytest.importorskip("PySide6")

from desktop_app.ui.label_placement import choose_label_spots  # noqa: E402

WIDE = (-10.0, -10.0, 10.0, 10.0)


def test_a_lone_label_sits_right_of_its_point() -> None:
    spots = choose_label_spots([1.0], [2.0], [(3.0, 1.0)], [0], (0.5, 0.5), WIDE)
    assert spots == {0: ((0, 0.5), (1.5, 2.0))}


def test_a_label_that_would_cover_the_next_point_moves_above_its_own() -> None:
    # A at (0, 0), B at (1.5, 0); labels 2 x 1, markers 1 x 1. A's label to the right
    # would span x 0.5-2.5 and cover B's marker (x 1-2), so it goes above A instead
    # (box -0.5..1.5 by 0.5..1.5, touching B's marker top at y 0.5 but not overlapping).
    # B's label then has the right of B to itself.
    spots = choose_label_spots([0.0, 1.5], [0.0, 0.0], [(2.0, 1.0), (2.0, 1.0)], [0, 1], (0.5, 0.5), WIDE)
    assert spots[0] == ((0, 1), (-0.5, 0.5))
    assert spots[1] == ((0, 0.5), (2.0, 0.0))


def test_a_label_near_the_right_edge_goes_left_of_its_point() -> None:
    # Point (9, 5) in a 0-10 chart; a 3-wide label to the right, above or below would
    # cross x = 10, so it goes left: right edge at 8.5, anchored by its right middle.
    spots = choose_label_spots([9.0], [5.0], [(3.0, 1.0)], [0], (0.5, 0.5), (0.0, 0.0, 10.0, 10.0))
    assert spots == {0: ((1, 0.5), (8.5, 5.0))}


def test_a_long_name_mid_map_is_centred_above_rather_than_run_off_an_edge() -> None:
    # Chart 0-10 wide; a point at x = 5 with a label 7 wide and a marker 0.5 across:
    # right spans 5.5-12.5, left -2.5-4.5, the left-aligned spots above and below 4.5-11.5
    # and the far corners -1.5-5.5: all leave the chart. Centred above, 1.5-8.5, fits.
    spots = choose_label_spots([5.0], [5.0], [(7.0, 1.0)], [0], (0.5, 0.5), (0.0, 0.0, 10.0, 10.0))
    assert spots[0] == ((0.5, 1), (5.0, 5.5))


def test_the_first_placed_label_keeps_its_spot() -> None:
    # Two points at the same place: the first in the order gets the right, the second
    # must avoid that label and takes the next free candidate (above).
    spots = choose_label_spots([0.0, 0.0], [0.0, 0.0], [(2.0, 1.0)] * 2, [1, 0], (0.5, 0.5), WIDE)
    assert spots[1][0] == (0, 0.5)
    assert spots[0][0] != (0, 0.5)


def _boxes_apart(a, b) -> bool:
    return not a.intersects(b)


@pytest.mark.gui
def test_appraisal_vfm_labels_do_not_overlap_when_options_are_close(qtbot) -> None:
    """A and B are £10k and 0.3 points apart: labels pinned to their points would overlap."""
    from desktop_app.ui.vfm_chart import VfmChart

    ids = ["A", "B", "C"]
    names = {"A": "Arm rural response officers", "B": "Two more ARV crews", "C": "Neighbour force cover"}
    state = SimpleNamespace(
        # the chart plots benefit value against cost: here the same figures as the totals
        appraisal=SimpleNamespace(totals=pd.Series([50.0, 50.3, 45.0], index=ids),
                                  benefit_value=pd.Series([50.0, 50.3, 45.0], index=ids)),
        coverage=SimpleNamespace(measures=pd.DataFrame({"whole_life_cost_gbp": [10.00e6, 10.01e6, 10.10e6]},
                                                       index=ids)),
        option_names=lambda: names,
        option_ids=lambda: ids,
    )
    chart = VfmChart()
    qtbot.addWidget(chart)
    chart.resize(760, 420)
    chart.show()
    qtbot.waitExposed(chart)
    chart.update_from(state)
    qtbot.wait(50)
    rects = [t.sceneBoundingRect() for t in chart.labels[:3]]
    view = chart.getPlotItem().getViewBox().sceneBoundingRect()
    for i in range(3):
        assert view.contains(rects[i]), f"label {i} leaves the chart"
        for j in range(i + 1, 3):
            assert _boxes_apart(rects[i], rects[j]), f"labels {i} and {j} overlap"


def test_where_no_placement_is_clear_the_labels_that_would_overprint_are_hidden(qtbot) -> None:
    """Seven options crowded into a small chart (the facilitator's seventh option, at 1366 px,
    had "Hybrid" printed across "Arm rural response officers"): when no placement is clear,
    the most valuable options keep their labels and any label that would still overprint a
    kept one, or stand on another's marker, is hidden (the key names every marker)."""
    import numpy as np
    import pyqtgraph as pg

    from desktop_app.ui import workshop_labels

    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(300, 200)
    xs = np.array([1.0, 1.05, 1.1, 1.15, 1.2, 1.25, 1.3])  # seven markers nearly on top of each other
    ys = np.array([50.0, 50.5, 51.0, 50.2, 50.8, 50.4, 50.6])
    labels = [pg.TextItem("") for _ in xs]
    for lab in labels:
        plot.addItem(lab)
    texts = [f"A long option name number {k}" for k in range(7)]
    order = list(np.argsort(-ys, kind="stable"))
    bounds = (0.9, 49.0, 1.6, 52.0)
    units = ((bounds[2] - bounds[0]) / 300, (bounds[3] - bounds[1]) / 200)
    clear = workshop_labels.place(labels, texts, [False] * 7, xs, ys, order, [], units=units, marker_px=12,
                                  bounds=bounds)
    assert not clear
    shown = [k for k in range(7) if labels[k].isVisible()]
    assert 0 < len(shown) < 7
    assert order[0] in shown  # the most valuable keeps its label
    sizes = [(lab.boundingRect().width() * units[0], lab.boundingRect().height() * units[1]) for lab in labels]
    spots = {k: ((labels[k].anchor[0], labels[k].anchor[1]), (labels[k].pos().x(), labels[k].pos().y()))
             for k in range(7)}
    boxes = workshop_labels._boxes(labels, spots, sizes)
    for a in shown:
        for b in shown:
            assert a == b or not workshop_labels._clash(boxes[a], boxes[b]), (a, b)
