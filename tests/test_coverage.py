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
    whole_life_cost,
)
from desktop_app.core.coverage.engine import compute_coverage, compute_option_coverage
from desktop_app.core.coverage.measures import (
    lower_median_per_row,
    threat_index,
    weighted_lower_quantile,
)
from desktop_app.core.coverage.units import active_week
from desktop_app.core.errors import Cancelled
from desktop_app.core.workbook import schema

# ---------------------------------------------------------------------------
# The worked case: three areas, two sites, target T = 20 minutes, backup target
# T_b = 30, flat hour weights (each hour of the week 1/168). docs/measures.md.
#
#   travel minutes   A1 (pop 100, urban)   A2 (pop 200, rural)   A3 (pop 700, rural)
#   S1                       5                    15                    30
#   S2                      25                    12                    16
#
# Threat: indicator i1 (weight 2) = 10, 0, 30 -> x/max = 1/3, 0, 1;
#         indicator i2 (weight 1) = 0, 0, 0 -> max 0, contributes 0.
#   t = (2/3, 0, 2), sum 8/3.
#
# OPT0 (baseline): one ARV at S1, crew 2, all week, busy q = 0.3, mobilisation 1.
#   r = 6, 16, 31.  F(20) = 0.7, 0.7, 0 (the one unit is free 70% of the time).
#   population_coverage = (100 x 0.7 + 200 x 0.7)/1000 = 0.21; all free: 300/1000 = 0.3
#   threat_coverage = (2/3 x 0.7)/(8/3) = 0.175; all free (2/3)/(8/3) = 0.25
#   backup (crew 2 within 30 min: A1, A2): G = 0.7, 0.7, 0 -> 0.21
#   rural = (200 x 0.7)/900 = 0.15556; urban = 0.7
#   first-free-unit minutes over residents: 6 (70 people-shares), 16 (140), 31 (490),
#     never (300); cum 70, 210, 700, 1000 -> median (500) 31, p90 (900) infinite.
#   rural: 16 (140), 31 (490), never (270) of 900: half 450 -> 31; urban: 6 (70) of 100 -> 6;
#     gap 25.  officers = 1 post x crew 2 x 5.5 x 168/168 = 11.
#
# OPT1: OPT0 plus 2 armed response officers at S2, crew 1, 20:00-08:00 every day
#   (84 of 168 hours, half the weight), busy 0.1, mobilisation 3 -> r(S2) = 28, 15, 19.
#   night: F = A1 0.7 (S2 too slow); A2 1 - 0.3 x 0.1^2 = 0.997; A3 1 - 0.1^2 = 0.99
#          -> (70 + 199.4 + 693)/1000 = 0.9624;   day: as OPT0, 0.21
#   -> population (0.9624 + 0.21)/2 = 0.5862; all free (1.0 + 0.3)/2 = 0.65
#   threat: night (2/3 x 0.7 + 2 x 0.99)/(8/3) = 0.9175, day 0.175 -> 0.54625
#   backup at night, A1 and A2: crew-2 ARV (q 0.3) and two single AROs (q 0.1) within 30:
#          G = 1 - 0.3 x (0.1^2 + 2 x 0.9 x 0.1) = 1 - 0.3 x 0.19 = 0.943;
#          A3: only the two AROs (19 min): G = 1 - 0.19 = 0.81 (both free: 0.9^2)
#          -> (94.3 + 188.6 + 567)/1000 = 0.8499; day 0.21 -> 0.52995
#   first free unit (people x half-weeks): night A1 6: 35, 28: 50 x 0.3 x 0.99 = 14.85,
#     never 0.15; A2 15: 99, 16: 100 x 0.01 x 0.7 = 0.7, never 0.3; A3 19: 346.5,
#     31: 2.45, never 1.05; day A1 6: 35, never 15; A2 16: 70, never 30; A3 31: 245, never 105.
#     By minutes: 6: 70, 15: 99, 16: 70.7, 19: 346.5, 28: 14.85, 31: 247.45, never 151.5
#     cum 70, 169, 239.7, 586.2 -> median (500) 19; p90 (900) never -> infinite.
#   rural (900): 99, 169.7, 516.2 -> median 19; urban 6 -> gap 13.
#   officers = 11 + 2 x 1 x 5.5 x 84/168 = 16.5.
#   costs: one-off 100,000, annual 50,000 over 5 years at 3.5%.
#
# OPT2: one ARV at S1 08:00-20:00 only: at night no unit (R0 = inf, F = 0).
#   population = (0.21 + 0)/2 = 0.105; all free (0.3 + 0)/2 = 0.15
#   first free unit: 6: 35, 16: 70, 31: 245, never 150 + 500 -> median infinite;
#   rural and urban medians both infinite -> rural_gap undefined (NaN, a warning).
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
    assert m["population_coverage"] == pytest.approx(0.21)
    assert m["population_coverage_all_free"] == pytest.approx(0.3)
    assert m["threat_coverage"] == pytest.approx(0.175)
    assert m["threat_coverage_all_free"] == pytest.approx(0.25)
    assert m["backup_coverage"] == pytest.approx(0.21)
    assert m["rural_coverage"] == pytest.approx(140 / 900)
    assert m["urban_coverage"] == pytest.approx(0.7)
    assert m["median_response_minutes"] == 31
    assert m["p90_response_minutes"] == math.inf
    assert m["rural_gap_minutes"] == 25
    assert m["officers_required"] == pytest.approx(11)
    assert m["neighbour_officers"] == 0
    assert m["whole_life_cost_gbp"] == 0
    assert m["implementation_months"] == 0
    assert math.isnan(m["incident_coverage"])


