"""The simulation's figures as words: one wording for the command line and the app.

A simulated figure is a mean over replications with a 95% confidence interval
(docs/simulation.md#output). Both the printed table of ``armed-options simulate`` and
the app's Simulation view put it as "11.6 (11.5 to 11.8)"; an interval of no width
(minutes are whole steps, so every replication can give the same median) reads
"(every replication)" rather than "(11.6 to 11.6)", which looks like a slip. A single
replication has no interval and shows the mean alone.

``missing`` is what stands for a figure that does not exist (no incidents, no area of
a kind): the terminal gets an ASCII hyphen, which every Windows console code page
prints; the app gets an en dash. For the same reason the terminal marks an analytic
figure outside the simulated interval with "*", the app with "†".

What agreement means is worded here once (``READING``), for the printed table's footer
and the app's summary: the simulation keeps each unit's other work independent of the
other units', as the analytic figures do, so what it tests is the other half of their
assumption, that no unit is ever tied up at another armed incident. It cannot show
whether units are busy at the same times (a busy Friday night for every crew at once).

Whether an analytic figure is marked is judged here once (:meth:`Pair.judgement`), for
both front ends: a share against its interval, a median or 90th percentile in probability
space (docs/simulation.md#quantiles). A run too small to detect tie-ups
(:func:`too_small`) says so instead of the reassuring reading (docs/simulation.md#too-small).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # run.py imports nothing from here; the name is for the type only
    from desktop_app.core.simulation.run import OptionSimulation


class Interval(Protocol):
    """A mean and its 95% interval (NaN ends when there is only one replication)."""

    @property
    def mean(self) -> float: ...
    @property
    def low(self) -> float: ...
    @property
    def high(self) -> float: ...


#: How to read a simulated figure beside its analytic twin (docs/simulation.md#output).
READING = (
    "Where the 95% interval holds the analytic figure, units tied up at other armed incidents cost no cover the "
    "simulation can detect. Where the simulated figure is worse (a lower share, longer minutes), they cost what "
    "the analytic figure misses; where better, that is simulation noise, since tie-ups only make it worse. Neither "
    "shows units busy with other work at the same times."
)

#: What the intervals are, said once (docs/simulation.md#output): a reader took "chance" for
#: the world's, and a narrow interval for a sure figure.
INTERVALS_ARE = ("the intervals are the simulation's own run-to-run (Monte Carlo) noise: they narrow with more "
                 "replications or years, and take the inputs (busy fractions, incident service hours, busy-spell "
                 "length) as right")

#: How a median or 90th percentile is judged (docs/simulation.md#quantiles): its minutes'
#: interval can leave out the analytic minutes with no tie-ups at all.
QUANTILES_JUDGED = ("a median or 90th percentile is marked only when the share of simulated incidents answered within "
                    "the analytic minutes has a 95% interval leaving out 50% or 90%: where response times are spread "
                    "thin near it, the mean of the replications' percentiles misses the analytic one even with no "
                    "tie-ups")

#: Why an analytic figure lies outside the simulated interval, by which side it lies.
OUTSIDE_WORSE = ("the simulated figure is worse than the analytic one beyond its 95% interval: units tied up at "
                 "other armed incidents cost what the analytic figure misses (or, one time in twenty, simulation "
                 "noise)")
OUTSIDE_BETTER = ("the simulated figure is better than the analytic one beyond its 95% interval: that is simulation "
                  "noise, since units tied up at other incidents can only make it worse; every option answers the "
                  "same incidents, so one unusual run moves them all, and more replications settle it")
#: Both, for a table that marks either with one sign.
OUTSIDE_MEANING = ("the analytic figure lies outside the simulated 95% interval (for a median or 90th percentile, "
                   "50% or 90% lies outside the interval of the share answered within its minutes). Where the simulated figure is worse (a lower share, "
                   "longer minutes), units tied up at other armed incidents cost what the analytic figure misses (or "
                   "simulation noise); where better, simulation noise alone, since tie-ups only make it worse")

#: The run too small to read agreement as no cost (docs/simulation.md#too-small): fewer
#: replications than this, or a share's interval wider than this either side.
FEWEST_REPLICATIONS = 5
WIDEST_HALF = 0.02

#: What the judgement of a pair can be.
WORSE, BETTER = "worse", "better"


def share(x: float, missing: str = "-") -> str:
    """A share of incidents as a percentage to 0.1 ("63.6%")."""
    return missing if not math.isfinite(x) else f"{x:.1%}"


def minutes(x: float, missing: str = "-") -> str:
    """Minutes to 0.1; "never" for an infinite time (half the calls find no unit)."""
    return "never" if math.isinf(x) else (missing if math.isnan(x) else f"{x:.1f}")


def points(x: float, missing: str = "-") -> str:
    """A difference of two shares in percentage points, signed ("+8.3")."""
    return missing if not math.isfinite(x) else f"{100 * x:+.1f}"


def against_baseline(o: OptionSimulation, base: OptionSimulation, missing: str = "-") -> str:
    """The option's share within target against the baseline's, paired replication by
    replication over the same incidents: "+8.3 points (+7.8 to +8.7)"."""
    from desktop_app.core.simulation.run import paired_difference

    d = paired_difference(o, base)
    main = points(d.mean, missing)
    if main == missing:
        return missing
    # "+8.3 points (+7.8 to +8.7)", "+0.0 points (every replication)": the unit by the figure
    return f"{main} points" + with_interval(d, lambda x: points(x, missing))[len(main):]


def with_interval(e: Interval, fmt: Callable[[float], str], sep: str = " ") -> str:
    """``fmt(mean)`` with its interval in brackets, worded as the module says; ``sep``
    goes between them (the app's table puts the interval on a line of its own)."""
    if math.isinf(e.mean) and math.isfinite(e.low):
        # Some replications never reach the quantile (too many incidents find no unit): the
        # mean is infinite and its interval says nothing. "never (71.3 to never)" read as a slip.
        return f"never in some replications{sep}(the lowest {fmt(e.low)})"
    if math.isnan(e.low):
        return fmt(e.mean)
    if e.low == e.high:
        return f"{fmt(e.mean)}{sep}(every replication)"
    return f"{fmt(e.mean)}{sep}({fmt(e.low)} to {fmt(e.high)})"


@dataclass(frozen=True)
class Pair:
    """One simulated figure and its analytic twin over the same incidents.

    A quantile's pair also carries its probability and, over the replications, the
    shares of incidents answered in under and within the analytic minutes: it is judged
    by those (:meth:`judgement`), while its minutes are what is shown.
    """

    simulated: Interval
    analytic: float
    #: A share of incidents (shown to 0.1%) rather than minutes (shown to 0.1).
    is_share: bool
    #: For a quantile: 0.5 or 0.9 (NaN for a share).
    probability: float = math.nan
    #: For a quantile: the shares answered in under, and within, the analytic minutes.
    under: Interval | None = None
    within: Interval | None = None

    def fmt(self, missing: str = "-") -> Callable[[float], str]:
        """How the pair's figures are written."""
        return (lambda x: share(x, missing)) if self.is_share else (lambda x: minutes(x, missing))

    def judgement(self) -> str | None:
        """``WORSE`` or ``BETTER`` when the analytic figure is outside what the simulation
        allows, by the side the simulated one lies on; None when it is inside (or there is
        no interval).

        A share: the analytic share outside the simulated interval, both as shown (0.1%), so
        "70.1%" beside "(69.2% to 70.0%)" is outside and one the eye reads inside is not.

        A quantile, in probability space (docs/simulation.md#quantiles): the lower
        q-quantile of the simulated times is the analytic v exactly when H(v-) < q <= H(v),
        H their distribution. So the simulated times are slower (worse) when the interval
        of the share answered within v lies below q, and quicker (better) when that of the
        share answered in under v lies above it. The mean of the replications' quantiles is
        no test: where H is flat near q it need not converge to v at all.
        """
        if self.is_share:
            if not outside_interval(self.simulated, self.analytic):
                return None
            return WORSE if self.simulated.mean < self.analytic else BETTER
        if self.under is None or self.within is None or not math.isfinite(self.analytic):
            return None  # a quantile never reached analytically is not judged
        q = self.probability
        if outside_interval(self.within, q) and self.within.high < q:
            return WORSE
        if outside_interval(self.under, q) and self.under.low > q:
            return BETTER
        return None

    def simulated_worse(self) -> bool:
        """Whether the simulated figure is the worse of the two: a lower share, or longer
        minutes (for a judged quantile, fewer incidents within the analytic minutes)."""
        said = self.judgement()
        if said is not None:
            return said == WORSE
        if self.within is not None and math.isfinite(self.within.mean):
            return self.within.mean < self.probability
        return self.simulated.mean < self.analytic if self.is_share else self.simulated.mean > self.analytic

    def outside(self) -> bool:
        """Whether the analytic figure is marked: :meth:`judgement` found it outside."""
        return self.judgement() is not None

    def outside_meaning(self) -> str:
        """What a marked analytic figure means, for the side it lies on; for a quantile,
        first the share that was judged (a reader sees minutes, not the share)."""
        meaning = OUTSIDE_WORSE if self.simulated_worse() else OUTSIDE_BETTER
        said = self.judgement()
        if self.is_share or said is None:
            return meaning
        return f"{self.share_judged(said)}; {meaning}"

    def share_judged(self, side: str) -> str:
        """For a marked quantile, the share that put it outside: "85.3% (84.1% to 86.5%) of
        simulated incidents were answered within the analytic 56.2 minutes, not 90%"."""
        e, how = (self.within, "within") if side == WORSE else (self.under, "in under")
        assert e is not None  # judgement() found it
        return (f"{with_interval(e, share)} of simulated incidents were answered {how} the analytic "
                f"{minutes(self.analytic)} minutes, not {self.probability:.0%}")


def outside_interval(e: Interval, analytic: float, step: float = 0.001) -> bool:
    """Whether ``analytic`` lies outside ``e``'s interval, both rounded to steps of ``step``."""
    if not (math.isfinite(e.low) and math.isfinite(e.high) and math.isfinite(analytic)):
        return False
    a, lo, hi = (round(v / step) for v in (analytic, e.low, e.high))
    return a < lo or a > hi


def pairs(o: OptionSimulation) -> tuple[Pair, Pair, Pair, Pair]:
    """An option's four figures in the order the printed table and the app show them:
    within target, second officer, median minutes, 90th-percentile minutes."""
    return (Pair(o.within_target, o.analytic_within_target, True),
            Pair(o.backup_within_target, o.analytic_backup_within_target, True),
            Pair(o.median_minutes, o.analytic_median_minutes, False, 0.5, o.median_under, o.median_within),
            Pair(o.p90_minutes, o.analytic_p90_minutes, False, 0.9, o.p90_under, o.p90_within))


def half_width(e: Interval) -> float:
    """How far the interval reaches from the mean, on its wider side (an interval clipped at
    0% or 100% is narrower on that side than the run's noise); NaN with no interval."""
    if not (math.isfinite(e.low) and math.isfinite(e.high) and math.isfinite(e.mean)):
        return math.nan
    return max(e.mean - e.low, e.high - e.mean)


def too_small(options: list[OptionSimulation], replications: int) -> str | None:
    """Why the run is too small to detect tie-ups, or None when it is not
    (docs/simulation.md#too-small).

    Too small: fewer than ``FEWEST_REPLICATIONS`` replications (the t quantile is 3.18 or
    more, with 3 degrees of freedom or fewer, and the replications' spread is itself a guess), or a share within target or with
    a second officer whose interval reaches more than ``WIDEST_HALF`` (2 points) from its
    mean, wider than the gains the comparisons turn on (+0.6 to +1.6 points on the
    sample). An analytic figure inside such an interval says nothing about tie-ups.
    """
    if replications < 2:
        return None  # no intervals at all: the table says so already
    if replications < FEWEST_REPLICATIONS:
        return f"{replications} replications, fewer than {FEWEST_REPLICATIONS}"
    widest = max((h for o in options for h in (half_width(o.within_target), half_width(o.backup_within_target))
                  if math.isfinite(h)), default=math.nan)
    if widest > WIDEST_HALF:
        return f"share intervals of +/-{100 * widest:.1f} points, over +/-{100 * WIDEST_HALF:g}"
    return None


def reading(options: list[OptionSimulation], replications: int, more: str) -> str:
    """``READING``, or, for a run too small to detect tie-ups, that, and ``more`` (how to
    run a larger one, in the front end's terms) in place of its reassurance."""
    why = too_small(options, replications)
    if why is None:
        return READING
    return (f"This run is too small to detect units tied up at other armed incidents ({why}): an analytic figure "
            f"inside intervals this wide says nothing about what tie-ups cost; {more}. Neither figure shows units "
            "busy with other work at the same times.")


def paired_caveat(options: list[OptionSimulation], replications: int) -> str:
    """What the paired comparisons with the baseline may be read as, for a run too small to
    detect tie-ups (docs/simulation.md#paired); "" when the run is large enough.

    With two replications the paired interval rests on one degree of freedom (t = 12.7)
    and the other-work states of each option are drawn apart, so an interval can leave out
    0 by chance: the sample's 1 x 2 run put a new ARV base 2.4 points below the baseline it
    adds a unit to, which no tie-up can do. Such a line is not "a difference the noise
    does not explain", and says so.
    """
    why = too_small(options, replications)
    if why is None:
        return ""
    return (f"too small a run to read these ({why}): an interval from so few replications can leave out 0 "
            "by chance, so none of them is evidence of a difference")


def analytic_beside(o: OptionSimulation, base: OptionSimulation) -> str:
    """For a comparison with the baseline the simulation cannot tell from none (its paired
    interval holds 0, as shown) where the analytic figures differ (to 0.1 point): what the
    model expects, "the analytic figures expect +0.6 (62.5% against 61.9%)". Else "".

    An interval holding 0 says the run cannot see the gain, not that there is none; a
    reader given only "+0.3 (-0.1 to +0.7)" took it for no gain.
    """
    from desktop_app.core.simulation.run import paired_difference

    d = paired_difference(o, base)
    gap = o.analytic_within_target - base.analytic_within_target
    if not (math.isfinite(d.low) and math.isfinite(d.high) and math.isfinite(gap)):
        return ""
    if outside_interval(d, 0.0) or round(100 * gap, 1) == 0:
        return ""
    return (f"the simulation cannot tell it from none; the analytic figures expect {points(gap)} "
            f"({share(o.analytic_within_target)} against {share(base.analytic_within_target)})")
