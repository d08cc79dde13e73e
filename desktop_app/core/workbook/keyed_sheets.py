"""What every sheet reader shares: its columns as frames, Excel rows, repeated keys.

Each sheet of the force workbook is read by one function (:mod:`sheets`,
:mod:`option_sheets`, :mod:`criteria_sheets`, :mod:`appraisal_sheets`,
:mod:`demand_sheets`), and every one takes the same steps, which live here once:
open the sheet's table reporting missing columns (:func:`open_sheet`), walk its keys
for repeats (:func:`repeats`), and build its frame with Excel rows (:func:`sheet_frame`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence

import numpy as np
import pandas as pd

from desktop_app.core.workbook import schema
from desktop_app.core.workbook.cell_rules import Table
from desktop_app.core.workbook.cell_values import cell_text
from desktop_app.core.workbook.cells import RawSheet
from desktop_app.core.workbook.findings import Findings
from desktop_app.core.workbook.near_names import near_name


def open_sheet(raw: RawSheet | None, name: str, sink: Findings, required: Sequence[str] | None = None) -> Table:
    """Sheet ``name``'s columns, each required one it lacks reported (``required`` overrides the schema's).

    A sheet that is absent or empty gets a table with no rows and no findings here:
    :func:`sheets.report_empty` reports it once, as a whole.
    """
    t = Table(raw, schema.SHEETS_BY_NAME[name], sink)
    t.report_missing(required)
    report_near_misses(t)
    return t


def report_near_misses(t: Table) -> None:
    """Warn of a heading the tool does not read that looks like an absent one it would
    (``day`` for ``days``): kept as an extra column, it would change nothing, silently."""
    absent = [c.name for c in t.spec.columns if c.name in t.missing]
    if not absent or t.raw.is_empty:
        return
    for header, _pos in t.extra_columns():
        meant = near_name(header, absent)
        if meant is not None:
            t.sink.warning(t.sheet, t.raw.header_row or None, header,
                           f"the column '{header}' is not one the tool reads, so it is ignored; if it is meant to "
                           f"be '{meant}', rename it (as it stands '{meant}' is taken as blank in every row)",
                           "column looks misspelt")


def repeats(t: Table, keys: Sequence[Hashable | None]) -> Iterator[tuple[int, int]]:
    """(row index, Excel row of the key's first use) for each row whose key an earlier row used.

    The one walk behind every "already ... at row N" finding: blank keys (None or "")
    are skipped, and the caller words the finding for its sheet.
    """
    first: dict[Hashable, int] = {}
    for i, key in enumerate(keys):
        if key is None or key == "":
            continue
        if key in first:
            yield i, first[key]
        else:
            first[key] = t.row_numbers[i]


def report_duplicates(t: Table, ids: list[str | None], column: str, what: str) -> None:
    """Error on every repeat of an ID, naming the row where it first appeared."""
    present = [v for v in ids if v is not None and v != ""]
    if len(set(present)) == len(present):
        return  # no repeats (the usual case): one set instead of a row-by-row walk
    for i, first in repeats(t, ids):
        t.sink.error(
            t.sheet, t.row_numbers[i], column,
            f"{column} '{ids[i]}' is already used at row {first}; each {what} needs a unique {column}",
            "duplicate ID",
        )


def key_column(t: Table, column: str, what: str) -> list[str | None]:
    """A keyed sheet's ID column: every cell required, every repeat an error naming its first row."""
    ids = t.text(column)
    report_duplicates(t, ids, column, what)
    return ids


def name_column(t: Table, column: str, ids: list[str | None]) -> pd.Series:
    """A keyed sheet's optional name column; a blank name shows the ID (docs/workbook-format.md#defaults)."""
    names = t.text(column, required_cells=False)
    return pd.Series([v if v else (f or "") for v, f in zip(names, ids, strict=True)], dtype=object)


def text_column(values: list[str | None]) -> pd.Series:
    """A text column as every reader builds it: blank cells become "" (object dtype, not NaN)."""
    return pd.Series([v or "" for v in values], dtype=object)


def with_excel_rows(df: pd.DataFrame, t: Table) -> pd.DataFrame:
    """``df`` with the Excel row of each of its rows, so later checks can name the row."""
    df.attrs["excel_rows"] = np.asarray(t.row_numbers, dtype=np.int64)  # attrs are deep-copied: keep it an array
    return df


def sheet_frame(t: Table, columns: Mapping[str, object]) -> pd.DataFrame:
    """A sheet's typed columns as one frame, with the Excel row of each row (:func:`with_excel_rows`)."""
    return with_excel_rows(pd.DataFrame(columns), t)


def int_column(arr: np.ndarray) -> np.ndarray:
    """Whole-number float column to int64 (NaN -> 0; only used once errors are ruled out)."""
    return np.nan_to_num(arr, nan=0.0).round().astype(np.int64)


def was_bad(t: Table, name: str, i: int) -> bool:
    """True when the cell held something (so a NaN read from it means wrong, not blank)."""
    pos = t.index.get(name)
    return pos is not None and (cell_text(t.raw.rows[i][pos]) != "" or (t.row_numbers[i], pos) in t.raw.bad_cells)


def warn_mixed_weight_scales(weight: np.ndarray, rows: list[int], sheet: str, sink: Findings) -> None:
    """Warn when a swing weight looks like a share (below 1) among weights in points.

    Weights are relative, so any scale works, but not two at once: an analyst's "30%" among
    weights of 20 and 10 was read as 0.3 and the criterion fell from 18% of the weight to
    0.3%, with only the generic "stored as text" note (docs/workbook-format.md#what-validate-checks).
    A cell formatted as a percentage in Excel holds 0.3 the same way. Only a fraction at least
    ten times below the largest weight of 2 or more is named: weights of 2 and 1, or 0.5
    beside 3, are ordinary points, and a warning on them teaches analysts to ignore it.
    """
    w = np.asarray(weight, dtype=float)
    ok = np.isfinite(w) & (w > 0)
    big_mask = ok & (w >= 2.0)
    if not np.any(big_mask):
        return
    small = np.flatnonzero(ok & (w < 1.0) & (w * 10.0 <= float(np.max(w[big_mask]))))
    if small.size == 0:
        return
    k = int(small[0])
    big = ", ".join(f"{v:g}" for v in w[big_mask][:3])
    sink.warning(sheet, int(rows[k]) if k < len(rows) else None, "weight",
                 f"the weight {w[k]:g} sits among weights of {big}: weights are relative points, so {w[k]:g} "
                 f"counts for {w[k]:g} of them; if it is a share typed as a percentage ({100 * w[k]:g}%), type "
                 f"{100 * w[k]:g}", "weights on two scales")
