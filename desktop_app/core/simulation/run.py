"""``simulate`` over a workbook: build each option's units, replicate, summarise.

Every replication draws one stream of armed incidents that every option answers
(common random numbers: option differences are not noise in the incident draw), and
each option's units draw their other-work states from a stream seeded by the seed,
the replication and the option id, so an option's figures are the same whether it
is simulated alone or with the others (docs/simulation.md#seeds).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# The t quantile from SciPy special functions: the frozen build leaves out the statistics
# subpackage, and naming it here would pull it back in (packaging/armed_options.spec).
from scipy.special import stdtrit

from desktop_app.core.coverage.measures import RESPONSE_DECIMALS
from desktop_app.core.coverage.units import OptionUnits, option_units
from desktop_app.core.errors import UsageError
from desktop_app.core.model import ForceInputs
from desktop_app.core.progress import CancelledFn, ProgressFn, check_cancelled, no_progress
from desktop_app.core.simulation import inputs_adapter as adapter
from desktop_app.core.simulation.analytic import (
    analytic_cover,
    analytic_times,
    incident_distribution,
)
from desktop_app.core.simulation.engine import Outcome, draw_incidents, run_option

DEFAULT_YEARS = 10
DEFAULT_REPLICATIONS = 20
DEFAULT_SEED = 20240601


@dataclass(frozen=True)
class Estimate:
    """A mean over replications with its 95% confidence interval (NaN/inf kept as such)."""

    mean: float
    low: float
    high: float

    def to_json(self) -> dict[str, object]:
        return {"mean": _num(self.mean), "ci95": [_num(self.low), _num(self.high)]}


#: No figure (no replications, no incidents): every part undefined.
NO_ESTIMATE = Estimate(math.nan, math.nan, math.nan)


@dataclass(frozen=True)
class OptionSimulation:
    """One option's simulated figures beside the analytic ones."""

    option_id: str
    incidents: float
    within_target: Estimate
    backup_within_target: Estimate
    median_minutes: Estimate
    p90_minutes: Estimate
    analytic_within_target: float
    analytic_backup_within_target: float
    #: The analytic median and 90th percentile over the same incidents (not in the
    #: contract's JSON): the simulated times' twins, as the appraisal's are over residents.
    analytic_median_minutes: float = math.nan
    analytic_p90_minutes: float = math.nan
    #: Each replication's share within target, in replication order (not in the JSON):
    #: every option answers the same incidents, so two options' shares pair up
    #: replication by replication (:func:`paired_difference`).
    within_target_runs: tuple[float, ...] = ()
    #: The share of each replication's incidents answered in under, and within, the analytic
    #: median's minutes (not in the JSON): a quantile is judged against its analytic twin in
    #: probability space, where the replications' mean converges to what the simulated
    #: distribution gives at those minutes; the mean of the replications' quantiles need not
    #: converge to the analytic quantile where the distribution is flat around it
    #: (docs/simulation.md#quantiles).
    median_under: Estimate = NO_ESTIMATE
    median_within: Estimate = NO_ESTIMATE
    #: The same about the analytic 90th percentile's minutes.
    p90_under: Estimate = NO_ESTIMATE
    p90_within: Estimate = NO_ESTIMATE

    def to_json(self) -> dict[str, object]:
        return {
            "option_id": self.option_id,
            "incidents": _num(self.incidents),
            "within_target": self.within_target.to_json(),
            "backup_within_target": self.backup_within_target.to_json(),
            "median_minutes": self.median_minutes.to_json(),
            "p90_minutes": self.p90_minutes.to_json(),
            "analytic_within_target": _num(self.analytic_within_target),
            "analytic_backup_within_target": _num(self.analytic_backup_within_target),
        }


@dataclass(frozen=True)
class SimulationResult:
    """What ``simulate`` reports (docs/simulation.md#output)."""

    years: int
    replications: int
    seed: int
    per_year: float
    target_minutes: float
    backup_target_minutes: float
    options: list[OptionSimulation]
    #: Where the incident rate, area and hour weights came from, in words.
    notes: list[str]
    #: The workbook's baseline option, which the paired differences are taken against.
    baseline_id: str = ""

    @property
    def baseline(self) -> OptionSimulation | None:
        """The baseline's figures, when it was simulated (``--option`` may leave it out)."""
        return next((o for o in self.options if o.option_id == self.baseline_id), None)

    def to_json(self) -> dict[str, object]:
        return {
            "years": self.years,
            "replications": self.replications,
            "seed": self.seed,
            "options": [o.to_json() for o in self.options],
        }


def _num(x: float) -> float | None:
    """JSON numbers are finite: infinity and NaN are written as null."""
    return float(x) if math.isfinite(x) else None


