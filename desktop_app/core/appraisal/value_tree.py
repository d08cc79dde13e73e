"""The value tree: hierarchical swing weights, benefit value and the efficient frontier.

docs/appraisal-method.md#value-tree. With a CriteriaGroups sheet the normalised weight
of criterion i in branch g is (W_g / sum of W) x (w_i / sum of w_j over the criteria j
in g), 0 where that inner sum is 0. Why a tree: criteria that measure the same thing
(four response measures off one travel-time matrix) share one parent weight instead of
each carrying a full weight, which is the double counting the MCA manual warns about
(DCLG 2009, chapter 6: criteria grouped under a value tree, weights within and between branches).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

#: Two costs or benefit values closer than this are equal (docs/appraisal-method.md#benefits-and-costs).
FRONTIER_TOLERANCE = 1e-9


def group_shares(group_weights: Mapping[str, float]) -> dict[str, float]:
    """W_g / sum of W for every branch, in the order given (all 0 if every W is 0)."""
    total = float(sum(max(0.0, float(w)) for w in group_weights.values()))
    if not total > 0 or not math.isfinite(total):
        return {g: 0.0 for g in group_weights}
    return {g: max(0.0, float(w)) / total for g, w in group_weights.items()}


def tree_weights(
    raw: np.ndarray,
    groups: Sequence[str],
    group_weights: Mapping[str, float],
    active: np.ndarray | None = None,
) -> np.ndarray:
    """Normalised criterion weights under the value tree (docs/appraisal-method.md#value-tree).

    ``raw``: the criteria's swing weights w_i; ``groups``: each criterion's branch;
    ``group_weights``: W_g per branch. Criteria left out (``active`` False) weigh 0 inside
    their branch. A branch whose criteria weigh nothing passes none of its weight on
    (its share is 0, as the method says), so the weights may then sum to less than 1.
    """
    w = np.clip(np.asarray(raw, dtype=float), 0.0, None)
    if active is not None:
        w = np.where(np.asarray(active, dtype=bool), w, 0.0)
    shares = group_shares(group_weights)
    out = np.zeros(w.shape, dtype=float)
    labels = np.asarray(list(groups), dtype=object)
    for g, share in shares.items():
        members = labels == g
        inner = float(w[members].sum())
        if inner > 0 and math.isfinite(inner):
            out[members] = share * w[members] / inner
    return out


def lost_branches(raw: np.ndarray, groups: Sequence[str], group_weights: Mapping[str, float],
                  active: np.ndarray | None = None) -> list[str]:
    """Branches with a positive weight whose criteria weigh nothing (their weight is lost)."""
    w = np.clip(np.asarray(raw, dtype=float), 0.0, None)
    if active is not None:
        w = np.where(np.asarray(active, dtype=bool), w, 0.0)
    labels = np.asarray(list(groups), dtype=object)
    return [g for g, share in group_shares(group_weights).items()
            if share > 0 and not float(w[labels == g].sum()) > 0]


def benefit_values(values: np.ndarray, weights: np.ndarray, is_benefit: np.ndarray) -> np.ndarray | None:
    """Per option, sum over benefit criteria of weight x value / sum of their weights.

    None when there is no benefit criterion or they weigh nothing. Why apart from the
    total: plotted against cost, a total that already holds cost counts cost twice
    (Green Book, MCDA supplementary guidance: benefits against costs).
    """
    mask = np.asarray(is_benefit, dtype=bool)
    w = np.where(mask, np.asarray(weights, dtype=float), 0.0)
    total = float(w.sum())
    if not mask.any() or not total > 0:
        return None
    return (np.asarray(values, dtype=float) @ w) / total


def efficient_frontier(costs: Sequence[float], benefits: Sequence[float], tol: float = FRONTIER_TOLERANCE) -> list[int]:
    """Indices of the options no other option dominates, cheapest first (then in input order).

    k dominates i when k costs no more and gives no less benefit, and is better on one
    of the two by more than ``tol``; so two options with the same cost and benefit are
    both on the frontier. Options with an unknown (non-finite) cost or benefit are left
    out. One definition for every value-for-money chart, so they all star the same options.
    """
    c = [float(x) for x in costs]
    b = [float(x) for x in benefits]
    known = [i for i in range(len(c)) if math.isfinite(c[i]) and math.isfinite(b[i])]
    front = []
    for i in known:
        dominated = any(
            c[k] <= c[i] + tol and b[k] >= b[i] - tol and (c[k] < c[i] - tol or b[k] > b[i] + tol)
            for k in known if k != i
        )
        if not dominated:
            front.append(i)
    return sorted(front, key=lambda i: (c[i], i))  # tied options (same cost and benefit) in input order
