"""The appraisal sheets of the summary workbook: Options, Scores, Weights, Sensitivity,
Robustness and WeightSets, each laid out as :mod:`tables` describes.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from openpyxl.utils import get_column_letter

from desktop_app.core.export import charts
from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.grid import Block, Styled
from desktop_app.core.export.tables import (
    HEADER_ROW,
    MEASURE_STYLES,
    TableSpec,
    _f,
    _weights_words,
    measure_label,
    write_table_sheet,
)
from desktop_app.core.workbook import schema

# --------------------------------------------------------------------------- Options


def options_sheet(ctx: ExportContext, ws: Any) -> None:
    """One row per option: its costs as entered and every measure of docs/measures.md#measures-per-option."""
    opts = ctx.inputs.options
    measures: pd.DataFrame = ctx.run.coverage.measures
    cols = [m for m in schema.MEASURES]
    headers = ["option_id", "option_name", "description", "baseline", "one_off_cost_gbp", "annual_cost_gbp", *cols]
    labels = [
        "Option code", "Option name", "What the option is", "Do-minimum baseline",
        "One-off cost (£)", "Annual cost over baseline (£)",
        *[measure_label(m, ctx.target) for m in cols],
    ]
    styles = ["text_nowrap", "text", "text", "bool", "gbp", "gbp", *[MEASURE_STYLES[m] for m in cols]]
    widths = [11, 24, 44, 10, 13, 13, *[13 for _ in cols]]
    rows = []
    for _, o in opts.iterrows():
        oid = str(o["option_id"])
        m = measures.loc[oid] if oid in measures.index else pd.Series(dtype=float)
        rows.append([
            oid, o["option_name"], o["description"], "yes" if bool(o["baseline"]) else "no",
            _f(o["one_off_cost_gbp"]), _f(o["annual_cost_gbp"]),
            *[_f(m.get(c, math.nan)) for c in cols],
        ])
    spec = TableSpec("tblOptions", headers, labels, styles, widths, rows, len(rows))
    below = spec.last_row + 2
    chart_rows, _chart_last_col = charts.place_coverage_charts(ctx, ws, below)
    write_table_sheet(
        ctx, ws,
        f"Options: every measure for each option (response target {ctx.target:g} minutes)",
        [spec], freeze="C4",
        print_area=f"A1:{get_column_letter(spec.last_col)}{below + chart_rows}",
    )


# --------------------------------------------------------------------------- Scores


def scores_sheet(ctx: ExportContext, ws: Any) -> None:
    """Value scores (0-100) per criterion, total value and rank under the force's weights."""
    ap = ctx.run.appraisal
    cids = ctx.criterion_ids
    headers = ["option_id", "option_name", *cids, "total_value", "rank"]
    labels = ["Option code", "Option name"]
    for c in cids:
        row = ctx.criterion_row(c)
        kind = " (judgement)" if row.get("measure") == schema.JUDGEMENT else ""
        labels.append(f"{ctx.criterion_name(c)}{kind} (0-100)")
    labels += ["Total value (0-100, weighted)", "Rank (1 = best)"]
    styles = ["text_nowrap", "text", *["one_dp"] * len(cids), "number_bold", "rank"]
    widths = [11, 24, *[14] * len(cids), 13, 8]
    rows = []
    for oid in ctx.option_ids:
        vals = []
        for c in cids:
            v = _f(ap.values.loc[oid, c])
            vals.append(Styled(v, "edited") if ctx.edit_for(oid, c) is not None else v)
        rows.append([oid, ctx.option_name(oid), *vals, _f(ap.totals[oid]), _f(ap.ranks[oid])])
    spec = TableSpec(
        "tblScores", headers, labels, styles, widths, rows, len(rows),
        formats=[("bar", 2 + len(cids), 2 + len(cids))],
    )
    blocks: list[Block] = []
    note_row = spec.last_row + 1
    if ctx.judgement_edits:
        blocks.append(Block(note_row, 1, [[Styled(
            "Shaded scores are judgements the workshop changed; the Assumptions sheet gives old and new scores and the reasons.",
            "subtitle")]], 1))
    chart_top = spec.last_row + 3
    second_col, chart_last_col = charts.chart_columns({i + 1: w for i, w in enumerate(widths)})
    # Chart data goes right of both the table and the charts, outside the printed area.
    data_col = max(spec.last_col, chart_last_col) + 2
    chart_blocks, extra_widths = charts.scores_chart_data(ctx, ws, data_col, HEADER_ROW)
    blocks.extend(chart_blocks)
    chart_height = charts.place_score_charts(ctx, ws, chart_top, data_col, second_col) + 5
    last_col = max(spec.last_col, chart_last_col)
    write_table_sheet(
        ctx, ws, f"Scores: value of each option on each criterion, total value and rank ({_weights_words(ap)})",
        [spec], extra_blocks=blocks, freeze="C4", extra_widths=extra_widths,
        print_area=f"A1:{get_column_letter(last_col)}{chart_top + chart_height}",
    )


