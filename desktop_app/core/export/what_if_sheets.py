"""The summary's what-if sheets: Scenarios, ParameterSensitivity and Equality.

One Excel Table per sheet (the :class:`~desktop_app.core.export.tables.TableSpec`
pattern), written only when the workbook has Scenarios, Uncertainty rows or
``equality_columns`` (docs/appraisal-method.md#scenarios, #parameter-sensitivity,
#equality). Text from the input goes through the export's text guard.

- Scenarios: one row per option, the base case and then each scenario side by side
  (rank, total value, population and threat covered), the top option of each named in
  the title;
- ParameterSensitivity: one row per uncertain input: its ends, the line in words and every
  option's total at each end, and below the Table the top option's tornado (:mod:`what_if_charts`);
- Equality: one row per group (named in words, "IMD decile 1 (most deprived)"), each option's
  cover in a column, with the widest gap in a sentence and a clustered bar chart per column
  below the Table.
"""

from __future__ import annotations

from typing import Any

from openpyxl.utils import get_column_letter

from desktop_app.core.appraisal.equality import group_words
from desktop_app.core.export import what_if_charts
from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.styles import data_bar
from desktop_app.core.export.tables import TableSpec, write_table_sheet
from desktop_app.core.shown import finite_or_none

#: Rows a chart below a what-if Table covers (as the Options charts: 12.5 cm at 15 pt a row).
_CHART_ROWS = 28


def _measure(m: Any, oid: str, col: str) -> float | None:
    return finite_or_none(m.at[oid, col]) if col in m.columns and oid in m.index else None


def scenarios_sheet(ctx: ExportContext, ws: Any) -> None:
    """Each option's base-case rank, total and key measures, then each scenario's beside them."""
    run = ctx.run
    base_label, base_ap, base_m = what_if_charts.base_case(ctx)
    this = getattr(run, "scenario", None)
    cases = [(base_label, "base", base_ap, base_m)] + [
        (ctx.guard.clean(name, "Scenarios") + (" (this run)" if name == this else ""), f"scenario:{name}",
         r.appraisal, r.measures)
        for name, r in run.scenarios.items()]
    headers, labels = ["option_id", "option_name"], ["Option code", "Option name"]
    styles: list[str | None] = ["text_nowrap", "text"]
    widths = [9, 22]
    starts = []
    # Narrow enough that the base case and two scenarios print side by side on one A4 page.
    keys = (("rank", "rank", "rank", 7), ("total_value", "number_bold", "total value", 8),
            ("population_coverage", "percent", "population covered", 9),
            ("threat_coverage", "percent", "threat covered", 8))
    for label, ident, _ap, _m in cases:
        starts.append(len(headers))
        for key, style, words, width in keys:
            headers.append(f"{ident}:{key}")
            labels.append(f"{label}: {words}")
            styles.append(style)
            widths.append(width)
    order = sorted(ctx.option_ids, key=lambda o: (int(base_ap.ranks[o]), o) if o in base_ap.ranks.index else (10**6, o))
    rows = []
    for oid in order + ctx.awaiting_ids:
        cells: list[Any] = [oid, ctx.option_name(oid)]
        for _label, _ident, ap, m in cases:
            ranked = oid in ap.totals.index
            cells += [int(ap.ranks[oid]) if ranked else "awaiting scores", finite_or_none(ap.totals[oid]) if ranked else None,
                      _measure(m, oid, "population_coverage"), _measure(m, oid, "threat_coverage")]
        rows.append(cells)
    # Total value 0-100, population and threat covered within the target allowing for busy units.
    spec = TableSpec("tblScenarios", headers, labels, styles, widths, rows, len(rows), key_cols=2, group_starts=starts)
    # Short: the title wraps within the two key columns every page repeats, and with each case's
    # top option it ran to 12 lines, the table pushed to the foot of the page. The rows are in
    # the base case's order and each case's rank 1 is in its column; page 1 names each top option.
    write_table_sheet(ctx, ws, f"Scenarios beside the base case (each a full re-run, {ctx.weights_label})", spec,
                      wrap_title=True)


