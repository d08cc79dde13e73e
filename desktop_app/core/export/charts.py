"""Native Excel charts of the summary workbook, drawn from the ChartData sheet.

The charts are ordinary Excel charts over cells (:mod:`chart_data`), so they stay live:

- Scores: weighted value by criterion (stacked bars) and total value against
  whole-life cost with the efficient frontier as its own series;
- Options: population covered by hour of the week per option, and the response-time
  distribution (share of population-hours reached within x minutes).

Accessible (WCAG 2.2 AA, docs/summary-workbook.md#charts): every chart has a meaningful
name and alt text (:mod:`accessibility` writes them into the drawing); every series has
a colour at 3:1 or more on white and also its own pattern (bars), dash and marker
(lines) or marker and direct label (points), so a greyscale print still tells them apart.
"""

from __future__ import annotations

import math
from typing import Any

from openpyxl.chart import BarChart, LineChart, ScatterChart, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.drawing.fill import ColorChoice, PatternFillProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import CharacterProperties, Font, Paragraph, ParagraphProperties
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.pagebreak import Break

from desktop_app.core.appraisal.value_for_money import (  # one table and frontier for every chart
    efficient_frontier,
    value_for_money,
)
from desktop_app.core.colours import criterion_colours, hex6, option_colour, option_round
from desktop_app.core.export.chart_data import chart_data
from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.distribution import (
    MAX_MINUTES,
    busy_distribution,
    response_distribution,
)
from desktop_app.core.export.styles import BODY_PT, FONT_NAME, PAPER_CODE, PAPER_HEIGHT_PX
from desktop_app.core.shown import fixed, percent
from desktop_app.core.workbook.week import DAY_SHORT

__all__ = ["MAX_MINUTES", "efficient_frontier", "legend_name", "response_distribution",
           "place_coverage_charts", "place_score_charts", "CHART_ROWS"]

#: Wide enough for 168 hourly points and a legend beside the plot; fits A4 landscape's
#: 27 cm printable width at the 90% the tables may print at.
CHART_WIDTH_CM = 24.0
CHART_HEIGHT_CM = 12.5
#: Rows a chart covers at the default row height (15 pt = 0.53 cm), plus a margin.
CHART_ROWS = 26
#: The stacked bar chart's height (with its legend of one entry per criterion below):
#: it must fit, with the repeated title rows, on one printed page.
BAR_HEIGHT_CM = CHART_HEIGHT_CM + 0.5
#: Longest series name in a legend; longer option names are shortened with an ellipsis.
LEGEND_CHARS = 32
DASHES = ("solid", "dash", "sysDot", "lgDash", "dashDot", "lgDashDot", "sysDash", "lgDashDotDot")
MARKERS = ("circle", "square", "triangle", "diamond", "x", "star", "plus", "dash")
#: DrawingML preset patterns for bar segments, distinct in greyscale.
PATTERNS = ("solid", "ltUpDiag", "dkHorz", "openDmnd", "smCheck", "dkVert", "dashDnDiag", "lgGrid",
            "pct50", "wave", "zigZag", "sphere")


def legend_name(text: str, limit: int = LEGEND_CHARS) -> str:
    """A series or category name short enough to leave room for the plot, cut after a whole
    word ("OPT3 New rural ARV base at…", never "...at Fell…"); a first word longer than the
    limit is cut within it, as nothing shorter can stand for it."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if text[limit - 1] != " " and " " in head:
        head = head[: head.rindex(" ")]
    return head.rstrip(" ,;:-(+&") + "…"


#: Longest option label on the stacked bars' category axis (LibreOffice drops every other
#: label when long ones crowd; 24 cut "OPT1 Arm rural response officers" short).
BAR_LABEL_CHARS = 40
#: An option's name in a legend at the right of a chart, which wraps it, is cut only past this.
RIGHT_LEGEND_CHARS = 40
#: Centimetres a character of 10 pt chart text takes, and the legend key beside an entry
#: (LibreOffice's PDF: "OPT5 Hybrid: three armed stations...: 57% (all free 68%)", 55
#: characters, 7 cm, 0.13 each; a margin for wider letters).
LEGEND_CHAR_CM = 0.165
LEGEND_KEY_CM = 1.5


def legend_room(width_cm: float, reserved: int) -> int:
    """Characters of name a one-line legend entry may hold in a chart ``width_cm`` wide,
    ``reserved`` characters being kept for what follows the name."""
    return max(LEGEND_CHARS // 2, int((width_cm - LEGEND_KEY_CM) / LEGEND_CHAR_CM) - reserved)


def _colour(i: int) -> str:
    """Option ``i``'s colour, the app's own (one palette: :mod:`desktop_app.core.colours`)."""
    return hex6(option_colour(i))


def _dash(i: int) -> str:
    """Option ``i``'s line dash: past eight options the colours repeat and the dash moves on."""
    return DASHES[(i + option_round(i)) % len(DASHES)]


