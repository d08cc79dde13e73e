"""Travel times: from the TravelTimes sheet and/or a CSV, with missing pairs estimated.

Analysts export blue-light drive-time matrices from GIS; for a large force that
is over a million rows, so they may stay in a CSV named by the
parameter ``travel_times_file``. Given pairs are checked (known site and area,
minutes > 0, no pair twice); every pair not given is estimated from straight-
line distance (docs/workbook-format.md#travel-times-and-how-missing-ones-are-estimated),
and one warning counts them:

    minutes = (straight-line metres / 1000) x road_circuity / speed_kmh x 60

with the AREA's rurality choosing ``speed_kmh_rural`` or ``speed_kmh_urban``.
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

from desktop_app.core.model import Parameters
from desktop_app.core.workbook import filecheck, schema
from desktop_app.core.workbook.cell_rules import (
    FINDINGS_PER_RULE,
    Findings,
    Table,
    excerpt,
    knock_on_message,
    non_finite_name,
    parse_number_text,
    unusable,
)
from desktop_app.core.workbook.cells import RawSheet
from desktop_app.core.workbook.named_files import resolve_named_file
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


def _from_sheet(raw: RawSheet | None, sink: Findings) -> GivenTimes | None:
    if raw is None or raw.is_empty:
        return None
    spec = schema.SHEETS_BY_NAME["TravelTimes"]
    t = Table(raw, spec, sink)
    t.report_missing()
    if t.missing:
        return None
    sites = t.text("site_id")
    areas = t.text("area_id")
    minutes = t.number("minutes")
    return GivenTimes(
        np.array(sites, dtype=object),
        np.array(areas, dtype=object),
        minutes,
        [spec.name] * t.n,
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


def _read_csv(path: Path, name: str, param_row: int | None, sink: Findings) -> GivenTimes | None:
    """Read the travel-times CSV (already through the folder rule); bad rows are findings with the file name as sheet."""
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
    encodings = ("utf-16",) if head.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "cp1252")
    first_line = head.split(b"\n", 1)[0]
    # GIS tools and European Excel often export with semicolons or tabs; the header shows which.
    sep = ","
    if b"," not in first_line.replace(b"\x00", b""):
        for candidate in (";", "\t", "|"):
            if candidate.encode() in first_line:
                sep = candidate
                break
    frame = None
    caught: list[warnings.WarningMessage] = []
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
            break
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError, OSError, ValueError) as exc:
            sink.error(name, None, None, f"the travel-times CSV cannot be read: {excerpt(' '.join(str(exc).split()), 200)}; "
                       "expected a CSV with columns site_id, area_id, minutes")
            return None
    if frame is None:
        sink.error(name, None, None, "the travel-times CSV is not readable text (UTF-8, UTF-16 or Windows-1252)")
        return None
    skipped: list[int] = []
    for w in caught:
        for line in str(w.message).splitlines():
            m = _SKIPPED.match(line.strip())
            if m:
                skipped.append(int(m.group(1)))
                sink.error(name, int(m.group(1)), None,
                           f"the line has the wrong number of fields ({m.group(2)}); expected site_id, area_id, minutes",
                           "wrong number of fields")
    cols = {normalise_header(c): c for c in frame.columns}
    missing = [c for c in ("site_id", "area_id", "minutes") if c not in cols]
    for c in missing:
        sink.error(name, 1, c, f"the required column '{c}' is missing from the CSV header; expected site_id, area_id, minutes")
    if missing:
        return None
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
                   f"{schema.MAX_DRIVE_MINUTES:,} (a day); check the units", "too large")
    sink.count_more("error", name, "minutes", "too large", len(high) - FINDINGS_PER_RULE - 1)
    minutes[high] = np.nan
    for col, arr in (("site_id", site_arr), ("area_id", area_arr)):
        for i in np.flatnonzero(arr == ""):
            sink.error(name, int(lines[i]), col, f"is blank; expected a {col.split('_')[0]} code", "blank cell")
    return GivenTimes(site_arr, area_arr, minutes, [name] * len(minutes), lines)


def read_travel_times(
    raw: RawSheet | None,
    params: Parameters | None,
    param_rows: dict[str, int],
    workbook: Path,
    areas: pd.DataFrame,
    sites: pd.DataFrame,
    sink: Findings,
) -> tuple[np.ndarray, np.ndarray]:
    """The dense (sites x areas) float32 minutes matrix and the estimated-pair mask."""
    parts = [g for g in (_from_sheet(raw, sink),) if g is not None]
    if params is not None and params.travel_times_file:
        name = params.travel_times_file
        row = param_rows.get("travel_times_file")
        csv_path = resolve_named_file(workbook, "travel_times_file", name, row, sink)
        g = _read_csv(csv_path, Path(name).name, row, sink) if csv_path is not None else None
        if g is not None:
            parts.append(g)
    n_sites, n_areas = len(sites), len(areas)
    matrix = np.full((n_sites, n_areas), np.nan, dtype=np.float32)
    site_index = pd.Index(sites["site_id"])
    area_index = pd.Index(areas["area_id"])
    seen = np.zeros((n_sites, n_areas), dtype=bool)
    seen_flat, matrix_flat = seen.reshape(-1), matrix.reshape(-1)  # views: both are C-contiguous
    site_unique = site_index.is_unique
    area_unique = area_index.is_unique
    for g in parts:
        si = _indexer(site_index, site_unique, g.site_ids)
        ai = _indexer(area_index, area_unique, g.area_ids)
        for col, pos, ids, what, sheet in (("site_id", si, g.site_ids, "site", "Sites"),
                                           ("area_id", ai, g.area_ids, "area", "Areas")):
            miss = np.flatnonzero(pos < 0)  # comparing 1.4 million IDs to "" is slow: only look at misses
            if not len(miss):
                continue
            named = np.asarray(ids[miss], dtype=object)
            miss = miss[(named != "") & pd.notna(named)]  # blanks are reported as blank cells
            if len(miss) and (n_sites if col == "site_id" else n_areas) == 0:
                # The whole sheet is missing: one knock-on finding, not a copy per row.
                i = miss[0]
                sink.error(g.source[i], int(g.rows[i]), col, knock_on_message(len(miss), "travel times", what, sheet),
                           f"{sheet.lower()} sheet missing")
                continue
            for i in miss[: FINDINGS_PER_RULE + 1]:  # the rest counted: a CSV of 4 million strangers
                sink.error(g.source[i], int(g.rows[i]), col, f"{what} '{excerpt(str(ids[i]))}' is not in the {sheet} sheet; "
                           f"expected a {col} listed there", f"unknown {what}")
            sink.count_more("error", g.source[0], col, f"unknown {what}", len(miss) - FINDINGS_PER_RULE - 1)
        ok = (si >= 0) & (ai >= 0)
        if ok.all():  # the usual case: no copies of 1.2 million positions
            idx = np.arange(len(ok))
            flat = si.astype(np.int64) * max(n_areas, 1) + ai
        else:
            idx = np.flatnonzero(ok)
            flat = si[idx].astype(np.int64) * max(n_areas, 1) + ai[idx]
        # Repeats are found by counting the newly seen pairs, not with a bincount over every
        # site-area pair (a 340 MB int64 array for the national case); only when there are
        # repeats (an error) are the repeated keys worked out.
        already = seen_flat[flat]
        before = np.count_nonzero(seen_flat)
        seen_flat[flat] = True
        has_repeats = np.count_nonzero(seen_flat) - before < len(flat) - np.count_nonzero(already)
        if has_repeats or already.any():
            # Every row repeating a pair given earlier (in this file or before it), found with
            # one stable sort: counted, not stored per pair, so ten million repeats cost
            # a few arrays, not a Python set and a loop.
            repeat = already.copy()
            if has_repeats:
                order = np.argsort(flat, kind="stable")
                ordered = flat[order]
                repeat[order[1:][ordered[1:] == ordered[:-1]]] = True
            where = np.flatnonzero(repeat)  # in file order
            for k in where[: FINDINGS_PER_RULE + 1]:
                i = idx[k]
                sink.error(g.source[i], int(g.rows[i]), "area_id",
                           f"the travel time from {excerpt(str(g.site_ids[i]))} to {excerpt(str(g.area_ids[i]))} is given "
                           "more than once; keep one row per site-area pair",
                           "duplicate pair")
            sink.count_more("error", g.source[0], "area_id", "duplicate pair", len(where) - FINDINGS_PER_RULE - 1)
        given = g.minutes[idx] if len(idx) != len(g.minutes) else g.minutes
        valid = ~np.isnan(given)
        if valid.all():
            matrix_flat[flat] = given
        else:
            matrix_flat[flat[valid]] = given[valid]
    estimated = np.logical_not(seen, out=seen)  # in place: no second 43 MB mask to fault in
    if not estimated.any() or params is None:
        return matrix, estimated & np.isnan(matrix)
    # Areas lacking coordinates cannot be estimated.
    no_xy = np.isnan(areas["easting"].to_numpy(dtype=np.float64)) | np.isnan(areas["northing"].to_numpy(dtype=np.float64))
    # Counted only when some area lacks coordinates: a full pass over 43 million pairs otherwise.
    missing_per_area = estimated.sum(axis=0) if no_xy.any() else np.zeros(n_areas, dtype=np.int64)
    area_rows = areas.attrs.get("excel_rows", [])
    for a in np.flatnonzero(no_xy & (missing_per_area > 0)):
        sink.error("Areas", int(area_rows[a]) if a < len(area_rows) else None, "easting",
                   f"area '{areas['area_id'].iat[int(a)]}' has no easting/northing, and {int(missing_per_area[a])} of its travel times "
                   "are not in TravelTimes; give its coordinates (British National Grid metres) or every travel time to it",
                   "no coordinates to estimate from")
    se = sites["easting"].to_numpy(dtype=np.float64)
    sn = sites["northing"].to_numpy(dtype=np.float64)
    ae = areas["easting"].to_numpy(dtype=np.float64)
    an = areas["northing"].to_numpy(dtype=np.float64)
    speed = np.where(areas["is_rural"].to_numpy(dtype=bool), params.speed_kmh_rural, params.speed_kmh_urban)
    # minutes per straight-line metre for each area: / 1000 x circuity / speed x 60
    per_metre = params.road_circuity * 60.0 / (1000.0 * speed)
    _estimate_into(matrix, estimated, se, sn, ae, an, per_metre)
    n_est = int(np.count_nonzero(estimated))
    total = n_sites * n_areas
    sink.warning(
        "TravelTimes", None, None,
        f"{n_est:,} of {total:,} site-area travel times were not given and were estimated from straight-line "
        f"distance x road_circuity {params.road_circuity:g} at {params.speed_kmh_urban:g} km/h (urban) or "
        f"{params.speed_kmh_rural:g} km/h (rural)",
    )
    return matrix, estimated


#: Elements per float64 work buffer when estimating (8 MB): big enough for numpy to run at
#: full speed, small enough that a 200,000-area force needs no full-size temporaries.
_ESTIMATE_CHUNK = 1 << 20


def _estimate_into(
    matrix: np.ndarray, estimated: np.ndarray, se: np.ndarray, sn: np.ndarray,
    ae: np.ndarray, an: np.ndarray, per_metre: np.ndarray,
) -> None:
    """Write the estimated minutes into ``matrix`` wherever ``estimated`` is set.

    Whole blocks of sites are computed at once in two reused float64 buffers and copied in
    under the mask: per-site boolean indexing (``ae[todo]`` ...) cost about 1.8 s for the
    41.6 million pairs of the national case, and ``np.hypot`` several times more than
    ``sqrt(dx*dx + dy*dy)``, which is what it computes here (coordinates are metres, so
    the squares and their sum are exact and the square root is correctly rounded).
    The arithmetic is float64 and rounded to float32 once, as before.
    """
    n_sites, n_areas = matrix.shape
    if n_sites == 0 or n_areas == 0:
        return
    block = max(1, _ESTIMATE_CHUNK // n_areas)
    dx = np.empty((min(block, n_sites), n_areas), dtype=np.float64)
    dy = np.empty_like(dx)
    for lo in range(0, n_sites, block):
        hi = min(n_sites, lo + block)
        mask = estimated[lo:hi]
        if not mask.any():
            continue
        a, b = dx[: hi - lo], dy[: hi - lo]
        np.subtract(se[lo:hi, None], ae[None, :], out=a)
        np.subtract(sn[lo:hi, None], an[None, :], out=b)
        np.multiply(a, a, out=a)
        np.multiply(b, b, out=b)
        np.add(a, b, out=a)
        np.sqrt(a, out=a)
        np.multiply(a, per_metre[None, :], out=a)
        np.copyto(matrix[lo:hi], a, casting="same_kind", where=mask)


def _ids(column: pd.Series) -> np.ndarray | pd.Categorical:
    """A CSV ID column as read: categorical (the usual case) or, failing that, an object array."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.array
    return column.to_numpy(dtype=object)


