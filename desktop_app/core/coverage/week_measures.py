"""Every response measure of one option from its :class:`WeekCover` (docs/measures.md).

Coverage shares are means over the week (hour weights b_h) of weighted shares of
F, G or the all-free indicator [R0 <= T]; the median and 90th percentile are
quantiles of the time to the first free unit over residents and the week.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from desktop_app.core.coverage.cover import (
    WeekCover,
    first_free_masses,
    listed_until,
    mixture_quantile,
    week_cover,
)
from desktop_app.core.coverage.incident_verdict import chance_margin
from desktop_app.core.coverage.measures import threat_index
from desktop_app.core.coverage.series import BUSY_CURVE_MINUTES, busy_curve_from_masses
from desktop_app.core.coverage.units import OptionUnits, raw_hour_weights
from desktop_app.core.model import Finding, ForceInputs
from desktop_app.core.workbook import schema


@dataclass
class MeasureContext:
    """What every option's measures need, computed once per appraisal."""

    population: np.ndarray  # float64
    threat: np.ndarray
    incidents: np.ndarray  # c_a: Incidents rows per area
    has_incidents: bool
    #: The reader has already said the workbook has no incidents (an Incidents sheet without
    #: rows, or a criterion on incident_coverage, each said where it is): not said again.
    incidents_said: bool
    is_rural: np.ndarray
    weights: np.ndarray  # b_h (168,) before scaling: see units.raw_hour_weights
    target: float
    backup_target: float
    findings: list[Finding] = field(default_factory=list)
    warned: set[str] = field(default_factory=set)
    #: The key of each of ``findings``, in the same order (to merge contexts' findings).
    warned_order: list[str] = field(default_factory=list)

    def warn(self, key: str, sheet: str, column: str | None, message: str) -> None:
        if key not in self.warned:
            self.warned.add(key)
            self.warned_order.append(key)
            self.findings.append(Finding("warning", sheet, None, column, message))


def measure_context(inputs: ForceInputs, target: float | None = None) -> MeasureContext:
    """What every option's measures share; ``target`` (minutes) defaults to the workbook's."""
    areas = inputs.areas
    pop = np.nan_to_num(areas["population"].to_numpy(dtype=np.float64))
    rural = area_is_rural(inputs)
    inc = inputs.incidents
    counts = np.bincount(inc["area_index"].to_numpy(np.int64), minlength=len(areas)).astype(np.float64) if len(inc) else np.zeros(len(areas))
    params = inputs.parameters
    return MeasureContext(
        population=pop, threat=threat_index(inputs.threat, inputs.indicators), incidents=counts,
        has_incidents=len(inc) > 0, incidents_said=_incidents_said(inputs), is_rural=rural, weights=raw_hour_weights(inputs),
        target=float(params.target_minutes if target is None else target), backup_target=float(params.backup_target_minutes),
    )


def _incidents_said(inputs: ForceInputs) -> bool:
    """Whether the reader warned of the missing incidents itself (workbook/demand_sheets.py)."""
    measures = inputs.criteria["measure"] if "measure" in inputs.criteria.columns else ()
    return bool(inputs.incidents_sheet) or any(str(m) == "incident_coverage" for m in measures)


def week_mean(per_class_share: np.ndarray, wc: WeekCover) -> float:
    """sum over h of b_h x share_h, with shares given per hour class (b scaled to sum to 1)."""
    return float(np.dot(per_class_share, wc.class_weight) / wc.class_weight.sum())


def share(values: np.ndarray, weights: np.ndarray, wc: WeekCover) -> float:
    """Mean over the week of sum_a w_a values_ac / sum_a w_a (NaN when the weights sum to 0)."""
    total = float(weights.sum())
    if total <= 0:
        return float("nan")
    return week_mean((weights @ values) / total, wc)


