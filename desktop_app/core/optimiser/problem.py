"""What the optimiser maximises, as arrays: area weights, the baseline's misses, candidate reach.

Every measure the optimiser takes is "1 minus the weighted share of the week an area
is not covered" (docs/measures.md#where-to-arm-officers-the-optimiser):

- availability-aware (``threat_coverage``, ``population_coverage``,
  ``incident_coverage``): an area-hour's miss is the probability every unit within
  target is busy, prod q_d ^ n_d; an added post (on duty all week, busy q) multiplies
  it by q;
- all-free (``*_all_free``): the miss is 1 when no unit on duty is within target, 0
  otherwise; an added post within target makes it 0.

Because added posts are on duty every hour, an area's miss over the week is
``miss_a x q ^ k_a`` (or ``miss_a x [k_a = 0]``) with k_a the added posts within
target and miss_a = sum over hour classes c of B_c x miss_ac, B_c the hour weight of
class c. So the week collapses to one number per area before any solving.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from desktop_app.core.added_option import added_option_deployments, optimiser_option
from desktop_app.core.coverage import units as week
from desktop_app.core.coverage.availability import within
from desktop_app.core.coverage.cover import week_cover
from desktop_app.core.coverage.week_measures import measure_context
from desktop_app.core.errors import InvalidWorkbookError
from desktop_app.core.model import ForceInputs

AVAILABILITY_MEASURES = ("threat_coverage", "population_coverage", "incident_coverage")
ALL_FREE_MEASURES = ("threat_coverage_all_free", "population_coverage_all_free")
MEASURES = AVAILABILITY_MEASURES + ALL_FREE_MEASURES

#: Crew of an added post per asset type: a lone armed response officer, an ARV of two.


def check_measure(measure: str) -> None:
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}")


def area_weights(inputs: ForceInputs, measure: str) -> np.ndarray:
    """w_a of a measure: population, threat index or Incidents rows per area (as the engine's)."""
    check_measure(measure)
    ctx = measure_context(inputs)
    if measure.startswith("population"):
        return ctx.population
    if measure == "incident_coverage":
        if not ctx.has_incidents:
            raise InvalidWorkbookError(
                "Incidents: incident_coverage needs an Incidents sheet with at least one row"
            )
        return ctx.incidents
    return ctx.threat


def week_miss(inputs: ForceInputs, units: week.OptionUnits, measure: str) -> np.ndarray:
    """miss_a: the hour-weighted share of the week area a is not covered by ``units``.

    From the coverage engine's own F(T) and R0 per hour class
    (:func:`desktop_app.core.coverage.cover.week_cover`), so the optimiser's baseline
    is the engine's baseline.
    """
    params = inputs.parameters
    target = float(params.target_minutes)
    try:
        b = week.raw_hour_weights(inputs)
    except ValueError as exc:
        raise InvalidWorkbookError(f"Parameters: {exc}") from None
    wc = week_cover(units, b, target, float(params.backup_target_minutes))
    share = wc.class_weight / wc.class_weight.sum()
    if measure in AVAILABILITY_MEASURES:
        return np.asarray((1.0 - wc.cover) @ share)
    return np.asarray((wc.response > target).astype(np.float64) @ share)


def measure_from_miss(weights: np.ndarray, miss: np.ndarray, measure: str) -> float:
    """1 - sum w_a miss_a / sum w_a (1.0 with no threat anywhere, as the engine; NaN with no weight)."""
    total = float(weights.sum())
    if total <= 0:
        return 1.0 if measure.startswith("threat") else float("nan")
    return 1.0 - float(weights @ miss) / total


def measure_value(inputs: ForceInputs, deployments: pd.DataFrame, measure: str) -> float:
    """The measure (docs/measures.md) of any set of deployments, by the optimiser's arithmetic."""
    weights = area_weights(inputs, measure)
    miss = week_miss(inputs, week.units_of(inputs, deployments), measure)
    return measure_from_miss(weights, miss, measure)


def post_deployments(inputs: ForceInputs, site_indices: list[int], asset_type: str, option_id: str) -> pd.DataFrame:
    """One post at each site: on duty every hour of the week, the asset type's crew and defaults.

    Built as the added option the optimiser proposes (:func:`optimiser_option`), so the posts
    evaluated here are exactly those the workbook copy and the optimiser view add.
    """
    sites = inputs.sites["site_id"].astype(str).to_numpy()
    option = optimiser_option([sites[i] for i in site_indices], asset_type, option_id, include_baseline=False)
    return added_option_deployments(inputs, option)


#: Candidate rows of the travel matrix compared at once (128 x 35,672 float32 = 18 MB).
_BLOCK_ROWS = 128


def _reach(inputs: ForceInputs, candidates: list[int], asset_type: str, target: float) -> np.ndarray:
    """candidates x areas: would a post at the site be within target?

    The same float32 arithmetic as :func:`desktop_app.core.coverage.units.units_of`
    (travel + (authorisation + mobilisation)), in blocks so no candidates x areas
    float matrix is ever held (the brute-force tests check the two agree).
    """
    n_areas = inputs.travel_minutes.shape[1]
    reach = np.zeros((len(candidates), n_areas), dtype=bool)
    if not candidates:
        return reach
    addend = np.float32(float(inputs.parameters.authorisation_minutes or 0.0)) + np.float32(
        inputs.parameters.mobilisation_minutes(asset_type))
    idx = np.asarray(candidates, dtype=np.int64)
    for i in range(0, len(idx), _BLOCK_ROWS):
        block = inputs.travel_minutes[idx[i : i + _BLOCK_ROWS]] + addend
        reach[i : i + _BLOCK_ROWS] = within(block, target)
    return reach


@dataclass
class Problem:
    """The baseline's misses and the candidates' reach, built once, solved for one or more K."""

    measure: str
    asset_type: str
    candidates: list[int]  # site indices
    reach: np.ndarray  # candidates x areas bool: the added post there is within target
    weights: np.ndarray  # w_a
    miss: np.ndarray  # baseline miss_a
    q: float  # busy fraction of an added post (0 for the all-free measures: one post clears a miss)
    baseline_value: float

    def value(self, chosen: list[int]) -> float:
        """The measure of the baseline plus posts at the chosen candidates' sites."""
        if not chosen:
            return self.baseline_value
        pos = [self.candidates.index(s) for s in chosen]
        k = self.reach[pos].sum(axis=0)
        left = self.miss * np.power(self.q, k)  # q = 0: 0 ** 0 = 1, so only k = 0 keeps a miss
        return measure_from_miss(self.weights, left, self.measure)


def build(inputs: ForceInputs, measure: str, asset_type: str, site_type: str) -> Problem:
    """Baseline misses per area and which candidate sites' posts would be within target."""
    check_measure(measure)
    params = inputs.parameters
    target = float(params.target_minutes)
    weights = area_weights(inputs, measure)
    base = week.option_units(inputs, inputs.baseline_id)
    miss = week_miss(inputs, base, measure)
    used = {int(s) for s, a in zip(base.site_index, base.asset_type, strict=True) if a == asset_type}
    site_types = inputs.sites["site_type"].astype(str).to_numpy()
    candidates = [i for i in range(len(site_types)) if site_types[i] == site_type and i not in used]
    reach = _reach(inputs, candidates, asset_type, target)
    q = float(params.busy_fraction(asset_type)) if measure in AVAILABILITY_MEASURES else 0.0
    return Problem(measure, asset_type, candidates, reach, weights, miss, q,
                   measure_from_miss(weights, miss, measure))
