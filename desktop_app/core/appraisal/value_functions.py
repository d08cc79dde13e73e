"""Piecewise-linear value functions and the scale each criterion is scored on.

docs/appraisal-method.md#value-functions. A criterion's ``value_points``
``x1:v1; x2:v2; ...`` replace the straight line between worst and best: the value is
the linear interpolation between neighbouring points and the end values beyond the
ends (MCA manual, DCLG 2009, chapter 6 on scoring: value functions need not be linear, e.g.
the first minutes saved matter more than the last).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from desktop_app.core.model import ForceInputs

ValuePoints = tuple[tuple[float, float], ...]


def interpolate(points: ValuePoints, raw: np.ndarray) -> np.ndarray:
    """Value 0-100 of each raw measure value; NaN stays NaN; +/-inf take the end values."""
    xs = np.array([p[0] for p in points], dtype=float)
    vs = np.array([p[1] for p in points], dtype=float)
    x = np.asarray(raw, dtype=float)
    out = np.interp(np.clip(np.nan_to_num(x, nan=xs[0]), xs[0], xs[-1]), xs, vs)
    out = np.where(np.isnan(x), np.nan, out)
    return out + 0.0


@dataclass(frozen=True)
class Scale:
    """What one measured criterion's 0 and 100 mean (the ``scales`` of the JSON results).

    ``worst``/``best``: the measure values scoring 0 and 100 (for value points, the x of
    the lowest and of the highest value); ``local``: True when the ends come from the
    options (they move when an option is added or removed); ``value_points`` as given.
    """

    worst: float
    best: float
    local: bool
    value_points: ValuePoints | None = None


def points_scale(points: ValuePoints) -> Scale:
    """The scale of a value function: x at its lowest value to x at its highest (first of each)."""
    vs = [v for _, v in points]
    return Scale(points[vs.index(min(vs))][0], points[vs.index(max(vs))][0], False, points)


def points_problem(points: ValuePoints) -> str | None:
    """Why ``points`` cannot be a value function (the reader's rules), or None when they can.

    At least two points, x strictly increasing, every value 0-100, all finite
    (docs/workbook-format.md: the Criteria sheet's ``value_points``).
    """
    if len(points) < 2:
        return "a value function needs at least two points"
    if not all(np.isfinite(x) and np.isfinite(v) for x, v in points):
        return "every point must be a finite number"
    if any(b[0] <= a[0] for a, b in zip(points, points[1:], strict=False)):
        return "the x of each point must be larger than the one before"
    if any(not 0 <= v <= 100 for _, v in points):
        return "every value must be between 0 and 100"
    return None


def with_value_points(inputs: ForceInputs, edits: Mapping[str, ValuePoints]) -> ForceInputs:
    """A copy of ``inputs`` whose Criteria carry the workshop's value functions for ``edits``' criteria.

    The workbook is evidence and never changed: this is how a value function set in the
    app reaches the value model, the live ranking and the summary export, exactly as if
    the Criteria sheet's ``value_points`` cell had said so. Unknown criteria are ignored.
    """
    if not edits:
        return inputs
    crit = inputs.criteria.copy()
    if "value_points" not in crit.columns:
        crit["value_points"] = None
    points = [tuple(edits[str(c)]) if str(c) in edits else p
              for c, p in zip(crit["criterion_id"], crit["value_points"], strict=True)]
    crit["value_points"] = pd.Series(points, index=crit.index, dtype=object)
    return replace(inputs, criteria=crit)
