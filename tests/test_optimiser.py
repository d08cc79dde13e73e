"""The optimiser is exact: it matches brute-force enumeration, and small cases worked by hand."""

from __future__ import annotations

import dataclasses
import itertools
import random

import pandas as pd
import pytest
from coverage_factory import dep, make_inputs

from desktop_app.core.errors import Cancelled
from desktop_app.core.model import ForceInputs
from desktop_app.core.optimiser.milp import (
    MEASURES,
    measure_value,
    optimise,
    optimise_curve,
    post_deployments,
)


def random_instance(seed: int):
    """A small random force: baseline shifts on some days of the week, busy units, incidents."""
    rnd = random.Random(seed)
    n_areas, n_sites = rnd.randint(3, 12), rnd.randint(3, 7)
    travel = [[rnd.randint(5, 400) / 10 for _ in range(n_areas)] for _ in range(n_sites)]
    types = [rnd.choice(["POLICE_STATION", "POLICE_STATION", "ARV_BASE"]) for _ in range(n_sites)]
    deployments = []
    for _ in range(rnd.randint(1, 3)):
        start = rnd.randint(0, 23)
        end = rnd.choice([e for e in range(25) if e != start])
        row = dep("BASE", f"S{rnd.randint(1, n_sites)}", rnd.choice(["ARV", "ARMED_RESPONSE_OFFICER"]),
                  posts=rnd.randint(1, 2), start=start, end=end, busy=rnd.choice([None, 0.0, 0.25, 0.5]))
        row["days"] = rnd.choice(["", "", "Mon-Fri", "Fri,Sat", "Sat-Mon"])
        deployments.append(row)
    inputs = make_inputs(
        travel,
        [rnd.randint(0, 500) for _ in range(n_areas)],
        [rnd.random() < 0.5 for _ in range(n_areas)],
        deployments,
        threat={"x": [float(rnd.randint(0, 9)) for _ in range(n_areas)]},
        site_types=types,
        target_minutes=rnd.choice([10.0, 15.0, 20.0]),
        busy_fraction_aro=rnd.choice([0.0, 0.1, 0.35, 0.6]),
    )
    n_inc = rnd.randint(1, 15)
    where = [rnd.randint(0, n_areas - 1) for _ in range(n_inc)]
    inputs.incidents = pd.DataFrame({
        "incident_id": [f"I{i}" for i in range(n_inc)], "area_id": [f"A{a + 1}" for a in where],
        "grade": "", "weekday": [rnd.randint(0, 6) for _ in range(n_inc)],
        "hour": [rnd.randint(0, 23) for _ in range(n_inc)], "first_armed_minutes": float("nan"),
        "area_index": where, "excel_row": range(2, n_inc + 2),
    })
    return inputs


def brute_force(inputs, posts: int, measure: str, asset: str = "ARMED_RESPONSE_OFFICER"):
    """Best value over every set of min(posts, candidates) candidate sites."""
    base = inputs.deployments[inputs.deployments["option_id"] == "BASE"]
    used = set(base.loc[base["asset_type"] == asset, "site_index"])
    cands = [i for i, t in enumerate(inputs.sites["site_type"]) if t == "POLICE_STATION" and i not in used]
    best = -1.0
    for combo in itertools.combinations(cands, min(posts, len(cands))):
        deps = pd.concat([base, post_deployments(inputs, list(combo), asset, "BASE")], ignore_index=True)
        best = max(best, measure_value(inputs, deps, measure))
    return best, len(cands)


@pytest.mark.parametrize("measure", MEASURES)
@pytest.mark.parametrize("seed", range(12))
def test_optimiser_equals_brute_force(seed: int, measure: str) -> None:
    inputs = random_instance(seed)
    asset = "ARV" if seed % 4 == 3 else "ARMED_RESPONSE_OFFICER"  # ARV posts: crew 2, the _arv defaults
    posts = 1 + seed % 3
    best, n_cands = brute_force(inputs, posts, measure, asset)
    res = optimise(inputs, posts, asset_type=asset, measure=measure)
    assert res.value == pytest.approx(best, abs=1e-12)
    assert len(res.sites) == min(posts, n_cands)
    assert res.candidates == n_cands
    assert res.value >= res.baseline_value - 1e-12
    # The sites it reports really achieve the value it reports.
    site_idx = [inputs.sites["site_id"].tolist().index(s) for s in res.sites]
    base = inputs.deployments[inputs.deployments["option_id"] == "BASE"]
    deps = pd.concat([base, post_deployments(inputs, site_idx, asset, "BASE")])
    assert measure_value(inputs, deps, measure) == pytest.approx(res.value, abs=1e-12)


