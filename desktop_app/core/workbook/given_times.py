"""Travel times as given: the TravelTimes sheet and the CSV named by ``travel_times_file``.

Each gives parallel arrays (:class:`GivenTimes`) with where every row came from, so
:mod:`travel_times` can place them in the sites x areas matrix and name the sheet (or
file) and row (or line) of any problem. The CSV can hold millions of lines, so it is
scanned as bytes before pandas parses it, and checked with whole-array operations.
"""

from __future__ import annotations

import os
import re
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from desktop_app.core.workbook import filecheck, schema
from desktop_app.core.workbook.cell_values import non_finite_name, parse_number_text, unusable
from desktop_app.core.workbook.cells import RawSheet
from desktop_app.core.workbook.findings import FINDINGS_PER_RULE, Findings, excerpt
from desktop_app.core.workbook.keyed_sheets import open_sheet
from desktop_app.core.workbook.schema import normalise_header

_SKIPPED = re.compile(r"Skipping line (\d+): (.*)")


@dataclass
class GivenTimes:
    """Travel times as given: parallel arrays plus where each came from."""

    site_ids: np.ndarray | pd.Categorical  # object array (sheet) or categorical (CSV)
    area_ids: np.ndarray | pd.Categorical
    minutes: np.ndarray  # float64, NaN where invalid
    source: list[str]  # sheet name or CSV file name per row
    rows: np.ndarray  # Excel row / CSV line per row


def from_sheet(raw: RawSheet | None, sink: Findings) -> GivenTimes | None:
    if raw is None or raw.is_empty:
        return None
    t = open_sheet(raw, "TravelTimes", sink)
    if t.missing:
        return None
    sites = t.text("site_id")
    areas = t.text("area_id")
    minutes = t.number("minutes")
    return GivenTimes(
        np.array(sites, dtype=object),
        np.array(areas, dtype=object),
        minutes,
        [t.sheet] * t.n,
        np.array(t.row_numbers, dtype=np.int64),
    )


#: Longest line accepted in a travel-times CSV: a real line is ``site,area,minutes``, tens of bytes.
MAX_CSV_LINE_BYTES = 1 << 20


def _scan_csv(path: Path) -> tuple[bytes, int, str | None]:
    """The CSV's first 4 kB, its line count and what makes it unreadable (or None), before parsing.

    One pass in 1 MB blocks (about half a second for the 1,024 MB limit), holding one
    block: the parser is never handed a file it would choke on (a megabyte of NULs as one
    "line", a device swapped in after the folder check) and the row cap is known first.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb", buffering=0) as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            return b"", 0, "is not a regular file (a pipe or device); it cannot be read"
        head = b""
        lines = 0
        run = 0  # bytes since the last line break
        utf16 = False
        while block := fh.read(MAX_CSV_LINE_BYTES):
            if not head:
                head = block[:4096]
                utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
            if not utf16 and b"\x00" in block:
                return head, lines, "holds NUL bytes, so it is not a text CSV; export it again as CSV (UTF-8)"
            breaks = block.count(b"\n")
            if breaks:
                if run + block.find(b"\n") > MAX_CSV_LINE_BYTES:
                    break
                lines += breaks
                run = len(block) - block.rfind(b"\n") - 1
            else:
                run += len(block)
            if run > MAX_CSV_LINE_BYTES:
                break
        else:
            return head, lines + (1 if run else 0), None
    return head, lines, (f"has a line longer than {MAX_CSV_LINE_BYTES // 2**20} MB, so it is not a travel-times "
                         "CSV (each line is site_id,area_id,minutes)")


def read_travel_csv(path: Path, name: str, param_row: int | None, sink: Findings) -> GivenTimes | None:
    """Read the travel-times CSV (already through the folder rule); bad rows are findings with the file name as sheet.

    In steps, each refusing what the next must not see: the file as bytes
    (:func:`_check_csv`), its parse (:func:`_parse_csv`), its header, then every line.
    """
    head = _check_csv(path, name, param_row, sink)
    if head is None:
        return None
    parsed = _parse_csv(path, name, head, sink)
    if parsed is None:
        return None
    frame, caught = parsed
    skipped = _report_skipped_lines(caught, name, sink)
    cols = {normalise_header(c): c for c in frame.columns}
    missing = [c for c in ("site_id", "area_id", "minutes") if c not in cols]
    for c in missing:
        sink.error(name, 1, c, f"the required column '{c}' is missing from the CSV header; expected site_id, area_id, minutes")
    if missing:
        return None
    site_arr, area_arr, texts, minutes, lines = _csv_columns(frame, cols, skipped)
    _check_minutes(minutes, texts, lines, name, sink)
    for col, arr in (("site_id", site_arr), ("area_id", area_arr)):
        for i in np.flatnonzero(arr == ""):
            sink.error(name, int(lines[i]), col, f"is blank; expected a {col.split('_')[0]} code", "blank cell")
    return GivenTimes(site_arr, area_arr, minutes, [name] * len(minutes), lines)


def _check_csv(path: Path, name: str, param_row: int | None, sink: Findings) -> bytes | None:
    """The CSV's first 4 kB, or None after one error: too large, unreadable, over the line cap or empty."""
    if path.stat().st_size > filecheck.MAX_CSV_BYTES:
        sink.error("Parameters", param_row, "value",
                   f"the travel-times CSV '{name}' is larger than the {filecheck.MAX_CSV_BYTES // 2**20:,} MB limit")
        return None
    try:
        head, line_count, why = _scan_csv(path)
    except OSError as exc:
        sink.error(name, None, None, f"the travel-times CSV cannot be opened: {exc.strerror or exc}")
        return None
    if why:
        sink.error(name, None, None, f"the travel-times CSV {why}")
        return None
    cap = schema.CAPS["travel_csv_rows"]
    if line_count > cap.value:
        sink.error(name, None, None, f"the travel-times CSV has {line_count:,} lines, more than the limit of "
                   f"{cap.value:,}, because {cap.why}; give one line per site-area pair")
        return None
    if not head.strip():
        sink.error(name, None, None, "the travel-times CSV is empty; expected a header line site_id,area_id,minutes and one line per pair")
        return None
    return head


