"""Whether the model is consistent with last year's incidents: one verdict for the app's
"model against last year" panel and the summary's Incidents sheet.

If the model is right, incident i is reached within target with chance p_i (its area
and hour's F(T)), so the number observed within target has mean sum(p_i) and variance
sum(p_i (1 - p_i)) (a sum of independent Bernoulli trials). The observed share then
lies within 1.96 x sqrt(sum(p_i (1 - p_i))) / n of the modelled share 95 times in 100
by chance alone. A gap inside that margin is "consistent"; outside it, the model is
more optimistic or more pessimistic than chance explains. This is the usual test of
calibration-in-the-large (observed against expected events) of a probability model
(docs/measures.md#against-past-incidents).

The margin follows the number of incidents, which the fixed pass mark it replaces
("within five points") did not: that would pass 18,000 incidents four points apart,
far more than chance gives so many, and fail 41 rural incidents six points apart, well
within what chance gives so few.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from desktop_app.core.shown import difference


def chance_margin(modelled: Any) -> float:
    """The 95% chance margin of an observed share, as a share: 1.96 x sqrt(sum p(1 - p)) / n
    for the modelled chances p of the same n incidents (NaN with none)."""
    p = np.asarray(modelled, dtype=np.float64)
    if p.size == 0:
        return math.nan
    return float(1.96 * math.sqrt(float(np.sum(p * (1.0 - p)))) / p.size)


@dataclass(frozen=True)
class Verdict:
    """The check of one set of incidents (all, rural or urban), in percentage points."""

    #: "consistent", "optimistic" (the model expects more than happened) or "pessimistic".
    kind: str
    #: Modelled minus observed, of the two shares as shown to 0.1%.
    gap_points: float
    #: How far apart the two could be by chance alone (95%), in points.
    margin_points: float

    @property
    def words(self) -> str:
        """The verdict as the panel and the summary say it."""
        if self.kind == "consistent":
            return "consistent with what happened"
        return f"more {self.kind} than what happened"


def verdict(part: dict[str, Any] | None) -> Verdict | None:
    """The verdict on one part of the check (None without incidents or a margin)."""
    if not part or not part.get("incidents"):
        return None
    obs, mod, margin = (part.get(k) for k in ("observed_within_target", "modelled_within_target", "chance_margin"))
    if obs is None or mod is None or margin is None or not math.isfinite(float(margin)):
        return None
    gap = difference(100 * float(mod), 100 * float(obs))
    points = 100 * float(margin)
    if abs(gap) <= round(points, 1):
        kind = "consistent"
    else:
        kind = "optimistic" if gap > 0 else "pessimistic"
    return Verdict(kind, gap, points)
