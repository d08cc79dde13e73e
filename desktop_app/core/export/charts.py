"""Native Excel charts of the summary workbook, and the data blocks they draw from.

The charts are ordinary Excel charts over cells in the workbook, so they stay live:
a reader who filters or edits in Excel sees them follow. The sheet list is fixed
(docs/summary-workbook.md#sheets-in-order), so chart data sits in blocks to the right of each sheet's table:

- Scores: weighted value by criterion (stacked bars) and total value against
  whole-life cost with the efficient frontier as a second series;
- Coverage: population covered by hour of day per option, and the response-time
  distribution (share of population-hours reached within x minutes);

and the coverage charts are shown on the Options sheet, under the measures they explain.
Series colours are Okabe-Ito, and lines also differ by dash so print in grey reads.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from openpyxl.chart import BarChart, LineChart, Reference, ScatterChart, Series
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.utils import get_column_letter, quote_sheetname

from desktop_app.core.appraisal.value_for_money import (  # one table and frontier for every chart
    value_for_money,
)
from desktop_app.core.coverage.series import cumulative_share
from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.grid import Block, Styled
from desktop_app.core.export.styles import OKABE_ITO
from desktop_app.core.workbook.schema import hour_chart_title

CHART_WIDTH_CM = 17.0
CHART_HEIGHT_CM = 10.0
#: Rows a chart covers at the default row height (15 pt = 0.53 cm), plus a margin.
CHART_ROWS = 21
#: Longest series name in a legend; longer option names are shortened with an ellipsis.
LEGEND_CHARS = 32
DASHES = ("solid", "dash", "sysDot", "lgDash", "dashDot", "lgDashDot", "sysDash", "lgDashDotDot")
MARKERS = ("circle", "square", "triangle", "diamond", "x", "star", "plus", "dash")
MAX_MINUTES = 120
COVERAGE_SHEET = "Coverage"
SCORES_SHEET = "Scores"


def legend_name(text: str, limit: int = LEGEND_CHARS) -> str:
    """A series or category name short enough to leave room for the plot."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


#: After the eight Okabe-Ito colours: greys, which stay distinct for every reader.
EXTRA_COLOURS = ("999999", "5F5F5F", "D0D0D0", "333333")


def _colour(i: int) -> str:
    palette = OKABE_ITO + EXTRA_COLOURS
    return palette[i % len(palette)]


def _axes_visible(chart: Any) -> None:
    # openpyxl 3.1 leaves ``delete`` unset, which recent Excel reads as "hide the axis".
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def _ref(sheet: str, col0: int, row0: int, col1: int, row1: int) -> Reference:
    rng = f"{quote_sheetname(sheet)}!${get_column_letter(col0)}${row0}:${get_column_letter(col1)}${row1}"
    return Reference(range_string=rng)


def _col_cm(width_chars: float) -> float:
    return (width_chars * 7 + 5) / 37.8


def column_after(widths: dict[int, float], start: int, cm: float) -> int:
    """The first column whose left edge is at least ``cm`` to the right of column ``start``."""
    col, used = start, 0.0
    while used < cm:
        used += _col_cm(widths.get(col, 8.43))
        col += 1
    return col


# --------------------------------------------------------------------------- data


def response_distribution(ctx: ExportContext) -> tuple[list[int], dict[str, list[float]]]:
    """Cumulative share of population-hours reached within each whole minute, per option.

    The grid runs from 0 to twice the target (or the slowest finite response, at most
    MAX_MINUTES); the curve is :func:`~desktop_app.core.coverage.series.cumulative_share`,
    the Coverage view's own.
    """
    cov = ctx.run.coverage
    pop = np.asarray(ctx.inputs.areas["population"], dtype=float)
    responses = {oid: np.asarray(cov.options[oid].response) for oid in ctx.option_ids if oid in cov.options}
    finite_max = max((float(r.max(where=np.isfinite(r), initial=0.0)) for r in responses.values()), default=0.0)
    top = int(min(MAX_MINUTES, max(2 * ctx.target, math.ceil(finite_max))))
    minutes = list(range(0, top + 1))
    grid = np.arange(top + 1, dtype=float)
    return minutes, {oid: cumulative_share(r, pop, grid).tolist() for oid, r in responses.items()}


def coverage_data_col(ctx: ExportContext) -> int:
    """Where the Coverage chart data starts: two columns right of the per-area table."""
    n_opts = len([o for o in ctx.option_ids if o in ctx.run.coverage.per_area])
    return 6 + 3 * n_opts + 2


