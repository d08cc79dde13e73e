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

The arithmetic is the appraisal engine's (:func:`desktop_app.core.appraisal.ranking.appraise`
and ``weighting.score``), so these figures agree to the last digit with the ranking table and the
summary workbook. :class:`WeightSetComparison` is the one comparison every front end
uses: the command line's one-line verdict, the Weight sets view and the summary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from desktop_app.core.appraisal.ranking import appraise
from desktop_app.core.appraisal.value_model import ValueModel
from desktop_app.core.appraisal.weighting import score
from desktop_app.core.model import Finding
from desktop_app.core.results import Appraisal


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

    def first_choices(self) -> dict[str, str]:
        """Each set's top option (the first in option order when several tie)."""
        return {n: self.tops[n][0] for n in self.set_names if self.tops[n]}

    @property
    def consensus_top(self) -> str | None:
        return self.tops[self.set_names[0]][0] if self.agree_on_top and self.set_names else None

    def top_votes(self, names: Sequence[str] | None = None) -> dict[str, list[str]]:
        """Option -> the sets that rank it first (ties count for every tied option), over
        ``names`` (default every set; the views leave out the sliders' own column)."""
        votes: dict[str, list[str]] = {}
        for name in self.set_names if names is None else names:
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


def _appraisals_from_values(
    values: pd.DataFrame, weight_sets: Mapping[str, Mapping[str, float]]
) -> dict[str, Appraisal]:
    """Appraisals of a bare value table (no ValueModel), via the engine's ``score``."""
    criteria = [str(c) for c in values.columns]
    idx = pd.Index([str(o) for o in values.index], name="option_id")
    cols = pd.Index(criteria, name="criterion_id")
    v = np.nan_to_num(values.to_numpy(dtype=float), nan=0.0)
    out: dict[str, Appraisal] = {}
    for name, raw in weight_sets.items():
        raw_vec = np.array([float(raw.get(c, 0.0)) for c in criteria])
        s = score(v, raw_vec)
        findings = []
        if not np.clip(raw_vec, 0, None).sum() > 0:
            findings.append(Finding("warning", "WeightSets", None, "weight", f"weight set {name!r}: "
                                    "no criterion in use has a positive weight; all are weighted equally"))
        out[name] = Appraisal(
            weights_name=name,
            values=pd.DataFrame(v, index=idx, columns=cols),
            weights=pd.Series(s.weights, index=cols, name="weight"),
            weighted=pd.DataFrame(v * s.weights[None, :], index=idx, columns=cols),
            totals=pd.Series(s.totals, index=idx, name="total_value"),
            ranks=pd.Series(s.ranks.astype(np.int64), index=idx, name="rank"),
            groups={},
            findings=findings,
        )
    return out


def compare_weight_sets(
    values: pd.DataFrame | ValueModel, weight_sets: Mapping[str, Mapping[str, float]],
    live: tuple[str, Appraisal] | None = None,
) -> WeightSetComparison:
    """Appraise each weight set on the same value scores and compare them.

    ``values`` is the run's ``ValueModel`` (what the app has) or a bare options x criteria
    table of value scores 0-100. ``weight_sets``: set name -> raw weights by criterion (a
    criterion a set omits weighs 0, as in the WeightSets sheet). Order is kept.

    ``live``: the sliders' own appraisal and the name to show it under, placed first as
    it stands. It is not re-appraised from its raw weights: the sliders' weights sit in
    the value tree (branch weights times shares within a branch), which a flat set's
    appraisal would drop, and the column would then disagree with the Appraisal view.
    """
    apps: dict[str, Appraisal] = {live[0]: live[1]} if live is not None else {}
    if isinstance(values, ValueModel):
        # weight sets give flat criterion weights (docs/appraisal-method.md#value-tree)
        apps.update({name: appraise(values, dict(w), name, tree=False) for name, w in weight_sets.items()})
    else:
        apps.update(_appraisals_from_values(values, weight_sets))
    return compare_appraisals(apps)


def _pairwise_contributions(appraisals: Mapping[str, Appraisal]) -> dict[tuple[str, str], list[tuple[str, float]]]:
    """For each pair of sets whose top options differ, every criterion's share of the swing.

    For two sets a and b whose tops A and B differ, criterion c contributes
    (w_a[c] - w_b[c]) x (v_A[c] - v_B[c]) to the gap between how strongly a prefers A
    over B and how strongly b does; the contributions sum exactly to that gap (see the
    module docstring). Listed largest in size first.
    """
    tops = {name: a.top_option for name, a in appraisals.items()}
    out: dict[tuple[str, str], list[tuple[str, float]]] = {}
    names = list(appraisals)
    for ia, a in enumerate(names):
        for b in names[ia + 1:]:
            ta, tb = tops[a], tops[b]
            if ta == tb:
                continue
            app_a, app_b = appraisals[a], appraisals[b]
            values = app_a.values.fillna(0.0)
            dw = app_a.weights - app_b.weights
            dv = values.loc[ta] - values.loc[tb]
            product: pd.Series = dw * dv
            contrib = product.sort_values(key=lambda s: -s.abs(), kind="stable")
            out[(a, b)] = [(str(c), float(v)) for c, v in contrib.items()]
    return out


def compare_appraisals(appraisals: Mapping[str, Appraisal]) -> WeightSetComparison:
    """Side-by-side comparison of appraisals of the same options (e.g. ``run.weight_sets``)."""
    names = list(appraisals)
    notes: list[str] = []
    if not names:
        empty = pd.DataFrame()
        return WeightSetComparison([], empty, empty, empty, {}, [],
                                   pd.DataFrame(columns=["weight_spread", "swing_points"]))
    first = appraisals[names[0]]
    options = [str(o) for o in first.totals.index]
    criteria = [str(c) for c in first.weights.index]
    for name, app in appraisals.items():
        if any("no criterion in use has a positive weight" in f.message for f in app.findings):
            notes.append(f"weight set {name} has no positive weight; equal weights were used")
    weights = pd.DataFrame({n: appraisals[n].weights.reindex(criteria).to_numpy() for n in names},
                           index=criteria, columns=names)
    totals = pd.DataFrame({n: appraisals[n].totals.reindex(options).to_numpy() for n in names},
                          index=options, columns=names)
    ranks = pd.DataFrame({n: appraisals[n].ranks.reindex(options).to_numpy() for n in names},
                         index=options, columns=names).astype("int64")
    tops = {n: [o for o in options if ranks.at[o, n] == 1] for n in names}

    disagreements: list[Disagreement] = []
    swing = pd.Series(0.0, index=criteria)
    for (a, b), contrib in _pairwise_contributions(appraisals).items():
        top_a, top_b = appraisals[a].top_option, appraisals[b].top_option
        if top_b in tops[a] or top_a in tops[b]:
            continue  # tied at the top between the same options: no real disagreement
        total = float(sum(p for _, p in contrib))
        positive = tuple(sorted(((c, p) for c, p in contrib if p > 0), key=lambda cp: -cp[1]))
        disagreements.append(Disagreement(a, b, top_a, top_b, total, positive))
        for c, p in positive:
            swing[c] += p
    spread = weights.max(axis=1) - weights.min(axis=1)
    drivers = pd.DataFrame({"weight_spread": spread, "swing_points": swing})
    drivers = drivers.sort_values(["swing_points", "weight_spread"], ascending=False, kind="stable")
    return WeightSetComparison(names, weights, totals, ranks, tops, disagreements, drivers, notes)
