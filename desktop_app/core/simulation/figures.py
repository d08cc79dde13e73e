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
    "the analytic figure misses; where better, that is chance, since tie-ups only make it worse. Neither shows "
    "units busy with other work at the same times."
)

#: Why an analytic figure lies outside the simulated interval, by which side it lies.
OUTSIDE_WORSE = ("the simulated figure is worse than the analytic one beyond its 95% interval: units tied up at "
                 "other armed incidents cost what the analytic figure misses (or, one time in twenty, chance)")
OUTSIDE_BETTER = ("the simulated figure is better than the analytic one beyond its 95% interval: that is chance, "
                  "since units tied up at other incidents can only make it worse; every option answers the same "
                  "incidents, so one unusual run moves them all, and more replications settle it")
#: Both, for a table that marks either with one sign.
OUTSIDE_MEANING = ("the analytic figure lies outside the simulated 95% interval. Where the simulated figure is worse "
                   "(a lower share, longer minutes), units tied up at other armed incidents cost what the analytic "
                   "figure misses (or chance); where better, chance alone, since tie-ups only make it worse")


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
    """One simulated figure and its analytic twin over the same incidents."""

    simulated: Interval
    analytic: float
    #: A share of incidents (shown to 0.1%) rather than minutes (shown to 0.1).
    is_share: bool

    def fmt(self, missing: str = "-") -> Callable[[float], str]:
        """How the pair's figures are written."""
        return (lambda x: share(x, missing)) if self.is_share else (lambda x: minutes(x, missing))

    def simulated_worse(self) -> bool:
        """Whether the simulated figure is the worse of the two: a lower share, or longer minutes."""
        return self.simulated.mean < self.analytic if self.is_share else self.simulated.mean > self.analytic

    def outside_meaning(self) -> str:
        """What an analytic figure outside the interval means, for the side it lies on."""
        return OUTSIDE_WORSE if self.simulated_worse() else OUTSIDE_BETTER

    def outside(self) -> bool:
        """Whether the analytic figure lies outside the simulated interval (False with none).

        Figures are compared as shown (0.1% for shares, 0.1 for minutes), so "70.1%" beside
        "(69.2% to 70.0%)" is outside, and one the eye reads inside the interval is not.
        """
        return outside_interval(self.simulated, self.analytic, 0.001 if self.is_share else 0.1)


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
            Pair(o.median_minutes, o.analytic_median_minutes, False),
            Pair(o.p90_minutes, o.analytic_p90_minutes, False))
