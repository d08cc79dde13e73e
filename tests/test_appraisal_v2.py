"""The version-2 appraisal, hand-worked: value tree, value points, frontier, optimism bias,
scenarios, parameter sensitivity, equality breakdown, and their validation.

Every expected figure is worked out in the comments beside it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from desktop_app.cli import main
from desktop_app.core.appraisal.equality import AREA_COVER_COLUMN, equality_breakdown, widest_gap
from desktop_app.core.appraisal.ranking import appraise
from desktop_app.core.appraisal.value_functions import interpolate
from desktop_app.core.appraisal.value_model import build_value_model
from desktop_app.core.appraisal.value_tree import efficient_frontier, tree_weights
from desktop_app.core.pipeline import results_to_json, run_appraisal
from desktop_app.core.workbook import schema
from desktop_app.core.workbook.appraisal_sheets import parse_value_points
from desktop_app.core.workbook.reader import read_workbook
from tests._appraisal_fixtures import make_coverage, make_inputs
from tests.workbook_factory import base_sheets, make_workbook

# --------------------------------------------------------------------------- value tree


def _tree_case() -> tuple:
    crit = [
        {"criterion_id": "A1", "measure": "population_coverage", "weight": 3, "group": "Response"},
        {"criterion_id": "A2", "measure": "threat_coverage", "weight": 1, "group": "Response"},
        {"criterion_id": "B1", "measure": "whole_life_cost_gbp", "direction": "lower", "weight": 5,
         "group": "Cost"},
    ]
    inputs = make_inputs(["X", "Y"], crit)
    inputs.criteria["kind"] = ["benefit", "benefit", "cost"]
    inputs.criteria_groups = pd.DataFrame({"group": ["Response", "Cost"], "weight": [60.0, 40.0],
                                           "description": ["", ""]})
    # X is best on A1, worst on A2 and B1; Y the reverse (local scales: 100 / 0)
    cov = make_coverage(["X", "Y"], {"population_coverage": [0.9, 0.5], "threat_coverage": [0.5, 0.9],
                                     "whole_life_cost_gbp": [200.0, 100.0]})
    return inputs, cov


def test_two_branch_tree_weights_and_totals() -> None:
    inputs, cov = _tree_case()
    model = build_value_model(inputs, cov.measures)
    app = appraise(model)
    # A1 = 60/100 x 3/4 = 0.45; A2 = 0.6 x 1/4 = 0.15; B1 = 40/100 x 5/5 = 0.40
    assert app.weights.to_dict() == pytest.approx({"A1": 0.45, "A2": 0.15, "B1": 0.40})
    assert app.group_weights == pytest.approx({"Response": 0.6, "Cost": 0.4})
    # X: 0.45 x 100 = 45; Y: 0.15 x 100 + 0.40 x 100 = 55
    assert app.totals.to_dict() == pytest.approx({"X": 45.0, "Y": 55.0})
    assert app.ranks.to_dict() == {"X": 2, "Y": 1}
    # benefit value over A1, A2 only: X = 0.45 x 100 / 0.60 = 75; Y = 0.15 x 100 / 0.60 = 25
    assert app.benefit_value.to_dict() == pytest.approx({"X": 75.0, "Y": 25.0})
    # a weight set is flat: A1 3, A2 1, B1 5 of 9
    flat = appraise(model, {"A1": 3, "A2": 1, "B1": 5}, "set", tree=False)
    assert flat.weights["B1"] == pytest.approx(5 / 9) and flat.group_weights == {}


def test_tree_branch_with_no_criterion_weight_passes_none_on() -> None:
    # Response's criteria weigh 0: its 0.6 is lost; Cost keeps 0.4 (the method's "0 where that sum is 0")
    w = tree_weights(np.array([0.0, 0.0, 5.0]), ["R", "R", "C"], {"R": 60, "C": 40})
    assert w.tolist() == pytest.approx([0.0, 0.0, 0.4])


def test_tree_in_json(tmp_path: Path) -> None:
    inputs, cov = _tree_case()
    run = run_appraisal(inputs, [], coverage=cov, samples=0)
    doc = results_to_json(run)
    assert doc["group_weights"] == pytest.approx({"Response": 0.6, "Cost": 0.4})
    assert doc["options"][0]["benefit_value"] == pytest.approx(75.0)
    assert doc["scales"]["A1"] == {"worst": 0.5, "best": 0.9, "local": True, "value_points": None}
    # B1 lower is better: worst is the dearest (200), best the cheapest (100)
    assert doc["scales"]["B1"] == {"worst": 200.0, "best": 100.0, "local": True, "value_points": None}
    # X costs 200 for benefit 75, Y 100 for 25: neither dominates, cheapest first
    assert doc["efficient_frontier"] == ["Y", "X"]


# --------------------------------------------------------------------------- value points


def test_value_points_inside_at_and_beyond_the_ends() -> None:
    points = ((0.5, 0.0), (0.8, 60.0), (0.9, 100.0))
    x = np.array([0.4, 0.5, 0.65, 0.8, 0.85, 0.9, 0.95, math.inf, math.nan])
    got = interpolate(points, x)
    # 0.4 beyond the low end -> 0; 0.5 at it -> 0; 0.65 halfway 0.5..0.8 -> 30;
    # 0.8 at the inner point -> 60; 0.85 halfway 0.8..0.9 -> 80; 0.9 -> 100; 0.95, inf beyond -> 100
    assert got[:8].tolist() == pytest.approx([0, 0, 30, 60, 80, 100, 100, 100])
    assert math.isnan(got[8])


def test_value_points_ignore_worst_best_and_direction() -> None:
    crit = [{"criterion_id": "P", "measure": "population_coverage", "direction": "lower", "weight": 1,
             "worst": 0.9, "best": 0.1}]
    inputs = make_inputs(["A", "B", "C"], crit)
    inputs.criteria["value_points"] = [((0.5, 0.0), (0.8, 60.0), (0.9, 100.0))]
    cov = make_coverage(["A", "B", "C"], {"population_coverage": [0.65, 0.85, 0.3]})
    model = build_value_model(inputs, cov.measures)
    assert model.values[:, 0].tolist() == pytest.approx([30.0, 80.0, 0.0])
    assert model.scales["P"].value_points == ((0.5, 0.0), (0.8, 60.0), (0.9, 100.0))
    assert (model.scales["P"].worst, model.scales["P"].best, model.scales["P"].local) == (0.5, 0.9, False)
    assert not any("clipped" in f.message for f in model.findings)


@pytest.mark.parametrize(("text", "problem"), [
    ("0.5:0", "1 point"),
    ("0.5:0; 0.5:100", "does not increase"),
    ("0.5:0; 0.8:120", "outside 0-100"),
    ("0.5-0; 0.8:100", "not a point"),
    ("a:0; 0.8:100", "two numbers"),
])
def test_bad_value_points_are_refused(text: str, problem: str) -> None:
    points, msg = parse_value_points(text)
    assert points is None and problem in msg


def test_a_value_clipped_on_a_given_scale_warns() -> None:
    crit = [{"criterion_id": "C", "measure": "population_coverage", "weight": 1, "worst": 0.6, "best": 0.9}]
    inputs = make_inputs(["A", "B"], crit)
    cov = make_coverage(["A", "B"], {"population_coverage": [0.95, 0.7]})
    model = build_value_model(inputs, cov.measures)
    # A: (0.95 - 0.6) / 0.3 = 116.7 -> clipped to 100; B: (0.7 - 0.6) / 0.3 = 33.3
    assert model.values[:, 0].tolist() == pytest.approx([100.0, 100 / 3])
    clipped = [f for f in model.findings if "clipped" in f.message]
    assert len(clipped) == 1 and "option A" in clipped[0].message and "0.95" in clipped[0].message


# --------------------------------------------------------------------------- frontier


def test_frontier_with_ties_and_a_dominated_option() -> None:
    costs = [0.0, 100.0, 100.0, 200.0, 50.0, 100.0]
    benefit = [40.0, 60.0, 60.0 + 1e-12, 80.0, 30.0, 55.0]
    # 0: cheapest -> on. 1 and 2: same cost and (within 1e-9) same benefit -> neither dominates: both on.
    # 3: dearest but the most benefit -> on. 4: costs more than 0 for less -> dominated.
    # 5: same cost as 1, less benefit -> dominated.
    assert efficient_frontier(costs, benefit) == [0, 1, 2, 3]


# --------------------------------------------------------------------------- optimism bias


def test_optimism_bias_uplifts_whole_life_cost(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Options"][0] += ["optimism_bias"]
    sheets["Options"][1] += [None]
    sheets["Options"][2] += [0.2]
    sheets["Options"][3] += [0]
    sheets["Parameters"] += [["appraisal_years", 2, ""], ["price_base_year", "2025-26", ""]]
    result = read_workbook(make_workbook(tmp_path, sheets))
    assert result.errors == []
    from desktop_app.core.coverage.engine import compute_coverage

    cov = compute_coverage(result.inputs)
    # OPT1: 1.2 x (50,000 + 120,000 / 1.035 + 120,000 / 1.035^2)
    #     = 1.2 x (50,000 + 115,942.0290 + 112,021.2841) = 1.2 x 277,963.3131 = 333,555.9757
    assert cov.measures.at["OPT1", "whole_life_cost_gbp"] == pytest.approx(333_555.9757, abs=1e-3)
    # OPT2: no bias: 80,000 / 1.035 + 80,000 / 1.035^2 = 77,294.6860 + 74,680.8561 = 151,975.5421
    assert cov.measures.at["OPT2", "whole_life_cost_gbp"] == pytest.approx(151_975.5421, abs=1e-3)
    assert result.inputs.parameters.price_base_year == "2025-26"
    assert ("price_base_year", "2025-26") in result.inputs.parameters.as_rows()


# --------------------------------------------------------------------------- scenarios


def _scenario_sheets() -> dict:
    sheets = base_sheets()
    sheets["Scenarios"] = [
        ["scenario", "parameter", "value"],
        ["Busy", "busy_fraction_arv", 0.6],
        ["Busy", "OPT1.annual_cost_gbp", 200000],
        ["Slow roads", "road_circuity", 1.6],
        ["Short target", "target_minutes", 10],
    ]
    return sheets


def _edited(tmp_path: Path, name: str, params: list, option_cost: tuple | None = None) -> Path:
    sheets = base_sheets()
    sheets["Parameters"] += params
    if option_cost:
        row, col, value = option_cost
        sheets["Options"][row][sheets["Options"][0].index(col)] = value
    return make_workbook(tmp_path, sheets, name=name)


@pytest.mark.parametrize(("scenario", "params", "cost"), [
    ("Busy", [["busy_fraction_arv", 0.6, ""]], (2, "annual_cost_gbp", 200000)),
    ("Slow roads", [["road_circuity", 1.6, ""]], None),
    ("Short target", [], None),
])
def test_a_scenario_equals_the_same_workbook_edited_by_hand(tmp_path: Path, scenario: str, params: list,
                                                            cost: tuple | None) -> None:
    base = read_workbook(make_workbook(tmp_path, _scenario_sheets())).inputs
    run = run_appraisal(base, [], samples=0)
    if scenario == "Short target":
        sheets = base_sheets()
        sheets["Parameters"][3][1] = 10  # target_minutes row
        edited_path = make_workbook(tmp_path, sheets, name="edited.xlsx")
    else:
        edited_path = _edited(tmp_path, "edited.xlsx", params, cost)
    edited = read_workbook(edited_path).inputs
    by_hand = run_appraisal(edited, [], samples=0)
    got = run.scenarios[scenario]
    pd.testing.assert_frame_equal(got.measures, by_hand.coverage.measures)
    pd.testing.assert_series_equal(got.appraisal.totals, by_hand.appraisal.totals)
    pd.testing.assert_series_equal(got.appraisal.ranks, by_hand.appraisal.ranks)
    # --scenario makes it the main result, equal to the edited workbook's own
    main_run = run_appraisal(base, [], samples=0, scenario=scenario)
    pd.testing.assert_series_equal(main_run.appraisal.totals, by_hand.appraisal.totals)
    assert main_run.scenario == scenario
    doc = results_to_json(main_run)
    assert doc["provenance"]["scenario"] == scenario
    assert [o["total_value"] for o in doc["scenarios"][scenario]] == pytest.approx(
        by_hand.appraisal.totals.tolist())


def test_busy_default_reaches_only_rows_that_left_it_blank(tmp_path: Path) -> None:
    base = read_workbook(make_workbook(tmp_path, _scenario_sheets())).inputs
    from desktop_app.core.workbook.overrides import apply_overrides

    new = apply_overrides(base, [("busy_fraction_arv", 0.6)])
    # OPT0/OPT1 ARVs left busy_fraction blank -> 0.6; OPT2's neighbour ARV gave 0.5 -> stays; ARO 0.2 stays
    assert new.deployments["busy_fraction"].tolist() == [0.6, 0.6, 0.2, 0.5]
    assert base.deployments["busy_fraction"].tolist() == [0.3, 0.3, 0.2, 0.5]  # the input is unchanged


def test_unknown_scenario_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_workbook(tmp_path, _scenario_sheets())
    assert main(["appraise", str(path), "-o", str(tmp_path / "s.xlsx"), "--scenario", "Nope", "--json"]) == 2
    assert "unknown scenario 'Nope'" in capsys.readouterr().err


# --------------------------------------------------------------------------- parameter sensitivity


def _uncertainty_sheets() -> dict:
    sheets = base_sheets()
    sheets["Uncertainty"] = [
        ["parameter", "low", "high"],
        ["busy_fraction_arv", 0.1, 0.7],
        ["OPT1.one_off_cost_gbp", 0, 400000],
    ]
    return sheets


def test_each_tornado_end_equals_a_rerun_with_that_value(tmp_path: Path) -> None:
    base = read_workbook(make_workbook(tmp_path, _uncertainty_sheets())).inputs
    run = run_appraisal(base, [], samples=0)
    assert [s.parameter for s in run.parameter_sensitivity] == ["busy_fraction_arv", "OPT1.one_off_cost_gbp"]
    ends = {
        ("busy_fraction_arv", "low"): ([["busy_fraction_arv", 0.1, ""]], None),
        ("busy_fraction_arv", "high"): ([["busy_fraction_arv", 0.7, ""]], None),
        ("OPT1.one_off_cost_gbp", "low"): ([], (2, "one_off_cost_gbp", 0)),
        ("OPT1.one_off_cost_gbp", "high"): ([], (2, "one_off_cost_gbp", 400000)),
    }
    for k, ((param, end), (params, cost)) in enumerate(ends.items()):
        edited = read_workbook(_edited(tmp_path, f"e{k}.xlsx", params, cost)).inputs
        by_hand = run_appraisal(edited, [], samples=0)
        swing = next(s for s in run.parameter_sensitivity if s.parameter == param)
        totals = swing.totals_low if end == "low" else swing.totals_high
        top = swing.top_low if end == "low" else swing.top_high
        pd.testing.assert_series_equal(totals, by_hand.appraisal.totals)
        assert top == by_hand.appraisal.top_option
    doc = results_to_json(run)
    row = doc["parameter_sensitivity"][0]
    assert list(row) == ["parameter", "low", "high", "totals_low", "totals_high", "top_low", "top_high"]
    assert (row["low"], row["high"]) == (0.1, 0.7)


def test_switching_value_sentence(tmp_path: Path) -> None:
    # The do-minimum OPT0 is first (total 93.7 against OPT1's 58.0) because it costs nothing. As its
    # annual cost rises, its score on the local cost scale falls, and at some cost OPT1 overtakes it.
    sheets = _uncertainty_sheets()
    sheets["Uncertainty"][2] = ["OPT0.annual_cost_gbp", 0, 2_000_000]
    base = read_workbook(make_workbook(tmp_path, sheets)).inputs
    run = run_appraisal(base, [], samples=0)
    swing = run.parameter_sensitivity[1]
    assert (swing.base_top, swing.top_low, swing.top_high) == ("OPT0", "OPT0", "OPT1")
    x = swing.switch_high
    assert x is not None and 0 < x < 2_000_000 and swing.switch_low is None
    # the switching value really is where the top changes: just below it OPT0 leads, just above OPT1
    edited_top = {}
    for name, value in (("below", x * 0.99), ("above", x * 1.01)):
        e = read_workbook(_edited(tmp_path, f"{name}.xlsx", [], (1, "annual_cost_gbp", value))).inputs
        edited_top[name] = run_appraisal(e, [], samples=0).appraisal.top_option
    assert edited_top == {"below": "OPT0", "above": "OPT1"}
    # costs are read to the nearest £1,000
    assert swing.sentence() == (f"The top option changes from OPT0 to OPT1 if OPT0.annual_cost_gbp exceeds "
                                f"£{round(x, -3):,.0f} (the workbook has £0).")
    # busy_fraction_arv never changes the top over 0.1-0.7
    assert run.parameter_sensitivity[0].sentence() == (
        "The top option stays OPT0 for busy_fraction_arv anywhere from 0.1 to 0.7.")


# --------------------------------------------------------------------------- equality


def test_equality_breakdown_on_three_groups() -> None:
    crit = [{"criterion_id": "P", "measure": "population_coverage", "weight": 1}]
    inputs = make_inputs(["A", "B"], crit)
    inputs.areas = pd.DataFrame({
        "area_id": ["a1", "a2", "a3", "a4"], "population": np.array([100, 300, 200, 400], dtype=np.int64),
        "imd_decile": [1.0, 1.0, 5.0, 10.0],
    })
    inputs.parameters = schema.parameters(force_name="T", threat_level="LOW", equality_columns="imd_decile")
    cov = make_coverage(["A", "B"], {"population_coverage": [0.5, 0.6]})
    cov.per_area = {
        "A": pd.DataFrame({AREA_COVER_COLUMN: [1.0, 0.5, 0.25, 0.0]}),
        "B": pd.DataFrame({AREA_COVER_COLUMN: [1.0, 1.0, 1.0, 0.5]}),
    }
    got = equality_breakdown(inputs, cov)
    # decile 1 = areas a1, a2: A (100 x 1 + 300 x 0.5) / 400 = 0.625; B (100 + 300) / 400 = 1.0
    # decile 5 = a3: A 0.25, B 1.0; decile 10 = a4: A 0.0, B 0.5. Labels as text, in number order.
    assert got == {"imd_decile": {"1": {"A": 0.625, "B": 1.0}, "5": {"A": 0.25, "B": 1.0},
                                  "10": {"A": 0.0, "B": 0.5}}}
    gap = widest_gap(got, "A")
    # A's widest gap: decile 1 at 62.5% against decile 10 at 0%. Shown as Excel shows 62.5
    # in whole percent, half away from zero: 63%; the gap is that of the figures printed,
    # 63 - 0 = 63 points (Python's own rounding of 62.5 would print 62, half to even).
    assert (gap.low_group, gap.high_group) == ("10", "1")
    assert gap.sentence() == ("Under option A the widest gap by IMD decile is between IMD decile 10 (least deprived), "
                              "with 0% of residents covered, and IMD decile 1 (most deprived), with 63%: "
                              "63 percentage points.")
    assert gap.sentence("Do minimum").startswith("Under Do minimum the widest gap by IMD decile")


def test_equality_groups_covered_alike_are_not_called_a_gap() -> None:
    """Every group at 100% had read "between IMD 1 (most deprived) ... and IMD 1 (most deprived),
    with 100%: 0 percentage points": one group named twice, and a bare ``imd`` column read as
    deciles, though it may be a score (higher is more deprived)."""
    crit = [{"criterion_id": "P", "measure": "population_coverage", "weight": 1}]
    inputs = make_inputs(["A"], crit)
    inputs.areas = pd.DataFrame({"area_id": ["a1", "a2", "a3"], "population": np.array([100, 300, 200], dtype=np.int64),
                                 "imd": [1.0, 5.0, 10.0]})
    inputs.parameters = schema.parameters(force_name="T", threat_level="LOW", equality_columns="imd")
    cov = make_coverage(["A"], {"population_coverage": [1.0]})
    # 0.996 and 1.0 both show as 100%: alike as printed; 0.994 would show as 99%, a 1-point gap
    cov.per_area = {"A": pd.DataFrame({AREA_COVER_COLUMN: [1.0, 0.996, 1.0]})}
    gap = widest_gap(equality_breakdown(inputs, cov), "A")
    assert gap is not None and gap.alike
    assert gap.sentence() == "Under option A every group by IMD has the same share of its residents covered: 100%."
    from desktop_app.core.appraisal.equality import group_words
    # no "(most deprived)" on a bare imd column; a decile column keeps it
    assert group_words("imd", "1") == "IMD 1" and group_words("imd", "10") == "IMD 10"
    assert group_words("imd_decile", "10") == "IMD decile 10 (least deprived)"
    assert group_words("imd_quintile", "5") == "IMD quintile 5 (least deprived)"
    cov.per_area = {"A": pd.DataFrame({AREA_COVER_COLUMN: [1.0, 0.994, 1.0]})}
    gap = widest_gap(equality_breakdown(inputs, cov), "A")
    assert gap is not None and not gap.alike and gap.sentence().endswith(": 1 percentage point.")


def test_equality_over_all_areas_equals_population_coverage(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Areas"][0].append("everyone")
    for row in sheets["Areas"][1:]:
        row.append("all")
    sheets["Parameters"].append(["equality_columns", "everyone, rurality", ""])
    inputs = read_workbook(make_workbook(tmp_path, sheets)).inputs
    run = run_appraisal(inputs, [], samples=0)
    doc = results_to_json(run)
    for oid in inputs.option_ids:
        assert doc["equality"]["everyone"]["all"][oid] == pytest.approx(
            run.coverage.measures.at[oid, "population_coverage"])
    assert set(doc["equality"]["rurality"]) == {"C1", "E2"}
    json.dumps(doc, allow_nan=False)


# --------------------------------------------------------------------------- validation


def _validate(tmp_path: Path, sheets: dict, capsys: pytest.CaptureFixture[str]) -> list[str]:
    path = make_workbook(tmp_path, sheets)
    assert main(["validate", str(path)]) == 1
    return [line for line in capsys.readouterr().out.splitlines() if line.startswith("error")]


def test_validate_reports_bad_v2_rows_with_sheet_row_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheets = base_sheets()
    sheets["Criteria"][0] += ["kind", "value_points"]
    sheets["Criteria"][1] += ["benefit", "0.5:0; 0.4:100"]  # row 2: x decreases
    sheets["Criteria"][2] += ["cost", None]
    sheets["Criteria"][3] += ["benefit", None]
    sheets["CriteriaGroups"] = [["group", "weight"], ["Benefits", 50], ["Costs", 30]]  # Risks (C3, row 4) missing
    sheets["Scenarios"] = [["scenario", "parameter", "value"],
                           ["S", "no_such_parameter", 1],          # row 2
                           ["S", "target_minutes", -5],             # row 3
                           ["S", "OPT9.annual_cost_gbp", 10],       # row 4
                           ["S", "travel_times_file", "x.csv"]]     # row 5
    sheets["Uncertainty"] = [["parameter", "low", "high"],
                             ["busy_fraction_arv", 0.4, 0.6],       # row 2: 0.3 is below low
                             ["threat_level", 1, 2],                 # row 3: not a number
                             ["road_circuity", 1.5, 1.1]]            # row 4: ends swapped
    errors = _validate(tmp_path, sheets, capsys)
    text = "\n".join(errors)
    assert "Criteria row 2 column value_points: x 0.4 does not increase on 0.5" in text
    assert "Criteria row 4 column group: group 'Risks' of criterion 'C3' is not listed in CriteriaGroups" in text
    assert "Scenarios row 2 column parameter: 'no_such_parameter' is neither a parameter" in text
    assert "Scenarios row 3 column value: target_minutes: -5 is out of range" in text
    assert "Scenarios row 4 column parameter: option 'OPT9' is not in the Options sheet" in text
    assert "Scenarios row 5 column parameter: travel_times_file cannot vary in a scenario" in text
    assert "Uncertainty row 2 column low: the range 0.4 to 0.6 does not contain the workbook's value" in text
    assert "Uncertainty row 3 column parameter: threat_level is not a number" in text
    # swapped ends are said to be swapped, once, not "the range 1.5 to 1.1 does not contain 1.3"
    assert "Uncertainty row 4 column high: high (1.1) is below low (1.5); expected low <= high" in text
    assert sum("Uncertainty row 4" in line for line in errors) == 1


def test_an_uncertainty_range_is_not_held_against_a_value_that_did_not_read(tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """OPT1's annual cost typed "£420k" is its own error; the Uncertainty row on it had also
    been said to miss "the workbook's value of OPT1.annual_cost_gbp (0)", a value the
    workbook never gave. Likewise busy_fraction_arv typed "high" (Parameters row 6), whose
    range 0.4-0.6 had been held against the default 0.3. One error each, where each is."""
    sheets = base_sheets()
    sheets["Options"][2][5] = "£420k"                         # Options row 3, annual_cost_gbp
    sheets["Parameters"].append(["busy_fraction_arv", "high", ""])  # Parameters row 6
    sheets["Uncertainty"] = [["parameter", "low", "high"],
                             ["OPT1.annual_cost_gbp", 350000, 520000],  # row 2
                             ["busy_fraction_arv", 0.4, 0.6]]           # row 3
    errors = _validate(tmp_path, sheets, capsys)
    assert any(e.startswith("error: Options row 3 column annual_cost_gbp: holds '£420k', which is not a number")
               for e in errors), errors
    assert any(e.startswith("error: Parameters row 6 column value: busy_fraction_arv:") for e in errors), errors
    assert not [e for e in errors if "Uncertainty" in e], errors
    assert len(errors) == 2, errors
    # with both read, the rows are checked: OPT1's 120,000 (the base force) is below
    # 350,000, and busy_fraction_arv left out takes its default 0.3, below 0.4
    sheets["Options"][2][5] = 120000
    del sheets["Parameters"][-1]
    errors = _validate(tmp_path, sheets, capsys)
    assert errors == ["error: Uncertainty row 2 column low: the range 350,000 to 520,000 does not contain the "
                      "workbook's value of OPT1.annual_cost_gbp (120,000); expected low <= workbook value <= high",
                      "error: Uncertainty row 3 column low: the range 0.4 to 0.6 does not contain the "
                      "workbook's value of busy_fraction_arv (0.3); expected low <= workbook value <= high"], errors


def test_validate_catches_what_appraise_would_have_stopped_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Rows that passed validate and then stopped appraise with an internal error (or a
    divide-by-zero warning): each is now an error naming its sheet, row and column."""
    sheets = base_sheets()  # no Incidents, no DemandProfile, armed_incidents_per_year left blank
    sheets["Scenarios"] = [["scenario", "parameter", "value"],
                           ["Profile", "hour_weighting", "profile"],      # row 2: no DemandProfile sheet
                           ["By incidents", "hour_weighting", "Incidents"],  # row 3: no Incidents sheet
                           ["Eq", "equality_columns", "rurality, nowhere"]]  # row 4: no Areas column 'nowhere'
    sheets["Uncertainty"] = [["parameter", "low", "high"],
                             ["speed_kmh_urban", 0, 50],                 # row 2: a speed must be more than 0
                             ["armed_incidents_per_year", 100, 200],     # row 3: nothing to vary around
                             ["target_minutes", 0, 30]]                  # row 4: a target must be more than 0
    errors = _validate(tmp_path, sheets, capsys)
    text = "\n".join(errors)
    assert "Scenarios row 2 column value: scenario 'Profile' weights hours by the DemandProfile sheet" in text
    assert "Scenarios row 3 column value: scenario 'By incidents' weights hours by incidents but the workbook has " \
           "no Incidents rows" in text
    assert "Scenarios row 4 column value: scenario 'Eq': equality_columns names 'nowhere'" in text
    assert not any("'rurality'" in e for e in errors)  # the column that exists is fine
    assert "Uncertainty row 2 column low: speed_kmh_urban: 0 is out of range; expected a number more than 0" in text
    assert "Uncertainty row 3 column parameter: armed_incidents_per_year has no value in the workbook" in text
    assert "Uncertainty row 4 column low: target_minutes: 0 is out of range" in text
    assert len(errors) == 6, errors


