"""AppState: the setters every edit (and every undo command) goes through, and their signals."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from desktop_app.ui.state import AppState  # noqa: E402


@pytest.fixture(scope="module")
def loaded(sample_read, sample_run):
    """The sample force, read and appraised once per test session (tests/conftest.py)."""
    return sample_read, sample_run


@pytest.fixture()
def state(loaded) -> AppState:
    rr, run = loaded
    s = AppState()
    s.set_read_result(rr)
    s.set_run(run)
    return s


def test_loading_takes_the_workbook_weights(state: AppState, loaded) -> None:
    rr, _run = loaded
    assert state.weights == dict(zip(rr.inputs.criteria["criterion_id"], rr.inputs.criteria["weight"], strict=True))
    assert state.appraisal is not None and state.loaded
    assert sum(state.normalised_weights().values()) == pytest.approx(1.0)


def test_set_weight_emits_weights_then_appraisal(qtbot, state: AppState) -> None:
    order: list[str] = []
    state.weights_changed.connect(lambda: order.append("weights"))
    state.appraisal_changed.connect(lambda: order.append("appraisal"))
    cid = next(iter(state.weights))
    state.set_weight(cid, 40)
    assert order == ["weights", "appraisal"]
    # through the sample's value tree: the branch's share x 40 / the branch's criteria weights
    model = state.run.value_model
    raw = np.array([state.weights[c] for c in model.criterion_ids], dtype=float)
    group = model.groups[cid]
    in_branch = sum(state.weights[c] for c in model.criterion_ids if model.groups[c] == group)
    share = model.group_weights[group] / sum(model.group_weights.values())
    assert state.appraisal.weights[cid] == pytest.approx(share * 40 / in_branch)
    assert state.appraisal.weights.to_numpy() == pytest.approx(model.effective_weights(raw))
    order.clear()
    state.set_weight(cid, 40)  # no change, no signals (undo merges rely on this)
    assert order == []
    state.set_weight(cid, -5)  # swing weights are never negative
    assert state.weights[cid] == 0.0


def test_set_weights_matches_hand_totals(state: AppState, loaded) -> None:
    _rr, run = loaded
    model = run.value_model
    raw = np.arange(1, len(model.criterion_ids) + 1, dtype=float)
    state.set_weights(dict(zip(model.criterion_ids, raw, strict=True)))
    expected = model.values @ model.effective_weights(raw)  # the sample has a value tree
    assert state.appraisal.totals.to_numpy() == pytest.approx(expected)
    assert state.appraisal.robustness is run.appraisal.robustness


def test_judgement_override_changes_the_score_and_can_be_removed(state: AppState, loaded) -> None:
    rr, _run = loaded
    j = rr.inputs.judgements.iloc[0]
    oid, cid = str(j["option_id"]), str(j["criterion_id"])
    before = float(state.appraisal.totals[oid])
    w = state.appraisal.weights[cid]
    new = 100.0 if float(j["score"]) < 50 else 0.0
    state.set_judgement(oid, cid, new, "the panel heard new evidence")
    after = float(state.appraisal.totals[oid])
    assert after - before == pytest.approx(w * (new - float(j["score"])))
    assert state.judgement_overrides[(oid, cid)].rationale == "the panel heard new evidence"
    state.set_judgement(oid, cid, None)
    assert float(state.appraisal.totals[oid]) == pytest.approx(before)


def test_add_and_remove_option_ask_for_a_rerun(qtbot, state: AppState, loaded) -> None:
    from desktop_app.core.added_option import AddedOption

    with qtbot.waitSignal(state.options_changed):
        state.add_option(AddedOption("NEW1", "Optimised", "", 1000.0, 2000.0, 6.0))
    assert [o.option_id for o in state.extra_options] == ["NEW1"]
    with qtbot.waitSignal(state.options_changed):
        state.remove_option("NEW1")
    assert state.extra_options == []


def test_rerun_with_an_added_option(qtbot, state: AppState, loaded) -> None:
    from desktop_app.core.added_option import AddedOption
    from desktop_app.ui import loading

    rr, _run = loaded
    extra = AddedOption("NEW1", "Baseline again")  # the baseline's deployments and nothing more
    run = loading.rerun(rr, [extra], samples=100, progress=lambda *a: None, cancelled=lambda: False)
    state.set_weight(next(iter(state.weights)), 30)
    kept = dict(state.weights)
    state.set_run(run, keep_weights=True)
    assert state.weights == kept
    assert "NEW1" in state.option_ids() and state.option_names()["NEW1"] == "Baseline again"
    # The same deployments as the baseline give the baseline's coverage.
    m = run.coverage.measures
    assert m.at["NEW1", "population_coverage"] == pytest.approx(m.at[rr.inputs.baseline_id, "population_coverage"])
