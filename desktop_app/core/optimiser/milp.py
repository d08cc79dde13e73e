"""Exact maximal covering: where would K extra armed posts do the most good?

The problem (docs/measures.md#where-to-arm-officers-the-optimiser, ``optimise``): choose K sites of one site type,
not already used by the baseline for the asset type, each to get one 24-hour post
(crew 1, the asset type's default mobilisation and busy fraction), so that the
baseline plus those posts maximises population or threat coverage.

Formulation (maximal covering location problem, solved exactly by HiGHS through
``scipy.optimize.milp``; never greedy):

    maximise    sum_j g_j y_j
    subject to  y_j <= sum_{s covers j} x_s     for every area group j
                sum_s x_s = K                   (all candidates when fewer than K)
                x_s in {0, 1},  0 <= y_j <= 1

Only area-hours the baseline leaves uncovered count as gain. Because the new posts
are on duty all day, an area's gain does not depend on the hour: it is its weight
times the number of hours the baseline misses it, so there is one y per area, not
per area-hour. Areas reached by exactly the same candidate sites are merged into
one group j with their gains summed, which shrinks the problem a lot.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from desktop_app.core.added_option import added_option_deployments, optimiser_option
from desktop_app.core.coverage.engine import (
    HourClasses,
    _day_mean,
    coverage_shares,
    hour_classes,
    prepare_deployments,
)
from desktop_app.core.coverage.measures import RESPONSE_DECIMALS, threat_index
from desktop_app.core.model import ForceInputs
from desktop_app.core.optimiser.choices import (
    DEFAULT_ASSET_TYPE,
    DEFAULT_MEASURE,
    DEFAULT_SITE_TYPE,
    MEASURES,
)
from desktop_app.core.progress import CancelledFn, ProgressFn, check_cancelled, no_progress

HOURS = 24


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

    def to_json(self, include_curve: bool = False) -> dict[str, object]:
        """The ``optimise --json`` object of docs/command-line.md#json-results (``curve`` only when asked)."""
        out: dict[str, object] = {
            "measure": self.measure,
            "posts": self.posts,
            "sites": list(self.sites),
            "baseline_value": _finite_or_none(self.baseline_value),
            "value": _finite_or_none(self.value),
        }
        if include_curve and self.curve is not None:
            out["curve"] = [
                {**asdict(p), "value": _finite_or_none(p.value)} for p in self.curve
            ]
        return out