# --------------------------------------------------------------------------- Weights


def weights_sheet(ctx: ExportContext, ws: Any) -> None:
    """Each criterion's swing weight as entered and normalised, and its value scale."""
    ap = ctx.run.appraisal
    headers = ["criterion_id", "criterion_name", "group", "measure", "direction", "swing_weight", "weight", "worst", "best"]
    labels = [
        "Criterion code", "Criterion", "Group", "What is measured", "Better when",
        "Swing weight as entered", "Normalised weight (sums to 100%)",
        "Scores 0 at (blank: worst option)", "Scores 100 at (blank: best option)",
    ]
    styles = ["text_nowrap", "text", "text", "text", "text", "one_dp", "percent", "four_dp", "four_dp"]
    widths = [12, 30, 14, 26, 10, 12, 14, 14, 14]
    rows = []
    for c in ctx.criterion_ids:
        row = ctx.criterion_row(c)
        rows.append([
            c, ctx.criterion_name(c), row.get("group", "") or "", row.get("measure", ""),
            row.get("direction", ""), _f(row.get("weight")), _f(ap.weights[c]),
            _f(row.get("worst")), _f(row.get("best")),
        ])
    spec = TableSpec("tblWeights", headers, labels, styles, widths, rows, len(rows))
    write_table_sheet(ctx, ws, f"Weights: how much each criterion counts ({_weights_words(ap)})", [spec], freeze="C4")


# --------------------------------------------------------------------------- Sensitivity


def sensitivity_rows(ctx: ExportContext) -> list[list[Any]]:
    ap = ctx.run.appraisal
    rows: list[list[Any]] = []
    by_id = {s.criterion_id: s for s in ap.sensitivity}
    for c in ctx.criterion_ids:
        s = by_id.get(c)
        name = ctx.criterion_name(c)
        if s is None:
            continue
        current = float(s.current_weight)
        tops = list(s.top_options)
        if not s.switch_points:
            top = tops[0] if tops else ap.top_option
            rows.append([c, name, current, None, top, top,
                         f"{top} stays first whatever the weight on {name}."])
            continue
        for k, x in enumerate(s.switch_points):
            before = tops[k] if k < len(tops) else ""
            after = tops[k + 1] if k + 1 < len(tops) else ""
            if x >= current:
                reading = f"If the weight on {name} rose above {x:.1%} (now {current:.1%}), {after or 'another option'} would come first instead of {before or 'the current top option'}."
            else:
                reading = f"If the weight on {name} fell below {x:.1%} (now {current:.1%}), {before or 'another option'} would come first instead of {after or 'the current top option'}."
            rows.append([c, name, current, float(x), before, after, reading])
    return rows


def sensitivity_sheet(ctx: ExportContext, ws: Any) -> None:
    """One-way weight sensitivity: where the top option changes as one weight moves."""
    headers = ["criterion_id", "criterion_name", "current_weight", "switch_point", "top_below", "top_above", "reading"]
    labels = [
        "Criterion code", "Criterion", "Its normalised weight now",
        "Weight at which the top option changes (blank: never)",
        "Top option below that weight", "Top option above that weight", "In words",
    ]
    styles = ["text_nowrap", "text", "percent", "percent", "text_nowrap", "text_nowrap", "text"]
    widths = [12, 28, 12, 16, 13, 13, 70]
    rows = sensitivity_rows(ctx)
    spec = TableSpec("tblSensitivity", headers, labels, styles, widths, rows, len(rows))
    write_table_sheet(
        ctx, ws,
        "Sensitivity: each criterion's weight moved from 0% to 100% (the others keep their proportions)",
        [spec], freeze="C4",
    )


