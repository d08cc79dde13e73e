"""The data sheets of the summary workbook, each one Excel Table with filters.

Layout of every data sheet, so readers (and scripts) always know where to look:

- row 1: the sheet's title, saying in words what one row is (and whose weights);
- row 2: the machine-facing identifier of each column, the same names as the JSON
  results (``option_id``, ``population_coverage``, criterion ids...), hidden: it is for
  scripts, and a long identifier cannot print whole in a column sized for its header;
- row 3: the Table's header: plain-English label and unit of each column, which is what
  Excel, a screen reader and ``pandas.read_excel(..., header=2)`` see;
- row 4 on: one row per option / criterion / area / finding, and nothing below.

Rows 1-3 are frozen on screen and repeated on every printed page; every sheet prints
one page wide (:func:`fit_columns`), or, when too wide for an A4 page and its spec names
key columns, in blocks of columns a page across, each repeating them (:mod:`print_blocks`).
Chart data lives on
its own ``ChartData`` sheet (:mod:`chart_data`), so each sheet holds exactly one table.

This module holds what every data sheet shares (:class:`TableSpec`, :func:`write_table_sheet`);
the sheets themselves are in :mod:`appraisal_sheets`, :mod:`coverage_sheet`,
:mod:`deployments_sheet` and :mod:`record_sheets`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.pagebreak import Break

from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.deferred_table import deferred_rows
from desktop_app.core.export.grid import Block, SheetWriter, Styled
from desktop_app.core.export.print_blocks import PrintBlocks, plan_blocks
from desktop_app.core.export.styles import (
    add_table,
    column_px,
    data_bar,
    fit_width_px,
    heat_map,
    print_setup,
    set_widths,
    unique_headers,
)
from desktop_app.core.workbook import schema

HEADER_ROW = 3
IDS_ROW = 2
FIRST_DATA_ROW = 4
#: Characters of bold 10 pt header text per character of column width (calibrated on
#: LibreOffice's PDF output), used to size columns so no header word is ever split.
_HEADER_CHAR = 1.15
#: The same for regular 10 pt body text (wrapped cells' row heights, :func:`auto_heights`):
#: LibreOffice prints a 113-character sentence on one line of a 100-wide column.
_BODY_CHAR = 0.87

#: Number style of each measure column, from the measure's unit in the schema.
_UNIT_STYLES = {"share": "percent", "minutes": "minutes", "FTE": "fte", "GBP": "gbp", "months": "one_dp"}
MEASURE_STYLES = {m: _UNIT_STYLES[unit] for m, (_label, unit) in schema.MEASURE_LABELS.items()}


@dataclass
class TableSpec:
    """One Excel Table: its name, header ids, plain labels, styles, widths and rows."""

    name: str
    headers: Sequence[str]
    labels: Sequence[str]
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
    #: A table too wide for one A4 page prints in blocks of columns (:mod:`print_blocks`)
    #: when this is set: the number of leading key columns (code, name) every page repeats.
    key_cols: int = 0
    #: Column offsets where a group of columns that reads together starts (kept on one page).
    group_starts: Sequence[int] = ()
    #: Offsets among ``group_starts`` that begin a new printed page (:func:`print_blocks.plan_blocks`).
    page_starts: Sequence[int] = ()

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


def header_width(label: str, width: float) -> float:
    """``width`` widened until the longest word of ``label`` fits on one line."""
    longest = max((len(w) for w in label.split()), default=0)
    return max(width, longest * _HEADER_CHAR + 1.5)


def ident_width(ident: str, width: float) -> float:
    """``width`` widened so no part of an identifier between spaces and underscores is split."""
    longest = max((len(w) for w in re.split(r"[\s_]+", ident)), default=0)
    return max(width, longest * 1.05 + 1.5)


def header_lines(label: str, width: float, char: float = _HEADER_CHAR) -> int:
    """Lines ``label`` wraps to in a column ``width`` characters wide (word wrap), each of
    its characters ``char`` characters of the default font wide (bold 10 pt by default)."""
    per_line = max(1.0, (width - 1.5) / char)
    lines, used = 1, 0.0
    for word in label.split():
        need = len(word) if used == 0 else used + 1 + len(word)
        if need > per_line and used > 0:
            lines, used = lines + 1, float(len(word))
        else:
            used = need
    return lines


def table_block(ctx: ExportContext, spec: TableSpec) -> tuple[Block, list[str]]:
    """The identifier row, header row and data rows of ``spec`` as one block (rows 2..).

    The Table's own column names are the plain-English labels (made unique, as Excel
    requires); the identifiers sit on the row above, outside the Table.
    """
    labels = unique_headers([ctx.guard.clean(h, "", spec.header_row) for h in spec.labels])

    def rows() -> Iterable[Sequence[Any]]:
        yield [Styled(h, "ids") for h in spec.headers]
        yield [Styled(lbl, "header") for lbl in labels]
        yield from spec.rows

    written = spec.n_rows if spec.written_rows is None else spec.written_rows
    block = Block(spec.header_row - 1, spec.first_col, rows(), written + 2, spec.styles, head_rows=2)
    return block, labels


#: Styles that wrap text inside the cell (rows holding them get a computed height).
WRAPPING = {"text", "mono", "value"}
#: Points a wrapped line of 10 pt text takes (Arial's line spacing is 1.15 x 11.5 pt; a margin
#: for LibreOffice). 13.5 left rows a fifth taller than their text and pages part-empty.
LINE_HEIGHT = 12.5


def auto_heights(spec: TableSpec, widths: dict[int, float] | None = None) -> dict[int, float]:
    """Row heights for wrapped text, estimated from text length and column width.

    Excel does not re-measure rows when it opens a file, so without an explicit height a
    long description would be cut off on screen and in print.
    """
    if not isinstance(spec.rows, list):
        return {}
    out: dict[int, float] = {}
    col_w = [(widths or {}).get(spec.first_col + j, w) for j, w in enumerate(spec.widths)]
    wrap_cols = [j for j, st in enumerate(spec.styles) if st in WRAPPING and j < len(spec.widths)]
    # Each distinct text of a column is measured once (the Deployments sheet repeats a few
    # names over thousands of rows).
    measured: list[dict[str, int]] = [{} for _ in spec.widths]
    for i, row in enumerate(spec.rows):
        lines = 1
        for j in wrap_cols:
            v = row[j] if j < len(row) else None
            v = v.value if isinstance(v, Styled) else v
            if isinstance(v, str) and v:
                n = measured[j].get(v)
                if n is None:
                    # Wrapped a word at a time, as LibreOffice and Excel do: a long word such as
                    # OPT3.one_off_cost_gbp starts a new line early, so length alone undercounts.
                    n = measured[j][v] = sum(header_lines(part, col_w[j], _BODY_CHAR) for part in v.split("\n"))
                lines = max(lines, n)
        if lines > 1:
            out[spec.header_row + 1 + i] = LINE_HEIGHT * lines + 2
    return out


@dataclass
class ColumnFit:
    """How a table sheet prints one page wide: its column widths, paper and printed columns."""

    widths: dict[int, float]
    paper: str
    printed_cols: int


def _longest_words(spec: TableSpec) -> dict[int, int]:
    """Per wrapping text column, the characters of its longest run without a space (written rows only)."""
    if not isinstance(spec.rows, list):
        return {}
    out: dict[int, int] = {}
    for j, st in enumerate(spec.styles):
        if st not in WRAPPING:
            continue
        texts = {v for v in (_plain(row[j]) if j < len(row) else None for row in spec.rows)
                 if isinstance(v, str) and v}  # each distinct text once
        out[spec.first_col + j] = max((len(w) for v in texts for w in v.split()), default=0)
    return out


def _plain(v: Any) -> Any:
    """A cell's value without its style."""
    return v.value if isinstance(v, Styled) else v