def quantiles(units: OptionUnits, wc: WeekCover, ctx: MeasureContext, target: float, backup: float,
              ) -> tuple[WeekCover, dict[str, float], np.ndarray]:
    """Median and p90 over everyone, and the rural and urban medians, of the first-free-unit time.

    Lists more pairs (doubling the cut-off) until every quantile is reached or every
    finite response is listed; a quantile still not reached is infinite. Also returns
    the list's first-free masses (population-weighted), from which the busy-unit curve
    is read.
    """
    wanted = [("median", None, 0.5), ("p90", None, 0.9), ("rural", True, 0.5), ("urban", False, 0.5)]

    def answer(wc: WeekCover) -> tuple[tuple[dict[str, float], np.ndarray], bool]:
        mass = first_free_masses(wc, units, ctx.population)
        rural_pair = ctx.is_rural[wc.pair_area]
        out: dict[str, float] = {}
        short = False
        for name, which, q in wanted:
            if which is None:
                pop, part = ctx.population, mass
            else:
                keep = ctx.is_rural == which
                pop, part = ctx.population[keep], np.where(rural_pair == which, mass, 0.0)
            total = float(pop.sum()) * float(wc.class_weight.sum())
            value = mixture_quantile(wc.pair_minutes, part, total, q)
            if value is None:
                short = True
                value = float("inf")
            out[name] = value
        return (out, mass), short

    wc, (out, mass) = listed_until(wc, units, answer)
    return wc, out, mass


def option_response_measures(units: OptionUnits, ctx: MeasureContext, option_id: str, *,
                             with_busy_curve: bool = False) -> tuple[dict[str, float], WeekCover, np.ndarray | None]:
    """Every coverage and response-time measure of one option (costs and officers apart).

    ``with_busy_curve`` also returns the week's busy-unit curve over 0..BUSY_CURVE_MINUTES
    (:func:`~desktop_app.core.coverage.series.busy_curve_from_masses`): the pair list the
    quantiles use is first extended to every pair within that many minutes, so the one
    pass of first-free masses serves both (the summary's chart had listed and weighed
    every pair again, 3.7 s of CPU nationally).
    """
    reach = None
    if with_busy_curve and units.response.size:
        # Every pair within the curve's minutes (none lies beyond the slowest response),
        # listed in the one pass: the list is that of listing to the quantiles' length and
        # then relisting to the curve's, so every figure is the same.
        reach = min(float(BUSY_CURVE_MINUTES), float(units.response.max()) + 1.0)
    wc = week_cover(units, ctx.weights, ctx.target, ctx.backup_target, area_weights=ctx.population, at_least=reach)
    all_free = (wc.response <= ctx.target).astype(np.float64)
    pop = ctx.population
    if float(pop.sum()) <= 0:
        ctx.warn("pop-zero", "Areas", "population",
                 "every area has population 0: population-weighted measures are undefined")
    m: dict[str, float] = {
        "population_coverage": share(wc.cover, pop, wc),
        "population_coverage_all_free": share(all_free, pop, wc),
        "backup_coverage": share(wc.backup, pop, wc),
    }
    if float(ctx.threat.sum()) <= 0:
        ctx.warn(
            "threat-zero", "Threat", None,
            "the threat index is 0 in every area (all indicators or weights are 0): there is no "
            "threat to cover, so threat_coverage is 1 for every option and cannot tell them apart",
        )
        m["threat_coverage"] = m["threat_coverage_all_free"] = 1.0
    else:
        m["threat_coverage"] = share(wc.cover, ctx.threat, wc)
        m["threat_coverage_all_free"] = share(all_free, ctx.threat, wc)
    if ctx.has_incidents:
        m["incident_coverage"] = share(wc.cover, ctx.incidents, wc)
    else:
        if not ctx.incidents_said:
            ctx.warn("no-incidents", "Incidents", None,
                     "incident_coverage is undefined: the workbook has no Incidents sheet (add last year's armed incidents)")
        m["incident_coverage"] = float("nan")
    for name, which in (("rural_coverage", True), ("urban_coverage", False)):
        keep = ctx.is_rural == which
        if not keep.any():
            ctx.warn(f"no-{name}", "Areas", "rurality",
                     f"{name} is undefined: the workbook has no {'rural' if which else 'urban'} areas")
            m[name] = float("nan")
        elif not np.any(pop[keep] > 0):  # a share of no residents is no figure: said, not left blank
            if float(pop.sum()) > 0:  # else "every area has population 0" has said it
                kind = "rural" if which else "urban"
                ctx.warn(f"nopop-{name}", "Areas", "population",
                         f"{name} is undefined: the workbook's {kind} areas all have population 0")
            m[name] = float("nan")
        else:
            m[name] = share(wc.cover[keep], pop[keep], wc)
    wc, q, mass = quantiles(units, wc, ctx, ctx.target, ctx.backup_target)
    m["median_response_minutes"] = q["median"]
    m["p90_response_minutes"] = q["p90"]
    m["rural_gap_minutes"] = _gap(q["rural"], q["urban"], ctx, option_id)
    curve = (busy_curve_from_masses(wc.pair_minutes, mass, ctx.population, wc.class_weight)
             if with_busy_curve else None)
    return m, wc, curve