def test_validate_reports_bad_equality_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheets = base_sheets()
    sheets["Parameters"].append(["equality_columns", "imd_decile", ""])  # row 6
    errors = _validate(tmp_path, sheets, capsys)
    assert any("Parameters row 6 column value: equality_columns names 'imd_decile'" in e for e in errors)


# --------------------------------------------------------------------------- the summary workbook


def test_summary_gets_scenarios_parameter_sensitivity_and_equality_sheets(tmp_path: Path) -> None:
    import openpyxl

    from desktop_app.core.export import write_summary

    sheets = _scenario_sheets()
    sheets["Uncertainty"] = _uncertainty_sheets()["Uncertainty"]
    sheets["Parameters"].append(["equality_columns", "rurality", ""])
    run = run_appraisal(read_workbook(make_workbook(tmp_path, sheets)).inputs, [], samples=0)
    wb = openpyxl.load_workbook(write_summary(run, tmp_path / "s.xlsx"))
    names = wb.sheetnames
    assert names.index("WeightSets") < names.index("Scenarios") < names.index("ParameterSensitivity") \
        < names.index("Equality") < names.index("Coverage")

    from tests.export_helpers import table

    scen = table(wb["Scenarios"])
    # one row per option: the base case, then each of the 3 scenarios side by side
    assert len(scen) == 3
    busy = {r["option_id"]: r["scenario:Busy:total_value"] for r in scen}
    assert busy == pytest.approx(run.scenarios["Busy"].appraisal.totals.to_dict())
    assert {r["option_id"]: r["scenario:Busy:rank"] for r in scen} == run.scenarios["Busy"].appraisal.ranks.to_dict()
    assert {r["option_id"]: r["base:total_value"] for r in scen} == pytest.approx(run.appraisal.totals.to_dict())
    ps = table(wb["ParameterSensitivity"])
    # one row per uncertain input, each option's pair of totals beside its range
    assert [r["parameter"] for r in ps] == [s.parameter for s in run.parameter_sensitivity]
    assert {r["parameter"] for r in ps} == {"busy_fraction_arv", "OPT1.one_off_cost_gbp"}
    for r, s in zip(ps, run.parameter_sensitivity, strict=True):
        for o in ("OPT0", "OPT1", "OPT2"):
            assert r[f"{o}:total_low"] == pytest.approx(s.totals_low[o])
            assert r[f"{o}:total_high"] == pytest.approx(s.totals_high[o])
        assert (r["top_low"], r["top_high"]) == (s.top_low, s.top_high)
        assert r["low"] <= r["value"] <= r["high"] and r["value"] == pytest.approx(s.value)  # where the base sits
    eq = table(wb["Equality"])
    # two rurality groups (C1, E2), one row each, a column per option (three)
    assert [r["group"] for r in eq] == ["C1", "E2"]
    e2 = next(r for r in eq if r["group"] == "E2")
    for o in ("OPT0", "OPT1", "OPT2"):
        assert e2[f"{o}:population_coverage"] == pytest.approx(run.equality["rurality"]["E2"][o])


