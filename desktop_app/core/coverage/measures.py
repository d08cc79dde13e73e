"""Building blocks of the coverage measures: threat index and weighted quantiles.

Kept separate from :mod:`desktop_app.core.coverage.engine` so the formulas of docs/measures.md
can be read (and tested) on their own, without the bookkeeping of
options, deployments and hours.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

#: Response times are rounded to this many decimal places of a minute (6 ms).
#: Why: travel times are stored as float32, so 16.7 becomes 16.7000008; without
#: rounding 16.7 + 3.3 minutes would miss a 20-minute target that a person
#: checking by hand sees as exactly met.
RESPONSE_DECIMALS = 4


def threat_index(threat: pd.DataFrame, indicators: pd.DataFrame) -> np.ndarray:
    """t_a = sum over indicators i of w_i * x_ai / max_a(x_ai) (docs/measures.md#threat-index).

    An indicator whose maximum is 0 (or that has no areas) contributes 0, so a
    column of zeros cannot divide by zero. NaN cells count as 0.
    """
    n = len(threat)
    t = np.zeros(n, dtype=np.float64)
    if indicators is None or len(indicators) == 0:
        return t
    for name, weight in zip(indicators["indicator"], indicators["weight"], strict=True):
        if name not in threat.columns:
            continue
        x = np.nan_to_num(threat[name].to_numpy(dtype=np.float64), nan=0.0)
        top = float(x.max()) if n else 0.0
        if top > 0 and float(weight) != 0:
            t += float(weight) * x / top
    return t


def _as_fraction(q: float) -> Fraction:
    return Fraction(q).limit_denominator(10_000)


def weighted_lower_quantile_sorted(
    sorted_values: np.ndarray, sorted_weights: np.ndarray, q: float
) -> float:
    """Lower weighted quantile of values already sorted ascending.

    The smallest value v whose cumulative weight share is >= q. NaN when the total
    weight is 0. Integer weights (populations) are compared exactly, as
    den * cumsum >= num * total, so 0.9 of 10 people really is 9 people.
    """
    if sorted_values.size == 0:
        return float("nan")
    cum = np.cumsum(sorted_weights)
    total = cum[-1]
    if total <= 0:
        return float("nan")
    if np.issubdtype(cum.dtype, np.integer):
        frac = _as_fraction(q)
        num, den = frac.numerator, frac.denominator
        # den * cum >= num * total, written as cum >= ceil(num * total / den) to avoid overflow
        need = -((-num * int(total)) // den)
        idx = int(np.searchsorted(cum, need, side="left"))
    else:
        idx = int(np.searchsorted(cum / total, q, side="left"))
    idx = min(idx, sorted_values.size - 1)
    return float(sorted_values[idx])


def weighted_lower_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """Lower weighted quantile (docs/measures.md#measures-per-option); ``inf`` values are allowed."""
    values = np.asarray(values, dtype=np.float64).ravel()
    weights = np.asarray(weights).ravel()
    order = np.argsort(values, kind="stable")
    return weighted_lower_quantile_sorted(values[order], weights[order], q)


def lower_median_per_row(matrix: np.ndarray) -> np.ndarray:
    """Per row, the lower median: the k-th smallest value with k = ceil(n / 2).

    For 24 hourly values this is the 12th smallest, i.e. the lower weighted
    quantile at q = 0.5 with equal weights, the same rule as the force-wide median.
    """
    n = matrix.shape[1]
    if n == 0:
        return np.full(matrix.shape[0], np.nan)
    k = (n + 1) // 2 - 1
    return np.partition(matrix, k, axis=1)[:, k]
