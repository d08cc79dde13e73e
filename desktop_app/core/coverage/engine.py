"""Coverage engine: hour-by-hour response times and every measure of docs/measures.md.

How it stays fast (no Python loop over areas):

- Deployments of an option are grouped by (24-hour activity pattern, mobilisation,
  q^n). For each group the travel-time rows of its sites are reduced in float32
  blocks to the quickest time per area and the number of its deployments within
  target per area; nothing of size deployments x areas x 24 is ever built.
- Hours with the same set of active patterns ("hour classes": typically 1-4 per
  option, never more than 24) share one response vector. Measures are computed per
  class and weighted by the number of hours in it; only the per-area x 24 arrays
  the views need are expanded at the end.

Response times are rounded to 1e-4 minute (see ``measures.RESPONSE_DECIMALS``) so
float32 storage noise never flips a hand-checkable "exactly on target" case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

import numpy as np
import pandas as pd

from desktop_app.core.added_option import AddedOption, added_option_deployments
from desktop_app.core.coverage.costs import HOURS, active_hours, officers_required, whole_life_cost
from desktop_app.core.coverage.measures import (
    RESPONSE_DECIMALS,
    lower_median_per_row,
    threat_index,
    weighted_lower_quantile_sorted,
)
from desktop_app.core.model import Finding, ForceInputs
from desktop_app.core.progress import CancelledFn, ProgressFn, check_cancelled, no_progress
from desktop_app.core.results import CoverageResult, OptionCoverage
from desktop_app.core.workbook import schema

#: Rows of the travel matrix reduced at once (128 x 35,672 float32 = 18 MB).
_BLOCK_ROWS = 128

DEPLOYMENT_COLUMNS = (
    "option_id", "site_id", "asset_type", "posts", "crew_size", "start_hour", "end_hour",
    "busy_fraction", "mobilisation_minutes",
)


@dataclass
class HourClasses:
    """One option's cover, compressed over hours with identical active deployments.

    ``response[:, c]`` is R_a for every hour h with ``hour_class[h] == c``; ``expected``
    likewise for e_a. ``hours[c]`` is the number of hours in class c.
    """

    response: np.ndarray  # areas x C float64
    expected: np.ndarray  # areas x C float64
    hour_class: np.ndarray  # 24 int
    hours: np.ndarray  # C int64

    def expand(self, option_id: str) -> OptionCoverage:
        """The areas x 24 arrays of :class:`OptionCoverage`."""
        return OptionCoverage(
            option_id=option_id,
            response=self.response[:, self.hour_class],
            expected=self.expected[:, self.hour_class],
        )


def prepare_deployments(inputs: ForceInputs, deployments: pd.DataFrame) -> pd.DataFrame:
    """Fill ``site_index`` and the asset type's default busy fraction and mobilisation.

    Ad-hoc deployments (optimiser, "add as option") arrive without ``site_index`` and
    may leave the optional columns blank, exactly as a workbook row may.
    """
    deps = deployments.copy()
    params = inputs.parameters
    if "site_index" not in deps.columns or deps["site_index"].isna().any():
        lookup = {sid: i for i, sid in enumerate(inputs.sites["site_id"].astype(str))}
        missing = sorted({str(s) for s in deps["site_id"] if str(s) not in lookup})
        if missing:
            raise KeyError(f"unknown site_id(s) in deployments: {', '.join(missing)}")
        deps["site_index"] = [lookup[str(s)] for s in deps["site_id"]]
    for col, default in (("busy_fraction", params.busy_fraction), ("mobilisation_minutes", params.mobilisation_minutes)):
        if col not in deps.columns:
            deps[col] = np.nan
        values = deps[col].astype(np.float64).to_numpy(copy=True)
        blank = np.isnan(values)
        if blank.any():
            values[blank] = [default(a) for a in deps.loc[blank, "asset_type"]]
        deps[col] = values
    return deps


@lru_cache(maxsize=1024)
def _pattern_key(start: int, end: int) -> int:
    """The 24 on-duty hours of a deployment as a bit mask (cached: a few patterns, thousands of rows)."""
    bits = active_hours(start, end)
    return int(np.dot(bits.astype(np.int64), 1 << np.arange(HOURS, dtype=np.int64)))


def _reduce_group(travel: np.ndarray, sites: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Quickest travel time per area over ``sites`` and how many of them are within ``threshold``.

    Works in float32 blocks of ``_BLOCK_ROWS`` travel rows, so memory stays bounded
    however many deployments share a group.
    """
    n_areas = travel.shape[1]
    best = np.full(n_areas, np.inf, dtype=np.float32)
    count = np.zeros(n_areas, dtype=np.int32)
    thr = np.float32(threshold)
    for i in range(0, len(sites), _BLOCK_ROWS):
        block = travel[sites[i : i + _BLOCK_ROWS]]
        np.minimum(best, block.min(axis=0), out=best)
        count += (block <= thr).sum(axis=0, dtype=np.int32)
    return best, count


