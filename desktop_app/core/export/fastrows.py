"""Fast path for the one big table: Coverage rows written as XML text and spliced in.

openpyxl (pure-Python XML writer here) spends about 20-30 microseconds per cell, so the
national Coverage sheet (35,672 areas x 36 columns = 1.3 million cells) took minutes.
The cells are all plain numbers and text with a handful of styles, so they are written
here directly as SpreadsheetML rows, several times faster, and spliced into the
worksheet openpyxl saved, just before ``</sheetData>``.

Everything that makes the sheet a sheet (widths, frozen panes, the Excel Table, print
set-up, chart-data blocks, the first rows) is still written by openpyxl; only the tail
of the table's rows comes from here. The text rules are the same as everywhere else:
every string goes through the :class:`~desktop_app.core.export.safe_text.TextGuard` and
is written as an inline string (``t="inlineStr"``), never a formula. Numbers are written
as Excel writes them, without ``t="n"`` (the default type): a tenth less XML to build and
deflate.
"""

from __future__ import annotations

import io
import math
import queue
import re
import threading
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
from openpyxl.utils import get_column_letter

from desktop_app.core.errors import Cancelled
from desktop_app.core.export.grid import NOT_REACHED
from desktop_app.core.export.safe_text import TextGuard

_SHEET_DATA_END = b"</sheetData>"
_CHUNK_ROWS = 2000
#: zlib level for the spliced sheet. The national Coverage sheet is 50 MB of XML: level 6
#: (zlib's default) takes 0.49 s of CPU for 5.2 MB, level 2 0.14 s for 7.0 MB. The other
#: parts of the workbook are small and keep the default.
DEFERRED_DEFLATE_LEVEL = 2


@dataclass
class DeferredRows:
    """Rows ``start_row``.. of one sheet, column by column, to splice in after saving."""

    sheet_index: int  # 1-based, as in xl/worksheets/sheetN.xml
    start_row: int
    first_col: int
    columns: Sequence[Sequence[Any]]  # each the full column; rows from ``offset`` are written
    offset: int
    style_ids: Sequence[int | None]
    guard: TextGuard
    sheet_title: str
    headers: Sequence[str]
    #: Rows ``start_row``..``merge_until`` already exist in the saved sheet, holding only
    #: cells to the right of these columns (chart data beside the table): this block's
    #: cells are inserted at the start of those rows instead of being appended.
    merge_until: int = 0
    #: Row heights in points by sheet row (rows with wrapped text); others keep the default.
    heights: dict[int, float] | None = None

    @property
    def n_rows(self) -> int:
        return len(self.columns[0]) - self.offset if self.columns else 0