def _axes_visible(chart: Any) -> None:
    # openpyxl 3.1 leaves ``delete`` unset, which recent Excel reads as "hide the axis".
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def _line_style(s: Any, i: int, *, markers: bool = True) -> None:
    """Colour, dash and marker of line series ``i``: three independent cues."""
    s.graphicalProperties.line.solidFill = _colour(i)
    s.graphicalProperties.line.dashStyle = _dash(i)
    s.graphicalProperties.line.width = 28575
    s.smooth = False
    if markers:
        s.marker.symbol = MARKERS[i % len(MARKERS)]
        s.marker.size = 6
        s.marker.graphicalProperties = GraphicalProperties(solidFill=_colour(i))
        s.marker.graphicalProperties.line = LineProperties(solidFill=_colour(i))
    else:
        s.marker.symbol = "none"


def _bar_fill(i: int, colour: str) -> GraphicalProperties:
    """Criterion ``i``'s bar segment: its colour (``#rrggbb``, the app's criterion colour)
    as a pattern of its own on white, outlined in the colour."""
    props = GraphicalProperties()
    prst = PATTERNS[i % len(PATTERNS)]
    rgb = hex6(colour)
    if prst == "solid":
        props.solidFill = rgb
    else:
        props.pattFill = PatternFillProperties(prst=prst, fgClr=ColorChoice(srgbClr=rgb),
                                               bgClr=ColorChoice(srgbClr="FFFFFF"))
    props.line = LineProperties(solidFill=rgb)
    return props


# --------------------------------------------------------------------------- Options


#: Points a default row is tall, and centimetres to the point.
ROW_PT = 15.0
CM_PER_PT = 2.54 / 72


#: Options' charts start past its key columns (code and name, A:B), which every printed block
#: of columns repeats: anchored in them, LibreOffice printed each chart again, cut at column
#: B, on every later block's page. Column C (the description, 70 wide) and D hold the
#: 15 cm chart inside the first block.
OPTIONS_CHART_COL = "C"


def options_chart_width(ws: Any) -> float:
    """Centimetres from column C to the end of the first printed block (its first column
    break), less a margin: the chart prints whole on that block's page. A character of
    column width is taken as 0.19 cm (7 px at 96 dpi, and padding)."""
    start = column_index_from_string(OPTIONS_CHART_COL)
    breaks = [b.id for b in ws.col_breaks.brk if b.id >= start]
    end = min(breaks) if breaks else start + 1
    room = sum(float(ws.column_dimensions[get_column_letter(c)].width or 8.43) * 0.19 for c in range(start, end + 1))
    return min(CHART_WIDTH_CM, 0.9 * room)


def fits_below(ws: Any, top_row: int, rows: int) -> bool:
    """Whether ``rows`` default rows from ``top_row`` on still print on the first page,
    under everything above them, at 100% (the least room a fitted sheet has).

    The Scores table's six rows took a fifth of its A3 page and the weighted-value chart
    had a page of its own below an empty one; where it fits, it prints under the table."""
    paper = next((k for k, code in PAPER_CODE.items() if str(ws.page_setup.paperSize) == code), "A4")
    page_pt = PAPER_HEIGHT_PX[(paper, str(ws.page_setup.orientation or "landscape"))] * 0.75
    used = sum(0.0 if ws.row_dimensions[r].hidden else float(ws.row_dimensions[r].height or ROW_PT)
               for r in range(1, top_row))
    return used + rows * ROW_PT <= 0.95 * page_pt