#: A column is widened for a long word only up to this (characters); past it, LibreOffice breaks the word.
_LONGEST_WORD_CAP = 32.0
#: Narrowest a wrapping text column is squeezed to (characters), and a number column.
_TEXT_FLOOR = 12.0
_NUMBER_FLOOR = 7.0


def fit_columns(spec: TableSpec, widths: dict[int, float], n_print: int, orientation: str = "landscape") -> ColumnFit:
    """Widths that print ``n_print`` columns one page wide at 90% or more (nothing below 9 pt).

    On A4, then on A3: the widest wrapping text columns (descriptions, notes) are narrowed
    first, down to :data:`_TEXT_FLOOR`, then number columns down to
    :data:`_NUMBER_FLOOR`, never below a header's longest word (headers wrap only between
    words). A sheet too wide even on A3 prints the leading columns that fit (its title
    says so); the full Table is kept.
    """
    cols = [spec.first_col + i for i in range(n_print)]
    wrapping = {spec.first_col + j for j, st in enumerate(spec.styles) if st in WRAPPING}
    floor = {c: max(header_width(spec.labels[c - spec.first_col], 0.0),
                    _TEXT_FLOOR if c in wrapping else _NUMBER_FLOOR) for c in cols}
    # Text wraps only at spaces: a column is never narrower than its longest word, so an
    # identifier such as default (mobilisation_minutes_aro) is never broken mid-word.
    widths = dict(widths)
    for c, longest in _longest_words(spec).items():
        if c in floor:
            floor[c] = max(floor[c], min(longest * 1.05 + 1.5, _LONGEST_WORD_CAP))
            widths[c] = max(widths[c], floor[c])
    for paper in ("A4", "A3"):
        budget = fit_width_px(paper, orientation)
        fitted = dict(widths)
        for group in ([c for c in cols if c in wrapping], [c for c in cols if c not in wrapping]):
            while sum(column_px(fitted[c]) for c in cols) > budget:
                wide = [c for c in group if fitted[c] - 1.0 >= floor[c]]
                if not wide:
                    break
                widest = max(wide, key=lambda c: fitted[c])
                fitted[widest] -= 1.0
        if sum(column_px(fitted[c]) for c in cols) <= budget:
            return ColumnFit(fitted, paper, n_print)
    used, keep = 0.0, 0
    for c in cols:
        used += column_px(fitted[c])
        if used > budget:
            break
        keep += 1
    keep = max(keep, 1)
    for c in cols[keep:]:  # not printed: keep the width it reads best at on screen
        fitted[c] = widths[c]
    return ColumnFit(fitted, "A3", keep)


