"""The appraisal sheets of the summary workbook: Options, Scores, Weights, Sensitivity,
Robustness and WeightSets, each laid out as :mod:`tables` describes.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd
from openpyxl.utils import get_column_letter

from desktop_app.core.appraisal.weights_name import WORKBOOK_WEIGHTS
from desktop_app.core.export import charts, discounting, value_tree
from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.grid import Styled
from desktop_app.core.export.styles import PAGE_PX
from desktop_app.core.export.tables import (
    MEASURE_STYLES,
    TableSpec,
    _f,
    write_table_sheet,
)
from desktop_app.core.shown import percent
from desktop_app.core.workbook import schema
from desktop_app.core.workbook.measure_names import measure_label_with_unit as measure_label

# --------------------------------------------------------------------------- Options


def options_sheet(ctx: ExportContext, ws: Any) -> None:
    """One row per option: its costs as entered and every measure of docs/measures.md#measures-per-option."""
    opts = ctx.inputs.options
    measures: pd.DataFrame = ctx.run.coverage.measures
    cols = [m for m in schema.MEASURES]
    prices = f", {ctx.guard.clean(ctx.params.price_base_year)} prices" if getattr(ctx.params, "price_base_year", None) else ""
    headers = ["option_id", "option_name", "description", "baseline", "one_off_cost_gbp", "annual_cost_gbp",
               "optimism_bias", "notes", *cols, "benefit_value"]
    labels = [
        "Option code", "Option name", "What the option is", "Do-minimum baseline",
        f"One-off cost (£{prices})", f"Annual cost over baseline (£{prices})", "Optimism bias (uplift on cost)",
        "Cost build-up and notes (from the workbook)",
        *[measure_label(m, ctx.target) for m in cols],
        "Benefit value (0-100, benefit criteria only)",
    ]
    styles = ["text_nowrap", "text", "text", "bool", "gbp", "gbp", "percent", "text", *[MEASURE_STYLES[m] for m in cols],
              "number_bold"]
    widths: list[float] = [11, 24, 40, 10, 13, 13, 11, 36, *[13 for _ in cols], 13]
    notes = ctx.notes("Options")  # beside the costs they build up (docs/summary-workbook.md#notes-from-the-workbook)
    # The Green Book's year-by-year discounting (docs/appraisal-method.md#green-book-costs).
    d_headers, d_labels, d_styles, d_widths = discounting.discount_columns(ctx.params)
    headers += d_headers
    labels += d_labels
    styles += d_styles
    widths += d_widths
    bv = ctx.run.appraisal.benefit_value
    rows = []
    for _, o in opts.iterrows():
        oid = str(o["option_id"])
        m = measures.loc[oid] if oid in measures.index else pd.Series(dtype=float)
        rows.append([
            oid, ctx.option_name(oid), o["description"], "yes" if bool(o["baseline"]) else "no",
            _f(o["one_off_cost_gbp"]), _f(o["annual_cost_gbp"]), _f(o.get("optimism_bias", 0.0)), notes.get(oid, ""),
            *[_f(m.get(c, math.nan)) for c in cols],
            _f(bv[oid]) if bv is not None and oid in bv.index else None,  # None: no benefit criteria, or awaiting scores
            *discounting.discount_values(ctx.params, o["one_off_cost_gbp"], o["annual_cost_gbp"],
                                         o.get("optimism_bias", 0.0)),
        ])
    # Printed in blocks across (docs/summary-workbook.md#printing): what the option is; its costs
    # with their build-up; cover; back-up, rural and urban cover; response times; officers;
    # cost, time and benefit; the discounting year by year.
    starts = [headers.index(h) for h in ("description", "one_off_cost_gbp", "population_coverage", "backup_coverage",
                                         "median_response_minutes", "officers_required", "whole_life_cost_gbp",
                                         "present_value_year_0")
              if h in headers]
    spec = TableSpec("tblOptions", headers, labels, styles, widths, rows, len(rows), key_cols=2, group_starts=starts)
    write_table_sheet(
        ctx, ws, f"Options: every measure for each option (response target {ctx.target:g} minutes)", spec,
        print_area=f"A1:{get_column_letter(len(headers))}{spec.last_row + 2 + 2 * charts.CHART_ROWS}",
    )
    # Each chart prints on a page of its own under the repeated title rows: as many rows as fit.
    rows_each = charts.chart_rows_for(_room_below_titles_pt(ws))
    ws.print_area = re.sub(r"\d+$", str(spec.last_row + 2 + 2 * rows_each), str(ws.print_area).split("!")[-1].replace("$", ""))
    charts.place_coverage_charts(ctx, ws, spec.last_row + 2, rows_each)


