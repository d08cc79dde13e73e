"""Printing a table too wide for one A4 page: pages across, its key columns on each.

A board paper is A4. A table of many measures (Options: 23 columns) does not fit one
A4 page wide at a readable size, and shrinking it to fit prints 5 pt text; printing
only its leading columns leaves the rest (benefit value among them) off paper. So such
a sheet prints in **blocks of columns**, one block a page across, each page repeating
the table's key columns (the option's or criterion's code and name) at its left, as
Excel's "columns to repeat at left" does, at 90% to 100% so nothing prints below 9 pt
(docs/summary-workbook.md#printing).

Columns are kept in their groups where a group fits a page (an option's cost columns,
the weights of each stakeholder group, the central weights): the fewest pages across
are used (narrowing wide text columns if that saves a page), then the fewest groups split
between pages, then the largest scale that still gives those. Spare room on a page then goes to the headers that wrap to the most lines
and to the block's widest text column, so headers and descriptions wrap to fewer lines.
Rows run on down the pages as usual; pages go across before down, so one set of rows
reads block after block.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from desktop_app.core.export.styles import MIN_FIT, PAPER_WIDTH_PX, column_px

#: Scales tried, largest first (percent): 100 down to MIN_FIT.
SCALES = tuple(range(100, round(MIN_FIT * 100) - 1, -1))
#: A wrapping text column is widened to fill its block up to this many characters.
TEXT_FILL_CAP = 70.0
#: ...and may be narrowed to this many to print the table on fewer pages across (the
#: Options sheet's 70-character description had a page to itself beside one flag, its six
#: rows a fifth of the page). No narrower than a long word may be (``tables._LONGEST_WORD_CAP``).
TEXT_SQUEEZE = 32.0
#: LibreOffice needs a little more than Excel's measure of a column (as ``styles.fit_width_px``).
_SAFETY = 0.95


@dataclass(frozen=True)
class PrintBlocks:
    """How a wide table prints: column widths, the blocks (1-based columns, key columns
    excluded), the number of key columns repeated on each page, the scale and paper."""

    widths: dict[int, float]
    blocks: tuple[tuple[int, ...], ...]
    key_cols: int
    scale: int
    paper: str = "A4"
    orientation: str = "landscape"

    @property
    def breaks(self) -> list[int]:
        """Zero-based column indexes a page break falls left of (OOXML ``colBreaks``)."""
        return [block[0] - 1 for block in self.blocks[1:]]

    def block_px(self, i: int) -> float:
        """Printed width (pixels at 100%) of page ``i`` across: key columns plus its block."""
        keys = range(self.blocks[0][0] - self.key_cols, self.blocks[0][0])
        return sum(column_px(self.widths[c]) for c in (*keys, *self.blocks[i]))


def budget_px(scale: int, paper: str = "A4", orientation: str = "landscape") -> float:
    """Columns (pixels at 100%) that fit one page across when printed at ``scale`` percent."""
    return PAPER_WIDTH_PX[(paper, orientation)] * _SAFETY * 100.0 / scale


def _pack(groups: Sequence[Sequence[int]], px: dict[int, float], room: float,
          new_page: Sequence[int] = ()) -> list[list[int]]:
    """Blocks of columns no wider than ``room``: whole groups where they fit, a group
    wider than a page split column by column. A group whose first column is in
    ``new_page`` starts a block of its own (a run of groups that reads apart from
    what comes before it, such as every option's pair of totals)."""
    return _pack_counting(groups, px, room, new_page)[0]


def _pack_counting(groups: Sequence[Sequence[int]], px: dict[int, float], room: float,
                   new_page: Sequence[int] = ()) -> tuple[list[list[int]], int]:
    """:func:`_pack`, and how many groups it had to split."""
    blocks: list[list[int]] = [[]]
    used = 0.0
    split = 0
    for group in groups:
        width = sum(px[c] for c in group)
        if group and group[0] in new_page and blocks[-1]:
            blocks.append([])
            used = 0.0
        if width <= room:
            if used + width > room and blocks[-1]:
                blocks.append([])
                used = 0.0
            blocks[-1].extend(group)
            used += width
            continue
        split += 1
        for c in group:
            if used + px[c] > room and blocks[-1]:
                blocks.append([])
                used = 0.0
            blocks[-1].append(c)
            used += px[c]
    return [b for b in blocks if b], split


def plan_blocks(
    widths: dict[int, float],
    first_col: int,
    n_cols: int,
    key_cols: int,
    group_starts: Sequence[int] = (),
    text_cols: Sequence[int] = (),
    paper: str = "A4",
    orientation: str = "landscape",
    header_lines: Callable[[int, float], int] | None = None,
    page_starts: Sequence[int] = (),
) -> PrintBlocks:
    """Blocks for columns ``first_col`` .. ``first_col + n_cols - 1``, the first ``key_cols``
    repeated on every page.

    ``group_starts`` are column offsets (0 = the table's first column) where a group of
    columns that reads together begins; ``text_cols`` the offsets of wrapping text columns,
    which may be widened to fill a page. A column wider than a page on its own is narrowed
    to the page (only wrapping text is that wide). ``header_lines(col, width)`` (the lines
    a column's header wraps to) lets spare room on a page first go to the columns whose
    headers wrap to the most lines, as the header row is as tall as its tallest header.
    ``page_starts`` (offsets among ``group_starts``) begin a new printed page. Text columns
    are narrowed to :data:`TEXT_SQUEEZE` when that prints fewer pages across.
    """
    cols = [first_col + i for i in range(n_cols)]
    keys, rest = cols[:key_cols], cols[key_cols:]
    starts = sorted({s for s in group_starts if key_cols < s < n_cols} | {key_cols})
    new_page = [first_col + s for s in page_starts if key_cols < s < n_cols]
    groups = [[first_col + i for i in range(a, b)] for a, b in zip(starts, [*starts[1:], n_cols], strict=True)]
    widths = dict(widths)
    key_px = sum(column_px(widths[c]) for c in keys)
    text = {first_col + j for j in text_cols}
    squeezed = {c: min(widths[c], TEXT_SQUEEZE) if c in text else widths[c] for c in rest}
    best: tuple[tuple[int, int, bool], int, list[list[int]]] | None = None
    for scale in SCALES:
        room = budget_px(scale, paper, orientation) - key_px
        for squeeze, width_of in ((False, widths), (True, squeezed)):
            px = {c: min(column_px(width_of[c]), room) for c in rest}
            blocks, split = _pack_counting(groups, px, room, new_page)
            # fewest pages across, then fewest groups split, then text at its own width
            cost = (len(blocks), split, squeeze)
            if best is None or cost < best[0]:
                best = (cost, scale, blocks)
    assert best is not None
    (_pages, _split, squeeze), scale, blocks = best
    if squeeze:  # narrowed to pack fewer pages; the spare room below widens them again
        widths.update({c: squeezed[c] for c in rest})
    room = budget_px(scale, paper, orientation) - key_px
    for block in blocks:
        for c in block:  # a single column wider than the page: narrowed to it
            if column_px(widths[c]) > room:
                widths[c] = (room - 5) / 7
    if header_lines is not None:
        _lower_header_row(blocks, widths, room, header_lines)
    for block in blocks:
        spare = room - sum(column_px(widths[c]) for c in block)
        wide = sorted((c for c in block if c in text), key=lambda c: -widths[c])
        if wide and spare >= 7:
            c = wide[0]
            widths[c] = max(widths[c], min(TEXT_FILL_CAP, widths[c] + int(spare // 7)))
    return PrintBlocks(widths, tuple(tuple(b) for b in blocks), key_cols, scale, paper, orientation)


def _lower_header_row(blocks: list[list[int]], widths: dict[int, float], room: float,
                      header_lines: Callable[[int, float], int]) -> None:
    """Widen the columns whose headers wrap to the most lines, a character at a time,
    while their page has room, until the tallest header can be no shorter."""
    page_of = {c: i for i, block in enumerate(blocks) for c in block}
    spare = [room - sum(column_px(widths[c]) for c in block) for block in blocks]
    while True:
        lines = {c: header_lines(c, widths[c]) for c in page_of}
        tallest = max(lines.values(), default=1)
        if tallest <= 2:
            return
        worst = [c for c, n in lines.items() if n == tallest]
        for c in worst:  # each must lose a line, or the row stays as tall
            extra = 0.0  # a character (7 px) at a time, never past the page's spare room
            while header_lines(c, widths[c] + extra) == tallest and (extra + 1.0) * 7 <= spare[page_of[c]]:
                extra += 1.0
            if header_lines(c, widths[c] + extra) == tallest:
                return
            widths[c] += extra
            spare[page_of[c]] -= 7 * extra