def _parse_csv(path: Path, name: str, head: bytes, sink: Findings) -> tuple[pd.DataFrame, list[warnings.WarningMessage]] | None:
    """The CSV as a frame and the parser's warnings (its skipped lines), in the encoding and separator it uses."""
    encodings = ("utf-16",) if head.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "cp1252")
    first_line = head.split(b"\n", 1)[0]
    # GIS tools and European Excel often export with semicolons or tabs; the header shows which.
    sep = ","
    if b"," not in first_line.replace(b"\x00", b""):
        for candidate in (";", "\t", "|"):
            if candidate.encode() in first_line:
                sep = candidate
                break
    for encoding in encodings:
        try:
            header = pd.read_csv(path, nrows=0, encoding=encoding, sep=sep).columns
            # IDs as categories: the C parser keeps one string per distinct ID instead of
            # 2.4 million Python strings (150 MB less), and IDs are matched to Sites and
            # Areas once per distinct value. Minutes are parsed by the C parser when they
            # are all numbers (the usual case, several times faster than parsing text).
            minutes_col = next((c for c in header if normalise_header(c) == "minutes"), None)
            dtype = {c: "category" for c in header if c != minutes_col}
            na_values = {minutes_col: [""]} if minutes_col is not None else None
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                frame = pd.read_csv(path, dtype=dtype, keep_default_na=False, na_values=na_values,
                                    on_bad_lines="warn", skip_blank_lines=False, encoding=encoding, sep=sep)
            return frame, caught
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError, OSError, ValueError) as exc:
            sink.error(name, None, None, f"the travel-times CSV cannot be read: {excerpt(' '.join(str(exc).split()), 200)}; "
                       "expected a CSV with columns site_id, area_id, minutes")
            return None
    sink.error(name, None, None, "the travel-times CSV is not readable text (UTF-8, UTF-16 or Windows-1252)")
    return None


def _report_skipped_lines(caught: list[warnings.WarningMessage], name: str, sink: Findings) -> list[int]:
    """One error per line the parser skipped (wrong number of fields); their line numbers."""
    skipped: list[int] = []
    for w in caught:
        for line in str(w.message).splitlines():
            m = _SKIPPED.match(line.strip())
            if m:
                skipped.append(int(m.group(1)))
                sink.error(name, int(m.group(1)), None,
                           f"the line has the wrong number of fields ({m.group(2)}); expected site_id, area_id, minutes",
                           "wrong number of fields")
    return skipped