def _coverage_layout(ctx: ExportContext, header_row: int) -> dict[str, Any]:
    cached = ctx.cache.get("coverage_layout")
    if cached is not None:
        return cached
    oids = [o for o in ctx.option_ids if o in ctx.run.coverage.by_hour.columns]
    minutes, shares = response_distribution(ctx)
    dist_oids = [o for o in ctx.option_ids if o in shares]
    hour_header = header_row
    dist_header = hour_header + 24 + 4
    ctx.cache["coverage_layout"] = lay = {
        "col": coverage_data_col(ctx), "hour_oids": oids, "hour_header": hour_header,
        "minutes": minutes, "shares": shares, "dist_oids": dist_oids, "dist_header": dist_header,
    }
    return lay


def coverage_chart_data(ctx: ExportContext, ws: Any, data_col: int, header_row: int) -> tuple[list[Block], dict[int, float]]:
    """The hour-of-day and response-time blocks, to the right of the Coverage table."""
    lay = _coverage_layout(ctx, header_row)
    assert lay["col"] == data_col
    by_hour = ctx.run.coverage.by_hour
    oids = lay["hour_oids"]
    hour_rows: list[list[Any]] = [
        [Styled("Chart data: population covered within target, by hour of day", "section")],
        [Styled("hour", "header"), *[Styled(legend_name(ctx.option_label(o)), "header") for o in oids]],
    ]
    for h in range(24):
        hour_rows.append([h, *[float(by_hour.loc[h, o]) if h in by_hour.index else None for o in oids]])
    blocks = [Block(lay["hour_header"] - 1, data_col, hour_rows, len(hour_rows), [None] + ["percent"] * len(oids), head_rows=2)]
    d_oids = lay["dist_oids"]
    dist_rows: list[list[Any]] = [
        [Styled("Chart data: share of population-hours reached within x minutes", "section")],
        [Styled("minutes", "header"), *[Styled(ctx.option_label(o), "header") for o in d_oids],
         Styled("target_minutes", "header"), Styled("target_share", "header")],
    ]
    for k, m in enumerate(lay["minutes"]):
        target = [ctx.target, 0.0 if k == 0 else 1.0] if k < 2 else [None, None]
        dist_rows.append([m, *[lay["shares"][o][k] for o in d_oids], *target])
    blocks.append(Block(lay["dist_header"] - 1, data_col, dist_rows, len(dist_rows),
                        ["integer"] + ["percent"] * len(d_oids) + ["minutes", "percent"], head_rows=2))
    widths: dict[int, float] = {data_col: 9, **{data_col + 1 + i: 14 for i in range(max(len(oids), len(d_oids)) + 2)}}
    return blocks, widths


