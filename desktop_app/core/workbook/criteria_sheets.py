"""Read the Criteria, Judgements and WeightSets sheets: what the options are scored on, and by whom.

Like every sheet reader (:mod:`sheets`), each bad cell is one finding naming sheet,
Excel row and column. The version-2 appraisal inputs (value points, CriteriaGroups,
Scenarios, Uncertainty) are read in :mod:`appraisal_sheets`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from desktop_app.core.workbook import schema
from desktop_app.core.workbook.appraisal_sheets import criteria_v2_columns
from desktop_app.core.workbook.cell_rules import Table
from desktop_app.core.workbook.cells import RawSheet
from desktop_app.core.workbook.codes import WORKBOOK_WEIGHTS
from desktop_app.core.workbook.findings import Findings
from desktop_app.core.workbook.keyed_sheets import (
    key_column,
    name_column,
    open_sheet,
    repeats,
    sheet_frame,
    text_column,
    warn_mixed_weight_scales,
    was_bad,
    with_excel_rows,
)


def read_criteria(raw: RawSheet | None, sink: Findings) -> pd.DataFrame:
    t = open_sheet(raw, "Criteria", sink, ["criterion_id", "measure", "direction", "weight"])
    ids = key_column(t, "criterion_id", "criterion")
    names = name_column(t, "criterion_name", ids)
    measure = t.code("measure")
    for i, m in enumerate(measure):
        if m in schema.LEGACY_MEASURES:
            new = schema.LEGACY_MEASURES[m]
            sink.warning(t.sheet, t.row_numbers[i], "measure",
                         f"criterion '{ids[i] or ''}' uses {m}, version 1's name for the cover allowing for busy units; "
                         f"it is read as {new} (rename the measure to {new})", "legacy measure")
            measure[i] = new
    direction = t.code("direction")
    weight = t.number("weight")
    worst = t.number("worst", required_cells=False)
    best = t.number("best", required_cells=False)
    group = t.text("group", required_cells=False)
    for i in range(t.n):
        w, b = worst[i], best[i]
        if np.isnan(w) != np.isnan(b) and not (was_bad(t, "best" if np.isnan(b) else "worst", i)):
            sink.error(t.sheet, t.row_numbers[i], "best" if np.isnan(b) else "worst",
                       "only one of worst and best is given; give both for a fixed scale, or leave both blank for a local scale", "half a scale")
        elif not np.isnan(w) and w == b:
            sink.error(t.sheet, t.row_numbers[i], "best", f"worst and best are both {w:g}; they must differ to make a scale", "empty scale")
        elif not np.isnan(w) and direction[i] in schema.DIRECTIONS and measure[i] != schema.JUDGEMENT:
            if (direction[i] == "higher") != (b > w):
                sink.warning(t.sheet, t.row_numbers[i], "best",
                             f"direction is '{direction[i]}' but best ({b:g}) is {'below' if b < w else 'above'} worst ({w:g}); "
                             "the scale follows worst and best, so check the direction", "direction disagrees with scale")
    if t.n and t.has("weight") and not np.any(np.isnan(weight)) and np.all(weight == 0):
        sink.error(t.sheet, None, "weight", "every criterion weight is 0; give at least one criterion a weight above 0")
    warn_mixed_weight_scales(weight, t.row_numbers, t.sheet, sink)
    return sheet_frame(
        t,
        {
            "criterion_id": text_column(ids),
            "criterion_name": names,
            "measure": text_column(measure),
            "direction": text_column(direction),
            "weight": weight,
            "worst": worst,
            "best": best,
            "group": text_column(group),
            **criteria_v2_columns(t, ids, measure),
        },
    )


def read_judgements(raw: RawSheet | None, sink: Findings) -> pd.DataFrame:
    t = open_sheet(raw, "Judgements", sink, ["option_id", "criterion_id", "score"])
    opt = t.text("option_id")
    crit = t.text("criterion_id")
    score = t.number("score")
    low = t.number("low", required_cells=False)
    high = t.number("high", required_cells=False)
    rationale = t.text("rationale", required_cells=False)
    for i in range(t.n):
        r = t.row_numbers[i]
        s, lo, hi = score[i], low[i], high[i]
        if not np.isnan(s):
            if not np.isnan(lo) and lo > s:
                sink.error(t.sheet, r, "low", f"low ({lo:g}) is above the score ({s:g}); expected low <= score <= high", "score outside its range")
            if not np.isnan(hi) and hi < s:
                sink.error(t.sheet, r, "high", f"high ({hi:g}) is below the score ({s:g}); expected low <= score <= high", "score outside its range")
        if np.isnan(lo) != np.isnan(hi) and not was_bad(t, "low" if np.isnan(lo) else "high", i):
            sink.warning(t.sheet, r, "low" if np.isnan(lo) else "high",
                         "only one of low and high is given; the score itself is used for the missing end", "half a range")
            if np.isnan(lo):
                low[i] = s
            else:
                high[i] = s
        if t.has("rationale") and not rationale[i]:
            sink.warning(t.sheet, r, "rationale", "no rationale is recorded; write down why the workshop gave this score", "no rationale")
    return sheet_frame(
        t,
        {
            "option_id": text_column(opt),
            "criterion_id": text_column(crit),
            "score": score,
            "low": low,
            "high": high,
            "rationale": text_column(rationale),
        },
    )


def _report_set_name_clashes(t: Table, names: Sequence[str | None]) -> None:
    """Warn of set names that differ only in case or spacing, and of a set named like the
    workbook's own weights.

    Set names are matched exactly (a group may mean two spellings apart), so "Community
    Panel" on one row made a fifth set of one criterion and took it from "Community
    panel"; and a set called "Workbook weights" read, under the ranking of that name, as
    a second, different ranking of the workbook's weights."""
    first: dict[str, tuple[str, int]] = {}
    for i, n in enumerate(names):
        if not n:
            continue
        key = " ".join(n.split()).casefold()
        if key == WORKBOOK_WEIGHTS.casefold() and key not in first:
            t.sink.warning(t.sheet, t.row_numbers[i], "weight_set",
                           f"the weight set '{n}' has the name the tool gives the Criteria sheet's weights, so two "
                           "different rankings would carry it; give the set a name of its own", "set name clash")
        if key not in first:
            first[key] = (n, t.row_numbers[i])
        elif first[key][0] != n:
            other, row = first[key]
            t.sink.warning(t.sheet, t.row_numbers[i], "weight_set",
                           f"the weight set '{n}' differs from '{other}' (row {row}) only in capitals or spaces, so "
                           "they are read as two sets; spell them alike if they are one group's weights",
                           "set name clash")
            first[key] = (n, t.row_numbers[i])  # each further spelling once


def read_weight_sets(raw: RawSheet | None, sink: Findings) -> pd.DataFrame:
    t = open_sheet(raw, "WeightSets", sink)
    name = t.text("weight_set")
    crit = t.text("criterion_id")
    weight = t.number("weight")
    for i, first in repeats(t, [(n, c) if n and c else None for n, c in zip(name, crit, strict=True)]):
        sink.error(t.sheet, t.row_numbers[i], "criterion_id",
                   f"weight set '{name[i]}' gives criterion '{crit[i]}' a weight twice (first at row {first}); keep one", "duplicate weight")
    df = pd.DataFrame(
        {
            "weight_set": text_column(name),
            "criterion_id": text_column(crit),
            "weight": weight,
        }
    )
    _report_set_name_clashes(t, name)
    for set_name in dict.fromkeys(v for v in name if v):
        w = weight[np.array([v == set_name for v in name])]
        if not np.any(np.isnan(w)) and np.all(w == 0):
            sink.error(t.sheet, None, "weight", f"every weight in the weight set '{set_name}' is 0; give at least one criterion a weight above 0")
    return with_excel_rows(df, t)
