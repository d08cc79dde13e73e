"""Swing weights mean swings: which criteria's scales moved, and the weights that keep their meaning.

docs/appraisal-method.md#scales. A swing weight is set against the range a criterion
swings across. When an added option or a judgement edit moves a local scale's end, the
same weight now buys a different swing; rescaling it by new range / old range keeps
what the room agreed (MCA manual, DCLG 2009, chapter 6: swing weights are tied to the
scales' ends). The app offers this as one undoable step; this module does the sums.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from desktop_app.core.appraisal.value_functions import Scale


@dataclass(frozen=True)
class SwingChange:
    """One criterion whose scale ends moved: before, after, and the weight that keeps its swing."""

    criterion_id: str
    old: Scale
    new: Scale
    old_weight: float
    new_weight: float

    @property
    def factor(self) -> float:
        """new range / old range (1 when either range is empty or unknown)."""
        return _ratio(self.old, self.new)


def _span(s: Scale) -> float:
    return abs(float(s.best) - float(s.worst))


def _ratio(old: Scale, new: Scale) -> float:
    a, b = _span(old), _span(new)
    if not (math.isfinite(a) and math.isfinite(b)) or a <= 0 or b <= 0:
        return 1.0
    return b / a


def swing_changes(old: Mapping[str, Scale], new: Mapping[str, Scale], weights: Mapping[str, float],
                  tol: float = 1e-9) -> list[SwingChange]:
    """The criteria whose scale ends differ (beyond ``tol``), each with w x new range / old range."""
    out: list[SwingChange] = []
    for cid, before in old.items():
        after = new.get(cid)
        if after is None:
            continue
        moved = any(not (math.isclose(float(x), float(y), rel_tol=tol, abs_tol=tol) or (math.isnan(x) and math.isnan(y)))
                    for x, y in ((before.worst, after.worst), (before.best, after.best)))
        if moved:
            w = float(weights.get(cid, 0.0))
            out.append(SwingChange(cid, before, after, w, w * _ratio(before, after)))
    return out


def describe(change: SwingChange, unit: str = "") -> str:
    """ "C2's scale now runs from 0.49 to 0.70 (was 0.49 to 0.65): keep its swing with weight 17.4 (was 12)". """
    u = f" {unit}" if unit else ""
    return (f"{change.criterion_id}'s scale now runs from {change.new.worst:.4g} to {change.new.best:.4g}{u} "
            f"(was {change.old.worst:.4g} to {change.old.best:.4g}): keep its swing with weight "
            f"{change.new_weight:.3g} (was {change.old_weight:.3g})")