def estimate(values: list[float], lowest: float = 0.0, highest: float = math.inf) -> Estimate:
    """Mean and Student-t 95% interval over replications (undefined ones left out).

    One usable replication has no spread to estimate: its interval is undefined (NaN).
    An infinite value (a percentile never reached) makes the mean and upper end infinite.
    The interval is clipped to what the figure can be, ``lowest`` to ``highest`` (0 to 1
    for a share, 0 minutes or more for a time): with few replications mean +/- t s / sqrt(R)
    can pass them, and "-8.9 minutes" or "100.6%" is no figure (docs/simulation.md#output).
    """
    x = np.asarray([v for v in values if not math.isnan(v)], dtype=np.float64)
    if x.size == 0:
        return Estimate(math.nan, math.nan, math.nan)
    if not np.isfinite(x).all():
        return Estimate(math.inf, float(np.min(x)) if x.size > 1 else math.nan, math.inf)
    mean = float(x.mean())
    if x.size < 2:
        return Estimate(mean, math.nan, math.nan)
    half = float(stdtrit(x.size - 1, 0.975)) * float(x.std(ddof=1)) / math.sqrt(x.size)
    return Estimate(mean, max(mean - half, lowest), min(mean + half, highest))


def paired_difference(option: OptionSimulation, baseline: OptionSimulation) -> Estimate:
    """The option's share within target minus the baseline's, with its 95% interval from
    the replications' paired differences.

    Every option answers the same incidents in a replication (common random numbers), so
    the two shares move together and their difference varies far less than either: two
    options' separate intervals overlapping (63.2% and 63.3%) says nothing about whether
    one is better, and the paired interval does (Law, *Simulation Modeling and Analysis*,
    5th ed., 2015, section 10.2: paired-t intervals with common random numbers).
    """
    a, b = option.within_target_runs, baseline.within_target_runs
    if len(a) != len(b):
        return Estimate(math.nan, math.nan, math.nan)
    return estimate([x - y for x, y in zip(a, b, strict=True)], lowest=-1.0, highest=1.0)


def lower_quantile(values: np.ndarray, q: float) -> float:
    """The smallest v with at least a share q of the values <= v (as the measures' quantiles)."""
    if values.size == 0:
        return math.nan
    s = np.sort(values)
    return float(s[max(math.ceil(q * s.size - 1e-9) - 1, 0)])


def summarise(outcome: Outcome, target: float, backup_target: float) -> tuple[float, float, float, float]:
    """(share within T, share with a second officer within T_b, median, p90) of one replication."""
    n = outcome.first.size
    if n == 0:
        return math.nan, math.nan, math.nan, math.nan
    return (
        # Minutes are already rounded as the engine rounds them (engine._Orders).
        float(np.mean(outcome.first <= target)),
        float(np.mean(outcome.backup <= backup_target)),
        lower_quantile(outcome.first, 0.5),
        lower_quantile(outcome.first, 0.9),
    )


def shares_about(first: np.ndarray, minutes: float) -> tuple[float, float]:
    """(share answered in under ``minutes``, share answered within them) of one replication.

    Both, because minutes come in steps (many incidents in one area share its nearest unit's
    time): where the response times step at the analytic quantile v, v is the lower
    q-quantile of a distribution H exactly when H(v-) < q <= H(v), so the share under v and
    the share within v bound q from the two sides (docs/simulation.md#quantiles). NaN with
    no incidents or no finite analytic quantile (a quantile never reached is not judged).
    """
    if first.size == 0 or not math.isfinite(minutes):
        return math.nan, math.nan
    # Both are on the coverage engine's grid of 10^-RESPONSE_DECIMALS minute (engine._Orders
    # rounds the simulated ones), so half a step either side tells "in 56.2 minutes exactly"
    # from "under 56.2" without trusting two roundings to give the same float.
    half = 0.5 * 10.0 ** (-RESPONSE_DECIMALS)
    return float(np.mean(first < minutes - half)), float(np.mean(first <= minutes + half))


def _option_seed(seed: int, replication: int, option_id: str) -> list[int]:
    return [seed, replication, zlib.crc32(option_id.encode("utf-8"))]


