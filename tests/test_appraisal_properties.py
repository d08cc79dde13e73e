"""Properties of the value model that must hold for any scores and weights (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from desktop_app.core.appraisal.sensitivity import one_way
from desktop_app.core.appraisal.value_scores import value_scores
from desktop_app.core.appraisal.weighting import rank_totals, score

SETTINGS = settings(max_examples=80, deadline=None)

score_value = st.floats(0, 100, allow_nan=False)
weight = st.floats(0, 1000, allow_nan=False)


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    m = draw(st.integers(1, 6))
    n = draw(st.integers(1, 5))
    values = draw(arrays(float, (m, n), elements=score_value))
    weights = draw(arrays(float, (n,), elements=weight).filter(lambda w: w.sum() > 1e-6))
    return values, weights


@SETTINGS
@given(problems(), st.floats(1e-3, 1e3))
def test_scaling_all_weights_changes_nothing(p: tuple[np.ndarray, np.ndarray], k: float) -> None:
    values, weights = p
    a = score(values, weights)
    b = score(values, weights * k)
    np.testing.assert_allclose(a.weights, b.weights, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(a.totals, b.totals, rtol=1e-9, atol=1e-9)
    assert a.ranks.tolist() == b.ranks.tolist()


@SETTINGS
@given(problems(), st.data())
def test_raising_a_score_never_lowers_the_total(p: tuple[np.ndarray, np.ndarray], data: st.DataObject) -> None:
    values, weights = p
    i = data.draw(st.integers(0, values.shape[0] - 1))
    j = data.draw(st.integers(0, values.shape[1] - 1))
    bump = data.draw(st.floats(0, 100))
    before = score(values, weights)
    raised = values.copy()
    raised[i, j] = min(100.0, raised[i, j] + bump)
    after = score(raised, weights)
    assert after.totals[i] >= before.totals[i] - 1e-9
    # and its rank never gets worse
    assert after.ranks[i] <= before.ranks[i]


@SETTINGS
@given(problems())
def test_totals_are_weighted_means_within_0_100(p: tuple[np.ndarray, np.ndarray]) -> None:
    values, weights = p
    s = score(values, weights)
    assert np.isclose(s.weights.sum(), 1.0)
    assert (s.totals >= values.min(axis=1) - 1e-9).all() and (s.totals <= values.max(axis=1) + 1e-9).all()
    assert s.ranks.min() == 1
    # the best total always has rank 1; a strictly larger total has a strictly better rank
    t = s.totals
    for a in range(len(t)):
        for b in range(len(t)):
            if t[a] > t[b] + 1e-9:
                assert s.ranks[a] < s.ranks[b]


@SETTINGS
@given(arrays(float, st.integers(1, 8), elements=st.floats(-1e6, 1e6, allow_nan=False)),
       st.sampled_from(["higher", "lower"]))
def test_value_scores_bounded_and_order_preserving(raw: np.ndarray, direction: str) -> None:
    s = value_scores(raw, direction).scores
    assert ((s >= 0) & (s <= 100)).all()
    sign = 1 if direction == "higher" else -1
    for a in range(raw.size):
        for b in range(raw.size):
            if sign * raw[a] > sign * raw[b]:
                assert s[a] >= s[b]


@SETTINGS
@given(arrays(float, st.integers(1, 30), elements=st.floats(-100, 100, allow_nan=False)))
def test_rank_is_one_plus_strictly_better(t: np.ndarray) -> None:
    r = rank_totals(t)
    for i in range(t.size):
        assert r[i] == 1 + int(np.sum(t > t[i] + 1e-9))


@SETTINGS
@given(problems())
def test_sensitivity_lines_pass_through_current_totals(p: tuple[np.ndarray, np.ndarray]) -> None:
    values, weights = p
    s = score(values, weights)
    m, n = values.shape
    for sens in one_way(values, s.weights, [str(k) for k in range(m)], [str(k) for k in range(n)]):
        slope = (sens.totals.iloc[-1] - sens.totals.iloc[0]).to_numpy()
        at_current = sens.totals.iloc[0].to_numpy() + sens.current_weight * slope
        np.testing.assert_allclose(at_current, s.totals, atol=1e-8)
        assert all(0 < x < 1 for x in sens.switch_points)
        assert sens.switch_points == sorted(sens.switch_points)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5), st.data())
def test_improving_a_raw_measure_never_lowers_that_options_total(m: int, data: st.DataObject) -> None:
    """Through the whole value model: local scales may stretch, but never against the improver."""
    from _appraisal_fixtures import make_coverage, make_inputs

    from desktop_app.core.appraisal.value_model import build_value_model

    measures = ["population_coverage", "median_response_minutes", "whole_life_cost_gbp"]
    directions = ["higher", "lower", "lower"]
    raw = data.draw(arrays(float, (m, 3), elements=st.floats(0, 1000, allow_nan=False)))
    w = data.draw(arrays(float, (3,), elements=st.floats(0.1, 10)))
    i = data.draw(st.integers(0, m - 1))
    j = data.draw(st.integers(0, 2))
    step = data.draw(st.floats(0, 500))
    ids = [f"O{k}" for k in range(m)]
    crit = [{"criterion_id": f"C{k}", "measure": measures[k], "direction": directions[k], "weight": w[k]}
            for k in range(3)]
    inputs = make_inputs(ids, crit)

    def total(r: np.ndarray) -> float:
        cov = make_coverage(ids, {measures[k]: r[:, k] for k in range(3)})
        model = build_value_model(inputs, cov.measures)
        return float(score(model.values, model.raw_weights).totals[i])

    better = raw.copy()
    better[i, j] += step if directions[j] == "higher" else -step
    assert total(better) >= total(raw) - 1e-9