def _blocks(spec: TableSpec, widths: dict[int, float], n_cols: int, orientation: str) -> PrintBlocks | None:
    """Print blocks for a table that does not fit one A4 page wide (None: it has no key columns)."""
    if spec.key_cols <= 0 or n_cols <= spec.key_cols:
        return None
    widths = dict(widths)
    for c, longest in _longest_words(spec).items():  # as fit_columns: no word split
        widths[c] = max(widths[c], min(longest * 1.05 + 1.5, _LONGEST_WORD_CAP))
    text = [j for j, st in enumerate(spec.styles) if st in WRAPPING]
    def lines(col: int, width: float) -> int:
        return header_lines(spec.labels[col - spec.first_col], width)

    return plan_blocks(widths, spec.first_col, n_cols, spec.key_cols, spec.group_starts, text, "A4", orientation, lines,
                       spec.page_starts)


def title_block(text: str, row: int = 1, col: int = 1, style: str = "title") -> Block:
    return Block(row, col, [[Styled(text, style)]], 1)


#: Characters of the default font one character of the 14 pt bold title takes.
_TITLE_CHAR = _HEADER_CHAR * 1.28
#: Points a line of the 14 pt title takes.
_TITLE_LINE = 18.0
#: The same measure for deciding whether a title fits one line, tighter than the
#: :data:`_TITLE_CHAR` that sizes a wrapped title's row: in LibreOffice's PDF, 70 characters
#: of the WeightSets title filled 84.5 characters of columns (1.21 each), and the
#: Sensitivity title's 117 characters printed whole in 147.3 (1.26 each available).
_TITLE_FIT_CHAR = 1.25


