"""Turn raw cells into typed columns, reporting every bad cell by sheet, row and column.

The reader reads each schema column through :class:`Table`, which finds the
column by its normalised header, converts every cell to the column's kind and
checks its range, and files a :class:`Finding` for each cell that is wrong,
saying what it holds and what is expected. Bad cells become ``NaN``/``None`` so
the cross-sheet checks can carry on and report everything in one pass.

Numbers stored as text (``"1,200"``, ``" 12 "``, ``"£5,000"``, ``"30%"``) are
accepted because their meaning is unambiguous, with one warning per column;
booleans, dates and Excel error values where a number belongs are errors.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Sequence
from typing import cast

import numpy as np

from desktop_app.core.model import Finding, Level
from desktop_app.core.workbook.cells import RawSheet, col_letters
from desktop_app.core.workbook.schema import Column, Kind, Sheet, normalise_header

#: Row-level findings of one kind (same sheet, column and rule) reported individually
#: before the rest are summarised in one line, so a wholly wrong column stays readable.
FINDINGS_PER_RULE = 25

#: Largest whole number accepted anywhere (populations, posts, hours): far above any real
#: value, and small enough to be held exactly as int64 and float64.
MAX_WHOLE_NUMBER = 10**12

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


class Findings:
    """Collects findings in discovery order, capping repeats of one rule."""

    def __init__(self, cap: int = FINDINGS_PER_RULE) -> None:
        self.items: list[Finding] = []
        self._cap = cap
        self._counts: dict[tuple[Level, str, str | None, str], int] = {}
        self._first_overflow: dict[tuple[Level, str, str | None, str], int] = {}

    def add(
        self,
        level: Level,
        sheet: str,
        row: int | None,
        column: str | None,
        message: str,
        rule: str | None = None,
    ) -> None:
        """Record a finding; ``rule`` names a repeatable row-level check for capping."""
        if rule is not None:
            key = (level, sheet, column, rule)
            n = self._counts.get(key, 0) + 1
            self._counts[key] = n
            if n > self._cap:
                self._first_overflow.setdefault(key, len(self.items))
                return
        self.items.append(Finding(level, excerpt(sheet), row, column and excerpt(column), short_quotes(message)))

    def count_more(self, level: Level, sheet: str, column: str | None, rule: str, n: int) -> None:
        """Count ``n`` more findings of a capped rule without building them.

        For millions of bad rows (a CSV of repeated pairs): the caller files the first
        ``cap + 1`` findings (so the summary line sits where the overflow began) and
        counts the rest here, holding nothing per row.
        """
        if n > 0:
            key = (level, sheet, column, rule)
            self._counts[key] = self._counts.get(key, 0) + n
            self._first_overflow.setdefault(key, len(self.items))

    def error(self, sheet: str, row: int | None, column: str | None, message: str, rule: str | None = None) -> None:
        self.add("error", sheet, row, column, message, rule)

    def warning(self, sheet: str, row: int | None, column: str | None, message: str, rule: str | None = None) -> None:
        self.add("warning", sheet, row, column, message, rule)

    @property
    def has_errors(self) -> bool:
        return any(f.level == "error" for f in self.items) or any(
            k[0] == "error" for k in self._first_overflow
        )

    def finish(self) -> list[Finding]:
        """All findings, with one summary line after each capped rule."""
        out = list(self.items)
        # Insert summaries from the back so earlier positions stay valid.
        for key, pos in sorted(self._first_overflow.items(), key=lambda kv: -kv[1]):
            level, sheet, column, rule = key
            more = self._counts[key] - self._cap
            where = f" in column {column}" if column else ""
            msg = f"{more:,} more rows{where} have the same problem ({rule}); only the first {self._cap} are listed"
            out.insert(pos, Finding(level, sheet, None, column, msg))
        return out


def expected_text(col: Column) -> str:
    """Plain-English description of what a column's cells should hold."""
    unit = f" of {col.unit}" if col.unit and col.unit not in ("GBP",) else ""
    if col.kind is Kind.INTEGER:
        what = f"a whole number{unit}"
    elif col.kind is Kind.NUMBER:
        what = f"a number{unit}" if col.unit != "GBP" else "an amount in pounds"
    elif col.kind is Kind.BOOLEAN:
        what = "TRUE or FALSE"
    elif col.kind is Kind.CODE:
        codes = col.codes if len(col.codes) <= 20 else col.codes[:20] + ("...",)
        what = "one of " + ", ".join(codes)
    else:
        what = "text"
    bounds = []
    if col.minimum is not None:
        bounds.append(f"more than {fmt(col.minimum)}" if col.exclusive_minimum else f"at least {fmt(col.minimum)}")
    if col.maximum is not None:
        bounds.append(f"at most {fmt(col.maximum)}")
    return what + (" " + " and ".join(bounds) if bounds else "")


