"""SMAA-2 against analytic results, within Monte-Carlo tolerance."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.core.appraisal.smaa import DEFAULT_SEED, draw_weights, smaa, smaa_arrays

ACTIVE2 = np.array([True, True])


def test_two_options_half_acceptability_and_central_weights() -> None:
    """Values (100, 0) and (0, 100): option 1 is first exactly when w1 > 0.5.

    With w1 ~ U(0, 1) on the 2-simplex, b_1^1 = 0.5 and the central weight vector of
    option 1 is E[w | w1 > 0.5] = (0.75, 0.25); by symmetry option 2's is (0.25, 0.75).
    """
    v = np.array([[100.0, 0.0], [0.0, 100.0]])
    r = smaa(v, ACTIVE2, ["P", "Q"], ["C1", "C2"], samples=200_000, seed=1)
    acc = r.rank_acceptability
    assert acc.loc["P", 1] == pytest.approx(0.5, abs=0.005)
    assert acc.loc["P", 2] == pytest.approx(0.5, abs=0.005)
    np.testing.assert_allclose(acc.sum(axis=1), 1.0)
    np.testing.assert_allclose(r.central_weights.loc["P"], [0.75, 0.25], atol=0.003)
    np.testing.assert_allclose(r.central_weights.loc["Q"], [0.25, 0.75], atol=0.003)
    # fixed scores: the central weights sit inside the winning region -> confidence 1
    assert r.confidence_factor.tolist() == [1.0, 1.0]


def test_three_criteria_uniform_simplex_marginals() -> None:
    rng = np.random.Generator(np.random.PCG64(3))
    w = draw_weights(rng, 100_000, np.array([True, True, False, True]))
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    assert (w[:, 2] == 0).all()
    # Dirichlet(1,1,1): each weight has mean 1/3 and P(w1 > 1/2) = (1/2)^2 = 1/4
    np.testing.assert_allclose(w[:, [0, 1, 3]].mean(axis=0), 1 / 3, atol=0.005)
    assert np.mean(w[:, 0] > 0.5) == pytest.approx(0.25, abs=0.005)


def test_around_weights_stay_within_band_before_renormalising() -> None:
    rng = np.random.Generator(np.random.PCG64(3))
    cur = np.array([0.5, 0.3, 0.2])
    w = draw_weights(rng, 20_000, np.ones(3, dtype=bool), cur, around=0.05)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    np.testing.assert_allclose(w.mean(axis=0), cur, atol=0.005)
    # raw draws lie within +/- .05; renormalising by a sum in [.85, 1.15] keeps them near
    assert (np.abs(w - cur) < 0.05 / 0.85 + 0.5 * 0.15 / 0.85).all()
    # F = 0 reproduces the current weights exactly
    w0 = draw_weights(rng, 10, np.ones(3, dtype=bool), cur, around=0.0)
    np.testing.assert_allclose(w0, np.tile(cur, (10, 1)))


def test_dominant_option_always_first() -> None:
    v = np.array([[90.0, 90.0, 90.0], [10.0, 50.0, 20.0], [0.0, 40.0, 30.0]])
    a = smaa_arrays(v, np.ones(3, dtype=bool), samples=5000)
    assert a.rank_acceptability[0, 0] == 1.0
    assert np.isnan(a.central_weights[1]).all() and a.confidence_factor[1] == 0.0


def test_uncertain_judgements_give_fractional_confidence() -> None:
    """One judgement criterion: P scores exactly 50, Q is drawn uniformly in [0, 100].

    Whatever the weight, P is first when Q's draw is below 50, so b_P^1 = 0.5 and the
    confidence factor (scores drawn at P's central weights) is also 0.5.
    """
    v = np.array([[50.0], [50.0]])
    low = np.array([[50.0], [0.0]])
    high = np.array([[50.0], [100.0]])
    a = smaa_arrays(v, np.array([True]), low=low, high=high, samples=100_000)
    assert a.rank_acceptability[0, 0] == pytest.approx(0.5, abs=0.01)
    assert a.confidence_factor[0] == pytest.approx(0.5, abs=0.01)
    np.testing.assert_allclose(a.central_weights[0], [1.0])


def test_same_seed_same_figures_and_seed_matters() -> None:
    v = np.random.default_rng(0).uniform(0, 100, (5, 4))
    act = np.ones(4, dtype=bool)
    a = smaa_arrays(v, act, samples=3000, seed=DEFAULT_SEED)
    b = smaa_arrays(v, act, samples=3000, seed=DEFAULT_SEED)
    c = smaa_arrays(v, act, samples=3000, seed=DEFAULT_SEED + 1)
    np.testing.assert_array_equal(a.rank_acceptability, b.rank_acceptability)
    np.testing.assert_array_equal(a.central_weights, b.central_weights)
    assert not np.array_equal(a.rank_acceptability, c.rank_acceptability)


def test_exact_ties_share_rank_one() -> None:
    v = np.array([[60.0, 60.0], [60.0, 60.0]])
    a = smaa_arrays(v, ACTIVE2, samples=1000)
    np.testing.assert_allclose(a.rank_acceptability[:, 0], [1.0, 1.0])