#: Reductions already made, keyed by (sorted sites, threshold): see :func:`hour_classes`.
ReduceCache = dict[tuple[tuple[int, ...], float], tuple[np.ndarray, np.ndarray]]


def hour_classes(
    inputs: ForceInputs, deployments: pd.DataFrame, *, target: float, prepared: bool = False,
    cache: ReduceCache | None = None,
) -> HourClasses:
    """R_ah and e_ah of one set of deployments, compressed into hour classes.

    R_ah = min over active d of m_d + tt(s_d, a) (inf if none);
    e_ah = 1 - prod over active d with r_da <= T of q_d ^ n_d.

    ``cache`` lets the options of one appraisal share reductions: most options repeat the
    baseline's deployments (nationally 200 of every option's 260-600 rows), and the
    quickest time and in-target count over a set of sites do not depend on their order.
    ``target`` (minutes) is an argument, not re-read from the inputs, so a caller can
    try another target on the same inputs.
    """
    deps = deployments if prepared else prepare_deployments(inputs, deployments)
    travel = inputs.travel_minutes
    n_areas = travel.shape[1]
    target = float(target)
    half_step = 0.5 * 10.0 ** (-RESPONSE_DECIMALS)

    # Group deployments by what makes them differ: hours, mobilisation, q^n.
    groups: dict[tuple[int, float, float], list[int]] = defaultdict(list)
    # Python lists, not numpy scalars: hashing and arithmetic on them is several times faster.
    for site, start, end, m, q, n in zip(
        deps["site_index"].to_numpy().tolist(), deps["start_hour"].to_numpy().tolist(),
        deps["end_hour"].to_numpy().tolist(),
        deps["mobilisation_minutes"].to_numpy(dtype=np.float64).tolist(),
        deps["busy_fraction"].to_numpy(dtype=np.float64).tolist(),
        deps["posts"].to_numpy(dtype=np.float64).tolist(), strict=True,
    ):
        key = _pattern_key(start, end)
        if key:
            groups[(key, float(m), float(q) ** float(n))].append(int(site))

    # Per activity pattern: quickest response and product of q^n over in-target deployments.
    pattern_best: dict[int, np.ndarray] = {}
    pattern_prod: dict[int, np.ndarray] = {}
    for (key, m, qn), sites in groups.items():
        threshold = target - m + half_step
        ckey = (tuple(sorted(sites)), threshold)
        hit = cache.get(ckey) if cache is not None else None
        if hit is None:
            hit = _reduce_group(travel, np.asarray(sites, dtype=np.int64), threshold)
            if cache is not None:
                cache[ckey] = hit
        best32, count = hit
        r = np.round(best32.astype(np.float64) + m, RESPONSE_DECIMALS)
        prod = np.power(qn, count, dtype=np.float64)
        if key in pattern_best:
            np.minimum(pattern_best[key], r, out=pattern_best[key])
            pattern_prod[key] *= prod
        else:
            pattern_best[key], pattern_prod[key] = r, prod

    # Hour classes: hours with the same set of active patterns share one vector.
    keys = sorted(pattern_best)
    signature = [tuple(k for k in keys if (k >> h) & 1) for h in range(HOURS)]
    uniq = list(dict.fromkeys(signature))
    hour_class = np.array([uniq.index(s) for s in signature], dtype=np.int64)
    hours = np.bincount(hour_class, minlength=len(uniq)).astype(np.int64)
    response = np.full((n_areas, len(uniq)), np.inf, dtype=np.float64)
    prod = np.ones((n_areas, len(uniq)), dtype=np.float64)
    for c, active in enumerate(uniq):
        for k in active:
            np.minimum(response[:, c], pattern_best[k], out=response[:, c])
            prod[:, c] *= pattern_prod[k]
    expected = 1.0 - prod
    # An area-hour nobody reaches in time has no expected cover, whatever the rounding.
    expected[response > target] = 0.0
    return HourClasses(response=response, expected=expected, hour_class=hour_class, hours=hours)


def compute_option_coverage(
    inputs: ForceInputs, deployments: pd.DataFrame, option_id: str = "(ad hoc)", *, target: float | None = None,
) -> OptionCoverage:
    """Hour-by-hour R_ah and e_ah (areas x 24) of any set of deployments, in or out of the workbook.

    ``target`` defaults to the workbook's ``target_minutes``.
    """
    if target is None:
        target = float(inputs.parameters.target_minutes)
    return hour_classes(inputs, deployments, target=target).expand(option_id)


