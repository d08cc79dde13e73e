"""SMAA-2 re-runs in the background after the workshop changes the value model.

docs/appraisal-method.md#in-the-app. Scoring an option added in the room, or editing a
judgement, gives a new value model; the "ranked first" figures must come from it (the
same figures the pipeline gives on the edited workbook), be shown as "updating…" while
the re-run is under way, and a result for an older request must never overwrite a newer
state.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _workshop_fixtures import open_in_window, wait_idle

from desktop_app.core.added_option import AddedOption, DeploymentSpec
from desktop_app.core.appraisal.live import RobustnessRequest
from desktop_app.core.pipeline import run_appraisal
from desktop_app.ui import scoring
from desktop_app.ui.appraisal_view import UPDATING

pytestmark = pytest.mark.gui

JUDGED = ("C7", "C8", "C9")  # the sample's judgement criteria
FIRST = 4  # the ranking table's "Ranked first" column


def _first_cell(window, oid: str) -> str:
    table = window.appraisal_view.ranking_table
    table.update_from(window.state)
    return table.item(table.order.index(oid), FIRST).text()


def _same_as_pipeline(state) -> None:
    """The app's re-run equals the pipeline's SMAA-2 on the same edits (same draws and seed)."""
    run = state.run
    want = run_appraisal(run.inputs, run.findings, samples=run.samples, seed=run.seed, what_if=False,
                         judgement_overrides=state.judgement_override_scores(), coverage=run.coverage)
    got = state.appraisal.robustness.rank_acceptability
    assert got.equals(want.appraisal.robustness.rank_acceptability)


@pytest.fixture()
def window_and_workshop(qtbot, tmp_path: Path, sample_copy: Path, monkeypatch: pytest.MonkeyPatch):
    return open_in_window(qtbot, tmp_path, sample_copy, monkeypatch)


def test_scoring_an_awaiting_option_reruns_smaa(window_and_workshop, qtbot) -> None:
    window, workshop = window_and_workshop
    state = window.state
    oid = "OPT_ROOM"
    state.add_option(AddedOption(oid, "Room's option", one_off_cost_gbp=50_000, annual_cost_gbp=140_000,
                                 deployments=(DeploymentSpec("ARV02", "ARV", crew_size=2),)))
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: oid in state.coverage.measures.index, timeout=60_000)
    assert oid not in state.appraisal.robustness.rank_acceptability.index  # awaiting: not in SMAA
    editor = workshop.judgements
    for score, cid in zip((35, 45, 15), JUDGED, strict=True):
        assert editor.edit(oid, cid, score, f"room's view on {cid}")
    # the new model is ranked at once; its SMAA-2 is under way, so no stale figure is shown
    assert oid in state.appraisal.ranks.index
    assert state.robustness_updating and state.appraisal.robustness is None
    assert _first_cell(window, oid) == UPDATING and _first_cell(window, "OPT1") == UPDATING
    assert UPDATING in window.appraisal_view.headline.text()
    qtbot.waitUntil(lambda: not state.robustness_updating, timeout=60_000)
    ra = state.appraisal.robustness.rank_acceptability
    # every scored option (the sample's six and the room's) has a first-rank share; each draw
    # has one first, so the shares sum to 100% over the seven
    assert set(ra.index) == set(state.appraisal.ranks.index) and len(ra.index) == 7
    assert float(ra[1].sum()) == pytest.approx(1.0)
    assert _first_cell(window, oid) == f"{float(ra.at[oid, 1]):.0%}"
    assert UPDATING not in window.appraisal_view.headline.text()
    _same_as_pipeline(state)


def test_an_older_result_never_overwrites_a_newer_state(window_and_workshop, qtbot) -> None:
    window, workshop = window_and_workshop
    state = window.state
    editor = workshop.judgements
    run_first = state.appraisal.robustness  # the run's, computed at load
    assert editor.edit("OPT2", "C7", 95, "first revision")
    first_model = scoring.value_model(state)
    assert editor.edit("OPT2", "C7", 5, "second revision")  # a newer request before the first is in
    refresher = state._refresher
    assert refresher.generation == 2
    qtbot.waitUntil(lambda: not state.robustness_updating, timeout=60_000)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: not refresher.busy(), timeout=60_000)
    shown = state.appraisal.robustness
    assert shown is not None and shown is not run_first
    _same_as_pipeline(state)  # the figures are the second revision's (C7 = 5 for OPT2)
    # a result for the first request, arriving now, is dropped: generation 1 is not the latest
    stale = RobustnessRequest(first_model, shown.central_weights.iloc[0].to_numpy(), 10, 1)
    assert not refresher.deliver(1, stale, run_first)
    assert state.appraisal.robustness is shown
    # and even at the latest generation, a result for a model no longer shown is dropped
    assert not refresher.deliver(refresher.generation, stale, run_first)
    assert state.appraisal.robustness is shown
    # undo both edits: the run's own model again, so the run's own figures, with no re-run
    workshop.undo.stack.undo()
    workshop.undo.stack.undo()
    assert not state.robustness_updating and state.appraisal.robustness is run_first


def test_a_value_function_edit_reruns_smaa_as_the_export_does(window_and_workshop, qtbot) -> None:
    from PySide6.QtWidgets import QTableWidgetItem

    from desktop_app.ui.loading import run_for_export
    from desktop_app.ui.value_function_view import value_point_edits

    window, _workshop = window_and_workshop
    state, view = window.state, window.what_if.value_functions
    run_first = state.appraisal.robustness
    window.show_view("value_functions")
    view.select("C3")
    # a concave value function on the 90th-percentile minutes: 30 -> 100, 50 -> 60, 70 -> 0
    points = [(30, 100), (50, 60), (70, 0)]
    view.points.setRowCount(len(points))
    for r, (x, v) in enumerate(points):
        view.points.setItem(r, 0, QTableWidgetItem(str(x)))
        view.points.setItem(r, 1, QTableWidgetItem(str(v)))
    view.rationale.setPlainText("The first minutes saved matter most")
    view.apply_form()
    assert state.workshop.value_points and state.robustness_updating
    qtbot.waitUntil(lambda: not state.robustness_updating, timeout=60_000)
    got = state.appraisal.robustness
    assert got is not None and got is not run_first
    # the export's appraisal of the same value function (a pipeline run on the edited Criteria) agrees
    want = run_for_export(state.run, state.run.findings, None, {}, value_point_edits=value_point_edits(state))
    assert got.rank_acceptability.equals(want.appraisal.robustness.rank_acceptability)
    assert float(got.rank_acceptability[1].sum()) == pytest.approx(1.0)
