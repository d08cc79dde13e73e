"""One wording of a simulated figure for the printed table and the app (core/simulation/figures.py)."""

from __future__ import annotations

import math

import pytest

from desktop_app.core.simulation import figures
from desktop_app.core.simulation.run import Estimate, OptionSimulation

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
                         analytic_median_minutes=11.9, analytic_p90_minutes=42.2,
                         median_under=Estimate(0.47, 0.46, 0.48), median_within=Estimate(0.52, 0.51, 0.53),
                         p90_under=Estimate(0.84, 0.83, 0.85), p90_within=Estimate(0.86, 0.85, 0.87))
    within, second, median, p90 = figures.pairs(o)
    assert (within.simulated, within.analytic, within.is_share) == (o.within_target, 0.701, True)
    # 70.1% beside (69.2% to 70.0%): outside; 70.04% shows as 70.0%: inside (69.0% to 71.0%)
    assert within.outside() and not second.outside()
    # the quantiles carry their probability and the shares about the analytic minutes
    assert (median.probability, median.under, median.within) == (0.5, o.median_under, o.median_within)
    assert (p90.probability, p90.within) == (0.9, o.p90_within) and not median.is_share
    # judged in probability space, not by minutes: 11.9 lies outside (11.5 to 11.8), but 50% lies
    # between the shares under (46% to 48%) and within (51% to 53%): not marked. The 90th
    # percentile's 42.2 lies inside (39.4 to 45.4), but only 85% to 87% are answered within
    # 42.2 minutes, not 90%: marked, the simulated times the slower
    assert not median.outside() and p90.outside() and p90.judgement() == figures.WORSE
    assert within.fmt()(0.701) == "70.1%" and median.fmt(missing="–")(float("nan")) == "–"


def test_a_quantile_is_judged_by_the_shares_about_its_analytic_minutes() -> None:
    """docs/simulation.md#quantiles: the lower q-quantile of H is v exactly when
    H(v-) < q <= H(v), so slower when the share within v is below q, quicker when the share
    under v is above it, and in agreement when the two bracket q."""
    from desktop_app.core.simulation.figures import (
        BETTER,
        OUTSIDE_BETTER,
        OUTSIDE_WORSE,
        WORSE,
        Pair,
    )

    minutes = Estimate(57.0, 56.4, 57.7)  # leaves out the analytic 56.2: no matter, minutes are not judged
    # The reviewer's case: 89.8% (89.4% to 90.2%) within 56.2 minutes holds 90%: not marked.
    calm = Estimate(0.898, 0.894, 0.902)
    assert Pair(minutes, 56.2, False, 0.9, calm, calm).judgement() is None
    # A step at v: 49.0% (48.3% to 49.7%) under, 51.8% (51.2% to 52.5%) within: they bracket 50%,
    # though the share within alone leaves 50% out.
    assert Pair(minutes, 11.3, False, 0.5, Estimate(0.49, 0.483, 0.497), Estimate(0.518, 0.512, 0.525)).judgement() is None
    # 85% (84% to 86%) within 56.2: slower than the analytic times.
    slow = Pair(minutes, 56.2, False, 0.9, Estimate(0.84, 0.83, 0.85), Estimate(0.85, 0.84, 0.86))
    assert slow.judgement() == WORSE and slow.outside() and slow.simulated_worse()
    assert slow.outside_meaning() == ("85.0% (84.0% to 86.0%) of simulated incidents were answered within the "
                                      "analytic 56.2 minutes, not 90%; " + OUTSIDE_WORSE)
    # 93% (92% to 94%) under 56.2: quicker, which tie-ups cannot make: noise.
    quick = Pair(minutes, 56.2, False, 0.9, Estimate(0.93, 0.92, 0.94), Estimate(0.94, 0.93, 0.95))
    assert quick.judgement() == BETTER and not quick.simulated_worse()
    assert quick.outside_meaning().startswith("93.0% (92.0% to 94.0%) of simulated incidents were answered in under")
    assert quick.outside_meaning().endswith(OUTSIDE_BETTER)
    # Compared as shown, to 0.1%: an interval ending at 89.96% reads "90.0%", which holds 90%.
    assert Pair(minutes, 56.2, False, 0.9, Estimate(0.89, 0.88, 0.8996), Estimate(0.89, 0.88, 0.8996)).judgement() is None
    # No interval (one replication), no shares, or an analytic quantile never reached: not judged.
    one = Estimate(0.5, NAN, NAN)
    assert Pair(minutes, 56.2, False, 0.9, one, one).judgement() is None
    assert Pair(minutes, 56.2, False, 0.9).judgement() is None
    assert Pair(minutes, INF, False, 0.9, Estimate(0.5, 0.4, 0.6), Estimate(0.5, 0.4, 0.6)).judgement() is None