# --------------------------------------------------------------------------- swings


def test_an_added_option_moving_a_local_scale_is_reported_with_the_rescaled_weight() -> None:
    from desktop_app.core.appraisal.swings import describe, swing_changes

    crit = [{"criterion_id": "L", "measure": "population_coverage", "weight": 12},
            {"criterion_id": "F", "measure": "threat_coverage", "weight": 8, "worst": 0.0, "best": 1.0}]
    before = build_value_model(make_inputs(["A", "B"], crit),
                               make_coverage(["A", "B"], {"population_coverage": [0.5, 0.7],
                                                          "threat_coverage": [0.4, 0.6]}).measures)
    after = build_value_model(make_inputs(["A", "B", "C"], crit),
                              make_coverage(["A", "B", "C"], {"population_coverage": [0.5, 0.7, 0.9],
                                                              "threat_coverage": [0.4, 0.6, 0.9]}).measures)
    changes = swing_changes(before.scales, after.scales, {"L": 12, "F": 8})
    # only the local scale L moved: 0.5-0.7 (range 0.2) became 0.5-0.9 (range 0.4);
    # keeping its swing's meaning: 12 x 0.4 / 0.2 = 24. F's fixed 0-1 scale did not move.
    assert [c.criterion_id for c in changes] == ["L"]
    assert changes[0].factor == pytest.approx(2.0) and changes[0].new_weight == pytest.approx(24.0)
    assert describe(changes[0]) == "L's scale now runs from 0.5 to 0.9 (was 0.5 to 0.7): keep its swing with weight 24 (was 12)"


