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
from desktop_app.core.appraisal.weighting import RANK_TOLERANCE
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


#: Draws ranked at a time: bounds the sort's work arrays (block x 2 options) whatever the sample count.
_RANK_BLOCK = 8192


def ranks_by_sort(totals: np.ndarray, tol: float = RANK_TOLERANCE) -> np.ndarray:
    """Competition ranks of each row of ``totals`` (draws x options): 1 + options better by more than ``tol``.

    The same ranks as comparing every pair (``t[:, None, :] > t[:, :, None] + tol``), which
    costs draws x options x options booleans (2.5 GB for 500 options); here each row's
    totals and its thresholds ``t + tol`` are sorted together, values before thresholds on
    ties, so a threshold's position counts the totals at or below it: draws x options x
    log(options) work and a few arrays of draws x 2 options.
    """
    t = np.asarray(totals, dtype=float)
    d, m = t.shape
    both = np.concatenate([t, t + tol], axis=1)
    order = np.argsort(both, axis=1, kind="stable")  # stable: on ties values (first) precede thresholds
    at_or_below = np.cumsum(order < m, axis=1)  # totals at or before each sorted position
    ranks = np.empty((d, m), dtype=np.int64)
    is_threshold = order >= m
    rows = np.nonzero(is_threshold)[0]
    ranks[rows, order[is_threshold] - m] = 1 + m - at_or_below[is_threshold]
    return ranks


def check_smaa_size(samples: int, criteria: int, uncertain: int, options: int = 1) -> None:
    """Refuse, in one line, an SMAA run past the bounds of :data:`schema.CAPS`.

    Three bounds: the sample count; the values held (samples x (criteria + ranged
    scores)); and the work (that times the options, which the ranking and the confidence
    factors each pass over once per option at most).
    """
    from desktop_app.core.errors import UsageError
    from desktop_app.core.workbook.schema import CAPS

    cap = CAPS["samples"]
    if samples > cap.value:
        raise UsageError(f"{samples:,} SMAA samples is more than the limit of {cap.value:,}, because {cap.why}")
    values = CAPS["smaa_values"]
    need = samples * (criteria + uncertain)
    if need > values.value:
        most = values.value // max(1, criteria + uncertain)
        raise UsageError(
            f"{samples:,} SMAA samples with {criteria} criteria and {uncertain} scores with a low-high range "
            f"would hold {need:,} values, more than the limit of {values.value:,}; use --samples {most:,} or fewer"
        )
    work = CAPS["smaa_work"]
    if need * options > work.value:
        most = work.value // max(1, (criteria + uncertain) * options)
        raise UsageError(
            f"{samples:,} SMAA samples for {options} options with {criteria} criteria and {uncertain} ranged "
            f"scores is more work than the limit of {work.value:,} steps, because {work.why}; "
            f"use --samples {most:,} or fewer"
        )


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
    drawn: np.ndarray | None = None,
) -> SmaaArrays:
    """SMAA-2 on an options x criteria value matrix (see the module docstring).

    ``drawn`` (samples x criteria, each row summing to 1) replaces the weight draws, e.g.
    a group's own respondents' weights (docs/survey.md#robustness-within-a-group); the
    score draws are then the generator's first draws.

    Work and memory are bounded: ranks come from a sort (:func:`ranks_by_sort`) a block of
    draws at a time, and uncertain scores are added per option with one index-add, so
    nothing grows with the square (let alone the cube) of the option count per draw.
    """
    v = np.asarray(values, dtype=float)
    m, n = v.shape
    uncertain = 0
    if low is not None and high is not None:
        uncertain = int(np.count_nonzero(np.asarray(high, dtype=float) > np.asarray(low, dtype=float)))
    check_smaa_size(samples, n, uncertain, m)
    rng = np.random.Generator(np.random.PCG64(seed))
    w = draw_weights(rng, samples, active, current, around) if drawn is None else np.asarray(drawn, dtype=float)
    if w.shape != (samples, n):
        raise ValueError(f"expected {samples} x {n} weight draws, got {w.shape}")

    base = v.copy()
    cells: tuple[np.ndarray, ...] = (np.array([], dtype=int), np.array([], dtype=int))
    draws = np.zeros((samples, 0))
    if low is not None and high is not None:
        lo, hi = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
        cells = np.nonzero(hi > lo)
        if cells[0].size:
            draws = rng.uniform(lo[cells], hi[cells], size=(samples, cells[0].size))
            base[cells] = 0.0
    # Options with at least one ranged score ("varying"); np.nonzero lists cells by option,
    # so each varying option's cells are one contiguous run starting at ``starts``.
    varying = np.unique(cells[0])
    starts = np.flatnonzero(np.r_[True, cells[0][1:] != cells[0][:-1]]) if cells[0].size else np.zeros(0, dtype=int)

    def totals_for(weights: np.ndarray, start: int, stop: int) -> np.ndarray:
        """Totals (draws start..stop x options) for per-draw weights and the score draws."""
        t = weights @ base.T
        if cells[0].size:
            t[:, varying] += _uncertain_part(weights[:, cells[1]] * draws[start:stop], starts)
        return t

    counts = np.zeros(m * m, dtype=np.int64)
    first = np.zeros((samples, m), dtype=bool)
    for start in range(0, samples, _RANK_BLOCK):
        stop = min(samples, start + _RANK_BLOCK)
        ranks = ranks_by_sort(totals_for(w[start:stop], start, stop))
        counts += np.bincount((np.arange(m)[None, :] * m + ranks - 1).ravel(), minlength=m * m)
        first[start:stop] = ranks == 1
    accept = counts.reshape(m, m) / samples

    nfirst = first.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        central = (first.T.astype(float) @ w) / nfirst[:, None]
    central[nfirst == 0] = np.nan

    conf = _confidence_factors(base, central, nfirst, cells, draws, starts, samples)
    return SmaaArrays(accept, central, conf, accept[:, 0].copy())


