"""One-way sensitivity: switch points known in closed form, and chart lines."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.core.appraisal.sensitivity import (
    nearest_switch,
    one_way,
    rest_values,
    switch_points,
)
from desktop_app.core.appraisal.weighting import score

# Two criteria, so each option's "rest" is simply its value on C2.
# A = (100, 0), B = (30, 60), C = (70, 40); on C1's weight x:
#   V_A = 100x, V_B = 60 - 30x, V_C = 40 + 30x.
# Upper envelope: B until B = C at x = 1/3, C until C = A at x = 4/7, then A.
VALUES = np.array([[100.0, 0.0], [30.0, 60.0], [70.0, 40.0]])


def test_switch_points_closed_form_three_options() -> None:
    (s1, _) = one_way(VALUES, np.array([0.5, 0.5]), ["A", "B", "C"], ["C1", "C2"])
    assert s1.switch_points == pytest.approx([1 / 3, 4 / 7], abs=1e-12)
    assert s1.top_options == ["B", "C", "A"]
    assert s1.current_weight == 0.5
    assert nearest_switch(s1) == pytest.approx(4 / 7)


def test_switch_point_two_options() -> None:
    # A = (100, 0), B = (30, 60): 100x = 60 - 30x  ->  x = 6/13
    sens = one_way(VALUES[:2], np.array([0.2, 0.8]), ["A", "B"], ["C1", "C2"])
    assert sens[0].switch_points == pytest.approx([6 / 13], abs=1e-12)
    assert sens[0].top_options == ["B", "A"]
    # on C2 the lines are V_A = 100(1-x), V_B = 30(1-x) + 60x: B overtakes at x = 70/130
    assert sens[1].switch_points == pytest.approx([70 / 130], abs=1e-12)


def test_rest_weighting_with_three_criteria() -> None:
    # weights .5/.2/.3: the rest for C1 is .4*C2 + .6*C3
    v = np.array([[80.0, 0.0, 100.0], [20.0, 100.0, 50.0]])
    r = rest_values(v, np.array([0.5, 0.2, 0.3]), 0)
    np.testing.assert_allclose(r, [60.0, 70.0])
    # V_A = 60 + 20x, V_B = 70 - 50x -> x = 1/7
    (s,) = one_way(v, np.array([0.5, 0.2, 0.3]), ["A", "B"], ["C1", "C2", "C3"])[:1]
    assert s.switch_points == pytest.approx([1 / 7])
    # the line at the current weight reproduces the totals
    row = s.totals.iloc[50]
    assert s.x[50] == 0.5
    np.testing.assert_allclose(row.to_numpy(), score(v, np.array([0.5, 0.2, 0.3])).totals)


def test_chart_lines_are_exact_and_span_0_to_1() -> None:
    (s1, _) = one_way(VALUES, np.array([0.5, 0.5]), ["A", "B", "C"], ["C1", "C2"])
    assert s1.totals.shape == (101, 3)
    assert s1.x[0] == 0 and s1.x[-1] == 1
    np.testing.assert_allclose(s1.totals["A"], 100 * s1.x)
    np.testing.assert_allclose(s1.totals["B"], 60 - 30 * s1.x)


def test_no_switch_when_one_option_dominates() -> None:
    v = np.array([[90.0, 80.0], [10.0, 20.0]])
    for s in one_way(v, np.array([0.5, 0.5]), ["A", "B"], ["C1", "C2"]):
        assert s.switch_points == [] and s.top_options == ["A"]


def test_tie_at_one_is_not_a_switch_and_start_tie_takes_the_riser() -> None:
    # lines meet exactly at x = 1: V_A = 100, V_B = 50 + 50x
    pts, tops = switch_points(np.array([0.0, 50.0]), np.array([100.0, 50.0]))
    assert pts == [] and tops == [0]
    # tied at x = 0, B rises faster: B is top from the start, no switch
    pts, tops = switch_points(np.array([0.0, 10.0]), np.array([50.0, 50.0]))
    assert pts == [] and tops == [1]
    # identical lines never switch
    pts, tops = switch_points(np.array([5.0, 5.0]), np.array([1.0, 1.0]))
    assert pts == [] and tops == [0]


def test_all_weight_on_the_criterion_shares_the_rest_equally() -> None:
    v = np.array([[100.0, 0.0, 0.0], [0.0, 100.0, 100.0]])
    r = rest_values(v, np.array([1.0, 0.0, 0.0]), 0)
    np.testing.assert_allclose(r, [0.0, 100.0])
    (s,) = one_way(v, np.array([1.0, 0.0, 0.0]), ["A", "B"], ["C1", "C2", "C3"])[:1]
    assert s.switch_points == pytest.approx([0.5])


def test_many_lines_against_direct_scoring() -> None:
    """Between switch points the top option from direct rescaled scoring matches."""
    rng = np.random.default_rng(7)
    for _ in range(50):
        m, n = rng.integers(2, 8), rng.integers(2, 6)
        v = rng.uniform(0, 100, (m, n))
        w = rng.dirichlet(np.ones(n))
        for i, s in enumerate(one_way(v, w, [str(k) for k in range(m)], [str(k) for k in range(n)])):
            edges = [0.0, *s.switch_points, 1.0]
            for k, top in enumerate(s.top_options):
                mid = (edges[k] + edges[k + 1]) / 2
                ww = w * (1 - mid) / (1 - w[i]) if w[i] < 1 else w
                ww[i] = mid
                assert str(int(np.argmax(v @ ww))) == top