def _csv_columns(frame: pd.DataFrame, cols: dict[str, str], skipped: list[int],
                 ) -> tuple[np.ndarray | pd.Categorical, np.ndarray | pd.Categorical, np.ndarray, np.ndarray, np.ndarray]:
    """(site IDs, area IDs, minutes as text, minutes, CSV line numbers), blank lines dropped."""
    # Stripping 1.4 million strings in Python is slow, so IDs are stripped only where
    # they fail to match (see _indexer) and minutes only where they fail to parse.
    site_arr = _ids(frame[cols["site_id"]])
    area_arr = _ids(frame[cols["area_id"]])
    column = frame[cols["minutes"]]
    if pd.api.types.is_float_dtype(column.dtype) or pd.api.types.is_integer_dtype(column.dtype):
        minutes = column.to_numpy(dtype=np.float64, copy=True)  # NaN only where blank
        texts = np.full(len(frame), "", dtype=object)
    else:
        texts = column.to_numpy(dtype=object)
        minutes = pd.to_numeric(pd.Series(texts, dtype=object), errors="coerce").to_numpy(dtype=np.float64, copy=True)
    # Line numbers: header is line 1; skipped bad lines shift the rest down.
    lines = np.arange(len(frame), dtype=np.int64) + 2
    if skipped:
        for s in sorted(skipped):
            lines[lines >= s] += 1
    unparsed = np.flatnonzero(np.isnan(minutes))
    texts = np.array([t if isinstance(t, str) else "" for t in texts], dtype=object) if len(unparsed) else texts
    blank_rows = [i for i in unparsed if not str(site_arr[i]).strip() and not str(area_arr[i]).strip() and not texts[i].strip()]
    if blank_rows:
        keep = np.ones(len(frame), dtype=bool)
        keep[blank_rows] = False
        site_arr, area_arr, texts, minutes, lines = site_arr[keep], area_arr[keep], texts[keep], minutes[keep], lines[keep]
    return site_arr, area_arr, texts, minutes, lines


def _check_minutes(minutes: np.ndarray, texts: np.ndarray, lines: np.ndarray, name: str, sink: Findings) -> None:
    """Read minutes written as text, and blank (NaN) every one that is not a drive time, with its error."""
    unparsed = np.flatnonzero(np.isnan(minutes))
    as_text = 0
    for i in unparsed:
        raw_text = texts[i].strip()
        parsed = parse_number_text(raw_text) if raw_text else None
        if parsed is not None:
            minutes[i] = parsed
            as_text += 1
            continue
        what = f"'{raw_text}' is not a number" if raw_text else "is blank"
        sink.error(name, int(lines[i]), "minutes", f"{what}; expected drive minutes, a number more than 0", "not a number")
    if as_text:
        sink.warning(name, None, "minutes", f"{as_text:,} minutes values were written with thousands separators or symbols; they were read as numbers")
    infinite = np.flatnonzero(unusable(minutes) & ~np.isnan(minutes))
    for i in infinite[: FINDINGS_PER_RULE + 1]:
        sink.error(name, int(lines[i]), "minutes", f"{non_finite_name(minutes[i])}; expected drive minutes, a number more than 0", "not a finite number")
    sink.count_more("error", name, "minutes", "not a finite number", len(infinite) - FINDINGS_PER_RULE - 1)
    minutes[infinite] = np.nan
    low = np.flatnonzero(minutes <= 0)
    for i in low[: FINDINGS_PER_RULE + 1]:
        sink.error(name, int(lines[i]), "minutes", f"{minutes[i]:g} minutes: travel times must be more than 0", "zero or negative")
    sink.count_more("error", name, "minutes", "zero or negative", len(low) - FINDINGS_PER_RULE - 1)
    minutes[low] = np.nan
    high = np.flatnonzero(minutes > schema.MAX_DRIVE_MINUTES)
    for i in high[: FINDINGS_PER_RULE + 1]:
        sink.error(name, int(lines[i]), "minutes", f"{minutes[i]:g} minutes is out of range: travel times must be at most "
                   f"{schema.MAX_DRIVE_MINUTES:,} (a week); check the units", "too large")
    sink.count_more("error", name, "minutes", "too large", len(high) - FINDINGS_PER_RULE - 1)
    minutes[high] = np.nan
    long = np.flatnonzero(minutes > schema.CHECK_DRIVE_MINUTES)  # NaN compares False: the refused are out
    for i in long[: FINDINGS_PER_RULE + 1]:
        sink.warning(name, int(lines[i]), "minutes", f"{minutes[i]:g} minutes is more than {schema.CHECK_DRIVE_MINUTES:,} "
                     "minutes (a day); it was read as given, but check the units (seconds?)", "above the usual range")
    sink.count_more("warning", name, "minutes", "above the usual range", len(long) - FINDINGS_PER_RULE - 1)


def _ids(column: pd.Series) -> np.ndarray | pd.Categorical:
    """A CSV ID column as read: categorical (the usual case) or, failing that, an object array."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.array
    return column.to_numpy(dtype=object)
