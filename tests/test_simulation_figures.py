"""One wording of a simulated figure for the printed table and the app (core/simulation/figures.py)."""

from __future__ import annotations

import math

import pytest

from desktop_app.core.simulation import figures
from desktop_app.core.simulation.run import Estimate

NAN, INF = math.nan, math.inf


def test_interval_is_worded_the_same_everywhere() -> None:
    # 20 replications' medians: mean 11.62, interval 11.54 to 11.79 -> one decimal each.
    assert figures.with_interval(Estimate(11.62, 11.54, 11.79), figures.minutes) == "11.6 (11.5 to 11.8)"
    # A share: 0.7921 -> 79.2% (0.1% steps), ends 0.781 -> 78.1%, 0.80 -> 80.0%.
    assert figures.with_interval(Estimate(0.7921, 0.781, 0.80), figures.share) == "79.2% (78.1% to 80.0%)"


def test_interval_of_no_width_says_every_replication_agreed() -> None:
    # Minutes are whole steps: every replication's median was 12, so low == high == 12.
    assert figures.with_interval(Estimate(12.0, 12.0, 12.0), figures.minutes) == "12.0 (every replication)"


def test_one_replication_has_no_interval() -> None:
    assert figures.with_interval(Estimate(0.5, NAN, NAN), figures.share) == "50.0%"


def test_missing_and_never() -> None:
    # Infinite minutes: half the calls found no unit, so the median is never reached.
    assert figures.minutes(INF) == "never"
    assert figures.minutes(NAN) == "-" and figures.minutes(NAN, missing="–") == "–"
    assert figures.share(NAN) == "-" and figures.share(INF, missing="–") == "–"
    # Some replications never reach the median: the estimate is (inf, lowest replication, inf),
    # worded as that, not "never (71.3 to never)".
    e = Estimate(INF, 71.3, INF)
    assert figures.with_interval(e, figures.minutes) == "never in some replications (the lowest 71.3)"


def test_the_interval_may_go_on_a_line_of_its_own() -> None:
    # The app's table: the figure, then its interval under it; the words are the same.
    assert figures.with_interval(Estimate(11.62, 11.54, 11.79), figures.minutes, sep="\n") == "11.6\n(11.5 to 11.8)"
    assert figures.with_interval(Estimate(12.0, 12.0, 12.0), figures.minutes, sep="\n") == "12.0\n(every replication)"


def test_pairs_are_in_the_tables_order_and_compared_as_shown() -> None:
    from desktop_app.core.simulation.run import OptionSimulation

    o = OptionSimulation("OPT1", 158.0, Estimate(0.696, 0.692, 0.700), Estimate(0.70, 0.69, 0.71),
                         Estimate(11.62, 11.54, 11.79), Estimate(42.4, 39.4, 45.4), 0.701, 0.7004,
                         analytic_median_minutes=11.9, analytic_p90_minutes=42.2)
    within, second, median, p90 = figures.pairs(o)
    assert (within.simulated, within.analytic, within.is_share) == (o.within_target, 0.701, True)
    # 70.1% beside (69.2% to 70.0%): outside; 70.04% shows as 70.0%: inside (69.0% to 71.0%)
    assert within.outside() and not second.outside()
    # minutes to 0.1: 11.9 outside (11.5 to 11.8); 42.2 inside (39.4 to 45.4)
    assert median.outside() and not p90.outside() and not median.is_share
    assert within.fmt()(0.701) == "70.1%" and median.fmt(missing="–")(float("nan")) == "–"


def test_an_analytic_figure_outside_the_interval_is_marked() -> None:
    from desktop_app.core.simulation.figures import outside_interval

    # As shown, to 0.1%: "70.1%" beside "(69.2% to 70.0%)" is outside; "70.0%" is not (the
    # interval's end, as the eye reads it), nor 70.04%, shown 70.0%.
    e = Estimate(0.696, 0.692, 0.700)
    assert outside_interval(e, 0.701) and not outside_interval(e, 0.700) and not outside_interval(e, 0.7004)
    assert outside_interval(e, 0.691)
    # Minutes to 0.1: 11.6 inside (11.5 to 11.8); 11.9 outside.
    m = Estimate(11.62, 11.54, 11.79)
    assert not outside_interval(m, 11.6, 0.1) and outside_interval(m, 11.9, 0.1)
    # A time under a minute is still minutes: 0.8 against (0.5 to 0.7) is outside.
    assert outside_interval(Estimate(0.6, 0.5, 0.7), 0.8, 0.1)
    # No interval (one replication) or no figure: never marked.
    nan = float("nan")
    assert not outside_interval(Estimate(0.5, nan, nan), 0.9) and not outside_interval(e, nan)


def test_which_side_of_the_interval_says_what_it_means() -> None:
    from desktop_app.core.simulation.figures import OUTSIDE_BETTER, OUTSIDE_WORSE, Pair

    # A share: simulated 60.0% (59.0 to 61.0) against an analytic 63.0% is the worse (lower):
    # units tied up at other incidents explain it. Against 57.0% it is the better: chance.
    e = Estimate(0.60, 0.59, 0.61)
    assert Pair(e, 0.63, True).simulated_worse() and Pair(e, 0.63, True).outside_meaning() == OUTSIDE_WORSE
    assert not Pair(e, 0.57, True).simulated_worse() and Pair(e, 0.57, True).outside_meaning() == OUTSIDE_BETTER
    # Minutes: simulated 12.0 (11.8 to 12.2) against 11.5 analytic is the worse (longer).
    m = Estimate(12.0, 11.8, 12.2)
    assert Pair(m, 11.5, False).simulated_worse() and not Pair(m, 12.5, False).simulated_worse()


def test_a_paired_difference_is_taken_replication_by_replication() -> None:
    """Every option answers the same incidents, so their shares pair up by replication."""
    from dataclasses import replace

    from desktop_app.core.simulation.run import OptionSimulation, paired_difference

    # Baseline shares 0.60, 0.64, 0.62 and the option's 0.68, 0.71, 0.70 (the option ahead by
    # 0.08, 0.07, 0.08 in each): mean 0.076667, s = 0.0057735, t(0.975, 2) = 4.302653,
    # half-width 4.302653 x 0.0057735 / sqrt(3) = 0.014342: 0.062324 to 0.091009.
    # The options' own intervals (0.62 +/- 0.0497, 0.696667 +/- 0.0379) overlap; this one is far from 0.
    e = Estimate(0.62, 0.57, 0.67)
    base = OptionSimulation("OPT0", 100, e, e, e, e, 0.6, 0.6, within_target_runs=(0.60, 0.64, 0.62))
    opt = replace(base, option_id="OPT1", within_target_runs=(0.68, 0.71, 0.70))
    d = paired_difference(opt, base)
    assert d.mean == pytest.approx(0.076667, abs=1e-6)
    assert (d.low, d.high) == (pytest.approx(0.062324, abs=1e-6), pytest.approx(0.091009, abs=1e-6))
    assert figures.against_baseline(opt, base) == "+7.7 points (+6.2 to +9.1)"
    # different numbers of replications cannot pair
    assert math.isnan(paired_difference(replace(opt, within_target_runs=(0.7,)), base).mean)
