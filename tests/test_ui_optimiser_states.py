"""Issue 16 point 8: the optimiser view before it runs (neutral, not "nobody covered"),
the chosen stations named beside their rings and on hover, and a curve axis from 0."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from _workshop_fixtures import open_in_window
from PySide6.QtCore import QRectF

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
    # the empty curve's axes are the answer's: 0-100% covered, 0 to the posts asked for (the
    # spin box's 1..30; here its default), never pyqtgraph's 0-1 read as "0.1 to 0.9 %"
    (x0, x1), (y0, y1) = view.curve.getPlotItem().viewRange()
    assert (y0, y1) == (0.0, 100.0)
    assert (x0, x1) == pytest.approx((-0.3, view.posts.value() + 0.3))


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


@pytest.mark.parametrize("posts", [4, 8])
def test_the_chosen_stations_names_never_overlap_each_other_or_leave_the_map(qtbot, tmp_path: Path,
                                                                             sample_copy: Path, monkeypatch,
                                                                             posts: int) -> None:
    window, workshop = open_in_window(qtbot, tmp_path, sample_copy, monkeypatch)
    window.resize(1366, 768)
    window.show_view("optimiser")
    view = workshop.optimiser
    view.posts.setValue(posts)
    with qtbot.waitSignal(view.optimised, timeout=60_000):
        view.run()
    qtbot.wait(100)  # the placement after the map's layout settles
    view.map.grab()  # paint once: text items bring their transforms up to date in paint
    labels = [t.sceneBoundingRect() for t in view.station_labels]
    assert len(labels) == len(set(view.chosen_sites())) >= 3  # several stations were chosen
    vb = view.map.getPlotItem().getViewBox()
    rings = [vb.mapViewToScene(p.pos()) for p in view._rings.points()]
    for i, rect in enumerate(labels):
        assert vb.sceneBoundingRect().contains(rect), view.station_labels[i].toPlainText()  # whole, on the map
        for j in range(i + 1, len(labels)):
            assert not rect.intersects(labels[j]), (view.station_labels[i].toPlainText(),
                                                    view.station_labels[j].toPlainText())
        for centre in rings:  # nor over any ring (size 30: a 15 px radius)
            ring = QRectF(centre.x() - 15, centre.y() - 15, 30, 30)
            assert not rect.intersects(ring), view.station_labels[i].toPlainText()


def _view_read(qtbot, sample_read):
    """An optimiser view of its own on the sample, read but not yet computed or run."""
    from desktop_app.ui.optimiser_view import OptimiserView
    from desktop_app.ui.state import AppState
    from desktop_app.ui.undo import WeightSetStore, WorkshopUndo

    state = AppState()
    view = OptimiserView(state, WorkshopUndo(state, WeightSetStore(state)), run_task=lambda *a, **k: None)
    qtbot.addWidget(view)
    state.set_read_result(sample_read)
    return view


def test_before_a_run_the_curve_has_whole_posts_and_no_click_hint(qtbot, sample_read) -> None:
    view = _view_read(qtbot, sample_read)
    view.posts.setValue(3)
    # ticks 0, 1, 2, 3 (whole posts), not pyqtgraph's 0.5, 1.5, ...; the axis follows the spin box
    ticks = view.curve.getPlotItem().getAxis("bottom")._tickLevels
    assert [v for v, _ in ticks[0]] == [0.0, 1.0, 2.0, 3.0]
    assert view.curve.getPlotItem().viewRange()[0] == pytest.approx([-0.3, 3.3])
    assert view.hint.isHidden()  # "click a point on the curve" with no curve to click


def test_changing_a_setting_clears_the_answer_it_no_longer_fits(qtbot, tmp_path: Path, sample_copy: Path,
                                                                 monkeypatch) -> None:
    from desktop_app.ui.optimiser_view import SETTINGS_CHANGED

    _window, workshop = open_in_window(qtbot, tmp_path, sample_copy, monkeypatch)
    view = workshop.optimiser
    view.posts.setValue(2)
    with qtbot.waitSignal(view.optimised, timeout=60_000):
        view.run()
    assert view.add_button.isEnabled() and view.result.measure == "threat_coverage"
    assert not view.hint.isHidden()
    # the room switches to the all-free measure: the busy-unit answer must not stay on show
    view.measure.setCurrentIndex(view.measure.findData("threat_coverage_all_free"))
    assert view.result is None
    assert not view.add_button.isEnabled()  # nothing to add until it is solved again
    assert view.summary.text() == SETTINGS_CHANGED
    assert view._rings is None and view.station_labels == []
    assert len(set(view.map.area_colours())) > 1  # back to the baseline's bands
    # ... in minutes, as the all-free measure counts units (every unit free)
    assert view.map._legend_key[1] == "Baseline:<br>median minutes<br>if all units free"
    # solved again, for the new measure
    with qtbot.waitSignal(view.optimised, timeout=60_000):
        view.run()
    assert view.result.measure == "threat_coverage_all_free" and view.add_button.isEnabled()
    assert view.map._legend_key[1] == "Baseline + 2 posts:<br>median minutes<br>if all units free"
    assert np.isnan(view._chance).all()  # the tooltips give minutes only


def test_an_answer_to_settings_changed_while_solving_is_not_shown(qtbot, sample_read) -> None:
    from desktop_app.core.optimiser.milp import optimise_curve
    from desktop_app.ui.optimiser_view import SETTINGS_CHANGED

    view = _view_read(qtbot, sample_read)
    view.posts.setValue(2)
    answer = optimise_curve(sample_read.inputs, 2, "ARMED_RESPONSE_OFFICER", "POLICE_STATION", "threat_coverage")
    view.posts.setValue(3)  # changed while the solve for 2 was running
    view._on_result(answer)
    assert view.result is None and not view.add_button.isEnabled()
    assert view.summary.text() == SETTINGS_CHANGED
    view.posts.setValue(2)
    view._on_result(answer)  # the settings it answers: shown
    assert view.result is answer
