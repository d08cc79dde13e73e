"""The additive value model (docs/appraisal-method.md): value scores, weights, totals, ranks.

Everything the appraisal shows is built from one :class:`ValueModel`: a dense
options x criteria matrix of value scores 0-100, with the plausible low/high range
of each judgement score alongside. Scoring under a set of weights is then a single
matrix-vector product (:func:`score`), which is what lets the desktop sliders,
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
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from desktop_app.core.appraisal.weights_name import WORKBOOK_WEIGHTS
from desktop_app.core.model import Finding, ForceInputs
from desktop_app.core.results import Appraisal
from desktop_app.core.workbook.schema import JUDGEMENT

#: Totals closer than this are equal and share a rank (docs/appraisal-method.md#2-weights-totals-and-ranks).
RANK_TOLERANCE = 1e-9
#: Relative spread below which a criterion's option values count as all equal.
TIE_TOLERANCE = 1e-9


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


# --------------------------------------------------------------------------- value scores


@dataclass(frozen=True)
class ColumnScore:
    """Value scores for one criterion, and what (if anything) was unusual about them."""

    scores: np.ndarray
    #: "tie" (all options equal), "missing_all", "missing_some", or "" when nothing to say.
    note: str = ""
    fixed: bool = False


def value_scores(
    raw: np.ndarray,
    direction: str,
    worst: float | None = None,
    best: float | None = None,
) -> ColumnScore:
    """Score one criterion's option values 0-100 (docs/appraisal-method.md#1-value-scores-0-to-100).

    ``worst``/``best`` (NaN or None when blank) give a fixed scale; otherwise the
    scale runs from the least to the most preferred finite option value. When only
    one end is given, the other comes from the options, so a half-filled scale still
    behaves as the analyst meant on the end they did fill.
    """
    x = np.asarray(raw, dtype=float)
    higher = direction == "higher"
    missing = np.isnan(x)
    finite = np.isfinite(x)
    out = np.zeros(x.shape, dtype=float)
    if missing.all():
        return ColumnScore(out, "missing_all")

    fx = x[finite]
    worst_ok = worst is not None and not np.isnan(worst)
    best_ok = best is not None and not np.isnan(best)
    fixed = worst_ok or best_ok
    present = x[~missing]
    if np.isinf(present).all():
        all_equal = len(set(present.tolist())) == 1
    elif np.isfinite(present).all():
        scale = max(1.0, float(np.max(np.abs(fx))))
        all_equal = float(np.ptp(fx)) <= TIE_TOLERANCE * scale
    else:
        all_equal = False
    if all_equal:
        # docs/appraisal-method.md#1-value-scores-0-to-100: a criterion on which all options are equal scores 100 for every one,
        # whatever its scale (it cannot separate them; the caller warns).
        out[~missing] = 100.0
        return ColumnScore(out, "missing_some" if missing.any() else "tie", fixed)

    if fx.size:
        lo_pref = float(fx.min() if higher else fx.max())  # least preferred finite value
        hi_pref = float(fx.max() if higher else fx.min())  # most preferred finite value
    else:
        lo_pref = hi_pref = 0.0
    w0 = float(worst) if worst is not None and worst_ok else lo_pref
    b0 = float(best) if best is not None and best_ok else hi_pref
    span = b0 - w0
    if abs(span) > TIE_TOLERANCE * max(1.0, abs(b0), abs(w0)):
        with np.errstate(invalid="ignore", over="ignore"):
            out[finite] = 100.0 * (x[finite] - w0) / span
    else:
        # A zero-width scale: the finite values are all at the one known point. They
        # are the best on offer when the infinite values are worse (e.g. 12 minutes
        # against "never"), otherwise the worst.
        inf_better = bool(np.any((x == np.inf) if higher else (x == -np.inf)))
        if fixed:
            good = (x[finite] >= b0) if higher else (x[finite] <= b0)
            out[finite] = np.where(good, 100.0, 0.0)
        else:
            out[finite] = 0.0 if inf_better else 100.0
    out[x == np.inf] = 100.0 if higher else 0.0
    out[x == -np.inf] = 0.0 if higher else 100.0
    out = np.clip(out, 0.0, 100.0) + 0.0  # + 0.0 turns -0.0 into 0.0 for reports and JSON
    out[missing] = 0.0
    return ColumnScore(out, "missing_some" if missing.any() else "", fixed)


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
    A judgement missing for an option (e.g. an option added from the optimiser)
    takes the baseline's score, with a warning, so the new option is neither
    flattered nor penalised on matters of judgement until the workshop scores it.
    """
    overrides = dict(judgement_overrides or {})
    options = inputs.options
    criteria = inputs.criteria
    option_ids = [str(o) for o in options["option_id"]]
    criterion_ids = [str(c) for c in criteria["criterion_id"]]
    m, n = len(option_ids), len(criterion_ids)
    values = np.zeros((m, n))
    display = np.full((m, n), np.nan)
    low = np.zeros((m, n))
    high = np.zeros((m, n))
    active = np.ones(n, dtype=bool)
    findings: list[Finding] = []
    local: list[str] = []
    baseline = inputs.baseline_id if "baseline" in options and options["baseline"].any() else None

    judg: dict[tuple[str, str], tuple[float, float, float]] = {}
    jt = inputs.judgements
    row: Any  # itertuples rows: attribute types come from the frame, not the stubs
    if jt is not None and len(jt):
        for row in jt.itertuples(index=False):
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

    names = dict(zip(criteria["criterion_id"].astype(str), criteria["criterion_name"].astype(str), strict=True))
    for j, row in enumerate(criteria.itertuples(index=False)):
        cid = str(row.criterion_id)
        label = f"criterion {cid} ({names[cid]})"
        if row.measure == JUDGEMENT:
            for i, oid in enumerate(option_ids):
                got = judg.get((oid, cid))
                if got is None:
                    got = judg.get((baseline, cid)) if baseline is not None else None
                    if got is None:
                        got = (0.0, 0.0, 0.0)
                        findings.append(Finding("warning", "Judgements", None, "score",
                                                f"option {oid} has no judgement score on {label}; it scores 0"))
                    else:
                        findings.append(Finding("warning", "Judgements", None, "score",
                                                f"option {oid} has no judgement score on {label}; "
                                                f"it takes the baseline's score {got[0]:g} until scored"))
                s, lo, hi = (float(np.clip(v, 0.0, 100.0)) for v in got)
                values[i, j], low[i, j], high[i, j] = s, lo, hi
            display[:, j] = values[:, j]
            continue
        raw = np.array([_measure_value(measures, oid, str(row.measure)) for oid in option_ids])
        worst = float(row.worst) if pd.notna(row.worst) else None
        best = float(row.best) if pd.notna(row.best) else None
        col = value_scores(raw, str(row.direction), worst, best)
        if not col.fixed:
            local.append(cid)
        if col.note == "missing_all":
            active[j] = False
            findings.append(Finding(
                "warning", "Criteria", None, "measure",
                f"{label}: {row.measure} is undefined for every option (e.g. no rural or no urban "
                "areas); the criterion is left out and the other weights are rescaled"))
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
        values[:, j] = col.scores
        low[:, j] = high[:, j] = col.scores
        if active[j]:
            display[:, j] = col.scores

    if local:
        findings.append(Finding(
            "warning", "Criteria", None, "worst",
            f"criteria {', '.join(local)} use local scales (least to most preferred option): "
            "adding or removing an option can change their scores and reorder the others; "
            "give worst and best for a fixed scale"))
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
    )


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
                f"{prefix}criterion {cid} carries {weights[j]:.1%} of the weight but no option varies "
                "on it: it adds the same to every total and dilutes the criteria that do separate them"))
    return out


