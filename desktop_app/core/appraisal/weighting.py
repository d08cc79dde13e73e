"""Weighting value scores: normalised weights, totals and ranks, fast enough for live sliders.

The one arithmetic every caller shares (docs/appraisal-method.md#2-weights-totals-and-ranks):
total value is a single matrix-vector product of the options x criteria value scores and
the normalised weights, so the sliders, the sensitivity lines, SMAA-2 and the weight sets
agree to the last digit.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

#: Totals closer than this are equal and share a rank (docs/appraisal-method.md#2-weights-totals-and-ranks).
RANK_TOLERANCE = 1e-9


class Scored(NamedTuple):
    """The result of :func:`score`: normalised weights, totals and ranks (numpy arrays)."""

    weights: np.ndarray
    totals: np.ndarray
    ranks: np.ndarray


# --------------------------------------------------------------------------- fast path


def normalise_weights(raw: np.ndarray, active: np.ndarray | None = None) -> np.ndarray:
    """Raw swing weights -> weights summing to 1 over the ``active`` criteria.

    Inactive criteria (left out because undefined for every option) weigh 0. When no
    active criterion has a positive weight, the active criteria share the weight
    equally: a stakeholder set that weights nothing in use still gets a ranking
    (the caller warns about it) rather than a division by zero.
    """
    raw = np.asarray(raw, dtype=float)
    mask = np.ones(raw.shape, dtype=bool) if active is None else np.asarray(active, dtype=bool)
    w = np.where(mask, np.clip(raw, 0.0, None), 0.0)
    with np.errstate(over="ignore"):
        total = w.sum()
    if not np.isfinite(total) and np.isfinite(w).all():
        # Finite weights whose sum overflows (1e308 and 1e308): scale by the largest first,
        # which cannot overflow and leaves the proportions as they were.
        w = w / w.max()
        total = w.sum()
    if total > 0 and np.isfinite(total):
        return w / total
    if mask.any():
        return mask / mask.sum()
    return np.full(raw.shape, 1.0 / max(raw.size, 1))


def rank_totals(totals: np.ndarray, tol: float = RANK_TOLERANCE) -> np.ndarray:
    """Competition ranks, 1 = highest; totals within ``tol`` share the best rank (1, 2, 2, 4).

    Works on a vector of totals (m,) or a batch (draws x m) of them.
    """
    t = np.asarray(totals, dtype=float)
    better = t[..., None, :] > t[..., :, None] + tol
    return 1 + better.sum(axis=-1)


def score(values: np.ndarray, weights: np.ndarray, active: np.ndarray | None = None) -> Scored:
    """Fast re-scoring for live sliders: value matrix (options x criteria) and raw weights.

    ``weights`` need not be normalised (scaling them all by a constant changes nothing).
    Returns the normalised weights, each option's total value and its rank.
    """
    w = normalise_weights(weights, active)
    totals = np.asarray(values, dtype=float) @ w
    return Scored(w, totals, rank_totals(totals))
