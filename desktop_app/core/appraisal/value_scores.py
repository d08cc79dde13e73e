"""Value scores 0-100 for one criterion: straight-line scales, value functions and their warnings.

The rules are docs/appraisal-method.md#1-value-scores-0-to-100 (summarised in
:mod:`desktop_app.core.appraisal.value_model`, which builds the whole matrix from these).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from desktop_app.core.appraisal.value_functions import Scale, ValuePoints, interpolate
from desktop_app.core.model import Finding
from desktop_app.core.workbook.findings import fmt

#: Relative spread below which a criterion's option values count as all equal.
TIE_TOLERANCE = 1e-9


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


def points_scores(raw: np.ndarray, points: ValuePoints) -> ColumnScore:
    """Score one criterion through its value function (docs/appraisal-method.md#value-functions).

    Missing and all-equal values follow the same rules as a straight-line scale.
    """
    x = np.asarray(raw, dtype=float)
    missing = np.isnan(x)
    if missing.all():
        return ColumnScore(np.zeros(x.shape), "missing_all", True)
    present = x[~missing]
    out = np.nan_to_num(interpolate(points, x), nan=0.0)
    if len(set(present.tolist())) == 1:
        out[~missing] = 100.0
        return ColumnScore(out, "missing_some" if missing.any() else "tie", True)
    return ColumnScore(out, "missing_some" if missing.any() else "", True)


def scale_of(raw: np.ndarray, direction: str, worst: float | None, best: float | None) -> Scale:
    """The ends a straight-line scale ran between: given, or the least/most preferred finite option values."""
    fx = np.asarray(raw, dtype=float)
    fx = fx[np.isfinite(fx)]
    higher = direction == "higher"
    lo = float(fx.min() if higher else fx.max()) if fx.size else math.nan
    hi = float(fx.max() if higher else fx.min()) if fx.size else math.nan
    return Scale(lo if worst is None else worst, hi if best is None else best, worst is None and best is None)


#: The words every clipping warning carries, so a re-run's clippings can be picked out.
CLIPPED_WORDS = ", so it is clipped to"


def clipped_findings(label: str, measure: str, option_ids: Sequence[str], raw: np.ndarray,
                     worst: float, best: float) -> list[Finding]:
    """A warning for each option whose value lies beyond a given scale's end (its score is clipped).

    Why: a clipped option scores the same as one exactly at the end, so the scale no
    longer tells them apart and the swing weight was set for a smaller swing.
    """
    lo, hi = min(worst, best), max(worst, best)
    out: list[Finding] = []
    for oid, x in zip(option_ids, np.asarray(raw, dtype=float), strict=True):
        if math.isfinite(x) and (x < lo or x > hi):
            end, name = ((best, "best") if (x > hi) == (best > worst) else (worst, "worst"))
            out.append(Finding(
                "warning", "Criteria", None, name,
                f"{label}: option {oid}'s {measure} of {fmt(x)} is beyond the scale's {name} ({fmt(end)}){CLIPPED_WORDS} "
                f"{100 if name == 'best' else 0}; widen the scale so the swing weight covers it"))
    return out
