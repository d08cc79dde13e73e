"""Exact covering: where would K extra armed posts do the most good?

The problem (docs/measures.md#where-to-arm-officers-the-optimiser): choose K sites of one site type, not already used by
the baseline for the asset type, each to get one post on duty every hour of the week
(crew 1 for an armed response officer, 2 for an ARV; the asset type's default busy
fraction q and mobilisation), so that the baseline plus those posts maximises the
measure. Solved exactly by HiGHS through ``scipy.optimize.milp``; never greedy.

Availability-aware measures: the maximum expected covering location problem
(Daskin 1983). With u_j the baseline's expected miss in area group j (weight share x
hour-weighted probability that every unit within target is busy, see
:mod:`desktop_app.core.optimiser.problem`), the k-th added post within target of j
gains u_j (1 - q) q^(k-1):

    maximise    sum_j sum_{l=1..L_j} u_j (1 - q) q^(l-1) y_jl
    subject to  sum_l y_jl <= sum_{s covers j} x_s     for every group j
                sum_s x_s = K,   x_s in {0, 1},   0 <= y_jl <= 1

The gains fall with l, so an optimal y fills levels in order and no ordering binaries
are needed: at an integer x with k_j posts covering j the objective is exactly
u_j (1 - q^k_j). L_j = min(K, posts that can cover j).

All-free measures: the maximal covering problem (Church and ReVelle 1974), the same
model with q = 0 (one level, gain u_j).

Areas reached by exactly the same candidate sites are merged into one group with
their u summed, which shrinks the problem a lot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from desktop_app.core.added_option import POST_CREW
from desktop_app.core.model import ForceInputs
from desktop_app.core.optimiser.choices import (
    DEFAULT_ASSET_TYPE,
    DEFAULT_MEASURE,
    DEFAULT_SITE_TYPE,
    SINGULAR_ASSET,
    SITE_TYPE_WORDS,
)
from desktop_app.core.optimiser.problem import (
    MEASURES,
    Problem,
    build,
    measure_value,
    post_deployments,
)
from desktop_app.core.progress import CancelledFn, ProgressFn, check_cancelled, no_progress

__all__ = [
    "MEASURES", "CurvePoint", "OptimiseResult", "measure_value", "optimise", "optimise_curve",
    "post_deployments",
]


@dataclass
class CurvePoint:
    """Best achievable measure with ``posts`` extra posts, and the sites that achieve it."""

    posts: int
    value: float
    sites: list[str]


@dataclass
class OptimiseResult:
    """The optimiser's answer. ``value`` is the measure of the baseline plus the chosen posts."""

    measure: str
    posts: int
    sites: list[str]
    baseline_value: float
    value: float
    curve: list[CurvePoint] | None = None
    asset_type: str = DEFAULT_ASSET_TYPE
    site_type: str = DEFAULT_SITE_TYPE
    candidates: int = 0
    #: Plain-English caveat, e.g. fewer candidate sites than posts asked for.
    note: str = ""
    #: What each added post is: crew, busy fraction and mobilisation, and where they came from.
    post_terms: str = ""

    def to_json(self, include_curve: bool = False) -> dict[str, object]:
        """The ``optimise --json`` object (docs/command-line.md#json-results; ``curve`` only when asked)."""
        out: dict[str, object] = {
            "measure": self.measure,
            "posts": self.posts,
            "sites": list(self.sites),
            "baseline_value": _finite_or_none(self.baseline_value),
            "value": _finite_or_none(self.value),
        }
        if include_curve and self.curve is not None:
            # In the documented key order: posts, sites, value (docs/command-line.md#json-results).
            out["curve"] = [
                {"posts": p.posts, "sites": list(p.sites), "value": _finite_or_none(p.value)} for p in self.curve
            ]
        return out