def place_coverage_charts(ctx: ExportContext, ws: Any, top_row: int) -> tuple[int, int]:
    """Hour-of-day and response-time charts on ``ws`` (Options), drawing on Coverage data."""
    from desktop_app.core.export.tables import HEADER_ROW

    lay = _coverage_layout(ctx, HEADER_ROW)
    col = lay["col"]
    oids = lay["hour_oids"]
    target = f"{ctx.target:g}"
    if oids:
        line = LineChart()
        line.title = hour_chart_title(ctx.target)
        line.y_axis.title = "Population covered"
        line.x_axis.title = "Hour of day"
        line.y_axis.number_format = "0%"
        line.y_axis.scaling.min = 0
        line.y_axis.scaling.max = 1
        h0 = lay["hour_header"]
        for i, _o in enumerate(oids):
            line.add_data(_ref(COVERAGE_SHEET, col + 1 + i, h0, col + 1 + i, h0 + 24), titles_from_data=True)
        line.set_categories(_ref(COVERAGE_SHEET, col, h0 + 1, col, h0 + 24))
        for i, s in enumerate(line.series):
            s.graphicalProperties.line.solidFill = _colour(i)
            s.graphicalProperties.line.dashStyle = DASHES[i % len(DASHES)]
            s.graphicalProperties.line.width = 28575
            s.smooth = False
            s.marker.symbol = "none"
        _finish(line)
        ws.add_chart(line, f"A{top_row}")
    d_oids = lay["dist_oids"]
    if d_oids:
        sc = _scatter_chart("Response-time distribution (population-hours reached)",
                            "Minutes from call", "Share reached", y_max=1)
        sc.y_axis.number_format = "0%"
        sc.x_axis.scaling.min = 0
        sc.x_axis.scaling.max = lay["minutes"][-1]
        d0 = lay["dist_header"]
        n = len(lay["minutes"])
        xref = _ref(COVERAGE_SHEET, col, d0 + 1, col, d0 + n)
        for i, o in enumerate(d_oids):
            yref = _ref(COVERAGE_SHEET, col + 1 + i, d0 + 1, col + 1 + i, d0 + n)
            s = Series(yref, xref, title=legend_name(ctx.option_label(o)))
            s.marker.symbol = "none"
            s.smooth = False
            s.graphicalProperties.line.solidFill = _colour(i)
            s.graphicalProperties.line.dashStyle = DASHES[i % len(DASHES)]
            s.graphicalProperties.line.width = 28575
            sc.series.append(s)
        tcol = col + 1 + len(d_oids)
        t = Series(_ref(COVERAGE_SHEET, tcol + 1, d0 + 1, tcol + 1, d0 + 2),
                   _ref(COVERAGE_SHEET, tcol, d0 + 1, tcol, d0 + 2), title=f"Target ({target} min)")
        t.marker.symbol = "none"
        t.graphicalProperties.line.solidFill = "7F7F7F"
        t.graphicalProperties.line.dashStyle = "dash"
        sc.series.append(t)
        _finish(sc)
        widths: dict[int, float] = {1: 11, 2: 24, 3: 44}
        second = column_after(widths, 1, CHART_WIDTH_CM + 0.5)
        ws.add_chart(sc, f"{get_column_letter(second)}{top_row}")
        return CHART_ROWS, column_after(widths, second, CHART_WIDTH_CM)
    return CHART_ROWS, 1


def _scatter_chart(title: str, x_title: str, y_title: str, *, y_max: float) -> ScatterChart:
    """An empty scatter chart in the workbook's style, its value axis running from 0 to y_max.

    Both scatter charts (response-time distribution, value against cost) start alike;
    one place sets the style and the scatterStyle the schema requires.
    """
    sc = ScatterChart()
    sc.title = title
    sc.style = 13
    sc.scatterStyle = "lineMarker"  # required by the schema; openpyxl leaves it out
    sc.x_axis.title = x_title
    sc.y_axis.title = y_title
    sc.y_axis.scaling.min = 0
    sc.y_axis.scaling.max = y_max
    return sc


def _finish(chart: Any) -> None:
    chart.width = CHART_WIDTH_CM
    chart.height = CHART_HEIGHT_CM
    chart.legend.position = "r"
    _axes_visible(chart)


# --------------------------------------------------------------------------- Scores


def _scores_layout(ctx: ExportContext, header_row: int) -> dict[str, int]:
    n = len(ctx.option_ids)
    return {"weighted_header": header_row, "vfm_header": header_row + n + 4, "n": n}


def chart_columns(widths: dict[int, float]) -> tuple[int, int]:
    """Where the second of two side-by-side charts starts, and the last column they cover."""
    second = column_after(widths, 1, CHART_WIDTH_CM + 0.5)
    return second, column_after(widths, second, CHART_WIDTH_CM)


def scores_chart_data(ctx: ExportContext, ws: Any, data_col: int, header_row: int) -> tuple[list[Block], dict[int, float]]:
    """Weighted value (options x criteria) and cost/value/frontier blocks right of Scores."""
    ap = ctx.run.appraisal
    cids = ctx.criterion_ids
    lay = _scores_layout(ctx, header_row)
    w_rows: list[list[Any]] = [
        [Styled("Chart data: weighted value by criterion (weight x value; sums to total value)", "section")],
        [Styled("option", "header"), *[Styled(legend_name(ctx.criterion_name(c)), "header") for c in cids]],
    ]
    for oid in ctx.option_ids:
        # Short category labels: LibreOffice drops every other one when they crowd.
        w_rows.append([legend_name(ctx.option_label(oid), 24), *[float(ap.weighted.loc[oid, c]) for c in cids]])
    blocks = [Block(lay["weighted_header"] - 1, data_col, w_rows, len(w_rows), ["text_nowrap"] + ["one_dp"] * len(cids), head_rows=2)]
    vfm = value_for_money(ap, ctx.run.coverage.measures, ctx.option_ids)  # the views' own table
    costs, values, frontier = vfm.costs_gbp.tolist(), vfm.values.tolist(), vfm.frontier
    v_rows: list[list[Any]] = [
        [Styled("Chart data: total value against whole-life cost; frontier = best value for money", "section")],
        [Styled(h, "header") for h in ("option", "whole_life_cost_gbp", "total_value", "frontier_cost_gbp", "frontier_value")],
    ]
    for k, oid in enumerate(ctx.option_ids):
        f = frontier[k] if k < len(frontier) else None
        v_rows.append([
            ctx.option_label(oid), costs[k], values[k],
            costs[f] if f is not None else None, values[f] if f is not None else None,
        ])
    blocks.append(Block(lay["vfm_header"] - 1, data_col, v_rows, len(v_rows), ["text_nowrap", "gbp", "one_dp", "gbp", "one_dp"], head_rows=2))
    widths: dict[int, float] = {data_col: 28, **{data_col + 1 + i: 14 for i in range(max(len(cids), 4))}}
    ctx.cache["frontier"] = frontier
    return blocks, widths


