"""Property tests of the coverage engine (hypothesis): monotonicity, order invariance, G <= F,
busy fractions 0 give the all-free figures, version-1 rows give the same hours every day."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from coverage_factory import dep, make_inputs
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.coverage.engine import compute_coverage
from desktop_app.core.coverage.measures import weighted_lower_quantile

ASSETS = ("ARV", "ARMED_RESPONSE_OFFICER", "NEIGHBOUR_ARV")


DAYS = ("", "", "Mon-Fri", "Fri,Sat", "Sun", "Sat-Mon", "Wed")


@st.composite
def cases(draw: st.DrawFn, with_days: bool = True) -> dict:
    n_areas = draw(st.integers(1, 6))
    n_sites = draw(st.integers(1, 4))
    # Travel times in tenths of a minute, as GIS exports usually give them.
    travel = draw(
        st.lists(st.lists(st.integers(1, 400), min_size=n_areas, max_size=n_areas), min_size=n_sites, max_size=n_sites)
    )
    travel = [[v / 10 for v in row] for row in travel]
    population = draw(st.lists(st.integers(0, 1000), min_size=n_areas, max_size=n_areas))
    if sum(population) == 0:
        population[0] = 1
    rural = draw(st.lists(st.booleans(), min_size=n_areas, max_size=n_areas))
    threat = draw(st.lists(st.integers(0, 20), min_size=n_areas, max_size=n_areas))

    def one_dep() -> dict:
        start = draw(st.integers(0, 23))
        end = draw(st.integers(0, 24).filter(lambda e, s=start: e != s))
        busy = draw(st.one_of(st.none(), st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.9, 1.0])))
        mob = draw(st.one_of(st.none(), st.sampled_from([0.0, 1.0, 2.5, 5.0])))
        row = dep(
            "O", f"S{draw(st.integers(1, n_sites))}", draw(st.sampled_from(ASSETS)),
            posts=draw(st.integers(1, 3)), crew=draw(st.integers(1, 3)), start=start, end=end,
            busy=busy, mob=mob,
        )
        row["days"] = draw(st.sampled_from(DAYS)) if with_days else ""
        return row

    deps = [one_dep() for _ in range(draw(st.integers(1, 5)))]
    extra = one_dep()
    target = draw(st.sampled_from([5.0, 10.0, 20.0, 30.0]))
    backup = draw(st.sampled_from([target, 15.0, 30.0]))
    return {
        "travel": travel, "population": population, "rural": rural, "threat": threat,
        "deps": deps, "extra": extra, "target": target, "backup": backup,
    }


def build(case: dict, deps: list[dict] | None = None):
    return make_inputs(
        case["travel"], case["population"], case["rural"], case["deps"] if deps is None else deps,
        threat={"x": [float(v) for v in case["threat"]]}, target_minutes=case["target"],
        backup_target_minutes=case["backup"],
    )


COVERS = ("population_coverage", "threat_coverage", "population_coverage_all_free",
          "threat_coverage_all_free", "backup_coverage", "rural_coverage", "urban_coverage")


@settings(max_examples=50, deadline=None)
@given(cases())
def test_adding_a_deployment_never_lowers_coverage(case: dict) -> None:
    before = compute_coverage(build(case))
    after = compute_coverage(build(case, case["deps"] + [case["extra"]]))
    b, a = before.measures.loc["O"], after.measures.loc["O"]
    for m in COVERS:
        if not np.isnan(b[m]):
            assert a[m] >= b[m] - 1e-12, m
    for m in ("median_response_minutes", "p90_response_minutes"):
        assert a[m] <= b[m], m
    ca, cb = after.options["O"], before.options["O"]
    assert (ca.response <= cb.response).all()
    assert (ca.expected >= cb.expected - 1e-12).all()
    assert (ca.backup >= cb.backup - 1e-12).all()
    assert (after.by_hour["O"] >= before.by_hour["O"] - 1e-12).all()


@settings(max_examples=50, deadline=None)
@given(cases(), st.randoms(use_true_random=False))
def test_measures_invariant_to_row_order(case: dict, rnd) -> None:
    base = build(case)
    n_sites, n_areas = base.travel_minutes.shape
    area_perm = list(range(n_areas))
    site_perm = list(range(n_sites))
    rnd.shuffle(area_perm)
    rnd.shuffle(site_perm)
    shuffled = build(
        {
            **case,
            "travel": [[case["travel"][s][a] for a in area_perm] for s in site_perm],
            "population": [case["population"][a] for a in area_perm],
            "rural": [case["rural"][a] for a in area_perm],
            "threat": [case["threat"][a] for a in area_perm],
        },
        # site S(k+1) of the shuffled workbook is old site site_perm[k]: rename in deployments
        [{**d, "site_id": f"S{site_perm.index(int(str(d['site_id'])[1:]) - 1) + 1}"}
         for d in rnd.sample(case["deps"], len(case["deps"]))],
    )
    m1 = compute_coverage(base).measures
    m2 = compute_coverage(shuffled).measures
    pd.testing.assert_frame_equal(m1, m2, check_exact=False, rtol=1e-12, atol=1e-12)
    r1 = compute_coverage(base).options["O"].response[area_perm]
    np.testing.assert_array_equal(r1, compute_coverage(shuffled).options["O"].response)


@settings(max_examples=50, deadline=None)
@given(cases())
def test_busy_cover_at_most_all_free_and_backup_at_most_cover(case: dict) -> None:
    res = compute_coverage(build(case, case["deps"] + [case["extra"]]))
    cov = res.options["O"]
    covered = res.covered("O")
    assert (cov.expected <= covered + 1e-12).all()
    assert (cov.expected >= 0).all()
    m = res.measures.loc["O"]
    assert m["population_coverage"] <= m["population_coverage_all_free"] + 1e-12
    pa = res.per_area["O"]
    assert (pa["expected_cover"] <= pa["share_hours_covered"] + 1e-12).all()
    if case["backup"] <= case["target"]:
        # G(T_b) <= F(T_b) <= F(T): two officers need at least one free unit.
        assert (cov.backup <= cov.expected + 1e-12).all()


@settings(max_examples=50, deadline=None)
@given(cases())
def test_no_busy_units_gives_the_all_free_figures(case: dict) -> None:
    deps = [{**d, "busy_fraction": 0.0} for d in case["deps"] + [case["extra"]]]
    inputs = build(case, deps)
    res = compute_coverage(inputs)
    m = res.measures.loc["O"]
    assert m["population_coverage"] == pytest.approx(m["population_coverage_all_free"], abs=1e-12)
    assert m["threat_coverage"] == pytest.approx(m["threat_coverage_all_free"], abs=1e-12)
    # With every unit free the first free unit is the nearest: version 1's quantiles of R0.
    r0 = res.options["O"].response
    w = np.repeat(np.asarray(case["population"], dtype=np.int64)[:, None], 168, axis=1)
    assert m["median_response_minutes"] == weighted_lower_quantile(r0, w, 0.5)
    assert m["p90_response_minutes"] == weighted_lower_quantile(r0, w, 0.9)


@settings(max_examples=50, deadline=None)
@given(cases(with_days=False))
def test_version_1_rows_give_the_same_hours_every_day(case: dict) -> None:
    res = compute_coverage(build(case, case["deps"] + [case["extra"]]))
    for frame in (res.by_hour, res.by_hour_all_free):
        week = frame["O"].to_numpy().reshape(7, 24)
        assert (week == week[0]).all()
    week = res.options["O"].response.reshape(-1, 7, 24)
    assert (week == week[:, :1, :]).all()
