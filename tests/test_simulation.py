"""The simulation (docs/simulation.md): hand-worked event loops, the lazy two-state chain,
agreement with the analytic cover when incidents are rare, and seeds."""

from __future__ import annotations

import math

import numpy as np
import pytest

from desktop_app.core.coverage.units import OptionUnits
from desktop_app.core.simulation.analytic import analytic_cover
from desktop_app.core.simulation.engine import Incidents, draw_incidents, run_option
from desktop_app.core.simulation.run import estimate, lower_quantile, simulate_units


def _units(response: list[list[float]], busy: list[float], posts: list[int], crew: list[int],
           active: np.ndarray | None = None) -> OptionUnits:
    """Units of a made-up option: one row per deployment, (deployments, areas) minutes."""
    n = len(busy)
    return OptionUnits(
        option_id="T", deployment_ids=np.arange(n), site_index=np.arange(n),
        posts=np.asarray(posts, dtype=np.int64), crew=np.asarray(crew, dtype=np.int64),
        busy=np.asarray(busy, dtype=float), mobilisation=np.zeros(n),
        active=np.ones((n, 168), dtype=bool) if active is None else active,
        response=np.asarray(response, dtype=np.float32), asset_type=np.array(["ARV"] * n, dtype=object),
    )


def _incidents(times: list[float], areas: list[int], hours: list[int] | None = None) -> Incidents:
    hours = hours if hours is not None else [int(t) % 168 for t in times]
    return Incidents(np.asarray(times, float), np.asarray(areas), np.asarray(hours))


def test_committed_unit_is_skipped_until_its_service_ends() -> None:
    # Two always-free single-crewed units: A at 5 min, B at 12 min from area 0.
    # Incident 1 at t=0 h: A first (5), B as second officer (12); both committed to t=2 h.
    # Incident 2 at t=1 h: both committed -> no unit: first and backup infinite.
    # Incident 3 at t=3 h: both free again -> 5 and 12.
    units = _units([[5.0], [12.0]], busy=[0.0, 0.0], posts=[1, 1], crew=[1, 1])
    out = run_option(units, _incidents([0.0, 1.0, 3.0], [0, 0, 0]), np.random.default_rng(0), 45.0, 2.0)
    assert out.first.tolist() == [5.0, math.inf, 5.0]
    assert out.backup.tolist() == [12.0, math.inf, 12.0]


def test_double_crewed_first_unit_is_its_own_backup_and_commits_alone() -> None:
    # A (crew 2, 5 min) answers incident 1 alone: backup = 5. Incident 2 half an hour
    # later: A is committed, so B (crew 1, 12 min) is first and nobody else is left.
    units = _units([[5.0], [12.0]], busy=[0.0, 0.0], posts=[1, 1], crew=[2, 1])
    out = run_option(units, _incidents([0.0, 0.5], [0, 0]), np.random.default_rng(0), 45.0, 2.0)
    assert out.first.tolist() == [5.0, 12.0]
    assert out.backup.tolist() == [5.0, math.inf]


def test_off_duty_units_are_not_sent() -> None:
    # A (5 min) is on duty only in hour 0 of the week; an incident in hour 1 gets B (12 min).
    active = np.ones((2, 168), dtype=bool)
    active[0, 1:] = False
    units = _units([[5.0], [12.0]], busy=[0.0, 0.0], posts=[1, 1], crew=[2, 2], active=active)
    out = run_option(units, _incidents([0.5, 1.5], [0, 0]), np.random.default_rng(0), 45.0, 0.0)
    assert out.first.tolist() == [5.0, 12.0]


def test_always_busy_units_never_answer() -> None:
    units = _units([[5.0]], busy=[1.0], posts=[3], crew=[2])
    out = run_option(units, _incidents([0.0, 10.0], [0, 0]), np.random.default_rng(0), 45.0, 2.0)
    assert np.isinf(out.first).all()


def test_lazy_state_follows_the_two_state_closed_form() -> None:
    # One unit, q = 0.3, mean busy spell 45 min -> tau = 0.75 h x 0.7 = 0.525 h.
    # Pairs of calls dt = 0.5 h apart, pairs 1,000 h apart (independent), no commitment.
    # P(busy at 2nd | busy at 1st) = 0.3 + 0.7 exp(-0.5/0.525) = 0.3 + 0.7 x 0.3858 = 0.5701;
    # P(busy at 2nd | free at 1st) = 0.3 - 0.3 x 0.3858 = 0.1843.
    n = 20_000
    starts = np.arange(n) * 1000.0
    times = np.sort(np.concatenate([starts, starts + 0.5]))
    units = _units([[5.0]], busy=[0.3], posts=[1], crew=[2])
    out = run_option(units, _incidents(times.tolist(), [0] * (2 * n)), np.random.default_rng(1), 45.0, 0.0)
    busy = np.isinf(out.first).reshape(n, 2)
    assert busy[:, 0].mean() == pytest.approx(0.3, abs=0.015)
    p_bb = busy[busy[:, 0], 1].mean()
    p_fb = busy[~busy[:, 0], 1].mean()
    assert p_bb == pytest.approx(0.3 + 0.7 * math.exp(-0.5 / 0.525), abs=0.02)
    assert p_fb == pytest.approx(0.3 - 0.3 * math.exp(-0.5 / 0.525), abs=0.015)


