"""The summary's what-if sheets: Scenarios, ParameterSensitivity and Equality.

One Excel Table per sheet (the :class:`~desktop_app.core.export.tables.TableSpec`
pattern), written only when the workbook has Scenarios, Uncertainty rows or
``equality_columns`` (docs/appraisal-method.md#scenarios, #parameter-sensitivity,
#equality). Text from the input goes through the export's text guard.
"""

from __future__ import annotations

import math
from typing import Any

from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.tables import TableSpec, write_table_sheet


def _f(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def scenarios_sheet(ctx: ExportContext, ws: Any) -> None:
    """Each scenario's totals and ranks (and its cover and cost), option by option."""
    headers = ["scenario", "option_id", "option_name", "threat_coverage", "whole_life_cost_gbp",
               "total_value", "rank"]
    labels = ["Scenario", "Option code", "Option name", "Threat covered (%)", "Whole-life cost (£)",
              "Total value (0-100)", "Rank (1 = best)"]
    styles: list[str | None] = ["text", "text_nowrap", "text", "percent", "gbp", "number_bold", "rank"]
    rows = []
    for name, r in ctx.run.scenarios.items():
        app = r.appraisal
        for oid in sorted(app.totals.index, key=lambda o, a=app: (int(a.ranks[o]), str(o))):  # type: ignore[misc]
            m = r.measures
            rows.append([ctx.guard.clean(name, "Scenarios"), str(oid), ctx.option_name(str(oid)),
                         _f(m.at[oid, "threat_coverage"]) if "threat_coverage" in m else None,
                         _f(m.at[oid, "whole_life_cost_gbp"]), _f(app.totals[oid]), int(app.ranks[oid])])
    spec = TableSpec("tblScenarios", headers, labels, styles, [24, 11, 30, 12, 14, 12, 8], rows, len(rows),
                     formats=[("bar", 5, 5)])
    write_table_sheet(ctx, ws, "Scenarios: each a full re-run of the appraisal with its overrides", spec)


def parameter_sensitivity_sheet(ctx: ExportContext, ws: Any) -> None:
    """Each Uncertainty row: every option's total at the low and the high end (the tornado's data)."""
    headers = ["parameter", "low", "high", "option_id", "total_low", "total_high", "top_low", "top_high",
               "in_words"]
    labels = ["Input", "Low", "High", "Option code", "Total at low", "Total at high", "Top option at low",
              "Top option at high", "What it means"]
    styles: list[str | None] = ["text_nowrap", None, None, "text_nowrap", "number_bold", "number_bold", "text_nowrap",
              "text_nowrap", "text"]
    rows = []
    for s in ctx.run.parameter_sensitivity:
        words = ctx.guard.clean(s.sentence(), "Uncertainty")
        for oid in s.totals_low.index:
            rows.append([ctx.guard.clean(s.parameter, "Uncertainty"), _f(s.low), _f(s.high), str(oid),
                         _f(s.totals_low[oid]), _f(s.totals_high.get(oid)), s.top_low, s.top_high, words])
    spec = TableSpec("tblParameterSensitivity", headers, labels, styles, [26, 13, 13, 11, 11, 11, 11, 11, 60],
                     rows, len(rows))
    write_table_sheet(ctx, ws, "Parameter sensitivity: the appraisal re-run at each end of every uncertain input",
                      spec)


def equality_sheet(ctx: ExportContext, ws: Any) -> None:
    """Population coverage of each equality group, option by option."""
    headers = ["column", "group", "option_id", "option_name", "population_coverage"]
    labels = ["Areas column", "Group", "Option code", "Option name", "Residents covered within target (%)"]
    styles: list[str | None] = ["text_nowrap", "text_nowrap", "text_nowrap", "text", "percent"]
    rows = [[ctx.guard.clean(col, "Parameters"), ctx.guard.clean(g, "Areas"), str(o), ctx.option_name(str(o)), _f(v)]
            for col, groups in ctx.run.equality.items() for g, by in groups.items() for o, v in by.items()]
    spec = TableSpec("tblEquality", headers, labels, styles, [16, 12, 11, 30, 14], rows, len(rows),
                     formats=[("bar", 4, 4)])
    title = "Equality: population coverage by group (Public Sector Equality Duty)"
    words = ctx.run.equality_sentence()
    write_table_sheet(ctx, ws, title + (f". {words}" if words else ""), spec)
