"""Look and print set-up of the summary workbook: fonts, number formats, colours, pages.

Kept apart from what the sheets contain so every sheet prints the same way: the
protective marking centred in the header and footer, "Page x of y", landscape, fitted
to the page width, with the title rows repeated on each page. Colours come from the
Okabe-Ito palette, which stays distinguishable with the common forms of colour
blindness, and the heat map is a single-hue (white to blue) scale for the same reason.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import ColorScaleRule, DataBarRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from desktop_app.core.export.safe_text import header_footer_text

#: An openpyxl worksheet, normal or write-only (openpyxl ships no type information).
Worksheet = Any

#: Okabe & Ito (2008) colour-blind-safe palette, in the order series take them.
OKABE_ITO = ("0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00", "F0E442", "000000")

# Number formats (issue 5: pounds with thousands separators, percentages, minutes to 0.1).
GBP = '"£"#,##0'
PERCENT = "0.0%"
MINUTES = "0.0"
ONE_DP = "0.0"
TWO_DP = "0.00"
FOUR_DP = "0.0000"
INTEGER = "#,##0"
FTE = "#,##0.0"

_THIN = Side(style="thin", color="7F7F7F")
_TOP = Alignment(vertical="top")

#: Named cell styles: font, fill, number format, alignment, border.
STYLE_SPECS: dict[str, dict[str, object]] = {
    "title": {"font": Font(bold=True, size=14, color="1F3864")},
    "subtitle": {"font": Font(italic=True, size=10, color="404040")},
    "marking": {"font": Font(bold=True, size=12, color="C00000")},
    "section": {"font": Font(bold=True, size=12, color="1F3864"), "border": Border(bottom=_THIN)},
    "label": {"font": Font(bold=True, size=10), "alignment": Alignment(vertical="top", wrap_text=True)},
    "text": {"font": Font(size=10), "alignment": Alignment(vertical="top", wrap_text=True)},
    "text_nowrap": {"font": Font(size=10), "alignment": Alignment(vertical="top")},
    "mono": {"font": Font(name="Consolas", size=9), "alignment": Alignment(vertical="top", wrap_text=True)},
    "unit": {
        "font": Font(italic=True, size=9, color="404040"),
        "alignment": Alignment(vertical="bottom", wrap_text=True),
    },
    "header": {
        "font": Font(bold=True, size=9, color="FFFFFF"),
        "fill": PatternFill("solid", fgColor="1F4E79"),
        "alignment": Alignment(vertical="center", wrap_text=True),
    },
    "gbp": {"number_format": GBP, "alignment": _TOP},
    "percent": {"number_format": PERCENT, "alignment": _TOP},
    "minutes": {"number_format": MINUTES, "alignment": _TOP},
    "one_dp": {"number_format": ONE_DP, "alignment": _TOP},
    "fte": {"number_format": FTE, "alignment": _TOP},
    "integer": {"number_format": INTEGER, "alignment": _TOP},
    "four_dp": {"number_format": FOUR_DP, "alignment": _TOP},
    "value": {"font": Font(size=10), "alignment": Alignment(horizontal="left", vertical="top")},
    "bool": {"alignment": Alignment(horizontal="center", vertical="top")},
    "edited": {
        "number_format": ONE_DP,
        "fill": PatternFill("solid", fgColor="FFE699"),
        "font": Font(bold=True),
        "alignment": _TOP,
    },
    "number_bold": {"number_format": ONE_DP, "font": Font(bold=True, size=10), "alignment": Alignment(vertical="top")},
    "percent_bold": {"number_format": "0%", "font": Font(bold=True, size=10), "alignment": Alignment(vertical="top")},
    "summary_minutes": {"number_format": '0.0" minutes"', "font": Font(size=10), "alignment": Alignment(horizontal="left", vertical="top")},
    "rank": {"number_format": "0", "font": Font(bold=True, size=10), "alignment": Alignment(horizontal="left", vertical="top")},
    "label_wrap": {"font": Font(bold=True, size=10), "alignment": Alignment(vertical="bottom", wrap_text=True)},
    "error": {"font": Font(bold=True, color="C00000")},
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
        # Sky blue, light enough for the black figure on top to stay legible.
        DataBarRule(start_type="num", start_value=0, end_type="num", end_value=maximum, color=OKABE_ITO[4], showValue=True),
    )


def print_setup(
    ws: Worksheet,
    *,
    marking: str,
    force: str,
    title_rows: str | None = "1:3",
    one_page: bool = False,
    print_area: str | None = None,
) -> None:
    """The same printed page for every sheet (issue 5, item 3).

    The protective marking goes in the centre of both header and footer, which is where
    Government Security Classifications policy puts it; ``Page &P of &N`` on the right.
    """
    mark = header_footer_text(marking)
    for part in (ws.oddHeader.center, ws.oddFooter.center):
        part.text = mark
        part.font = "Calibri,Bold"
        part.size = 11
        part.color = "C00000"
    ws.oddHeader.left.text = header_footer_text(force)
    ws.oddHeader.left.size = 9
    ws.oddHeader.right.text = "&A"
    ws.oddHeader.right.size = 9
    ws.oddFooter.left.text = "Armed policing options appraisal"
    ws.oddFooter.left.size = 9
    ws.oddFooter.right.text = "Page &P of &N"
    ws.oddFooter.right.size = 9
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = False
    if title_rows:
        ws.print_title_rows = title_rows
    if print_area:
        ws.print_area = print_area