def simulate_units(
    option_ids: list[str], units_of: Callable[[str], OptionUnits], area_weights: np.ndarray,
    hour_weights: np.ndarray, *, per_year: float, years: int, replications: int, seed: int,
    target: float, backup_target: float, busy_spell_minutes: float, service_hours: float,
    progress: ProgressFn | None = None, cancelled: CancelledFn | None = None,
    labels: dict[str, str] | None = None,
) -> list[OptionSimulation]:
    """The simulation of each option in turn, ``replications`` times.

    ``labels`` names each option in the progress messages (the room knows options by
    name, not code); an option without one is "Option <id>".

    ``units_of(option_id)`` is called once per option, so only one option's response
    matrix is held at a time (nationally 50-90 MB each). Replication r's incidents are
    drawn from the seed and r alone, so every option answers the same incidents.
    """
    progress = progress or no_progress
    area_p, hour_p = incident_distribution(area_weights, hour_weights)
    steps = max(replications * len(option_ids), 1)
    out = []
    for n, oid in enumerate(option_ids):
        check_cancelled(cancelled)
        units = units_of(oid)
        # The analytic quantiles first: each replication is judged by its share of incidents
        # answered within their minutes (shares_about).
        a_median, a_p90 = analytic_times(units, area_weights, hour_weights, target, backup_target)
        stats: list[tuple[float, float, float, float]] = []
        about: list[tuple[float, float, float, float]] = []
        counts: list[int] = []
        for rep in range(replications):
            check_cancelled(cancelled)
            progress((n * replications + rep) / steps,
                     f"{(labels or {}).get(oid) or f'Option {oid}'} ({n + 1} of {len(option_ids)}): "
                     f"replication {rep + 1} of {replications}")
            incidents = draw_incidents(np.random.default_rng([seed, rep]), per_year, years, area_p, hour_p)
            rng = np.random.default_rng(_option_seed(seed, rep, oid))
            outcome = run_option(units, incidents, rng, busy_spell_minutes, service_hours)
            stats.append(summarise(outcome, target, backup_target))
            about.append((*shares_about(outcome.first, a_median), *shares_about(outcome.first, a_p90)))
            counts.append(int(outcome.first.size))
        first, backup = analytic_cover(units, area_weights, hour_weights, target, backup_target)
        cols = list(zip(*stats, strict=True)) if stats else [(), (), (), ()]
        near = [estimate(list(c), highest=1.0) for c in zip(*about, strict=True)] if about else [NO_ESTIMATE] * 4
        out.append(OptionSimulation(
            option_id=oid,
            incidents=float(np.mean(counts)) if counts else math.nan,
            within_target=estimate(list(cols[0]), highest=1.0),
            backup_within_target=estimate(list(cols[1]), highest=1.0),
            median_minutes=estimate(list(cols[2])),
            p90_minutes=estimate(list(cols[3])),
            analytic_within_target=first,
            analytic_backup_within_target=backup,
            analytic_median_minutes=a_median,
            analytic_p90_minutes=a_p90,
            within_target_runs=tuple(float(v) for v in cols[0]),
            median_under=near[0], median_within=near[1], p90_under=near[2], p90_within=near[3],
        ))
    progress(1.0, "Simulation done")
    return out


#: Said with every run (docs/simulation.md#model): the simulated medians are per incident,
#: the appraisal's per resident, and a reader comparing the two would be misled.
PER_INCIDENT = ("every figure is per simulated incident (weighted by where and when incidents fall), not per "
                "resident, so its median and 90th percentile are not the appraisal's")


def simulate(
    inputs: ForceInputs, *, years: int = DEFAULT_YEARS, replications: int = DEFAULT_REPLICATIONS,
    seed: int = DEFAULT_SEED, option_ids: list[str] | None = None, per_year: float | None = None,
    progress: ProgressFn | None = None, cancelled: CancelledFn | None = None,
) -> SimulationResult:
    """The simulation of every option (or those named) of a validated workbook.

    ``per_year`` overrides the workbook's armed incidents a year (the app lets a user
    try another rate without editing the workbook).
    """
    known = inputs.option_ids
    chosen = list(dict.fromkeys(option_ids)) if option_ids else list(known)
    unknown = [o for o in chosen if o not in known]
    if unknown:  # a bad --option, like an unknown --weight-set for appraise: usage (exit 2)
        raise UsageError(f"--option: no option {', '.join(unknown)} in the workbook (it has {', '.join(known)})")
    s = adapter.settings(inputs, per_year)
    area_w, hour_w, notes = adapter.incident_weights(inputs)
    options = simulate_units(
        chosen, lambda oid: option_units(inputs, oid), area_w, hour_w, per_year=s.per_year, years=years, replications=replications, seed=seed,
        target=s.target, backup_target=s.backup_target, busy_spell_minutes=s.busy_spell_minutes,
        service_hours=s.service_hours, progress=progress, cancelled=cancelled,
        labels=inputs.option_names(),
    )
    return SimulationResult(
        years=years, replications=replications, seed=seed, per_year=s.per_year, target_minutes=s.target,
        backup_target_minutes=s.backup_target, options=options, notes=[*s.notes, *notes, PER_INCIDENT],
        baseline_id=str(inputs.baseline_id),
    )
