"""The Coverage sheet of the summary workbook: one row per area, each option's response and cover.

National forces have tens of thousands of areas, so openpyxl writes only the headings and
the chart-data rows beside the table; the table rows are spliced in by :mod:`fastrows`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from desktop_app.core.export import charts
from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.fastrows import DeferredRows
from desktop_app.core.export.tables import HEADER_ROW, TableSpec, write_table_sheet
from desktop_app.core.workbook.schema import within_target

#: Coverage rows past the chart data go through :mod:`fastrows`; False writes every row
#: through openpyxl (kept for the benchmark's comparison, tests/benchmarks/bench_export.py).
FAST_COVERAGE_ROWS = True

COVERAGE_PER_OPTION = (
    ("median_response_minutes", "median response (min)", "minutes"),
    ("share_hours_covered", "share of hours {within}", "percent"),
    ("expected_cover", "expected cover", "percent"),
)


def coverage_sheet(ctx: ExportContext, ws: Any, sheet_index: int) -> None:
    """One row per area: who lives there, threat, and each option's response and cover."""
    areas: pd.DataFrame = ctx.inputs.areas
    cov = ctx.run.coverage
    oids = [o for o in ctx.option_ids if o in cov.per_area]
    headers = ["area_id", "area_name", "district", "population", "rurality", "threat_index"]
    labels = ["Area code", "Area name", "District", "Residents", "Rurality (as entered)", "Threat index"]
    styles: list[str | None] = ["text_nowrap", "text_nowrap", "text_nowrap", "integer", "text_nowrap", "four_dp"]
    widths = [12, 24, 14, 10, 10, 10]
    for oid in oids:
        for key, label, style in COVERAGE_PER_OPTION:
            headers.append(f"{oid} {key}")
            labels.append(f"{ctx.option_name(oid)}: {label.format(within=within_target(ctx.target))}")
            styles.append(style)
            widths.append(12)
    n = len(areas)
    # Columns as plain Python lists: far faster to stream than DataFrame row access.
    columns: list[list[Any]] = [
        areas["area_id"].astype(str).tolist(),
        areas["area_name"].astype(str).tolist(),
        areas["district"].astype(str).tolist(),
        [int(x) for x in areas["population"].to_numpy()],
        areas["rurality"].astype(str).tolist(),
        [float(x) for x in np.asarray(cov.threat_index, dtype=float)],
    ]
    for oid in oids:
        frame = cov.per_area[oid]
        for key, _label, _style in COVERAGE_PER_OPTION:
            columns.append(np.asarray(frame[key], dtype=float).tolist())

    data_col = len(headers) + 2  # chart data: two columns right of the table
    blocks, extra_widths = charts.coverage_chart_data(ctx, ws, data_col, HEADER_ROW)
    # openpyxl writes the headings and the chart data beside the table; every table row
    # goes through the fast path (its first ~150 rows merged into the chart-data rows).
    head_end = max(b.row + b.height - 1 for b in blocks)
    written = 0 if FAST_COVERAGE_ROWS else n

    def rows() -> Iterable[list[Any]]:
        for i in range(written):
            yield [col[i] for col in columns]

    spec = TableSpec("tblCoverage", headers, labels, styles, widths, rows(), n, written_rows=written)
    write_table_sheet(
        ctx, ws,
        f"Coverage by area: each option's response time and cover (target {ctx.target:g} minutes)",
        [spec], extra_blocks=blocks, freeze="C4", extra_widths=extra_widths,
        print_area=f"A1:{get_column_letter(spec.last_col)}{spec.last_row}",
    )
    if written < n:
        # Every text column here was checked by workbook._precheck_text, so the rows
        # spliced in after the Validation sheet is written cannot add a new finding.
        ctx.deferred.append(DeferredRows(
            sheet_index=sheet_index, start_row=HEADER_ROW + 1 + written, first_col=1,
            columns=columns, offset=written, style_ids=[_style_id(ctx, ws, st) for st in styles],
            guard=ctx.guard, sheet_title=ws.title, headers=headers, merge_until=head_end,
        ))


def _style_id(ctx: ExportContext, ws: Any, style: str | None) -> int | None:
    """The workbook's style index for a named style (registering it if new)."""
    if style is None:
        return None
    cell = ctx.styler.apply(WriteOnlyCell(ws), style)
    return cell.style_id
