"""Coverage measures pinned on small cases worked by hand (docs/measures.md)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from coverage_factory import dep, make_inputs

from desktop_app.core.added_option import AddedOption, DeploymentSpec
from desktop_app.core.coverage.costs import (
    active_hours,
    officers_required,
    on_duty,
    whole_life_cost,
)
from desktop_app.core.coverage.engine import compute_coverage, compute_option_coverage
from desktop_app.core.coverage.measures import (
    lower_median_per_row,
    threat_index,
    weighted_lower_quantile,
)
from desktop_app.core.errors import Cancelled
from desktop_app.core.workbook import schema

# ---------------------------------------------------------------------------
# The worked case: three areas, two sites, target 20 minutes.
#
#   travel minutes   A1 (pop 100, urban)   A2 (pop 200, rural)   A3 (pop 700, rural)
#   S1                       5                    15                    30
#   S2                      25                    12                    16
#
# Threat: indicator i1 (weight 2) = 10, 0, 30 -> x/max = 1/3, 0, 1;
#         indicator i2 (weight 1) = 0, 0, 0 -> max 0, contributes 0.
#   t = (2/3, 0, 2), sum 8/3.
#
# OPT0 (baseline): one ARV at S1, crew 2, all day, busy 0.3, mobilisation 1.
#   r = 6, 16, 31 -> A1, A2 covered every hour.
#   population_coverage = 300/1000 = 0.3; threat_coverage = (2/3)/(8/3) = 0.25
#   e = 0.7, 0.7, 0  -> expected_coverage = (70 + 140)/1000 = 0.21
#   area-hour weights: 6 (100), 16 (200), 31 (700) per hour -> cum share 0.1, 0.3, 1.0
#     -> median 31, p90 31.
#   rural: 16 (200), 31 (700) -> median 31; urban: 6 -> gap 25.
#   officers = 1 post x crew 2 x 5.5 x 24/24 = 11.
#
# OPT1: OPT0 plus 2 armed response officers at S2, crew 1, 20:00-08:00 (wraps;
#   12 hours: 20..23 and 0..7), busy 0.1, mobilisation 3 -> r(S2) = 28, 15, 19.
#   night: R = 6, 15, 19 -> all covered (pop 1.0, threat 1.0)
#          e = A1: 1-0.3 = 0.7 (S2 too slow); A2: 1 - 0.3 x 0.1^2 = 0.997; A3: 1 - 0.1^2 = 0.99
#          expected = (70 + 199.4 + 693)/1000 = 0.9624
#   day:   as OPT0 (pop 0.3, threat 0.25, expected 0.21)
#   -> population 0.65, threat 0.625, expected (0.9624 + 0.21)/2 = 0.5862
#   area-hour weights (pop x hours): 6 (2400), 15 (2400), 16 (2400), 19 (8400), 31 (8400)
#     total 24000; cum 2400, 4800, 7200, 15600, 24000
#     median needs 12000 -> 19; p90 needs 21600 -> 31.
#   rural: 15 (2400), 16 (2400), 19 (8400), 31 (8400): total 21600, half 10800 -> 19;
#   urban 6 -> gap 13.
#   officers = 11 + 2 x 1 x 5.5 x 12/24 = 16.5.
#   costs: one-off 100,000, annual 50,000 over 5 years at 3.5%.
#
# OPT2: one ARV at S1 08:00-20:00 only: at night no asset is active (R = inf).
#   population = (0.3 x 12 + 0 x 12)/24 = 0.15
#   area-hours: 6 (1200), 16 (2400), 31 (8400), inf (12000); total 24000
#     cum 1200, 3600, 12000 -> median exactly at 31 (share 0.5 reached); p90 = inf.
#   rural: 16 (2400), 31 (8400), inf (10800): half 10800 reached at 31;
#   urban: 6 (1200), inf (1200): half 1200 reached at 6 -> gap 25.
# ---------------------------------------------------------------------------

TRAVEL = [[5, 15, 30], [25, 12, 16]]
POP = [100, 200, 700]
RURAL = [False, True, True]
THREAT = {"i1": [10.0, 0.0, 30.0], "i2": [0.0, 0.0, 0.0]}
WEIGHTS = {"i1": 2.0, "i2": 1.0}


def worked_inputs():
    deployments = [
        dep("OPT0", "S1", "ARV", posts=1, crew=2, busy=0.3, mob=1),
        dep("OPT1", "S1", "ARV", posts=1, crew=2, busy=0.3, mob=1),
        dep("OPT1", "S2", "ARMED_RESPONSE_OFFICER", posts=2, crew=1, start=20, end=8, busy=0.1, mob=3),
        dep("OPT2", "S1", "ARV", posts=1, crew=2, start=8, end=20, busy=0.3, mob=1),
    ]
    options = [
        {"option_id": "OPT0", "baseline": True},
        {"option_id": "OPT1", "one_off_cost_gbp": 100_000, "annual_cost_gbp": 50_000, "implementation_months": 9},
        {"option_id": "OPT2"},
    ]
    return make_inputs(TRAVEL, POP, RURAL, deployments, options=options, threat=THREAT, weights=WEIGHTS)


@pytest.fixture(scope="module")
def worked():
    return compute_coverage(worked_inputs())


def test_threat_index_by_hand():
    inputs = worked_inputs()
    np.testing.assert_allclose(threat_index(inputs.threat, inputs.indicators), [2 / 3, 0, 2])


def test_baseline_measures_by_hand(worked):
    m = worked.measures.loc["OPT0"]
    assert m["population_coverage"] == pytest.approx(0.3)
    assert m["threat_coverage"] == pytest.approx(0.25)
    assert m["expected_coverage"] == pytest.approx(0.21)
    assert m["median_response_minutes"] == 31
    assert m["p90_response_minutes"] == 31
    assert m["rural_gap_minutes"] == 25
    assert m["officers_required"] == pytest.approx(11)
    assert m["whole_life_cost_gbp"] == 0
    assert m["implementation_months"] == 0


def test_wraparound_and_busy_fractions_by_hand(worked):
    m = worked.measures.loc["OPT1"]
    assert m["population_coverage"] == pytest.approx(0.65)
    assert m["threat_coverage"] == pytest.approx(0.625)
    assert m["expected_coverage"] == pytest.approx((0.9624 + 0.21) / 2)
    assert m["median_response_minutes"] == 19
    assert m["p90_response_minutes"] == 31
    assert m["rural_gap_minutes"] == 13
    assert m["officers_required"] == pytest.approx(16.5)
    annuity = (1 - 1.035**-5) / 0.035  # closed form of sum 1/1.035^y, y = 1..5
    assert m["whole_life_cost_gbp"] == pytest.approx(100_000 + 50_000 * annuity)
    assert m["implementation_months"] == 9


def test_wraparound_hours_by_hour(worked):
    by_hour = worked.by_hour["OPT1"]
    night = [20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 6, 7]
    day = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]
    assert by_hour[night].tolist() == pytest.approx([1.0] * 12)
    assert by_hour[day].tolist() == pytest.approx([0.3] * 12)
    resp = worked.options["OPT1"].response
    assert resp[2, 7] == 19 and resp[2, 8] == 31 and resp[2, 20] == 19 and resp[2, 19] == 31
    exp = worked.options["OPT1"].expected
    assert exp[1, 0] == pytest.approx(0.997)
    assert exp[2, 0] == pytest.approx(0.99)
    assert exp[0, 0] == pytest.approx(0.7)


def test_per_area_by_hand(worked):
    pa = worked.per_area["OPT1"]
    assert list(pa.columns) == ["share_hours_covered", "median_response_minutes", "expected_cover"]
    assert pa["share_hours_covered"].tolist() == pytest.approx([1.0, 1.0, 0.5])
    # lower median of 24 values: 12 x 19 and 12 x 31 -> the 12th smallest, 19
    assert pa["median_response_minutes"].tolist() == [6, 15, 19]
    assert pa["expected_cover"].tolist() == pytest.approx([0.7, (0.7 + 0.997) / 2, 0.99 / 2])


def test_hour_with_no_asset(worked):
    m = worked.measures.loc["OPT2"]
    assert m["population_coverage"] == pytest.approx(0.15)
    assert m["median_response_minutes"] == 31
    assert m["p90_response_minutes"] == math.inf
    assert m["rural_gap_minutes"] == 25
    assert m["officers_required"] == pytest.approx(5.5)
    assert np.isinf(worked.options["OPT2"].response[:, 3]).all()
    assert worked.by_hour["OPT2"][3] == 0
    assert worked.per_area["OPT2"]["median_response_minutes"].tolist() == [6, 16, 31]
    assert worked.per_area["OPT2"]["expected_cover"].tolist() == pytest.approx([0.35, 0.35, 0])


def test_result_shape(worked):
    assert list(worked.measures.columns) == list(schema.MEASURES)
    assert worked.measures.index.tolist() == ["OPT0", "OPT1", "OPT2"] == worked.option_ids
    assert worked.by_hour.shape == (24, 3)
    assert worked.options["OPT0"].response.shape == (3, 24)
    assert worked.covered("OPT0")[:, 0].tolist() == [True, True, False]
    assert worked.target_minutes == 20
    assert worked.findings == []


def test_exactly_on_target_counts_even_with_float32_noise():
    # 16.7 is stored as 16.7000008 in float32; 16.7 + 3.3 = 20 must count as covered.
    inputs = make_inputs([[16.7]], [10], [False], [dep("O", "S1", "ARV", mob=3.3, busy=0.5)])
    m = compute_coverage(inputs).measures.loc["O"]
    assert m["population_coverage"] == 1.0
    assert m["expected_coverage"] == pytest.approx(0.5)
    assert m["median_response_minutes"] == pytest.approx(20.0, abs=1e-9)


def test_no_deployments_infinite_and_gap_undefined():
    inputs = make_inputs([[5, 5]], [10, 10], [False, True], [dep("O", "S1")],
                         options=[{"option_id": "O"}, {"option_id": "EMPTY"}])
    res = compute_coverage(inputs)
    m = res.measures.loc["EMPTY"]
    assert m["population_coverage"] == 0
    assert m["median_response_minutes"] == math.inf
    assert math.isnan(m["rural_gap_minutes"])
    assert m["officers_required"] == 0
    assert any("EMPTY" in f.message and f.level == "warning" for f in res.findings)


def test_no_rural_areas_gap_is_nan_with_one_warning():
    inputs = make_inputs([[5, 5]], [10, 10], [False, False], [dep("O", "S1"), dep("P", "S1")])
    res = compute_coverage(inputs)
    assert res.measures["rural_gap_minutes"].isna().all()
    gap = [f for f in res.findings if "rural_gap_minutes" in f.message]
    assert len(gap) == 1 and "no rural areas" in gap[0].message and gap[0].sheet == "Areas"


def test_zero_threat_everywhere_warns_and_scores_one():
    inputs = make_inputs([[5, 50]], [10, 10], [False, True], [dep("O", "S1")], threat={"x": [0.0, 0.0]})
    res = compute_coverage(inputs)
    assert res.measures.loc["O", "threat_coverage"] == 1.0
    assert any(f.sheet == "Threat" for f in res.findings)


def test_busy_fraction_several_posts_and_defaults():
    # Two deployments reach the area: ARV (default busy 0.3, mob 1) with 3 posts at 9 min,
    # ARO (default busy 0.1, mob 3) with 2 posts at 12 min; a third at 25 min is too slow.
    # e = 1 - 0.3^3 x 0.1^2 = 1 - 0.027 x 0.01 = 0.99973
    inputs = make_inputs(
        [[8], [9], [24]], [50], [True],
        [dep("O", "S1", "ARV", posts=3), dep("O", "S2", "ARMED_RESPONSE_OFFICER", posts=2),
         dep("O", "S3", "ARV", posts=4)],
    )
    res = compute_coverage(inputs)
    assert res.measures.loc["O", "expected_coverage"] == pytest.approx(0.99973)
    assert res.measures.loc["O", "median_response_minutes"] == 9  # 8 + 1


def test_estimated_travel_times_by_hand():
    # Estimated pairs (reader): metres / 1000 x circuity / speed x 60.
    # Site at (0, 0); urban area 10 km east: 10 x 1.3 / 40 x 60 = 19.5 min; rural area
    # 10 km north: 10 x 1.3 / 65 x 60 = 12 min. ARV mobilisation 1 -> 20.5 and 13 against 20.
    urban = 10 * 1.3 / 40 * 60
    rural = 10 * 1.3 / 65 * 60
    inputs = make_inputs([[urban, rural]], [100, 300], [False, True], [dep("O", "S1", "ARV")])
    inputs.estimated[:] = True
    m = compute_coverage(inputs).measures.loc["O"]
    assert m["population_coverage"] == pytest.approx(0.75)
    assert m["median_response_minutes"] == 13
    assert m["rural_gap_minutes"] == pytest.approx(13 - 20.5)


def test_weighted_lower_quantile_rules():
    assert weighted_lower_quantile([1, 2], [1, 1], 0.5) == 1  # share 0.5 reached at 1
    assert weighted_lower_quantile([3, 1, 2], [1, 1, 1], 0.5) == 2
    assert weighted_lower_quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1] * 10, 0.9) == 9
    assert weighted_lower_quantile([1, math.inf], [1, 9], 0.5) == math.inf
    assert weighted_lower_quantile([1.0, 2.0], [0.25, 0.75], 0.25) == 1.0
    assert math.isnan(weighted_lower_quantile([1, 2], [0, 0], 0.5))
    assert lower_median_per_row(np.array([[4.0, 1.0, 3.0, 2.0]]))[0] == 2.0


def test_active_hours_and_costs():
    assert active_hours(0, 24).all()
    assert active_hours(22, 6).sum() == 8 and active_hours(22, 6)[23] and active_hours(22, 6)[5]
    assert not active_hours(22, 6)[6]
    assert active_hours(7, 19).sum() == 12 and active_hours(7, 19)[7] and not active_hours(7, 19)[19]
    assert whole_life_cost(10, 100, 2, 0.1) == pytest.approx(10 + 100 / 1.1 + 100 / 1.21)
    assert whole_life_cost(10, 100, 0, 0.1) == 10
    deps = pd.DataFrame({"posts": [2], "crew_size": [2], "start_hour": [22], "end_hour": [6]})
    inputs = worked_inputs()
    assert officers_required(deps, inputs.parameters) == pytest.approx(2 * 2 * 5.5 * 8 / 24)


def test_extra_option_and_ad_hoc_coverage():
    inputs = worked_inputs()
    extra_deps = pd.DataFrame([dep("NEW", "S2", "ARMED_RESPONSE_OFFICER", posts=1)])
    extra = AddedOption("NEW", "Station S2", one_off_cost_gbp=5, annual_cost_gbp=0, implementation_months=2,
                        deployments=(DeploymentSpec("S2", "ARMED_RESPONSE_OFFICER"),), include_baseline=False)
    res = compute_coverage(inputs, extra_options=[extra])
    assert res.option_ids == ["OPT0", "OPT1", "OPT2", "NEW"]
    # S2 ARO all day (mob 3): 28, 15, 19 -> A2, A3 covered: 900/1000
    assert res.measures.loc["NEW", "population_coverage"] == pytest.approx(0.9)
    assert res.measures.loc["NEW", "whole_life_cost_gbp"] == 5
    cov = compute_option_coverage(inputs, extra_deps.drop(columns=["busy_fraction"]), "NEW")
    assert cov.response[:, 0].tolist() == [28, 15, 19]
    assert cov.expected[:, 0].tolist() == pytest.approx([0, 0.9, 0.9])


def test_progress_and_cancel():
    calls: list[tuple[float, str]] = []
    compute_coverage(worked_inputs(), progress=lambda f, m: calls.append((f, m)))
    assert calls[0][0] == 0 and calls[-1][0] == 1.0
    assert [f for f, _ in calls] == sorted(f for f, _ in calls)
    with pytest.raises(Cancelled):
        compute_coverage(worked_inputs(), cancelled=lambda: True)


def test_estimated_travel_times_end_to_end_through_the_reader(tmp_path):
    # workbook_factory's force: site S3 (neighbour base at 430000, 280000) has no TravelTimes
    # rows, so the reader estimates km x 1.3 / speed x 60, urban 40 km/h, rural 65 km/h.
    # OPT2 = NEIGHBOUR_ARV at S3 all day, ARV default mobilisation 1 minute, target 20.
    #   A1 urban (400000, 300000): 36.056 km -> 70.31 min + 1
    #   A2 urban (403000, 300000): 33.601 km -> 65.52 min + 1
    #   A3 rural (410000, 290000): 22.361 km -> 26.83 min + 1
    #   A4 rural (420000, 280000): 10 km -> 12 min + 1 = 13 -> the only area covered.
    # population 1500, 1200, 800, 500 -> coverage 500/4000 = 0.125;
    # median: cum 500 (A4), 1300 (A3), 2500 (A2) >= 2000 -> A2; p90 (3600) -> A1;
    # rural median (650 of 1300) -> A3; urban median (1350 of 2700) -> A1.
    from workbook_factory import make_workbook

    from desktop_app.core.workbook.reader import read_workbook

    read = read_workbook(make_workbook(tmp_path))
    assert read.ok and read.inputs.estimated_pairs == 4
    m = compute_coverage(read.inputs).measures.loc["OPT2"]

    def est(km: float, speed: float) -> float:
        return km * 1.3 / speed * 60 + 1

    a1, a2, a3 = est(math.hypot(30, 20), 40), est(math.hypot(27, 20), 40), est(math.hypot(20, 10), 65)
    assert m["population_coverage"] == pytest.approx(0.125)
    assert m["median_response_minutes"] == pytest.approx(a2, abs=1e-3)
    assert m["p90_response_minutes"] == pytest.approx(a1, abs=1e-3)
    assert m["rural_gap_minutes"] == pytest.approx(a3 - a1, abs=1e-3)
    # busy 0.5, one post: expected cover of A4 is 0.5 -> 500 x 0.5 / 4000
    assert m["expected_coverage"] == pytest.approx(0.0625)


def test_on_duty_is_the_engines_rule_hour_by_hour() -> None:
    # 22 to 6 wraps past midnight: 22:00-06:00, so 23 and 5 are on duty, 6 and 21 are not
    assert [on_duty(22, 6, h) for h in (21, 22, 23, 0, 5, 6)] == [False, True, True, True, True, False]
    assert all(on_duty(0, 24, h) for h in range(24))  # all day
    assert not any(on_duty(24, 0, h) for h in range(24))  # never (the reader refuses it)
    assert [on_duty(8, 16, h) for h in (7, 8, 15, 16)] == [False, True, True, False]
    for start, end in ((22, 6), (8, 16), (0, 24), (19, 7)):
        assert [on_duty(start, end, h) for h in range(24)] == active_hours(start, end).tolist()