def test_appraise_scenario_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_workbook(tmp_path, _scenario_sheets())
    assert main(["appraise", str(path), "-o", str(tmp_path / "s.xlsx"), "--json", "--samples", "50"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert main(["appraise", str(path), "-o", str(tmp_path / "s.xlsx"), "--json", "--samples", "50",
                 "--scenario", "Short target"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["provenance"]["scenario"] == "Short target" and plain["provenance"]["scenario"] is None
    # the main result is the scenario's, and the scenarios table is the same either way
    assert [o["total_value"] for o in doc["options"]] == [o["total_value"] for o in doc["scenarios"]["Short target"]]
    assert doc["scenarios"] == plain["scenarios"]
    assert list(doc["scenarios"]) == ["Busy", "Slow roads", "Short target"]


def test_value_for_money_plots_benefit_value_not_the_total() -> None:
    """Every value-for-money chart draws this table: benefit value against cost (the total
    already holds cost, so plotting it against cost would count cost twice)."""
    from types import SimpleNamespace

    import pandas as pd

    from desktop_app.core.appraisal.value_for_money import BENEFIT_AXIS, TOTAL_AXIS, value_for_money

    ids = ["A", "B", "C"]
    # costs £0, £1m, £2m; benefit 40, 60, 55: C costs more than B and gives less, so it is
    # dominated; the totals (cost criterion included) would rank A first: 70, 65, 50.
    app = SimpleNamespace(totals=pd.Series([70.0, 65.0, 50.0], index=ids),
                          benefit_value=pd.Series([40.0, 60.0, 55.0], index=ids))
    measures = pd.DataFrame({"whole_life_cost_gbp": [0.0, 1e6, 2e6]}, index=ids)
    vfm = value_for_money(app, measures)  # type: ignore[arg-type]
    assert vfm.values.tolist() == [40.0, 60.0, 55.0] and vfm.benefit and vfm.axis_title == BENEFIT_AXIS
    assert vfm.frontier_ids == ["A", "B"]  # A cheapest; B more benefit; C dominated by B
    # with no benefit criterion (benefit_value None), the totals: A 70 at £0 dominates both
    app.benefit_value = None
    vfm = value_for_money(app, measures)  # type: ignore[arg-type]
    assert vfm.values.tolist() == [70.0, 65.0, 50.0] and not vfm.benefit and vfm.axis_title == TOTAL_AXIS
    assert vfm.frontier_ids == ["A"]
