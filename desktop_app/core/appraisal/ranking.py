"""Score and rank every option under one set of weights: an :class:`Appraisal`, with its warnings.

Built on the value model (:mod:`desktop_app.core.appraisal.value_model`) and the one
weighting arithmetic (:mod:`desktop_app.core.appraisal.weighting`); sensitivity and
robustness are added by :mod:`desktop_app.core.pipeline`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from desktop_app.core.appraisal.value_scores import TIE_TOLERANCE
from desktop_app.core.appraisal.value_tree import benefit_values, group_shares, lost_branches
from desktop_app.core.appraisal.weighting import Scored, rank_totals, score
from desktop_app.core.appraisal.weights_name import WORKBOOK_WEIGHTS
from desktop_app.core.model import Finding
from desktop_app.core.results import Appraisal
from desktop_app.core.shown import percent

if TYPE_CHECKING:
    from desktop_app.core.appraisal.value_model import ValueModel

#: ``Appraisal.weights_name`` of the appraisal under the Criteria sheet's own weights: the
#: one wording every output uses (docs/summary-workbook.md#whose-weights).
CRITERIA_WEIGHTS = WORKBOOK_WEIGHTS


def weight_findings(model: ValueModel, weights: np.ndarray, raw: np.ndarray, name: str) -> list[Finding]:
    """Warnings that depend on the weights: weight on a criterion no option varies on, no weight at all."""
    sheet = "Criteria" if name == CRITERIA_WEIGHTS else "WeightSets"
    prefix = "" if name == CRITERIA_WEIGHTS else f"weight set {name!r}: "
    out: list[Finding] = []
    raw_active = np.where(model.active, np.clip(raw, 0, None), 0.0)
    if not raw_active.sum() > 0:
        out.append(Finding("warning", sheet, None, "weight",
                           f"{prefix}no criterion in use has a positive weight; all are weighted equally"))
    spread = np.ptp(model.values, axis=0) if model.values.size else np.zeros(len(model.criterion_ids))
    for j, cid in enumerate(model.criterion_ids):
        if model.active[j] and weights[j] > 0 and spread[j] <= TIE_TOLERANCE * 100:
            out.append(Finding(
                "warning", sheet, None, "weight",
                f"{prefix}criterion {cid} carries {percent(weights[j], 1)} of the weight but no option varies "
                "on it: it adds the same to every total and dilutes the criteria that do separate them"))
    return out


def appraise(
    model: ValueModel,
    weights: Mapping[str, float] | Sequence[float] | np.ndarray | None = None,
    weights_name: str = CRITERIA_WEIGHTS,
    *,
    group_weights: Mapping[str, float] | None = None,
    tree: bool = True,
) -> Appraisal:
    """Score and rank every option under one set of raw weights -> :class:`Appraisal`.

    With a value tree (and ``tree``; weight sets pass False: they give flat weights)
    the criterion weights are shared within their branches and ``group_weights``
    (default: the CriteriaGroups sheet's) weight the branches. Sensitivity and
    robustness are added by :mod:`desktop_app.core.pipeline`, which decides how much
    of that work each caller needs.
    """
    raw = model.weight_vector(weights)
    gw = model.group_weights if group_weights is None else dict(group_weights)
    use_tree = tree and gw is not None
    if use_tree:
        w = model.effective_weights(raw, gw)
        totals = np.asarray(model.values, dtype=float) @ w
        s = Scored(w, totals, rank_totals(totals))
    else:
        s = score(model.values, raw, model.active)
    benefit = benefit_values(model.values, s.weights, model.is_benefit())
    idx = pd.Index(model.option_ids, name="option_id")
    cols = pd.Index(model.criterion_ids, name="criterion_id")
    wser = pd.Series(s.weights, index=cols, name="weight")
    values = model.values_frame()
    weighted = pd.DataFrame(model.values * s.weights[None, :], index=idx, columns=cols)
    return Appraisal(
        weights_name=weights_name,
        values=values,
        weights=wser,
        weighted=weighted,
        totals=pd.Series(s.totals, index=idx, name="total_value"),
        ranks=pd.Series(s.ranks.astype(np.int64), index=idx, name="rank"),
        groups=dict(model.groups),
        findings=weight_findings(model, s.weights, raw, weights_name) + (
            _lost_branch_findings(model, raw, gw) if use_tree and gw is not None else []),
        group_weights=group_shares(gw) if use_tree and gw is not None else {},
        benefit_value=None if benefit is None else pd.Series(benefit, index=idx, name="benefit_value"),
    )


def _lost_branch_findings(model: ValueModel, raw: np.ndarray, gw: Mapping[str, float]) -> list[Finding]:
    groups = [model.groups.get(c, "") for c in model.criterion_ids]
    return [Finding("warning", "CriteriaGroups", None, "weight",
                    f"branch '{g}' has a weight but its criteria weigh nothing, so its share of the weight is "
                    "lost and the totals are out of less than 100")
            for g in lost_branches(raw, groups, gw, model.active)]


def group_subtotals(appraisal: Appraisal) -> pd.DataFrame:
    """Weighted value by criterion group (options x groups), for subtotal views.

    Criteria with no group are gathered under "(no group)".
    """
    weighted, groups = appraisal.weighted, appraisal.groups
    labels = [groups.get(c, "") or "(no group)" for c in weighted.columns]
    return weighted.T.groupby(labels, sort=False).sum().T
