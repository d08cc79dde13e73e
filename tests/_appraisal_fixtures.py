"""Hand-built ForceInputs and CoverageResult for appraisal tests (no reader or coverage needed).

Only the tables the appraisal reads are filled; the geography is a single area and
site so that the objects are valid ``ForceInputs`` all the same.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from desktop_app.core.model import ForceInputs
from desktop_app.core.results import CoverageResult, OptionCoverage
from desktop_app.core.workbook import schema
from desktop_app.core.workbook.schema import MEASURES


def make_inputs(
    option_ids: list[str],
    criteria: list[dict],
    judgements: list[tuple] = (),
    weight_sets: list[tuple] = (),
) -> ForceInputs:
    """ForceInputs with the given options (first is the baseline), criteria and judgements.

    ``criteria``: dicts with criterion_id, measure, direction, weight and optionally
    worst, best, group. ``judgements``: (option_id, criterion_id, score[, low, high]).
    ``weight_sets``: (weight_set, criterion_id, weight).
    """
    options = pd.DataFrame({
        "option_id": option_ids,
        "option_name": [f"Option {o}" for o in option_ids],
        "description": [""] * len(option_ids),
        "baseline": [i == 0 for i in range(len(option_ids))],
        "one_off_cost_gbp": 0.0,
        "annual_cost_gbp": 0.0,
        "implementation_months": 0.0,
    })
    crit = pd.DataFrame({
        "criterion_id": [c["criterion_id"] for c in criteria],
        "criterion_name": [c.get("criterion_name", c["criterion_id"]) for c in criteria],
        "measure": [c["measure"] for c in criteria],
        "direction": [c.get("direction", "higher") for c in criteria],
        "weight": [float(c["weight"]) for c in criteria],
        "worst": [float(c.get("worst", np.nan)) for c in criteria],
        "best": [float(c.get("best", np.nan)) for c in criteria],
        "group": [c.get("group", "") for c in criteria],
    })
    jrows = []
    for j in judgements:
        o, c, s, *rng = j
        lo, hi = (rng + [np.nan, np.nan])[:2]
        jrows.append({"option_id": o, "criterion_id": c, "score": float(s), "low": float(lo),
                      "high": float(hi), "rationale": "test"})
    jt = pd.DataFrame(jrows, columns=["option_id", "criterion_id", "score", "low", "high", "rationale"])
    ws = pd.DataFrame(list(weight_sets), columns=["weight_set", "criterion_id", "weight"])
    ws["weight"] = ws["weight"].astype(float)
    areas = pd.DataFrame({"area_id": ["A1"], "area_name": ["Area"], "district": ["D"],
                          "population": np.array([100], dtype=np.int64), "rurality": ["C1"],
                          "is_rural": [False], "easting": [0.0], "northing": [0.0]})
    sites = pd.DataFrame({"site_id": ["S1"], "site_name": ["Site"], "site_type": ["ARV_BASE"],
                          "easting": [0.0], "northing": [0.0]})
    deps = pd.DataFrame({"option_id": option_ids, "site_id": "S1", "asset_type": "ARV",
                         "posts": 1, "crew_size": 2, "start_hour": 0, "end_hour": 24,
                         "busy_fraction": 0.3, "mobilisation_minutes": 1.0, "site_index": 0,
                         "excel_row": range(2, 2 + len(option_ids))})
    return ForceInputs(
        source=Path("test.xlsx"), sha256="0" * 64,
        parameters=schema.parameters(force_name="Testshire", threat_level="SUBSTANTIAL"),
        areas=areas, threat=pd.DataFrame({"x": [1.0]}),
        indicators=pd.DataFrame({"indicator": ["x"], "weight": [1.0], "description": [""]}),
        sites=sites, options=options, deployments=deps, criteria=crit, judgements=jt,
        weight_sets=ws, travel_minutes=np.ones((1, 1), dtype=np.float32),
        estimated=np.zeros((1, 1), dtype=bool),
    )


def make_coverage(option_ids: list[str], measures: dict[str, list[float]]) -> CoverageResult:
    """A CoverageResult whose measures table holds the given columns (others NaN)."""
    table = pd.DataFrame(index=pd.Index(option_ids, name="option_id"), columns=list(MEASURES), dtype=float)
    for name, vals in measures.items():
        table[name] = np.asarray(vals, dtype=float)
    opts = {o: OptionCoverage(o, np.full((1, 24), 5.0), np.ones((1, 24))) for o in option_ids}
    return CoverageResult(
        target_minutes=20.0, option_ids=list(option_ids), options=opts, measures=table,
        per_area={o: pd.DataFrame({"share_hours_covered": [1.0], "median_response_minutes": [5.0],
                                   "expected_cover": [1.0]}) for o in option_ids},
        by_hour=pd.DataFrame({o: np.ones(24) for o in option_ids}),
        threat_index=np.ones(1),
    )


# The hand-worked four-option, four-criterion case (see tests/test_appraisal.py).
FOUR_OPTIONS = ["A", "B", "C", "D"]
FOUR_CRITERIA = [
    {"criterion_id": "C1", "measure": "population_coverage", "direction": "higher", "weight": 40, "group": "Benefits"},
    {"criterion_id": "C2", "measure": "whole_life_cost_gbp", "direction": "lower", "weight": 30,
     "worst": 1_000_000, "best": 0, "group": "Costs"},
    {"criterion_id": "C3", "measure": "judgement", "direction": "higher", "weight": 20, "group": "Risks"},
    {"criterion_id": "C4", "measure": "implementation_months", "direction": "lower", "weight": 10, "group": "Costs"},
]
FOUR_MEASURES = {
    "population_coverage": [0.5, 0.7, 0.9, 0.7],
    "whole_life_cost_gbp": [0, 500_000, 1_000_000, 250_000],
    "implementation_months": [0, 6, 12, 12],
}
FOUR_JUDGEMENTS = [("A", "C3", 50), ("B", "C3", 60), ("C", "C3", 50), ("D", "C3", 70)]


def four_case(weight_sets: list[tuple] = ()) -> tuple[ForceInputs, CoverageResult]:
    inputs = make_inputs(FOUR_OPTIONS, FOUR_CRITERIA, FOUR_JUDGEMENTS, weight_sets)
    return inputs, make_coverage(FOUR_OPTIONS, FOUR_MEASURES)
