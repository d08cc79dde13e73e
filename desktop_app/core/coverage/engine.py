"""Coverage engine: every measure of docs/measures.md for every option.

:func:`compute_coverage` resolves each option's units (:mod:`units`), computes its
cover through the week allowing for busy units (:mod:`cover`) and its measures
(:mod:`week_measures`), and adds costs and officers (:mod:`costs`).

The all-free model of version 1 (``hour_classes``: R0 and the independent-units
cover per class of hours of the week, grouped by activity pattern and reduced in
float32 blocks) is kept for the optimiser's maximal-covering problem.

Response times are rounded to 1e-4 minute (see ``measures.RESPONSE_DECIMALS``) so
float32 storage noise never flips a hand-checkable "exactly on target" case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from desktop_app.core.added_option import AddedOption, added_option_deployments
from desktop_app.core.coverage.costs import officer_split, optimism_uplift, whole_life_cost
from desktop_app.core.coverage.cover import WeekCover, week_cover
from desktop_app.core.coverage.measures import RESPONSE_DECIMALS
from desktop_app.core.coverage.units import HOURS_OF_WEEK, shift_hours, units_of
from desktop_app.core.coverage.week_measures import (
    MeasureContext,
    incident_validation,
    measure_context,
    option_response_measures,
    per_area_table,
)
from desktop_app.core.model import ForceInputs
from desktop_app.core.progress import CancelledFn, ProgressFn, check_cancelled, no_progress
from desktop_app.core.results import CoverageResult, OptionCoverage
from desktop_app.core.threads import map_threads, thread_count
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
    hour_class: np.ndarray  # 168 int: the hours of the week
    hours: np.ndarray  # C int64


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
def _pattern_key(start: int, end: int, days: str) -> int:
    """The 168 on-duty hours of the week of a deployment as a bit mask (cached: a few patterns, thousands of rows)."""
    bits = shift_hours(start, end, days)
    return sum(1 << int(h) for h in np.flatnonzero(bits))


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

    R_ah = min over active d of authorisation + m_d + tt(s_d, a) (inf if none), h an hour of the week;
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
    auth = float(inputs.parameters.authorisation_minutes)
    days = deps["days"].fillna("").astype(str).tolist() if "days" in deps.columns else [""] * len(deps)

    # Group deployments by what makes them differ: hours, mobilisation, q^n.
    groups: dict[tuple[int, float, float], list[int]] = defaultdict(list)
    # Python lists, not numpy scalars: hashing and arithmetic on them is several times faster.
    for site, start, end, day, m, q, n in zip(
        deps["site_index"].to_numpy().tolist(), deps["start_hour"].to_numpy().tolist(),
        deps["end_hour"].to_numpy().tolist(), days,
        deps["mobilisation_minutes"].to_numpy(dtype=np.float64).tolist(),
        deps["busy_fraction"].to_numpy(dtype=np.float64).tolist(),
        deps["posts"].to_numpy(dtype=np.float64).tolist(), strict=True,
    ):
        key = _pattern_key(int(start), int(end), day)
        if key:
            groups[(key, float(m) + auth, float(q) ** float(n))].append(int(site))

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
    signature = [tuple(k for k in keys if (k >> h) & 1) for h in range(HOURS_OF_WEEK)]
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


def coverage_shares(classes: HourClasses, weights: np.ndarray, target: float) -> np.ndarray:
    """Weighted share of the weight covered if every unit were free, per hour class of the day model."""
    total = float(np.sum(weights, dtype=np.float64))
    covered = classes.response <= target
    if total <= 0:
        return np.full(classes.response.shape[1], np.nan)
    return (weights.astype(np.float64) @ covered) / total


def _day_mean(per_class: np.ndarray, classes: HourClasses) -> float:
    """Mean over the 168 hours of the week (each hour alike)."""
    return float(np.dot(per_class, classes.hours) / HOURS_OF_WEEK)


def compute_option_coverage(
    inputs: ForceInputs, deployments: pd.DataFrame, option_id: str = "(ad hoc)", *, target: float | None = None,
) -> OptionCoverage:
    """The week's cover (R0, F, G per area and hour) of any set of deployments, in or out of the workbook.

    ``target`` (minutes) defaults to the workbook's ``target_minutes``.
    """
    ctx = measure_context(inputs, target)
    wc = week_cover(units_of(inputs, deployments, option_id), ctx.weights, ctx.target, ctx.backup_target)
    return _option_coverage(option_id, wc)


def _option_coverage(option_id: str, wc: WeekCover) -> OptionCoverage:
    return OptionCoverage(option_id=option_id, class_response=wc.response, class_cover=wc.cover,
                          hour_class=wc.hour_class, class_backup=wc.backup)


def _hourly(wc: WeekCover, values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted share per hour of the week (NaN when the weights sum to 0)."""
    total = float(weights.sum())
    if total <= 0:
        return np.full(HOURS_OF_WEEK, np.nan)
    return ((weights @ values) / total)[wc.hour_class]