def _finite_or_none(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


@dataclass
class _Problem:
    """The MCLP built once and solved for one or more K."""

    inputs: ForceInputs
    measure: str
    asset_type: str
    baseline_deps: pd.DataFrame
    candidates: list[int]  # site indices
    cover: np.ndarray  # groups x candidates bool
    gains: np.ndarray  # per group, in measure units
    weights: np.ndarray  # per area, for re-evaluating the measure
    baseline_value: float
    baseline_classes: HourClasses
    target: float  # minutes: read from the inputs once, when the problem is built


def _weights(inputs: ForceInputs, measure: str) -> np.ndarray:
    if measure == "population_coverage":
        return inputs.areas["population"].to_numpy(dtype=np.float64)
    return threat_index(inputs.threat, inputs.indicators)


def measure_value(inputs: ForceInputs, deployments: pd.DataFrame, measure: str) -> float:
    """Population or threat coverage of a set of deployments (docs/measures.md#measures-per-option)."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}")
    weights = _weights(inputs, measure)
    if measure == "threat_coverage" and weights.sum() <= 0:
        return 1.0  # no threat anywhere: as the coverage engine defines it
    target = float(inputs.parameters.target_minutes)
    classes = hour_classes(inputs, deployments, target=target)
    return _day_mean(coverage_shares(classes, weights, target), classes)


def _build(inputs: ForceInputs, measure: str, asset_type: str, site_type: str) -> _Problem:
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}")
    params = inputs.parameters
    target = float(params.target_minutes)
    deps = inputs.deployments
    baseline = prepare_deployments(inputs, deps[deps["option_id"].astype(str) == inputs.baseline_id])
    classes = hour_classes(inputs, baseline, target=target, prepared=True)
    weights = _weights(inputs, measure)
    total = float(weights.sum())
    if total > 0:
        baseline_value = _day_mean(coverage_shares(classes, weights, target), classes)
    else:
        baseline_value = 1.0 if measure == "threat_coverage" else float("nan")

    used = set(baseline.loc[baseline["asset_type"] == asset_type, "site_index"].astype(int))
    site_types = inputs.sites["site_type"].astype(str).to_numpy()
    candidates = [i for i in range(len(site_types)) if site_types[i] == site_type and i not in used]

    # Hours per area the baseline misses, times the area's share of the weight.
    uncovered_hours = (classes.response > target).astype(np.float64) @ classes.hours
    gain = (weights / total) * uncovered_hours / HOURS if total > 0 else np.zeros_like(weights)

    m = params.mobilisation_minutes(asset_type) + params.authorisation_minutes
    thr = np.float32(target - m + 0.5 * 10.0 ** (-RESPONSE_DECIMALS))
    if candidates:
        reach = inputs.travel_minutes[np.asarray(candidates)] <= thr  # candidates x areas
    else:
        reach = np.zeros((0, len(weights)), dtype=bool)
    useful = (gain > 0) & reach.any(axis=0)
    cols = reach[:, useful].T  # areas' x candidates
    if cols.shape[0]:
        packed = np.packbits(cols, axis=1)
        _, first, inverse = np.unique(packed, axis=0, return_index=True, return_inverse=True)
        group_gain: np.ndarray = np.bincount(inverse.ravel(), weights=gain[useful], minlength=len(first))
        cover = cols[first]
    else:
        group_gain = np.zeros(0)
        cover = np.zeros((0, len(candidates)), dtype=bool)
    return _Problem(
        inputs, measure, asset_type, baseline, candidates, cover, group_gain, weights, baseline_value, classes, target
    )


def _solve(problem: _Problem, posts: int) -> list[int]:
    """Exact MILP for one K; returns the chosen site indices (sorted by site order)."""
    n_c = len(problem.candidates)
    if n_c == 0:
        return []
    if posts >= n_c:
        return list(problem.candidates)
    n_g = len(problem.gains)
    if n_g == 0:
        return list(problem.candidates[:posts])  # nothing to gain: any K sites do equally well
    if posts == 1:
        # One site: the exact answer is the column with the largest total gain (first on ties).
        # HiGHS can take seconds proving this on a national case; enumeration is instant.
        return [problem.candidates[int(np.argmax(problem.gains @ problem.cover))]]
    c = np.concatenate([np.zeros(n_c), -problem.gains])
    rows, cols_idx = np.nonzero(problem.cover)
    # y_j - sum_{s covers j} x_s <= 0
    data = np.concatenate([-np.ones(rows.size), np.ones(n_g)])
    r = np.concatenate([rows, np.arange(n_g)])
    k = np.concatenate([cols_idx, n_c + np.arange(n_g)])
    a_cover = csr_matrix((data, (r, k)), shape=(n_g, n_c + n_g))
    a_count = csr_matrix(np.concatenate([np.ones(n_c), np.zeros(n_g)])[None, :])
    res = milp(
        c,
        integrality=np.concatenate([np.ones(n_c), np.zeros(n_g)]),
        bounds=Bounds(np.zeros(n_c + n_g), np.ones(n_c + n_g)),
        constraints=[LinearConstraint(a_cover, -np.inf, 0.0), LinearConstraint(a_count, posts, posts)],
        options={"mip_rel_gap": 0.0, "presolve": True},
    )
    if res.x is None:  # pragma: no cover - the problem is always feasible
        raise RuntimeError(f"the optimiser found no solution: {res.message}")
    chosen = np.flatnonzero(res.x[:n_c] > 0.5)
    return sorted(problem.candidates[i] for i in chosen)


def post_deployments(inputs: ForceInputs, site_indices: list[int], asset_type: str, option_id: str) -> pd.DataFrame:
    """One 24-hour post, crew 1, default mobilisation and busy fraction, at each site.

    Built as the added option the optimiser proposes (:func:`optimiser_option`), so the
    posts evaluated here are exactly those the workbook copy and the optimiser view add.
    """
    sites = inputs.sites["site_id"].astype(str).to_numpy()
    option = optimiser_option([sites[i] for i in site_indices], asset_type, option_id, include_baseline=False)
    return added_option_deployments(inputs, option)


def _evaluate(problem: _Problem, chosen: list[int]) -> float:
    """The measure of the baseline plus the chosen posts, by the coverage engine's rules.

    The new posts are on duty every hour, so the engine's result for baseline + posts is
    the baseline's per-hour-class response with each area's quickest new post folded in
    (min); this reuses the baseline's hour classes instead of recomputing them.
    (``measure_value`` on the full deployment table gives the same figure; the tests
    check that.)
    """
    if not chosen:
        return problem.baseline_value
    inputs = problem.inputs
    target = problem.target
    if problem.measure == "threat_coverage" and problem.weights.sum() <= 0:
        return 1.0
    posts = prepare_deployments(inputs, post_deployments(inputs, chosen, problem.asset_type, "new"))
    extra = hour_classes(inputs, posts, target=target, prepared=True).response[:, 0]
    base = problem.baseline_classes
    merged = HourClasses(
        response=np.minimum(base.response, extra[:, None]),
        expected=base.expected,
        hour_class=base.hour_class,
        hours=base.hours,
    )
    return _day_mean(coverage_shares(merged, problem.weights, target), merged)


def _note(problem: _Problem, posts: int, site_type: str, asset_type: str) -> str:
    n_c = len(problem.candidates)
    if n_c == 0:
        return (
            f"there are no {site_type} sites the baseline does not already use for {asset_type}: "
            "nothing to choose"
        )
    if n_c < posts:
        return (
            f"only {n_c} {site_type} site(s) are not already used by the baseline for {asset_type}, "
            f"fewer than the {posts} posts asked for: all of them are chosen"
        )
    return ""


def _start(
    inputs: ForceInputs, measure: str, asset_type: str, site_type: str,
    progress: ProgressFn | None, cancelled: CancelledFn | None,
) -> tuple[ProgressFn, _Problem]:
    """The start both entry points share: the progress callback to use and the built problem."""
    progress = progress or no_progress
    check_cancelled(cancelled)
    progress(0.0, "Building the covering problem")
    return progress, _build(inputs, measure, asset_type, site_type)


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
    progress, problem = _start(inputs, measure, asset_type, site_type, progress, cancelled)
    check_cancelled(cancelled)
    progress(0.3, f"Solving for {posts} posts")
    chosen = _solve(problem, posts)
    check_cancelled(cancelled)
    value = _evaluate(problem, chosen)
    progress(1.0, "Optimisation done")
    return _result(inputs, problem, posts, chosen, value, None, asset_type, site_type)


def _result(
    inputs: ForceInputs, problem: _Problem, posts: int, chosen: list[int], value: float,
    points: list[CurvePoint] | None, asset_type: str, site_type: str,
) -> OptimiseResult:
    site_ids = inputs.sites["site_id"].astype(str).tolist()
    return OptimiseResult(
        measure=problem.measure,
        posts=posts,
        sites=[site_ids[i] for i in chosen],
        baseline_value=problem.baseline_value,
        value=value,
        curve=points,
        asset_type=asset_type,
        site_type=site_type,
        candidates=len(problem.candidates),
        note=_note(problem, posts, site_type, asset_type),
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
    progress, problem = _start(inputs, measure, asset_type, site_type, progress, cancelled)
    site_ids = inputs.sites["site_id"].astype(str).tolist()
    points: list[CurvePoint] = []
    chosen: list[int] = []
    value = problem.baseline_value
    for k in range(1, max_posts + 1):
        check_cancelled(cancelled)
        progress((k - 1) / max_posts, f"Solving for {k} of {max_posts} posts")
        chosen = _solve(problem, k)
        value = _evaluate(problem, chosen)
        points.append(CurvePoint(k, value, [site_ids[i] for i in chosen]))
    progress(1.0, "Optimisation done")
    return _result(inputs, problem, max_posts, chosen, value, points, asset_type, site_type)