def _uncertain_part(weighted: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per varying option, the sum of its weighted score draws (rows x cells -> rows x varying).

    ``starts`` is where each varying option's run of cells begins (cells are listed by option).
    """
    # rows x cells work, whatever the option count; summed along contiguous memory
    return np.add.reduceat(np.ascontiguousarray(weighted.T), starts, axis=0).T


def _confidence_factors(base: np.ndarray, central: np.ndarray, nfirst: np.ndarray, cells: tuple[np.ndarray, ...],
                        draws: np.ndarray, starts: np.ndarray, samples: int) -> np.ndarray:
    """Each option's confidence factor: how often it ranks first at its own central weights."""
    m = base.shape[0]
    varying = np.unique(cells[0])
    # Confidence factors: at i's central weights, the options without ranged scores have
    # fixed totals, so only the varying ones are recomputed per draw (draws x varying work).
    conf = np.zeros(m)
    steady = np.ones(m, dtype=bool)
    steady[varying] = False
    for i in np.nonzero(nfirst)[0]:
        c = central[i]
        fixed = base @ c
        if not cells[0].size:
            conf[i] = float(fixed[i] >= fixed.max() - RANK_TOLERANCE)
            continue
        steady_max = fixed[steady].max() if steady.any() else -np.inf
        pos = int(np.searchsorted(varying, i))
        i_varies = pos < varying.size and varying[pos] == i
        hits = 0
        for start in range(0, samples, _RANK_BLOCK):
            stop = min(samples, start + _RANK_BLOCK)
            tv = fixed[varying][None, :] + _uncertain_part(draws[start:stop] * c[cells[1]], starts)
            best = np.maximum(tv.max(axis=1), steady_max)
            mine = tv[:, pos] if i_varies else fixed[i]
            hits += int(np.count_nonzero(mine >= best - RANK_TOLERANCE))
        conf[i] = hits / samples
    return conf


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
