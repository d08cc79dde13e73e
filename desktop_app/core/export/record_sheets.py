"""The record sheets of the summary workbook: Assumptions (every setting and judgement used)
and Validation (every finding), each laid out as :mod:`tables` describes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.grid import Styled
from desktop_app.core.export.tables import (
    TableSpec,
    _f,
    write_table_sheet,
)
from desktop_app.core.shown import finite_or_none
from desktop_app.core.simulation.inputs_adapter import workbook_rate
from desktop_app.core.workbook import schema

# --------------------------------------------------------------------------- Assumptions


def assumptions_sheet(ctx: ExportContext, ws: Any) -> None:
    """Every parameter used, with its source (entered, with the workbook's note, or the
    default and where that default comes from), the run settings, and every judgement
    score with its reason: one Table, one row per assumption."""
    p = ctx.params
    defaulted = set(getattr(p, "defaulted", ()) or ())
    notes = ctx.notes("Parameters")
    rows: list[list[Any]] = []
    for name, value in p.as_rows():
        meta = schema.PARAMETERS_BY_NAME.get(name)
        if name in defaulted:
            cited = getattr(meta, "source", "") if meta else ""
            source = f"default{': ' + cited if cited else ''}"
        else:
            source = "entered in the workbook"
        if name == "armed_incidents_per_year" and value is None:
            source = _derived_rate(ctx)
        if value is None:
            value = "(none)"
        if ctx.public and name == "protective_marking":
            value = f"{value} (this public version is marked {ctx.marking})"
        rows.append(["parameter", name, value, source, notes.get(name, ""),
                     meta.description if meta else "Extra parameter, kept as entered."])
    run = ctx.run
    rob = getattr(run.appraisal, "robustness", None)
    setting = "run setting"
    rows.append([setting, "weights_used", ctx.weights_label, setting, "", "Whose weights rank the options."])
    rows.append([setting, "scenario", ctx.scenario_label, setting, "", "The scenario that is the main result."])
    rows.append([setting, "smaa_samples", int(run.samples), setting, "", "Random weightings drawn for the Robustness sheet."])
    rows.append([setting, "seed", int(run.seed), setting, "", "Random seed: the same seed gives the same robustness figures."])
    around = run.around_weights if run.around_weights is not None else (rob.around_weights if rob else None)
    rows.append([setting, "around_weights", "(all weightings)" if around is None else float(around), setting, "",
                 f"Weights drawn within this distance of {ctx.weights_label} (blank: anywhere on the simplex)."])
    rows.append(["computed", "estimated_travel_pairs", int(ctx.inputs.estimated_pairs), "computed", "",
                 "Site-area travel times estimated from coordinates (not in TravelTimes)."])
    opt_notes = ctx.notes("Options")
    for oid in ctx.option_ids:
        if opt_notes.get(oid):
            rows.append(["option note", oid, ctx.option_name(oid), "entered in the workbook", opt_notes[oid],
                         "The workbook's note on this option (e.g. how its costs were built up)."])
    for r in judgement_rows(ctx):
        oid, cid, score, why, low, high, change = r
        rng = _range_words(finite_or_none(low), finite_or_none(high))
        src = "judgement" + (f", {rng}" if rng else "") + (f"; changed in the workshop {change}" if change else "")
        rows.append(["judgement", f"{oid} / {cid}", score, src, why, f"Value score (0-100) of {ctx.option_label(oid)} on {ctx.criterion_name(cid)}."])
    styles = ["text_nowrap", "text", "value", "text", "text", "text"]
    spec = TableSpec(
        "tblAssumptions", ["kind", "item", "value", "source", "notes", "meaning"],
        ["Kind", "Setting or judgement", "Value used", "Where it came from", "Notes from the workbook", "What it means"],
        styles, [10, 22, 16, 22, 34, 40], rows, len(rows),
    )
    write_table_sheet(ctx, ws, "Assumptions: every setting and judgement this appraisal used, with its source",
                      spec, freeze="C4", title_cols=None)


def _derived_rate(ctx: ExportContext) -> str:
    """Where ``simulate`` takes its rate from when the parameter is blank: the row would
    otherwise read "(none), default" while simulate uses the Incidents rows, and a panel
    member would take it that the simulation had no demand (docs/simulation.md#parameters)."""
    rate, where = workbook_rate(ctx.inputs)
    if rate is None:
        return "default (blank): simulate needs it, as the workbook lists no incidents"
    return f"default (blank): simulate takes {rate:.4g} a year from {where}"


def judgement_rows(ctx: ExportContext) -> list[list[Any]]:
    j: pd.DataFrame = ctx.inputs.judgements
    rows: list[list[Any]] = []
    seen: set[tuple[str, str]] = set()
    ap = ctx.run.appraisal
    for _, r in j.iterrows():
        oid, cid = str(r["option_id"]), str(r["criterion_id"])
        seen.add((oid, cid))
        edit = ctx.edit_for(oid, cid)
        score = _f(r["score"])
        if oid in ap.values.index and cid in ap.values.columns:
            score = _f(ap.values.loc[oid, cid])
        rows.append([oid, cid, score, r.get("rationale", ""), _f(r.get("low")), _f(r.get("high")), _edit_words(edit)])
    for edit in ctx.judgement_edits:
        key = (str(edit.get("option_id")), str(edit.get("criterion_id")))
        if key not in seen:
            seen.add(key)
            rows.append([key[0], key[1], _f(edit.get("new_score")), "", None, None, _edit_words(edit)])
    return rows


def _edit_words(edit: dict[str, Any] | None) -> str:
    if not edit:
        return ""
    why = str(edit.get("rationale") or "").strip()
    text = f"from {_num(edit.get('old_score'))} to {_num(edit.get('new_score'))}"
    return f"{text}: {why}" if why else text


def _range_words(low: float | None, high: float | None) -> str:
    """A judgement's plausible range in words ("" when neither end is given; the reader
    takes the score as a missing end, so one end alone does not reach here)."""
    return "" if low is None and high is None else f"plausible range {_num(low)} to {_num(high)}"


def _num(x: Any) -> str:
    if x is None:
        return "?"
    try:
        return f"{float(x):g}"
    except (TypeError, ValueError):
        return str(x)


# --------------------------------------------------------------------------- Validation


def validation_sheet(ctx: ExportContext, ws: Any, extra: Sequence[Any] = ()) -> None:
    """Every finding from reading and computing, then any from writing this workbook."""
    findings = list(ctx.run.findings) + list(extra)
    rows = [[f.level, f.sheet, f.row, f.column, f.message] for f in findings]
    if ctx.public:
        from desktop_app.core.export.public import scrub_finding

        rows = [scrub_finding(ctx, r) for r in rows]
    for r in rows:
        if r[0] == "error":
            r[0] = Styled("error", "error")
    spec = TableSpec(
        "tblValidation", ["level", "sheet", "row", "column", "message"],
        ["Error or warning", "Sheet", "Excel row", "Column", "What was found"],
        ["text_nowrap", "text_nowrap", "integer", "text_nowrap", "text"],
        [10, 16, 8, 18, 88], rows, len(rows),
    )
    n_err = sum(1 for f in findings if f.level == "error")
    write_table_sheet(
        ctx, ws,
        f"Validation: {n_err} error{'s' if n_err != 1 else ''}, {len(findings) - n_err} warning{'s' if len(findings) - n_err != 1 else ''} from reading the workbook and writing this summary",
        spec, freeze="A4", title_cols=None,
    )
