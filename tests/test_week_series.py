"""The week heat map's grid and the busy-unit response-time distribution, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from desktop_app.core.coverage.series import first_free_curves, week_busy_curve, week_grid
from desktop_app.core.coverage.units import OptionUnits


def test_week_grid_puts_monday_first_and_hours_across() -> None:
    grid = week_grid(np.arange(168, dtype=float))
    assert grid.shape == (7, 24)
    assert grid[0, 0] == 0  # Monday 00:00
    assert grid[4, 22] == 118  # Friday 22:00 = 4 x 24 + 22
    assert grid[6, 23] == 167  # Sunday 23:00
    with pytest.raises(ValueError, match="168 values"):
        week_grid(np.zeros(24))


def _units(active_second: np.ndarray) -> OptionUnits:
    """One area; two single posts, each busy half the time, 5 and 10 minutes away."""
    active = np.ones((2, 168), dtype=bool)
    active[1] = active_second
    return OptionUnits(
        option_id="X", deployment_ids=np.arange(2), site_index=np.arange(2), posts=np.array([1, 1]),
        crew=np.array([1, 1]), busy=np.array([0.5, 0.5]), mobilisation=np.zeros(2), active=active,
        response=np.array([[5.0], [10.0]], dtype=np.float32), asset_type=np.array(["ARV", "ARV"], dtype=object))


def test_first_free_curve_by_hand() -> None:
    # The second post works Monday 00:00-12:00 only (12 of the 168 hours).
    second = np.zeros(168, dtype=bool)
    second[:12] = True
    grid = np.array([0.0, 4.9, 5.0, 9.9, 10.0, 30.0])
    curves = first_free_curves(_units(second), np.ones(168), np.array([100.0]), grid)
    assert curves.hour_class[0] == 0 and curves.hour_class[12] == 1
    assert curves.class_weight.tolist() == [12.0, 156.0]
    # Both on duty: a free unit within 5 min with chance 1 - 0.5 = 0.5; within 10 min
    # 1 - 0.5 x 0.5 = 0.75. If every unit were free: reached from 5 minutes on.
    busy, free = curves.at_hour(3)
    assert busy.tolist() == pytest.approx([0, 0, 0.5, 0.5, 0.75, 0.75])
    assert free.tolist() == [0, 0, 1, 1, 1, 1]
    # Only the first post: 0.5 from 5 minutes on, never more.
    busy, _free = curves.at_hour(100)
    assert busy.tolist() == pytest.approx([0, 0, 0.5, 0.5, 0.5, 0.5])
    # The week: (12 x 0.75 + 156 x 0.5) / 168 = 87 / 168 at 10 minutes.
    week_busy, week_free = curves.week()
    assert week_busy[4] == pytest.approx(87 / 168)
    assert week_busy[2] == pytest.approx(0.5)
    assert week_free.tolist() == pytest.approx([0, 0, 1, 1, 1, 1])


def test_first_free_curve_meets_the_measures_at_target(sample_read, sample_run) -> None:
    from desktop_app.core.coverage.units import raw_hour_weights, units_of

    inputs = sample_read.inputs
    cov = sample_run.coverage
    target = cov.target_minutes
    pop = inputs.areas["population"].to_numpy(float)
    for oid in inputs.option_ids[:3]:
        deps = inputs.deployments[inputs.deployments["option_id"] == oid]
        curves = first_free_curves(units_of(inputs, deps, oid), raw_hour_weights(inputs), pop,
                                   np.array([target, 2 * target]))
        busy, free = curves.week()
        assert busy[0] == pytest.approx(cov.measures.at[oid, "population_coverage"], abs=1e-9)
        assert free[0] == pytest.approx(cov.measures.at[oid, "population_coverage_all_free"], abs=1e-9)
        assert (busy <= free + 1e-12).all()  # a free unit is never quicker than the nearest unit


def test_week_busy_curve_by_hand_is_the_weighted_classes_in_one_pass() -> None:
    # As above: (12 x 0.75 + 156 x 0.5) / 168 = 87 / 168 at 10 minutes, 0.5 at 5, 0 before.
    second = np.zeros(168, dtype=bool)
    second[:12] = True
    grid = np.array([0.0, 4.9, 5.0, 9.9, 10.0, 30.0])
    week = week_busy_curve(_units(second), np.ones(168), np.array([100.0]), grid)
    assert week.tolist() == pytest.approx([0, 0, 0.5, 0.5, 87 / 168, 87 / 168])
    # Hour weights count: Monday morning weighted 3 (3 x 12 = 36 of 36 + 156 = 192):
    # (36 x 0.75 + 156 x 0.5) / 192 = 105 / 192.
    weights = np.ones(168)
    weights[:12] = 3.0
    week = week_busy_curve(_units(second), weights, np.array([100.0]), grid)
    assert week[4] == pytest.approx(105 / 192)


def test_week_busy_curve_equals_the_per_class_curves_on_the_sample(sample_read, sample_run) -> None:
    from desktop_app.core.coverage.units import raw_hour_weights, units_of

    inputs = sample_read.inputs
    target = sample_run.coverage.target_minutes
    pop = inputs.areas["population"].to_numpy(float)
    grid = np.arange(0.0, 2 * target + 1)
    for oid in inputs.option_ids:
        deps = inputs.deployments[inputs.deployments["option_id"] == oid]
        units = units_of(inputs, deps, oid)
        per_class, _free = first_free_curves(units, raw_hour_weights(inputs), pop, grid).week()
        one_pass = week_busy_curve(units, raw_hour_weights(inputs), pop, grid)
        np.testing.assert_allclose(one_pass, per_class, rtol=0, atol=1e-12)
        assert one_pass[int(target)] == pytest.approx(
            sample_run.coverage.measures.at[oid, "population_coverage"], abs=1e-9)


def test_the_engine_gives_the_same_busy_curve_from_its_own_masses(sample_read) -> None:
    """``compute_coverage(..., with_busy_curve=True)`` reads each option's week curve off the
    first-free masses its median and 90th percentile use (the list extended to 120
    minutes) instead of the summary listing and weighing every pair again. The curve is
    :func:`week_busy_curve`'s to rounding, and the measures are exactly those without it."""
    from desktop_app.core.coverage.engine import compute_coverage
    from desktop_app.core.coverage.series import BUSY_CURVE_MINUTES
    from desktop_app.core.coverage.units import raw_hour_weights, units_of

    inputs = sample_read.inputs
    plain = compute_coverage(inputs)
    with_curve = compute_coverage(inputs, with_busy_curve=True)
    # every measure bit for bit (the curve reads the masses, it changes none of them)
    pd.testing.assert_frame_equal(with_curve.measures, plain.measures, check_exact=True)
    pop = inputs.areas["population"].to_numpy(float)
    grid = np.arange(0.0, BUSY_CURVE_MINUTES + 1)
    for oid in inputs.option_ids:
        assert plain.options[oid].busy_curve is None
        curve = with_curve.options[oid].busy_curve
        assert curve is not None and curve.shape == (BUSY_CURVE_MINUTES + 1,)
        deps = inputs.deployments[inputs.deployments["option_id"] == oid]
        expected = week_busy_curve(units_of(inputs, deps, oid), raw_hour_weights(inputs), pop, grid)
        np.testing.assert_allclose(curve, expected, rtol=0, atol=1e-12)
        # at the target it is the headline measure; it never falls and never passes 1
        assert curve[20] == pytest.approx(plain.measures.at[oid, "population_coverage"], abs=1e-9)
        assert (np.diff(curve) >= -1e-15).all() and curve[-1] <= 1 + 1e-12