def place_score_charts(ctx: ExportContext, ws: Any, top_row: int, data_col: int, second_col: int) -> int:
    """Stacked weighted-value bars and the value-for-money scatter under the Scores table."""
    from desktop_app.core.export.tables import HEADER_ROW

    lay = _scores_layout(ctx, HEADER_ROW)
    n = lay["n"]
    cids = ctx.criterion_ids
    w0 = lay["weighted_header"]
    bar = BarChart()
    bar.type = "bar"
    bar.grouping = "stacked"
    bar.overlap = 100
    bar.gapWidth = 60
    bar.title = "Weighted value by criterion"
    bar.y_axis.title = "Total value (0-100)"
    bar.y_axis.scaling.min = 0
    bar.y_axis.scaling.max = 100
    bar.x_axis.scaling.orientation = "maxMin"  # first option at the top, as in the table
    bar.y_axis.crosses = "max"  # ...with the value axis kept at the bottom
    bar.x_axis.tickLblSkip = 1  # label every option, however many
    for j in range(len(cids)):
        bar.add_data(_ref(SCORES_SHEET, data_col + 1 + j, w0, data_col + 1 + j, w0 + n), titles_from_data=True)
    bar.set_categories(_ref(SCORES_SHEET, data_col, w0 + 1, data_col, w0 + n))
    for j, s in enumerate(bar.series):
        s.graphicalProperties = GraphicalProperties(solidFill=_colour(j))
        s.graphicalProperties.line = LineProperties(solidFill="FFFFFF")
    _finish(bar)
    bar.legend.position = "b"  # one entry per criterion: across the bottom leaves room for the bars
    bar.height = CHART_HEIGHT_CM + 2.5
    ws.add_chart(bar, f"A{top_row}")

    v0 = lay["vfm_header"]
    sc = _scatter_chart("Total value against whole-life cost", "Discounted whole-life cost (£)",
                        "Total value (0-100)", y_max=100)
    sc.x_axis.number_format = '"£"#,##0'
    for k, oid in enumerate(ctx.option_ids):
        r = v0 + 1 + k
        s = Series(_ref(SCORES_SHEET, data_col + 2, r, data_col + 2, r), _ref(SCORES_SHEET, data_col + 1, r, data_col + 1, r),
                   title=legend_name(ctx.option_label(oid)))
        s.marker.symbol = MARKERS[k % len(MARKERS)]
        s.marker.size = 9
        s.marker.graphicalProperties = GraphicalProperties(solidFill=_colour(k))
        s.marker.graphicalProperties.line = LineProperties(solidFill=_colour(k))
        s.graphicalProperties.line.noFill = True
        sc.series.append(s)
    frontier = ctx.cache.get("frontier", [])
    if frontier:
        f = Series(_ref(SCORES_SHEET, data_col + 4, v0 + 1, data_col + 4, v0 + len(frontier)),
                   _ref(SCORES_SHEET, data_col + 3, v0 + 1, data_col + 3, v0 + len(frontier)),
                   title="Efficient frontier")
        f.marker.symbol = "none"
        f.graphicalProperties.line.solidFill = "000000"
        f.graphicalProperties.line.dashStyle = "dash"
        f.graphicalProperties.line.width = 19050
        sc.series.append(f)
    _finish(sc)
    ws.add_chart(sc, f"{get_column_letter(second_col)}{top_row}")
    return CHART_ROWS
