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


def _unit_of(measure: str) -> str:
    from desktop_app.core.workbook import schema

    return schema.MEASURE_LABELS.get(measure, ("", ""))[1]


def format_end(value: float, unit: str, *, digits: int = 0) -> str:
    """One scale end in the units people know: 62%, 20 minutes' "20", £4.5m, £450k, £0, 12."""
    if not math.isfinite(value):
        return "never" if unit == "minutes" else "unknown"
    if unit == "share":
        return f"{value * 100:.{digits}f}%"
    if unit == "GBP":
        a = abs(value)
        sign = "-" if value < 0 else ""
        if a >= 1e6:
            return f"{sign}£{a / 1e6:.{max(1, digits + 1)}f}".rstrip("0").rstrip(".") + "m"
        if a >= 1e3:
            return f"{sign}£{a / 1e3:.0f}k"
        return f"{sign}£{a:.0f}"
    return f"{value:.{digits + (1 if abs(value) < 10 and value != round(value) else 0)}f}"


def swing_text(scale: Scale | None, measure: str) -> str:
    """What a criterion's weight swings across, in its own units (docs/appraisal-method.md#scales).

    >>> swing_text(Scale(0.62, 0.9, False), "threat_coverage")
    'from 62% to 90%'
    >>> swing_text(Scale(6e6, 0.0, False), "whole_life_cost_gbp")
    'from £6m to £0'
    >>> swing_text(Scale(60, 20, True), "p90_response_minutes")
    'from 60 to 20 minutes (local)'
    >>> swing_text(None, "judgement")
    'from 0 to 100 (judgement)'
    """
    if scale is None:
        return "from 0 to 100 (judgement)"  # the anchors of 0 and 100 are in the criterion's notes
    unit = _unit_of(measure)
    digits = 0
    # Rounded ends must not misstate the swing: keep at least three steps of the last
    # digit between them (0.491 to 0.495 is "49.1% to 49.5%", not "49% to 50%"), up to two decimals.
    span = abs(float(scale.best) - float(scale.worst)) * (100 if unit == "share" else 1)
    if unit != "GBP" and math.isfinite(span):
        while digits < 2 and span < 3 * 10 ** -digits:
            digits += 1
    worst, best = format_end(scale.worst, unit, digits=digits), format_end(scale.best, unit, digits=digits)
    suffix = {"minutes": " minutes", "FTE": " FTE", "months": " months"}.get(unit, "")
    text = f"from {worst} to {best}{suffix}"
    if scale.value_points:
        text += " (value function)"
    elif scale.local:
        text += " (local)"  # a local scale: its ends come from the options, and move with them
    return text
