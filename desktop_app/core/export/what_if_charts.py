"""Charts of the what-if sheets: the tornado (ParameterSensitivity) and the equality bars (Equality).

Native Excel charts over the ChartData sheet, in the style of :mod:`charts` (one font,
the app's colours, patterns so greyscale still separates the series, alt text through
:meth:`ExportContext.add_chart_text`). Each is placed below its sheet's Table and starts a
printed page of its own (docs/summary-workbook.md#charts).
"""

from __future__ import annotations

import math
from typing import Any

from openpyxl.chart import BarChart, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.worksheet.pagebreak import Break

from desktop_app.core.appraisal.equality import axis_words, column_words, group_words
from desktop_app.core.appraisal.what_if import parameter_words
from desktop_app.core.export.chart_data import chart_data
from desktop_app.core.export.charts import _bar_fill, _colour, _finish, legend_name
from desktop_app.core.export.context import ExportContext
from desktop_app.core.shown import difference, fixed, percent, points_words, possessive


def option_names(ctx: ExportContext) -> dict[str, str]:
    """Option ID -> the name a reader knows it by (the sentences name options, not codes)."""
    return {str(o): ctx.option_name(str(o)) for o in ctx.run.appraisal.totals.index}


def swing_label(s: Any, names: dict[str, str] | None = None, start: bool = True) -> str:
    """A tornado bar's label: the input in words and its range ("OPT3's one-off cost, £700,000 to £1,500,000").

    ``names`` (option ID -> name) names an option's cost by the option. ``start`` capitalises
    the words, as a label starts ("The ARV crews' busy fraction"); without it they are as a
    sentence's middle has them ("the ARV crews' ..."). An option's name is never recased:
    it is a proper name.
    """
    words = parameter_words(str(s.parameter), names)
    words = words[0].upper() + words[1:] if words and start else words
    if str(s.parameter).endswith("_gbp"):
        return f"{words}, £{round(float(s.low), -3):,.0f} to £{round(float(s.high), -3):,.0f}"
    return f"{words}, {float(s.low):g} to {float(s.high):g}"


def swing_sentence(s: Any, names: dict[str, str] | None = None) -> str:
    """The swing's line in words, naming the input and (with ``names``) the options as a reader knows them."""
    return str(s.in_words(names))


def base_case(ctx: ExportContext) -> tuple[str, Any, Any]:
    """(label, appraisal, measures) of the base case: the workbook as entered, which the
    scenarios and the parameter sensitivity are compared with. Under ``--scenario`` that
    is not the main result, so it is named as such."""
    base = getattr(ctx.run, "base_case", None)
    if base is not None:
        return "Base case (the workbook as entered)", base.appraisal, base.measures
    return "Base case", ctx.run.appraisal, ctx.run.coverage.measures


def tornado_rows(ctx: ExportContext) -> tuple[str, float, list[tuple[str, float, float, Any]]]:
    """(top option, its total, bars): per input, the change in the base case's top option's
    total value at the low and at the high end, widest swing first (a tornado's order).

    Each change is the difference of the two totals as shown to 0.1 (63.3 to 51.7 is
    -11.6, not the -11.7 of the unrounded totals), so the words, the bar labels and the
    totals on the sheets agree; the order is by the unrounded swing."""
    _label, ap, _m = base_case(ctx)
    top = str(ap.top_option)
    base = float(ap.totals[top])
    bars = []
    names = option_names(ctx)
    for s in ctx.run.parameter_sensitivity:
        low, high = float(s.totals_low.get(top, base)), float(s.totals_high.get(top, base))
        bars.append((abs(high - low), (swing_label(s, names), difference(low, base), difference(high, base), s)))
    bars.sort(key=lambda b: -b[0])
    return top, base, [b[1] for b in bars]


#: Longest tornado label (an input in words and its range) before it is cut after a word.
TORNADO_LABEL_CHARS = 80


def place_tornado(ctx: ExportContext, ws: Any, top_row: int, size: tuple[float, int] | None = None) -> None:
    """The top option's tornado: one bar per uncertain input, from its total at the low end
    to its total at the high end, drawn as the change from its total as the workbook stands."""
    top, base, bars = tornado_rows(ctx)
    if not bars:
        return
    data = chart_data(ctx)
    label = ctx.option_label(top)
    title = f"Tornado: change in {possessive(legend_name(label, 40))} total value ({fixed(base)}) at each end of each input"
    # Changes to 0.1 of a point, as the labels print them (the totals themselves are on the sheet).
    # Each label ends with the input's range ("..., £700,000 to £1,500,000"): cut at 60 it
    # lost the high end; at 80 the sample's labels are whole and still leave the bars room.
    bar_names = [legend_name(b[0], TORNADO_LABEL_CHARS) for b in bars]
    low = data.add(title, "At the low end", [(n, None, round(b[1], 1)) for n, b in zip(bar_names, bars, strict=True)])
    high = data.add(title, "At the high end", [(n, None, round(b[2], 1)) for n, b in zip(bar_names, bars, strict=True)])
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.overlap = 100  # the two ends of one input on one line, either side of zero
    chart.gapWidth = 40
    chart.title = title
    chart.y_axis.title = f"Change in total value from {fixed(base)} (points, 0-100 scale)"
    chart.x_axis.scaling.orientation = "maxMin"  # widest swing at the top
    chart.y_axis.crosses = "max"
    chart.x_axis.tickLblSkip = 1
    chart.x_axis.tickLblPos = "low"  # labels at the left edge, clear of bars either side of zero
    reach = max(max(abs(b[1]), abs(b[2])) for b in bars)
    lim = max(1.0, 5.0 * math.ceil(reach * 1.35 / 5.0)) if reach > 1 else 1.0  # room for each bar's label
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = -lim, lim
    for i, (ref, name) in enumerate(((low, "At the low end"), (high, "At the high end"))):
        s = Series(ref.ref("y"), title=name)
        s.graphicalProperties = _bar_fill(i * 3, "#" + _colour(i))
        s.dLbls = DataLabelList()
        s.dLbls.showVal = True
        s.dLbls.position = "outEnd"
        for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
            setattr(s.dLbls, flag, False)
        chart.series.append(s)
    chart.set_categories(low.ref("category"))
    _finish(chart)
    chart.legend.position = "b"
    _size(chart, size)
    ws.add_chart(chart, f"A{top_row}")
    ws.row_breaks.append(Break(id=top_row - 1))
    names = option_names(ctx)
    words = " ".join(swing_sentence(b[3], names) for b in bars)
    widest = bars[0]
    ctx.add_chart_text(ws.title, f"Tornado for {top}",
                       f"Tornado bar chart: for each uncertain input, the change in {possessive(label)} total value (now "
                       f"{fixed(base)}) when the input is set to its low and to its high end, widest first. The widest: "
                       f"{widest[0]} ({fixed(widest[1], sign=True)} to {fixed(widest[2], sign=True)} points). {words} Figures on the ChartData sheet.")