def test_curve_matches_brute_force_and_never_falls() -> None:
    inputs = random_instance(7)
    res = optimise_curve(inputs, 4, measure="population_coverage")
    assert [p.posts for p in res.curve] == [1, 2, 3, 4]
    values = [p.value for p in res.curve]
    assert values == sorted(values)
    for p in res.curve:
        assert p.value == pytest.approx(brute_force(inputs, p.posts, "population_coverage")[0], abs=1e-12)
    assert res.value == res.curve[-1].value and res.sites == res.curve[-1].sites


# Hand case: three areas (pop 100, 200, 700), target 20; ARO mobilisation 3 by default.
#   travel  A1  A2  A3
#   S1       5  30  30     ARV base, baseline ARV there 08:00-20:00 (mob 1 -> covers A1 by day)
#   S2      10  40  40     station: ARO reaches A1 only (13)
#   S3      40  15  40     station: reaches A2 (18)
#   S4      40  40  16     station: reaches A3 (19)
# Baseline population coverage: A1 for 12 of 24 hours = 100 x 12 / (1000 x 24) = 0.05.
# One post: S4 adds A3 all day, 700/1000 = 0.7 -> 0.75. (S2 would add only A1's 12 night
# hours, 0.05; S3 adds 0.2.) Two posts: S4 + S3 -> 0.95. Three: + S2 -> 1.0.
HAND_TRAVEL = [[5, 30, 30], [10, 40, 40], [40, 15, 40], [40, 40, 16]]
HAND_TYPES = ["ARV_BASE", "POLICE_STATION", "POLICE_STATION", "POLICE_STATION"]


def hand_inputs(extra_baseline=()):
    return make_inputs(
        HAND_TRAVEL, [100, 200, 700], [False, True, True],
        [dep("BASE", "S1", "ARV", start=8, end=20), *extra_baseline],
        site_types=HAND_TYPES,
    )


def test_hand_case_and_uncovered_hours_only() -> None:
    inputs = hand_inputs()
    res = optimise_curve(inputs, 3, measure="population_coverage_all_free")
    assert res.baseline_value == pytest.approx(0.05)
    assert [p.value for p in res.curve] == pytest.approx([0.75, 0.95, 1.0])
    assert [p.sites for p in res.curve] == [["S4"], ["S3", "S4"], ["S2", "S3", "S4"]]
    assert res.to_json() == {
        "measure": "population_coverage_all_free", "posts": 3, "sites": ["S2", "S3", "S4"],
        "baseline_value": pytest.approx(0.05), "value": pytest.approx(1.0),
    }
    assert "curve" in res.to_json(include_curve=True)


def test_sites_used_by_baseline_for_that_asset_type_are_not_candidates() -> None:
    inputs = hand_inputs([dep("BASE", "S4", "ARMED_RESPONSE_OFFICER", start=0, end=1)])
    res = optimise(inputs, 1, measure="population_coverage")
    assert res.sites == ["S3"] and res.candidates == 2
    # ...but a site the baseline uses for another asset type still is.
    inputs = hand_inputs([dep("BASE", "S4", "ARV", start=0, end=1)])
    assert optimise(inputs, 1, measure="population_coverage").sites == ["S4"]


def test_fewer_candidates_than_posts_says_so() -> None:
    res = optimise(hand_inputs(), 5, measure="population_coverage")
    assert res.sites == ["S2", "S3", "S4"]
    assert "Only 3 of the police stations (POLICE_STATION) are not already used" in res.note and "5 posts" in res.note
    assert res.posts == 5
    none = optimise(hand_inputs(), 2, site_type="NEIGHBOUR_BASE")
    assert none.sites == [] and none.value == none.baseline_value and "no neighbouring force's bases (NEIGHBOUR_BASE)" in none.note


def test_threat_measure_and_cancel() -> None:
    inputs = make_inputs(
        HAND_TRAVEL, [100, 200, 700], [False, True, True], [dep("BASE", "S1", "ARV")],
        site_types=HAND_TYPES, threat={"x": [0.0, 9.0, 1.0]},
    )
    # Threat index 0, 1, 1/9: S3 (A2) beats S4 (A3) on threat although A3 has more people.
    res = optimise(inputs, 1, measure="threat_coverage_all_free")
    assert res.sites == ["S3"] and res.value == pytest.approx(0.9)
    # Allowing for busy units: the new ARO is free 90% of the time (busy_fraction_aro 0.1):
    # threat share of A2 = 1 / (10/9) = 0.9, times 0.9 free = 0.81 (A1, covered, has no threat).
    res = optimise(inputs, 1, measure="threat_coverage")
    assert res.sites == ["S3"] and res.value == pytest.approx(0.81)
    with pytest.raises(Cancelled):
        optimise_curve(inputs, 3, cancelled=lambda: True)


