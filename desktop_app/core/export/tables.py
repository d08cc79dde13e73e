"""The data sheets of the summary workbook, each an Excel Table with filters.

Layout of every data sheet, so readers (and the tests) always know where to look:

- row 1: the sheet's title, saying in words what one row is;
- row 2: plain-English label and unit of each column (small italic);
- row 3: the table header, using the JSON results' own names (``option_id``,
  ``population_coverage``, criterion ids...), so the sheet lines up with the JSON results;
- row 4 on: one row per option / criterion / area / finding.

Rows 1-3 are frozen on screen and repeated on every printed page. Chart data blocks sit
to the right of the table (never on extra sheets: docs/summary-workbook.md#sheets-in-order fixes the list).

This module holds what every data sheet shares (:class:`TableSpec`, :func:`write_table_sheet`);
the sheets themselves are in :mod:`appraisal_sheets` (Options, Scores, Weights, Sensitivity,
Robustness, WeightSets), :mod:`coverage_sheet` (Coverage) and :mod:`record_sheets`
(Assumptions, Validation).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from openpyxl.utils import get_column_letter

from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.grid import Block, SheetWriter, Styled
from desktop_app.core.export.styles import (
    add_table,
    data_bar,
    heat_map,
    print_setup,
    set_widths,
    unique_headers,
)
from desktop_app.core.workbook import schema

HEADER_ROW = 3
FIRST_DATA_ROW = 4

#: Number style of each measure column, from the measure's unit in the schema.
_UNIT_STYLES = {"share": "percent", "minutes": "minutes", "FTE": "fte", "GBP": "gbp", "months": "one_dp"}
MEASURE_STYLES = {m: _UNIT_STYLES[unit] for m, (_label, unit) in schema.MEASURE_LABELS.items()}
_UNIT_WORDS = {"share": "%", "minutes": "minutes", "FTE": "FTE", "GBP": "£", "months": "months"}


@dataclass
class TableSpec:
    """One Excel Table: its name, header ids, plain labels, styles, widths and rows."""

    name: str
    headers: list[str]
    labels: list[str]
    styles: Sequence[str | None]
    widths: Sequence[float]
    rows: Iterable[Sequence[Any]]
    n_rows: int
    first_col: int = 1
    header_row: int = HEADER_ROW
    #: Conditional formats: (kind, first column offset, last column offset) in the table.
    formats: list[tuple[str, int, int]] = field(default_factory=list)
    #: Data rows openpyxl writes (the rest are spliced in by :mod:`fastrows`); None: all.
    written_rows: int | None = None

    @property
    def last_col(self) -> int:
        return self.first_col + len(self.headers) - 1

    @property
    def last_row(self) -> int:
        return self.header_row + max(self.n_rows, 1)

    def col_letter(self, offset: int) -> str:
        return get_column_letter(self.first_col + offset)

    def data_ref(self, first: int, last: int | None = None) -> str:
        last = first if last is None else last
        r0, r1 = self.header_row + 1, self.header_row + max(self.n_rows, 1)
        return f"{self.col_letter(first)}{r0}:{self.col_letter(last)}{r1}"


def measure_label(measure: str, target: float) -> str:
    label, unit = schema.measure_label(measure, target), schema.MEASURE_LABELS.get(measure, (measure, ""))[1]
    unit_text = _UNIT_WORDS.get(unit, unit)
    return f"{label} ({unit_text})" if unit_text else label


def table_block(ctx: ExportContext, spec: TableSpec) -> tuple[Block, list[str]]:
    """The label row, header row and data rows of ``spec`` as one block (rows 2..)."""
    headers = unique_headers([ctx.guard.clean(h, "", spec.header_row) for h in spec.headers])

    def rows() -> Iterable[Sequence[Any]]:
        yield [Styled(lbl, "unit") for lbl in spec.labels]
        yield [Styled(h, "header") for h in headers]
        yield from spec.rows

    written = spec.n_rows if spec.written_rows is None else spec.written_rows
    block = Block(spec.header_row - 1, spec.first_col, rows(), written + 2, spec.styles, head_rows=2)
    return block, headers


#: Styles that wrap text inside the cell (rows holding them get a computed height).
WRAPPING = {"text", "mono"}
LINE_HEIGHT = 13.5


def auto_heights(spec: TableSpec) -> dict[int, float]:
    """Row heights for wrapped text, estimated from text length and column width.

    Excel does not re-measure rows when it opens a file, so without an explicit height a
    long description would be cut off on screen and in print.
    """
    if not isinstance(spec.rows, list):
        return {}
    out: dict[int, float] = {}
    wrap_cols = [j for j, st in enumerate(spec.styles) if st in WRAPPING and j < len(spec.widths)]
    for i, row in enumerate(spec.rows):
        lines = 1
        for j in wrap_cols:
            v = row[j] if j < len(row) else None
            v = v.value if isinstance(v, Styled) else v
            if isinstance(v, str) and v:
                per_line = max(1.0, spec.widths[j] * 1.25)
                lines = max(lines, sum(math.ceil(max(1, len(part)) / per_line) for part in v.split("\n")))
        if lines > 1:
            out[spec.header_row + 1 + i] = LINE_HEIGHT * lines + 2
    return out


def title_block(text: str, row: int = 1, col: int = 1) -> Block:
    return Block(row, col, [[Styled(text, "title")]], 1)


def write_table_sheet(
    ctx: ExportContext,
    ws: Any,
    title: str,
    specs: list[TableSpec],
    *,
    extra_blocks: Sequence[Block] = (),
    freeze: str = "A4",
    extra_widths: dict[int, float] | None = None,
    print_area: str | None = None,
    title_rows: str | None = "1:3",
    row_heights: dict[int, float] | None = None,
) -> list[list[str]]:
    """Write a sheet holding one or more tables (plus any other blocks); returns headers."""
    widths: dict[int, float] = {}
    for spec in specs:
        for i, w in enumerate(spec.widths):
            widths[spec.first_col + i] = w
    widths.update(extra_widths or {})
    set_widths(ws, widths)
    ws.freeze_panes = freeze
    for spec in specs:
        ws.row_dimensions[spec.header_row - 1].height = 48
        ws.row_dimensions[spec.header_row].height = 36
    heights: dict[int, float] = {}
    for spec in specs:
        for r, h in auto_heights(spec).items():
            heights[r] = max(heights.get(r, 0.0), h)
    heights.update(row_heights or {})
    for r, h in heights.items():
        ws.row_dimensions[r].height = h
    blocks = [title_block(title)]
    all_headers = []
    for spec in specs:
        block, headers = table_block(ctx, spec)
        blocks.append(block)
        all_headers.append(headers)
    blocks.extend(extra_blocks)
    # Before any row: in write-only mode the sheet properties (fit to page) go out first.
    print_setup(ws, marking=ctx.marking, force=ctx.force, title_rows=title_rows, print_area=print_area)
    SheetWriter(ws, ctx.guard, ctx.styler).write(blocks)
    for spec, headers in zip(specs, all_headers, strict=True):
        add_table(ws, spec.name, headers, spec.header_row, spec.first_col, spec.n_rows)
        for kind, first, last in spec.formats:
            if spec.n_rows == 0:
                continue
            ref = spec.data_ref(first, last)
            if kind == "heat":
                heat_map(ws, ref)
            elif kind == "bar":
                data_bar(ws, ref)
    return all_headers


def _f(x: Any) -> Any:
    """A number for a cell: floats stay floats (inf/NaN handled by the grid), None stays."""
    if x is None:
        return None
    if isinstance(x, np.generic):
        x = x.item()
    return x


def _weights_words(ap: Any) -> str:
    name = str(getattr(ap, "weights_name", "") or "")
    return "the force's weights" if name.lower() in ("", "criteria", "force", "criteria weights", "force weights") else f"weights: {name}"