def test_wraparound_and_busy_fractions_by_hand(worked):
    m = worked.measures.loc["OPT1"]
    assert m["population_coverage"] == pytest.approx((0.9624 + 0.21) / 2)
    assert m["population_coverage_all_free"] == pytest.approx(0.65)
    assert m["threat_coverage"] == pytest.approx(0.54625)
    assert m["backup_coverage"] == pytest.approx((0.8499 + 0.21) / 2)
    assert m["median_response_minutes"] == 19
    assert m["p90_response_minutes"] == math.inf
    assert m["rural_gap_minutes"] == 13
    assert m["officers_required"] == pytest.approx(16.5)
    annuity = (1 - 1.035**-5) / 0.035  # closed form of sum 1/1.035^y, y = 1..5
    assert m["whole_life_cost_gbp"] == pytest.approx(100_000 + 50_000 * annuity)
    assert m["implementation_months"] == 9


def test_wraparound_hours_by_hour(worked):
    by_hour = worked.by_hour["OPT1"]
    free = worked.by_hour_all_free["OPT1"]
    # Every day of the week: night 20..23 and 0..7 (Monday's early hours from Sunday's shift).
    for day in range(7):
        night = [24 * day + h for h in (20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 6, 7)]
        daytime = [24 * day + h for h in range(8, 20)]
        assert by_hour[night].tolist() == pytest.approx([0.9624] * 12)
        assert by_hour[daytime].tolist() == pytest.approx([0.21] * 12)
        assert free[night].tolist() == pytest.approx([1.0] * 12)
        assert free[daytime].tolist() == pytest.approx([0.3] * 12)
    resp = worked.options["OPT1"].response
    assert resp[2, 7] == 19 and resp[2, 8] == 31 and resp[2, 20] == 19 and resp[2, 19] == 31
    exp = worked.options["OPT1"].expected
    assert exp[1, 0] == pytest.approx(0.997)
    assert exp[2, 0] == pytest.approx(0.99)
    assert exp[0, 0] == pytest.approx(0.7)
    assert worked.options["OPT1"].backup_at(0).tolist() == pytest.approx([0.943, 0.943, 0.81])


def test_per_area_by_hand(worked):
    pa = worked.per_area["OPT1"]
    assert list(pa.columns) == ["share_hours_covered", "median_response_minutes", "expected_cover", "backup_cover"]
    assert pa["share_hours_covered"].tolist() == pytest.approx([1.0, 1.0, 0.5])
    # lower median of 168 values: A2 84 x 15 and 84 x 16 -> the 84th smallest, 15
    assert pa["median_response_minutes"].tolist() == [6, 15, 19]
    assert pa["expected_cover"].tolist() == pytest.approx([0.7, (0.7 + 0.997) / 2, 0.99 / 2])
    assert pa["backup_cover"].tolist() == pytest.approx([(0.943 + 0.7) / 2, (0.943 + 0.7) / 2, 0.81 / 2])


