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

HOURS = 168  # hours of the week (docs/measures.md#the-week)


@dataclass
class OptionCoverage:
    """Cover of one option through the week, stored once per hour class.

    ``class_response`` is R0 (areas x classes, float64 minutes, ``inf`` when no asset is
    active): the response if every unit were free; ``class_cover`` is F(T) (0..1), the
    chance a free unit arrives within target; ``class_backup`` is G(T_b). ``hour_class[h]``
    is the class of hour h of the week (None: the columns already are hours).
    ``response``, ``expected`` and ``backup`` expand them to areas x 168 on demand.
    """

    option_id: str
    class_response: np.ndarray
    class_cover: np.ndarray
    hour_class: np.ndarray | None = None
    class_backup: np.ndarray | None = None
    #: The week's busy-unit response curve, the share of population-hours the first free
    #: unit reaches within 0, 1, ... BUSY_CURVE_MINUTES minutes, when the engine was asked
    #: for it (``compute_coverage(..., with_busy_curve=True)``: the summary's chart).
    busy_curve: np.ndarray | None = None

    def _expand(self, values: np.ndarray) -> np.ndarray:
        return values if self.hour_class is None else values[:, self.hour_class]

    @property
    def response(self) -> np.ndarray:
        return self._expand(self.class_response)

    @property
    def expected(self) -> np.ndarray:
        return self._expand(self.class_cover)

    @property
    def backup(self) -> np.ndarray:
        return self._expand(self.class_cover if self.class_backup is None else self.class_backup)

    def _column(self, values: np.ndarray, hour: int) -> np.ndarray:
        return values[:, hour if self.hour_class is None else int(self.hour_class[hour])]

    def response_at(self, hour: int) -> np.ndarray:
        """R0 per area in hour ``hour`` of the week."""
        return self._column(self.class_response, hour)

    def cover_at(self, hour: int) -> np.ndarray:
        """F(T) per area in hour ``hour`` of the week."""
        return self._column(self.class_cover, hour)

    def backup_at(self, hour: int) -> np.ndarray:
        return self._column(self.class_cover if self.class_backup is None else self.class_backup, hour)

    def week_cover(self, hour_weights: np.ndarray) -> np.ndarray:
        """F(T) per area as a mean over the week's 168 hours weighted by ``hour_weights``
        (``units.raw_hour_weights``): the per-area ``expected_cover`` the engine reports,
        for an option computed on its own (the Optimiser's answer)."""
        w = np.asarray(hour_weights, dtype=np.float64)
        if self.hour_class is not None:  # sum the weights per class: no areas x 168 expansion
            w = np.bincount(self.hour_class, weights=w, minlength=self.class_cover.shape[1]).astype(np.float64)
        return np.asarray(self.class_cover @ (w / w.sum()), dtype=np.float64)


@dataclass
class CoverageResult:
    """Coverage of every option (docs/measures.md#measures-per-option).

    - ``measures``: DataFrame indexed by option_id, one column per measure of
      ``schema.MEASURES`` (float; ``inf`` for an infinite percentile, NaN for an undefined
      rural gap).
    - ``per_area``: dict option_id -> DataFrame aligned with ``inputs.areas``, columns
      ``share_hours_covered`` (if every unit were free), ``median_response_minutes`` (R0 over
      the week), ``expected_cover`` (F(T), mean over the week), ``backup_cover`` (G(T_b)).
    - ``by_hour``: DataFrame indexed 0..167 (hour of the week), one column per option:
      population coverage allowing for busy units in that hour; ``by_hour_all_free`` the same
      if every unit were free; ``by_hour_backup`` the share of residents a second armed
      officer reaches within the backup target in that hour (the hourly ``backup_coverage``).
    - ``threat_index``: t_a per area; ``hour_weights``: b_h (168,).
    - ``incident_validation``: the check against past incidents (docs/measures.md), or None.
    """

    target_minutes: float
    option_ids: list[str]
    options: dict[str, OptionCoverage]
    measures: pd.DataFrame
    per_area: dict[str, pd.DataFrame]
    by_hour: pd.DataFrame
    threat_index: np.ndarray
    findings: list[Finding] = field(default_factory=list)
    by_hour_all_free: pd.DataFrame | None = None
    hour_weights: np.ndarray | None = None
    incident_validation: dict[str, object] | None = None
    by_hour_backup: pd.DataFrame | None = None

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
    #: Normalised branch weights W_g / sum of W ({} without a value tree).
    group_weights: dict[str, float] = field(default_factory=dict)
    #: Per option, the weighted value over benefit criteria only (None without any).
    benefit_value: pd.Series | None = None

    @property
    def top_option(self) -> str:
        return str(self.ranks.idxmin())
