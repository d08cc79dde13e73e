"""The ChartData sheet: every figure a chart draws, as one long Excel Table.

Each chart in the summary is a native Excel chart over cells, so it stays live; its
cells live here rather than beside the tables they illustrate, so every other sheet is
one clean table (issue 15, Reusable). One row per plotted point:

``chart`` (the chart's title), ``series``, ``category`` (the label on a category
axis), ``x`` and ``y``. Each series is a contiguous run of rows, so a chart series is
just a range of column E (and D for x); a reader can filter the Table by chart.

The sheet is the workbook's last and is hidden: it is data for the charts and for
re-use, not for print (docs/summary-workbook.md#charts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openpyxl.chart import Reference
from openpyxl.utils import quote_sheetname

from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.tables import FIRST_DATA_ROW, TableSpec, write_table_sheet

SHEET = "ChartData"
COLUMNS = ("chart", "series", "category", "x", "y")
LABELS = ("Chart", "Series", "Category", "x value", "y value")
_COL = {c: "ABCDE"[i] for i, c in enumerate(COLUMNS)}


@dataclass(frozen=True)
class SeriesRows:
    """Where one series sits on the ChartData sheet (first and last Excel row)."""

    chart: str
    name: str
    first: int
    last: int

    def ref(self, column: str) -> Reference:
        """Column ``x``, ``y`` or ``category`` of this series as a chart reference."""
        col = _COL[column]
        return Reference(range_string=f"{quote_sheetname(SHEET)}!${col}${self.first}:${col}${self.last}")


@dataclass
class ChartData:
    """The rows of the ChartData table, added series by series."""

    rows: list[list[Any]] = field(default_factory=list)

    def add(self, chart: str, name: str, points: list[tuple[Any, Any, Any]]) -> SeriesRows:
        """Append one series: ``points`` are (category, x, y)."""
        first = FIRST_DATA_ROW + len(self.rows)
        for category, x, y in points:
            self.rows.append([chart, name, category, x, y])
        return SeriesRows(chart, name, first, first + max(len(points), 1) - 1)


def chart_data(ctx: ExportContext) -> ChartData:
    """The one ChartData of this export (charts add their series as they are built)."""
    data = ctx.cache.get("chart_data")
    if data is None:
        data = ctx.cache["chart_data"] = ChartData()
    return data


def chart_data_sheet(ctx: ExportContext, ws: Any) -> None:
    """Write the ChartData Table (after every chart has added its series) and hide it."""
    data = chart_data(ctx)
    spec = TableSpec("tblChartData", list(COLUMNS), list(LABELS),
                     ["text_nowrap", "text_nowrap", "text_nowrap", "number", "number"], [44, 34, 26, 14, 14],
                     data.rows, len(data.rows))
    ws.sheet_state = "hidden"
    # Hidden and with no print area: Excel never prints a hidden sheet, and LibreOffice
    # prints one only when it has a print area (with its title alone as the print area it
    # printed a page saying "not printed").
    write_table_sheet(ctx, ws, f"Chart data: every point each chart draws, one row per point (data appendix, hidden "
                      f"and not printed: {len(data.rows):,} points; unhide the sheet to filter them on screen)", spec,
                      freeze="A4", printed=False)
