"""The value model against hand-worked cases (docs/appraisal-method.md)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from _appraisal_fixtures import four_case, make_coverage, make_inputs

from desktop_app.core.appraisal.ranking import group_subtotals
from desktop_app.core.appraisal.value_model import build_value_model, dominated_pairs
from desktop_app.core.appraisal.value_scores import value_scores
from desktop_app.core.appraisal.weight_sets import compare_appraisals
from desktop_app.core.appraisal.weighting import normalise_weights, rank_totals, score
from desktop_app.core.errors import UsageError
from desktop_app.core.pipeline import DEFAULT_SEED, rescore, results_to_json, run_appraisal


# ----------------------------------------------------------------- value scores
def test_local_scale_higher_and_lower() -> None:
    np.testing.assert_allclose(value_scores(np.array([0.5, 0.7, 0.9]), "higher").scores, [0, 50, 100])
    np.testing.assert_allclose(value_scores(np.array([10.0, 20.0, 40.0]), "lower").scores,
                               [100, 200 / 3, 0])


def test_fixed_scale_is_linear_and_clipped() -> None:
    # worst 60 minutes, best 10: 35 minutes is half-way; 5 beats best, 90 is beyond worst
    got = value_scores(np.array([35.0, 5.0, 90.0, 10.0]), "lower", worst=60, best=10)
    np.testing.assert_allclose(got.scores, [50, 100, 0, 100])
    assert got.fixed


def test_infinite_values_score_extremes_and_local_scale_spans_finite() -> None:
    got = value_scores(np.array([10.0, 30.0, math.inf]), "lower").scores
    np.testing.assert_allclose(got, [100, 0, 0])
    got = value_scores(np.array([0.2, 0.4, math.inf]), "higher").scores
    np.testing.assert_allclose(got, [0, 100, 100])
    # one finite value against "never arrives": the finite one is the best on offer
    np.testing.assert_allclose(value_scores(np.array([12.0, math.inf]), "lower").scores, [100, 0])


def test_all_equal_scores_100_with_tie_note() -> None:
    got = value_scores(np.array([0.4, 0.4, 0.4]), "higher")
    np.testing.assert_allclose(got.scores, [100, 100, 100])
    assert got.note == "tie"
    # rounding noise is not a difference
    assert value_scores(np.array([0.8, 0.8 + 1e-15]), "lower").note == "tie"


def test_missing_values() -> None:
    assert value_scores(np.array([math.nan, math.nan]), "lower").note == "missing_all"
    got = value_scores(np.array([2.0, math.nan, 6.0]), "lower")
    np.testing.assert_allclose(got.scores, [100, 0, 0])
    assert got.note == "missing_some"


# ----------------------------------------------------------------- weights and ranks
def test_normalise_weights() -> None:
    np.testing.assert_allclose(normalise_weights(np.array([40, 30, 20, 10])), [0.4, 0.3, 0.2, 0.1])
    np.testing.assert_allclose(normalise_weights(np.array([1, 1, 2]), np.array([True, False, True])),
                               [1 / 3, 0, 2 / 3])
    np.testing.assert_allclose(normalise_weights(np.array([0.0, 0.0])), [0.5, 0.5])


def test_ranks_share_best_number() -> None:
    assert rank_totals(np.array([90.0, 80.0, 80.0, 70.0])).tolist() == [1, 2, 2, 4]
    assert rank_totals(np.array([50.0, 50.0 + 1e-12, 10.0])).tolist() == [1, 1, 3]
    assert rank_totals(np.array([[1.0, 2.0], [3.0, 3.0]])).tolist() == [[2, 1], [1, 1]]


# ----------------------------------------------------------------- the hand-worked four-option case
def test_four_option_four_criterion_with_tie() -> None:
    """Worked by hand (tests/_appraisal_fixtures.py):

    C1 coverage .5 .7 .9 .7 local -> 0 50 100 50;  C2 cost fixed 1m..0 -> 100 50 0 75;
    C3 judgement 50 60 50 70;  C4 months 0 6 12 12 local lower -> 100 50 0 0.
    Weights .4 .3 .2 .1 -> A 50, B 52, C 50, D 56.5 -> ranks 3 2 3 1.
    """
    inputs, cov = four_case()
    model = build_value_model(inputs, cov.measures)
    np.testing.assert_allclose(model.values, [[0, 100, 50, 100], [50, 50, 60, 50],
                                              [100, 0, 50, 0], [50, 75, 70, 0]])
    s = score(model.values, model.raw_weights)
    np.testing.assert_allclose(s.weights, [0.4, 0.3, 0.2, 0.1])
    np.testing.assert_allclose(s.totals, [50, 52, 50, 56.5])
    assert s.ranks.tolist() == [3, 2, 3, 1]

    run = run_appraisal(inputs, [], coverage=cov, samples=500)
    app = run.appraisal
    assert app.top_option == "D"
    assert app.ranks.to_dict() == {"A": 3, "B": 2, "C": 3, "D": 1}
    assert app.totals["D"] == pytest.approx(56.5)
    # weighted contributions sum to totals; group subtotals keep the groups
    np.testing.assert_allclose(app.weighted.sum(axis=1), app.totals)
    sub = group_subtotals(app)
    assert list(sub.columns) == ["Benefits", "Costs", "Risks"]
    assert sub.loc["D", "Costs"] == pytest.approx(75 * 0.3 + 0)
    # local-scale note names C1 and C4 (C3 is a judgement, C2 fixed)
    notes = [f.message for f in run.findings if "local scales" in f.message]
    assert len(notes) == 1 and notes[0].startswith("criteria C1 (") and ", C4 (" in notes[0]  # code and name


def test_tied_criterion_and_idle_weight_warnings() -> None:
    crit = [{"criterion_id": "K1", "measure": "population_coverage", "weight": 1},
            {"criterion_id": "K2", "measure": "threat_coverage", "weight": 1}]
    inputs = make_inputs(["A", "B"], crit)
    cov = make_coverage(["A", "B"], {"population_coverage": [0.2, 0.6], "threat_coverage": [0.5, 0.5]})
    run = run_appraisal(inputs, [], coverage=cov, samples=0)
    assert run.appraisal.values["K2"].tolist() == [100, 100]
    msgs = " | ".join(f.message for f in run.findings)
    assert "every option has the same threat_coverage" in msgs
    assert "K2 carries 50.0% of the weight but no option varies" in msgs
    # A is worse on K1 and equal on K2: dominated
    assert "option A is dominated by B" in msgs


def test_dominance_pairs() -> None:
    v = np.array([[10, 10], [20, 10], [5, 30], [20, 10]], dtype=float)
    pairs = dominated_pairs(v)
    assert (0, 1) in pairs and (0, 3) in pairs
    assert (1, 3) not in pairs and (3, 1) not in pairs  # identical options
    assert all(p[0] != 2 for p in pairs)


def test_undefined_rural_gap_is_left_out_and_weights_rescaled() -> None:
    crit = [{"criterion_id": "G", "measure": "rural_gap_minutes", "direction": "lower", "weight": 50},
            {"criterion_id": "P", "measure": "population_coverage", "weight": 50}]
    inputs = make_inputs(["A", "B"], crit)
    cov = make_coverage(["A", "B"], {"rural_gap_minutes": [math.nan, math.nan],
                                     "population_coverage": [0.3, 0.6]})
    run = run_appraisal(inputs, [], coverage=cov, samples=200)
    app = run.appraisal
    assert app.weights.to_dict() == {"G": 0.0, "P": 1.0}
    assert app.totals.tolist() == [0.0, 100.0]
    assert app.values["G"].isna().all()
    assert any("left out" in f.message for f in run.findings)
    # never drawn by SMAA either
    assert (run.appraisal.robustness.central_weights["G"].fillna(0) == 0).all()
    doc = results_to_json(run)
    assert doc["options"][0]["values"]["G"] is None
    json.dumps(doc, allow_nan=False)


def test_judgement_missing_awaits_scores_and_overrides_apply() -> None:
    crit = [{"criterion_id": "J", "measure": "judgement", "weight": 1}]
    inputs = make_inputs(["BASE", "NEW"], crit, [("BASE", "J", 40, 30, 60)])
    cov = make_coverage(["BASE", "NEW"], {})
    model = build_value_model(inputs, cov.measures)
    # NEW has no score: it awaits the workshop's, never inheriting BASE's 40
    assert model.option_ids == ["BASE"] and model.awaiting == ["NEW"]
    assert model.values[:, 0].tolist() == [40]
    assert any("option NEW is awaiting scores on J" in f.message for f in model.findings)
    model = build_value_model(inputs, cov.measures, {("NEW", "J"): 75, ("BASE", "J"): 70})
    assert model.values[:, 0].tolist() == [70, 75]
    # the override widened the baseline's range to include 70
    assert (model.low[0, 0], model.high[0, 0]) == (30, 70)


# ----------------------------------------------------------------- weight sets
WS = [("Community panel", "C3", 60), ("Community panel", "C1", 40),
      ("Finance", "C2", 100)]


def test_weight_sets_side_by_side_and_comparison() -> None:
    inputs, cov = four_case(WS)
    run = run_appraisal(inputs, [], coverage=cov, samples=0)
    assert list(run.weight_sets) == ["Community panel", "Finance"]
    community = run.weight_sets["Community panel"]
    # .4*C1 + .6*C3: A 30, B 56, C 70, D 62
    np.testing.assert_allclose(community.totals, [30, 56, 70, 62])
    assert community.top_option == "C"
    finance = run.weight_sets["Finance"]
    assert finance.top_option == "A" and finance.weights["C2"] == 1.0
    comp = run.weight_set_comparison()
    assert comp.first_choices() == {"Workbook weights": "D", "Community panel": "C", "Finance": "A"}
    assert not comp.agree_on_top
    # contributions sum to the change in preference margin between the two sets
    pair = next(d for d in comp.disagreements if (d.set_a, d.set_b) == ("Community panel", "Finance"))
    margin_c = community.totals["C"] - community.totals["A"]
    margin_f = finance.totals["C"] - finance.totals["A"]
    assert pair.swing == pytest.approx(margin_c - margin_f)
    assert pair.drivers[0][0] in {"C1", "C2"}  # the criteria the groups weight differently and C, A differ on


def test_weight_set_choice_and_unknown_name() -> None:
    inputs, cov = four_case(WS)
    run = run_appraisal(inputs, [], coverage=cov, samples=0, weight_set="Finance")
    assert run.appraisal.weights_name == "Finance" and run.top_option == "A"
    with pytest.raises(UsageError, match="unknown weight set 'Nope'"):
        run_appraisal(inputs, [], coverage=cov, weight_set="Nope")


def test_compare_agreeing_sets() -> None:
    inputs, cov = four_case([("X", "C1", 1), ("X", "C3", 1)])
    run = run_appraisal(inputs, [], coverage=cov, samples=0, weights={"C1": 1, "C3": 1})
    comp = compare_appraisals({"a": run.appraisal, "b": run.weight_sets["X"]})
    assert comp.agree_on_top and comp.disagreements == []


# ----------------------------------------------------------------- run, rescore, JSON
def test_results_json_shape_and_determinism() -> None:
    inputs, cov = four_case(WS)
    run1 = run_appraisal(inputs, [], coverage=cov, samples=1000)
    run2 = run_appraisal(inputs, [], coverage=cov, samples=1000)
    doc = results_to_json(run1)
    assert list(doc) == ["options", "weights", "group_weights", "scales", "efficient_frontier", "sensitivity",
                         "robustness", "weight_sets", "scenarios", "parameter_sensitivity", "equality",
                         "incident_validation", "provenance", "validation"]
    # no CriteriaGroups, Scenarios, Uncertainty or equality_columns: the v2 parts are empty
    assert doc["group_weights"] == {} and doc["scenarios"] == {} and doc["parameter_sensitivity"] == []
    assert doc["equality"] == {}
    assert doc["weights"] == {"C1": 0.4, "C2": 0.3, "C3": 0.2, "C4": 0.1}
    assert doc["options"][3]["rank"] == 1 and doc["options"][3]["total_value"] == pytest.approx(56.5)
    assert len(doc["robustness"]["rank_acceptability"]["A"]) == 4
    assert set(doc["weight_sets"]) == {"Community panel", "Finance"}
    a = json.dumps(doc, allow_nan=False)
    b = json.dumps(results_to_json(run2), allow_nan=False)
    assert a == b
    assert run1.seed == DEFAULT_SEED == 20240601


def test_infinite_measures_are_null_in_json() -> None:
    crit = [{"criterion_id": "R", "measure": "p90_response_minutes", "direction": "lower", "weight": 1}]
    inputs = make_inputs(["A", "B"], crit)
    cov = make_coverage(["A", "B"], {"p90_response_minutes": [25.0, math.inf]})
    doc = results_to_json(run_appraisal(inputs, [], coverage=cov, samples=100))
    assert doc["options"][1]["measures"]["p90_response_minutes"] is None
    assert doc["options"][1]["values"]["R"] == 0.0
    assert doc["options"][0]["measures"]["p90_response_minutes"] == 25.0


def test_rescore_matches_full_run() -> None:
    inputs, cov = four_case()
    run = run_appraisal(inputs, [], coverage=cov, samples=0)
    new = {"C1": 10, "C2": 10, "C3": 70, "C4": 10}
    fast = rescore(run, new, samples=300)
    full = run_appraisal(inputs, [], coverage=cov, samples=300, weights=new).appraisal
    np.testing.assert_allclose(fast.totals, full.totals)
    assert fast.ranks.tolist() == full.ranks.tolist()
    np.testing.assert_allclose(fast.robustness.rank_acceptability, full.robustness.rank_acceptability)


def test_weight_set_with_no_weight_in_use_is_equal_weighted_with_warning() -> None:
    inputs, cov = four_case([("Empty", "C1", 0)])
    run = run_appraisal(inputs, [], coverage=cov, samples=0)
    np.testing.assert_allclose(run.weight_sets["Empty"].weights, [0.25] * 4)
    assert any(f.sheet == "WeightSets" and "'Empty'" in f.message and "no criterion" in f.message
               for f in run.findings)


def test_top_first_share_and_around_weights_zero() -> None:
    inputs, cov = four_case()
    run = run_appraisal(inputs, [], coverage=cov, samples=400, around_weights=0.0)
    # every draw is the current weighting (judgements fixed): D first every time
    assert run.top_first_share == 1.0
    rob = run.appraisal.robustness
    np.testing.assert_allclose(rob.central_weights.loc["D"], [0.4, 0.3, 0.2, 0.1])
    assert rob.rank_acceptability.loc["A", 3] == 1.0 and rob.rank_acceptability.loc["C", 3] == 1.0
