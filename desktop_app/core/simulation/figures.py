"""The simulation's figures as words: one wording for the command line and the app.

A simulated figure is a mean over replications with a 95% confidence interval
(docs/simulation.md#output). Both the printed table of ``armed-options simulate`` and
the app's Simulation view put it as "11.6 (11.5 to 11.8)"; an interval of no width
(minutes are whole steps, so every replication can give the same median) reads
"(every replication)" rather than "(11.6 to 11.6)", which looks like a slip. A single
replication has no interval and shows the mean alone.

``missing`` is what stands for a figure that does not exist (no incidents, no area of
a kind): the terminal gets an ASCII hyphen, which every Windows console code page
prints; the app gets an en dash.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol


class Interval(Protocol):
    """A mean and its 95% interval (NaN ends when there is only one replication)."""

    @property
    def mean(self) -> float: ...
    @property
    def low(self) -> float: ...
    @property
    def high(self) -> float: ...


def share(x: float, missing: str = "-") -> str:
    """A share of incidents as a percentage to 0.1 ("63.6%")."""
    return missing if not math.isfinite(x) else f"{x:.1%}"


def minutes(x: float, missing: str = "-") -> str:
    """Minutes to 0.1; "never" for an infinite time (half the calls find no unit)."""
    return "never" if math.isinf(x) else (missing if math.isnan(x) else f"{x:.1f}")


def with_interval(e: Interval, fmt: Callable[[float], str]) -> str:
    """``fmt(mean)`` with its interval in brackets, worded as the module says."""
    if math.isnan(e.low):
        return fmt(e.mean)
    if e.low == e.high:
        return f"{fmt(e.mean)} (every replication)"
    return f"{fmt(e.mean)} ({fmt(e.low)} to {fmt(e.high)})"
