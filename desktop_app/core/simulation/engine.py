"""The event loop: armed incidents, units busy with other work, units committed.

Why no general simulation library (SimPy): the only events that change anything are
incident arrivals. A unit's commitment to an incident is a "free again at" time
compared on arrival, and its other work is a two-state Markov chain whose state is
drawn only when a call considers that unit, from the closed form between the last
time it was looked at and now (docs/simulation.md#lazy). So the loop is a sorted
list of arrivals, with no event queue, processes or yields: a year of a national
force is tens of thousands of steps, not the millions of busy-spell events a
process-per-unit model would schedule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from desktop_app.core.coverage.cover import hour_classes_of
from desktop_app.core.coverage.measures import RESPONSE_DECIMALS
from desktop_app.core.coverage.units import HOURS_OF_WEEK, OptionUnits

#: 365.25 days: a simulated year, in hours.
HOURS_PER_YEAR = 8766.0


@dataclass(frozen=True)
class Incidents:
    """One replication's armed incidents, in time order (shared by every option)."""

    time: np.ndarray  # hours since the start, ascending
    area: np.ndarray  # area index
    hour: np.ndarray  # hour of the week, 0..167


@dataclass(frozen=True)
class Outcome:
    """Per incident: minutes to the first unit and to a second armed officer (inf: none)."""

    first: np.ndarray
    backup: np.ndarray


def draw_incidents(
    rng: np.random.Generator, per_year: float, years: float, area_p: np.ndarray, hour_p: np.ndarray
) -> Incidents:
    """A Poisson process of ``per_year`` incidents a year, in hour h with weight ``hour_p``.

    The rate in hour-of-week h is per_year x 168 x hour_p[h] / HOURS_PER_YEAR, so a
    flat profile gives per_year a year on average. Drawn exactly by thinning a
    homogeneous process at the peak rate (Lewis and Shedler 1979). The area is drawn
    independently of the time, with probability ``area_p``.
    """
    horizon = years * HOURS_PER_YEAR
    peak = float(hour_p.max())
    rate_peak = per_year * HOURS_OF_WEEK * peak / HOURS_PER_YEAR  # per hour
    n = int(rng.poisson(rate_peak * horizon))
    t = np.sort(rng.uniform(0.0, horizon, n))
    h = np.floor(t).astype(np.int64) % HOURS_OF_WEEK
    keep = rng.uniform(0.0, 1.0, n) * peak < hour_p[h]
    t, h = t[keep], h[keep]
    area = rng.choice(len(area_p), size=len(t), p=area_p)
    return Incidents(time=t, area=area.astype(np.int64), hour=h)


#: Units listed per (hour class, area) at first: a call rarely walks past the 16 nearest.
_NEAREST = 16


class _Orders:
    """Per (hour class, area): the active units, nearest first (built on first use).

    Only the nearest ``_NEAREST`` units (and any tied with the last) are sorted at
    first; ``full`` gives the whole order in the rare case a call walks past them.
    Both orders sort by (minutes, unit), so the short list is the start of the full one.
    """

    def __init__(self, units: OptionUnits) -> None:
        self.unit_row = np.repeat(np.arange(units.n), units.posts.astype(np.int64))
        # Areas x deployments, contiguous: one area's responses are one row to read.
        self.by_area = np.ascontiguousarray(units.response.T)
        self.hour_class, _, active = hour_classes_of(units, np.ones(HOURS_OF_WEEK))
        self.class_units = [np.flatnonzero(active[self.unit_row, c]) for c in range(active.shape[1])]
        self.class_rows = [self.unit_row[u] for u in self.class_units]
        self.cache: dict[tuple[int, int], tuple[list[int], list[float], bool]] = {}

    def _sorted(self, c: int, area: int, limit: int | None) -> tuple[list[int], list[float], bool]:
        u = self.class_units[c]
        r = self.by_area[area, self.class_rows[c]]
        if limit is not None and u.size > limit:
            kth = np.partition(r, limit - 1)[limit - 1]
            pick = np.flatnonzero(r <= kth)  # the nearest, with every tie of the last
            complete = False
        else:
            pick = np.arange(u.size)
            complete = True
        order = pick[np.lexsort((u[pick], r[pick]))]
        # Rounded as the coverage engine rounds responses, so "on target" means the same.
        minutes = np.round(r[order].astype(np.float64), RESPONSE_DECIMALS)
        return u[order].tolist(), minutes.tolist(), complete

    def get(self, hour: int, area: int) -> tuple[list[int], list[float], bool]:
        c = int(self.hour_class[hour])
        hit = self.cache.get((c, area))
        if hit is None:
            hit = self._sorted(c, area, _NEAREST)
            self.cache[(c, area)] = hit
        return hit

    def full(self, hour: int, area: int) -> tuple[list[int], list[float], bool]:
        c = int(self.hour_class[hour])
        hit = self._sorted(c, area, None)
        self.cache[(c, area)] = hit
        return hit