def test_hour_with_no_asset(worked):
    m = worked.measures.loc["OPT2"]
    assert m["population_coverage"] == pytest.approx(0.105)
    assert m["population_coverage_all_free"] == pytest.approx(0.15)
    assert m["median_response_minutes"] == math.inf
    assert m["p90_response_minutes"] == math.inf
    assert math.isnan(m["rural_gap_minutes"])
    assert m["officers_required"] == pytest.approx(5.5)
    assert np.isinf(worked.options["OPT2"].response[:, 3]).all()
    assert worked.by_hour["OPT2"][3] == 0
    assert worked.per_area["OPT2"]["median_response_minutes"].tolist() == [6, 16, 31]
    assert worked.per_area["OPT2"]["expected_cover"].tolist() == pytest.approx([0.35, 0.35, 0])
    assert any("OPT2" in f.message and "rural_gap_minutes" in f.message for f in worked.findings)


def test_result_shape(worked):
    assert list(worked.measures.columns) == list(schema.MEASURES)
    assert worked.measures.index.tolist() == ["OPT0", "OPT1", "OPT2"] == worked.option_ids
    assert worked.by_hour.shape == (168, 3)
    assert worked.options["OPT0"].response.shape == (3, 168)
    assert worked.covered("OPT0")[:, 0].tolist() == [True, True, False]
    assert worked.target_minutes == 20
    # The only warning: no Incidents sheet, so incident_coverage is undefined.
    assert [f.sheet for f in worked.findings if "OPT2" not in f.message] == ["Incidents"]


def test_exactly_on_target_counts_even_with_float32_noise():
    # 16.7 is stored as 16.7000008 in float32; 16.7 + 3.3 = 20 must count as covered.
    inputs = make_inputs([[16.7]], [10], [False], [dep("O", "S1", "ARV", mob=3.3, busy=0.5)])
    m = compute_coverage(inputs).measures.loc["O"]
    assert m["population_coverage_all_free"] == 1.0
    assert m["population_coverage"] == pytest.approx(0.5)
    # first free unit: at 20 minutes half the time, never the other half -> median 20
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


def test_rural_areas_without_residents_say_why_rural_coverage_is_blank():
    # Two urban areas of 10 and a rural area of 0 residents: rural_coverage is a share of no
    # one, so undefined (NaN); it had been left blank with only the rural gap's warning.
    # urban_coverage stays a figure: both urban areas 5 minutes from S1's free ARV (busy 0.3).
    inputs = make_inputs([[5, 5, 5]], [10, 10, 0], [False, False, True], [dep("O", "S1"), dep("P", "S1")])
    res = compute_coverage(inputs)
    assert res.measures["rural_coverage"].isna().all()
    assert res.measures.loc["O", "urban_coverage"] == pytest.approx(0.7)
    said = [f for f in res.findings if f.message.startswith("rural_coverage is undefined")]
    assert len(said) == 1 and "rural areas all have population 0" in said[0].message
    assert (said[0].sheet, said[0].column, said[0].level) == ("Areas", "population", "warning")


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
    assert res.measures.loc["O", "population_coverage"] == pytest.approx(0.99973)
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
    assert m["population_coverage_all_free"] == pytest.approx(0.75)
    # busy 0.3: only the rural area (300 people) is in reach, free 70%: 210/400
    assert m["population_coverage"] == pytest.approx(0.525)
    # first free unit: 13 min for 210, 20.5 for 70, never 120 -> median (200) 13
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
    deps = pd.DataFrame({"posts": [2], "crew_size": [2], "start_hour": [22], "end_hour": [6], "asset_type": ["ARV"]})
    inputs = worked_inputs()
    assert officers_required(deps, inputs.parameters) == pytest.approx(2 * 2 * 5.5 * 8 / 24)