# --------------------------------------------------------------------------- appraisal

#: ``Appraisal.weights_name`` of the appraisal under the Criteria sheet's own weights: the
#: one wording every output uses (docs/summary-workbook.md#whose-weights).
CRITERIA_WEIGHTS = WORKBOOK_WEIGHTS


def appraise(
    model: ValueModel,
    weights: Mapping[str, float] | Sequence[float] | np.ndarray | None = None,
    weights_name: str = CRITERIA_WEIGHTS,
) -> Appraisal:
    """Score and rank every option under one set of raw weights -> :class:`Appraisal`.

    Sensitivity and robustness are added by :mod:`desktop_app.core.pipeline`, which
    decides how much of that work each caller needs.
    """
    raw = model.weight_vector(weights)
    s = score(model.values, raw, model.active)
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
        findings=weight_findings(model, s.weights, raw, weights_name),
    )


def group_subtotals(appraisal: Appraisal) -> pd.DataFrame:
    """Weighted value by criterion group (options x groups), for subtotal views.

    Criteria with no group are gathered under "(no group)".
    """
    weighted, groups = appraisal.weighted, appraisal.groups
    labels = [groups.get(c, "") or "(no group)" for c in weighted.columns]
    return weighted.T.groupby(labels, sort=False).sum().T
