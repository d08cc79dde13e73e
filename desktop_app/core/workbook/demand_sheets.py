"""Read the v2 demand sheets: Incidents and DemandProfile, and the Deployments ``days`` text.

Checked like every other sheet: one finding per bad cell naming sheet, Excel row
and column (docs/workbook-format.md). Days are read with the words of
:mod:`desktop_app.core.workbook.week`, the same ones the coverage engine uses.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from desktop_app.core.model import Parameters, empty_demand_profile, empty_incidents
from desktop_app.core.workbook.cell_rules import Table
from desktop_app.core.workbook.cells import RawSheet
from desktop_app.core.workbook.findings import Findings, report_unknown_areas
from desktop_app.core.workbook.keyed_sheets import (
    open_sheet,
    repeats,
    report_duplicates,
    text_column,
)
from desktop_app.core.workbook.schema import SHEETS_BY_NAME, parameter_key
from desktop_app.core.workbook.sheets import empty_sheet_message
from desktop_app.core.workbook.week import parse_days, parse_weekday


def _weekdays(t: Table) -> np.ndarray:
    """The ``weekday`` column as 0 (Monday) .. 6 (Sunday); -1 where blank or wrong (reported)."""
    out = np.full(t.n, -1, dtype=np.int64)
    for i, text in enumerate(t.text("weekday")):
        if not text:
            continue
        try:
            out[i] = parse_weekday(text)
        except ValueError as exc:
            t.sink.error(t.sheet, t.row_numbers[i], "weekday", str(exc), "bad weekday")
    return out


def _hours(t: Table) -> np.ndarray:
    hour = t.number("hour")
    frac = np.isfinite(hour) & (np.abs(hour - np.round(hour)) > 1e-9)
    for i in np.flatnonzero(frac):
        t.sink.error(t.sheet, t.row_numbers[i], "hour", f"{hour[i]:g} is not a whole number; expected an hour 0-23", "fractional hour")
    return np.where(np.isfinite(hour) & ~frac, np.round(np.nan_to_num(hour)), -1).astype(np.int64)


def read_days(t: Table) -> pd.Series:
    """The optional Deployments ``days`` column ("" = every day), each cell checked."""
    out: list[str] = []
    for i, text in enumerate(t.text("days", required_cells=False)):
        text = text or ""
        try:
            parse_days(text)
        except ValueError as exc:
            t.sink.error(t.sheet, t.row_numbers[i], "days", str(exc), "bad days")
        out.append(text)
    return pd.Series(out, dtype=object)


def read_incidents(raw: RawSheet | None, areas: pd.DataFrame, sink: Findings) -> pd.DataFrame:
    """The Incidents sheet (empty table without it); unknown areas are errors."""
    if raw is None or raw.is_empty:
        return empty_incidents()
    t = open_sheet(raw, "Incidents", sink)
    ids = t.text("incident_id")
    area = t.text("area_id")
    weekday = _weekdays(t)
    hour = _hours(t)
    minutes = t.number("first_armed_minutes", required_cells=False)
    grade = t.text("grade", required_cells=False)
    report_duplicates(t, ids, "incident_id", "incident")  # after the cells, in the order findings always came
    lookup: dict[str, int] = {}
    for k, a in enumerate(areas["area_id"].tolist() if "area_id" in areas.columns else []):
        lookup.setdefault(str(a), k)
    index = np.full(t.n, -1, dtype=np.int64)
    unknown: list[int] = []
    for i, a in enumerate(area):
        if not a:
            continue
        if a in lookup:
            index[i] = lookup[a]
        else:
            unknown.append(i)
    report_unknown_areas(sink, t.sheet, t.row_numbers, unknown, area, "incidents", bool(lookup))
    return pd.DataFrame({
        "incident_id": text_column(ids),
        "area_id": text_column(area),
        "grade": text_column(grade),
        "weekday": weekday,
        "hour": hour,
        "first_armed_minutes": minutes,
        "area_index": index,
        "excel_row": np.asarray(t.row_numbers, dtype=np.int64),
    })


def read_demand_profile(raw: RawSheet | None, sink: Findings) -> pd.DataFrame:
    """The DemandProfile sheet (empty table without it); an hour listed twice is an error."""
    if raw is None or raw.is_empty:
        return empty_demand_profile()
    t = open_sheet(raw, "DemandProfile", sink)
    weekday = _weekdays(t)
    hour = _hours(t)
    weight = t.number("weight")
    hours_of_week = [(d, h) if d >= 0 and h >= 0 else None for d, h in zip(weekday.tolist(), hour.tolist(), strict=True)]
    for i, first in repeats(t, hours_of_week):
        sink.error(t.sheet, t.row_numbers[i], "hour",
                   f"this hour of the week is already given at row {first}; list each weekday and hour once", "duplicate hour")
    return pd.DataFrame({"weekday": weekday, "hour": hour, "weight": weight})


def _scenario_hour_weightings(scenarios: pd.DataFrame | None) -> list[tuple[int | None, str, str]]:
    """(Excel row, scenario, mode) of each Scenarios row that sets ``hour_weighting``, its
    name matched as the reader matches it (:func:`schema.parameter_key`)."""
    if scenarios is None or len(scenarios) == 0:
        return []
    rows = scenarios.attrs.get("excel_rows", [])
    return [(int(rows[k]) if k < len(rows) else None, str(scen), str(value or "").strip().lower())
            for k, (scen, name, value) in enumerate(zip(scenarios["scenario"], scenarios["parameter"],
                                                        scenarios["value"], strict=True))
            if parameter_key(name) == "hour_weighting"]


def check_hour_weighting(params: Parameters | None, incidents: pd.DataFrame, profile: pd.DataFrame,
                         param_rows: dict[str, int], sink: Findings, scenarios: pd.DataFrame | None = None) -> None:
    """``hour_weighting`` must have the sheet it weights by, with some weight in it."""
    if params is None:
        return
    mode = params.hour_weighting
    row = param_rows.get("hour_weighting")
    if mode == "incidents" and len(incidents) == 0:
        sink.error("Parameters", row, "value",
                   "hour_weighting is incidents but the workbook has no Incidents rows; add the Incidents sheet or use flat")
    if mode != "profile" and len(profile) > 0 and all(m != "profile" for _r, _s, m in _scenario_hour_weightings(scenarios)):
        # A profile entered but not switched on: the hours weigh as hour_weighting says, not as
        # the sheet does, and nothing had said so.
        sink.warning("DemandProfile", None, None,
                     f"the DemandProfile sheet is not used: hour_weighting is {mode}; set it to profile to weight "
                     "the hours of the week by this sheet", "sheet not used")
    if mode == "profile":
        weights = profile["weight"].to_numpy(np.float64)
        # Weights that could not be read (a missing column, a blank or text cell) are errors
        # already, each at its cell; "every weight is 0" is said only of weights that were read.
        read = weights[np.isfinite(weights)]
        if len(profile) == 0:
            sink.error("Parameters", row, "value",
                       "hour_weighting is profile but the workbook has no DemandProfile rows; add the DemandProfile sheet or use flat")
        elif read.size and not (read > 0).any():
            sink.error("DemandProfile", None, "weight", "every weight is 0, so no hour of the week has any demand; give some hours a weight above 0")


def check_scenario_hour_weighting(scenarios: pd.DataFrame, incidents: pd.DataFrame, profile: pd.DataFrame,
                                  sink: Findings) -> None:
    """A scenario's ``hour_weighting`` needs the sheet it weights by, as the Parameters' does.

    Without this check the row passed ``validate`` and ``appraise`` stopped with an internal
    error when it came to re-run the scenario."""
    has_profile = len(profile) > 0 and bool((profile["weight"].to_numpy(np.float64) > 0).any())
    for r, scen, mode in _scenario_hour_weightings(scenarios):
        if mode == "incidents" and len(incidents) == 0:
            sink.error("Scenarios", r, "value", f"scenario '{scen}' weights hours by incidents but the workbook has no "
                       "Incidents rows; add the Incidents sheet or use flat")
        elif mode == "profile" and not has_profile:
            sink.error("Scenarios", r, "value", f"scenario '{scen}' weights hours by the DemandProfile sheet but the "
                       "workbook has no DemandProfile rows with a weight above 0; add them or use flat")


def check_incident_criteria(criteria: pd.DataFrame, incidents: pd.DataFrame, raw: RawSheet | None,
                            sink: Findings) -> None:
    """A criterion on ``incident_coverage`` in a workbook without incidents is left out of the
    appraisal (the measure is undefined); said at its Criteria row when the workbook is read,
    not only once ``appraise`` runs, so ``validate`` does not pass it in silence.

    An Incidents sheet present with no rows is said once: at each such criterion's row, which
    says what the sheet lacks, or with no such criterion as the sheet's own warning
    (:func:`sheets.empty_sheet_message`). It had been said four times, two of them "the workbook
    has no Incidents sheet" of a sheet that was there."""
    if len(incidents) > 0:
        return
    if raw is None:
        why = "the workbook has no Incidents sheet"
    else:
        why = "the Incidents sheet is empty" if raw.is_empty else "the Incidents sheet has headings and no data rows"
    said = False
    rows = criteria.attrs.get("excel_rows", [])
    readable = "measure" in criteria.columns and "criterion_id" in criteria.columns
    pairs: Sequence[tuple[object, object]] = (
        list(zip(criteria["criterion_id"], criteria["measure"], strict=True)) if readable else [])
    for k, (cid, measure) in enumerate(pairs):
        if str(measure) == "incident_coverage":
            sink.warning("Criteria", int(rows[k]) if k < len(rows) else None, "measure",
                         f"criterion {cid} measures incident_coverage, but {why}: the "
                         "criterion will be left out and the other weights rescaled; add last year's armed "
                         "incidents or choose another measure", "criterion cannot be measured")
            said = True
    message = None if raw is None or said else empty_sheet_message(SHEETS_BY_NAME["Incidents"], raw)
    if message is not None:
        sink.warning("Incidents", None, None, message)