def run_option(
    units: OptionUnits, incidents: Incidents, rng: np.random.Generator,
    busy_spell_minutes: float, service_hours: float,
) -> Outcome:
    """Send units to each incident in turn; return first and second-officer minutes.

    Per incident: walk the active units nearest first, skipping those committed to an
    earlier incident; draw whether each is busy with other work (lazily, below) until
    one is free. If it carries one officer, walk on to the next free unit. Both are
    committed for ``service_hours``.

    Lazy other-work state (docs/simulation.md#lazy): with mean busy spell B and busy
    share q, the chain leaves "busy" at rate mu = 1/B and "free" at lambda = mu q/(1-q);
    given state s when last looked at, P(busy after dt) = q + (s - q) exp(-dt / tau)
    with tau = 1/(lambda + mu) = B (1 - q). A unit never looked at is in its long-run
    state: busy with probability q.
    """
    orders = _Orders(units)
    n_units = len(orders.unit_row)
    q = units.busy[orders.unit_row].astype(np.float64).tolist()
    tau = [max(busy_spell_minutes / 60.0 * (1.0 - qi), 0.0) for qi in q]
    crew = units.crew[orders.unit_row].astype(np.int64).tolist()
    free_at = [-math.inf] * n_units
    seen_at: list[float | None] = [None] * n_units
    was_busy = [0.0] * n_units
    n = len(incidents.time)
    first_out = np.full(n, math.inf)
    backup_out = np.full(n, math.inf)
    draws = rng.random(max(4 * n, 64)).tolist()
    k = 0
    exp = math.exp
    for i, (t, a, h) in enumerate(
        zip(incidents.time.tolist(), incidents.area.tolist(), incidents.hour.tolist(), strict=True)
    ):
        order, minutes, complete = orders.get(h, a)
        first = -1
        j = 0
        while True:
            if j == len(order):
                if complete:
                    break
                order, minutes, complete = orders.full(h, a)  # walked past the nearest: list them all
                if j == len(order):
                    break
            u = order[j]
            j += 1
            if free_at[u] > t:
                continue
            last = seen_at[u]
            qu = q[u]
            if last is None or tau[u] == 0.0:
                p = qu
            else:
                p = qu + (was_busy[u] - qu) * exp(-(t - last) / tau[u])
            if k >= len(draws):
                draws = rng.random(max(4 * n, 64)).tolist()
                k = 0
            busy = draws[k] < p
            k += 1
            seen_at[u] = t
            was_busy[u] = 1.0 if busy else 0.0
            if busy:
                continue
            free_at[u] = t + service_hours
            if first < 0:
                first = u
                first_out[i] = minutes[j - 1]
                if crew[u] >= 2:
                    backup_out[i] = minutes[j - 1]
                    break
            else:
                backup_out[i] = minutes[j - 1]
                break
    return Outcome(first=first_out, backup=backup_out)
