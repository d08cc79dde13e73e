"""Robustness by SMAA-2 (Lahdelma & Salminen 2001), vectorised with numpy.

Instead of asking "which option is best under these weights", SMAA-2 asks "how
much of the space of reasonable weights makes each option best (or second...)":

- Weights are drawn uniformly from the simplex over the criteria in use
  (independent Exp(1) draws normalised to sum 1: the same distribution as sorted
  uniforms, and faster), or, with ``around`` = F, uniformly within +/- F of each
  current normalised weight, clipped at 0 and renormalised (a draw whose weights all
  clip to 0 falls back to the current weights).
- Judgement scores the workshop gave a low/high range for are drawn uniformly within
  it, independently in every draw; every other score is fixed.
- Rank acceptability b_i^r: the share of draws in which option i has rank r (ties
  share the best rank, as everywhere else, so with exact ties a rank's column can
  sum to more than 1).
- Central weight vector of option i: the mean of the weights of the draws in which i
  is ranked first (NaN when it never is).
- Confidence factor of option i: the share of the score draws in which i is ranked
  first when the weights are fixed at its central weight vector. With fixed scores
  it is therefore 1 or 0 (the central weights sit inside the region where i wins,
  which is convex for an additive model, so in practice 1); it only carries
  information when some judgement scores have a range. It is 0 for an option that is
  never first.

The generator is numpy's PCG64 seeded with ``seed``; weights are drawn before scores,
in a fixed order, so the same seed and inputs give the same figures on any machine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from desktop_app.core.appraisal.defaults import DEFAULT_SAMPLES, DEFAULT_SEED
from desktop_app.core.appraisal.value_model import RANK_TOLERANCE
from desktop_app.core.results import Robustness


@dataclass(frozen=True)
class SmaaArrays:
    """Raw SMAA-2 output as arrays (the desktop app's live view uses these directly)."""

    rank_acceptability: np.ndarray  # options x ranks
    central_weights: np.ndarray  # options x criteria (NaN rows: never first)
    confidence_factor: np.ndarray  # options
    first_share: np.ndarray  # options: b_i^1


def draw_weights(
    rng: np.random.Generator,
    samples: int,
    active: np.ndarray,
    current: np.ndarray | None = None,
    around: float | None = None,
) -> np.ndarray:
    """Draw ``samples`` weight vectors (samples x criteria), zero on inactive criteria."""
    active = np.asarray(active, dtype=bool)
    n = active.size
    k = int(active.sum())
    w = np.zeros((samples, n))
    if k == 0:
        return w
    if around is None or current is None:
        e = rng.standard_exponential((samples, k))
        w[:, active] = e / e.sum(axis=1, keepdims=True)
        return w
    c = np.asarray(current, dtype=float)[active]
    d = rng.uniform(c - around, c + around, size=(samples, k))
    np.clip(d, 0.0, None, out=d)
    sums = d.sum(axis=1, keepdims=True)
    dead = sums[:, 0] <= 0
    if dead.any():
        d[dead] = c
        sums[dead] = c.sum() if c.sum() > 0 else 1.0
    w[:, active] = d / sums
    return w


def smaa_arrays(
    values: np.ndarray,
    active: np.ndarray,
    *,
    low: np.ndarray | None = None,
    high: np.ndarray | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    current: np.ndarray | None = None,
    around: float | None = None,
) -> SmaaArrays:
    """SMAA-2 on an options x criteria value matrix (see the module docstring)."""
    v = np.asarray(values, dtype=float)
    m, n = v.shape
    rng = np.random.Generator(np.random.PCG64(seed))
    w = draw_weights(rng, samples, active, current, around)

    base = v.copy()
    cells: tuple[np.ndarray, ...] = (np.array([], dtype=int), np.array([], dtype=int))
    draws = np.zeros((samples, 0))
    if low is not None and high is not None:
        lo, hi = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
        cells = np.nonzero(hi > lo)
        if cells[0].size:
            draws = rng.uniform(lo[cells], hi[cells], size=(samples, cells[0].size))
            base[cells] = 0.0
    onehot = np.zeros((cells[0].size, m))
    onehot[np.arange(cells[0].size), cells[0]] = 1.0

    def totals_for(weights: np.ndarray) -> np.ndarray:
        """Totals (samples x options) for per-draw weights (samples x n) and the score draws."""
        t = weights @ base.T
        if cells[0].size:
            t += (weights[:, cells[1]] * draws) @ onehot
        return t

    totals = totals_for(w)
    # rank = 1 + number of options strictly better (beyond the tolerance)
    ranks = 1 + (totals[:, None, :] > totals[:, :, None] + RANK_TOLERANCE).sum(axis=2)
    counts = np.bincount((np.arange(m)[None, :] * m + ranks - 1).ravel(), minlength=m * m)
    accept = counts.reshape(m, m) / samples

    first = ranks == 1  # samples x options
    nfirst = first.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        central = (first.T.astype(float) @ w) / nfirst[:, None]
    central[nfirst == 0] = np.nan

    conf = np.zeros(m)
    for i in np.nonzero(nfirst)[0]:
        c = central[i]
        if cells[0].size:
            ti = (base @ c)[None, :] + (draws * c[cells[1]]) @ onehot
        else:
            ti = (base @ c)[None, :]
        conf[i] = float(np.mean(ti[:, i] >= ti.max(axis=1) - RANK_TOLERANCE))
    return SmaaArrays(accept, central, conf, accept[:, 0].copy())


def smaa(
    values: np.ndarray,
    active: np.ndarray,
    option_ids: list[str],
    criterion_ids: list[str],
    *,
    low: np.ndarray | None = None,
    high: np.ndarray | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    current: np.ndarray | None = None,
    around: float | None = None,
) -> Robustness:
    """SMAA-2 as a :class:`Robustness` (DataFrames labelled by option and criterion)."""
    arr = smaa_arrays(values, active, low=low, high=high, samples=samples, seed=seed,
                      current=current, around=around)
    idx = pd.Index(option_ids, name="option_id")
    return Robustness(
        samples=samples,
        seed=seed,
        around_weights=around,
        rank_acceptability=pd.DataFrame(arr.rank_acceptability, index=idx,
                                        columns=pd.Index(range(1, len(option_ids) + 1), name="rank")),
        central_weights=pd.DataFrame(arr.central_weights, index=idx,
                                     columns=pd.Index(criterion_ids, name="criterion_id")),
        confidence_factor=pd.Series(arr.confidence_factor, index=idx, name="confidence_factor"),
    )
