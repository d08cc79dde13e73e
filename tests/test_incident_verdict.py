"""The model against last year's incidents: the chance margin and the verdict, by hand."""

from __future__ import annotations

import math

import pytest

from desktop_app.core.coverage.incident_verdict import chance_margin, verdict


def test_chance_margin_is_that_of_a_sum_of_bernoulli_trials() -> None:
    # p = 0.5, 0.5, 0.9, 0.1: sum p(1 - p) = 0.25 + 0.25 + 0.09 + 0.09 = 0.68;
    # 1.96 x sqrt(0.68) / 4 = 1.96 x 0.824621 / 4 = 0.404064
    assert chance_margin([0.5, 0.5, 0.9, 0.1]) == pytest.approx(0.404064, abs=1e-6)
    # every chance 0 or 1: the model says exactly what happens, so no gap is chance
    assert chance_margin([0.0, 1.0, 1.0]) == 0.0
    assert math.isnan(chance_margin([]))
    # never wider than the binomial margin at the mean chance (sum p(1-p) <= n pbar(1-pbar)):
    # pbar = 0.5, 1.96 x sqrt(0.25 / 4) = 0.49 > 0.404
    assert chance_margin([0.5, 0.5, 0.9, 0.1]) < 1.96 * math.sqrt(0.25 / 4)


def _part(n: int, observed: float, modelled: float, p: float) -> dict[str, object]:
    return {"incidents": n, "observed_within_target": observed, "modelled_within_target": modelled,
            "chance_margin": chance_margin([p] * n)}


def test_a_gap_within_the_margin_is_consistent_and_one_beyond_it_is_not() -> None:
    # 41 incidents, every chance 0.2: 1.96 x sqrt(41 x 0.16) / 41 = 1.96 x 2.561250 / 41
    # = 0.122439, 12.2 points; observed 26.8%, modelled 20.0%: 6.8 points apart, within
    v = verdict(_part(41, 11 / 41, 0.2, 0.2))
    assert v is not None and v.kind == "consistent" and v.gap_points == pytest.approx(-6.8)
    assert v.margin_points == pytest.approx(12.2439, abs=1e-3)
    assert v.words == "consistent with what happened"
    # 18,000 incidents, every chance 0.64: 1.96 x sqrt(18000 x 0.2304) / 18000 = 1.96 x 64.3988
    # / 18000 = 0.0070124, 0.7 points; modelled 64.0% against 60.0% observed: 4.0 apart, beyond
    v = verdict(_part(18_000, 0.60, 0.64, 0.64))
    assert v is not None and v.kind == "optimistic" and v.gap_points == pytest.approx(4.0)
    assert v.margin_points == pytest.approx(0.70124, abs=1e-4)
    assert v.words == "more optimistic than what happened"
    # 400 incidents at 0.5: 1.96 x sqrt(100) / 400 = 0.049, 4.9 points; observed 56%, modelled 50%
    v = verdict(_part(400, 0.56, 0.50, 0.5))
    assert v is not None and v.kind == "pessimistic" and v.gap_points == pytest.approx(-6.0)


def test_a_gap_equal_to_the_margin_as_shown_is_consistent() -> None:
    # 400 at 0.5: margin 4.9 points; 54.9% observed against 50.0%: 4.9 apart, on the margin
    v = verdict(_part(400, 0.549, 0.50, 0.5))
    assert v is not None and v.kind == "consistent"


def test_no_incidents_or_no_margin_gives_no_verdict() -> None:
    assert verdict(None) is None and verdict({"incidents": 0}) is None
    assert verdict({"incidents": 3, "observed_within_target": 0.5, "modelled_within_target": 0.5}) is None