def test_listing_to_the_curves_length_in_one_pass_is_listing_then_relisting(sample_read) -> None:
    """``week_cover(..., at_least=120)`` lists every pair within 120 minutes in the pass that
    finds F and G; the engine used to list to the quantiles' length first and relist. The
    pair list, its cut-off, F, G and R0 are the same arrays, so no figure can move."""
    from desktop_app.core.coverage.cover import relist, week_cover
    from desktop_app.core.coverage.units import raw_hour_weights, units_of

    inputs = sample_read.inputs
    pop = inputs.areas["population"].to_numpy(float)
    weights = raw_hour_weights(inputs)
    for oid in inputs.option_ids:
        units = units_of(inputs, inputs.deployments[inputs.deployments["option_id"] == oid], oid)
        two = week_cover(units, weights, 20.0, 20.0, area_weights=pop)
        assert two.cutoff < 120  # the quantiles' list is shorter, so the old way relisted
        two = relist(two, units, 120.0)
        one = week_cover(units, weights, 20.0, 20.0, area_weights=pop, at_least=120.0)
        assert one.cutoff == two.cutoff == 120.0
        for name in ("pair_area", "pair_dep", "pair_minutes", "cover", "backup", "response"):
            np.testing.assert_array_equal(getattr(one, name), getattr(two, name), err_msg=f"{oid} {name}")


def test_busy_curve_from_masses_by_hand() -> None:
    """Two pairs in one area of 100 residents, one class of weight 2: masses 2 x 100 x 0.7
    = 140 at 3.2 minutes (counts from minute 4) and 2 x 100 x 0.3 x 0.5 = 30 at 10 minutes
    (from minute 10). Curve = cumulative / (100 x 2): 0 to minute 3, 0.7 from 4, 0.85 from 10."""
    from desktop_app.core.coverage.series import busy_curve_from_masses

    curve = busy_curve_from_masses(np.array([3.2, 10.0, 130.0]), np.array([140.0, 30.0, 5.0]),
                                   np.array([100.0]), np.array([2.0]), top=12)
    assert curve.tolist() == pytest.approx([0, 0, 0, 0, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.85, 0.85, 0.85])


def test_hourly_second_officer_cover_averages_to_backup_coverage(sample_run) -> None:
    """by_hour_backup (the Coverage view's second-officer week) weighted by the hour weights
    b_h is backup_coverage: sum_h b_h x share_h / sum_h b_h, for every option."""
    cov = sample_run.coverage
    b = np.asarray(cov.hour_weights, dtype=float)
    for oid in cov.option_ids:
        hourly = cov.by_hour_backup[oid].to_numpy(float)
        assert float(b @ hourly / b.sum()) == pytest.approx(float(cov.measures.at[oid, "backup_coverage"]), abs=1e-12)
        # G <= F hour by hour cannot be asked (their targets differ), but a share is a share
        assert ((hourly >= 0) & (hourly <= 1)).all()
