"""Look and print set-up of the summary workbook: fonts, number formats, colours, pages.

Kept apart from what the sheets contain so every sheet prints the same way: the
protective marking centred in the header and footer, "Page x of y", landscape, fitted
to the page width, with the title rows repeated on each page. Option colours are the
app's (:mod:`desktop_app.core.colours`: Okabe-Ito, darkened to 3:1 on white), which stay
distinguishable with the common forms of colour blindness, and the heat map is a
single-hue (white to blue) scale for the same reason.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import ColorScaleRule, DataBarRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from desktop_app.core.colours import OPTION_COLOURS, hex6
from desktop_app.core.export.safe_text import header_footer_text

#: An openpyxl worksheet, normal or write-only (openpyxl ships no type information).
Worksheet = Any

#: Chart series colours of the options: the app's option colours (one palette,
#: :mod:`desktop_app.core.colours`), as Excel writes them. Each is 3:1 or more on white
#: (WCAG 2.2 success criterion 1.4.11, non-text contrast); series also differ by
#: pattern, dash or marker, never by colour alone.
SERIES_COLOURS: tuple[str, ...] = tuple(hex6(c) for c in OPTION_COLOURS)
#: The data bars' blue (total value on Scores), the first option colour's hue at 3:1 or more on white.
DATA_BAR_COLOUR = SERIES_COLOURS[0]

# Number formats (issue 5: pounds with thousands separators, percentages, minutes to 0.1).
#: Pounds shown to the nearest £1,000 (the trailing comma divides by 1,000 for display; the
#: cell keeps the full value for anyone who reads the data), as the Green Book asks that
#: costs not be given a precision they do not have (docs/appraisal-method.md#green-book-costs).
GBP = '[>=500]"£"#,##0,",000";[<=-500]-"£"#,##0,",000";"£"0'  # under £500 either way: £0
PERCENT = "0.0%"
MINUTES = "0.0"
ONE_DP = "0.0"
TWO_DP = "0.00"
FOUR_DP = "0.0000"
INTEGER = "#,##0"
FTE = "#,##0.0"

_THIN = Side(style="thin", color="7F7F7F")

#: One named font family for text and numbers alike (issue 15): Arial is on every Windows
#: and Mac machine and LibreOffice substitutes the metric-identical Liberation Sans, so a
#: printed page looks the same whichever program printed it.
FONT_NAME = "Arial"
#: Body text size. Sheets print at 92% or more (:func:`print_setup`), so nothing on paper
#: is smaller than 9 pt (docs/summary-workbook.md#printing).
BODY_PT = 10


def _font(size: float = BODY_PT, **kw: object) -> Font:
    return Font(name=FONT_NAME, size=size, **kw)


def _al(**kw: object) -> Alignment:
    return Alignment(vertical="top", **kw)


#: Named cell styles: font, fill, number format, alignment, border. Every style names the
#: font, so no cell falls back to the workbook default face.
STYLE_SPECS: dict[str, dict[str, object]] = {
    "title": {"font": _font(14, bold=True, color="1F3864")},
    "title_wrap": {"font": _font(14, bold=True, color="1F3864"), "alignment": _al(wrap_text=True)},
    "subtitle": {"font": _font(italic=True, color="404040"), "alignment": _al(wrap_text=False)},
    "marking": {"font": _font(12, bold=True, color="C00000")},
    "section": {"font": _font(12, bold=True, color="1F3864"), "border": Border(bottom=_THIN)},
    "label": {"font": _font(bold=True), "alignment": _al(wrap_text=True)},
    "text": {"font": _font(), "alignment": _al(wrap_text=True)},
    "text_nowrap": {"font": _font(), "alignment": _al()},
    "mono": {"font": _font(), "alignment": _al(wrap_text=True)},
    # Row 2 of a data sheet: the machine-facing identifiers (as in the JSON results).
    "ids": {"font": _font(italic=True, color="595959"), "alignment": Alignment(vertical="bottom", wrap_text=True)},
    "header": {
        "font": _font(bold=True, color="FFFFFF"),
        "fill": PatternFill("solid", fgColor="1F4E79"),
        "alignment": Alignment(vertical="center", wrap_text=True),
    },
    "gbp": {"number_format": GBP, "font": _font(), "alignment": _al()},
    "percent": {"number_format": PERCENT, "font": _font(), "alignment": _al()},
    "minutes": {"number_format": MINUTES, "font": _font(), "alignment": _al()},
    "one_dp": {"number_format": ONE_DP, "font": _font(), "alignment": _al()},
    # A change of a share, in percentage points ("+2.6 points"), not a share of its own.
    "points_change": {"number_format": '+0.0" points";-0.0" points";0.0" points"', "font": _font(), "alignment": _al()},
    "fte": {"number_format": FTE, "font": _font(), "alignment": _al()},
    "integer": {"number_format": INTEGER, "font": _font(), "alignment": _al()},
    "scale_end": {"number_format": "#,##0.0##", "font": _font(), "alignment": _al()},
    "four_dp": {"number_format": FOUR_DP, "font": _font(), "alignment": _al()},
    "metres": {"number_format": "0", "font": _font(), "alignment": _al()},
    "number": {"font": _font(), "alignment": _al()},
    "value": {"font": _font(), "alignment": Alignment(horizontal="left", vertical="top", wrap_text=True)},
    "bool": {"font": _font(), "alignment": Alignment(horizontal="center", vertical="top")},
    "edited": {
        "number_format": ONE_DP,
        "fill": PatternFill("solid", fgColor="FFE699"),
        "font": _font(bold=True),
        "alignment": _al(),
    },
    "number_bold": {"number_format": ONE_DP, "font": _font(bold=True), "alignment": _al()},
    "percent_bold": {"number_format": "0%", "font": _font(bold=True), "alignment": _al()},
    "summary_minutes": {"number_format": '0.0" minutes"', "font": _font(), "alignment": Alignment(horizontal="left", vertical="top")},
    # A whole target as the workbook gives it: "20.0 minutes" claimed a precision no one set.
    "summary_minutes_whole": {"number_format": '0" minutes"', "font": _font(), "alignment": Alignment(horizontal="left", vertical="top")},
    # A rank in a table is centred: left-aligned beside a right-aligned total it printed
    # as one figure ("60.8 2" read as "60.82"). Page 1's ranking keeps it at the left.
    "rank": {"number_format": "0", "font": _font(bold=True), "alignment": Alignment(horizontal="center", vertical="top")},
    "rank_left": {"number_format": "0", "font": _font(bold=True), "alignment": Alignment(horizontal="left", vertical="top")},
    "label_wrap": {"font": _font(bold=True), "alignment": Alignment(vertical="bottom", wrap_text=True)},
    "error": {"font": _font(bold=True, color="C00000")},
}

#: The table style Excel shows; cells also carry explicit formats so LibreOffice, which
#: ignores table styles, prints them the same.
TABLE_STYLE = "TableStyleLight1"


@dataclass
class Styler:
    """Applies named styles to write-only cells, building each style once.

    Setting a font or number format on a cell looks it up in the workbook's style tables;
    for a 35,000-row Coverage sheet doing that per cell is the slow part, so the first
    cell of each style is set up the long way and the rest copy its style array.
    """

    _cache: dict[str, object] = field(default_factory=dict)

    def apply(self, cell: WriteOnlyCell, name: str) -> WriteOnlyCell:
        cached = self._cache.get(name)
        if cached is not None:
            cell._style = copy.copy(cached)
            return cell
        spec = STYLE_SPECS[name]
        for attr, value in spec.items():
            setattr(cell, attr, value)
        self._cache[name] = copy.copy(cell._style)
        return cell


def set_widths(ws: Worksheet, widths: Mapping[int, float]) -> None:
    """Column widths in characters, keyed by 1-based column (before any row is written)."""
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width


def add_table(ws: Worksheet, name: str, headers: list[str], first_row: int, first_col: int, n_rows: int) -> Table:
    """An Excel Table with filter buttons over a header row and ``n_rows`` data rows.

    The column names are given explicitly (they must equal the header cells exactly, or
    Excel "repairs" the file); a table needs at least one data row, so an empty table
    still spans one blank row.
    """
    last_row = first_row + max(n_rows, 1)
    last_col = first_col + len(headers) - 1
    ref = f"{get_column_letter(first_col)}{first_row}:{get_column_letter(last_col)}{last_row}"
    table = Table(displayName=name, ref=ref)
    table.tableColumns = [TableColumn(id=i + 1, name=h) for i, h in enumerate(headers)]
    table.autoFilter = AutoFilter(ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True, showColumnStripes=False)
    with warnings.catch_warnings():
        # openpyxl warns that write-only tables need their columns set by hand: they are, above.
        warnings.simplefilter("ignore", UserWarning)
        ws.add_table(table)
    return table


def unique_headers(headers: list[str]) -> list[str]:
    """Make table column names unique ignoring case (Excel requires it), keeping order."""
    seen: set[str] = set()
    out: list[str] = []
    for h in headers:
        name = " ".join(h.split()) or "column"
        candidate, n = name, 2
        while candidate.lower() in seen:
            candidate, n = f"{name} ({n})", n + 1
        seen.add(candidate.lower())
        out.append(candidate)
    return out


def heat_map(ws: Worksheet, ref: str) -> None:
    """Colour-blind-safe single-hue heat map for shares 0..1 (rank acceptability)."""
    ws.conditional_formatting.add(
        ref,
        ColorScaleRule(start_type="num", start_value=0, start_color="FFFFFF", end_type="num", end_value=1, end_color="56B4E9"),
    )


def data_bar(ws: Worksheet, ref: str, maximum: float = 100.0) -> None:
    """Data bars (0 to ``maximum``) so total value reads at a glance."""
    ws.conditional_formatting.add(
        ref,
        # Blue at 3:1 or more on white; Excel fades the bar, so the figure on it stays legible.
        DataBarRule(start_type="num", start_value=0, end_type="num", end_value=maximum, color=DATA_BAR_COLOUR, showValue=True),
    )


#: Printable width and height of A4 with the margins below, in pixels at 96 dpi
#: (37.8 px to the cm), by orientation.
PAGE_PX = {"landscape": ((29.7 - 2.54) * 37.8, (21.0 - 3.8) * 37.8),
           "portrait": ((21.0 - 2.54) * 37.8, (29.7 - 3.8) * 37.8)}
#: Printable width in pixels of A4 and A3 (each side of A3 is sqrt(2) x A4's), by orientation.
PAPER_WIDTH_PX = {
    ("A4", "landscape"): PAGE_PX["landscape"][0], ("A4", "portrait"): PAGE_PX["portrait"][0],
    ("A3", "landscape"): (42.0 - 2.54) * 37.8, ("A3", "portrait"): (29.7 - 2.54) * 37.8,
}
#: Printable height in pixels of A4 and A3 (the same margins), by orientation.
PAPER_HEIGHT_PX = {
    ("A4", "landscape"): PAGE_PX["landscape"][1], ("A4", "portrait"): PAGE_PX["portrait"][1],
    ("A3", "landscape"): (29.7 - 3.8) * 37.8, ("A3", "portrait"): (42.0 - 3.8) * 37.8,
}
#: openpyxl's paperSize codes (ECMA-376 Part 1, 18.3.1.64).
PAPER_CODE = {"A4": "9", "A3": "8"}
#: Fit-to-width never shrinks below this: 10 pt body text prints at 9 pt or more.
MIN_FIT = 0.9


def fit_width_px(paper: str = "A4", orientation: str = "landscape") -> float:
    """The widest printed columns (pixels) that fit one page wide at :data:`MIN_FIT` or more.

    0.95 of the page: LibreOffice needs a little more than Excel's measure of a column.
    """
    return PAPER_WIDTH_PX[(paper, orientation)] * 0.95 / MIN_FIT
def column_px(width_chars: float) -> float:
    """A column's width in pixels (Excel's rule: 7 px a character plus 5 px padding)."""
    return width_chars * 7 + 5


def print_setup(
    ws: Worksheet,
    *,
    marking: str,
    force: str,
    title_rows: str | None = "1:3",
    print_area: str | None = None,
    printed_widths: Sequence[float] = (),
    orientation: str = "landscape",
    title_cols: str | None = None,
    paper: str = "A4",
    note: str | None = None,
    scale: int | None = None,
) -> None:
    """The same printed page for every sheet (issue 15, Print).

    The protective marking goes in the centre of both header and footer, which is where
    Government Security Classifications policy puts it; the force at top left, the sheet
    name at top right and ``Page &P of &N`` bottom right, on every page. Every sheet
    prints one page wide (fit to width, as many pages down as it needs) with its title
    rows repeated; the caller sizes the printed columns (:func:`tables.fit_columns`) so
    the fit never shrinks below :data:`MIN_FIT`, i.e. nothing prints below 9 pt.
    A table too wide for that prints in blocks of columns instead (:mod:`print_blocks`):
    ``scale`` (percent, :data:`MIN_FIT` or more) replaces the fit, pages go across before
    down and ``title_cols`` (its key columns) repeat at the left of every page.
    ``printed_widths`` is kept for callers. ``note`` (e.g. how the columns print) is
    added to the footer's left part, on every page.
    """
    del printed_widths
    mark = header_footer_text(marking)
    for part in (ws.oddHeader.center, ws.oddFooter.center):
        part.text = mark
        part.font = f"{FONT_NAME},Bold"
        part.size = 11
        part.color = "C00000"
    for part, text in ((ws.oddHeader.left, header_footer_text(force)), (ws.oddHeader.right, "&A"),
                       (ws.oddFooter.left, "Armed policing options appraisal"
                        + (f". {header_footer_text(note)}" if note else "")),
                       (ws.oddFooter.right, "Page &P of &N")):
        part.text = text
        part.font = f"{FONT_NAME},Regular"
        part.size = BODY_PT
    ws.page_setup.orientation = orientation
    ws.page_setup.paperSize = PAPER_CODE[paper]
    if scale is None:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    else:  # pages across at a fixed scale: Excel ignores column breaks under fit to page
        assert scale >= MIN_FIT * 100, scale
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_setup.scale = scale
        ws.page_setup.pageOrder = "overThenDown"
        if title_cols:
            ws.print_title_cols = title_cols
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = False
    if title_rows:
        ws.print_title_rows = title_rows
    if print_area:
        ws.print_area = print_area