def test_hand_case_allowing_for_busy_units() -> None:
    # The same hand case, population_coverage (busy units). Baseline ARV q = 0.3 covers A1 by day:
    # A1 misses 12/24 x 1 (night) + 12/24 x 0.3 (day, ARV busy) = 0.65 of the week.
    # Misses weighted by population share: A1 0.1 x 0.65 = 0.065, A2 0.2, A3 0.7; baseline 0.035.
    # An ARO post (q 0.1) removes 0.9 of an area's miss: S4 0.63, S3 0.18, S2 0.0585.
    res = optimise_curve(hand_inputs(), 3, measure="population_coverage")
    assert res.baseline_value == pytest.approx(0.035)
    assert [p.value for p in res.curve] == pytest.approx([0.665, 0.845, 0.9035])
    assert [p.sites for p in res.curve] == [["S4"], ["S3", "S4"], ["S2", "S3", "S4"]]
    assert res.post_terms.startswith("each added armed response officer post: on duty every hour of the week")
    assert "crew 1" in res.post_terms and "busy 10% of the time (busy_fraction_aro)" in res.post_terms
    assert "mobilisation 3 min (mobilisation_minutes_aro)" in res.post_terms


def doubling_inputs() -> ForceInputs:
    """Areas A1 (900 people) and A2 (100); police stations S1, S2 (A1 in 10 and 12 minutes'
    drive) and S3 (A2 in 8); the baseline's ARV at base S4, 40 minutes from both; ARO posts
    busy half the time."""
    return make_inputs(
        [[10, 40], [12, 40], [40, 8], [40, 40]], [900, 100], [False, False],
        [dep("BASE", "S4", "ARV")],
        site_types=["POLICE_STATION", "POLICE_STATION", "POLICE_STATION", "ARV_BASE"],
        busy_fraction_aro=0.5,
    )


def test_expected_covering_doubles_up_where_the_all_free_measure_spreads_out() -> None:
    # Areas A1 (900 people) and A2 (100). ARO posts busy half the time (busy_fraction_aro 0.5),
    # mobilisation 3: S1 reaches A1 in 13, S2 reaches A1 in 15, S3 reaches A2 in 11. The
    # baseline ARV at S4 reaches nobody within 20.
    # K = 1: S1 gives 0.9 x 0.5 = 0.45 (S3 only 0.05).
    # K = 2: S1 + S2 give A1 1 - 0.5^2 = 0.75 free: 0.9 x 0.75 = 0.675 > S1 + S3 = 0.45 + 0.05.
    # K = 3: all three: 0.675 + 0.05 = 0.725.
    # If every unit were free, K = 2 would spread out instead: S1 (or S2) + S3 = 1.0.
    inputs = doubling_inputs()
    res = optimise_curve(inputs, 3, measure="population_coverage")
    assert res.baseline_value == pytest.approx(0.0, abs=1e-12)
    assert [p.value for p in res.curve] == pytest.approx([0.45, 0.675, 0.725])
    assert [p.sites for p in res.curve] == [["S1"], ["S1", "S2"], ["S1", "S2", "S3"]]
    free = optimise(inputs, 2, measure="population_coverage_all_free")
    assert free.value == pytest.approx(1.0) and "S3" in free.sites


def test_incident_coverage_needs_incidents() -> None:
    from desktop_app.core.errors import InvalidWorkbookError

    with pytest.raises(InvalidWorkbookError, match="incident_coverage needs an Incidents sheet"):
        optimise(hand_inputs(), 1, measure="incident_coverage")


def _plain_loop_measure(inputs, deployments, measure: str) -> float:
    """The measure computed the slow, obvious way: every area, every hour, every post."""
    from desktop_app.core.coverage.units import hour_weights, units_of
    from desktop_app.core.optimiser.problem import area_weights

    u = units_of(inputs, deployments)
    w = area_weights(inputs, measure)
    b = hour_weights(inputs)
    target = float(inputs.parameters.target_minutes)
    total = 0.0
    for a in range(len(w)):
        for h in range(168):
            on = [d for d in range(u.n) if u.active[d, h]]
            if measure.endswith("_all_free"):
                covered = float(any(round(float(u.response[d, a]), 4) <= target for d in on))
            else:
                p_all_busy = 1.0
                for d in on:
                    if round(float(u.response[d, a]), 4) <= target:
                        p_all_busy *= float(u.busy[d]) ** int(u.posts[d])
                covered = 1.0 - p_all_busy
            total += w[a] * b[h] * covered
    return total / w.sum() if w.sum() > 0 else (1.0 if measure.startswith("threat") else float("nan"))


@pytest.mark.parametrize("seed", range(6))
def test_measure_value_matches_a_plain_loop(seed: int) -> None:
    inputs = random_instance(seed)
    deps = inputs.deployments
    from desktop_app.core.coverage.engine import compute_coverage

    engine = compute_coverage(inputs).measures.loc["BASE"]
    for measure in MEASURES:
        want = _plain_loop_measure(inputs, deps, measure)
        got = measure_value(inputs, deps, measure)
        assert got == pytest.approx(want, abs=1e-12) or (got != got and want != want), measure
        # ...and the coverage engine's measure of the same option agrees.
        assert got == pytest.approx(engine[measure], abs=1e-12) or (got != got and engine[measure] != engine[measure])