def test_analytic_first_and_second_officer_hand_worked() -> None:
    # Area 0: A (crew 1, q 0.5, 2 posts) at 10 min, B (crew 2, q 0.2) at 15, C (crew 1, q 0.4) at 25.
    # F(20) = 1 - 0.5^2 x 0.2 = 0.95.
    # G(20): units within 20 are A1, A2 (crew 1) and B (crew 2):
    #   P(< 2 officers) = P(B busy) x P(at most one A free) = 0.2 x (0.25 + 2 x 0.5 x 0.5) = 0.15 -> G = 0.85.
    # G(30) adds C (crew 1, q 0.4): P(<2) = 0.2 x P(at most one of A1, A2, C free)
    #   = 0.2 x (0.25 x 0.4 + 0.25 x 0.6 + 2 x 0.25 x 0.4) = 0.2 x 0.45 = 0.09 -> G = 0.91.
    units = _units([[10.0], [15.0], [25.0]], busy=[0.5, 0.2, 0.4], posts=[2, 1, 1], crew=[1, 2, 1])
    flat = np.full(168, 1 / 168)
    assert analytic_cover(units, np.array([1.0]), flat, 20.0, 20.0) == pytest.approx((0.95, 0.85))
    assert analytic_cover(units, np.array([1.0]), flat, 20.0, 30.0) == pytest.approx((0.95, 0.91))


def test_analytic_cover_weights_areas_and_hours() -> None:
    # Two areas: area 0 reached by A (q 0.5) in 10 min, area 1 by nobody within 20.
    # A is on duty in half the hours (weights flat): pi(area 0) = 3/4 (area weights 3:1).
    # Within target = 3/4 x 1/2 x (1 - 0.5) = 0.1875. Backup (crew 2) the same.
    active = np.zeros((1, 168), dtype=bool)
    active[0, :84] = True
    units = _units([[10.0, 40.0]], busy=[0.5], posts=[1], crew=[2], active=active)
    first, backup = analytic_cover(units, np.array([3.0, 1.0]), np.full(168, 1 / 168), 20.0, 30.0)
    assert first == pytest.approx(0.1875)
    assert backup == pytest.approx(0.1875)


def test_incident_stream_follows_the_hour_weights_and_the_rate() -> None:
    # Hour weights: all the weight in hours 0-83 (first half of the week). 1,000 a year for
    # 20 years = 20,000 on average (Poisson sd 141); none may fall in hours 84-167.
    b = np.zeros(168)
    b[:84] = 1.0
    inc = draw_incidents(np.random.default_rng(3), 1000.0, 20.0, np.array([0.25, 0.75]), b / b.sum())
    assert abs(len(inc.time) - 20_000) < 600
    assert (inc.hour < 84).all()
    assert np.all(np.diff(inc.time) >= 0)
    assert (inc.area == 1).mean() == pytest.approx(0.75, abs=0.02)


