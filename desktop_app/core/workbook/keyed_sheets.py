"""What every sheet reader shares: its columns as frames, Excel rows, repeated keys.

Each sheet of the force workbook is read by one function (:mod:`sheets`,
:mod:`option_sheets`, :mod:`criteria_sheets`, :mod:`appraisal_sheets`,
:mod:`demand_sheets`); the few steps they all take live here once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from desktop_app.core.workbook.cell_rules import Table, cell_text


def report_duplicates(t: Table, ids: list[str | None], column: str, what: str) -> None:
    """Error on every repeat of an ID, naming the row where it first appeared."""
    present = [v for v in ids if v is not None and v != ""]
    if len(set(present)) == len(present):
        return  # no repeats (the usual case): one set instead of a row-by-row walk
    first: dict[str, int] = {}
    for i, v in enumerate(ids):
        if v is None or v == "":
            continue
        if v in first:
            t.sink.error(
                t.sheet, t.row_numbers[i], column,
                f"{column} '{v}' is already used at row {first[v]}; each {what} needs a unique {column}",
                "duplicate ID",
            )
        else:
            first[v] = t.row_numbers[i]


def text_or(values: list[str | None], fallback: list[str | None]) -> list[str]:
    return [v if v else (f or "") for v, f in zip(values, fallback, strict=True)]


def text_column(values: list[str | None]) -> pd.Series:
    """A text column as every reader builds it: blank cells become "" (object dtype, not NaN)."""
    return pd.Series([v or "" for v in values], dtype=object)


def with_excel_rows(df: pd.DataFrame, t: Table) -> pd.DataFrame:
    """``df`` with the Excel row of each of its rows, so later checks can name the row."""
    df.attrs["excel_rows"] = np.asarray(t.row_numbers, dtype=np.int64)  # attrs are deep-copied: keep it an array
    return df


def int_column(arr: np.ndarray) -> np.ndarray:
    """Whole-number float column to int64 (NaN -> 0; only used once errors are ruled out)."""
    return np.nan_to_num(arr, nan=0.0).round().astype(np.int64)


def was_bad(t: Table, name: str, i: int) -> bool:
    """True when the cell held something (so a NaN read from it means wrong, not blank)."""
    pos = t.index.get(name)
    return pos is not None and (cell_text(t.raw.rows[i][pos]) != "" or (t.row_numbers[i], pos) in t.raw.bad_cells)