def test_extra_option_and_ad_hoc_coverage():
    inputs = worked_inputs()
    extra_deps = pd.DataFrame([dep("NEW", "S2", "ARMED_RESPONSE_OFFICER", posts=1)])
    extra = AddedOption("NEW", "Station S2", one_off_cost_gbp=5, annual_cost_gbp=0, implementation_months=2,
                        deployments=(DeploymentSpec("S2", "ARMED_RESPONSE_OFFICER"),), include_baseline=False)
    res = compute_coverage(inputs, extra_options=[extra])
    assert res.option_ids == ["OPT0", "OPT1", "OPT2", "NEW"]
    # S2 ARO all day (mob 3, busy 0.1): 28, 15, 19 -> A2, A3 in reach: 900/1000, free 90%
    assert res.measures.loc["NEW", "population_coverage_all_free"] == pytest.approx(0.9)
    assert res.measures.loc["NEW", "population_coverage"] == pytest.approx(0.81)
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
    assert m["population_coverage_all_free"] == pytest.approx(0.125)
    # busy 0.5, one post: F of A4 is 0.5 -> 500 x 0.5 / 4000
    assert m["population_coverage"] == pytest.approx(0.0625)
    # first free unit (people): A4 13: 250, A3: 400, A2: 600, A1: 750, never 2000 (of 4000);
    # cum 250, 650, 1250, 2000 -> the median (2000) is reached at A1; p90 never.
    assert m["median_response_minutes"] == pytest.approx(a1, abs=1e-3)
    assert m["p90_response_minutes"] == math.inf
    # rural (1300): 250, 650 -> A3; urban (2700): A2 600, A1 1350 -> A1
    assert m["rural_gap_minutes"] == pytest.approx(a3 - a1, abs=1e-3)
    assert a2 > a3


def test_on_duty_is_the_engines_rule_hour_by_hour() -> None:
    """The map asks the engine's own rule (units.active_week) which posts are on duty."""
    deps = pd.DataFrame({"start_hour": [22, 0, 8, 20], "end_hour": [6, 24, 16, 4],
                         "days": ["", "", "", "Fri,Sat"]})
    week = active_week(deps)
    # 22 to 6 every day: Monday 21:00 (h 21) off, 22:00 and 23:00 on, Tuesday 00:00-05:00
    # (h 24-29) on, Tuesday 06:00 (h 30) off
    assert [bool(week[0, h]) for h in (21, 22, 23, 24, 29, 30)] == [False, True, True, True, True, False]
    assert week[1].all()  # 0 to 24: all week
    assert [bool(week[2, h]) for h in (7, 8, 15, 16)] == [False, True, True, False]
    # 20 to 4 on Fri (day 4) and Sat (day 5): Fri 20:00 = h 116 .. Sat 03:00 = h 123, and
    # Sat 20:00 = h 140 .. Sun 03:00 = h 147: 8 + 8 = 16 hours
    assert int(week[3].sum()) == 16
    assert week[3][116] and week[3][123] and not week[3][124] and week[3][147] and not week[3][115]
    for start, end in ((22, 6), (8, 16), (0, 24), (19, 7)):
        one = active_week(pd.DataFrame({"start_hour": [start], "end_hour": [end], "days": [""]}))[0]
        assert one.reshape(7, 24).tolist() == [active_hours(start, end).tolist()] * 7


def test_an_options_week_cover_per_area_is_the_engines_expected_cover(sample_run) -> None:
    """OptionCoverage.week_cover (the Optimiser's map of an answer computed on its own) is
    the per-area expected_cover the engine reports: F(T) averaged over the 168 hours with
    the workbook's hour weights (flat on the sample: each hour 1/168)."""
    from desktop_app.core.coverage.units import raw_hour_weights

    cov, inputs = sample_run.coverage, sample_run.inputs
    w = raw_hour_weights(inputs)
    for oid in cov.option_ids:
        got = cov.options[oid].week_cover(w)
        np.testing.assert_allclose(got, cov.per_area[oid]["expected_cover"].to_numpy(float), rtol=0, atol=1e-12)
    # by hand for the first area of the baseline: the plain mean of its 168 hourly F (flat weights)
    oc = cov.options[inputs.baseline_id]
    assert oc.week_cover(np.ones(168))[0] == pytest.approx(float(np.mean([oc.cover_at(h)[0] for h in range(168)])))
