"""Turn raw cells into typed columns, reporting every bad cell by sheet, row and column.

The reader reads each schema column through :class:`Table`, which finds the
column by its normalised header, converts every cell to the column's kind and
checks its range, and files a :class:`Finding` for each cell that is wrong,
saying what it holds and what is expected. Bad cells become ``NaN``/``None`` so
the cross-sheet checks can carry on and report everything in one pass.

Numbers stored as text (``"1,200"``, ``" 12 "``, ``"£5,000"``, ``"30%"``) are
accepted because their meaning is unambiguous, with one warning per column;
booleans, dates and Excel error values where a number belongs are errors.
What a cell means is :mod:`cell_values`; collecting and wording the findings is
:mod:`findings`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import cast

import numpy as np

from desktop_app.core.workbook.cell_values import (
    cell_text,
    non_finite_name,
    parse_number_text,
    unusable,
)
from desktop_app.core.workbook.cells import RawSheet
from desktop_app.core.workbook.findings import Findings, describe, expected_text, fmt
from desktop_app.core.workbook.schema import Column, Kind, Sheet, normalise_header
from desktop_app.core.workbook.sheet_xml import col_letters

#: Largest whole number accepted anywhere (populations, posts, hours): far above any real
#: value, and small enough to be held exactly as int64 and float64.
MAX_WHOLE_NUMBER = 10**12

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


class Table:
    """One sheet's schema columns, located by normalised header and read with checks."""

    def __init__(self, raw: RawSheet | None, spec: Sheet, sink: Findings, label: str | None = None) -> None:
        self.raw = raw or RawSheet(spec.name)
        self.spec = spec
        self.sink = sink
        self.sheet = label or spec.name
        self.n = len(self.raw.rows)
        self.row_numbers = self.raw.row_numbers
        self.index: dict[str, int] = {}
        self.missing: set[str] = set()
        positions: dict[str, list[int]] = {}
        for pos, header in enumerate(self.raw.headers):
            key = normalise_header(header)
            if key:
                positions.setdefault(key, []).append(pos)
        self.positions = positions
        for key, where in positions.items():
            if len(where) > 1:
                cols = ", ".join(col_letters(p) for p in where)
                sink.error(
                    self.sheet,
                    self.raw.header_row or 1,
                    key,
                    f"the column heading '{self.raw.headers[where[0]]}' appears {len(where)} times "
                    f"(columns {cols}); each column heading must be unique, so delete or rename the copies",
                )
        for col in spec.columns:
            found = positions.get(normalise_header(col.name))
            if found:
                self.index[col.name] = found[0]
            else:
                self.missing.add(col.name)

    def report_missing(self, required: Sequence[str] | None = None) -> None:
        """Report required columns that are absent (``required`` overrides the schema's list)."""
        if self.raw.is_empty:
            return  # a missing or empty sheet is reported once, as a whole
        names = required if required is not None else [c.name for c in self.spec.columns if c.required]
        # A merged heading cell keeps only its first cell's text: the analyst sees the heading
        # and is told it is missing (docs/workbook-format.md#what-validate-checks).
        merges = self.raw.header_merges
        merged = (f"; the heading row {self.raw.header_row} has merged cells ({', '.join(merges[:3])}), and a "
                  "merged cell holds one heading only: unmerge them and type each heading in a cell of its own"
                  if merges else "")
        for name in names:
            if name in self.missing:
                col = self.spec.column(name)
                self.sink.error(
                    self.sheet,
                    self.raw.header_row if merges else None,
                    name,
                    f"the required column '{name}' is missing; add a column headed '{name}' "
                    f"holding {expected_text(col)} ({col.description.rstrip('.')}){merged}",
                )

    def has(self, name: str) -> bool:
        return name in self.index

    def extra_columns(self) -> list[tuple[str, int]]:
        """Header and position of columns the schema does not define (kept as they are)."""
        known = {normalise_header(c.name) for c in self.spec.columns}
        return [
            (h, p)
            for p, h in enumerate(self.raw.headers)
            if h and normalise_header(h) not in known and self.positions[normalise_header(h)][0] == p
        ]

    def values(self, pos: int) -> list[object]:
        return [row[pos] for row in self.raw.rows]

    def _bad(self, i: int, pos: int) -> str | None:
        if not self.raw.bad_cells:
            return None
        return self.raw.bad_cells.get((self.row_numbers[i], pos))

    # -- text and codes -------------------------------------------------------------

    def text(self, name: str, *, required_cells: bool = True, col: Column | None = None) -> list[str | None]:
        """Text cells (stripped); ``None`` where blank-but-required or unreadable."""
        col = col or self.spec.column(name)
        pos = self.index.get(name)
        if pos is None:
            return [None] * self.n
        vals = self.values(pos)
        if all(type(v) is str for v in vals):
            out: list[str | None] = [cast(str, v).strip() for v in vals]
        else:
            out = [cell_text(v) for v in vals]
        if self.raw.bad_cells:
            for i in range(self.n):
                bad = self._bad(i, pos)
                if bad:
                    self.sink.error(self.sheet, self.row_numbers[i], name, f"holds {bad}; expected {expected_text(col)}", "unreadable cell")
                    out[i] = None
        if required_cells and "" in out:  # membership first: nearly always no blank at all
            for i in [k for k, t in enumerate(out) if t == ""]:
                self.sink.error(self.sheet, self.row_numbers[i], name, f"is blank; expected {expected_text(col)} ({col.description.rstrip('.')})", "blank cell")
                out[i] = None
        return out

    def code(self, name: str, *, required_cells: bool = True, keep_entered: bool = False) -> list[str | None]:
        """Coded cells matched case-insensitively; the canonical code (or the entered text)."""
        col = self.spec.column(name)
        canon = {c.lower(): c for c in col.codes}
        seen: dict[str, str | None] = {}  # entered text -> code: a few distinct values, many rows
        out: list[str | None] = []
        for i, t in enumerate(self.text(name, required_cells=required_cells)):
            if t is None or t == "":
                out.append(None if required_cells or t is None else "")
                continue
            if t in seen:
                hit = seen[t]
            else:
                hit = seen[t] = canon.get(t.lower())
            if hit is None:
                self.sink.error(
                    self.sheet, self.row_numbers[i], name,
                    f"'{t}' is not a recognised code; expected {expected_text(col)}", "unknown code",
                )
                out.append(None)
            else:
                out.append(t if keep_entered else hit)
        return out

    def boolean(self, name: str) -> list[bool | None]:
        """TRUE/FALSE cells; text TRUE/FALSE/yes/no and 1/0 are accepted; blank is FALSE."""
        col = self.spec.column(name)
        pos = self.index.get(name)
        if pos is None:
            return [None] * self.n
        out: list[bool | None] = []
        for i, v in enumerate(self.values(pos)):
            bad = self._bad(i, pos)
            if bad:
                self.sink.error(self.sheet, self.row_numbers[i], name, f"holds {bad}; expected {expected_text(col)}", "unreadable cell")
                out.append(None)
            elif isinstance(v, bool):
                out.append(v)
            elif isinstance(v, float) and v in (0.0, 1.0):
                out.append(bool(v))
            elif isinstance(v, str) and v.strip().lower() in _TRUE:
                out.append(True)
            elif isinstance(v, str) and v.strip().lower() in _FALSE | {""}:
                out.append(False)
            elif v is None:
                out.append(False)
            else:
                self.sink.error(self.sheet, self.row_numbers[i], name, f"holds {describe(v)}; expected TRUE or FALSE", "not TRUE/FALSE")
                out.append(None)
        return out

    # -- numbers --------------------------------------------------------------------

    def number(self, name: str, *, required_cells: bool = True, col: Column | None = None) -> np.ndarray:
        """Numeric cells as float64 (NaN where blank or wrong), with type and range checks.

        Whole-number columns are checked for fractions; the caller casts them.
        """
        col = col or self.spec.column(name)
        pos = self.index.get(name)
        if pos is None:
            pos = self.positions.get(normalise_header(name), [None])[0]
        arr = np.full(self.n, np.nan)
        if pos is None:
            return arr
        vals = self.values(pos)
        sheet = self.sheet
        rows = self.row_numbers
        bad_cells = self.raw.bad_cells
        if not bad_cells and all(type(v) is float for v in vals):
            arr = np.array(vals, dtype=np.float64) if vals else arr
            if unusable(arr).any():
                self._refuse_non_finite(arr, name, col)
        else:
            as_text: list[tuple[int, str]] = []
            for i, v in enumerate(vals):
                bad = self._bad(i, pos) if bad_cells else None
                if bad:
                    self.sink.error(sheet, rows[i], name, f"holds {bad}; expected {expected_text(col)}", "unreadable cell")
                elif type(v) is float or type(v) is int:
                    arr[i] = float(v)
                    if unusable(arr[i:i + 1])[0]:
                        self._refuse_non_finite(arr[i:i + 1], name, col, first=i)
                elif isinstance(v, bool):
                    self.sink.error(sheet, rows[i], name, f"holds {describe(v)}, a TRUE/FALSE value; expected {expected_text(col)}", "TRUE/FALSE instead of a number")
                elif isinstance(v, _dt.date | _dt.datetime | _dt.time | _dt.timedelta):
                    self.sink.error(sheet, rows[i], name, f"holds {describe(v)} (the cell is formatted as a date or time); expected {expected_text(col)}: format the cell as Number", "date instead of a number")
                elif v is None or (isinstance(v, str) and not v.strip()):
                    if required_cells:
                        self.sink.error(sheet, rows[i], name, f"is blank; expected {expected_text(col)}", "blank cell")
                else:
                    parsed = parse_number_text(str(v))
                    if parsed is None:
                        self.sink.error(sheet, rows[i], name, f"holds {describe(v)}, which is not a number; expected {expected_text(col)}", "not a number")
                    else:
                        arr[i] = parsed
                        as_text.append((i, str(v)))
            if as_text:
                i0, t0 = as_text[0]
                count = len(as_text)
                self.sink.warning(
                    sheet, rows[i0], name,
                    f"{count:,} number{'s' if count > 1 else ''} stored as text (first: '{t0.strip()}', read as "
                    f"{arr[i0]:g}); they were read as numbers, but store them as numbers to be sure",
                )
        self._check_range(arr, name, col)
        return arr

    def _refuse_non_finite(self, arr: np.ndarray, name: str, col: Column, first: int = 0) -> None:
        """NaN and infinities are never numbers: an error per cell, and the value becomes blank.

        Excel cannot store them, but other writers put ``NaN`` or ``inf`` in a number
        cell; read as floats they would pass every range check (docs/reliability.md).
        """
        bad = unusable(arr)
        for k in np.flatnonzero(bad):
            self.sink.error(self.sheet, self.row_numbers[first + k], name,
                            f"{non_finite_name(arr[k])}; expected {expected_text(col)}",
                            "not a finite number")
        arr[bad] = np.nan

    def _check_range(self, arr: np.ndarray, name: str, col: Column) -> None:
        """Report out-of-range and non-whole values (the values become NaN)."""
        if not len(arr):
            return
        finite = np.isfinite(arr)
        bad = np.zeros(len(arr), dtype=bool)
        checks: list[tuple[np.ndarray, str, str]] = []
        if col.minimum is not None:
            low = arr <= col.minimum if col.exclusive_minimum else arr < col.minimum
            word = "more than" if col.exclusive_minimum else "at least"
            rule = "zero or negative" if col.exclusive_minimum and col.minimum == 0 else "too small"
            checks.append((low & finite, f"must be {word} {fmt(col.minimum)}", rule))
        if col.maximum is not None:
            checks.append((finite & (arr > col.maximum), f"must be at most {fmt(col.maximum)}", "too large"))
        if col.kind is Kind.INTEGER:
            huge = finite & (np.abs(arr) > MAX_WHOLE_NUMBER)
            checks.append((huge, f"must be at most {MAX_WHOLE_NUMBER:,}", "too large"))
            frac = finite & ~huge & (np.abs(arr - np.round(arr)) > 1e-9)
            checks.append((frac, "must be a whole number", "not a whole number"))
        unit = f" {col.unit}" if col.unit and col.unit not in ("GBP",) else ""
        for mask, need, rule in checks:
            for i in np.flatnonzero(mask & ~bad):
                self.sink.error(
                    self.sheet, self.row_numbers[i], name,
                    f"{fmt(arr[i])}{unit} is out of range: {name} {need} (expected {expected_text(col)})",
                    rule,
                )
            bad |= mask
        if col.check_above is not None:  # read, but named: e.g. a drive time above a day
            for i in np.flatnonzero(finite & ~bad & (arr > col.check_above)):
                self.sink.warning(
                    self.sheet, self.row_numbers[i], name,
                    f"{fmt(arr[i])}{unit} is more than {fmt(col.check_above)}{unit}; it was read as given, "
                    "but check the units (seconds?)", "above the usual range",
                )
        arr[bad] = np.nan