def chart_rows_for(room_pt: float) -> int:
    """Rows a chart may cover (at most :data:`CHART_ROWS`) when a printed page has
    ``room_pt`` points below its repeated title rows: the chart then starts and ends on
    that page instead of being split across two."""
    return max(12, min(CHART_ROWS, int(room_pt * 0.95 // ROW_PT)))


def place_coverage_charts(ctx: ExportContext, ws: Any, top_row: int, rows_each: int = CHART_ROWS) -> int:
    """Hour-of-day and response-time charts on ``ws`` (Options), one under the other,
    each on ``rows_each`` rows (:func:`chart_rows_for`) and its own printed page.

    Returns the rows they cover. Their data is added to the ChartData sheet here.
    """
    height = min(CHART_HEIGHT_CM, (rows_each * ROW_PT - 10) * CM_PER_PT)
    data = chart_data(ctx)
    cov = ctx.run.coverage
    target = f"{ctx.target:g}"
    rows = 0
    oids = [o for o in ctx.option_ids if o in cov.by_hour.columns]
    if oids:
        title = f"Population within {target} minutes allowing for busy units, by hour of the week"
        line = LineChart()
        line.title = title
        line.y_axis.title = "Population covered"
        line.x_axis.title = "Hour of the week (Monday 00:00 to Sunday 23:00)"
        line.y_axis.number_format = "0%"
        line.y_axis.scaling.min = 0
        line.y_axis.scaling.max = 1
        refs = []
        for o in oids:
            pts = [(f"{DAY_SHORT[h // 24]} {h % 24:02d}:00", h, float(cov.by_hour.loc[h, o]))
                   for h in range(len(cov.by_hour))]
            refs.append(data.add(title, ctx.option_label(o), pts))
        for i, (o, r) in enumerate(zip(oids, refs, strict=True)):
            # The legend at the right wraps each entry; past about 40 characters LibreOffice
            # gave it two columns and the plot a thin strip (a legend below squashed it flat).
            s = Series(r.ref("y"), title=legend_name(ctx.option_label(o), RIGHT_LEGEND_CHARS))
            # 168 points a line: a marker on each would merge into a smear; colour and dash tell them apart.
            _line_style(s, i, markers=False)
            line.series.append(s)
        line.set_categories(refs[0].ref("category"))
        # One labelled tick a day (Mon 00:00, Tue 00:00...), not LibreOffice's every 46th hour.
        line.x_axis.tickLblSkip = 24
        line.x_axis.tickMarkSkip = 24
        _finish(line)
        line.height = height
        line.width = options_chart_width(ws)
        ws.add_chart(line, f"{OPTIONS_CHART_COL}{top_row}")
        ws.row_breaks.append(Break(id=top_row - 1))  # each chart starts a printed page
        best = max(oids, key=lambda o: float(cov.by_hour[o].min()))
        ctx.add_chart_text(ws.title, "Population covered by hour of the week",
                           f"Line chart: share of residents an armed unit reaches within {target} minutes in each hour of the "
                           f"week, allowing for units busy elsewhere, one line per option ({len(oids)} options). {ctx.option_label(best)} has the "
                           f"highest cover in its worst hour ({percent(float(cov.by_hour[best].min()))}). "
                           "Figures on the ChartData sheet.")
        rows += rows_each
    if _place_distribution(ctx, ws, top_row + rows, height):
        rows += rows_each
    return rows


def _place_distribution(ctx: ExportContext, ws: Any, row: int, height: float) -> bool:
    """The response-time distribution allowing for busy units at ``row`` of ``ws``, on a
    printed page of its own; False when no option has one."""
    data = chart_data(ctx)
    target = f"{ctx.target:g}"
    minutes, free_shares = response_distribution(ctx)
    shares = busy_distribution(ctx, minutes)
    d_oids = [o for o in ctx.option_ids if o in shares]
    if not d_oids:
        return False
    # The headline cover allows for busy units (docs/measures.md): the chart draws that
    # curve, and the legend gives each option's figure at the target beside the all-free one.
    k = minutes.index(int(ctx.target)) if int(ctx.target) in minutes else None
    # A one-line title and one-line axis titles: on an A4 page below the table's headings,
    # the legend across the bottom had left the plot a thin strip (a panel member's review).
    title = "Response times, allowing for busy units"
    sc = _scatter_chart(title, f"Minutes to the first free armed unit (legend: within {target} min; if all free)",
                        "Share of resident-hours reached", y_max=1)
    sc.y_axis.number_format = "0%"
    sc.x_axis.scaling.min = 0
    sc.x_axis.scaling.max = minutes[-1]
    name_room = legend_room(options_chart_width(ws), len(": 100.0% (all free 100.0%)"))
    for i, o in enumerate(d_oids):
        r = data.add(title, ctx.option_label(o), [(None, m, shares[o][j]) for j, m in enumerate(minutes)])
        figures = "" if k is None else f": {percent(shares[o][k])} (all free {percent(free_shares[o][k])})"
        # One entry a line across the bottom: the name is whole when the chart is wide enough.
        s = Series(r.ref("y"), r.ref("x"), title=legend_name(ctx.option_label(o), name_room) + figures)
        _line_style(s, i)
        s.marker.size = 4
        sc.series.append(s)
    r = data.add(title, f"Target ({target} min)", [(None, ctx.target, 0.0), (None, ctx.target, 1.0)])
    t = Series(r.ref("y"), r.ref("x"), title=f"Target ({target} min)")
    t.marker.symbol = "none"
    t.graphicalProperties.line.solidFill = "595959"
    t.graphicalProperties.line.dashStyle = "dash"
    t.smooth = False  # every scatter series says so (see the value-for-money chart)
    sc.series.append(t)
    for o in d_oids:  # the all-free curves: data for re-use, not drawn
        data.add("Response times if every unit were free", ctx.option_label(o),
                 [(None, m, free_shares[o][j]) for j, m in enumerate(minutes)])
    _finish(sc)
    sc.legend.position = "b"  # entries carry each option's two figures: across the bottom, the plot keeps its width
    sc.height = height * 1.06  # room for its seven-line legend below the plot, within the printed page
    sc.width = options_chart_width(ws)
    ws.add_chart(sc, f"{OPTIONS_CHART_COL}{row}")
    ws.row_breaks.append(Break(id=row - 1))
    within = "" if k is None else "; within the target, allowing for busy units (if every unit were free): " + ", ".join(
        f"{ctx.guard.clean(o)} {percent(shares[o][k])} ({percent(free_shares[o][k])})" for o in d_oids)
    ctx.add_chart_text(ws.title, title,
                       f"Cumulative line chart: share of population-hours the first free armed unit reaches within "
                       f"each number of minutes from 0 to {minutes[-1]}, allowing for units busy elsewhere, one line "
                       f"per option, with the {target}-minute target marked{within}. Figures on the ChartData sheet.")
    return True


def _scatter_chart(title: str, x_title: str, y_title: str, *, y_max: float) -> ScatterChart:
    """An empty scatter chart in the workbook's style, its value axis running from 0 to y_max."""
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
    # The workbook's one font family in the chart too, at body size (10 pt).
    props = CharacterProperties(latin=Font(typeface=FONT_NAME), sz=BODY_PT * 100)
    chart.txPr = RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


# --------------------------------------------------------------------------- Scores


def place_score_charts(ctx: ExportContext, ws: Any, top_row: int) -> int:
    """Stacked weighted-value bars and the value-for-money scatter under the Scores table.

    Long because each chart is one openpyxl recipe read top to bottom (series, axes,
    labels, alt text); split, the settings of one chart would sit in several places.
    """
    ap = ctx.run.appraisal
    data = chart_data(ctx)
    cids = ctx.criterion_ids
    who = ctx.weights_label
    title = f"Weighted value by criterion ({who})"
    bar = BarChart()
    bar.type = "bar"
    bar.grouping = "stacked"
    bar.overlap = 100
    bar.gapWidth = 60
    bar.title = title
    bar.y_axis.title = "Total value (0-100)"
    bar.y_axis.scaling.min = 0
    bar.y_axis.scaling.max = 100
    bar.x_axis.scaling.orientation = "maxMin"  # first option at the top, as in the table
    bar.y_axis.crosses = "max"  # ...with the value axis kept at the bottom
    bar.x_axis.tickLblSkip = 1  # label every option, however many
    refs = []
    # The app's criterion colours: the branch's hue, one shade per criterion (core.colours).
    colours = criterion_colours([(getattr(ap, "groups", None) or {}).get(c, "") for c in cids])
    for j, c in enumerate(cids):
        # Short category labels: LibreOffice drops every other one when they crowd.
        pts = [(legend_name(ctx.option_label(o), BAR_LABEL_CHARS), None, float(ap.weighted.loc[o, c])) for o in ctx.option_ids]
        refs.append(data.add(title, ctx.criterion_name(c), pts))
        # Three entries a row across the bottom of the chart: each a third of its width.
        s = Series(refs[-1].ref("y"), title=legend_name(ctx.criterion_name(c), legend_room(CHART_WIDTH_CM / 3, 0)))
        s.graphicalProperties = _bar_fill(j, colours[j])
        bar.series.append(s)
    if refs:
        bar.set_categories(refs[0].ref("category"))
    _finish(bar)
    bar.legend.position = "b"  # one entry per criterion: across the bottom leaves room for the bars
    bar.height = BAR_HEIGHT_CM
    ws.add_chart(bar, f"A{top_row}")
    if not fits_below(ws, top_row, CHART_ROWS):
        ws.row_breaks.append(Break(id=top_row - 1))  # a chart starts a printed page where it would be cut
    top = ap.top_option
    ctx.add_chart_text(ws.title, "Weighted value by criterion",
                       f"Stacked bar chart under {who}: for each of {len(ctx.option_ids)} options, a bar made of one "
                       f"patterned segment per criterion ({len(cids)} criteria), each the criterion's weight times the "
                       f"option's value, summing to its total value. {ctx.option_label(top)} has the highest total "
                       f"({fixed(float(ap.totals[top]))}). Figures on the ChartData sheet.")

    vfm = value_for_money(ap, ctx.run.coverage.measures, ctx.option_ids)  # the views' own table
    what = "Benefit value" if vfm.benefit else "Total value"  # benefits against costs, cost not counted twice
    title = f"{what} against whole-life cost ({who})"
    sc = _scatter_chart(title, "Discounted whole-life cost (£)", vfm.axis_title, y_max=100)
    sc.x_axis.number_format = '"£"#,##0'
    costs = vfm.costs_gbp.tolist()
    values = [v if math.isfinite(v) else None for v in vfm.values.tolist()]  # NaN is never a number
    frontier = vfm.frontier
    # The value axis spans the options' values (to the nearest 5, with a margin), not 0-100:
    # totals within a few points of each other would otherwise sit on one line, labels on top of each other.
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if finite:
        sc.y_axis.scaling.min = max(0.0, 5.0 * math.floor((min(finite) - 2.5) / 5.0))
        sc.y_axis.scaling.max = min(100.0, 5.0 * math.ceil((max(finite) + 2.5) / 5.0))
    # Each point is labelled with its option code only (the legend pairs codes with names);
    # labels alternate above and below along the cost axis so neighbours do not overlap.
    by_cost = sorted(range(len(ctx.option_ids)), key=lambda k: (costs[k] if costs[k] is not None else 0.0, k))
    label_at = {k: ("r" if j == 0 else "t" if j % 2 else "b") for j, k in enumerate(by_cost)}  # cheapest: right, clear of the axis
    for k, oid in enumerate(ctx.option_ids):
        r = data.add(title, ctx.option_label(oid), [(ctx.guard.clean(oid), costs[k], values[k])])
        s = Series(r.ref("y"), r.ref("x"), title=ctx.guard.clean(oid))
        s.marker.symbol = MARKERS[(k + option_round(k)) % len(MARKERS)]
        s.marker.size = 9
        s.marker.graphicalProperties = GraphicalProperties(solidFill=_colour(k))
        s.marker.graphicalProperties.line = LineProperties(solidFill=_colour(k))
        s.graphicalProperties.line.noFill = True
        # LibreOffice takes a scatter chart's curve style from its first series, and a series
        # with no <c:smooth> as smooth: the frontier's straight dashes printed as a curve that
        # bent back on itself. Every series says it is not smoothed.
        s.smooth = False
        # A direct label (the option code) beside each point: no need to match colours.
        s.dLbls = DataLabelList(showSerName=False, showVal=False, showCatName=False, showLegendKey=False)
        s.dLbls.showSerName = True
        s.dLbls.position = label_at[k]
        sc.series.append(s)
    if frontier:
        r = data.add(title, "Efficient frontier", [(ctx.guard.clean(ctx.option_ids[f]), costs[f], values[f]) for f in frontier])
        f = Series(r.ref("y"), r.ref("x"), title="Efficient frontier")
        f.marker.symbol = "none"
        f.graphicalProperties.line.solidFill = "000000"
        f.graphicalProperties.line.dashStyle = "dash"
        f.graphicalProperties.line.width = 19050
        f.smooth = False  # straight segments between frontier options, never a curve through them
        sc.series.append(f)
    _finish(sc)
    ws.add_chart(sc, f"A{top_row + CHART_ROWS}")
    ws.row_breaks.append(Break(id=top_row + CHART_ROWS - 1))
    on_frontier = ", ".join(ctx.guard.clean(ctx.option_ids[f]) for f in frontier) or "none"
    ctx.add_chart_text(ws.title, f"{what} against whole-life cost",
                       f"Scatter chart under {who}: each option a labelled point at its discounted whole-life cost "
                       f"(across) and {what.lower()} (up); a dashed line joins the efficient frontier, the options no other "
                       f"beats on both cost and {what.lower()} ({on_frontier}). Figures on the ChartData sheet.")
    return 2 * CHART_ROWS
