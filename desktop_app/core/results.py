"""Result objects passed from the engines to the views, the exports and the JSON.

Defined in one place so that the coverage engine, the appraisal engine, the
summary workbook and the desktop views agree on one shape. Arrays are numpy;
tables are DataFrames indexed by option_id / criterion_id / area order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from desktop_app.core.model import Finding

HOURS = 24


@dataclass
class OptionCoverage:
    """Hour-by-hour cover of one option.

    ``response`` is R_ah (areas x 24, float64 minutes, ``inf`` when no asset is active);
    ``expected`` is e_ah (areas x 24, 0..1).
    """

    option_id: str
    response: np.ndarray
    expected: np.ndarray


@dataclass
class CoverageResult:
    """Coverage of every option (docs/measures.md#measures-per-option).

    - ``measures``: DataFrame indexed by option_id, one column per measure of
      ``schema.MEASURES`` (float; ``inf`` for an infinite percentile, NaN for an undefined
      rural gap).
    - ``per_area``: dict option_id -> DataFrame aligned with ``inputs.areas``, columns
      ``share_hours_covered``, ``median_response_minutes``, ``expected_cover``.
    - ``by_hour``: DataFrame indexed 0..23, one column per option: population coverage in
      that hour (for the hour-of-day chart).
    - ``threat_index``: t_a per area.
    """

    target_minutes: float
    option_ids: list[str]
    options: dict[str, OptionCoverage]
    measures: pd.DataFrame
    per_area: dict[str, pd.DataFrame]
    by_hour: pd.DataFrame
    threat_index: np.ndarray
    findings: list[Finding] = field(default_factory=list)

    def covered(self, option_id: str) -> np.ndarray:
        return self.options[option_id].response <= self.target_minutes


@dataclass
class Sensitivity:
    """One-way weight sensitivity for one criterion.

    ``switch_points``: normalised weights x in [0, 1] at which the top-ranked option
    changes, ascending. ``x`` and ``totals`` give the straight lines of a Hiview-style
    chart: ``totals`` is (len(x) x options) with columns in ``option_ids`` order.
    """

    criterion_id: str
    current_weight: float
    switch_points: list[float]
    x: np.ndarray
    totals: pd.DataFrame
    #: The top option on each side of each switch point: len(switch_points) + 1 entries.
    top_options: list[str] = field(default_factory=list)


@dataclass
class Robustness:
    """SMAA-2 results.

    ``rank_acceptability``: DataFrame options x ranks (columns 1..m), shares 0..1.
    ``central_weights``: DataFrame options x criteria (NaN row when an option is never first).
    ``confidence_factor``: Series per option.
    """

    samples: int
    seed: int
    around_weights: float | None
    rank_acceptability: pd.DataFrame
    central_weights: pd.DataFrame
    confidence_factor: pd.Series


@dataclass
class Appraisal:
    """A scored and ranked appraisal under one set of weights.

    ``values``: options x criteria value scores 0..100. ``weights``: normalised, by
    criterion. ``totals`` and ``ranks`` by option (rank 1 best; ties share the best rank).
    ``weighted``: options x criteria weight x value (the stacked bar chart).
    """

    weights_name: str
    values: pd.DataFrame
    weights: pd.Series
    weighted: pd.DataFrame
    totals: pd.Series
    ranks: pd.Series
    groups: dict[str, str]
    sensitivity: list[Sensitivity] = field(default_factory=list)
    robustness: Robustness | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def top_option(self) -> str:
        return str(self.ranks.idxmin())
