"""Issue 16 point 8: the optimiser view before it runs (neutral, not "nobody covered"),
the chosen stations named beside their rings and on hover, and a curve axis from 0."""

from __future__ import annotations

from pathlib import Path

import pytest
from _workshop_fixtures import open_in_window

pytestmark = pytest.mark.gui


def test_before_a_run_the_map_is_neutral_not_uncovered(qtbot, sample_read) -> None:
    from desktop_app.ui import palette
    from desktop_app.ui.optimiser_view import NOT_RUN_COLOUR, NOT_RUN_TITLE, OptimiserView
    from desktop_app.ui.state import AppState
    from desktop_app.ui.undo import WeightSetStore, WorkshopUndo

    state = AppState()
    undo = WorkshopUndo(state, WeightSetStore(state))
    view = OptimiserView(state, undo, run_task=lambda *a, **k: None)
    qtbot.addWidget(view)
    state.set_read_result(sample_read)  # the workbook is read; coverage not computed yet
    colours = set(view.map.area_colours())
    assert colours == {NOT_RUN_COLOUR}  # grey, never the "60+ / none" band
    assert palette.minute_bands(20).colours[-1] not in colours  # the "60+ / none" band of a 20-minute target
    heading = view.map.legend.items[0][1].text
    assert NOT_RUN_TITLE in heading  # the key says why it is grey


def test_after_a_run_stations_are_named_and_the_axis_starts_at_zero(qtbot, tmp_path: Path, sample_copy: Path,
                                                                     monkeypatch) -> None:
    window, workshop = open_in_window(qtbot, tmp_path, sample_copy, monkeypatch)
    view = workshop.optimiser
    # with coverage computed, the map shows the baseline's response bands, not grey
    assert len(set(view.map.area_colours())) > 1
    view.posts.setValue(2)
    with qtbot.waitSignal(view.optimised, timeout=60_000):
        view.run()
    sites = view.chosen_sites()
    names = dict(zip(window.state.inputs.sites["site_id"], window.state.inputs.sites["site_name"], strict=True))
    assert [t.toPlainText() for t in view.station_labels] == [names[s] for s in sites]
    ring_points = view._rings.points()
    assert [p.data() for p in ring_points] == [names[s] for s in sites]  # the rings' hover text
    assert view._rings.opts["tip"](0, 0, ring_points[0].data()).startswith(names[sites[0]])
    (y0, y1), = [view.curve.getPlotItem().getViewBox().viewRange()[1]]
    assert y0 == pytest.approx(0.0)
    assert y1 >= 100 * max(p.value for p in view.result.curve)
    # fewer posts: fewer names
    view.select_posts(1)
    assert [t.toPlainText() for t in view.station_labels] == [names[s] for s in view.chosen_sites()]
