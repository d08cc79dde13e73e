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
is written as an inline string (``t="inlineStr"``), never a formula.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

from desktop_app.core.errors import Cancelled
from desktop_app.core.export.grid import NOT_REACHED
from desktop_app.core.export.safe_text import TextGuard

_SHEET_DATA_END = b"</sheetData>"
_CHUNK_ROWS = 2000


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

    @property
    def n_rows(self) -> int:
        return len(self.columns[0]) - self.offset if self.columns else 0


def _text_cell(ref: str, style: str, text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def rows_xml(d: DeferredRows, cancelled: Callable[[], bool] | None = None) -> Any:
    """Yield the rows' XML in chunks (bytes)."""
    letters = [get_column_letter(d.first_col + j) for j in range(len(d.columns))]
    styles = [f' s="{s}"' if s else "" for s in d.style_ids]
    clean = d.guard.clean
    parts: list[str] = []
    for k in range(d.n_rows):
        i = d.offset + k
        r = d.start_row + k
        if k % _CHUNK_ROWS == 0 and k:
            if cancelled is not None and cancelled():
                raise Cancelled()
            yield "".join(parts).encode("utf-8")
            parts = []
        parts.append(f'<row r="{r}">')
        for j, col in enumerate(d.columns):
            v = col[i]
            ref = f"{letters[j]}{r}"
            if v is None:
                continue
            if isinstance(v, str):
                parts.append(_text_cell(ref, styles[j], clean(v, d.sheet_title, r, letters[j])))
            elif isinstance(v, bool):
                parts.append(f'<c r="{ref}"{styles[j]} t="b"><v>{int(v)}</v></c>')
            elif isinstance(v, int):
                parts.append(f'<c r="{ref}"{styles[j]} t="n"><v>{v}</v></c>')
            else:
                f = float(v)
                if math.isnan(f):
                    continue
                if math.isinf(f):
                    parts.append(_text_cell(ref, styles[j], NOT_REACHED if f > 0 else "-" + NOT_REACHED))
                else:
                    parts.append(f'<c r="{ref}"{styles[j]} t="n"><v>{f!r}</v></c>')
        parts.append("</row>")
    if parts:
        yield "".join(parts).encode("utf-8")


def splice(xlsx: bytes, deferred: list[DeferredRows], cancelled: Callable[[], bool] | None = None) -> bytes:
    """Copy the saved workbook, inserting each deferred block before ``</sheetData>``."""
    if not deferred:
        return xlsx
    by_name = {f"xl/worksheets/sheet{d.sheet_index}.xml": d for d in deferred}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            d = by_name.get(info.filename)
            if d is None:
                dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            cut = data.rindex(_SHEET_DATA_END)
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(entry, "w", force_zip64=True) as stream:
                stream.write(data[:cut])
                for chunk in rows_xml(d, cancelled):
                    stream.write(chunk)
                stream.write(data[cut:])
    return out.getvalue()
