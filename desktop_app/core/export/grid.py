"""Streams a sheet's content, laid out as rectangular blocks, into a write-only sheet.

The workbook is written in openpyxl's write-only mode (the 35,672-row national Coverage
sheet is too slow to build cell by cell in normal mode), which only accepts whole rows
from top to bottom. Each sheet is therefore described as blocks (a table, a chart-data
block to its right, a heading) and this module zips them row by row.

It is also the single door every value goes through: strings always become literal
text cells (see :mod:`safe_text`), and non-finite numbers, which Excel cannot store,
become readable text or a blank.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from desktop_app.core.export.safe_text import TextGuard
from desktop_app.core.export.styles import Styler

#: What an infinite response time reads as (no armed asset can reach the area in time at all).
NOT_REACHED = "not reached"


class Styled:
    """A value with its own style name, overriding the block's column style."""

    __slots__ = ("value", "style")

    def __init__(self, value: Any, style: str | None) -> None:
        self.value = value
        self.style = style


@dataclass
class Block:
    """Rows placed with their top-left cell at (``row``, ``col``), both 1-based."""

    row: int
    col: int
    rows: Iterable[Sequence[Any]]
    height: int
    #: Style name per column of the block, for cells that do not carry their own.
    col_styles: Sequence[str | None] | None = None
    #: Rows at the top of the block that take no column style (headings, labels).
    head_rows: int = 0


def _plain(value: Any) -> Any:
    """numpy scalars to Python; NaN to blank; infinity to text."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else NOT_REACHED if value > 0 else "-" + NOT_REACHED
    return value


class SheetWriter:
    """Writes blocks to one write-only worksheet, cleaning text on the way."""

    def __init__(self, ws: Any, guard: TextGuard, styler: Styler) -> None:
        self.ws = ws
        self.guard = guard
        self.styler = styler
        self.title = ws.title

    def make_cell(self, value: Any, style: str | None, row: int, col: int) -> WriteOnlyCell | None:
        value = _plain(value)
        if value is None and style is None:
            return None
        if isinstance(value, str):
            cell = self.guard.cell(self.ws, value, sheet=self.title, row=row, column=get_column_letter(col))
        else:
            cell = WriteOnlyCell(self.ws)
            if value is not None:
                if isinstance(value, bool):
                    cell._value, cell.data_type = value, "b"
                elif isinstance(value, int | float):
                    cell._value, cell.data_type = value, "n"
                else:  # dates and the like: let openpyxl type them (never a str here)
                    cell.value = value
        if style is not None:
            self.styler.apply(cell, style)
        return cell

    def write(self, blocks: list[Block], total_rows: int | None = None) -> int:
        """Append every row; returns the number of rows written."""
        last = max((b.row + b.height - 1 for b in blocks), default=0)
        if total_rows is not None:
            last = max(last, total_rows)
        iters: list[tuple[Block, Iterator[Sequence[Any]]]] = [(b, iter(b.rows)) for b in blocks]
        width = max((b.col + self._block_width(b) for b in blocks), default=1)
        for r in range(1, last + 1):
            out: list[Any] = [None] * width
            for block, it in iters:
                offset = r - block.row
                if offset < 0 or offset >= block.height:
                    continue
                values = next(it, None)
                if values is None:
                    continue
                styles = block.col_styles if offset >= block.head_rows else None
                for j, v in enumerate(values):
                    style = styles[j] if styles is not None and j < len(styles) else None
                    while isinstance(v, Styled):
                        v, style = v.value, v.style
                    col = block.col + j
                    if col > len(out):
                        out.extend([None] * (col - len(out)))
                    out[col - 1] = self.make_cell(v, style, r, col)
            while out and out[-1] is None:
                out.pop()
            self.ws.append(out)
        return last

    @staticmethod
    def _block_width(block: Block) -> int:
        return len(block.col_styles) if block.col_styles else 1
