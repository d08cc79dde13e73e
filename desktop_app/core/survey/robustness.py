"""Robustness within a group: how often the group's own respondents put each option first.

docs/survey.md#robustness-within-a-group. Two readings, both SMAA-2 (Lahdelma and
Salminen 2001) with the weights drawn from the group instead of the whole simplex:

- *respondents*: each draw is one respondent's weights, chosen uniformly; with fixed
  scores its first-place share tends to the share of respondents whose own weights rank
  the option first, which is also counted exactly (:func:`first_counts`), so "first for
  70% of Federation respondents" is a count, not an estimate;
- *interquartile*: each criterion's weight is drawn uniformly between the group's
  quartiles and the vector renormalised: "weights like the middle half of the group's".

Judgement scores with a low/high range are drawn within it, as in the main SMAA-2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop_app.core.appraisal.smaa import smaa_arrays
from desktop_app.core.appraisal.value_model import rank_totals
from desktop_app.core.survey.design import SurveyDesign
from desktop_app.core.survey.weights import GroupWeights


@dataclass(frozen=True)
class GroupRobustness:
    """Per option: respondents who put it first (a count), and SMAA-2 first shares under each reading."""

    first_count: np.ndarray
    respondents_first_share: np.ndarray
    iqr_first_share: np.ndarray
    samples: int
    seed: int


def first_counts(values: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Per option, how many respondents' own weights rank it first (ties count for each option tied)."""
    totals = np.asarray(matrix, dtype=float) @ np.asarray(values, dtype=float).T  # respondents x options
    return (rank_totals(totals) == 1).sum(axis=0)


def _iqr_draws(rng: np.random.Generator, g: GroupWeights, samples: int) -> np.ndarray:
    w = rng.uniform(g.q1, g.q3, size=(samples, g.q1.size)) if np.any(g.q3 > g.q1) else np.tile(g.q1, (samples, 1))
    total = w.sum(axis=1, keepdims=True)
    fallback = np.tile(g.median_normalised, (samples, 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, w / np.where(total > 0, total, 1.0), fallback)


def group_robustness(design: SurveyDesign, g: GroupWeights, *, samples: int, seed: int) -> GroupRobustness:
    """Both readings for one group, seeded: the same forms and seed give the same figures."""
    values = np.asarray(design.values, dtype=float)
    active = np.asarray(design.active, dtype=bool)
    low, high = np.asarray(design.low, dtype=float), np.asarray(design.high, dtype=float)
    pick = np.random.Generator(np.random.PCG64([seed, 1]))
    resp = g.matrix[pick.integers(0, g.n, size=samples)]
    iqr = _iqr_draws(np.random.Generator(np.random.PCG64([seed, 2])), g, samples)
    a = smaa_arrays(values, active, low=low, high=high, samples=samples, seed=seed, drawn=resp)
    b = smaa_arrays(values, active, low=low, high=high, samples=samples, seed=seed, drawn=iqr)
    return GroupRobustness(first_counts(values, g.matrix), a.first_share, b.first_share, samples, seed)