def _text_cell(ref: str, style: str, text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def _cell(ref: str, style: str, v: Any, text: str | None) -> str:
    """One cell of any type (``text`` is the cleaned string when ``v`` is a string)."""
    if v is None:
        return ""
    if text is not None:
        return _text_cell(ref, style, text)
    if isinstance(v, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(v)}</v></c>'
    if isinstance(v, int):
        return f'<c r="{ref}"{style}><v>{v}</v></c>'
    f = float(v)
    if math.isnan(f):
        return ""
    if math.isinf(f):
        return _text_cell(ref, style, NOT_REACHED if f > 0 else "-" + NOT_REACHED)
    return f'<c r="{ref}"{style}><v>{f!r}</v></c>'


def _column_kind(values: Sequence[Any]) -> str:
    """"float", "int" or "text" when every value is exactly that type, else "mixed"."""
    types = set(map(type, values))
    if types <= {float}:
        return "float"
    if types <= {int}:
        return "int"
    if types <= {str}:
        return "text"
    return "mixed"


def _float_tails(values: Sequence[float], style: str) -> dict[float, str] | None:
    """The end of the cell XML for each distinct finite value of a float column.

    A column holds few distinct values (minutes to 0.1, shares of 24 hours), so each is
    printed once for the whole column. None when the column holds -0.0: it equals 0.0
    as a key but prints differently, so such a column is printed value by value.
    """
    array = np.asarray(values, dtype=np.float64)
    if np.any((array == 0.0) & np.signbit(array)):
        return None
    return {v: f'"{style}><v>{v!r}</v></c>' for v in set(values) if v - v == 0.0}


def _column_cells(kind: str, values: Sequence[Any], texts: Sequence[str] | None, rnums: list[str],
                  letter: str, style: str, tails: dict[float, str] | None = None) -> list[str]:
    """The cells of one column for a run of rows ("" where a cell is left empty).

    A column of plain floats, ints or strings (every column of the Coverage sheet) is
    formatted in one comprehension; anything else goes cell by cell through :func:`_cell`.
    The XML is byte for byte what :func:`_cell` writes.
    """
    head, mid = f'<c r="{letter}', f'"{style}><v>'
    if kind == "float":
        # Finite values only are looked up (v - v is NaN for NaN and infinity: _cell).
        if tails is None:
            return [f"{head}{r}{mid}{v!r}</v></c>" if v - v == 0.0 else _cell(f"{letter}{r}", style, v, None)
                    for r, v in zip(rnums, values, strict=True)]
        return [f"{head}{r}{tails[v]}" if v - v == 0.0 else _cell(f"{letter}{r}", style, v, None)
                for r, v in zip(rnums, values, strict=True)]
    if kind == "int":
        return [f"{head}{r}{mid}{v}</v></c>" for r, v in zip(rnums, values, strict=True)]
    if kind == "text":
        assert texts is not None
        # Escaped in one call on the joined column: cleaned text holds no NUL, so NUL
        # separates the strings safely.
        escaped = escape("\0".join(texts)).split("\0") if texts else []
        pre, open_, keep = f'"{style} t="inlineStr"><is><t>', "</t></is></c>", f'"{style} t="inlineStr"><is><t xml:space="preserve">'
        return [f"{head}{r}{keep if t != t.strip() else pre}{e}{open_}"
                for r, t, e in zip(rnums, texts, escaped, strict=True)]
    texts = texts or [""] * len(values)
    return [_cell(f"{letter}{r}", style, v, t if isinstance(v, str) else None)
            for r, v, t in zip(rnums, values, texts, strict=True)]


def _clean_texts(d: DeferredRows, values: list[Sequence[Any]], kinds: list[str], rnums: list[str],
                 letters: list[str]) -> list[Sequence[str] | None]:
    """Each text column's strings as the guard cleans them.

    Nearly always nothing needs cleaning (the input text was checked before the export
    began), which one search per column shows. Otherwise every string goes through the
    guard in row order, as a cell-by-cell pass would, so any change is reported at the
    same cell.
    """
    cols = [j for j, k in enumerate(kinds) if k in ("text", "mixed")]
    out: list[Sequence[str] | None] = [None] * len(values)
    if all(kinds[j] == "text" and d.guard.unchanged(list(values[j])) for j in cols):
        for j in cols:
            out[j] = values[j]
        return out
    lists: dict[int, list[str]] = {j: [] for j in cols}
    for k, r in enumerate(rnums):
        for j in cols:
            v = values[j][k]
            lists[j].append(d.guard.clean(v, d.sheet_title, int(r), letters[j]) if isinstance(v, str) else "")
    for j in cols:
        out[j] = lists[j]
    return out


class _Rows:
    """Formats the cells of a block of deferred rows (letters, styles and kinds worked out once)."""

    def __init__(self, d: DeferredRows) -> None:
        self.d = d
        self.letters = [get_column_letter(d.first_col + j) for j in range(len(d.columns))]
        self.styles = [f' s="{s}"' if s else "" for s in d.style_ids]
        self.kinds = [_column_kind(col[d.offset: d.offset + d.n_rows]) for col in d.columns]
        self.tails = [_float_tails(col[d.offset: d.offset + d.n_rows], style) if kind == "float" else None
                      for col, kind, style in zip(d.columns, self.kinds, self.styles, strict=True)]

    def _columns(self, lo: int, hi: int) -> tuple[list[str], list[list[str]]]:
        """Row numbers and, per column, the cells of rows ``lo``..``hi - 1`` of the block.

        Built a column at a time (one comprehension per column): several times faster than
        formatting cell by cell, and the same bytes.
        """
        d = self.d
        rnums = [str(d.start_row + k) for k in range(lo, hi)]
        values = [col[d.offset + lo: d.offset + hi] for col in d.columns]
        texts = _clean_texts(d, values, self.kinds, rnums, self.letters)
        cells = [_column_cells(self.kinds[j], values[j], texts[j], rnums, self.letters[j], self.styles[j],
                               self.tails[j]) for j in range(len(values))]
        return rnums, cells

    def cells(self, lo: int, hi: int) -> tuple[list[str], list[str]]:
        """Row numbers and each row's cells as one string (to merge into existing rows)."""
        rnums, cells = self._columns(lo, hi)
        return rnums, ["".join(row) for row in zip(*cells, strict=True)]

    def xml(self, lo: int, hi: int) -> bytes:
        """Complete ``<row>`` elements, joined in one pass over the interleaved pieces."""
        rnums, cells = self._columns(lo, hi)
        heights = self.d.heights or {}
        opens = [f'<row r="{r}" ht="{heights[int(r)]}" customHeight="1">' if int(r) in heights else f'<row r="{r}">'
                 for r in rnums] if heights else [f'<row r="{r}">' for r in rnums]
        closes = ["</row>"] * len(rnums)
        return "".join(chain.from_iterable(zip(opens, *cells, closes, strict=True))).encode("utf-8")


def _merged_count(d: DeferredRows) -> int:
    """How many of the block's rows go into rows the saved sheet already has."""
    return max(0, min(d.n_rows, d.merge_until - d.start_row + 1))


def rows_xml(d: DeferredRows, cancelled: Callable[[], bool] | None = None, rows: _Rows | None = None) -> Any:
    """Yield the XML (bytes, in chunks) of the rows to append: those after ``merge_until``."""
    rows = rows or _Rows(d)
    first = _merged_count(d)
    for lo in range(first, d.n_rows, _CHUNK_ROWS):
        if lo > first and cancelled is not None and cancelled():
            raise Cancelled()
        yield rows.xml(lo, min(d.n_rows, lo + _CHUNK_ROWS))


_ROW_OPEN = re.compile(rb'<row r="([0-9]+)"([^>]*?)(/?)>')


def merge_rows(sheet_xml: bytes, d: DeferredRows, rows: _Rows | None = None) -> bytes:
    """Insert the block's first cells at the start of the rows the saved sheet already has.

    openpyxl wrote those rows with only the chart-data cells to the right of the table
    (every appended row is written, empty or not), so the table's cells, being further
    left, go first in each row, keeping the cells in column order as Excel requires.
    """
    m = _merged_count(d)
    if m == 0:
        return sheet_xml
    rnums, bodies = (rows or _Rows(d)).cells(0, m)
    insert = {int(r): body.encode("utf-8") for r, body in zip(rnums, bodies, strict=True)}
    done: set[int] = set()

    def fill(match: re.Match[bytes]) -> bytes:
        r = int(match.group(1))
        body = insert.get(r)
        if body is None:
            return match.group(0)
        done.add(r)
        if match.group(3):  # <row .../>: open it up
            return b'<row r="%d"%s>%s</row>' % (r, match.group(2).rstrip(), body)
        return match.group(0) + body

    start = sheet_xml.find(b"<sheetData")
    merged = sheet_xml[:start] + _ROW_OPEN.sub(fill, sheet_xml[start:])
    if len(done) != len(insert):
        missing = sorted(set(insert) - done)
        raise RuntimeError(f"summary export: rows {missing[:3]} of sheet {d.sheet_title} were not written")
    return merged


def _write_overlapped(stream: Any, chunks: Iterator[bytes]) -> None:
    """Write ``chunks`` to ``stream`` from a second thread while the next chunk is built.

    Deflating the national Coverage sheet (57 MB of XML) takes about 0.5 s, and zlib
    releases the GIL while it works, so it runs alongside the Python that formats the
    rows instead of after it. The bytes written are the same, in the same order. An
    exception on either side (a cancel while building, a failed write) stops both and
    is raised here.
    """
    todo: queue.Queue[bytes | None] = queue.Queue(maxsize=3)
    failed: list[BaseException] = []

    def writer() -> None:
        while (chunk := todo.get()) is not None:
            if not failed:
                try:
                    stream.write(chunk)
                except BaseException as exc:  # noqa: BLE001 - handed to the building thread
                    failed.append(exc)

    thread = threading.Thread(target=writer, name="summary-deflate", daemon=True)
    thread.start()
    try:
        for chunk in chunks:
            if failed:
                break
            todo.put(chunk)
    finally:
        todo.put(None)
        thread.join()
    if failed:
        raise failed[0]


def _check_order(sheet_xml: bytes, cut: int, d: DeferredRows) -> None:
    """Refuse to append rows above one the saved sheet already has (Excel needs rows in order).

    A sheet that wrote more rows after a deferred table would otherwise get the table's
    rows after them: a file Excel repairs by deleting content.
    """
    last = sheet_xml.rfind(b"<row ", 0, cut)
    if last < 0:
        return
    match = _ROW_OPEN.match(sheet_xml, last)
    first_appended = d.start_row + _merged_count(d)
    if match is not None and int(match.group(1)) >= first_appended and d.n_rows > _merged_count(d):
        raise RuntimeError(f"summary export: sheet {d.sheet_title} has row {int(match.group(1))} "
                           f"below its deferred rows from {first_appended}")


def splice(xlsx: bytes, deferred: list[DeferredRows], cancelled: Callable[[], bool] | None = None,
           replace: Callable[[zipfile.ZipFile], dict[str, bytes]] | None = None) -> bytes:
    """Copy the saved workbook, inserting each deferred block before ``</sheetData>``.

    ``replace`` (given the saved zip) returns parts to write in place of the saved ones,
    e.g. the drawings with their charts' names and alt text: one rewrite of the zip for
    both edits (a second pass re-read and re-deflated the national workbook's 57 MB).
    """
    if not deferred and replace is None:
        return xlsx
    by_name: dict[str, DeferredRows] = {}
    for block in deferred:
        name = f"xl/worksheets/sheet{block.sheet_index}.xml"
        if name in by_name:
            raise RuntimeError(f"summary export: two deferred blocks for sheet {block.sheet_title}")
        by_name[name] = block
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        parts = replace(src) if replace is not None else {}
        for info in src.infolist():
            d = by_name.get(info.filename)
            if d is None:
                new = parts.get(info.filename)
                data = new if new is not None else src.read(info.filename)
                dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            data = src.read(info.filename)
            rows = _Rows(d)
            data = merge_rows(data, d, rows)
            cut = data.rindex(_SHEET_DATA_END)
            _check_order(data, cut, d)
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry._compresslevel = DEFERRED_DEFLATE_LEVEL  # type: ignore[attr-defined]  # private; an alias of compress_level from Python 3.13
            with dst.open(entry, "w", force_zip64=True) as stream:
                stream.write(data[:cut])
                _write_overlapped(stream, rows_xml(d, cancelled, rows))
                stream.write(data[cut:])
    return out.getvalue()
