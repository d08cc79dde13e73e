"""The appraisal's version-2 parts of the JSON results (docs/appraisal-method.md, docs/command-line.md#json-results).

``group_weights``, ``scales``, ``scenarios``, ``parameter_sensitivity`` and ``equality``,
each built from the objects the pipeline already holds. Every number goes through
:func:`json_number`, so infinite and NaN values are written as null.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from desktop_app.core.appraisal.equality import Breakdown
from desktop_app.core.appraisal.value_model import ValueModel
from desktop_app.core.appraisal.what_if import ParameterSwing, Rerun
from desktop_app.core.workbook.schema import MEASURES


def json_number(value: Any) -> float | int | None:
    """A JSON-safe number: infinite and NaN become null (docs/command-line.md#json-results)."""
    if value is None:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def scales_json(model: ValueModel | None) -> dict[str, Any]:
    """{criterion_id: {worst, best, local, value_points}} for the measured criteria, in criterion order."""
    if model is None:
        return {}
    return {
        cid: {"worst": json_number(sc.worst), "best": json_number(sc.best), "local": bool(sc.local),
              "value_points": None if sc.value_points is None
              else [[json_number(x), json_number(v)] for x, v in sc.value_points]}
        for cid in model.criterion_ids if (sc := model.scales.get(cid)) is not None
    }


def _measures(measures: Any, oid: str) -> dict[str, Any]:
    return {m: (json_number(measures.at[oid, m]) if (oid in measures.index and m in measures.columns) else None)
            for m in MEASURES}


def scenarios_json(scenarios: Mapping[str, Rerun]) -> dict[str, list[dict[str, Any]]]:
    return {
        name: [{"option_id": str(o), "measures": _measures(r.measures, str(o)),
                "total_value": json_number(r.appraisal.totals[o]), "rank": int(r.appraisal.ranks[o])}
               for o in r.appraisal.totals.index]
        for name, r in scenarios.items()
    }


def parameter_sensitivity_json(swings: Sequence[ParameterSwing]) -> list[dict[str, Any]]:
    return [{"parameter": s.parameter, "low": json_number(s.low), "high": json_number(s.high),
             "totals_low": {str(o): json_number(v) for o, v in s.totals_low.items()},
             "totals_high": {str(o): json_number(v) for o, v in s.totals_high.items()},
             "top_low": s.top_low, "top_high": s.top_high}
            for s in swings]


def equality_json(breakdown: Breakdown) -> dict[str, dict[str, dict[str, Any]]]:
    """Group values as text (they already are), coverage as numbers or null."""
    return {col: {str(g): {str(o): json_number(v) for o, v in by.items()} for g, by in groups.items()}
            for col, groups in breakdown.items()}