def _room_below_titles_pt(ws: Any) -> float:
    """Points of a printed page below the repeated title rows (1 to 3, row 2 hidden), at
    the sheet's print scale (100% when it is fitted to the page width: the least room)."""
    scale = 100 if ws.sheet_properties.pageSetUpPr.fitToPage else int(ws.page_setup.scale or 100)
    page_pt = PAGE_PX["landscape"][1] * 0.75 * 100 / scale
    return page_pt - sum(ws.row_dimensions[r].height or charts.ROW_PT for r in (1, 3))


# --------------------------------------------------------------------------- Scores


def score_status(ctx: ExportContext, oid: str) -> str:
    """In words, what is special about an option's scores: changed in the workshop,
    awaiting a judgement score, or clipped at a fixed scale's end (never shading alone)."""
    parts: list[str] = []
    changed = [c for c in ctx.criterion_ids if ctx.edit_for(oid, c) is not None]
    if changed:
        parts.append("changed in the workshop: " + ", ".join(ctx.guard.clean(c) for c in changed))
    j = ctx.inputs.judgements
    have = set(zip(j["option_id"].astype(str), j["criterion_id"].astype(str), strict=True)) if len(j) else set()
    awaiting, clipped = [], []
    measures = ctx.run.coverage.measures
    for c in ctx.criterion_ids:
        row = ctx.criterion_row(c)
        if row.get("measure") == schema.JUDGEMENT:
            if (oid, c) not in have and ctx.edit_for(oid, c) is None:
                awaiting.append(c)
            continue
        worst, best, m = row.get("worst"), row.get("best"), row.get("measure")
        if worst is None or best is None or pd.isna(worst) or pd.isna(best) or m not in measures.columns:
            continue
        x = float(measures.loc[oid, m]) if oid in measures.index else math.nan
        lo, hi = sorted((float(worst), float(best)))
        if math.isfinite(x) and (x < lo - 1e-12 or x > hi + 1e-12):
            clipped.append(c)
    if awaiting:
        parts.append("awaiting a score (counted as 0): " + ", ".join(ctx.guard.clean(c) for c in awaiting))
    if clipped:
        parts.append("clipped at the scale's end: " + ", ".join(ctx.guard.clean(c) for c in clipped))
    # Said when there is nothing to flag too: an empty cell reads as a figure left out.
    return "; ".join(parts) or "as the workbook gives them"


def scores_sheet(ctx: ExportContext, ws: Any) -> None:
    """Value scores (0-100) per criterion, total value and rank under the named weights;
    beside them, under a weight set, the workbook weights' total and rank."""
    ap = ctx.run.appraisal
    wb_ap = getattr(ctx.run, "workbook_appraisal", None)
    cids = ctx.criterion_ids
    who = ctx.weights_label
    headers = ["option_id", "option_name", *cids, "total_value", "rank"]
    labels = ["Option code", "Option name"]
    for c in cids:
        row = ctx.criterion_row(c)
        kind = " (judgement)" if row.get("measure") == schema.JUDGEMENT else ""
        labels.append(f"{ctx.guard.clean(c)} {ctx.criterion_name(c)}{kind} (0-100)")
    labels += [f"Total value, {who} (0-100)", f"Rank, {who} (1 = best)"]
    styles = ["text_nowrap", "text", *["one_dp"] * len(cids), "number_bold", "rank"]
    widths = [11, 22, *[12] * len(cids), 13, 9]
    if wb_ap is not None:
        headers += ["workbook_total_value", "workbook_rank"]
        labels += ["Total value, Workbook weights (0-100)", "Rank, Workbook weights"]
        styles += ["one_dp", "rank"]
        widths += [13, 9]
    headers.append("status")
    labels.append("Status of these scores (in words)")
    styles.append("text")
    widths.append(30)
    rows = []
    for oid in ctx.option_ids:
        vals = []
        for c in cids:
            v = _f(ap.values.loc[oid, c])
            vals.append(Styled(v, "edited") if ctx.edit_for(oid, c) is not None else v)
        cells: list[Any] = [oid, ctx.option_name(oid), *vals, _f(ap.totals[oid]), _f(ap.ranks[oid])]
        if wb_ap is not None:
            cells += [_f(wb_ap.totals[oid]), _f(wb_ap.ranks[oid])]
        rows.append([*cells, score_status(ctx, oid)])
    for oid in ctx.awaiting_ids:  # measured, never ranked: said in words (docs/appraisal-method.md#awaiting-scores)
        blank = [None] * (len(headers) - 3)
        rows.append([oid, ctx.option_name(oid), *blank, "awaiting scores: not ranked until the workshop scores it"])
    spec = TableSpec(
        "tblScores", headers, labels, styles, widths, rows, len(rows),
        formats=[("bar", 2 + len(cids), 2 + len(cids))],
    )
    note = (" Shaded scores were changed in the workshop (see Status)." if ctx.judgement_edits else "")
    chart_rows = 2 * charts.CHART_ROWS
    write_table_sheet(
        ctx, ws, f"Scores: each option's value on each criterion, total value and rank under {who}.{note}",
        spec, print_area=f"A1:{get_column_letter(len(headers))}{spec.last_row + 2 + chart_rows}",
    )
    charts.place_score_charts(ctx, ws, spec.last_row + 2)