def _case() -> tuple[dict[str, OptionUnits], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    response = rng.uniform(3, 40, size=(4, 30))
    active = np.ones((4, 168), dtype=bool)
    active[3, 100:] = False  # a peak-hours crew off duty in part of the week
    a = _units(response.tolist(), busy=[0.3, 0.35, 0.1, 0.5], posts=[1, 2, 1, 1], crew=[2, 1, 1, 2], active=active)
    b = _units(response[:2].tolist(), busy=[0.3, 0.35], posts=[1, 2], crew=[2, 1])
    return {"A": a, "B": b}, rng.uniform(0, 5, 30), np.full(168, 1 / 168)


def test_low_demand_simulation_agrees_with_analytic_cover_within_its_interval() -> None:
    # 20 incidents a year for 20 years, committed 1 hour: a unit is almost never tied up
    # by another armed incident, so the simulated shares must straddle F and G.
    units, area_w, hour_w = _case()
    results = simulate_units(
        list(units), units.__getitem__, area_w, hour_w, per_year=20.0, years=20, replications=30, seed=5,
        target=20.0, backup_target=30.0, busy_spell_minutes=45.0, service_hours=1.0,
    )
    for r in results:
        lo, hi = r.within_target.low, r.within_target.high
        assert lo <= r.analytic_within_target <= hi, (r.option_id, lo, r.analytic_within_target, hi)
        lo, hi = r.backup_within_target.low, r.backup_within_target.high
        assert lo <= r.analytic_backup_within_target <= hi, (r.option_id, lo, r.analytic_backup_within_target, hi)
        assert hi - lo < 0.05


def test_high_demand_simulation_falls_below_the_independent_units_figure() -> None:
    # 20,000 incidents a year committing units for 2 hours: units are mostly tied up,
    # which the analytic (independent) figure ignores.
    units, area_w, hour_w = _case()
    [r] = simulate_units(
        ["A"], units.__getitem__, area_w, hour_w, per_year=20_000.0, years=1, replications=3, seed=5,
        target=20.0, backup_target=30.0, busy_spell_minutes=45.0, service_hours=2.0,
    )
    assert r.within_target.high < r.analytic_within_target - 0.1


def test_same_seed_same_figures_and_an_option_alone_gets_its_own_figures() -> None:
    units, area_w, hour_w = _case()
    kw = dict(per_year=50.0, years=2, replications=4, target=20.0, backup_target=30.0,
              busy_spell_minutes=45.0, service_hours=2.0)
    get = units.__getitem__
    one = simulate_units(["A", "B"], get, area_w, hour_w, seed=9, **kw)  # type: ignore[arg-type]
    two = simulate_units(["A", "B"], get, area_w, hour_w, seed=9, **kw)  # type: ignore[arg-type]
    alone = simulate_units(["B"], get, area_w, hour_w, seed=9, **kw)  # type: ignore[arg-type]
    other = simulate_units(["A", "B"], get, area_w, hour_w, seed=10, **kw)  # type: ignore[arg-type]
    assert one == two
    assert alone[0] == one[1]
    assert other[0].within_target != one[0].within_target


def test_estimate_is_a_student_t_interval() -> None:
    # values 1, 2, 3: mean 2, sd 1, t(0.975, 2) = 4.3027 -> half-width 4.3027 / sqrt(3) = 2.4841.
    e = estimate([1.0, 2.0, 3.0], lowest=-math.inf)
    assert e.mean == 2.0
    assert (e.low, e.high) == pytest.approx((2 - 2.4841, 2 + 2.4841), abs=1e-4)
    assert math.isnan(estimate([0.5]).low)
    assert math.isinf(estimate([3.0, math.inf]).mean)


def test_estimate_is_clipped_to_what_the_figure_can_be() -> None:
    # Minutes 1, 2, 3: the interval 2 +/- 2.4841 would start at -0.48 minutes; clipped at 0.
    e = estimate([1.0, 2.0, 3.0])
    assert e.low == 0.0 and e.high == pytest.approx(4.4841, abs=1e-4)
    # Shares 0.99 and 1.0 of two replications: mean 0.995, s = 0.0070711, t(0.975, 1) = 12.7062,
    # half-width 12.7062 x 0.0070711 / sqrt(2) = 0.063531: 0.931469 to 1.058531, clipped at 1.
    share = estimate([0.99, 1.0], highest=1.0)
    assert share.low == pytest.approx(0.931469, abs=1e-6) and share.high == 1.0


def test_lower_quantile_matches_the_measures_convention() -> None:
    # 10 values 1..10: median = smallest v with >= 5 values <= v = 5; p90 = 9.
    v = np.arange(1.0, 11.0)
    assert lower_quantile(v, 0.5) == 5.0
    assert lower_quantile(v, 0.9) == 9.0
    assert lower_quantile(np.array([4.0, math.inf, math.inf]), 0.5) == math.inf


def test_a_call_walks_past_the_nearest_sixteen_when_they_are_all_busy() -> None:
    # 20 units 1..20 minutes away; the nearest 18 always busy, so the 19-minute unit answers
    # and the 20-minute one is the second officer (all crews of one).
    busy = [1.0] * 18 + [0.0, 0.0]
    units = _units([[float(m)] for m in range(1, 21)], busy=busy, posts=[1] * 20, crew=[1] * 20)
    out = run_option(units, _incidents([0.0], [0]), np.random.default_rng(0), 45.0, 2.0)
    assert out.first.tolist() == [19.0] and out.backup.tolist() == [20.0]


def test_ties_go_to_the_earlier_unit() -> None:
    # Two free single-crewed units both 7 minutes away: the first listed answers first, the
    # second is the second officer; a third incident an hour later finds both committed.
    units = _units([[7.0], [7.0]], busy=[0.0, 0.0], posts=[1, 1], crew=[1, 1])
    out = run_option(units, _incidents([0.0, 1.0], [0, 0]), np.random.default_rng(0), 45.0, 2.0)
    assert out.first.tolist() == [7.0, math.inf]


def test_progress_is_reported_and_cancel_stops_the_run() -> None:
    from desktop_app.core.errors import Cancelled

    units, area_w, hour_w = _case()
    kw = dict(per_year=10.0, years=1, replications=3, seed=1, target=20.0, backup_target=30.0,
              busy_spell_minutes=45.0, service_hours=2.0)
    seen: list[float] = []
    simulate_units(["A", "B"], units.__getitem__, area_w, hour_w,
                   progress=lambda f, _m: seen.append(f), **kw)  # type: ignore[arg-type]
    # 2 options x 3 replications: 0, 1/6, ..., 5/6 before each, then 1 at the end.
    assert seen == pytest.approx([0, 1 / 6, 2 / 6, 3 / 6, 4 / 6, 5 / 6, 1.0])
    calls = iter([False, False, True])
    with pytest.raises(Cancelled):
        simulate_units(["A", "B"], units.__getitem__, area_w, hour_w,
                       cancelled=lambda: next(calls, True), **kw)  # type: ignore[arg-type]


def test_progress_names_each_option_as_the_room_knows_it(sample_read) -> None:
    """The progress line says "Do minimum (1 of 6): replication 1 of 2", not the code OPT0."""
    from desktop_app.core.simulation.run import simulate

    said: list[str] = []
    simulate(sample_read.inputs, years=1, replications=2, seed=1, option_ids=["OPT0", "OPT1"],
             progress=lambda _f, message: said.append(message))
    names = dict(zip(sample_read.inputs.options["option_id"], sample_read.inputs.options["option_name"], strict=True))
    assert said[0] == f"{names['OPT0']} (1 of 2): replication 1 of 2"
    assert said[3] == f"{names['OPT1']} (2 of 2): replication 2 of 2"
    assert not any(m.startswith("Option OPT") for m in said)


def test_the_notes_say_which_hours_incidents_fall_in(sample_read) -> None:
    """The sample has an Incidents sheet and hour_weighting flat: simulated incidents are
    spread by b_h (flat), not by last year's hours, and the notes say so (an OR review
    found the Friday-night peak silently ignored)."""
    from desktop_app.core.simulation.inputs_adapter import incident_weights

    assert sample_read.inputs.parameters.hour_weighting == "flat"
    _areas, hours, notes = incident_weights(sample_read.inputs)
    assert np.allclose(hours, hours[0])  # flat: every hour of the week alike
    assert any("not by the Incidents sheet's hours; set hour_weighting to incidents" in n for n in notes)


def test_every_run_says_its_figures_are_per_incident(sample_read) -> None:
    from desktop_app.core.simulation.run import PER_INCIDENT, simulate

    res = simulate(sample_read.inputs, years=1, replications=2, seed=1, option_ids=["OPT0"])
    assert res.notes[-1] == PER_INCIDENT and "not per resident" in PER_INCIDENT
    assert "notes" not in res.to_json()  # the contract's JSON is unchanged


def test_analytic_times_by_hand() -> None:
    """One area, two always-on units: A at 5 min busy half the time, B at 10 min never busy.
    The first free unit is A with chance 0.5 (5 min), else B (10 min): the lower median is
    5 (the cumulative share reaches 0.5 at 5) and the 90th percentile 10."""
    from desktop_app.core.simulation.analytic import analytic_times

    units = _units([[5.0], [10.0]], busy=[0.5, 0.0], posts=[1, 1], crew=[1, 1])
    assert analytic_times(units, np.array([1.0]), np.full(168, 1 / 168), 20.0, 30.0) == (5.0, 10.0)
    # A alone, busy half the time: half the calls find no free unit, so the 90th percentile
    # is never reached (infinite) and the median is 5
    alone = _units([[5.0]], busy=[0.5], posts=[1], crew=[1])
    assert analytic_times(alone, np.array([1.0]), np.full(168, 1 / 168), 20.0, 30.0) == (5.0, math.inf)


def _tiny_service_sample(sample_read, replications: int = 20):  # type: ignore[no-untyped-def]
    """The sample with units committed 0.001 hours (3.6 s) to an armed incident: no unit is
    ever tied up, so the simulated times must agree with the analytic (independent units)
    ones. 10 years a replication at the default seed, as ``simulate`` runs it by default."""
    from desktop_app.core.coverage.units import option_units
    from desktop_app.core.simulation import inputs_adapter as adapter
    from desktop_app.core.simulation.run import DEFAULT_SEED

    inputs = sample_read.inputs
    s = adapter.settings(inputs, None)
    area_w, hour_w, _notes = adapter.incident_weights(inputs)
    return simulate_units(
        list(inputs.option_ids), lambda oid: option_units(inputs, oid), area_w, hour_w, per_year=s.per_year,
        years=10, replications=replications, seed=DEFAULT_SEED, target=s.target, backup_target=s.backup_target,
        busy_spell_minutes=s.busy_spell_minutes, service_hours=0.001,
    )


def test_no_percentile_is_marked_when_units_are_never_tied_up(sample_read) -> None:
    """An OR review: with units hardly tied up the baseline's 90th percentile printed
    "57.0 (56.4 to 57.7)  56.2 *" and blamed tie-ups. The analytic distribution is nearly flat
    near 90% (0.8999 at 56.1 minutes, 0.9064 at 57.1), so the mean of the replications'
    percentiles does not converge to 56.2; judged by the share answered within 56.2 minutes
    (docs/simulation.md#quantiles), no median or 90th percentile of any option is marked."""
    from desktop_app.core.simulation import figures

    results = _tiny_service_sample(sample_read)
    base = results[0]
    assert base.option_id == "OPT0" and base.analytic_p90_minutes == pytest.approx(56.2)
    # the defect's premise: the minutes' interval leaves out the analytic 56.2 (the old rule marked it)
    assert figures.outside_interval(base.p90_minutes, base.analytic_p90_minutes, 0.1)
    # ... while the share within 56.2 minutes has an interval holding 90% (89.4% to 90.2% on this run)
    assert base.p90_within.low <= 0.9 <= base.p90_within.high
    for o in results:
        for p in figures.pairs(o)[2:]:
            assert p.judgement() is None, (o.option_id, p.probability, p.under, p.within)
    # OPT1's median: minutes step at the analytic 11.3 (H goes 0.491 -> 0.518 there), so the
    # share within 11.3 alone leaves 50% out; the share under 11.3 and the share within bracket it
    opt1 = results[1]
    assert opt1.analytic_median_minutes == pytest.approx(11.3)
    assert opt1.median_under.high < 0.5 < opt1.median_within.low


def test_percentiles_are_marked_worse_when_units_are_tied_up() -> None:
    """2,000 incidents a year, each committing one or two units for 2 hours, shared among
    option A's 5 units: 800 to 1,600 hours a unit a year (a tenth to a fifth of its 8,766),
    on top of its other work. Tie-ups slow responses, and both quantile
    rows of both options must be marked worse. On option A only about 81% of incidents are
    answered within the analytic 90th percentile's minutes (found by a run of this seed),
    where independent units give 90%."""
    from desktop_app.core.simulation import figures

    units, area_w, hour_w = _case()
    results = simulate_units(
        list(units), units.__getitem__, area_w, hour_w, per_year=2000.0, years=1, replications=5, seed=5,
        target=20.0, backup_target=30.0, busy_spell_minutes=45.0, service_hours=2.0,
    )
    for o in results:
        for p in figures.pairs(o)[2:]:
            assert p.judgement() == figures.WORSE and p.outside() and p.simulated_worse(), (o.option_id, p)
            assert p.within is not None and p.within.high < p.probability - 0.03
    assert results[0].p90_within.mean == pytest.approx(0.81, abs=0.02)
    # the same seed at 20 a year and a unit committed 0.001 hours: no quantile row is marked
    calm = simulate_units(
        list(units), units.__getitem__, area_w, hour_w, per_year=20.0, years=20, replications=30, seed=5,
        target=20.0, backup_target=30.0, busy_spell_minutes=45.0, service_hours=0.001,
    )
    assert all(p.judgement() is None for o in calm for p in figures.pairs(o)[2:])


def test_shares_about_the_analytic_minutes_by_hand() -> None:
    """Under and within v, with v on the 10^-4 minute grid: times 5, 8.2, 8.2, 9, inf about
    8.2 give 1/5 under and 3/5 within; about an infinite quantile, nothing is judged."""
    from desktop_app.core.simulation.run import shares_about

    first = np.array([5.0, 8.2, 8.2, 9.0, math.inf])
    assert shares_about(first, 8.2) == (0.2, 0.6)
    assert shares_about(first, 8.2000000001) == (0.2, 0.6)  # a float's last bits are not a minute
    assert all(math.isnan(v) for v in shares_about(first, math.inf))
    assert all(math.isnan(v) for v in shares_about(np.array([]), 8.2))