@dataclass
class _OptionRun:
    """One option's share of :func:`compute_coverage`, computed on a worker thread."""

    oid: str
    measures: dict[str, float]
    option: OptionCoverage
    per_area: pd.DataFrame
    by_hour: np.ndarray
    by_hour_free: np.ndarray
    validation: Any
    findings: list[Any]
    warned_order: list[str]
    by_hour_backup: np.ndarray  # population share with a second officer within T_b, per hour


_Todo = tuple[str, pd.DataFrame, tuple[float, float, float]]


def _options_todo(inputs: ForceInputs, extra_options: Sequence[AddedOption] | None) -> list[_Todo]:
    """Each option's id, deployments and (one-off, annual, months) costs, workbook options first.

    Extra options follow the workbook's, in the order given.
    """
    todo: list[_Todo] = []
    deps_all = inputs.deployments
    by_option = {str(oid): grp for oid, grp in deps_all.groupby("option_id", sort=False)}
    row: Any  # itertuples rows: attribute types come from the frame, not the stubs
    for row in inputs.options.itertuples(index=False):
        oid = str(row.option_id)
        deps = by_option.get(oid, deps_all.iloc[0:0])
        todo.append((oid, deps, (row.one_off_cost_gbp, row.annual_cost_gbp, row.implementation_months)))
    for extra in extra_options or []:
        deps = added_option_deployments(inputs, extra)
        todo.append(
            (extra.option_id, deps,
             (extra.one_off_cost_gbp, extra.annual_cost_gbp, extra.implementation_months))
        )
    return todo


def _run_option(inputs: ForceInputs, ctx: MeasureContext, item: _Todo, is_base: bool,
                with_busy_curve: bool = False) -> _OptionRun:
    """One option's measures, cover and (for the baseline) check against incidents.

    It collects its own findings, merged by :func:`_merge_findings` in option order:
    the same list, in the same order, as computing the options one after another,
    whichever thread ran it.
    """
    oid, deps, (one_off, annual, months) = item
    params = inputs.parameters
    octx = replace(ctx, findings=[], warned=set(), warned_order=[])
    units = units_of(inputs, deps, oid)
    measures, wc, curve = option_response_measures(units, octx, oid, with_busy_curve=with_busy_curve)
    own, neighbour = officer_split(deps, params)
    measures.update({
        "officers_required": own,
        "neighbour_officers": neighbour,
        "whole_life_cost_gbp": whole_life_cost(one_off, annual, params.appraisal_years, params.discount_rate),
        "implementation_months": float(months),
    })
    return _OptionRun(
        oid, {m: measures[m] for m in schema.MEASURES}, replace(_option_coverage(oid, wc), busy_curve=curve),
        per_area_table(wc, octx),
        _hourly(wc, wc.cover, octx.population),
        _hourly(wc, (wc.response <= octx.target).astype(np.float64), octx.population),
        incident_validation(inputs, wc, octx.target) if is_base else None, octx.findings, octx.warned_order,
        _hourly(wc, wc.backup, octx.population),
    )