def parameter_sensitivity_sheet(ctx: ExportContext, ws: Any) -> None:
    """One row per Uncertainty row: its ends, the line in words, every option's total at
    each end beside them; then the tornado.

    One row per input, not per input and option: the input's name, range, note and
    sentence are the input's, and repeated for each option they printed six to a page
    (ten pages for the sample's six inputs). Each option's pair of totals reads together
    (kept on one printed page, its code in the heading, as the Scenarios sheet does).
    """
    # The workbook's own value between the ends, so a reader sees where the base case sits in
    # each range (0.3 in 0.2-0.45), as a panel reviewer asked.
    headers = ["parameter", "input_words", "low", "value", "high", "notes", "top_low", "top_high", "in_words"]
    labels = ["Input (workbook name)", "Input", "Low end", "Workbook value", "High end",
              "Source of the range (notes from the workbook)", "Top option at low end", "Top option at high end",
              "What it means"]
    styles: list[str | None] = ["text", "text", "scale_end", "scale_end", "scale_end", "text", "text_nowrap",
                                "text_nowrap", "text"]
    widths: list[float] = [16, 20, 10, 10, 10, 26, 9, 9, 40]
    sens = ctx.run.parameter_sensitivity
    ranked = {str(o) for s in sens for o in s.totals_low.index}
    oids = [o for o in ctx.option_ids if o in ranked]
    starts = [6]  # the range's meaning (tops and sentence) reads as one group
    for oid in oids:
        starts.append(len(headers))
        code = ctx.guard.clean(oid)
        headers += [f"{oid}:total_low", f"{oid}:total_high"]
        labels += [f"{code} at low end", f"{code} at high end"]
        styles += ["number_bold", "number_bold"]
        widths += [7, 7]
    notes = ctx.notes("Uncertainty")  # beside the range they explain
    rows = []
    names = what_if_charts.option_names(ctx)
    for s in sens:
        words = ctx.guard.clean(what_if_charts.swing_sentence(s, names), "Uncertainty")
        name = ctx.guard.clean(what_if_charts.swing_label(s, names).split(",")[0], "Uncertainty")
        money = str(s.parameter).endswith("_gbp")
        cells: list[Any] = [ctx.guard.clean(s.parameter, "Uncertainty"), name, _styled(finite_or_none(s.low), money),
                            _styled(finite_or_none(s.value), money), _styled(finite_or_none(s.high), money), notes.get(str(s.parameter), ""),
                            s.top_low, s.top_high, words]
        for oid in oids:
            cells += [finite_or_none(s.totals_low.get(oid)), finite_or_none(s.totals_high.get(oid))]
        rows.append(cells)
    # The totals start a page of their own: split between the sentence's page and the next,
    # OPT0's pair had printed away from the others.
    spec = TableSpec("tblParameterSensitivity", headers, labels, styles, widths, rows, len(rows), key_cols=2,
                     group_starts=starts, page_starts=starts[1:2])
    chart_top = spec.last_row + 2
    # Short: it wraps within the two key columns every page repeats (it ran to five lines);
    # the tornado's own title names the option it is for.
    write_table_sheet(ctx, ws, "Parameter sensitivity: the appraisal at each end of every uncertain input "
                      "(tornado below)", spec,
                      print_area=f"A1:{get_column_letter(len(headers))}{chart_top + _CHART_ROWS}", wrap_title=True)
    what_if_charts.place_tornado(ctx, ws, chart_top, what_if_charts.chart_size(ws, len(headers)))


def _styled(x: float | None, money: bool) -> Any:
    """An input's end as it reads: pounds for a cost, otherwise the number as entered."""
    from desktop_app.core.export.grid import Styled

    return Styled(x, "gbp") if money and x is not None else x


def equality_sheet(ctx: ExportContext, ws: Any) -> None:
    """One row per group, each option's population coverage beside the others; a chart per
    column below.

    Options across, not one row per group and option: a reader compares the options for a
    group along its row and the groups down a column, and the sample's ten IMD deciles and
    six options printed on one page, not five.
    """
    headers = ["column", "group", "group_words"]
    target = f"{ctx.target:g}"
    labels = ["Areas column", "Group", "Group (in words)"]
    styles: list[str | None] = ["text_nowrap", "text_nowrap", "text"]
    widths: list[float] = [12, 8, 26]
    eq = ctx.run.equality
    oids = list(dict.fromkeys(str(o) for groups in eq.values() for by in groups.values() for o in by))
    for oid in oids:
        headers.append(f"{oid}:population_coverage")
        labels.append(f"{ctx.option_label(oid)} (%)")
        styles.append("percent")
        widths.append(11)
    rows = [[ctx.guard.clean(col, "Parameters"), ctx.guard.clean(g, "Areas"),
             ctx.guard.clean(group_words(col, g), "Areas"), *(finite_or_none(by.get(o)) for o in oids)]
            for col, groups in eq.items() for g, by in groups.items()]
    spec = TableSpec("tblEquality", headers, labels, styles, widths, rows, len(rows), key_cols=3)
    words = what_if_charts.equality_words(ctx)
    # Not headed "Public Sector Equality Duty": the duty is about protected characteristics,
    # and the groups here are whatever Areas columns the workbook names (the sample's are IMD
    # deciles, deprivation); docs/appraisal-method.md#equality says what they can and cannot show.
    title = (f"Equality: residents covered within {target} minutes by group and "
             "option, allowing for busy units." + (f" {words}" if words else ""))
    n_charts = len(eq)
    write_table_sheet(ctx, ws, title, spec,
                      print_area=f"A1:{get_column_letter(len(headers))}{spec.last_row + 2 + n_charts * _CHART_ROWS}",
                      wrap_title=True)  # the title holds the sentence on the widest gap
    if rows and oids:
        data_bar(ws, spec.data_ref(3, 2 + len(oids)), maximum=1.0)
    for k, (col, groups) in enumerate(eq.items()):
        what_if_charts.place_equality_chart(ctx, ws, spec.last_row + 2 + k * _CHART_ROWS, col, groups,
                                            what_if_charts.chart_size(ws, len(headers)))