# --------------------------------------------------------------------------- Weights


def weights_sheet(ctx: ExportContext, ws: Any) -> None:
    """Each criterion's swing weight as entered, its normalised weight under the weights
    used (named as everywhere else), the workbook's and each stakeholder set's, its scale."""
    ap = ctx.run.appraisal
    who = ctx.weights_label
    wb_ap = getattr(ctx.run, "workbook_appraisal", None)
    sets: dict[str, Any] = ctx.run.weight_sets
    used_set = getattr(ctx.run, "weight_set", None)
    # In the order it prints, a block of columns a page across (docs/summary-workbook.md#printing):
    # the branch and the weights side by side; what is measured and its scale; the workbook's notes.
    headers = ["criterion_id", "criterion_name", "group", "group_weight", "weight_within_group", "swing_weight", "weight"]
    labels = ["Criterion code", "Criterion", "Branch of the value tree", "Branch's share of the weight",
              "Criterion's share within its branch", "Swing weight in the Criteria sheet (workbook weights)",
              f"Normalised weight used: {who}"]
    styles: list[str | None] = ["text_nowrap", "text", "text", "percent", "percent", "one_dp", "percent"]
    widths = [11, 26, 14, 12, 12, 13, 14]
    if wb_ap is not None:
        headers.append("workbook_weight")
        labels.append("Normalised weight: Workbook weights")
        styles.append("percent")
        widths.append(13)
    raw_set = ctx.inputs.weight_set(used_set) if used_set else None
    if raw_set is not None:
        headers.append("set_swing_weight")
        labels.append(f"Weight as entered in WeightSets for {ctx.guard.clean(used_set)}")
        styles.append("one_dp")
        widths.append(14)
    others = [n for n in sets if n != used_set]
    for n in others:
        headers.append(f"weight_set:{n}")
        labels.append(f"Normalised weight: {ctx.guard.clean(n)}")
        styles.append("percent")
        widths.append(13)
    headers += ["kind", "measure", "direction", "worst", "best", "local_scale", "value_points", "notes"]
    labels += ["Benefit or cost", "What is measured", "Better when", "Scores 0 at", "Scores 100 at",
               "Local scale (ends from the options)", "Value function (x:v)", "Notes from the workbook"]
    # scale ends: general (£6m or 0.95), top-aligned
    styles += ["text_nowrap", "text", "text", "number", "number", "text_nowrap", "text", "text"]
    widths += [9, 20, 9, 14, 14, 12, 22, 30]
    scales = ctx.run.value_model.scales if ctx.run.value_model is not None else {}
    notes = ctx.notes("Criteria")
    rows = []
    for c in ctx.criterion_ids:
        row = ctx.criterion_row(c)
        group = row.get("group", "") or ""
        sc = scales.get(c)  # docs/appraisal-method.md#scales: the ends actually used
        points = "; ".join(f"{x:g}:{v:g}" for x, v in sc.value_points) if sc is not None and sc.value_points else ""
        out = [c, ctx.criterion_name(c), group, value_tree.branch_weight(ctx, ap, value_tree.group_of(ctx, c)),
               value_tree.within_branch(ctx, ap, c), _f(row.get("weight")), _f(ap.weights[c])]
        if wb_ap is not None:
            out.append(_f(wb_ap.weights[c]))
        if raw_set is not None:
            out.append(_f(_lookup(raw_set, c)))
        out += [_f(sets[n].weights[c]) for n in others]
        out += [row.get("kind", "benefit") or "benefit", row.get("measure", ""), row.get("direction", ""),
                _scale_end(sc.worst if sc is not None else None, row.get("measure")),
                _scale_end(sc.best if sc is not None else None, row.get("measure")),
                ("yes" if sc.local else "no") if sc is not None else "", points, notes.get(c, "")]
        rows.append(out)
    starts = [headers.index(h) for h in ("group", "kind", "notes")]
    spec = TableSpec("tblWeights", headers, labels, styles, widths, rows, len(rows), key_cols=2, group_starts=starts)
    picture_row = spec.last_row + 2
    write_table_sheet(ctx, ws, f"Weights: how much each criterion counts under {who}", spec,
                      print_area=f"A1:{get_column_letter(len(headers))}{picture_row + value_tree.rows_for(len(rows))}")
    value_tree.place_tree(ctx, ws, picture_row)