def _option(oid: str, runs: tuple[float, ...], analytic: float, half: float = 0.005) -> OptionSimulation:
    """An option whose four figures are one interval of +/-``half`` about the runs' mean."""
    mean = sum(runs) / len(runs) if runs else 0.6
    e = Estimate(mean, mean - half, mean + half)
    return OptionSimulation(oid, 100, e, e, e, e, analytic, analytic, within_target_runs=runs)


def test_a_run_too_small_to_detect_tie_ups_says_so() -> None:
    """docs/simulation.md#too-small: fewer than 5 replications, or a share's interval more
    than 2 points from its mean, replaces the reassuring reading."""
    from dataclasses import replace

    wide_enough = [_option("OPT0", (0.6,) * 20, 0.6)]  # +/-0.5 points
    assert figures.too_small(wide_enough, 20) is None
    assert figures.reading(wide_enough, 20, "run more") == figures.READING
    assert figures.too_small(wide_enough, 4) == "4 replications, fewer than 5"
    assert figures.too_small(wide_enough, 1) is None  # no intervals: said elsewhere
    # 62.9% (39.2% to 86.6%), the two-replication run of the review: 23.7 points either side
    wide = [replace(wide_enough[0], within_target=Estimate(0.629, 0.392, 0.866))]
    assert figures.too_small(wide, 5) == "share intervals of +/-23.7 points, over +/-2"
    text = figures.reading(wide, 5, "run more replications (--replications) or years (--years)")
    assert text.startswith("This run is too small to detect units tied up at other armed incidents (share intervals")
    assert "run more replications (--replications) or years (--years)" in text and "cost no cover" not in text
    # clipped at 100%: 99.0% (96.5% to 100.0%) reaches 2.5 points on its wider side, too wide,
    # though the clipped side is only 1 point
    clipped = [replace(wide_enough[0], backup_within_target=Estimate(0.99, 0.965, 1.0))]
    assert figures.too_small(clipped, 20) == "share intervals of +/-2.5 points, over +/-2"


def test_a_comparison_the_run_cannot_tell_from_none_gives_the_analytic_difference() -> None:
    # Baseline shares 0.60, 0.62, 0.61, the option's 0.61, 0.61, 0.62: differences 0.01, -0.01,
    # 0.01, mean 0.003333, s = 0.011547, half-width 4.302653 x 0.011547 / sqrt(3) = 0.028685:
    # -2.5 to +3.2 points, which holds 0. The analytic shares 62.51% and 61.89% differ by +0.6.
    base = _option("OPT0", (0.60, 0.62, 0.61), 0.6189)
    opt = _option("OPT4", (0.61, 0.61, 0.62), 0.6251)
    assert figures.against_baseline(opt, base) == "+0.3 points (-2.5 to +3.2)"
    assert figures.analytic_beside(opt, base) == (
        "the simulation cannot tell it from none; the analytic figures expect +0.6 (62.5% against 61.9%)")
    # the same analytic shares: nothing to add (the model expects no difference either)
    assert figures.analytic_beside(_option("OPT4", (0.61, 0.61, 0.62), 0.6189), base) == ""
    # a difference the run does see (+8.0 points every replication): nothing to add
    assert figures.analytic_beside(_option("OPT1", (0.68, 0.70, 0.69), 0.70), base) == ""


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
