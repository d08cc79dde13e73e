"""The Appraisal view: a slider move re-ranks (checked against hand arithmetic), the
weights panel shows normalised shares, and the charts agree with the numbers."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from desktop_app.core.appraisal.value_for_money import efficient_frontier  # noqa: E402
from desktop_app.ui.appraisal_view import AppraisalView  # noqa: E402
from desktop_app.ui.state import AppState  # noqa: E402
from desktop_app.ui.weights_panel import slider_maximum  # noqa: E402


@pytest.fixture(scope="module")
def loaded(sample_read, sample_run):
    """The sample force, read and appraised once per test session (tests/conftest.py)."""
    return sample_read, sample_run


@pytest.fixture()
def view(qtbot, loaded) -> AppraisalView:
    rr, run = loaded
    state = AppState()
    v = AppraisalView(state)
    qtbot.addWidget(v)
    v.resize(1300, 620)
    v.show()
    state.set_read_result(rr)
    state.set_run(run)
    return v


def expected_order(values: np.ndarray, raw: np.ndarray, option_ids: list[str], model=None) -> list[str]:
    """Options best first under raw weights, by hand: totals = values . w (w through the value tree, if any)."""
    totals = values @ (model.effective_weights(raw) if model is not None else raw / raw.sum())
    return [option_ids[i] for i in sorted(range(len(option_ids)), key=lambda i: (-totals[i], i))]


def test_moving_a_slider_re_ranks_the_options(qtbot, view: AppraisalView, loaded) -> None:
    _rr, run = loaded
    model = run.value_model
    ids, cids = model.option_ids, model.criterion_ids
    raw = model.raw_weights.astype(float)
    before = expected_order(model.values, raw, ids, model)
    assert view.ranking_table.order == before
    assert view.ranking_chart.order == before
    # Find a criterion whose slider, pushed to either end, changes which option comes top. Under
    # the sample's value tree a criterion's slider moves its share within its branch only, so
    # pushing one up rarely overturns the top option (OPT2), but taking whole-life cost (C5) to
    # 0 does: the dearer new rural base (OPT3) then comes top.
    top_end = slider_maximum(list(raw))
    for end, k in [(e, k) for e in (top_end, 0) for k in range(len(cids))]:
        moved = raw.copy()
        moved[k] = end
        after = expected_order(model.values, moved, ids, model)
        if after[0] != before[0]:
            top_end = end
            break
    else:  # pragma: no cover - the sample force is built to be sensitive
        pytest.fail("no single weight changes the top option in the sample force")
    cid = cids[k]
    row = view.weights.rows[cid]
    row.slider.setFocus()
    row.slider.setValue(top_end)  # what a drag or the End key does
    assert view.state.weights[cid] == top_end
    assert view.ranking_table.order == after
    assert view.ranking_chart.order == after
    assert view.ranking_table.item(0, 1).text() == view.state.option_names()[after[0]]
    totals = model.values @ model.effective_weights(moved)  # the sample has a value tree
    assert view.ranking_table.item(0, 2).text() == f"{totals[ids.index(after[0])]:.1f}"
    # The spin box followed the slider and the % is the new normalised share (through the tree).
    assert row.spin.value() == top_end
    assert row.percent.text() == f"{model.effective_weights(moved)[k]:.0%}"


def test_spin_box_sets_the_weight_and_reset_restores_the_workbook(view: AppraisalView, loaded) -> None:
    _rr, run = loaded
    cid = run.value_model.criterion_ids[0]
    row = view.weights.rows[cid]
    row.spin.setValue(0.0)
    assert view.state.weights[cid] == 0.0
    assert row.percent.text() == "0%"
    assert row.slider.value() == 0
    view.weights.reset_button.click()
    assert view.state.weights == view.state.workbook_weights()


def test_group_headings_show_group_shares(view: AppraisalView, loaded) -> None:
    rr, _run = loaded
    # the sample has a value tree: a branch's share is its CriteriaGroups weight over their sum
    # (Response 45, Costs 20, Community 15, Workforce 10, Policing model 10, of 100)
    groups = rr.inputs.criteria_groups
    total = groups["weight"].sum()
    assert set(view.weights.branch_rows) == set(groups["group"])
    for group, row in view.weights.branch_rows.items():
        share = float(groups.loc[groups["group"] == group, "weight"].sum()) / total
        assert row.share.text() == f"{share:.0%}", (group, row.share.text())
    assert view.weights.branch_rows["Response"].share.text() == "45%"


def test_stacked_bars_add_up_to_the_totals(view: AppraisalView) -> None:
    app = view.state.appraisal
    chart = view.ranking_chart
    n = len(chart.order)
    right_edge = np.zeros(n)
    for bar in chart.bars.values():
        right_edge = np.maximum(right_edge, np.asarray(bar.opts["x0"]) + np.asarray(bar.opts["width"]))
    expected = app.totals.loc[chart.order].to_numpy()
    assert np.allclose(right_edge, expected)


def test_weight_setter_hook_routes_slider_edits(view: AppraisalView) -> None:
    seen: list[tuple[str, float]] = []
    view.weights.weight_setter = lambda cid, value: seen.append((cid, value))
    cid = next(iter(view.weights.rows))
    view.weights.rows[cid].slider.setValue(33)
    assert seen == [(cid, 33.0)]
    assert view.state.weights[cid] != 33.0  # the hook decides; nothing applied behind its back


def test_sensitivity_follows_the_criterion_last_moved(view: AppraisalView, loaded) -> None:
    _rr, run = loaded
    cid = run.value_model.criterion_ids[3]
    view.show_tab("Sensitivity")
    view.weights.rows[cid].slider.setValue(20)
    assert view.criterion_combo.currentData() == cid
    assert view.sensitivity_chart.criterion_id == cid
    sens = next(s for s in view.state.appraisal.sensitivity if s.criterion_id == cid)
    w = np.array([view.state.weights[c] for c in run.value_model.criterion_ids], dtype=float)
    now = run.value_model.effective_weights(w)[3]  # through the sample's value tree
    assert sens.current_weight == pytest.approx(now)
    assert view.sensitivity_chart.current.value() == pytest.approx(100 * now)
    assert len(view.sensitivity_chart.switch_lines) == len(sens.switch_points)


def test_robustness_heat_map_shows_rank_acceptability(view: AppraisalView, loaded) -> None:
    _rr, run = loaded
    view.show_tab("Robustness")
    chart = view.robustness_chart
    ra = run.appraisal.robustness.rank_acceptability
    assert chart.matrix.shape == ra.shape
    assert np.allclose(chart.matrix.sum(axis=1), 1.0)
    assert np.allclose(chart.matrix, ra.loc[chart.order].to_numpy())


def test_robustness_heat_map_shows_every_rank_in_a_narrow_chart(qtbot, view: AppraisalView, loaded) -> None:
    """At 1024 x 768 the chart is about 586 px wide: the whole title ("Rank acceptability:
    share of 10,000 random weightings giving each rank", about 560 px of bold 10 pt beside
    the names' 234 px) had widened the plot past the widget, ranks 5 and 6 out of sight."""
    _rr, _run = loaded
    view.show_tab("Robustness")
    chart = view.robustness_chart
    for width, full in ((586, False), (1400, True)):
        view.resize(width + 420, 620)  # the weights panel keeps about 420 px
        chart.resize(width, 300)
        qtbot.wait(50)
        plot = chart.getPlotItem()
        # the plot, title and all, within the widget: every rank's column is on screen
        assert plot.sceneBoundingRect().right() <= chart.width() + 1, (width, plot.sceneBoundingRect())
        title = plot.titleLabel.text
        assert title.startswith("Rank acceptability: share of") == full, (width, title)
        samples = loaded[1].appraisal.robustness.samples
        assert f"{samples:,} " in title or title == "Rank acceptability"  # shortened, never cut mid-word


@pytest.mark.parametrize(
    ("costs", "values", "frontier"),
    [
        ([0, 1, 2, 3], [40, 50, 45, 60], [0, 1, 3]),  # option 2 costs more than 1 for less value
        ([0, 0, 1], [40, 45, 44], [1]),  # equal cost keeps the better; 2 is dominated by 1
        ([2, 1, 0], [10, 20, 30], [2]),  # the cheapest is also the best
    ],
)
def test_efficient_frontier(costs: list[float], values: list[float], frontier: list[int]) -> None:
    assert efficient_frontier(np.array(costs, float), np.array(values, float)) == frontier


def test_vfm_marks_the_frontier_options(view: AppraisalView, loaded) -> None:
    _rr, run = loaded
    view.show_tab("Value for money")
    app = view.state.appraisal
    # benefit value against cost (cost is not counted twice): the same frontier as the JSON's
    assert app.benefit_value is not None
    assert view.vfm_chart.frontier_ids == run.efficient_frontier
    assert view.vfm_chart.getPlotItem().getAxis("left").labelText.startswith("Benefit value")


@pytest.mark.parametrize(("weights", "end"), [([18, 12, 8], 50), ([100, 40], 250), ([3], 10), ([0, 0], 100)])
def test_slider_maximum(weights: list[float], end: int) -> None:
    assert slider_maximum(weights) == end


def test_controls_have_accessible_names(view: AppraisalView) -> None:
    for row in view.weights.rows.values():
        assert row.slider.accessibleName().startswith("Weight of ")
        assert row.spin.accessibleName()
    assert view.criterion_combo.accessibleName()


def test_hidden_chart_tabs_catch_up_when_shown(view: AppraisalView, loaded) -> None:
    _rr, run = loaded
    view.show_tab("Value for money")
    cid = run.value_model.criterion_ids[0]
    view.weights.rows[cid].slider.setValue(0)  # while Sensitivity is hidden
    view.show_tab("Sensitivity")
    sens = next(s for s in view.state.appraisal.sensitivity if s.criterion_id == cid)
    assert view.sensitivity_chart.criterion_id == cid
    assert view.sensitivity_chart.current.value() == pytest.approx(0.0)
    assert sens.current_weight == 0.0
    with pytest.raises(KeyError):
        view.show_tab("No such tab")


def test_keyboard_moves_through_weights_in_order(qtbot, view: AppraisalView) -> None:
    from PySide6.QtCore import Qt

    rows = list(view.weights.rows.values())
    view.activateWindow()
    rows[0].slider.setFocus()
    qtbot.waitUntil(lambda: rows[0].slider.hasFocus(), timeout=2000)
    qtbot.keyClick(rows[0].slider, Qt.Key.Key_Tab)
    assert rows[0].spin.hasFocus()
    qtbot.keyClick(rows[0].spin, Qt.Key.Key_Tab)
    assert rows[1].slider.hasFocus()
    # Arrow keys move a focused slider, and the ranking follows.
    before = view.state.weights[rows[1].cid]
    qtbot.keyClick(rows[1].slider, Qt.Key.Key_Right)
    assert view.state.weights[rows[1].cid] == before + 1


def test_a_short_sensitivity_chart_gives_its_title_room_to_the_lines(qtbot, view: AppraisalView) -> None:
    """Below 230 px (1024 x 768: 126 px) the chart drops its title and the axis title's
    "(0-100)": the tab names the chart, the bottom axis the criterion."""
    view.show_tab("Sensitivity")
    chart = view.sensitivity_chart
    for height, titled in ((126, False), (300, True), (126, False)):
        chart.resize(600, height)
        qtbot.wait(20)
        plot = chart.getPlotItem()
        assert plot.titleLabel.isVisible() == titled, height
        assert (plot.getAxis("left").labelText == "Total value (0-100)") == titled, height
    assert chart.minimumHeight() >= 125  # never squeezed below a readable strip by the splitter