def title_fits(title: str, width: float) -> bool:
    """Whether the 14 pt title prints on one line within columns ``width`` characters wide.

    A printed page ends at its print area's last column and LibreOffice and Excel cut a
    longer title there, mid-word ("...give (their w"); such a title wraps instead
    (:func:`_wrapped_title`)."""
    return header_lines(title, width, _TITLE_FIT_CHAR) == 1


def _wrapped_title(ws: Any, spec: TableSpec, widths: dict[int, float], title: str, n_cols: int) -> str:
    """Merge row 1 over the first ``n_cols`` columns and make it as tall as the title wraps to."""
    width = sum(widths[spec.first_col + i] for i in range(n_cols))
    ws.row_dimensions[1].height = _TITLE_LINE * header_lines(title, width, _TITLE_CHAR) + 4
    ws.merged_cells.add(f"{spec.col_letter(0)}1:{spec.col_letter(n_cols - 1)}1")
    return "title_wrap"


def _title_style(ws: Any, spec: TableSpec, widths: dict[int, float], title: str, n_cols: int, *, wrap: bool) -> str:
    """The title's style, wrapping it over the first ``n_cols`` columns when asked (a title
    holding a sentence; a sheet printed in blocks, whose every page repeats the key columns
    and clips the title at their edge) or when it is wider than they are, so every word of
    it prints whole."""
    if wrap or not title_fits(title, sum(widths[spec.first_col + i] for i in range(n_cols))):
        return _wrapped_title(ws, spec, widths, title, n_cols)
    return "title"


def _print_note(spec: TableSpec, blocks: PrintBlocks | None, n_print: int, asked: int) -> str | None:
    """What every printed page's footer says about columns left off or printed across.

    In the footer, not the title (which names the sheet, and its weights); short when
    printed in blocks, as the footer's centre holds the marking.
    """
    if blocks is not None:
        return f"Printed {len(blocks.blocks)} pages across"
    if n_print < asked:
        return f"Printed: the first {n_print} of {len(spec.headers)} columns; the Table holds them all"
    return None


