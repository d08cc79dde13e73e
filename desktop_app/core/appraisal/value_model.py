"""The additive value model (docs/appraisal-method.md): value scores, weights, totals, ranks.

Everything the appraisal shows is built from one :class:`ValueModel`: a dense
options x criteria matrix of value scores 0-100, with the plausible low/high range
of each judgement score alongside. Scoring under a set of weights is then a single
matrix-vector product (:func:`weighting.score`), which is what lets the desktop sliders,
the one-way sensitivity lines, SMAA-2 and the stakeholder weight sets all re-use
the same arithmetic and agree to the last digit.

Rules (``docs/appraisal-method.md#1-value-scores-0-to-100`` and ``#2-weights-totals-and-ranks``):

- A computed measure scores 0-100 linearly between ``worst`` and ``best`` when the
  criterion gives them (a *fixed* scale), otherwise between the least and most
  preferred option values (a *local* scale); scores are clipped to [0, 100].
- Local scales span the finite values; an infinite value (no armed asset ever
  arrives) scores 0 on a ``lower`` criterion and 100 on a ``higher`` one.
- A criterion on which every option has the same value scores 100 for all of them
  and raises a warning: it cannot separate the options.
- Judgement scores are used exactly as the workshop entered them.
- An undefined measure (NaN: the rural gap of a force with no rural or no urban
  areas) is treated as *missing*. When every option is missing it, the criterion is
  left out (its weight is set aside and the other weights renormalised) so it does
  not distort the totals; when only some options are missing it, they score 0 (the
  cautious reading: nothing is known in their favour). Both raise a warning.
- Weights are normalised to sum to 1 over the criteria in use; total value is the
  sum of weight x value; rank 1 is the highest total and totals within 1e-9 share
  the best rank number (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from desktop_app.core.appraisal.value_functions import Scale, ValuePoints, points_scale
from desktop_app.core.appraisal.value_scores import (
    TIE_TOLERANCE,
    ColumnScore,
    clipped_findings,
    points_scores,
    scale_of,
    value_scores,
)
from desktop_app.core.appraisal.value_tree import (
    efficient_frontier as efficient_frontier,  # re-exported for the charts
)
from desktop_app.core.appraisal.value_tree import tree_weights
from desktop_app.core.appraisal.weighting import (
    RANK_TOLERANCE,
    Scored,
    normalise_weights,
    rank_totals,
    score,
)
from desktop_app.core.model import Finding, ForceInputs
from desktop_app.core.workbook.schema import JUDGEMENT

# The module once held the weighting, the per-criterion scores and the appraisal too; those
# names stay importable from here for code written against it (new code imports their homes).
__all__ = [
    "RANK_TOLERANCE", "TIE_TOLERANCE", "ColumnScore", "Scored", "ValueModel", "build_value_model",
    "clipped_findings", "dominance_findings", "dominated_pairs", "efficient_frontier",
    "normalise_weights", "points_scores", "rank_totals", "scale_of", "score", "value_scores",
]


@dataclass
class ValueModel:
    """Options x criteria value scores with everything needed to weight and rank them.

    ``values`` is what the arithmetic uses (no NaN: a criterion left out has zeros and
    ``active`` False); ``display`` is what reports show (NaN for a criterion left out).
    ``low``/``high`` hold each cell's plausible range: equal to ``values`` except for
    judgement scores the workshop gave a range for (SMAA-2 draws within it).
    """

    option_ids: list[str]
    option_names: dict[str, str]
    criterion_ids: list[str]
    criterion_names: dict[str, str]
    groups: dict[str, str]
    raw_weights: np.ndarray
    values: np.ndarray
    display: np.ndarray
    low: np.ndarray
    high: np.ndarray
    active: np.ndarray
    measures: dict[str, str]
    local_scale: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: ``benefit`` or ``cost`` per criterion, in criterion order (docs/appraisal-method.md#benefits-and-costs).
    kinds: list[str] = field(default_factory=list)
    #: Raw branch weights W_g from CriteriaGroups; None without that sheet (flat weights).
    group_weights: dict[str, float] | None = None
    #: The scale of each measured criterion (docs/appraisal-method.md#scales).
    scales: dict[str, Scale] = field(default_factory=dict)
    #: Options left out because some judgement score is missing (docs/appraisal-method.md#awaiting-scores).
    awaiting: list[str] = field(default_factory=list)

    def effective_weights(self, raw: np.ndarray, group_weights: Mapping[str, float] | None = None,
                          tree: bool = True) -> np.ndarray:
        """Normalised weights: through the value tree when there is one (and ``tree``), else flat."""
        gw = self.group_weights if group_weights is None else dict(group_weights)
        if not tree or gw is None:
            return normalise_weights(raw, self.active)
        return tree_weights(raw, [self.groups.get(c, "") for c in self.criterion_ids], gw, self.active)

    def is_benefit(self) -> np.ndarray:
        kinds = self.kinds or ["benefit"] * len(self.criterion_ids)
        return np.array([k != "cost" for k in kinds], dtype=bool)

    def values_frame(self) -> pd.DataFrame:
        """Value scores as reports show them (options x criteria; NaN = left out)."""
        return pd.DataFrame(self.display, index=pd.Index(self.option_ids, name="option_id"),
                            columns=pd.Index(self.criterion_ids, name="criterion_id"))

    def weight_vector(self, weights: Mapping[str, float] | Sequence[float] | np.ndarray | None) -> np.ndarray:
        """Raw weights in criterion order from a mapping (missing criteria weigh 0) or a vector."""
        if weights is None:
            return self.raw_weights.copy()
        if isinstance(weights, Mapping):
            unknown = [k for k in weights if k not in self.criterion_ids]
            if unknown:
                raise KeyError(f"unknown criterion {unknown[0]!r}")
            return np.array([float(weights.get(c, 0.0)) for c in self.criterion_ids], dtype=float)
        vec = np.asarray(weights, dtype=float)
        if vec.shape != (len(self.criterion_ids),):
            raise ValueError(f"expected {len(self.criterion_ids)} weights, got {vec.shape}")
        return vec

    @property
    def uncertain(self) -> bool:
        """True when some judgement score has a range (so SMAA-2 varies scores too)."""
        return bool(np.any(self.high > self.low))


def _measure_value(measures: pd.DataFrame, option_id: str, measure: str) -> float:
    if option_id not in measures.index or measure not in measures.columns:
        return float("nan")
    value: Any = measures.at[option_id, measure]  # a pandas Scalar; float() decides
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def build_value_model(
    inputs: ForceInputs,
    measures: pd.DataFrame,
    judgement_overrides: Mapping[tuple[str, str], float | tuple[float, float, float]] | None = None,
) -> ValueModel:
    """Score every option on every criterion from the computed measures and judgements.

    ``measures`` is ``CoverageResult.measures`` (indexed by option_id).
    ``judgement_overrides`` maps (option_id, criterion_id) to a new score, or to a
    (score, low, high) triple, for what-if edits made in the desktop app; the
    workbook's own range is widened if needed so that low <= score <= high.

    An option missing a judgement score (e.g. one added from the optimiser) is *awaiting
    scores*: it is left out of the model (so of the ranking, SMAA and the weight-set
    comparison) and listed in ``awaiting``, never given another option's scores.
    Why: inheriting the do-minimum's judgements once put an option that arms officers
    at four stations first on "consistency with the unarmed model"
    (docs/appraisal-method.md#awaiting-scores).
    """
    options = inputs.options
    criteria = inputs.criteria
    criterion_ids = [str(c) for c in criteria["criterion_id"]]
    n = len(criterion_ids)
    active = np.ones(n, dtype=bool)
    local: list[str] = []
    scales: dict[str, Scale] = {}
    judg = _judgement_scores(inputs.judgements, judgement_overrides or {})
    row: Any  # itertuples rows: attribute types come from the frame, not the stubs

    option_ids, awaiting, findings = _scored_options(options, criteria, judg)
    options = options[options["option_id"].astype(str).isin(option_ids)]
    m = len(option_ids)
    values = np.zeros((m, n))
    display = np.full((m, n), np.nan)
    low = np.zeros((m, n))
    high = np.zeros((m, n))

    names = dict(zip(criteria["criterion_id"].astype(str), criteria["criterion_name"].astype(str), strict=True))
    for j, row in enumerate(criteria.itertuples(index=False)):
        cid = str(row.criterion_id)
        label = f"criterion {cid} ({names[cid]})"
        if row.measure == JUDGEMENT:
            values[:, j], low[:, j], high[:, j] = _judged_scores(judg, option_ids, cid, label, findings)
            display[:, j] = values[:, j]
            continue
        raw = np.array([_measure_value(measures, oid, str(row.measure)) for oid in option_ids])
        col, scales[cid], notes = _measured_scores(row, label, option_ids, raw)
        findings += notes
        if not col.fixed and col.note != "missing_all":  # a criterion left out has no scale to speak of
            local.append(cid)
        active[j] = col.note != "missing_all"
        values[:, j] = col.scores
        low[:, j] = high[:, j] = col.scores
        if active[j]:
            display[:, j] = col.scores

    findings += _local_scale_findings(local, names)
    findings += dominance_findings(option_ids, values[:, active])

    groups = {str(c): (str(g) if pd.notna(g) else "") for c, g in zip(criteria["criterion_id"], criteria["group"] if "group" in criteria else [""] * n, strict=True)}
    return ValueModel(
        option_ids=option_ids,
        option_names=dict(zip(option_ids, options["option_name"].astype(str), strict=True)),
        criterion_ids=criterion_ids,
        criterion_names=names,
        groups=groups,
        raw_weights=criteria["weight"].to_numpy(dtype=float).copy(),
        values=values,
        display=display,
        low=low,
        high=high,
        active=active,
        measures=dict(zip(criterion_ids, criteria["measure"].astype(str), strict=True)),
        local_scale=local,
        findings=findings,
        kinds=[str(k) if k else "benefit" for k in (criteria["kind"] if "kind" in criteria else ["benefit"] * n)],
        group_weights=_group_weights(inputs),
        scales=scales,
        awaiting=awaiting,
    )


def _judgement_scores(
    judgements: pd.DataFrame | None,
    overrides: Mapping[tuple[str, str], float | tuple[float, float, float]],
) -> dict[tuple[str, str], tuple[float, float, float]]:
    """(option, criterion) -> (score, low, high): the Judgements sheet's, then the what-if edits.

    A blank low or high is the score itself; an edit giving only a score keeps the
    workbook's range, widened when needed so that low <= score <= high.
    """
    judg: dict[tuple[str, str], tuple[float, float, float]] = {}
    row: Any  # itertuples rows: attribute types come from the frame, not the stubs
    if judgements is not None and len(judgements):
        for row in judgements.itertuples(index=False):
            s = float(row.score)
            lo = float(row.low) if pd.notna(getattr(row, "low", np.nan)) else s
            hi = float(row.high) if pd.notna(getattr(row, "high", np.nan)) else s
            judg[(str(row.option_id), str(row.criterion_id))] = (s, min(lo, s), max(hi, s))
    for key, val in overrides.items():
        if isinstance(val, tuple | list):
            s, lo, hi = (float(v) for v in val)
        else:
            s = float(val)
            _, lo, hi = judg.get(key, (s, s, s))
        judg[key] = (s, min(lo, s), max(hi, s))
    return judg


def _local_scale_findings(local: Sequence[str], names: Mapping[str, str]) -> list[Finding]:
    """One warning naming the criteria on local scales, whose scores move when the options change.

    Each by its code and name ("criterion C6 (Armed officers the force must find) uses a
    local scale"), so the Data view and the summary say which criterion without a lookup.
    """
    if not local:
        return []
    which = ", ".join(f"{c} ({names.get(c, c)})" for c in local)
    said = (f"criterion {which} uses a local scale" if len(local) == 1
            else f"criteria {which} use local scales")
    return [Finding(
        "warning", "Criteria", None, "worst",
        f"{said} (least to most preferred option): "
        "adding or removing an option can change their scores and reorder the others; "
        "give worst and best for a fixed scale")]


def _judged_scores(judg: Mapping[tuple[str, str], tuple[float, float, float]], option_ids: Sequence[str], cid: str,
                   label: str, findings: list[Finding]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A judgement criterion's scores, lows and highs, clipped to 0-100, as the workshop gave them.

    An option without a score scores 0, with a warning: only when every option awaits
    scores (otherwise :func:`_scored_options` has left it out).
    """
    scored = np.zeros((len(option_ids), 3))
    for i, oid in enumerate(option_ids):
        got = judg.get((oid, cid))
        if got is None:
            got = (0.0, 0.0, 0.0)
            findings.append(Finding("warning", "Judgements", None, "score",
                                    f"option {oid} has no judgement score on {label}; it scores 0"))
        scored[i] = [float(np.clip(v, 0.0, 100.0)) for v in got]
    return scored[:, 0], scored[:, 1], scored[:, 2]


#: Why a measure is undefined for every option (docs/measures.md): said in the warning that
#: leaves its criterion out, instead of one example that fits only two of the measures.
#: incident_coverage is not here: a workbook without incidents is said at the criterion's
#: row when it is read (workbook/demand_sheets.py check_incident_criteria), so not again.
_UNDEFINED_BECAUSE = {
    "rural_coverage": "the workbook has no rural areas with residents",
    "urban_coverage": "the workbook has no urban areas with residents",
}


def _measured_scores(row: Any, label: str, option_ids: Sequence[str], raw: np.ndarray,
                     ) -> tuple[ColumnScore, Scale, list[Finding]]:
    """One measured criterion's scores, its scale, and the warnings about them (clipped, undefined, tied)."""
    findings: list[Finding] = []
    worst = float(row.worst) if pd.notna(row.worst) else None
    best = float(row.best) if pd.notna(row.best) else None
    points: ValuePoints | None = getattr(row, "value_points", None) or None
    if points:
        col = points_scores(raw, points)
        scale = points_scale(points)
    else:
        col = value_scores(raw, str(row.direction), worst, best)
        scale = scale_of(raw, str(row.direction), worst, best)
        if worst is not None and best is not None:
            findings += clipped_findings(label, str(row.measure), option_ids, raw, worst, best)
    if col.note == "missing_all":
        if str(row.measure) != "incident_coverage":  # said when read, at the criterion's row
            why = _UNDEFINED_BECAUSE.get(str(row.measure), "it cannot be worked out from this workbook")
            findings.append(Finding(
                "warning", "Criteria", None, "measure",
                f"{label}: {row.measure} is undefined for every option ({why}); the criterion is left out "
                "and the other weights are rescaled"))
    elif col.note == "missing_some":
        gone = ", ".join(o for o, v in zip(option_ids, raw, strict=True) if np.isnan(v))
        findings.append(Finding(
            "warning", "Criteria", None, "measure",
            f"{label}: {row.measure} is undefined for option(s) {gone}; they score 0 on it"))
    elif col.note == "tie":
        findings.append(Finding(
            "warning", "Criteria", None, "measure",
            f"{label}: every option has the same {row.measure}; all score 100 and it cannot "
            "separate the options"))
    return col, scale, findings


def _scored_options(options: pd.DataFrame, criteria: pd.DataFrame,
                    judg: Mapping[tuple[str, str], object]) -> tuple[list[str], list[str], list[Finding]]:
    """(scored option ids, ids awaiting scores, one warning per awaiting option)."""
    all_ids = [str(o) for o in options["option_id"]]
    jcrit = [str(c) for c, meas in zip(criteria["criterion_id"], criteria["measure"], strict=True) if meas == JUDGEMENT]
    missing = {o: [c for c in jcrit if (o, c) not in judg] for o in all_ids}
    awaiting = [o for o in all_ids if missing[o]]
    if len(awaiting) == len(all_ids):  # nothing scored at all: rank them as they are (scored 0)
        return all_ids, [], []
    findings = [Finding("warning", "Judgements", None, "score",
                        f"option {o} is awaiting scores on {', '.join(missing[o])}: it is left out of the ranking, "
                        "the robustness analysis and the weight-set comparison until the workshop scores it")
                for o in awaiting]
    return [o for o in all_ids if not missing[o]], awaiting, findings


def _group_weights(inputs: ForceInputs) -> dict[str, float] | None:
    groups = getattr(inputs, "criteria_groups", None)
    if groups is None or not len(groups):
        return None
    return {str(g): float(w) for g, w in zip(groups["group"], groups["weight"], strict=True)}


# --------------------------------------------------------------------------- warnings


def dominated_pairs(values: np.ndarray, tol: float = TIE_TOLERANCE) -> list[tuple[int, int]]:
    """(dominated, dominating) index pairs: at least as good on every criterion, better on one.

    Identical options do not dominate each other (neither is better anywhere).
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 2 or v.shape[1] == 0:
        return []
    ge = (v[None, :, :] >= v[:, None, :] - tol).all(axis=2)  # ge[i, k]: k >= i everywhere
    gt = (v[None, :, :] > v[:, None, :] + tol).any(axis=2)  # gt[i, k]: k > i somewhere
    dom = np.asarray(ge & gt)
    np.fill_diagonal(dom, False)
    return [(int(i), int(k)) for i, k in zip(*np.nonzero(dom), strict=True)]


def dominance_findings(option_ids: Sequence[str], values: np.ndarray) -> list[Finding]:
    """One warning per dominated option, naming the first option that dominates it."""
    seen: dict[int, int] = {}
    for i, k in dominated_pairs(values):
        seen.setdefault(i, k)
    return [
        Finding("warning", "Options", None, "option_id",
                f"option {option_ids[i]} is dominated by {option_ids[k]}: no better on any "
                "criterion and worse on at least one, whatever the weights")
        for i, k in sorted(seen.items())
    ]
