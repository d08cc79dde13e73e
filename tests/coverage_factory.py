"""Tiny hand-built ForceInputs for the coverage and optimiser tests (no reader needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from desktop_app.core.model import ForceInputs
from desktop_app.core.workbook import schema


def make_inputs(
    travel: list[list[float]] | np.ndarray,
    population: list[int],
    rural: list[bool],
    deployments: list[dict[str, object]],
    *,
    options: list[dict[str, object]] | None = None,
    threat: dict[str, list[float]] | None = None,
    weights: dict[str, float] | None = None,
    site_types: list[str] | None = None,
    **params: object,
) -> ForceInputs:
    """ForceInputs from plain lists, shaped as the reader documents in model.py.

    ``travel`` is sites x areas minutes; deployments are dicts with at least option_id,
    site_id, asset_type, posts, crew_size, start_hour, end_hour (busy_fraction and
    mobilisation_minutes default to NaN, i.e. the asset type's parameter default).
    """
    tt = np.asarray(travel, dtype=np.float32)
    n_sites, n_areas = tt.shape
    areas = pd.DataFrame(
        {
            "area_id": [f"A{i + 1}" for i in range(n_areas)],
            "area_name": [f"Area {i + 1}" for i in range(n_areas)],
            "district": ["D"] * n_areas,
            "population": np.asarray(population, dtype=np.int64),
            "rurality": ["rural" if r else "urban" for r in rural],
            "is_rural": np.asarray(rural, dtype=bool),
            "easting": np.nan,
            "northing": np.nan,
        }
    )
    threat = threat if threat is not None else {"incidents": [1.0] * n_areas}
    weights = weights if weights is not None else {k: 1.0 for k in threat}
    threat_df = pd.DataFrame({k: np.asarray(v, dtype=np.float64) for k, v in threat.items()})
    indicators = pd.DataFrame(
        {"indicator": list(weights), "weight": [float(w) for w in weights.values()], "description": ""}
    )
    sites = pd.DataFrame(
        {
            "site_id": [f"S{i + 1}" for i in range(n_sites)],
            "site_name": [f"Site {i + 1}" for i in range(n_sites)],
            "site_type": site_types or ["POLICE_STATION"] * n_sites,
            "easting": 0.0,
            "northing": 0.0,
        }
    )
    deps = pd.DataFrame(deployments)
    for col in ("busy_fraction", "mobilisation_minutes"):
        if col not in deps.columns:
            deps[col] = np.nan
    if len(deps):
        deps["site_index"] = [int(str(s)[1:]) - 1 for s in deps["site_id"]]
        deps["excel_row"] = np.arange(2, len(deps) + 2)
        for col in ("posts", "crew_size", "start_hour", "end_hour", "site_index", "excel_row"):
            deps[col] = deps[col].astype(np.int64)
        for col in ("busy_fraction", "mobilisation_minutes"):
            deps[col] = deps[col].astype(np.float64)
    else:
        deps = pd.DataFrame(
            columns=["option_id", "site_id", "asset_type", "posts", "crew_size", "start_hour",
                     "end_hour", "busy_fraction", "mobilisation_minutes", "site_index", "excel_row"]
        )
    if options is None:
        ids = list(dict.fromkeys(d["option_id"] for d in deployments)) or ["OPT0"]
        options = [{"option_id": oid} for oid in ids]
    opts = pd.DataFrame(
        [
            {
                "option_id": o["option_id"],
                "option_name": o.get("option_name", str(o["option_id"])),
                "description": o.get("description", ""),
                "baseline": bool(o.get("baseline", i == 0)),
                "one_off_cost_gbp": float(o.get("one_off_cost_gbp", 0.0)),
                "annual_cost_gbp": float(o.get("annual_cost_gbp", 0.0)),
                "implementation_months": float(o.get("implementation_months", 0.0)),
            }
            for i, o in enumerate(options)
        ]
    )
    return ForceInputs(
        source=Path("test.xlsx"),
        sha256="0" * 64,
        parameters=schema.parameters(force_name="Test", threat_level="SUBSTANTIAL", **params),
        areas=areas,
        threat=threat_df,
        indicators=indicators,
        sites=sites,
        options=opts,
        deployments=deps,
        criteria=pd.DataFrame(columns=["criterion_id", "criterion_name", "measure", "direction", "weight", "worst", "best", "group"]),
        judgements=pd.DataFrame(columns=["option_id", "criterion_id", "score", "low", "high", "rationale"]),
        weight_sets=pd.DataFrame(columns=["weight_set", "criterion_id", "weight"]),
        travel_minutes=tt,
        estimated=np.zeros_like(tt, dtype=bool),
    )


def dep(option_id: str, site_id: str, asset_type: str = "ARV", posts: int = 1, crew: int = 1,
        start: int = 0, end: int = 24, busy: float | None = None, mob: float | None = None) -> dict[str, object]:
    """One Deployments row as a dict (blank busy/mobilisation -> NaN -> asset default)."""
    return {
        "option_id": option_id, "site_id": site_id, "asset_type": asset_type, "posts": posts,
        "crew_size": crew, "start_hour": start, "end_hour": end,
        "busy_fraction": np.nan if busy is None else busy,
        "mobilisation_minutes": np.nan if mob is None else mob,
    }