def write_table_sheet(
    ctx: ExportContext,
    ws: Any,
    title: str,
    spec: TableSpec,
    *,
    freeze: str = "C4",
    print_area: str | None = None,
    title_rows: str | None = "1:3",
    title_cols: str | None = "A:B",
    orientation: str = "landscape",
    printed_cols: int | None = None,
    wrap_title: bool = False,
    printed: bool = True,
) -> list[str]:
    """Write a sheet holding one Table under its title; returns the Table's column names.

    ``wrap_title`` wraps a long title (one with a sentence in it) over the printed columns;
    a title wider than the printed columns wraps over them anyway (:func:`title_fits`).
    ``printed=False`` (a hidden sheet) sets no print area, so no printer prints it.
    ``printed_cols`` (default: every column) is how many columns the print area holds,
    which sets the print scale (:func:`styles.print_setup`). A table that does not fit
    one A4 page wide prints in blocks of columns when ``spec.key_cols`` is set
    (:mod:`print_blocks`); ``title_cols`` is kept for callers: the repeated columns are
    the spec's key columns.
    """
    del title_cols
    asked = len(spec.headers) if printed_cols is None else printed_cols
    if print_area is not None:  # the caller's print area names the printed columns
        _c0, _r0, max_col, _r1 = range_boundaries(print_area)
        asked = min(asked, max(1, max_col - spec.first_col + 1))
    widths = {spec.first_col + i: header_width(lbl, w) for i, (lbl, w) in enumerate(zip(spec.labels, spec.widths, strict=True))}
    fit = fit_columns(spec, widths, asked, orientation)
    blocks = _blocks(spec, widths, asked, orientation) if fit.paper != "A4" or fit.printed_cols < asked else None
    widths, n_print = (blocks.widths, asked) if blocks is not None else (fit.widths, fit.printed_cols)
    set_widths(ws, widths)
    if blocks is not None:
        for brk in blocks.breaks:
            ws.col_breaks.append(Break(id=brk))
    ws.freeze_panes = freeze
    # Row 2 (the identifiers) is hidden: it is for scripts, which read hidden rows, and a
    # long identifier such as population_coverage_all_free cannot print whole in a column
    # sized for its plain-English header; row 3 is what a reader sees and every page repeats.
    ws.row_dimensions[spec.header_row - 1].hidden = True
    head_lines = max((header_lines(lbl, widths[spec.first_col + i]) for i, lbl in enumerate(spec.labels)), default=1)
    ws.row_dimensions[spec.header_row].height = LINE_HEIGHT * head_lines + 4
    heights = auto_heights(spec, widths)
    deferred = deferred_rows(ctx, ws, spec, heights)
    if deferred is not None:  # the heights go with the spliced rows
        spec = replace(spec, rows=[], written_rows=0)
    for r, h in heights.items():
        if deferred is None or r < deferred.start_row:
            ws.row_dimensions[r].height = h
    last_printed = get_column_letter(spec.first_col + n_print - 1)
    if print_area is None:
        print_area = f"A1:{last_printed}{spec.last_row}"
    elif n_print < asked:
        print_area = re.sub(r"^(\$?[A-Z]+\$?\d+:)\$?[A-Z]+", rf"\g<1>{last_printed}", print_area)
    if not printed:
        # No print area at all: LibreOffice prints a hidden sheet that has one (even its
        # title alone, a page that said "not printed") and skips one without; Excel never
        # prints a hidden sheet.
        print_area = None
    print_note = _print_note(spec, blocks, n_print, asked)
    block, labels = table_block(ctx, spec)
    # Before any row: in write-only mode the sheet properties (page set-up) go out first.
    print_setup(ws, marking=ctx.marking, force=ctx.force, title_rows=title_rows, print_area=print_area,
                orientation=orientation, paper=blocks.paper if blocks else fit.paper, note=print_note,
                scale=blocks.scale if blocks else None,
                title_cols=f"{spec.col_letter(0)}:{spec.col_letter(spec.key_cols - 1)}" if blocks else None)
    title_style = _title_style(ws, spec, widths, title, spec.key_cols if blocks is not None else n_print,
                               wrap=wrap_title or blocks is not None)
    SheetWriter(ws, ctx.guard, ctx.styler).write([title_block(title, style=title_style), block])
    if deferred is not None:
        ctx.deferred.append(deferred)
    add_table(ws, spec.name, labels, spec.header_row, spec.first_col, spec.n_rows)
    _conditional_formats(ws, spec)
    return labels


def _conditional_formats(ws: Any, spec: TableSpec) -> None:
    """The spec's heat maps and data bars over its data rows (none on an empty Table)."""
    if spec.n_rows == 0:
        return
    for kind, first, last in spec.formats:
        ref = spec.data_ref(first, last)
        if kind == "heat":
            heat_map(ws, ref)
        elif kind == "bar":
            data_bar(ws, ref)


def _f(x: Any) -> Any:
    """A number for a cell: floats stay floats (inf/NaN handled by the grid), None stays."""
    if x is None:
        return None
    if isinstance(x, np.generic):
        x = x.item()
    return x


def weights_words(ctx: ExportContext) -> str:
    """Whose weights rank the options, named as everywhere else (``describe_weights``)."""
    return ctx.weights_label
