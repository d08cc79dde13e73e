"""The record sheets of the summary workbook: Assumptions (every setting and judgement used)
and Validation (every finding), each laid out as :mod:`tables` describes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.grid import Block, Styled
from desktop_app.core.export.tables import (
    TableSpec,
    _f,
    _weights_words,
    write_table_sheet,
)
from desktop_app.core.workbook import schema

# --------------------------------------------------------------------------- Assumptions


def assumptions_sheet(ctx: ExportContext, ws: Any) -> None:
    """Every parameter used (with whether it was entered or defaulted) and every judgement."""
    p = ctx.params
    defaulted = set(getattr(p, "defaulted", ()) or ())
    rows: list[list[Any]] = []
    for name, value in p.as_rows():
        meta = schema.PARAMETERS_BY_NAME.get(name)
        source = "default" if name in defaulted else "as entered"
        if value is None:
            value = "(none)"
        rows.append([name, value, source, meta.description if meta else "Extra parameter, kept as entered."])
    run = ctx.run
    rob = getattr(run.appraisal, "robustness", None)
    rows.append(["weights_used", _weights_words(run.appraisal), "run setting", "Whose weights rank the options on the Scores sheet."])
    rows.append(["smaa_samples", int(run.samples), "run setting", "Random weightings drawn for the Robustness sheet."])
    rows.append(["seed", int(run.seed), "run setting", "Random seed: the same seed gives the same robustness figures."])
    around = run.around_weights if run.around_weights is not None else (rob.around_weights if rob else None)
    rows.append(["around_weights", "(all weightings)" if around is None else float(around), "run setting",
                 "Weights drawn within this distance of the force's weights (blank: anywhere on the simplex)."])
    rows.append(["estimated_travel_pairs", int(ctx.inputs.estimated_pairs), "computed",
                 "Site-area travel times estimated from coordinates (not in TravelTimes)."])
    styles = ["text_nowrap", "value", "text_nowrap", "text"]
    spec = TableSpec(
        "tblAssumptions", ["parameter", "value", "source", "meaning"],
        ["Setting", "Value used", "Entered, default or run setting", "What it means"],
        styles, [26, 22, 14, 90], rows, len(rows),
    )
    jrows = judgement_rows(ctx)
    jtop = spec.last_row + 3
    jspec = TableSpec(
        "tblJudgements",
        ["option_id", "criterion_id", "score", "rationale", "low", "high", "workshop_change"],
        ["Option code", "Criterion code", "Value score used (0-100)", "Why (as recorded)",
         "Lowest plausible", "Highest plausible", "Changed in the workshop (old to new: reason)"],
        ["text_nowrap", "text_nowrap", "one_dp", "text", "one_dp", "one_dp", "text"],
        [26, 22, 14, 90, 11, 11, 45], jrows, len(jrows), header_row=jtop,
    )
    blocks = [Block(jtop - 2, 1, [[Styled("Judgements: scores the workshop agreed, with their reasons", "section")]], 1)]
    write_table_sheet(
        ctx, ws, "Assumptions: every setting and judgement this appraisal used", [spec, jspec],
        extra_blocks=blocks, freeze="A4", title_rows="1:1",
    )


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


def _num(x: Any) -> str:
    try:
        return f"{float(x):g}"
    except (TypeError, ValueError):
        return str(x)


# --------------------------------------------------------------------------- Validation


def validation_sheet(ctx: ExportContext, ws: Any, extra: Sequence[Any] = ()) -> None:
    """Every finding from reading and computing, then any from writing this workbook."""
    findings = list(ctx.run.findings) + list(extra)
    rows = [[f.level, f.sheet, f.row, f.column, f.message] for f in findings]
    for r in rows:
        if r[0] == "error":
            r[0] = Styled("error", "error")
    spec = TableSpec(
        "tblValidation", ["level", "sheet", "row", "column", "message"],
        ["error or warning", "Sheet", "Excel row", "Column", "What was found"],
        ["text_nowrap", "text_nowrap", "integer", "text_nowrap", "text"],
        [10, 16, 8, 18, 110], rows, len(rows),
    )
    n_err = sum(1 for f in findings if f.level == "error")
    write_table_sheet(
        ctx, ws,
        f"Validation: {n_err} error{'s' if n_err != 1 else ''}, {len(findings) - n_err} warning{'s' if len(findings) - n_err != 1 else ''} from reading the workbook and writing this summary",
        [spec], freeze="A4",
    )