def _scale_end(x: Any, measure: Any = None) -> Any:
    """A scale's end at full precision, shown as it reads in its unit: a share as a
    percentage (45.0%), pounds as money (£6,000,000), otherwise 70 or 83.548 (a local
    scale's end is an option's measure, 83.5476190476 officers, in General)."""
    x = _f(x)
    if not isinstance(x, float | int) or isinstance(x, bool) or not math.isfinite(x):
        return x
    unit = schema.MEASURE_LABELS.get(str(measure), ("", ""))[1]
    if unit in ("share", "GBP"):
        return Styled(x, "percent" if unit == "share" else "gbp")
    if unit in ("FTE", "minutes") and not float(x).is_integer():
        # shown as the Options sheet shows officers and minutes (83.5, not 83.548, beside
        # its 83.5); the cell keeps the full figure for anyone who checks it
        return Styled(x, "one_dp")
    return Styled(x, "integer" if float(x).is_integer() else "scale_end")


def _lookup(weights: Any, cid: str) -> float:
    """A criterion's raw weight in a weight set (a mapping or Series); 0 when not listed."""
    try:
        return float(weights[cid]) if cid in weights else 0.0
    except (TypeError, KeyError):
        return 0.0


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
                         f"{ctx.option_label(top)} stays first whatever the weight on {name}."])
            continue
        for k, x in enumerate(s.switch_points):
            before = tops[k] if k < len(tops) else ""
            after = tops[k + 1] if k + 1 < len(tops) else ""
            # The reading names the options as page 1 does (code and name); the columns keep the codes.
            was = ctx.option_label(before) if before else ""
            then = ctx.option_label(after) if after else ""
            if x >= current:
                reading = f"If the weight on {name} rose above {percent(x, 1)} (now {percent(current, 1)}), {then or 'another option'} would come first instead of {was or 'the current top option'}."
            else:
                reading = f"If the weight on {name} fell below {percent(x, 1)} (now {percent(current, 1)}), {was or 'another option'} would come first instead of {then or 'the current top option'}."
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
    widths = [11, 24, 12, 15, 13, 13, 60]
    rows = sensitivity_rows(ctx)
    spec = TableSpec("tblSensitivity", headers, labels, styles, widths, rows, len(rows))
    write_table_sheet(
        ctx, ws,
        f"Sensitivity under {ctx.weights_label}: each criterion's weight moved from 0% to 100% (the others keep their proportions)",
        spec,
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
    widths = [11, 22, *[11] * len(ranks), 14, *[12] * len(cids)]
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
               else f"within ±{rob.around_weights:g} of each weight of {ctx.weights_label}")
        title = f"Robustness (SMAA-2): {rob.samples:,} weightings drawn {how}, seed {rob.seed}"
    else:
        title = "Robustness: not computed for this run"
    spec = TableSpec(
        "tblRobustness", headers, labels, styles, widths, rows, len(rows),
        formats=[("heat", 2, 1 + len(ranks))] if ranks else [],
        # Printed in blocks across: the rank shares with the confidence factor, then the central weights.
        key_cols=2, group_starts=[2, 3 + len(ranks)],
    )
    write_table_sheet(ctx, ws, title, spec)


# --------------------------------------------------------------------------- WeightSets


def weight_sets_sheet(ctx: ExportContext, ws: Any) -> None:
    """The ranking each stakeholder group's weights give, after the workbook weights'.

    Each group's weights themselves are columns of the Weights sheet (one table a sheet).
    """
    sets: dict[str, Any] = dict(ctx.run.weight_sets)
    wb_ap = getattr(ctx.run, "workbook_appraisal", None) or (
        ctx.run.appraisal if getattr(ctx.run, "weight_set", None) is None else None)
    groups = ([(WORKBOOK_WEIGHTS, wb_ap)] if wb_ap is not None else []) + list(sets.items())
    headers = ["weight_set", "option_id", "option_name", "total_value", "rank"]
    labels = ["Weights (stakeholder group)", "Option code", "Option name", "Total value (0-100)", "Rank (1 = best)"]
    styles = ["text", "text_nowrap", "text", "number_bold", "rank"]
    rows = []
    for name, ap in groups:
        order = sorted(ctx.option_ids, key=lambda o, ap=ap: (float(ap.ranks[o]), ctx.option_ids.index(o)))  # type: ignore[misc]  # mypy cannot type a lambda's default-bound argument
        for oid in order:
            rows.append([name, oid, ctx.option_name(oid), _f(ap.totals[oid]), _f(ap.ranks[oid])])
    spec = TableSpec("tblWeightSets", headers, labels, styles, [24, 11, 30, 12, 9], rows, len(rows),
                     formats=[("bar", 3, 3)])
    write_table_sheet(
        ctx, ws, "Weight sets: the ranking each stakeholder group's weights give (their weights: Weights sheet)",
        spec, freeze="A4", title_cols=None,
    )
