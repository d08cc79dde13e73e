"""Manual page breaks that keep a heading on the page of the rows it introduces.

Excel and LibreOffice break pages wherever the next row no longer fits, so a section
heading can print alone at the foot of a page with its rows overleaf (page 1's "The
options", a reviewer found). Neither application has a keep-with-next rule for rows, so
the sheet walks its own rows, page by page, from the heights it gives them, and breaks
before a heading that would not have room for its first row below it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

#: Points of printable height on A4 landscape with the workbook's margins (0.75 inch top
#: and bottom, styles.print_setup): 595 - 2 x 54.
A4_LANDSCAPE_PT = 595.3 - 2 * 54.0
#: A row with no height of its own (one line of 10 pt text). LibreOffice makes it 12.8
#: points; taking more means a heading moves overleaf a little early, never too late.
DEFAULT_ROW_PT = 15.0


#: A section this share of a page or shorter (heading and rows) is kept whole on one page:
#: eight lines of provenance split four and four over two pages read as two fragments.
KEEP_WHOLE = 1 / 3


def heading_breaks(heights: Mapping[int, float], n_rows: int, headings: Collection[int],
                   page_pt: float = A4_LANDSCAPE_PT, default_pt: float = DEFAULT_ROW_PT) -> list[int]:
    """Rows after which to break the page (openpyxl's ``Break(id=row)``) so that no row in
    ``headings`` ends a page: each heading prints on the page of the row below it, and of
    all its section's rows when the section is short (:data:`KEEP_WHOLE`). A section runs
    to the next heading, less the spacer row before that heading.

    ``heights`` gives rows' heights in points (1-based; others take ``default_pt``), as
    printed at 100% (the sheet's columns fit the page without shrinking).
    """
    def height(r: int) -> float:
        return heights.get(r, default_pt)

    starts = sorted(headings)
    ends = [s - 2 for s in starts[1:]] + [n_rows]
    keep = {}
    for s, e in zip(starts, ends, strict=True):
        whole = sum(height(r) for r in range(s, e + 1))
        keep[s] = whole if whole <= page_pt * KEEP_WHOLE else height(s) + (height(s + 1) if s < n_rows else 0.0)
    breaks: list[int] = []
    used = 0.0
    for r in range(1, n_rows + 1):
        need = keep.get(r, height(r))
        if used > 0 and used + need > page_pt:
            if r in headings and used + height(r) <= page_pt:
                breaks.append(r - 1)  # the heading would fit but its first row would not
            used = 0.0  # a page starts here, by our break or the application's own
        used += height(r)
    return breaks
