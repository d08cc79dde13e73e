"""One wording of a simulated figure for the printed table and the app (core/simulation/figures.py)."""

from __future__ import annotations

import math

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