def _finite_or_none(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


@dataclass
class _Groups:
    """Areas with gain, merged by the set of candidates that reach them."""

    cover: np.ndarray  # groups x candidates bool
    gain: np.ndarray  # u_j: weight share x expected miss


def _groups(problem: Problem) -> _Groups:
    total = float(problem.weights.sum())
    n_c = len(problem.candidates)
    if total <= 0 or n_c == 0:
        return _Groups(np.zeros((0, n_c), dtype=bool), np.zeros(0))
    u = problem.weights / total * problem.miss
    useful = (u > 0) & problem.reach.any(axis=0)
    cols = problem.reach[:, useful].T  # areas' x candidates
    if not cols.shape[0]:
        return _Groups(np.zeros((0, n_c), dtype=bool), np.zeros(0))
    # Group by the bytes of each packed row: a dict is 30x faster than np.unique(axis=0) here.
    packed = np.packbits(cols, axis=1)
    index: dict[bytes, int] = {}
    inverse = np.fromiter(
        (index.setdefault(row.tobytes(), len(index)) for row in packed), dtype=np.int64, count=len(packed)
    )
    first = np.zeros(len(index), dtype=np.int64)
    first[inverse[::-1]] = np.arange(len(inverse) - 1, -1, -1)
    gain = np.bincount(inverse, weights=u[useful], minlength=len(index))
    return _Groups(cols[first], gain)


def _solve(problem: Problem, groups: _Groups, posts: int) -> list[int]:
    """Exact MILP for one K; returns the chosen site indices (sorted by site order)."""
    n_c = len(problem.candidates)
    if n_c == 0:
        return []
    if posts >= n_c:
        return list(problem.candidates)
    q = problem.q
    # Levels per group: the k-th post within target of j gains u_j (1 - q) q^(k-1).
    reach_count = groups.cover.sum(axis=1)
    levels = np.minimum(reach_count, posts) if q > 0 else np.minimum(reach_count, 1)
    if q >= 1 or groups.gain.size == 0 or not (groups.gain > 0).any():
        return list(problem.candidates[:posts])  # nothing to gain: any K sites do equally well
    if posts == 1:
        # One site: the exact answer is the column with the largest first-level gain (first on ties).
        # HiGHS can take seconds proving this on a national case; enumeration is instant.
        return [problem.candidates[int(np.argmax(groups.gain @ groups.cover))]]
    group_of = np.repeat(np.arange(levels.size), levels)
    level = np.concatenate([np.arange(n) for n in levels]) if levels.size else np.zeros(0, np.int64)
    y_gain = groups.gain[group_of] * (1.0 - q) * np.power(q, level)
    n_y = y_gain.size
    c = np.concatenate([np.zeros(n_c), -y_gain])
    rows, cols_idx = np.nonzero(groups.cover)
    n_g = groups.gain.size
    # sum_l y_jl - sum_{s covers j} x_s <= 0
    data = np.concatenate([-np.ones(rows.size), np.ones(n_y)])
    r = np.concatenate([rows, group_of])
    k = np.concatenate([cols_idx, n_c + np.arange(n_y)])
    a_cover = csr_matrix((data, (r, k)), shape=(n_g, n_c + n_y))
    a_count = csr_matrix(np.concatenate([np.ones(n_c), np.zeros(n_y)])[None, :])
    res = milp(
        c,
        integrality=np.concatenate([np.ones(n_c), np.zeros(n_y)]),
        bounds=Bounds(np.zeros(n_c + n_y), np.ones(n_c + n_y)),
        constraints=[LinearConstraint(a_cover, -np.inf, 0.0), LinearConstraint(a_count, posts, posts)],
        options={"mip_rel_gap": 0.0, "presolve": True},
    )
    if res.x is None:  # pragma: no cover - the problem is always feasible
        raise RuntimeError(f"the optimiser found no solution: {res.message}")
    chosen = np.flatnonzero(res.x[:n_c] > 0.5)
    return sorted(problem.candidates[i] for i in chosen)


def _note(problem: Problem, posts: int, site_type: str, asset_type: str) -> str:
    """When there are fewer candidate sites than posts asked for, a sentence saying so,
    naming the site type in words with its code (the workbook's word for it)."""
    n_c = len(problem.candidates)
    where = f"{SITE_TYPE_WORDS.get(site_type, 'sites')} ({site_type})"
    asset = SINGULAR_ASSET.get(asset_type, asset_type)
    article = "an" if asset[:1] in "aeiouAEIOU" else "a"  # "an ARV", "an armed response officer"
    if n_c == 0:
        return f"There are no {where} the baseline does not already use for {article} {asset}: nothing to choose."
    if n_c < posts:
        return (
            f"Only {n_c} of the {where} {'is' if n_c == 1 else 'are'} not already used by the baseline for "
            f"{article} {asset}, fewer than the {posts} posts asked for: "
            f"{'it is' if n_c == 1 else 'all of them are'} chosen."
        )
    return ""


def post_terms(inputs: ForceInputs, asset_type: str, measure: str = DEFAULT_MEASURE) -> str:
    """What an added post is, in words, naming the workbook parameters its defaults come from.

    With an all-free measure the busy fraction plays no part, and saying "busy 35% of the
    time" beside it read as if it did. A neighbour's ARV takes the ARV defaults (as any
    NEIGHBOUR_ARV row left blank does, docs/workbook-format.md#defaults); where the
    workbook's own neighbour rows say otherwise, the terms say so, since the answer is
    then kinder to the neighbour's crews than the workbook is.
    """
    p = inputs.parameters
    suffix = "aro" if asset_type == "ARMED_RESPONSE_OFFICER" else "arv"
    crew = POST_CREW.get(asset_type, 1)
    asset = SINGULAR_ASSET.get(asset_type, asset_type)
    busy = f"busy {p.busy_fraction(asset_type):.0%} of the time (busy_fraction_{suffix})"
    if measure.endswith("_all_free"):
        busy = "counted free, as this measure counts every unit"
    text = (
        f"each added {asset} post: on duty every hour of the week, crew {crew}, {busy}, "
        f"mobilisation {p.mobilisation_minutes(asset_type):g} min (mobilisation_minutes_{suffix}); "
        "these are the workbook's defaults for the asset type, from its Parameters sheet"
    )
    return text + _own_rows_differ(inputs, asset_type)


def _own_rows_differ(inputs: ForceInputs, asset_type: str) -> str:
    """", though the workbook's own <asset> rows use ..." where they entered other values."""
    deps = inputs.deployments
    if asset_type != "NEIGHBOUR_ARV" or len(deps) == 0:
        return ""
    own = deps[deps["asset_type"] == asset_type]  # defaults already applied to blank cells
    if len(own) == 0:
        return ""
    p = inputs.parameters
    busy = sorted({float(b) for b in own["busy_fraction"]})
    mob = sorted({float(m) for m in own["mobilisation_minutes"]})
    if busy == [p.busy_fraction(asset_type)] and mob == [p.mobilisation_minutes(asset_type)]:
        return ""
    return (f", though the workbook's own NEIGHBOUR_ARV rows use busy {', '.join(f'{b:.0%}' for b in busy)} and "
            f"mobilisation {', '.join(f'{m:g}' for m in mob)} min")


def _start(
    inputs: ForceInputs, measure: str, asset_type: str, site_type: str,
    progress: ProgressFn | None, cancelled: CancelledFn | None,
) -> tuple[ProgressFn, Problem, _Groups]:
    """The start both entry points share: the progress callback, the problem and its groups."""
    progress = progress or no_progress
    check_cancelled(cancelled)
    progress(0.0, "Building the covering problem")
    problem = build(inputs, measure, asset_type, site_type)
    return progress, problem, _groups(problem)


def optimise(
    inputs: ForceInputs,
    posts: int,
    asset_type: str = DEFAULT_ASSET_TYPE,
    site_type: str = DEFAULT_SITE_TYPE,
    measure: str = DEFAULT_MEASURE,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
    *,
    curve: bool = False,
) -> OptimiseResult:
    """The K = ``posts`` sites that maximise ``measure``; with ``curve=True`` also K = 1..posts."""
    if curve:
        return optimise_curve(inputs, posts, asset_type, site_type, measure, progress, cancelled)
    progress, problem, groups = _start(inputs, measure, asset_type, site_type, progress, cancelled)
    check_cancelled(cancelled)
    progress(0.3, f"Solving for {posts} posts")
    chosen = _solve(problem, groups, posts)
    check_cancelled(cancelled)
    value = problem.value(chosen)
    progress(1.0, "Optimisation done")
    return _result(inputs, problem, posts, chosen, value, None, site_type)


def _result(
    inputs: ForceInputs, problem: Problem, posts: int, chosen: list[int], value: float,
    points: list[CurvePoint] | None, site_type: str,
) -> OptimiseResult:
    site_ids = inputs.sites["site_id"].astype(str).tolist()
    return OptimiseResult(
        measure=problem.measure,
        posts=posts,
        sites=[site_ids[i] for i in chosen],
        baseline_value=problem.baseline_value,
        value=value,
        curve=points,
        asset_type=problem.asset_type,
        site_type=site_type,
        candidates=len(problem.candidates),
        note=_note(problem, posts, site_type, problem.asset_type),
        post_terms=post_terms(inputs, problem.asset_type, problem.measure),
    )


def optimise_curve(
    inputs: ForceInputs,
    max_posts: int,
    asset_type: str = DEFAULT_ASSET_TYPE,
    site_type: str = DEFAULT_SITE_TYPE,
    measure: str = DEFAULT_MEASURE,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
) -> OptimiseResult:
    """Solve K = 1..max_posts exactly; the result is the K = max_posts answer with the curve.

    Each K is an independent exact solve of the same (already reduced) problem, so the
    sites at K need not contain those at K - 1: that is the point of an exact curve.
    """
    progress, problem, groups = _start(inputs, measure, asset_type, site_type, progress, cancelled)
    site_ids = inputs.sites["site_id"].astype(str).tolist()
    points: list[CurvePoint] = []
    chosen: list[int] = []
    value = problem.baseline_value
    for k in range(1, max_posts + 1):
        check_cancelled(cancelled)
        progress((k - 1) / max_posts, f"Solving for {k} of {max_posts} posts")
        if not (points and k > len(problem.candidates)):  # past the candidates every K picks them all
            chosen = _solve(problem, groups, k)
            value = problem.value(chosen)
        points.append(CurvePoint(k, value, [site_ids[i] for i in chosen]))
    progress(1.0, "Optimisation done")
    return _result(inputs, problem, max_posts, chosen, value, points, site_type)