# --------------------------------------------------------------------------- Robustness


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def robustness_sheet(ctx: ExportContext, ws: Any) -> None:
    """SMAA-2 rank acceptability (heat map), confidence factor and central weights."""
    rob = ctx.run.appraisal.robustness
    cids = ctx.criterion_ids
    ranks = list(rob.rank_acceptability.columns) if rob is not None else []
    headers = ["option_id", "option_name", *[f"rank_{r}" for r in ranks], "confidence_factor",
               *[f"central_weight_{c}" for c in cids]]
    labels = ["Option code", "Option name",
              *[f"Share of weightings ranking it {_ordinal(int(r))}" for r in ranks],
              "Confidence factor: share of draws it is first at its central weights",
              *[f"Central weight: {ctx.criterion_name(c)}" for c in cids]]
    styles = ["text_nowrap", "text", *["percent"] * len(ranks), "percent", *["percent"] * len(cids)]
    widths = [11, 24, *[11] * len(ranks), 14, *[12] * len(cids)]
    rows = []
    if rob is not None:
        for oid in ctx.option_ids:
            acc = rob.rank_acceptability.loc[oid] if oid in rob.rank_acceptability.index else None
            cw = rob.central_weights.loc[oid] if oid in rob.central_weights.index else None
            rows.append([
                oid, ctx.option_name(oid),
                *[_f(acc[r]) if acc is not None else None for r in ranks],
                _f(rob.confidence_factor.get(oid, math.nan)),
                *[_f(cw[c]) if cw is not None and c in cw.index else None for c in cids],
            ])
        how = ("uniformly over all weightings" if rob.around_weights is None
               else f"within ±{rob.around_weights:g} of each of the force's weights")
        title = f"Robustness (SMAA-2): {rob.samples:,} weightings drawn {how}, seed {rob.seed}"
    else:
        title = "Robustness: not computed for this run"
    spec = TableSpec(
        "tblRobustness", headers, labels, styles, widths, rows, len(rows),
        formats=[("heat", 2, 1 + len(ranks))] if ranks else [],
    )
    write_table_sheet(ctx, ws, title, [spec], freeze="C4")


# --------------------------------------------------------------------------- WeightSets


def weight_sets_sheet(ctx: ExportContext, ws: Any) -> None:
    """Each stakeholder group's weights and the ranking they give, side by side."""
    sets: dict[str, Any] = ctx.run.weight_sets
    headers = ["weight_set", "option_id", "option_name", "total_value", "rank"]
    labels = ["Stakeholder group", "Option code", "Option name", "Total value (0-100)", "Rank (1 = best)"]
    styles = ["text", "text_nowrap", "text", "number_bold", "rank"]
    rows = []
    for name, ap in sets.items():
        order = sorted(ctx.option_ids, key=lambda o, ap=ap: (float(ap.ranks[o]), ctx.option_ids.index(o)))  # type: ignore[misc]  # mypy cannot type a lambda's default-bound argument
        for oid in order:
            rows.append([name, oid, ctx.option_name(oid), _f(ap.totals[oid]), _f(ap.ranks[oid])])
    left = TableSpec("tblWeightSetRanks", headers, labels, styles, [22, 11, 30, 12, 8], rows, len(rows),
                     formats=[("bar", 3, 3)])
    wrows = []
    for name, ap in sets.items():
        for c in ctx.criterion_ids:
            wrows.append([name, c, ctx.criterion_name(c), _f(ap.weights[c])])
    right = TableSpec(
        "tblWeightSetWeights", ["weight_set", "criterion_id", "criterion_name", "weight"],
        ["Stakeholder group", "Criterion code", "Criterion", "Normalised weight"],
        ["text", "text_nowrap", "text", "percent"], [22, 12, 34, 12], wrows, len(wrows), first_col=7,
    )
    write_table_sheet(
        ctx, ws, "Weight sets: the ranking each stakeholder group's weights give",
        [left, right], freeze="A4", extra_widths={6: 3},
    )
