"""The Coverage sheet of the summary workbook: one row per area, each option's response and cover.

National forces have tens of thousands of areas, so openpyxl writes only the headings and
the chart-data rows beside the table; the table rows are spliced in by :mod:`fastrows`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.deferred_table import style_id
from desktop_app.core.export.fastrows import DeferredRows
from desktop_app.core.export.tables import HEADER_ROW, TableSpec, write_table_sheet

#: Coverage rows past the chart data go through :mod:`fastrows`; False writes every row
#: through openpyxl (kept for the benchmark's comparison, tests/benchmarks/bench_export.py).
FAST_COVERAGE_ROWS = True

#: Per option: the two all-free figures say so in their headings, since the Options
#: sheet's "median response" allows for busy units (an OR reviewer read them as one).
COVERAGE_PER_OPTION = (
    ("median_response_minutes", "median response if all free (minutes)", "minutes"),
    ("share_hours_covered", "share of hours within {t} min if all free", "percent"),
    ("expected_cover", "expected cover (busy units allowed for)", "percent"),
)


def coverage_sheet(ctx: ExportContext, ws: Any, sheet_index: int) -> None:
    """One row per area: where it is, who lives there, threat (not in the public
    version), and each option's response and cover.

    A data appendix: the full Table is kept for filtering and re-use, but the default
    print area is only its title row, which says so (thousands of rows of per-area
    figures are not a readable print; docs/summary-workbook.md#printing).
    """
    areas: pd.DataFrame = ctx.inputs.areas
    cov = ctx.run.coverage
    oids = [o for o in ctx.option_ids if o in cov.per_area]
    headers = ["area_id", "area_name", "district", "population", "rurality", "easting", "northing"]
    labels = ["Area code", "Area name", "District", "Residents", "Rurality (as entered)",
              "Easting (British National Grid, m)", "Northing (British National Grid, m)"]
    styles: list[str | None] = ["text_nowrap", "text_nowrap", "text_nowrap", "integer", "text_nowrap", "metres", "metres"]
    widths = [12, 24, 14, 10, 10, 12, 12]
    columns: list[list[Any]] = [
        areas["area_id"].astype(str).tolist(),
        areas["area_name"].astype(str).tolist(),
        areas["district"].astype(str).tolist(),
        [int(x) for x in areas["population"].to_numpy()],
        areas["rurality"].astype(str).tolist(),
        _coords(areas, "easting"),
        _coords(areas, "northing"),
    ]
    if not ctx.public:
        headers.append("threat_index")
        labels.append("Threat index (0 = none)")
        styles.append("four_dp")
        widths.append(10)
        columns.append([float(x) for x in np.asarray(cov.threat_index, dtype=float)])
    for oid in oids:
        for key, label, style in COVERAGE_PER_OPTION:
            headers.append(f"{oid}_{key}")
            labels.append(f"{ctx.guard.clean(oid)} {label.format(t=f'{ctx.target:g}')}")
            styles.append(style)
            widths.append(12)
    n = len(areas)
    for oid in oids:
        frame = cov.per_area[oid]
        for key, _label, _style in COVERAGE_PER_OPTION:
            columns.append(np.asarray(frame[key], dtype=float).tolist())

    written = 0 if FAST_COVERAGE_ROWS else n

    def rows() -> Iterable[list[Any]]:
        for i in range(written):
            yield [col[i] for col in columns]

    spec = TableSpec("tblCoverage", headers, labels, styles, widths, rows(), n, written_rows=written)
    write_table_sheet(
        ctx, ws,
        f"Coverage by area (data appendix, not printed: {n:,} areas; filter the Table on screen). "
        f"Response target {ctx.target:g} minutes",
        spec, print_area="A1:G1", title_rows=None,
    )
    if written < n:
        # Every text column here was checked by workbook._precheck_text, so the rows
        # spliced in after the Validation sheet is written cannot add a new finding.
        ctx.deferred.append(DeferredRows(
            sheet_index=sheet_index, start_row=HEADER_ROW + 1 + written, first_col=1,
            columns=columns, offset=written, style_ids=[style_id(ctx, ws, st) for st in styles],
            guard=ctx.guard, sheet_title=ws.title, headers=headers, merge_until=HEADER_ROW,
        ))


def _coords(areas: pd.DataFrame, col: str) -> list[Any]:
    """Coordinates as numbers, blank (None) where the workbook gave none."""
    if col not in areas.columns:
        return [None] * len(areas)
    return [float(x) if np.isfinite(x) else None for x in np.asarray(areas[col], dtype=float)]
