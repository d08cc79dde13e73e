"""One option's cover through the week, allowing for busy units (docs/measures.md).

For each hour class (hours of the week with the same active deployments) and area:

- F(t) = 1 - prod over active d with r_da <= t of q_d ^ n_d: some free unit within t;
- G(t) = the chance that the free units within t carry at least two officers;
- R0 = min over active d of r_da: the response if every unit were free;

and the weighted distribution of the time until the first free unit arrives, over
residents and the week, for the median and the 90th percentile.

How it stays fast: only site-area pairs within a cut-off V (at least the targets)
are ever listed, once per option; every per-area product is a ``bincount`` over
that list, and every class re-uses it. The quantiles need only pairs up to the
quantile itself, so V grows (doubling) only when a quantile lies beyond it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from desktop_app.core.coverage.measures import RESPONSE_DECIMALS
from desktop_app.core.coverage.units import HOURS_OF_WEEK, OptionUnits

#: Cumulative shares are compared with this relative slack, so a share that is exactly
#: one half on paper is not missed by the last bit of a floating-point sum.
_SHARE_SLACK = 1e-12


@dataclass
class WeekCover:
    """Cover of one option per area and hour class (A areas, C classes).

    ``hour_class[h]`` is the class of hour h; ``class_weight[c]`` is the sum of b_h over
    its hours; ``active[:, c]`` marks the deployments on duty in class c.
    """

    hour_class: np.ndarray  # (168,) int64
    class_weight: np.ndarray  # (C,) float64
    active: np.ndarray  # (n, C) bool
    response: np.ndarray  # (A, C) float64 R0, inf when none on duty
    cover: np.ndarray  # (A, C) F(T)
    backup: np.ndarray  # (A, C) G(T_b)
    # The listed pairs, in (area, response) order, for the quantiles.
    pair_area: np.ndarray
    pair_dep: np.ndarray
    pair_minutes: np.ndarray
    cutoff: float

    def at_hours(self, values: np.ndarray) -> np.ndarray:
        """An (A, C) array expanded to (A, 168)."""
        return values[:, self.hour_class]


def hour_classes_of(units: OptionUnits, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(hour_class (168,), class_weight (C,), active (n, C)): hours grouped by active set."""
    if units.n == 0:
        return np.zeros(HOURS_OF_WEEK, np.int64), np.array([float(weights.sum())]), np.zeros((0, 1), bool)
    packed = np.packbits(units.active, axis=0).T  # (168, ceil(n/8))
    _, first, inverse = np.unique(packed, axis=0, return_index=True, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    # Number classes in order of their first hour, so the result does not depend on bit patterns.
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    hour_class = rank[inverse].astype(np.int64)
    class_weight = np.bincount(hour_class, weights=weights, minlength=order.size)
    active = units.active[:, first[order]]
    return hour_class, class_weight, active


def _log_q(units: OptionUnits) -> tuple[np.ndarray, np.ndarray]:
    """log(q^n) per deployment (0 where q = 0) and whether q^n is 0."""
    qn = np.power(units.busy, units.posts.astype(np.float64))
    zero = qn <= 0
    with np.errstate(divide="ignore"):
        logq = np.where(zero, 0.0, np.log(np.where(zero, 1.0, qn)))
    return logq, zero


def _none_free(area: np.ndarray, dep: np.ndarray, logq: np.ndarray, zero: np.ndarray, n_areas: int) -> np.ndarray:
    """Per area, prod of q^n over the listed pairs (exactly 0 when some unit is never busy)."""
    zeros = np.bincount(area, weights=zero[dep].astype(np.float64), minlength=n_areas)
    logs = np.bincount(area, weights=logq[dep], minlength=n_areas)
    return np.where(zeros > 0, 0.0, np.exp(logs))


def _at_most_one_officer(area: np.ndarray, dep: np.ndarray, units: OptionUnits, n_areas: int) -> np.ndarray:
    """Per area, P(the free single-crewed posts among the pairs carry at most one officer).

    p0 = prod q^n; p1 = sum over pairs b of n_b (1 - q_b) q_b^(n_b - 1) x prod over the others.
    A deployment whose q^n is 0 is handled apart so nothing divides by zero.
    """
    q = units.busy[dep]
    n = units.posts[dep].astype(np.float64)
    qn = np.power(q, n)
    one = n * (1.0 - q) * np.power(q, n - 1.0)  # exactly one of the n posts free
    zero = qn <= 0
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.bincount(area, weights=np.where(zero, 0.0, np.log(np.where(zero, 1.0, qn))), minlength=n_areas)
        ratio = np.bincount(area, weights=np.where(zero, 0.0, one / np.where(zero, 1.0, qn)), minlength=n_areas)
    zeros = np.bincount(area, weights=zero.astype(np.float64), minlength=n_areas)
    one_of_zero = np.bincount(area, weights=np.where(zero, one, 0.0), minlength=n_areas)
    rest = np.exp(logs)
    p0 = np.where(zeros > 0, 0.0, rest)
    p1 = np.where(zeros == 0, rest * ratio, np.where(zeros == 1, one_of_zero * rest, 0.0))
    return np.minimum(p0 + p1, 1.0)


def _pairs(units: OptionUnits, cutoff: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (area, deployment, minutes) with minutes <= cutoff, in (area, minutes, deployment) order.

    One ``flatnonzero`` over the (n, A) matrix (several times quicker than a 2-D
    ``nonzero``) and one sort of unique integer keys (area, then minutes in 1/10,000
    steps, then deployment), decoded in place: no stable argsort and no gathers. The
    order is the one a stable sort by (area, minutes) of the deployment-major list
    gives, so every per-area sum the measures take adds its terms in the same order.
    ``minutes`` is ``steps / 10**RESPONSE_DECIMALS``, which is how ``np.round`` rounds.
    """
    half = 0.5 * 10.0 ** (-RESPONSE_DECIMALS)
    n, n_areas = units.response.shape
    flat_response = np.ascontiguousarray(units.response).reshape(-1)
    flat = np.flatnonzero(flat_response <= np.float32(cutoff + half))
    scale = 10.0**RESPONSE_DECIMALS
    steps = np.rint(flat_response[flat].astype(np.float64) * scale)
    keep = steps / scale <= cutoff
    flat, steps_i = flat[keep], steps[keep].astype(np.int64)
    if flat.size == 0:
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(0)
    dep, area = np.divmod(flat, n_areas)
    span = int(steps_i.max()) + 1
    key = (area * span + steps_i) * n + dep  # < 2**63: 35,672 areas x 10^7 steps x 10^4 units
    key.sort()
    rest, dep = np.divmod(key, n)
    area, steps_i = np.divmod(rest, span)
    return area, dep, steps_i / scale


def relist(wc: WeekCover, units: OptionUnits, cutoff: float) -> WeekCover:
    """The same cover with the pair list extended to ``cutoff`` (for quantiles beyond the targets)."""
    area, dep, minutes = _pairs(units, cutoff)
    return WeekCover(wc.hour_class, wc.class_weight, wc.active, wc.response, wc.cover, wc.backup,
                     area, dep, minutes, cutoff)


T = TypeVar("T")


def listed_until(wc: WeekCover, units: OptionUnits, answer: Callable[[WeekCover], tuple[T, bool]]
                 ) -> tuple[WeekCover, T]:
    """``answer(wc)`` from a pair list long enough for it: while it says it is short (a
    quantile not yet reached), the list is doubled, up to every finite response.

    ``answer`` returns (result, short). The last answer is returned with its list, short
    or not: once every pair is listed, a quantile still not reached is infinite. One home
    for the rule, used by the measures' quantiles over residents and the simulation's
    analytic quantiles over incidents.
    """
    top: float | None = None
    while True:
        result, short = answer(wc)
        if not short:
            return wc, result
        if top is None:
            # A cut-off just above the slowest response lists every pair (rounding included);
            # travel times are always finite (given or estimated).
            top = float(units.response.max()) + 1.0 if units.response.size else 0.0
        if wc.cutoff >= top:
            return wc, result
        wc = relist(wc, units, min(2.0 * wc.cutoff, top) if wc.cutoff > 0 else top)


def _all_free_response(units: OptionUnits, active: np.ndarray) -> np.ndarray:
    """R0 (A, C): per class the quickest on-duty unit; one pass over the units, by activity pattern.

    Deployments with the same hours of the week share a pattern (a handful per option),
    so each unit's row is read once, then each class takes the minimum of its patterns.
    """
    n_areas, n_classes = units.response.shape[1], active.shape[1]
    response = np.full((n_areas, n_classes), np.inf)
    if units.n == 0:
        return response
    _, pattern = np.unique(active, axis=0, return_inverse=True)
    pattern = np.asarray(pattern).reshape(-1)
    for p in range(int(pattern.max()) + 1):
        rows = np.flatnonzero(pattern == p)
        best = np.round(units.response[rows].min(axis=0).astype(np.float64), RESPONSE_DECIMALS)
        for c in np.flatnonzero(active[rows[0]]):
            np.minimum(response[:, c], best, out=response[:, c])
    return response


def week_cover(units: OptionUnits, weights: np.ndarray, target: float, backup_target: float,
               cutoff: float | None = None, area_weights: np.ndarray | None = None,
               with_cover: bool = True, at_least: float | None = None) -> WeekCover:
    """F(T), G(T_b) and R0 per area and hour class, and the pair list up to ``cutoff``.

    With ``area_weights`` (and no ``cutoff``) the list reaches 1.5 x the all-free 90th
    percentile: the first free unit is never quicker than the nearest, so the quantiles
    of the busy-unit mixture usually lie within it and the list is made once.
    ``with_cover=False`` leaves F and G at zero: a caller that wants only the pair list
    and R0 (a response-time curve) skips the per-class products, most of the work.
    ``at_least`` lengthens the list to at least that many minutes in the same pass (the
    busy-unit curve's 120), where listing and then relisting would list twice.
    """
    n_areas = units.response.shape[1]
    hour_class, class_weight, active = hour_classes_of(units, weights)
    n_classes = class_weight.size
    response = _all_free_response(units, active)
    v = max(target, backup_target) if cutoff is None else max(cutoff, target, backup_target)
    if cutoff is None and area_weights is not None:
        # Only a length for the list (quantiles beyond it relist), so the per-minute
        # quantile of the finite responses serves; an unreached one (None) leaves v.
        w = np.multiply.outer(area_weights, class_weight)
        finite = np.isfinite(response)
        free_p90 = mixture_quantile(response[finite], w[finite], float(w.sum()), 0.9)
        if free_p90 is not None and np.isfinite(free_p90):
            v = max(v, 1.5 * free_p90)
    if at_least is not None:
        v = max(v, at_least)
    area, dep, minutes = _pairs(units, v)
    cover = np.zeros((n_areas, n_classes))
    backup = np.zeros((n_areas, n_classes))
    if dep.size and with_cover:
        # F and G need only the pairs within the targets; a mask keeps each area's order, so
        # every per-area sum below adds the same terms in the same order as over the whole list.
        near = minutes <= max(target, backup_target)
        _class_cover(units, active, area[near], dep[near], minutes[near], target, backup_target,
                     cover, backup)
    return WeekCover(hour_class, class_weight, active, response, cover, backup, area, dep, minutes, v)


def _class_cover(units: OptionUnits, active: np.ndarray, area: np.ndarray, dep: np.ndarray,
                 minutes: np.ndarray, target: float, backup_target: float,
                 cover: np.ndarray, backup: np.ndarray) -> None:
    """Fill ``cover[:, c]`` = F(T) and ``backup[:, c]`` = G(T_b) for every hour class c from the listed pairs."""
    n_areas = cover.shape[0]
    logq, zero = _log_q(units)
    multi = units.crew >= 2
    within = minutes <= target
    within_b = minutes <= backup_target
    crew2 = within_b & multi[dep]
    crew1 = within_b & ~multi[dep]
    on_pair = np.ascontiguousarray(active[dep].T)  # (C, pairs)
    for c in range(active.shape[1]):
        on = active[:, c]
        if not on.any():
            continue
        sel = on_pair[c]
        f = sel & within
        cover[:, c] = 1.0 - _none_free(area[f], dep[f], logq, zero, n_areas)
        s2, s1 = sel & crew2, sel & crew1
        none_a = _none_free(area[s2], dep[s2], logq, zero, n_areas)
        backup[:, c] = 1.0 - none_a * _at_most_one_officer(area[s1], dep[s1], units, n_areas)


def first_free_masses(wc: WeekCover, units: OptionUnits, area_weights: np.ndarray) -> np.ndarray:
    """Per listed pair: the weight of calls first reached by that pair's unit, summed over classes.

    Within an area (pairs in response order), a pair's mass is b_c x w_a x (prod of q^n of
    the nearer active pairs) x (1 - q^n of its own). The factor w_a x (1 - q^n) does not
    depend on the class, so it is applied once, after the sum over classes.
    """
    logq, zero = _log_q(units)
    area, dep = wc.pair_area, wc.pair_dep
    mass = np.zeros(area.size)
    if area.size == 0:
        return mass
    starts = np.r_[True, area[1:] != area[:-1]]
    seg = np.maximum.accumulate(np.where(starts, np.arange(area.size), 0))
    dep_logq, dep_zero = logq[dep], zero[dep]
    any_zero = bool(dep_zero.any())
    on_pair = np.ascontiguousarray(wc.active[dep].T)  # (C, pairs)
    for c in range(wc.class_weight.size):
        if wc.class_weight[c] <= 0:
            continue
        on = on_pair[c]
        lq = dep_logq * on  # 0 (or -0, which adds nothing) where the unit is off duty
        # Sums over the nearer pairs of the same area: cumulative sums, less the area's start.
        before = np.cumsum(lq)
        before -= lq
        before -= before[seg]
        np.exp(before, out=before)
        if any_zero:  # a never-busy unit nearer than the pair: it always answers first
            zq = (on & dep_zero).astype(np.int64)
            cum_z = np.cumsum(zq) - zq
            before[(cum_z - cum_z[seg]) > 0] = 0.0
        before *= on * wc.class_weight[c]
        mass += before
    mass *= area_weights[area]
    mass *= 1.0 - np.where(dep_zero, 0.0, np.exp(dep_logq))
    return mass


def mixture_quantile(minutes: np.ndarray, mass: np.ndarray, total: float, q: float) -> float | None:
    """Smallest listed minutes with cumulative mass >= q x total; None when the list runs out first.

    ``minutes`` need not be sorted: the masses are summed per whole minute (one
    ``bincount``), the minute in which the cumulative mass reaches the need is found,
    and only that minute's pairs are sorted. None tells the caller to list more pairs
    (or, once every pair is listed, that the quantile is infinite).
    """
    if total <= 0:
        return float("nan")
    if minutes.size == 0:
        return None
    need = q * total * (1.0 - _SHARE_SLACK)
    floor = np.floor(minutes)
    minute = (floor - floor.min()).astype(np.int64)
    cum_by_minute = np.cumsum(np.bincount(minute, weights=mass))
    b = int(np.searchsorted(cum_by_minute, need, side="left"))
    if b >= cum_by_minute.size:
        return None
    inside = np.flatnonzero(minute == b)
    order = np.argsort(minutes[inside], kind="stable")
    running = np.cumsum(mass[inside][order])
    running += cum_by_minute[b - 1] if b else 0.0
    # The minute's total reached the need; rounding in the partial sums must not step past it.
    idx = min(int(np.searchsorted(running, need, side="left")), order.size - 1)
    return float(minutes[inside][order][idx])