def _gap(rural: float, urban: float, ctx: MeasureContext, option_id: str) -> float:
    if not ctx.is_rural.any() or ctx.is_rural.all():
        which = "rural" if not ctx.is_rural.any() else "urban"
        ctx.warn("gap-missing", "Areas", "rurality", f"rural_gap_minutes is undefined: the workbook has no {which} areas")
        return float("nan")
    if np.isnan(rural) or np.isnan(urban):
        ctx.warn("gap-nopop", "Areas", "population",
                 "rural_gap_minutes is undefined: the rural or the urban areas have no population")
        return float("nan")
    if np.isinf(rural) and np.isinf(urban):
        ctx.warn(
            f"gap-inf-{option_id}", "Options", None,
            f"rural_gap_minutes of option {option_id} is undefined: both the rural and the urban "
            "median response are infinite (no free armed unit for most residents and hours)",
        )
        return float("nan")
    return rural - urban


def per_area_table(wc: WeekCover, ctx: MeasureContext) -> pd.DataFrame:
    """Per area: share of the week covered if every unit were free, the median all-free
    response over the week's hours, and F(T) and G(T_b) as means over the week."""
    w = wc.class_weight
    covered = (wc.response <= ctx.target).astype(np.float64)
    w = w / w.sum()
    return pd.DataFrame({
        "share_hours_covered": covered @ w,
        "median_response_minutes": lower_median_by_class(wc.response, np.bincount(wc.hour_class, minlength=w.size)),
        "expected_cover": wc.cover @ w,
        "backup_cover": wc.backup @ w,
    })


def lower_median_by_class(values: np.ndarray, hours: np.ndarray) -> np.ndarray:
    """Per row, the lower median of its 168 hourly values, given once per hour class.

    The same figure as :func:`measures.lower_median_per_row` on the (A, 168) expansion (the
    84th smallest hour), without building it: sort each row's few class values, count
    their hours and take the first class that reaches half the week.
    """
    if values.shape[1] == 0:
        return np.full(values.shape[0], np.nan)
    order = np.argsort(values, axis=1, kind="stable")
    cum = np.cumsum(hours[order], axis=1)
    k = (int(hours.sum()) + 1) // 2
    first = np.argmax(cum >= k, axis=1)
    return np.take_along_axis(values, order[np.arange(values.shape[0]), first][:, None], axis=1)[:, 0]


def incident_validation(inputs: ForceInputs, wc: WeekCover, target: float) -> dict[str, object] | None:
    """Observed share of past incidents reached within target against the modelled share.

    For the incidents with ``first_armed_minutes``: observed = share with minutes <= T;
    modelled = mean of F_{a_i h_i}(T) of the baseline; also for rural and urban areas; and
    the 95% chance margin of the difference if the model were right.
    None when no incident gives an observed time.
    """
    inc = inputs.incidents
    if len(inc) == 0:
        return None
    minutes = inc["first_armed_minutes"].to_numpy(np.float64)
    has = np.isfinite(minutes)
    if not has.any():
        return None
    area = inc["area_index"].to_numpy(np.int64)[has]
    hour = 24 * inc["weekday"].to_numpy(np.int64)[has] + inc["hour"].to_numpy(np.int64)[has]
    modelled = wc.cover[area, wc.hour_class[hour]]
    observed = minutes[has] <= target
    rural = area_is_rural(inputs)[area]

    def part(sel: np.ndarray) -> dict[str, object]:
        n = int(sel.sum())
        return {
            "incidents": n,
            "observed_within_target": float(observed[sel].mean()) if n else None,
            "modelled_within_target": float(modelled[sel].mean()) if n else None,
            # how far apart the two could be by chance alone (core/coverage/incident_verdict.py)
            "chance_margin": chance_margin(modelled[sel]) if n else None,
        }

    everyone = np.ones(area.size, dtype=bool)
    return {**part(everyone), "rural": part(rural), "urban": part(~rural)}


def area_is_rural(inputs: ForceInputs) -> np.ndarray:
    """Per area, True when its rurality code is rural (ONS codes or the word)."""
    areas = inputs.areas
    if "is_rural" in areas.columns:
        return areas["is_rural"].to_numpy(dtype=bool)
    return np.array([bool(schema.is_rural_code(c)) for c in areas["rurality"]], dtype=bool)