def _merge_findings(ctx: MeasureContext, run: _OptionRun) -> None:
    """Add an option's findings to the shared context, each warning once, in option order."""
    for key, finding in zip(run.warned_order, run.findings, strict=True):
        if key not in ctx.warned:
            ctx.warned.add(key)
            ctx.warned_order.append(key)
            ctx.findings.append(finding)


def _runs_in_order(
    inputs: ForceInputs, ctx: MeasureContext, todo: list[_Todo],
    progress: ProgressFn, cancelled: CancelledFn | None, with_busy_curve: bool = False,
) -> list[_OptionRun]:
    """Every option's run, in option order, computed a few at a time on the machine's cores.

    Options are independent numpy work; the cancel is checked and progress told before
    each few.
    """
    baseline = inputs.options["baseline"].to_numpy(dtype=bool)
    n_workbook = len(inputs.options)
    items = list(enumerate(todo))

    def one(item: tuple[int, _Todo]) -> _OptionRun:
        i, option = item
        return _run_option(inputs, ctx, option, i < n_workbook and bool(baseline[i]), with_busy_curve)

    runs: list[_OptionRun] = []
    step = thread_count(len(todo))
    for start in range(0, len(items), step):
        check_cancelled(cancelled)
        chunk = items[start:start + step]
        first, last = chunk[0][0] + 1, chunk[-1][0] + 1
        which = f"option {chunk[0][1][0]} ({first} of {len(todo)})" if first == last else \
            f"options {first}-{last} of {len(todo)}"
        progress(start / max(len(todo), 1), f"Coverage of {which}")
        for run in map_threads(one, chunk, "coverage"):
            _merge_findings(ctx, run)
            runs.append(run)
    check_cancelled(cancelled)
    progress(1.0, "Coverage done")
    return runs


def compute_coverage(
    inputs: ForceInputs,
    progress: ProgressFn | None = None,
    cancelled: CancelledFn | None = None,
    extra_options: Sequence[AddedOption] | None = None,
    *,
    target: float | None = None,
    with_busy_curve: bool = False,
) -> CoverageResult:
    """Coverage and every measure of docs/measures.md#measures-per-option for every option (and any extra options).

    Extra options are appended after the workbook's options, in the order given.
    ``progress`` is told before each option; ``cancelled`` is checked before each one.
    ``target`` (minutes) defaults to the workbook's ``target_minutes``; it is read once
    here and passed to every engine below. ``with_busy_curve`` also gives each option
    its week's busy-unit response curve (``OptionCoverage.busy_curve``, the summary's
    chart) from the same pass of first-free masses as its median and 90th percentile.
    """
    ctx = measure_context(inputs, target)  # the target is read once, here, and passed down
    todo = _options_todo(inputs, extra_options)
    runs = _runs_in_order(inputs, ctx, todo, progress or no_progress, cancelled, with_busy_curve)
    validation = next((run.validation for run in runs if run.validation is not None), None)
    ids = [t[0] for t in todo]
    rows = {run.oid: run.measures for run in runs}
    measures_df = pd.DataFrame.from_dict(rows, orient="index").reindex(index=ids, columns=list(schema.MEASURES))
    measures_df.index.name = "option_id"
    hours = pd.RangeIndex(HOURS_OF_WEEK, name="hour")
    measures_df = optimism_uplift(measures_df, inputs.options)  # docs/appraisal-method.md#green-book-costs
    return CoverageResult(
        target_minutes=ctx.target,
        option_ids=ids,
        options={run.oid: run.option for run in runs},
        measures=measures_df.astype(np.float64),
        per_area={run.oid: run.per_area for run in runs},
        by_hour=pd.DataFrame({run.oid: run.by_hour for run in runs}, index=hours, columns=ids),
        threat_index=ctx.threat,
        findings=ctx.findings,
        by_hour_all_free=pd.DataFrame({run.oid: run.by_hour_free for run in runs}, index=hours, columns=ids),
        hour_weights=ctx.weights,
        incident_validation=validation,
        by_hour_backup=pd.DataFrame({run.oid: run.by_hour_backup for run in runs}, index=hours, columns=ids),
    )