def chart_size(ws: Any, n_cols: int) -> tuple[float, int]:
    """(width in cm, rows) a chart below a Table may take: the printed columns' width (a
    chart wider than them is cut at the print area's edge) and the rows that fit one
    page under the repeated title rows."""
    from openpyxl.utils import get_column_letter

    from desktop_app.core.export.appraisal_sheets import _room_below_titles_pt
    from desktop_app.core.export.charts import CHART_WIDTH_CM, chart_rows_for
    from desktop_app.core.export.styles import column_px

    px = sum(column_px(ws.column_dimensions[get_column_letter(c)].width or 8.43) for c in range(1, n_cols + 1))
    return min(CHART_WIDTH_CM, px / 37.8 - 0.3), chart_rows_for(_room_below_titles_pt(ws))


def _size(chart: Any, size: tuple[float, int] | None) -> None:
    from desktop_app.core.export.charts import CHART_HEIGHT_CM, CM_PER_PT, ROW_PT

    if size is not None:
        chart.width = size[0]
        chart.height = min(CHART_HEIGHT_CM, (size[1] * ROW_PT - 10) * CM_PER_PT)


def place_equality_chart(ctx: ExportContext, ws: Any, top_row: int, column: str,
                         groups: dict[str, dict[str, float | None]], size: tuple[float, int] | None = None) -> None:
    """Clustered bars: for one equality column, each group's residents covered within the
    target allowing for busy units, one bar per option (the app's option colours and a
    pattern each)."""
    data = chart_data(ctx)
    target = f"{ctx.target:g}"
    what = column_words(column)
    title = f"Residents covered within {target} minutes (allowing for busy units), by {what}"
    oids = [o for o in ctx.option_ids if any(o in by for by in groups.values())]
    if not oids or not groups:
        return
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.gapWidth = 60
    chart.title = title
    chart.x_axis.title = axis_words(column)
    chart.y_axis.title = f"Residents covered within {target} minutes"
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.x_axis.tickLblSkip = 1
    refs = []
    for i, o in enumerate(oids):
        pts = [(g, None, by.get(o)) for g, by in groups.items()]  # the axis title says what the groups are
        refs.append(data.add(title, ctx.option_label(o), pts))
        s = Series(refs[-1].ref("y"), title=legend_name(ctx.option_label(o)))
        s.graphicalProperties = _bar_fill(i, "#" + _colour(i))
        chart.series.append(s)
    chart.set_categories(refs[0].ref("category"))
    _finish(chart)
    chart.legend.position = "b"
    _size(chart, size)
    ws.add_chart(chart, f"A{top_row}")
    ws.row_breaks.append(Break(id=top_row - 1))
    ctx.add_chart_text(ws.title, f"Residents covered by {what}",
                       f"Clustered bar chart: the share of each {what} group's residents an armed unit reaches within "
                       f"{target} minutes allowing for busy units, one bar per option ({len(oids)} options), "
                       f"{len(groups)} groups. {equality_words(ctx) or ''} Figures on the Equality and ChartData sheets.")


def equality_words(ctx: ExportContext) -> str | None:
    """The widest gap in the top option's cover between two groups, the groups named in words."""
    from desktop_app.core.appraisal.equality import widest_gap

    gap = widest_gap(ctx.run.equality, ctx.run.top_option)
    if gap is None:
        return None
    what = column_words(gap.column)
    if gap.alike:
        return ctx.guard.clean(
            f"Under the top option, {ctx.option_label(gap.option_id)}, every group by {what} has the same share "
            f"of its residents covered within {ctx.target:g} minutes: {percent(gap.low)}.")
    return ctx.guard.clean(
        f"The widest gap under the top option, {ctx.option_label(gap.option_id)}, is by {what}: "
        f"{group_words(gap.column, gap.low_group)} has {percent(gap.low)} of its residents covered within "
        f"{ctx.target:g} minutes, {group_words(gap.column, gap.high_group)} {percent(gap.high)}, "
        f"a gap of {points_words(gap.high, gap.low)}.")
