"""A stakeholder weight set on the value tree's sliders, and back (docs/appraisal-method.md#value-tree).

A weight set gives flat criterion weights: each criterion's share is its weight over the
set's total. The sliders of a workbook with a value tree hold something else: a weight
W_g for each branch and weights w_i within it, and a criterion's share is
(W_g / sum W) x (w_i / sum of w in g). The two agree exactly when each branch's weight is
the sum of its criteria's weights (then (S_g / S) x (w_i / S_g) = w_i / S). So:

- switching to a set puts its weights on the criteria's sliders and each branch's sum on
  the branch's slider (:func:`sliders_for_set`): the shares the room reads, the ranking
  bars and the set's own column in the comparison are then the same figures;
- capturing the room's weights as a set keeps their shares through the tree
  (:func:`captured_weights`), so switching back to it later shows the ranking captured;
- the sliders hold a set while their shares through the tree equal the set's flat shares
  (:func:`holds_set`): a moved branch slider leaves the set as a moved criterion does.

A survey group's weights are shares summing to 1 (docs/survey.md#in-the-app); on sliders
that step in whole points they go as percentage points, so the handles are not all at 0
and one key press does not double a weight.
"""

from __future__ import annotations

from collections.abc import Mapping

#: How close two weightings' shares must be to count as the same (float rounding only).
SAME_SHARE = 1e-9


def flat_shares(weights: Mapping[str, float]) -> dict[str, float]:
    """Each criterion's share of the total (negative weights count as 0; all 0 if none is positive)."""
    total = sum(max(0.0, float(w)) for w in weights.values())
    return {c: (max(0.0, float(w)) / total if total > 0 else 0.0) for c, w in weights.items()}


def sliders_for_set(set_weights: Mapping[str, float], criterion_ids: list[str],
                    groups: Mapping[str, str], branch_names: list[str]) -> tuple[dict[str, float], dict[str, float]]:
    """(criterion weights, branch weights) that put ``set_weights`` on the sliders.

    A criterion the set does not list weighs 0. Weights summing to 1 or less (a survey
    group's shares) are scaled to sum to 100. With no branches the branch weights are ``{}``.
    """
    raw = {c: max(0.0, float(set_weights.get(c, 0.0))) for c in criterion_ids}
    total = sum(raw.values())
    scale = 100.0 / total if 0.0 < total <= 1.0 + SAME_SHARE else 1.0
    weights = {c: w * scale for c, w in raw.items()}
    branches = {g: 0.0 for g in branch_names}
    if branches:
        for c, w in weights.items():
            g = groups.get(c, "")
            if g in branches:
                branches[g] += w
    return weights, branches


def captured_weights(shares: Mapping[str, float]) -> dict[str, float]:
    """The weights a captured set keeps: the room's shares through the tree, in percentage points."""
    return {c: 100.0 * float(s) for c, s in shares.items()}


def holds_set(shares: Mapping[str, float], set_weights: Mapping[str, float]) -> bool:
    """True when the sliders' shares (through the tree) are the set's flat shares."""
    want = flat_shares({c: float(set_weights.get(c, 0.0)) for c in shares})
    if not any(want.values()):
        return False
    return all(abs(float(shares[c]) - want[c]) <= SAME_SHARE for c in shares)