def fmt(x: float) -> str:
    """A number for a message: thousands separated, no needless decimals (1,400,000; 0.35)."""
    if math.isfinite(x) and float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.6g}" if abs(x) < 1e6 else f"{x:,.2f}"


def describe(value: object) -> str:
    """How a cell's content is shown in a message."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return fmt(value)
    if isinstance(value, _dt.datetime | _dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, _dt.time | _dt.timedelta):
        return f"the time {value}"
    return repr(excerpt(str(value), 40))


#: A quoted span of input in a finding ('like this'), longer than an excerpt.
_LONG_QUOTE = re.compile(r"(?<!\w)'([^']{61,}?)'(?!\w)")  # not an apostrophe inside a word (workbook's)
#: Longest finding message: a sentence or two, whatever the input held.
MAX_MESSAGE = 1000


def short_quotes(message: str) -> str:
    """A finding's message folded to one line, each quoted span of input cut to an excerpt.

    The one place every finding passes (:meth:`Findings.add`), so a sheet or file added
    later inherits it: a 30,000-character cell, or a megabyte of padding, is never echoed.
    """
    text = _LONG_QUOTE.sub(lambda m: f"'{excerpt(m.group(1))}'", " ".join(message.split()))
    return excerpt(text, MAX_MESSAGE)


def excerpt(text: str, limit: int = 60) -> str:
    """At most ``limit`` characters of input text, for quoting in a message.

    Findings quote input, and input can be a megabyte of NULs or padding: a message
    quotes only this much (the command line escapes control characters when printing).
    """
    return text if len(text) <= limit else text[: limit - 3] + "..."


def unusable(arr: np.ndarray) -> np.ndarray:
    """Where a float array holds what is never a number: NaN, infinities, and subnormals.

    A subnormal (``1e-320``) is finite but below the smallest normal float: dividing by it
    overflows and arithmetic on it loses precision, and no measured figure is that small.
    """
    with np.errstate(invalid="ignore"):
        tiny = (arr != 0) & (np.abs(arr) < np.finfo(np.float64).tiny)
    return ~np.isfinite(arr) | tiny


def non_finite_name(value: float) -> str:
    """What a cell holding a value :func:`unusable` flags is said to hold, in a finding."""
    if math.isnan(value):
        return "holds NaN, which is not a number"
    if math.isinf(value):
        return f"holds {'minus ' if value < 0 else ''}infinity, which is not a number"
    return f"holds {value:g}, too close to zero to be a real figure"


def parse_number_text(text: str) -> float | None:
    """The number an unambiguous text cell means, or None (``"1,200"`` -> 1200, ``"30%"`` -> 0.3)."""
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    percent = s.endswith("%")
    if percent:
        s = s[:-1]
    if s.startswith("£"):
        s = s[1:]
    if _THOUSANDS.match(s):
        s = s.replace(",", "")
    elif not _PLAIN.match(s):
        return None
    try:
        value = float(s)
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return value / 100 if percent else value


def cell_text(value: object) -> str:
    """A cell as text: whole numbers without ``.0``, booleans as TRUE/FALSE, blanks as ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, _dt.datetime | _dt.date | _dt.time):
        return value.isoformat()
    return str(value).strip()


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
        for name in names:
            if name in self.missing:
                col = self.spec.column(name)
                self.sink.error(
                    self.sheet,
                    None,
                    name,
                    f"the required column '{name}' is missing; add a column headed '{name}' "
                    f"holding {expected_text(col)} ({col.description.rstrip('.')})",
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
        arr[bad] = np.nan


def knock_on_message(count: int, rows_are: str, what: str, sheet: str) -> str:
    """One finding for many rows that fail only because ``sheet`` is missing or empty:
    "26 deployments name sites that are not in the Sites sheet, because the Sites sheet
    is missing or has no rows" (issue 16), in place of one copy per row."""
    return (f"{count:,} {rows_are} name {what}s that are not in the {sheet} sheet, because the {sheet} sheet is "
            f"missing or has no rows; add the {sheet} sheet (this is the first of them)")
