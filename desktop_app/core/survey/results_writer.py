"""Write the collected results workbook (docs/survey.md#the-results-workbook).

Sheets: Summary (the sentences, forms read and refused), Problems (file, cell, problem),
Respondents (each respondent's normalised weights), GroupWeights (median, mean, quartiles,
range), Appraisal (each group's ranking under its median weights, and how often its
respondents put each option first), Judgements, JudgementSummary and Reasons (when any were
given), WeightSets (the force workbook's WeightSets columns, ready to paste), and a very
hidden ResultsData sheet
holding the JSON the desktop app imports. Marked on every sheet with the forms'
protective marking; text is written as text, never a formula; the write is atomic.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from desktop_app.core._io.atomic import atomic_write_bytes
from desktop_app.core.export.safe_text import TextGuard
from desktop_app.core.export.styles import BODY_PT, FONT_NAME, print_setup
from desktop_app.core.survey.collect import Collection, collection_json
from desktop_app.core.workbook import schema

RESULTS_DATA_SHEET = "ResultsData"
_BOLD = Font(name=FONT_NAME, size=BODY_PT, bold=True)
_MARK = Font(name=FONT_NAME, size=12, bold=True, color="C00000")


def _put(ws: Any, guard: TextGuard, row: int, values: Sequence[object], bold: bool = False) -> None:
    for col, v in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col)
        if isinstance(v, str):
            cell.value = guard.clean(v, ws.title, row)
            cell.data_type = "s"  # never a formula
        else:
            cell.value = v
        if bold:
            cell.font = _BOLD


def _table(wb: Workbook, guard: TextGuard, name: str, marking: str, force: str, title: str,
           header: list[str], rows: list[list[object]]) -> None:
    ws = wb.create_sheet(name)
    _put(ws, guard, 1, [title], bold=True)
    _put(ws, guard, 2, [marking])
    ws.cell(row=2, column=1).font = _MARK
    _put(ws, guard, 4, header, bold=True)
    for k, row in enumerate(rows):
        _put(ws, guard, 5 + k, row)
    for k, h in enumerate(header):
        longest = max([len(h), *(len(str(r[k])) for r in rows[:500] if k < len(r) and r[k] is not None)])
        ws.column_dimensions[get_column_letter(k + 1)].width = max(8, min(40, longest + 2))
    ws.freeze_panes = "A5"
    print_setup(ws, marking=marking, force=force, title_rows="1:4")
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def results_bytes(c: Collection) -> bytes:
    d = c.design
    guard = TextGuard()
    marking = d.marking if d is not None else schema.default("protective_marking")
    force = d.force_name if d is not None else ""
    wb = Workbook()
    ws = wb.active
    ws.title = "Summary"
    lines: list[list[object]] = [
        [f"Survey results: {force}"], [marking], [],
        ["Forms read", len(c.files)], ["Forms accepted", len(c.responses)],
        ["Forms left out (see Problems)", len(c.refused_files)],
        ["Workbook SHA-256", d.workbook_sha256 if d is not None else ""],
        ["Workbook", d.workbook_name if d is not None else ""], [],
        ["Groups"],
    ]
    lines += [[s] for s in c.sentences()]
    lines += [[], ["Weights: each respondent's points normalised through the value tree (docs/survey.md#weights); "
                   "the WeightSets sheet holds each group's median weights, rescaled to sum to 1, in the force "
                   "workbook's WeightSets columns: paste its rows into the workbook's WeightSets sheet."]]
    for k, row in enumerate(lines, start=1):
        _put(ws, guard, k, row, bold=k in (1, 10))
        for cell in ws[k]:
            cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        if len(row) == 1 and len(str(row[0])) > 30:  # a sentence: across both columns, wrapped
            ws.merge_cells(start_row=k, start_column=1, end_row=k, end_column=2)
            ws.row_dimensions[k].height = 14 * (1 + len(str(row[0])) // 110)
    ws.cell(row=2, column=1).font = _MARK
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 90
    print_setup(ws, marking=marking, force=force, title_rows=None)
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    _table(wb, guard, "Problems", marking, force, "Forms left out, and why (one line per problem)",
           ["file", "cell", "problem"], [[p.file, p.cell, p.message] for p in c.problems])
    if d is not None:
        _group_sheets(wb, guard, c, marking, force)
    data = wb.create_sheet(RESULTS_DATA_SHEET)
    text = json.dumps(collection_json(c), allow_nan=False, ensure_ascii=False, sort_keys=True)
    for k in range(0, max(1, len(text)), 30_000):
        cell = data.cell(row=1 + k // 30_000, column=1)
        cell.value = text[k:k + 30_000]
        cell.data_type = "s"
    data.sheet_state = "veryHidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _group_sheets(wb: Workbook, guard: TextGuard, c: Collection, marking: str, force: str) -> None:
    d = c.design
    assert d is not None
    ids = d.criterion_ids
    resp_rows: list[list[object]] = []
    # groups are merged ignoring case (collect._groups): find each form the same way
    by_code = {(r.group.casefold(), r.code): r.file for r in c.responses}
    gw_rows: list[list[object]] = []
    app_rows: list[list[object]] = []
    ws_rows: list[list[object]] = []
    j_rows: list[list[object]] = []
    js_rows: list[list[object]] = []
    why_rows: list[list[object]] = []
    for name, g in c.groups.items():
        w = g.weights
        for code, row in zip(w.codes, w.matrix, strict=True):
            resp_rows.append([name, code, Path(by_code.get((name.casefold(), code), "")).name, *[round(float(x), 6) for x in row]])
        for i, cid in enumerate(ids):
            gw_rows.append([name, cid, d.criterion_names.get(cid, cid), d.branch_of.get(cid, ""), w.n,
                            *(round(float(a[i]), 6) for a in (w.median, w.mean, w.q1, w.q3, w.minimum, w.maximum,
                                                              w.median_normalised))])
            if d.active[i]:
                ws_rows.append([name, cid, round(float(w.median_normalised[i]), 6)])
        for k, oid in enumerate(d.option_ids):
            app_rows.append([name, oid, d.option_names.get(oid, oid), round(float(g.totals[k]), 3), int(g.ranks[k]),
                             int(g.robustness.first_count[k]), w.n, round(float(g.robustness.first_count[k]) / w.n, 4),
                             round(float(g.robustness.respondents_first_share[k]), 4),
                             round(float(g.robustness.iqr_first_share[k]), 4)])
        ci, oi = {c: k for k, c in enumerate(ids)}, {o: k for k, o in enumerate(d.option_ids)}
        for (cid, oid), rows in g.judgements.items():
            scores = [score for _code, score, _why in rows]
            js_rows.append([name, cid, oid, round(d.values[oi[oid]][ci[cid]], 3), w.n, len(scores),
                            float(np.median(scores)), min(scores), max(scores)])
            for code, score, why in rows:
                j_rows.append([name, code, cid, oid, score, why])
        for r in g.responses:
            for block, items in r.reasons.items():
                for key, why in items.items():
                    if why:
                        why_rows.append([name, r.code, "branch" if block == "branches" else "criterion", key, why])
    _table(wb, guard, "Respondents", marking, force, "Each respondent's normalised weights (they sum to 1)",
           ["group", "respondent_code", "form", *ids], resp_rows)
    _table(wb, guard, "GroupWeights", marking, force, "Each group's weights: median, mean and interquartile range",
           ["group", "criterion_id", "criterion_name", "branch", "respondents", "median", "mean", "q1", "q3", "min",
            "max", "weight_set"], gw_rows)
    _table(wb, guard, "Appraisal", marking, force, "Each group's ranking under its median weights",
           ["group", "option_id", "option_name", "total_value", "rank", "respondents_first", "respondents",
            "share_first", "smaa_first_respondent_draws", "smaa_first_iqr_draws"], app_rows)
    if j_rows:
        _table(wb, guard, "Judgements", marking, force, "Judgement scores respondents gave (optional answers)",
               ["group", "respondent_code", "criterion_id", "option_id", "score", "reason"], j_rows)
        _table(wb, guard, "JudgementSummary", marking, force,
               "Where respondents scored an option themselves: their median beside the workshop's score",
               ["group", "criterion_id", "option_id", "workshop_score", "respondents", "scored", "median", "min",
                "max"], js_rows)
    if why_rows:
        _table(wb, guard, "Reasons", marking, force, "Why respondents weighed swings as they did (optional answers)",
               ["group", "respondent_code", "swing", "id", "reason"], why_rows)
    _table(wb, guard, "WeightSets", marking, force, "Paste these rows into the force workbook's WeightSets sheet",
           ["weight_set", "criterion_id", "weight"], ws_rows)


def write_results(c: Collection, path: str | Path) -> Path:
    return atomic_write_bytes(path, results_bytes(c))