@dataclass
class _Context:
    """Things every option's measures need, computed once per appraisal."""

    population: np.ndarray  # int64
    threat: np.ndarray  # float64
    is_rural: np.ndarray  # bool
    target: float
    findings: list[Finding] = field(default_factory=list)
    warned: set[str] = field(default_factory=set)

    def warn(self, key: str, sheet: str, column: str | None, message: str) -> None:
        if key not in self.warned:
            self.warned.add(key)
            self.findings.append(Finding("warning", sheet, None, column, message))


def _context(inputs: ForceInputs, target: float) -> _Context:
    areas = inputs.areas
    pop = areas["population"].to_numpy()
    pop = pop.astype(np.int64) if np.issubdtype(pop.dtype, np.integer) else np.nan_to_num(pop.astype(np.float64))
    if "is_rural" in areas.columns:
        rural = areas["is_rural"].to_numpy(dtype=bool)
    else:
        rural = np.array([bool(schema.is_rural_code(c)) for c in areas["rurality"]], dtype=bool)
    return _Context(
        population=pop,
        threat=threat_index(inputs.threat, inputs.indicators),
        is_rural=rural,
        target=float(target),
    )


def coverage_shares(classes: HourClasses, weights: np.ndarray, target: float) -> np.ndarray:
    """Weighted share of the weight covered, per hour class (NaN when the weights sum to 0)."""
    total = float(np.sum(weights, dtype=np.float64))
    covered = classes.response <= target
    if total <= 0:
        return np.full(classes.response.shape[1], np.nan)
    return (weights.astype(np.float64) @ covered) / total


def _day_mean(per_class: np.ndarray, classes: HourClasses) -> float:
    return float(np.dot(per_class, classes.hours) / HOURS)


def _quantiles(classes: HourClasses, ctx: _Context, option_id: str) -> dict[str, float]:
    """Population-weighted lower quantiles of R over area-hours, and the rural gap.

    One stable sort of the (areas x classes) responses serves all four quantiles:
    a mask keeps a sorted array sorted, so the rural and urban medians reuse it.
    """
    values = classes.response.ravel()  # area-major: [a0c0, a0c1, ..., a1c0, ...]
    weights = np.multiply.outer(ctx.population, classes.hours).ravel()
    rural = np.repeat(ctx.is_rural, classes.response.shape[1])
    # With whole-number weights (populations) the quantiles do not depend on how ties are
    # ordered: the cumulative weight at the end of each run of equal values is exact, so
    # the first run reaching the quantile, and its value, are the same whatever the order
    # inside it. So the faster unstable sort serves (5x: 0.07 s over the ten national
    # options); float weights keep the stable sort, whose sums are then reproducible.
    kind: Literal["quicksort", "stable"] = "quicksort" if np.issubdtype(weights.dtype, np.integer) else "stable"
    order = np.argsort(values, kind=kind)
    v, w, r = values[order], weights[order], rural[order]
    out = {
        "median_response_minutes": weighted_lower_quantile_sorted(v, w, 0.5),
        "p90_response_minutes": weighted_lower_quantile_sorted(v, w, 0.9),
    }
    if not ctx.is_rural.any() or ctx.is_rural.all():
        which = "rural" if not ctx.is_rural.any() else "urban"
        ctx.warn(
            "gap-missing", "Areas", "rurality",
            f"rural_gap_minutes is undefined: the workbook has no {which} areas",
        )
        out["rural_gap_minutes"] = float("nan")
        return out
    rural_med = weighted_lower_quantile_sorted(v[r], w[r], 0.5)
    urban_med = weighted_lower_quantile_sorted(v[~r], w[~r], 0.5)
    if np.isnan(rural_med) or np.isnan(urban_med):
        ctx.warn(
            "gap-nopop", "Areas", "population",
            "rural_gap_minutes is undefined: the rural or the urban areas have no population",
        )
        gap = float("nan")
    elif np.isinf(rural_med) and np.isinf(urban_med):
        ctx.warn(
            f"gap-inf-{option_id}", "Options", None,
            f"rural_gap_minutes of option {option_id} is undefined: both the rural and the urban "
            "median response are infinite (no armed asset on duty for most area-hours)",
        )
        gap = float("nan")
    else:
        gap = rural_med - urban_med
    out["rural_gap_minutes"] = gap
    return out


