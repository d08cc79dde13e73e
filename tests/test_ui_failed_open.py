"""A failed open after a good one: no figure of the previous force stays on screen or exportable.

Walks every view of the full app (as the composition root builds it) after the sample was
appraised, optimised and presented, and a broken workbook then failed to open.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from _workshop_fixtures import load, make_window, wait_idle
from PySide6.QtWidgets import QMessageBox

pytestmark = pytest.mark.gui


@pytest.fixture()
def broken(tmp_path: Path, sample_path: Path) -> Path:
    """The sample with its Sites sheet renamed away: the workbook cannot be appraised."""
    import openpyxl

    folder = tmp_path / "broken"
    folder.mkdir()
    for f in sample_path.parent.iterdir():
        if f.suffix.lower() in (".xlsx", ".csv", ".gpkg"):
            shutil.copy2(f, folder / f.name)
    path = folder / "broken force.xlsx"
    book = openpyxl.load_workbook(folder / sample_path.name)
    book["Sites"].title = "Old sites"
    book.save(path)
    return path


def test_a_failed_open_after_a_good_one_leaves_no_stale_figure(qtbot, tmp_path: Path, sample_copy: Path,
                                                               broken: Path, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))
    window, workshop = make_window(qtbot, tmp_path / "app")
    load(qtbot, window, sample_copy)
    # Fill every view with the sample's figures: an optimiser answer, workshop mode on show.
    view = workshop.optimiser
    view.posts.setValue(2)
    with qtbot.waitSignal(view.optimised, timeout=60_000):
        view.run()
    wait_idle(qtbot, window)
    simulation = window.views["simulation"]
    simulation.years.setValue(1)
    simulation.replications.setValue(3)
    with qtbot.waitSignal(simulation.simulated, timeout=60_000):
        simulation.run()
    wait_idle(qtbot, window)
    assert simulation.result is not None and simulation.table.rowCount() == 6  # the sample's six options
    pres = workshop.enter_workshop_mode()
    qtbot.waitUntil(pres.isVisible)
    assert pres.pages.currentWidget() is not pres.empty and pres.vfm.isVisible()  # the sample's figures
    results = [k for k in window.views if k != "data"]
    assert results == ["coverage", "appraisal", "weight_sets", "judgements", "optimiser", "value_functions",
                       "scenarios", "tornado", "equality", "simulation"]
    for key in results:
        assert window.empty_state(key) is None, key  # the sample's figures are showing
    assert window.export_chart_action.isEnabled()

    # The broken workbook fails to open: the state drops every result at once...
    with qtbot.waitSignal(window.load_finished, timeout=60_000) as blocker:
        window.open_workbook(broken)
    assert blocker.args == [False]
    state = window.state
    assert state.run is None and state.appraisal is None and state.coverage is None
    assert state.weight_sets == [] and state.extra_options == [] and state.judgement_overrides == {}

    # ...and every view that shows results says why it is empty instead of showing them.
    window.show_view("data")
    assert window.data_view.findings_model.findings()[0].level == "error"  # the new workbook's findings
    for key in results:
        window.show_view(key)
        text = window.empty_state(key)
        assert text is not None and broken.name in text and "Data view" in text, (key, text)
        assert not window.views[key].isVisible(), key  # the view (with any old figure) is not on screen
        assert not window.export_chart_action.isEnabled(), key  # nor exportable as a chart
    assert not window.export_action.isEnabled()
    # the header names the broken file and no weights; nothing names the sample's force
    assert not window.header.weights.isVisible()
    assert window.header.title.text() == "broken force.xlsx"
    assert "validation errors" in window.header.detail()
    assert "Borderdale" not in window.header.title.text() + window.windowTitle()
    # the optimiser's answer and workshop mode hold nothing of the sample either
    assert view.result is None and "Fellbeck" not in view.summary.text()
    assert not pres._rank_bars and pres._vfm_labels == [] and pres.options_layout.count() == 0
    assert pres.rows == {} and pres.set_label.text() == "Weights: Workbook weights"
    assert pres.title.text() == "Workshop"
    # workshop mode, still on the projector, says why it is empty instead of showing bare axes
    assert pres.pages.currentWidget() is pres.empty and pres.empty.isVisible()
    assert broken.name in pres.empty.text() and "Data view" in pres.empty.text()
    assert not pres.vfm.isVisible() and not pres.ranking.isVisible() and not pres.weights_scroll.isVisible()
    # the simulation's answer for the sample is gone, not merely hidden
    assert simulation.result is None and simulation.table.rowCount() == 0
    assert simulation.chart.getPlotItem().listDataItems() == []

    # A good workbook again: the figures come back.
    load(qtbot, window, sample_copy)
    for key in results:
        assert window.empty_state(key) is None, key
    window.show_view("appraisal")
    assert window.export_chart_action.isEnabled()
    assert pres.pages.currentWidget() is not pres.empty and pres.title.text() == "Borderdale Police"
    workshop.leave_workshop_mode()
