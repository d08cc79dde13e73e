"""Build small force workbooks for tests: a valid one, then break what you need.

Usage::

    sheets = base_sheets()                    # dict: sheet name -> rows (header first)
    sheets["Areas"][2][3] = -5                # population of the second area
    path = make_workbook(tmp_path, sheets)    # or make_workbook(tmp_path, {"Areas": rows})

The base force is tiny but complete, so hand-computed expectations are easy:

- 4 areas (2 urban C1, 2 rural E2) with coordinates; 2 threat indicators;
- 3 sites: an ARV base, a police station and a neighbour base;
- TravelTimes for 8 of the 12 site-area pairs: the other 4 (site S3) are estimated;
- 3 options (OPT0 is the baseline), 4 deployments;
- 3 criteria (one judgement) with judgements for every option; 2 weight sets.
"""

from __future__ import annotations

import copy
from pathlib import Path

import openpyxl

_BASE: dict[str, list[list[object]]] = {
    "Parameters": [
        ["parameter", "value", "notes"],
        ["force_name", "Testshire Police", ""],
        ["threat_level", "SUBSTANTIAL", ""],
        ["target_minutes", 20, ""],
        ["protective_marking", "OFFICIAL", ""],
    ],
    "Areas": [
        ["area_id", "area_name", "district", "population", "rurality", "easting", "northing"],
        ["A1", "Town centre", "North", 1500, "C1", 400000, 300000],
        ["A2", "Town east", "North", 1200, "C1", 403000, 300000],
        ["A3", "Hill villages", "South", 800, "E2", 410000, 290000],
        ["A4", "Far hamlets", "South", 500, "E2", 420000, 280000],
    ],
    "Threat": [
        ["area_id", "firearms_incidents", "violence_rate"],
        ["A1", 10, 50],
        ["A2", 5, 20],
        ["A3", 2, 10],
        ["A4", 0, 5],
    ],
    "ThreatIndicators": [
        ["indicator", "weight", "description"],
        ["firearms_incidents", 2, "Firearms incidents, 3 years"],
        ["violence_rate", 1, "Violence per 1,000"],
    ],
    "Sites": [
        ["site_id", "site_name", "site_type", "easting", "northing"],
        ["S1", "Town ARV base", "ARV_BASE", 400000, 300000],
        ["S2", "Hill station", "POLICE_STATION", 410000, 290000],
        ["S3", "Neighbour base", "NEIGHBOUR_BASE", 430000, 280000],
    ],
    "TravelTimes": [
        ["site_id", "area_id", "minutes"],
        ["S1", "A1", 2],
        ["S1", "A2", 6],
        ["S1", "A3", 18],
        ["S1", "A4", 30],
        ["S2", "A1", 17],
        ["S2", "A2", 15],
        ["S2", "A3", 3],
        ["S2", "A4", 14],
    ],
    "Options": [
        ["option_id", "option_name", "description", "baseline", "one_off_cost_gbp", "annual_cost_gbp", "implementation_months"],
        ["OPT0", "Do minimum", "Current cover", True, 0, 0, 0],
        ["OPT1", "Arm hill station", "Armed response officers at S2", False, 50000, 120000, 6],
        ["OPT2", "Neighbour cover", "Neighbour ARV at S3", False, 0, 80000, 3],
    ],
    "Deployments": [
        ["option_id", "site_id", "asset_type", "posts", "crew_size", "start_hour", "end_hour", "busy_fraction", "mobilisation_minutes"],
        ["OPT0", "S1", "ARV", 1, 2, 0, 24, None, None],
        ["OPT1", "S1", "ARV", 1, 2, 0, 24, None, None],
        ["OPT1", "S2", "ARMED_RESPONSE_OFFICER", 2, 1, 22, 6, 0.2, 4],
        ["OPT2", "S3", "NEIGHBOUR_ARV", 1, 2, 0, 24, 0.5, None],
    ],
    "Criteria": [
        # kind (v2) marks the cost criterion; a version-1 workbook has no kind column, and
        # tests/test_response_model.py drops it to check the warning that brings.
        ["criterion_id", "criterion_name", "measure", "direction", "weight", "worst", "best", "group", "kind"],
        ["C1", "Threat covered", "threat_coverage", "higher", 50, None, None, "Benefits", None],
        ["C2", "Cost", "whole_life_cost_gbp", "lower", 30, None, None, "Costs", "cost"],
        ["C3", "Community confidence", "judgement", "higher", 20, None, None, "Risks", None],
    ],
    "Judgements": [
        ["option_id", "criterion_id", "score", "rationale", "low", "high"],
        ["OPT0", "C3", 70, "No change", 60, 80],
        ["OPT1", "C3", 40, "Visible arming locally", 20, 60],
        ["OPT2", "C3", 60, "Cover from outside", None, None],
    ],
    "WeightSets": [
        ["weight_set", "criterion_id", "weight"],
        ["Community panel", "C1", 20],
        ["Community panel", "C3", 60],
        ["Finance", "C2", 70],
        ["Finance", "C1", 30],
    ],
}


def base_sheets() -> dict[str, list[list[object]]]:
    """A fresh, deep copy of the valid base force (header row first in every sheet)."""
    return copy.deepcopy(_BASE)


def make_workbook(
    tmp_path: Path,
    overrides: dict[str, list[list[object]]] | None = None,
    drop_sheets: tuple[str, ...] | list[str] = (),
    name: str = "force.xlsx",
) -> Path:
    """Write the base force, with whole sheets replaced by ``overrides``, to ``tmp_path/name``.

    ``overrides`` may also add sheets the base does not have. Pass the result of
    :func:`base_sheets` (mutated) as ``overrides`` to change single cells.
    """
    sheets = base_sheets()
    for sheet, rows in (overrides or {}).items():
        sheets[sheet] = rows
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet, rows in sheets.items():
        if sheet in drop_sheets:
            continue
        ws = wb.create_sheet(sheet)
        for row in rows:
            ws.append(list(row))
    path = Path(tmp_path) / name
    wb.save(path)
    return path
