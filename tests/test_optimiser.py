"""The optimiser is exact: it matches brute-force enumeration, and small cases worked by hand."""

from __future__ import annotations

import itertools
import random

import pandas as pd
import pytest
from coverage_factory import dep, make_inputs

from desktop_app.core.errors import Cancelled
from desktop_app.core.optimiser.milp import (
    measure_value,
    optimise,
    optimise_curve,
    post_deployments,
)


def random_instance(seed: int):
    rnd = random.Random(seed)
    n_areas, n_sites = rnd.randint(3, 12), rnd.randint(3, 7)
    travel = [[rnd.randint(5, 400) / 10 for _ in range(n_areas)] for _ in range(n_sites)]
    types = [rnd.choice(["POLICE_STATION", "POLICE_STATION", "ARV_BASE"]) for _ in range(n_sites)]
    deployments = []
    for _ in range(rnd.randint(1, 3)):
        start = rnd.randint(0, 23)
        end = rnd.choice([e for e in range(25) if e != start])
        deployments.append(
            dep("BASE", f"S{rnd.randint(1, n_sites)}", rnd.choice(["ARV", "ARMED_RESPONSE_OFFICER"]),
                start=start, end=end)
        )
    return make_inputs(
        travel,
        [rnd.randint(0, 500) for _ in range(n_areas)],
        [rnd.random() < 0.5 for _ in range(n_areas)],
        deployments,
        threat={"x": [float(rnd.randint(0, 9)) for _ in range(n_areas)]},
        site_types=types,
        target_minutes=rnd.choice([10.0, 15.0, 20.0]),
    )


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


@pytest.mark.parametrize("seed", range(20))
def test_optimiser_equals_brute_force(seed: int) -> None:
    inputs = random_instance(seed)
    measure = "threat_coverage" if seed % 2 else "population_coverage"
    posts = 1 + seed % 3
    best, n_cands = brute_force(inputs, posts, measure)
    res = optimise(inputs, posts, measure=measure)
    assert res.value == pytest.approx(best, abs=1e-12)
    assert len(res.sites) == min(posts, n_cands)
    assert res.candidates == n_cands
    assert res.value >= res.baseline_value - 1e-12
    # The sites it reports really achieve the value it reports.
    site_idx = [inputs.sites["site_id"].tolist().index(s) for s in res.sites]
    base = inputs.deployments[inputs.deployments["option_id"] == "BASE"]
    deps = pd.concat([base, post_deployments(inputs, site_idx, "ARMED_RESPONSE_OFFICER", "BASE")])
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
    res = optimise_curve(inputs, 3, measure="population_coverage")
    assert res.baseline_value == pytest.approx(0.05)
    assert [p.value for p in res.curve] == pytest.approx([0.75, 0.95, 1.0])
    assert [p.sites for p in res.curve] == [["S4"], ["S3", "S4"], ["S2", "S3", "S4"]]
    assert res.to_json() == {
        "measure": "population_coverage", "posts": 3, "sites": ["S2", "S3", "S4"],
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
    assert "only 3" in res.note and "5 posts" in res.note
    assert res.posts == 5
    none = optimise(hand_inputs(), 2, site_type="NEIGHBOUR_BASE")
    assert none.sites == [] and none.value == none.baseline_value and "no NEIGHBOUR_BASE" in none.note


def test_threat_measure_and_cancel() -> None:
    inputs = make_inputs(
        HAND_TRAVEL, [100, 200, 700], [False, True, True], [dep("BASE", "S1", "ARV")],
        site_types=HAND_TYPES, threat={"x": [0.0, 9.0, 1.0]},
    )
    # Threat index 0, 1, 1/9: S3 (A2) beats S4 (A3) on threat although A3 has more people.
    res = optimise(inputs, 1, measure="threat_coverage")
    assert res.sites == ["S3"] and res.value == pytest.approx(0.9)
    with pytest.raises(Cancelled):
        optimise_curve(inputs, 3, cancelled=lambda: True)
