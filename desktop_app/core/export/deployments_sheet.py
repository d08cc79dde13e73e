"""The Deployments sheet: every armed deployment with the figures actually used.

For each row of the force workbook's Deployments sheet (and any option added in the
app): the busy fraction, mobilisation minutes and on-duty hours the coverage engine
used, and where each came from: the row itself, or the asset type's default parameter
(docs/summary-workbook.md#sheets-in-order). A panel can then see that the armed response
officers were assumed busy 35% of the time, not the 10% default.

``days`` (the contract's optional column) may be absent from the deployments: then every
deployment is on duty every day, as the contract says of a blank ``days``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from desktop_app.core.coverage.costs import deployment_fte
from desktop_app.core.coverage.units import active_week
from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.tables import TableSpec, _f, write_table_sheet

ASSET_WORDS = {
    "ARV": "Armed response vehicle",
    "ARMED_RESPONSE_OFFICER": "Armed response officer",
    "NEIGHBOUR_ARV": "Neighbouring force's ARV",
}
_DEFAULT_PARAM = {
    ("busy_fraction", "ARMED_RESPONSE_OFFICER"): "busy_fraction_aro",
    ("mobilisation_minutes", "ARMED_RESPONSE_OFFICER"): "mobilisation_minutes_aro",
}


def default_parameter(column: str, asset_type: str) -> str:
    """The parameter a blank ``column`` takes for ``asset_type`` (docs/workbook-format.md#defaults)."""
    return _DEFAULT_PARAM.get((column, asset_type), f"{column.split('_')[0]}_{column.split('_')[1]}_arv")


def whose_officers(asset_type: str) -> str:
    """Whose establishment a deployment's officers come from: a neighbouring force's ARV
    crews are counted apart (the Options sheet's ``neighbour_officers``), so summing the
    Officers column over an option's "force's own" rows gives its ``officers_required``
    (docs/measures.md#officers-the-forces-own-and-the-neighbours); summed over every row,
    OPT4 read 61.5 FTE against the Options sheet's 50.5."""
    return "neighbouring force's" if asset_type == "NEIGHBOUR_ARV" else "force's own"


def days_on_duty(days: Any) -> str:
    """``days`` as entered ("every day" when blank); the hours it makes are the model's
    (:func:`~desktop_app.core.coverage.units.active_week`)."""
    if days is None or (isinstance(days, float) and math.isnan(days)) or not str(days).strip():
        return "every day"
    if isinstance(days, list | tuple | set | frozenset | np.ndarray):
        return ", ".join(str(d) for d in days)
    return str(days).strip()


def _source(ctx: ExportContext, column: str, row: Mapping[Any, Any], blanks: dict[int, set[str]] | None) -> str:
    """``row`` or ``default (<parameter>)``: where a deployment's figure came from."""
    param = default_parameter(column, str(row["asset_type"]))
    raw_row: Any = row.get("excel_row")
    excel_row = int(raw_row) if raw_row is not None and not pd.isna(raw_row) else 0
    if blanks is not None and excel_row in blanks:
        return f"default ({param})" if column in blanks[excel_row] else "row"
    # Added in the app, or the workbook is no longer readable: a value equal to the
    # default is reported as the default (it is the figure used either way).
    default = getattr(ctx.params, param, None)
    value = row.get(column)
    if value is None or pd.isna(value) or (default is not None and float(value) == float(default)):
        return f"default ({param})"
    return "row"


def deployments_sheet(ctx: ExportContext, ws: Any) -> None:
    """One row per deployment: asset, where, when, and the figures used with their source."""
    deps: pd.DataFrame = ctx.inputs.deployments
    sites = ctx.inputs.sites
    site_names = dict(zip(sites["site_id"].astype(str), sites["site_name"].astype(str), strict=True))
    blanks = ctx.blank_cells("Deployments")
    notes = ctx.notes("Deployments")
    p = ctx.params
    headers = ["option_id", "option_name", "site_id", "site_name", "asset_type", "posts", "crew_size",
               "start_hour", "end_hour", "days", "hours_per_week", "busy_fraction", "busy_fraction_source",
               "mobilisation_minutes", "mobilisation_minutes_source", "officers_fte", "officers_whose", "notes"]
    labels = ["Option code", "Option name", "Site code", "Site", "Armed asset", "Units on duty at once",
              "Officers per unit", "Shift starts (hour)", "Shift ends (hour)", "Days the shift starts on",
              "Hours on duty a week", "Busy fraction used (share of time busy)", "Busy fraction from",
              "Minutes to mobilise", "Mobilisation from", "Officers (FTE)",
              "Whose officers", "Notes from the workbook"]
    styles = ["text_nowrap", "text", "text_nowrap", "text", "text", "integer", "integer", "integer", "integer",
              "text", "one_dp", "percent", "text", "one_dp", "text", "fte", "text", "text"]
    widths = [9, 14, 8, 13, 13, 7, 8, 7, 7, 9, 8, 9, 12, 9, 12, 9, 11, 30]
    rows = []
    # Hours on duty a week by the model's own rule (coverage.units.active_week, which the
    # Options sheet's officers come from), so the sheet's officers add up to them.
    week_hours = active_week(deps).sum(axis=1) if len(deps) else np.zeros(0)
    ftes = deployment_fte(deps, p, week_hours).tolist() if len(deps) else []
    for d, hours, fte in zip(deps.to_dict("records"), week_hours.tolist(), ftes, strict=True):  # plain dicts: iterrows built a Series a row
        start, end = int(d["start_hour"]), int(d["end_hour"])
        days_text = days_on_duty(d.get("days"))
        posts, crew = int(d["posts"]), int(d["crew_size"])
        excel_row = d.get("excel_row")
        note = notes.get(int(excel_row), "") if excel_row is not None and not pd.isna(excel_row) else ""
        oid = str(d["option_id"])
        rows.append([
            oid, ctx.option_name(oid), d["site_id"], site_names.get(str(d["site_id"]), ""),
            ASSET_WORDS.get(str(d["asset_type"]), str(d["asset_type"])), posts, crew, start, end,
            days_text, hours, _f(d["busy_fraction"]), _source(ctx, "busy_fraction", d, blanks),
            _f(d["mobilisation_minutes"]), _source(ctx, "mobilisation_minutes", d, blanks), fte,
            whose_officers(str(d["asset_type"])), note,
        ])
    spec = TableSpec("tblDeployments", headers, labels, styles, widths, rows, len(rows))
    write_table_sheet(
        ctx, ws, "Deployments: every armed deployment with the busy fraction, mobilisation and hours used. "
        "Officers on a neighbouring force's ARV are that force's, not in the Options sheet's officers required",
        spec,
    )  # in the title too: the sheet is too wide for A3 and its last columns print only on screen
