"""Compare stakeholder weight sets side by side: rankings, agreement, and why they differ.

In a consultation the community panel, the PCC's office, the Federation and the chief
officer team each weight the criteria differently. The facilitator needs three answers:
what each group's ranking is, whether they agree on the top option, and - when they
do not - which criteria drive the disagreement, so the discussion goes to the weights
that matter rather than the ones that merely differ.

"Drive" is measured exactly, not by eye. Take two sets A and B whose top options differ,
a (A's top) and b (B's top). A prefers a by margin m_A = T_A(a) - T_A(b) >= 0 and B
prefers b by m_B = T_B(b) - T_B(a) >= 0. Because totals are linear in the weights,

    m_A + m_B = sum over criteria c of (wA_c - wB_c) * (v_a,c - v_b,c)

so each criterion's term is its share of the "swing" between the two groups. A
criterion with a large positive term is one where the groups weight differently *and*
the two options differ: the disagreement lives there. Summing the positive terms over
every disagreeing pair ranks the drivers for the room.

Scores follow contract section 3: weights normalised to sum to 1, total = sum of
weight x value, rank 1 best, totals within 1e-9 share the best rank number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd

TIE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Disagreement:
    """Two sets with different top options and the criteria behind the difference.

    ``drivers``: (criterion_id, points) with points > 0, largest first, where points is
    that criterion's share of ``swing`` (in value points, 0-100 scale).
    """

    set_a: str
    set_b: str
    top_a: str
    top_b: str
    swing: float
    drivers: tuple[tuple[str, float], ...]


@dataclass
class WeightSetComparison:
    """Every set appraised on the same value scores.

    - ``weights``: criteria x sets, normalised weights.
    - ``totals``/``ranks``: options x sets.
    - ``tops``: set -> its top option(s) (several when tied).
    - ``drivers``: criteria, columns ``weight_spread`` (max - min normalised weight across
      sets) and ``swing_points`` (sum of positive contributions over disagreeing pairs),
      sorted by ``swing_points`` then ``weight_spread``, largest first.
    """

    set_names: list[str]
    weights: pd.DataFrame
    totals: pd.DataFrame
    ranks: pd.DataFrame
    tops: dict[str, list[str]]
    disagreements: list[Disagreement]
    drivers: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def agree_on_top(self) -> bool:
        """True when every set has the same single top option."""
        firsts = {tuple(t) for t in self.tops.values()}
        return len(firsts) == 1 and len(next(iter(firsts), ())) == 1

    @property
    def consensus_top(self) -> str | None:
        return self.tops[self.set_names[0]][0] if self.agree_on_top and self.set_names else None

    def top_votes(self) -> dict[str, list[str]]:
        """Option -> the sets that rank it first (ties count for every tied option)."""
        votes: dict[str, list[str]] = {}
        for name in self.set_names:
            for opt in self.tops[name]:
                votes.setdefault(opt, []).append(name)
        return votes

    def summary_lines(self, option_names: Mapping[str, str] | None = None,
                      criterion_names: Mapping[str, str] | None = None,
                      limit: int = 3) -> list[str]:
        """Plain-English findings for the room and the export."""
        on = option_names or {}
        cn = criterion_names or {}
        if not self.set_names:
            return ["No weight sets to compare."]
        if self.agree_on_top:
            top = self.consensus_top or ""
            return [f"All {len(self.set_names)} weight sets rank {on.get(top, top)} first."]
        lines = []
        for opt, sets in sorted(self.top_votes().items(), key=lambda kv: -len(kv[1])):
            lines.append(f"{on.get(opt, opt)} is first for: {', '.join(sets)}.")
        top_drivers = self.drivers[self.drivers["swing_points"] > 0].head(limit)
        if len(top_drivers):
            names = [cn.get(c, c) for c in top_drivers.index]
            lines.append("The disagreement is driven mostly by: " + ", ".join(names) + ".")
        return lines


def normalise(weights: Mapping[str, float], criteria: list[str]) -> tuple[np.ndarray, bool]:
    """Weights in ``criteria`` order, summing to 1; (equal weights, False) if they sum to 0."""
    w = np.array([max(float(weights.get(c, 0.0)), 0.0) for c in criteria], dtype=float)
    total = w.sum()
    if total <= 0 or not np.isfinite(total):
        return np.full(len(criteria), 1.0 / max(len(criteria), 1)), False
    return w / total, True


def rank_totals(totals: np.ndarray) -> np.ndarray:
    """Competition ranks, 1 best; totals within 1e-9 share the best rank (1, 2, 2, 4)."""
    t = np.asarray(totals, dtype=float)
    return 1 + (t[None, :] > t[:, None] + TIE_TOLERANCE).sum(axis=1)


def compare_weight_sets(values: pd.DataFrame, weight_sets: Mapping[str, Mapping[str, float]]) -> WeightSetComparison:
    """Appraise each weight set on ``values`` (options x criteria, 0-100) and compare them.

    ``weight_sets``: set name -> raw weights by criterion (a criterion a set omits weighs
    0, as in the WeightSets sheet). Sets are kept in the order given.
    """
    criteria = [str(c) for c in values.columns]
    options = [str(o) for o in values.index]
    v = values.to_numpy(dtype=float)
    v = np.where(np.isfinite(v), v, 0.0)
    names = list(weight_sets)
    notes: list[str] = []
    w_cols, t_cols, r_cols = {}, {}, {}
    for name in names:
        w, ok = normalise(weight_sets[name], criteria)
        if not ok:
            notes.append(f"weight set {name} has no positive weight; equal weights were used")
        totals = v @ w
        w_cols[name], t_cols[name], r_cols[name] = w, totals, rank_totals(totals)
    weights = pd.DataFrame(w_cols, index=criteria, columns=names)
    totals_df = pd.DataFrame(t_cols, index=options, columns=names)
    ranks_df = pd.DataFrame(r_cols, index=options, columns=names).astype("int64")
    tops = {n: [o for o in options if ranks_df.at[o, n] == 1] for n in names}

    disagreements: list[Disagreement] = []
    swing_by_criterion = pd.Series(0.0, index=criteria)
    row = {o: i for i, o in enumerate(options)}
    for a, b in combinations(names, 2):
        top_a, top_b = tops[a][0], tops[b][0]
        if top_a == top_b or top_b in tops[a] or top_a in tops[b]:
            continue  # they agree (or are tied between the same options)
        diff_v = v[row[top_a]] - v[row[top_b]]
        contrib = (w_cols[a] - w_cols[b]) * diff_v
        swing = float(contrib.sum())
        order = np.argsort(-contrib, kind="stable")
        drivers = tuple((criteria[i], float(contrib[i])) for i in order if contrib[i] > 0)
        disagreements.append(Disagreement(a, b, top_a, top_b, swing, drivers))
        swing_by_criterion += np.clip(contrib, 0.0, None)

    spread = (weights.max(axis=1) - weights.min(axis=1)) if names else pd.Series(0.0, index=criteria)
    drivers_df = pd.DataFrame({"weight_spread": spread, "swing_points": swing_by_criterion})
    drivers_df = drivers_df.sort_values(["swing_points", "weight_spread"], ascending=False, kind="stable")
    return WeightSetComparison(names, weights, totals_df, ranks_df, tops, disagreements, drivers_df, notes)
