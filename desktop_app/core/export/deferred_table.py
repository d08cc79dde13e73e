"""Long Tables' data rows handed to :mod:`fastrows` instead of openpyxl's cell writer.

openpyxl takes about 100 microseconds a styled cell; the national Deployments sheet
(3,914 rows x 17 columns) took 8 s that way. :func:`deferred_rows` turns a long list of
plain rows into a :class:`~desktop_app.core.export.fastrows.DeferredRows` block, spliced
into the saved workbook (docs/performance.md, the national appraise).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
from openpyxl.cell import WriteOnlyCell

from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.fastrows import DeferredRows

if TYPE_CHECKING:
    from desktop_app.core.export.tables import TableSpec

#: A table with at least this many data rows has them written by :mod:`fastrows` (spliced
#: in after saving) instead of openpyxl's cell writer, which takes about 100 microseconds a
#: styled cell: the national Deployments sheet (3,914 rows x 17 columns) took 8 s.
DEFER_MIN_ROWS = 500
_PLAIN_TYPES = (str, int, float, bool, type(None))


def style_id(ctx: ExportContext, ws: Any, style: str | None) -> int | None:
    """The workbook's style index for a named style (registering it if new)."""
    if style is None:
        return None
    cell = ctx.styler.apply(WriteOnlyCell(ws), style)
    return int(cell.style_id)


def deferred_rows(ctx: ExportContext, ws: Any, spec: TableSpec, heights: dict[int, float]) -> DeferredRows | None:
    """``spec``'s data rows as a block for :mod:`fastrows`, or None to write them here.

    Only a long list of plain rows is deferred (no per-cell :class:`Styled` value, only
    text, numbers, booleans and blanks). Each string is cleaned now, at the cell it will
    occupy, so any finding is reported before the Validation sheet is written, as the
    cell writer would have; the splice then finds nothing left to clean. Row heights
    travel with the rows (openpyxl writes a height only with a row it writes).
    """
    rows = spec.rows
    if not isinstance(rows, list) or len(rows) < DEFER_MIN_ROWS or spec.written_rows is not None:
        return None
    width = len(spec.headers)
    letters = [spec.col_letter(j) for j in range(width)]
    columns = _plain_columns(ctx, rows, width)
    if columns is None:
        columns = [[] for _ in range(width)]
        for i, row in enumerate(rows):
            if len(row) > width:
                return None
            r = spec.header_row + 1 + i
            for j in range(width):
                v = row[j] if j < len(row) else None
                if isinstance(v, np.generic):
                    v = v.item()
                if not isinstance(v, _PLAIN_TYPES):
                    return None
                if (isinstance(v, float) and math.isnan(v)) or v == "":
                    v = None  # as openpyxl stores them: an empty cell
                columns[j].append(ctx.guard.clean(v, ws.title, r, letters[j]) if isinstance(v, str) else v)
    first_data = spec.header_row + 1
    return DeferredRows(
        sheet_index=ws.parent.worksheets.index(ws) + 1, start_row=first_data, first_col=spec.first_col,
        columns=columns, offset=0, style_ids=[style_id(ctx, ws, st) for st in spec.styles],
        guard=ctx.guard, sheet_title=ws.title, headers=list(spec.headers),
        heights={r: h for r, h in heights.items() if r >= first_data},
    )


_EXACT_PLAIN = frozenset(_PLAIN_TYPES)


def _plain_columns(ctx: ExportContext, rows: list[Any], width: int) -> list[list[Any]] | None:
    """The rows as columns, a column at a time, when that gives exactly the cell-by-cell result.

    That is when every row is ``width`` long, every value is exactly a plain type (no
    numpy scalar, no subclass) and the guard would return every string unchanged, which
    one search per column shows: then no finding can arise and no order of cleaning
    matters. Blank strings and NaN become empty cells, as the cell-by-cell pass makes
    them. None: take the cell-by-cell pass (the national Deployments sheet's 66,000
    cells took 0.43 s that way).
    """
    if any(len(row) != width for row in rows):
        return None
    columns = [list(col) for col in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]
    for j, col in enumerate(columns):
        types = set(map(type, col))
        if not types <= _EXACT_PLAIN:
            return None
        if str in types:
            texts = [v for v in col if type(v) is str]
            if not ctx.guard.unchanged(texts):
                return None
        if float in types or str in types:
            columns[j] = [None if (type(v) is float and v != v) or (type(v) is str and v == "") else v for v in col]
    return columns