def option_measures(
    inputs: ForceInputs,
    classes: HourClasses,
    deployments: pd.DataFrame,
    costs: tuple[float, float, float],
    ctx: _Context | None = None,
    option_id: str = "(ad hoc)",
) -> tuple[dict[str, float], np.ndarray]:
    """Every measure of docs/measures.md#measures-per-option for one option, plus its population coverage per hour.

    ``costs`` is (one_off_cost_gbp, annual_cost_gbp, implementation_months).
    """
    ctx = ctx or _context(inputs, float(inputs.parameters.target_minutes))
    params = inputs.parameters
    pop_share = coverage_shares(classes, ctx.population, ctx.target)
    if float(ctx.population.sum()) <= 0:
        ctx.warn("pop-zero", "Areas", "population",
                 "every area has population 0: population-weighted measures are undefined")
    if float(ctx.threat.sum()) <= 0:
        ctx.warn(
            "threat-zero", "Threat", None,
            "the threat index is 0 in every area (all indicators or weights are 0): there is no "
            "threat to cover, so threat_coverage is 1 for every option and cannot tell them apart",
        )
        threat = 1.0
    else:
        threat = _day_mean(coverage_shares(classes, ctx.threat, ctx.target), classes)
    pop_total = float(ctx.population.sum())
    expected_share = (
        (ctx.population.astype(np.float64) @ classes.expected) / pop_total if pop_total > 0
        else np.full(classes.hours.shape, np.nan)
    )
    one_off, annual, months = costs
    measures: dict[str, float] = {
        "population_coverage": _day_mean(pop_share, classes),
        "threat_coverage": threat,
        "expected_coverage": _day_mean(expected_share, classes),
        **_quantiles(classes, ctx, option_id),
        "officers_required": officers_required(deployments, params),
        "whole_life_cost_gbp": whole_life_cost(one_off, annual, params.appraisal_years, params.discount_rate),
        "implementation_months": float(months),
    }
    return {m: measures[m] for m in schema.MEASURES}, pop_share[classes.hour_class]


def per_area_table(classes: HourClasses, cover: OptionCoverage, target: float) -> pd.DataFrame:
    """Per area: share of the 24 hours covered, lower median response over the day, mean e."""
    covered = (classes.response <= target).astype(np.float64)
    return pd.DataFrame(
        {
            "share_hours_covered": covered @ classes.hours / HOURS,
            "median_response_minutes": lower_median_per_row(cover.response),
            "expected_cover": classes.expected @ classes.hours / HOURS,
        }
    )


def compute_coverage(
    inputs: ForceInputs,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
    extra_options: Sequence[AddedOption] | None = None,
    *,
    target: float | None = None,
) -> CoverageResult:
    """Coverage and every measure of docs/measures.md#measures-per-option for every option (and any extra options).

    Extra options are appended after the workbook's options, in the order given.
    ``progress`` is told before each option; ``cancelled`` is checked before each one.
    ``target`` (minutes) defaults to the workbook's ``target_minutes``; it is read once
    here and passed to every engine below.
    """
    progress = progress or no_progress
    ctx = _context(inputs, float(inputs.parameters.target_minutes) if target is None else target)
    todo: list[tuple[str, pd.DataFrame, tuple[float, float, float]]] = []
    deps_all = prepare_deployments(inputs, inputs.deployments)
    by_option = {oid: grp for oid, grp in deps_all.groupby("option_id", sort=False)}
    row: Any  # itertuples rows: attribute types come from the frame, not the stubs
    for row in inputs.options.itertuples(index=False):
        oid = str(row.option_id)
        deps = by_option.get(oid, deps_all.iloc[0:0])
        todo.append((oid, deps, (row.one_off_cost_gbp, row.annual_cost_gbp, row.implementation_months)))
    for extra in extra_options or []:
        deps = prepare_deployments(inputs, added_option_deployments(inputs, extra))
        todo.append(
            (extra.option_id, deps, (extra.one_off_cost_gbp, extra.annual_cost_gbp, extra.implementation_months))
        )

    options: dict[str, OptionCoverage] = {}
    rows: dict[str, dict[str, float]] = {}
    per_area: dict[str, pd.DataFrame] = {}
    by_hour: dict[str, np.ndarray] = {}
    cache: ReduceCache = {}
    for i, (oid, deps, costs) in enumerate(todo):
        check_cancelled(cancelled)
        progress(i / max(len(todo), 1), f"Coverage of option {oid} ({i + 1} of {len(todo)})")
        classes = hour_classes(inputs, deps, target=ctx.target, prepared=True, cache=cache)
        cover = classes.expand(oid)
        rows[oid], by_hour[oid] = option_measures(inputs, classes, deps, costs, ctx, oid)
        options[oid] = cover
        per_area[oid] = per_area_table(classes, cover, ctx.target)
    check_cancelled(cancelled)
    progress(1.0, "Coverage done")
    ids = [t[0] for t in todo]
    measures = pd.DataFrame.from_dict(rows, orient="index").reindex(index=ids, columns=list(schema.MEASURES))
    measures.index.name = "option_id"
    return CoverageResult(
        target_minutes=ctx.target,
        option_ids=ids,
        options=options,
        measures=measures.astype(np.float64),
        per_area=per_area,
        by_hour=pd.DataFrame(by_hour, index=pd.RangeIndex(HOURS, name="hour"), columns=ids),
        threat_index=ctx.threat,
        findings=ctx.findings,
    )
