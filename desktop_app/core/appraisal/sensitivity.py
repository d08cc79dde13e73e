"""One-way weight sensitivity, solved exactly (docs/appraisal-method.md#3-one-way-sensitivity-switch-points).

For criterion i, set its normalised weight to x and rescale the other weights in
proportion so they sum to 1 - x. Option j's total is then the straight line

    V_j(x) = x * v_ij + (1 - x) * R_j,   R_j = sum_{k != i} w_k v_jk / (1 - w_i)

(R_j is option j's value on the other criteria, weighted as they are now). The top
option changes only where its line is overtaken on the upper envelope of these
lines, so the switch points are found by walking the envelope from x = 0 to 1,
intersecting lines in closed form: no grid, no tolerance on x beyond rounding.

When the criterion already carries all the weight (the others weigh 0), the
"proportional" rescaling of the others is undefined; the other criteria in use then
share 1 - x equally. That is stated in the method document.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from desktop_app.core.appraisal.weighting import RANK_TOLERANCE
from desktop_app.core.results import Sensitivity

#: Points per line in the chart data (lines are straight; this just draws them).
CHART_POINTS = 101


def rest_values(values: np.ndarray, weights: np.ndarray, i: int, active: np.ndarray | None = None) -> np.ndarray:
    """R_j: each option's value on the criteria other than ``i``, weighted as now, renormalised."""
    w = np.asarray(weights, dtype=float).copy()
    w[i] = 0.0
    if w.sum() <= 0:
        mask = np.ones(w.shape, dtype=bool) if active is None else np.asarray(active, dtype=bool).copy()
        mask[i] = False
        if not mask.any():
            return np.zeros(values.shape[0])
        w = mask / mask.sum()
    else:
        w = w / w.sum()
    return np.asarray(values, dtype=float) @ w


def switch_points(slopes: np.ndarray, intercepts: np.ndarray, tol: float = RANK_TOLERANCE) -> tuple[list[float], list[int]]:
    """Walk the upper envelope of lines y_j = intercepts_j + slopes_j * x over x in [0, 1].

    Returns the x values (ascending, strictly inside [0, 1)) where the top line changes, and
    the index of the top line on each side (one more entry than switch points). Where lines
    tie at the start, the one rising fastest is taken as top (it is top just to the right);
    among identical lines the first in option order wins, matching :func:`rank_totals`.
    A tie reached exactly at x = 1 is not a switch: no weight beyond 1 exists.
    """
    a = np.asarray(intercepts, dtype=float)
    b = np.asarray(slopes, dtype=float)
    m = a.size
    if m == 0:
        return [], []

    def top_at(x: float, candidates: np.ndarray) -> int:
        y = a[candidates] + b[candidates] * x
        near = candidates[y >= y.max() - tol]
        best_slope = b[near].max()
        return int(near[b[near] >= best_slope - tol][0])

    cur = top_at(0.0, np.arange(m))
    x0 = 0.0
    points: list[float] = []
    tops = [cur]
    for _ in range(m):  # the envelope has at most m - 1 breakpoints
        faster = np.nonzero(b > b[cur] + tol)[0]
        if faster.size == 0:
            break
        xs = (a[cur] - a[faster]) / (b[faster] - b[cur])
        xs = np.maximum(xs, x0)
        x_next = float(xs.min())
        if x_next >= 1.0 - 1e-12:
            break
        cands = faster[xs <= x_next + 1e-12]
        nxt = top_at(x_next, np.concatenate(([cur], cands)))
        if nxt == cur:  # numerically tied but not overtaken
            break
        points.append(x_next)
        tops.append(nxt)
        cur, x0 = nxt, x_next
    return points, tops


def one_way(
    values: np.ndarray,
    weights: np.ndarray,
    option_ids: list[str],
    criterion_ids: list[str],
    active: np.ndarray | None = None,
    points: int = CHART_POINTS,
) -> list[Sensitivity]:
    """One :class:`Sensitivity` per criterion: exact switch points and chart lines.

    ``values`` is options x criteria (0-100), ``weights`` normalised. Criteria left out
    of the model (``active`` False) still get their chart lines, for completeness, but
    they are drawn for a criterion on which every option scores 0.
    """
    v = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    x = np.linspace(0.0, 1.0, points)
    out: list[Sensitivity] = []
    for i, cid in enumerate(criterion_ids):
        r = rest_values(v, w, i, active)
        slope = v[:, i] - r
        sw, tops = switch_points(slope, r)
        totals = r[None, :] + x[:, None] * slope[None, :]
        out.append(Sensitivity(
            criterion_id=cid,
            current_weight=float(w[i]),
            switch_points=sw,
            x=x,
            totals=pd.DataFrame(totals, index=pd.Index(x, name="weight"), columns=list(option_ids)),
            top_options=[option_ids[t] for t in tops],
        ))
    return out


def nearest_switch(s: Sensitivity) -> float | None:
    """The switch point closest to the current weight (how far the weight must move), or None."""
    if not s.switch_points:
        return None
    return min(s.switch_points, key=lambda p: abs(p - s.current_weight))