@pytest.mark.parametrize("seed", range(8))
def test_with_no_one_busy_expected_covering_is_maximal_covering(seed: int) -> None:
    # Every busy fraction 0 (baseline rows and the added posts' default): allowing for busy
    # units changes nothing, so both optimisers reach the same value at every K.
    inputs = random_instance(seed)
    inputs.deployments["busy_fraction"] = 0.0
    inputs.parameters = dataclasses.replace(inputs.parameters, busy_fraction_aro=0.0)
    busy = optimise_curve(inputs, 3, measure="threat_coverage")
    free = optimise_curve(inputs, 3, measure="threat_coverage_all_free")
    assert [p.value for p in busy.curve] == pytest.approx([p.value for p in free.curve], abs=1e-12)
    assert busy.baseline_value == pytest.approx(free.baseline_value, abs=1e-12)


def test_side_effects_by_hand() -> None:
    """What else an answer changes: a second armed officer and the force's officers."""
    from desktop_app.core.optimiser.side_effects import side_effects

    # The doubling-up case above: ARO posts busy half the time, mobilisation 3, crew 1; the
    # baseline ARV at S4 (crew 1 here) reaches nobody within the 30-minute second-officer
    # target (40 + 1 minutes), so the baseline's backup cover is 0.
    # S1 + S2 reach A1 (900 of 1,000 people) in 13 and 15 minutes: two officers on scene
    # when both are free, 0.5 x 0.5 = 0.25, so backup cover 0.9 x 0.25 = 0.225.
    # Officers: 1 post x crew 1 x 5.5 FTE (fte_per_247_post) x 168/168 = 5.5 before;
    # two ARO posts add 2 x 5.5 = 11.0, 16.5 after.
    inputs = doubling_inputs()
    e = side_effects(inputs, ["S1", "S2"], "ARMED_RESPONSE_OFFICER")
    assert (e.backup_before, e.backup_after) == (pytest.approx(0.0, abs=1e-12), pytest.approx(0.225))
    assert (e.officers_before, e.officers_after) == (pytest.approx(5.5), pytest.approx(16.5))
    assert e.figures() == ["second armed officer within 30 min, allowing for busy units: 0.0% -> 22.5% (+22.5 percentage points)",
                           "force's own armed officers: 5.5 -> 16.5 FTE (+11.0)"]
    assert e.warning() == ""
    # A lone ARO at S3 reaches A2 in 11 minutes, but one officer is not two: no gain, and a warning.
    lone = side_effects(inputs, ["S3"], "ARMED_RESPONSE_OFFICER")
    assert lone.backup_after == pytest.approx(0.0, abs=1e-12) and lone.officers_after == pytest.approx(11.0)
    assert lone.warning() == ("the added posts bring a second armed officer within 30 min to no more residents "
                              "than the baseline does")
    assert lone.lines()[-1] == lone.warning()


def test_post_terms_for_all_free_measures_and_neighbour_crews() -> None:
    from desktop_app.core.optimiser.milp import post_terms

    inputs = hand_inputs()
    assert "busy" not in post_terms(inputs, "ARMED_RESPONSE_OFFICER", "population_coverage_all_free")
    assert "counted free, as this measure counts every unit" in post_terms(
        inputs, "ARMED_RESPONSE_OFFICER", "threat_coverage_all_free")
    assert "busy 10% of the time" in post_terms(inputs, "ARMED_RESPONSE_OFFICER", "threat_coverage")
    # A neighbour's ARV takes the ARV defaults (30%, 1 min), but the workbook's own neighbour
    # row says 50% and 5 minutes: the terms say so.
    nb = make_inputs([[10, 40], [40, 8]], [900, 100], [False, False],
                     [dep("BASE", "S1", "ARV"), dep("OPT1", "S2", "NEIGHBOUR_ARV", busy=0.5, mob=5)],
                     options=[{"option_id": "BASE", "baseline": True}, {"option_id": "OPT1"}],
                     site_types=["ARV_BASE", "NEIGHBOUR_BASE"], busy_fraction_arv=0.3, mobilisation_minutes_arv=1)
    terms = post_terms(nb, "NEIGHBOUR_ARV", "threat_coverage")
    assert "busy 30% of the time (busy_fraction_arv)" in terms
    assert terms.endswith(", though the workbook's own NEIGHBOUR_ARV rows use busy 50% and mobilisation 5 min")
    assert "though" not in post_terms(nb, "ARV", "threat_coverage")