def _indexer(index: pd.Index, unique: bool, values: np.ndarray | pd.Categorical) -> np.ndarray:
    """Positions of ``values`` in ``index`` (-1 if absent), retrying unmatched IDs stripped of spaces."""
    if isinstance(values, pd.Categorical):
        # Match each distinct ID once, then spread by code; a missing value (code -1) is
        # matched as itself, as it would be in an object array.
        codes = values.codes
        cats = np.asarray(values.categories, dtype=object)
        pos_cat = _indexer(index, unique, cats) if len(cats) else np.zeros(0, dtype=np.intp)
        pos = np.full(len(codes), -1, dtype=np.intp)
        have = codes >= 0
        pos[have] = pos_cat[codes[have]]
        if not have.all():
            absent = np.flatnonzero(~have)
            pos[absent] = _indexer(index, unique, np.asarray(values[absent], dtype=object))
        return pos
    # pandas-stubs types get_indexer's target as an Index; pandas takes any array-like.
    pos = index.get_indexer(values) if unique else _first_indexer(index, values)  # type: ignore[arg-type]
    miss = np.flatnonzero(pos < 0)
    if len(miss):
        stripped = np.array([str(v).strip() if v is not None else "" for v in values[miss]], dtype=object)
        pos[miss] = index.get_indexer(stripped) if unique else _first_indexer(index, stripped)  # type: ignore[arg-type]
    return pos


def _first_indexer(index: pd.Index, values: np.ndarray) -> np.ndarray:
    """get_indexer for an index with duplicates (already reported): first position wins."""
    first = pd.Index(index).drop_duplicates(keep="first")
    pos = {v: i for i, v in reversed(list(enumerate(index)))}
    return np.array([pos.get(v, -1) if v in first else -1 for v in values], dtype=np.int64)
