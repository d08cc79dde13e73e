"""The app's issue-14 views: value functions, scenarios, parameter sensitivity (tornado), equality.

Hand-worked values in the comments; the sample's figures come from the run the window
made, so each view is checked against the core result it shows.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

import openpyxl
import pyqtgraph as pg
import pytest
from _workshop_fixtures import load, make_window, open_in_window, wait_idle
from PySide6.QtWidgets import QMessageBox, QTableWidgetItem

from desktop_app.core.added_option import optimiser_option
from desktop_app.core.appraisal.equality import widest_gap
from desktop_app.core.appraisal.what_if import WeightsChoice, parameter_words, rerun
from desktop_app.core.export.workbook import build_summary_bytes
from desktop_app.core.session.undo import AddScoredOption
from desktop_app.ui import loading
from desktop_app.ui.value_function_view import value_point_edits

pytestmark = pytest.mark.gui


@pytest.fixture()
def loaded(qtbot, tmp_path: Path, sample_copy: Path, monkeypatch: pytest.MonkeyPatch):
    return open_in_window(qtbot, tmp_path, sample_copy, monkeypatch)


def _type_points(view, points) -> None:
    view.points.setRowCount(len(points))
    for r, (x, v) in enumerate(points):
        view.points.setItem(r, 0, QTableWidgetItem(str(x)))
        view.points.setItem(r, 1, QTableWidgetItem(str(v)))


def test_value_function_is_drawn_edited_undone_and_recorded(loaded, qtbot, monkeypatch) -> None:
    window, workshop = loaded
    state, view = window.state, window.what_if.value_functions
    window.show_view("value_functions")
    view.select("C3")
    # without value points: the scale's straight line, 70 minutes scores 0 and 30 scores 100
    assert view.current_points("C3") == ((30.0, 100.0), (70.0, 0.0))
    assert "straight line" in view.summary.text()
    assert state.appraisal.values.loc["OPT1", "C3"] == pytest.approx(66.0)  # (70 - 43.6) / 40 x 100
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: warned.append(a[2])))
    # a bad table is refused with the reason, and changes nothing
    _type_points(view, [(30, 100), (30, 60)])
    view.rationale.setPlainText("why")
    view.apply_form()
    assert warned and "larger than the one before" in warned[-1] and state.workshop.value_points == {}
    # rows typed in any order are sorted by x: 30 -> 100, 50 -> 60, 70 -> 0
    _type_points(view, [(70, 0), (30, 100), (50, 60)])
    view.rationale.setPlainText("The first minutes saved matter most")
    view.apply_form()
    assert state.workshop.value_points == {"C3": (((30.0, 100.0), (50.0, 60.0), (70.0, 0.0)),
                                                   "The first minutes saved matter most")}
    # OPT1's 43.6 min now scores 100 - (13.6 / 20) x 40 = 72.8
    assert state.appraisal.values.loc["OPT1", "C3"] == pytest.approx(72.8)
    qtbot.waitUntil(lambda: "set in the workshop" in view.summary.text(), timeout=5_000)  # redrawn when idle
    assert view.criteria.currentItem().text().endswith("(set in the workshop)")
    # one undo step puts the straight line back; redo brings the points again
    assert workshop.undo.stack.undoText() == "value function of 90th percentile response time"  # C3, by name
    # drawn in words: the axis names the measure with its unit, the options by name, no codes
    plot = view.chart.getPlotItem()
    assert plot.getAxis("bottom").labelText == "90th percentile time to the first free armed unit (minutes)"
    # every name whole, on up to two lines of 26 characters ("Hybrid: three armed" /
    # "stations + neighbour cover"): the sample's longest, 46 characters, needs no "…"
    labels = sorted(t.toPlainText() for t in view._labels)
    assert sorted(t.replace("\n", " ") for t in labels) == sorted(state.option_names().values())
    assert all(len(line) <= 26 for t in labels for line in t.split("\n"))
    assert view.criteria.currentItem().text() == "90th percentile response time  (set in the workshop)"
    # a share is drawn in percent: C1's scale runs 0.6 to 0.8, so the squares sit at 60 and 80
    view.select("C1")
    assert plot.getAxis("bottom").labelText == "Threat covered within 20 minutes (allowing for busy units) (%)"
    squares = [i for i in plot.items if isinstance(i, pg.ScatterPlotItem) and i.opts["symbol"] == "s"]
    assert squares[0].getData()[0].tolist() == pytest.approx([60.0, 80.0])
    assert "60% scores 0; 80% scores 100" in view.summary.text()
    assert view.points.horizontalHeaderItem(0).text() == "Measure value (a share: 0.6 = 60%)"
    assert view.points.item(0, 0).text() == "0.6"  # the table keeps the workbook's own number
    workshop.undo.stack.undo()
    assert state.workshop.value_points == {} and state.appraisal.values.loc["OPT1", "C3"] == pytest.approx(66.0)
    workshop.undo.stack.redo()
    assert state.appraisal.values.loc["OPT1", "C3"] == pytest.approx(72.8)

    # recorded in the session file, with the workbook's (none) beside it
    session = workshop.sessions.current_session()
    assert [e.to_json() for e in session.value_point_edits] == [{
        "criterion_id": "C3", "original": None, "points": [[30.0, 100.0], [50.0, 60.0], [70.0, 0.0]],
        "rationale": "The first minutes saved matter most"}]
    # and in the export: scored with the points, listed on the Summary sheet, shown on Criteria
    out = loading.run_for_export(state.run, [], None, {}, value_point_edits=value_point_edits(state))
    assert out.appraisal.values.loc["OPT1", "C3"] == pytest.approx(72.8)
    book = openpyxl.load_workbook(io.BytesIO(build_summary_bytes(out)), read_only=True)
    summary_text = " ".join(str(c) for row in book["Summary"].iter_rows(values_only=True) for c in row if c)
    assert "Value functions set in the workshop" in summary_text
    assert "from the straight line from worst to best to 30:100; 50:60; 70:0: The first minutes" in summary_text


def test_value_function_survives_a_saved_session(qtbot, tmp_path: Path, sample_copy: Path, monkeypatch) -> None:
    window, workshop = make_window(qtbot, tmp_path / "a")
    load(qtbot, window, sample_copy)
    assert window.what_if.value_functions.set_points("C1", ((0.6, 0.0), (0.7, 80.0), (0.8, 100.0)), "steep first")
    target = tmp_path / "s.armedsession.json"
    assert workshop.sessions.save_to(target)
    window2, workshop2 = make_window(qtbot, tmp_path / "b")
    with qtbot.waitSignal(workshop2.sessions.session_restored, timeout=60_000):
        assert workshop2.sessions.open_session(target)
    assert window2.state.workshop.value_points["C1"] == (((0.6, 0.0), (0.7, 80.0), (0.8, 100.0)), "steep first")
    # OPT1's threat cover 0.7749: between 0.7 (80) and 0.8 (100): 80 + 0.749 x 20 = 94.98
    tc = window2.state.coverage.measures.at["OPT1", "threat_coverage"]
    assert window2.state.appraisal.values.loc["OPT1", "C1"] == pytest.approx(80 + (tc - 0.7) / 0.1 * 20)


def test_scenarios_table_and_a_rerun_under_the_current_weights(loaded, qtbot) -> None:
    window, workshop = loaded
    state, view = window.state, window.what_if.scenarios
    window.show_view("scenarios")
    run = state.run
    assert [view.selector.itemText(i) for i in range(view.selector.count())] == ["SEVERE threat level",
                                                                                "15-minute target"]
    severe = run.scenarios["SEVERE threat level"].appraisal
    assert view.cell("OPT2", "SEVERE threat level") == f"{float(severe.totals['OPT2']):.1f}   (rank {int(severe.ranks['OPT2'])})"
    assert view.cell("OPT0", "As the workbook stands").endswith(f"(rank {int(run.appraisal.ranks['OPT0'])})")
    # the chosen scenario's key measures: the workbook's value -> the scenario's
    view.selector.setCurrentText("SEVERE threat level")
    tc0 = run.coverage.measures.at["OPT0", "threat_coverage"]
    tc1 = run.scenarios["SEVERE threat level"].measures.at["OPT0", "threat_coverage"]
    assert view.measures.item(0, 0).text() == f"{tc0:.1%} → {tc1:.1%}"
    # the scenario's changes in words: the sample's SEVERE row sets the threat level and both busy fractions
    assert html.unescape(view.overrides_label.text()) == (  # rich text: the apostrophes are escaped
        "<b>SEVERE threat level</b>: the national threat level set to SEVERE (a label: it changes no figure); the ARV crews' busy fraction set "
        "to 0.45; the armed response officers' busy fraction set to 0.45. Key measures as the workbook stands "
        "→ in this scenario:")

    # move a weight, re-run through the window's task runner (not the GUI thread)
    assert not view.stale_banner.isVisibleTo(view) and not view.stale_banner.dimmed
    state.set_weight("C5", 40.0)
    qtbot.waitUntil(lambda: view.stale_banner.isVisibleTo(view), timeout=5_000)
    # said once, in the bar: the paragraph had repeated it word for word
    assert "have changed since" not in view.summary.text()
    # out of date: an amber bar above the summary, with its own re-run button, and the figures dimmed
    # (a facilitator had missed the one sentence at the end of the grey paragraph)
    assert view.stale_banner.isVisibleTo(view) and view.stale_banner.dimmed
    assert "Out of date." in view.stale_banner.message.text()
    with qtbot.waitSignal(view.rerun_finished, timeout=120_000):
        view.stale_banner.button.click()
        task = view.task
        assert task is window.task and window.busy()
    weights = dict(state.weights)
    # the same re-run by hand: the scenario's overrides applied, under the sliders' weights through the tree
    by_hand = rerun(run.inputs, run.inputs.scenario("15-minute target"),
                    WeightsChoice(weights, state.weights_name(), True)).appraisal
    assert view.cell("OPT3", "15-minute target") == (
        f"{float(by_hand.totals['OPT3']):.1f}   (rank {int(by_hand.ranks['OPT3'])})")
    assert view.reruns is not None and "Weights set in the workshop" in view.summary.text()
    assert "have changed since" not in view.summary.text()
    assert not view.stale_banner.isVisibleTo(view) and not view.stale_banner.dimmed

    # a moved branch slider changes the ranking too: the re-runs are stale, and the next
    # one ranks with the branch weights on the sliders (they had been left out of both)
    state.workshop.set_group_weight("Costs", 60.0)
    qtbot.waitUntil(lambda: view.stale_banner.isVisibleTo(view), timeout=5_000)
    with qtbot.waitSignal(view.rerun_finished, timeout=120_000):
        view.rerun()
    groups = dict(state.workshop.group_weights)
    assert groups["Costs"] == 60.0
    by_hand = rerun(run.inputs, run.inputs.scenario("15-minute target"),
                    WeightsChoice(weights, state.weights_name(), True, groups)).appraisal
    assert view.cell("OPT3", "15-minute target") == (
        f"{float(by_hand.totals['OPT3']):.1f}   (rank {int(by_hand.ranks['OPT3'])})")
    sheet_branches = rerun(run.inputs, run.inputs.scenario("15-minute target"),
                           WeightsChoice(weights, state.weights_name(), True)).appraisal
    assert float(by_hand.totals["OPT3"]) != pytest.approx(float(sheet_branches.totals["OPT3"]), abs=0.05)
    assert "have changed since" not in view.summary.text()


def test_an_option_added_and_scored_in_the_room_puts_the_reruns_out_of_date(loaded, qtbot) -> None:
    """An optimiser option scored in the room: the scenario re-runs (the run's own, made with
    the option but without the room's scores, which are judgement edits) show it awaiting
    scores, and the amber bar says they are out of date until re-run, once, not again in the
    paragraph; re-run, the option is ranked in every scenario."""
    window, workshop = loaded
    state, view = window.state, window.what_if.scenarios
    window.show_view("scenarios")
    opt = workshop.optimiser
    opt.posts.setValue(1)
    with qtbot.waitSignal(opt.optimised, timeout=60_000):
        opt.run()
    wait_idle(qtbot, window)
    scores = {c: (100.0, "test") for c in ("C7", "C8", "C9")}
    assert opt.add_as_option(one_off_cost_gbp=0.0, annual_cost_gbp=0.0, scores=scores) is not None
    qtbot.waitUntil(lambda: "OPT_ARO1" in state.option_ids() and "OPT_ARO1" in state.appraisal.totals.index,
                    timeout=60_000)
    qtbot.waitUntil(lambda: view.stale_banner.isVisibleTo(view), timeout=5_000)
    assert view.cell("OPT_ARO1", "SEVERE threat level") == "awaiting scores"
    assert "have changed since" not in view.summary.text()  # said in the bar only
    with qtbot.waitSignal(view.rerun_finished, timeout=120_000):
        view.stale_banner.button.click()
    assert not view.stale_banner.isVisibleTo(view)
    assert "rank" in view.cell("OPT_ARO1", "SEVERE threat level")


def test_scenario_rerun_can_be_cancelled(loaded, qtbot) -> None:
    window, _ = loaded
    view = window.what_if.scenarios
    task = view.rerun()
    with qtbot.waitSignal(task.cancelled, timeout=120_000):
        task.cancel()
    wait_idle(qtbot, window)
    assert view.reruns is None  # the run's own scenarios still shown


def test_tornado_shows_the_top_two_and_the_lines_in_words(loaded, qtbot) -> None:
    window, _ = loaded
    state, view = window.state, window.what_if.tornado
    window.show_view("tornado")
    swings = state.run.parameter_sensitivity
    names = state.option_names()
    assert view.sentences() == [s.sentence(parameter_words(s.parameter, names), names) for s in swings]
    assert "the armed response officers' busy fraction" in view.lines.text()
    # options by name, never by code: the sample's top stays Extra ARV crew (OPT2) throughout,
    # and its fourth and fifth rows are costs of OPT3 and OPT4
    assert "The top option stays Extra ARV crew (peak hours) for" in view.lines.text()
    assert "New rural ARV base at Fellbeck's one-off cost" in view.lines.text()
    assert "OPT" not in view.lines.text()
    assert not view.stale_banner.isVisibleTo(view)
    state.set_weight("C5", 40.0)  # the sensitivity's re-runs are then under weights nobody holds
    qtbot.waitUntil(lambda: view.stale_banner.isVisibleTo(view), timeout=5_000)
    assert view.stale_banner.dimmed
    state.set_weight("C5", float(state.workbook_weights()["C5"]))  # back: current again
    qtbot.waitUntil(lambda: not view.stale_banner.isVisibleTo(view), timeout=5_000)
    assert not view.stale_banner.dimmed
    ticks = [t for chart in view.charts for _, t in chart.getPlotItem().getAxis("left")._tickLevels[0]]
    assert "One-off cost: New rural A…  £700k–£1,500k" in ticks and not any("OPT" in t for t in ticks)
    order = state.run.appraisal.totals.sort_values(ascending=False).index[:2]
    for chart, oid in zip(view.charts, order, strict=True):
        title = chart.getPlotItem().titleLabel.text
        assert state.option_names()[oid] in title
        # two half-bars per Uncertainty row, one line as the workbook stands
        bars = [i for i in chart.getPlotItem().items if type(i).__name__ == "BarGraphItem"]
        assert len(bars) == 2 * len(swings)


def test_equality_table_chart_and_widest_gap(loaded, qtbot) -> None:
    window, _ = loaded
    state, view = window.state, window.what_if.equality
    window.show_view("equality")
    breakdown = state.run.equality
    assert view.column.currentText() == "IMD decile" and view.column.currentData() == "imd_decile"
    groups = list(breakdown["imd_decile"])
    assert groups[:3] == ["1", "2", "3"] and groups[-1] == "10"  # number order, not text order
    for r, g in enumerate(groups):
        for c, o in enumerate(state.option_ids()):
            assert view.table.item(r, c).text() == f"{breakdown['imd_decile'][g][o]:.0%}"
    gap = widest_gap(breakdown, state.appraisal.top_option)
    top_name = state.option_names()[gap.option_id]
    assert gap.sentence(f"{top_name} (the top option)") in view.summary.text()
    # in words, never codes: the sample's top (OPT2) by name, deciles with which end is which
    assert view.summary.text().startswith("Under Extra ARV crew (peak hours) (the top option) the widest gap by "
                                          "IMD decile is between IMD decile 10 (least deprived)")
    assert "imd_decile" not in view.summary.text() and "OPT" not in view.summary.text()
    headers = [view.table.verticalHeaderItem(r).text() for r in range(view.table.rowCount())]
    assert headers[0] == "1 (most deprived)" and headers[-1] == "10 (least deprived)"  # "IMD decile" in the selector
    columns = [view.table.horizontalHeaderItem(c).text() for c in range(view.table.columnCount())]
    # names wrapped at 11 characters, three lines at most: every word whole
    assert columns[0] == "Do minimum" and columns[2] == "Extra ARV\ncrew (peak\nhours)"
    assert columns[5] == "Hybrid:\nthree armed\nstations…"
    assert view.chart.getPlotItem().getAxis("bottom").labelText == "IMD decile (1 = most deprived, 10 = least deprived)"
    lines = [i for i in view.chart.getPlotItem().items if type(i).__name__ == "PlotDataItem"]
    assert len(lines) == len(state.option_ids())


def test_an_option_awaiting_scores_is_marked_on_the_what_if_views(loaded, qtbot) -> None:
    window, workshop = loaded
    state = window.state
    site = str(state.inputs.sites.query("site_type == 'POLICE_STATION'")["site_id"].iloc[0])
    spec = optimiser_option([site], "ARMED_RESPONSE_OFFICER", "OPT_NEW", "New post")
    workshop.undo.push(AddScoredOption(spec, {}))
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "OPT_NEW" in state.coverage.measures.index, timeout=60_000)
    what_if = window.what_if
    for view in (what_if.scenarios, what_if.tornado, what_if.equality):
        view.refresh()
    assert what_if.scenarios.cell("OPT_NEW", "SEVERE threat level") == "awaiting scores"
    assert what_if.scenarios.cell("OPT_NEW", "As the workbook stands") == "awaiting scores"
    assert "Awaiting scores" in what_if.scenarios.summary.text()
    assert "Awaiting scores" in what_if.tornado.summary.text()
    headers = [what_if.equality.table.horizontalHeaderItem(c).text() for c in range(what_if.equality.table.columnCount())]
    assert "New post\n(awaiting scores)" in headers  # the added option by its name
