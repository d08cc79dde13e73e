"""The data sheets of the summary workbook, each an Excel Table with filters.

Layout of every data sheet, so readers (and the tests) always know where to look:

- row 1: the sheet's title, saying in words what one row is;
- row 2: plain-English label and unit of each column (small italic);
- row 3: the table header, using the contract's own names (``option_id``,
  ``population_coverage``, criterion ids...), so the sheet lines up with the JSON results;
- row 4 on: one row per option / criterion / area / finding.

Rows 1-3 are frozen on screen and repeated on every printed page. Chart data blocks sit
to the right of the table (never on extra sheets: the contract fixes the sheet list).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from desktop_app.core import schema
from desktop_app.core.export import charts
from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.fastrows import DeferredRows
from desktop_app.core.export.grid import Block, SheetWriter, Styled
from desktop_app.core.export.styles import (
    add_table,
    data_bar,
    heat_map,
    print_setup,
    set_widths,
    unique_headers,
)

HEADER_ROW = 3
FIRST_DATA_ROW = 4
#: Coverage rows past the chart data go through :mod:`fastrows`; False writes every row
#: through openpyxl (kept for the benchmark's comparison, tests/benchmarks/bench_export.py).
FAST_COVERAGE_ROWS = True

#: Number style of each measure column.
MEASURE_STYLES = {
    "population_coverage": "percent",
    "threat_coverage": "percent",
    "expected_coverage": "percent",
    "median_response_minutes": "minutes",
    "p90_response_minutes": "minutes",
    "rural_gap_minutes": "minutes",
    "officers_required": "fte",
    "whole_life_cost_gbp": "gbp",
    "implementation_months": "one_dp",
}
_UNIT_WORDS = {"share": "%", "minutes": "minutes", "FTE": "FTE", "GBP": "£", "months": "months"}


@dataclass
class TableSpec:
    """One Excel Table: its name, header ids, plain labels, styles, widths and rows."""

    name: str
    headers: list[str]
    labels: list[str]
    styles: list[str | None]
    widths: list[float]
    rows: Iterable[Sequence[Any]]
    n_rows: int
    first_col: int = 1
    header_row: int = HEADER_ROW
    #: Conditional formats: (kind, first column offset, last column offset) in the table.
    formats: list[tuple[str, int, int]] = field(default_factory=list)
    #: Data rows openpyxl writes (the rest are spliced in by :mod:`fastrows`); None: all.
    written_rows: int | None = None

    @property
    def last_col(self) -> int:
        return self.first_col + len(self.headers) - 1

    @property
    def last_row(self) -> int:
        return self.header_row + max(self.n_rows, 1)

    def col_letter(self, offset: int) -> str:
        return get_column_letter(self.first_col + offset)

    def data_ref(self, first: int, last: int | None = None) -> str:
        last = first if last is None else last
        r0, r1 = self.header_row + 1, self.header_row + max(self.n_rows, 1)
        return f"{self.col_letter(first)}{r0}:{self.col_letter(last)}{r1}"


def measure_label(measure: str, target: float) -> str:
    label, unit = schema.MEASURE_LABELS.get(measure, (measure, ""))
    if measure in ("population_coverage", "threat_coverage"):
        label = label.replace("within target", f"within {target:g} min")
    unit_text = _UNIT_WORDS.get(unit, unit)
    return f"{label} ({unit_text})" if unit_text else label


def table_block(ctx: ExportContext, spec: TableSpec) -> tuple[Block, list[str]]:
    """The label row, header row and data rows of ``spec`` as one block (rows 2..)."""
    headers = unique_headers([ctx.guard.clean(h, "", spec.header_row) for h in spec.headers])

    def rows() -> Iterable[Sequence[Any]]:
        yield [Styled(lbl, "unit") for lbl in spec.labels]
        yield [Styled(h, "header") for h in headers]
        yield from spec.rows

    written = spec.n_rows if spec.written_rows is None else spec.written_rows
    block = Block(spec.header_row - 1, spec.first_col, rows(), written + 2, spec.styles, head_rows=2)
    return block, headers


#: Styles that wrap text inside the cell (rows holding them get a computed height).
WRAPPING = {"text", "mono"}
LINE_HEIGHT = 13.5


def auto_heights(spec: TableSpec) -> dict[int, float]:
    """Row heights for wrapped text, estimated from text length and column width.

    Excel does not re-measure rows when it opens a file, so without an explicit height a
    long description would be cut off on screen and in print.
    """
    if not isinstance(spec.rows, list):
        return {}
    out: dict[int, float] = {}
    wrap_cols = [j for j, st in enumerate(spec.styles) if st in WRAPPING and j < len(spec.widths)]
    for i, row in enumerate(spec.rows):
        lines = 1
        for j in wrap_cols:
            v = row[j] if j < len(row) else None
            v = v.value if isinstance(v, Styled) else v
            if isinstance(v, str) and v:
                per_line = max(1.0, spec.widths[j] * 1.25)
                lines = max(lines, sum(math.ceil(max(1, len(part)) / per_line) for part in v.split("\n")))
        if lines > 1:
            out[spec.header_row + 1 + i] = LINE_HEIGHT * lines + 2
    return out


def title_block(text: str, row: int = 1, col: int = 1) -> Block:
    return Block(row, col, [[Styled(text, "title")]], 1)


def write_table_sheet(
    ctx: ExportContext,
    ws: Any,
    title: str,
    specs: list[TableSpec],
    *,
    extra_blocks: Sequence[Block] = (),
    freeze: str = "A4",
    extra_widths: dict[int, float] | None = None,
    print_area: str | None = None,
    title_rows: str | None = "1:3",
    row_heights: dict[int, float] | None = None,
) -> list[list[str]]:
    """Write a sheet holding one or more tables (plus any other blocks); returns headers."""
    widths: dict[int, float] = {}
    for spec in specs:
        for i, w in enumerate(spec.widths):
            widths[spec.first_col + i] = w
    widths.update(extra_widths or {})
    set_widths(ws, widths)
    ws.freeze_panes = freeze
    for spec in specs:
        ws.row_dimensions[spec.header_row - 1].height = 48
        ws.row_dimensions[spec.header_row].height = 36
    heights: dict[int, float] = {}
    for spec in specs:
        for r, h in auto_heights(spec).items():
            heights[r] = max(heights.get(r, 0.0), h)
    heights.update(row_heights or {})
    for r, h in heights.items():
        ws.row_dimensions[r].height = h
    blocks = [title_block(title)]
    all_headers = []
    for spec in specs:
        block, headers = table_block(ctx, spec)
        blocks.append(block)
        all_headers.append(headers)
    blocks.extend(extra_blocks)
    # Before any row: in write-only mode the sheet properties (fit to page) go out first.
    print_setup(ws, marking=ctx.marking, force=ctx.force, title_rows=title_rows, print_area=print_area)
    SheetWriter(ws, ctx.guard, ctx.styler).write(blocks)
    for spec, headers in zip(specs, all_headers, strict=True):
        add_table(ws, spec.name, headers, spec.header_row, spec.first_col, spec.n_rows)
        for kind, first, last in spec.formats:
            if spec.n_rows == 0:
                continue
            ref = spec.data_ref(first, last)
            if kind == "heat":
                heat_map(ws, ref)
            elif kind == "bar":
                data_bar(ws, ref)
    return all_headers


def _f(x: Any) -> Any:
    """A number for a cell: floats stay floats (inf/NaN handled by the grid), None stays."""
    if x is None:
        return None
    if isinstance(x, np.generic):
        x = x.item()
    return x


# --------------------------------------------------------------------------- Options


def options_sheet(ctx: ExportContext, ws: Any) -> None:
    """One row per option: its costs as entered and every measure of contract section 2."""
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


def _weights_words(ap: Any) -> str:
    name = str(getattr(ap, "weights_name", "") or "")
    return "the force's weights" if name.lower() in ("", "criteria", "force", "criteria weights", "force weights") else f"weights: {name}"


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
        order = sorted(ctx.option_ids, key=lambda o, ap=ap: (float(ap.ranks[o]), ctx.option_ids.index(o)))
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


# --------------------------------------------------------------------------- Coverage


COVERAGE_PER_OPTION = (
    ("median_response_minutes", "median response (min)", "minutes"),
    ("share_hours_covered", "share of hours within {t} min", "percent"),
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
            labels.append(f"{ctx.option_name(oid)}: {label.format(t=f'{ctx.target:g}')}")
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


# --------------------------------------------------------------------------- Assumptions


def assumptions_sheet(ctx: ExportContext, ws: Any) -> None:
    """Every parameter used (with whether it was entered or defaulted) and every judgement."""
    p = ctx.params
    defaulted = set(getattr(p, "defaulted", ()) or ())
    rows: list[list[Any]] = []
    for name, value in p.as_rows():
        meta = schema.PARAMETERS_BY_NAME.get(name)
        source = "default" if name in defaulted else "as entered"
        if value is None:
            value = "(none)"
        rows.append([name, value, source, meta.description if meta else "Extra parameter, kept as entered."])
    run = ctx.run
    rob = getattr(run.appraisal, "robustness", None)
    rows.append(["weights_used", _weights_words(run.appraisal), "run setting", "Whose weights rank the options on the Scores sheet."])
    rows.append(["smaa_samples", int(run.samples), "run setting", "Random weightings drawn for the Robustness sheet."])
    rows.append(["seed", int(run.seed), "run setting", "Random seed: the same seed gives the same robustness figures."])
    around = run.around_weights if run.around_weights is not None else (rob.around_weights if rob else None)
    rows.append(["around_weights", "(all weightings)" if around is None else float(around), "run setting",
                 "Weights drawn within this distance of the force's weights (blank: anywhere on the simplex)."])
    rows.append(["estimated_travel_pairs", int(ctx.inputs.estimated_pairs), "computed",
                 "Site-area travel times estimated from coordinates (not in TravelTimes)."])
    styles = ["text_nowrap", "value", "text_nowrap", "text"]
    spec = TableSpec(
        "tblAssumptions", ["parameter", "value", "source", "meaning"],
        ["Setting", "Value used", "Entered, default or run setting", "What it means"],
        styles, [26, 22, 14, 90], rows, len(rows),
    )
    jrows = judgement_rows(ctx)
    jtop = spec.last_row + 3
    jspec = TableSpec(
        "tblJudgements",
        ["option_id", "criterion_id", "score", "rationale", "low", "high", "workshop_change"],
        ["Option code", "Criterion code", "Value score used (0-100)", "Why (as recorded)",
         "Lowest plausible", "Highest plausible", "Changed in the workshop (old to new: reason)"],
        ["text_nowrap", "text_nowrap", "one_dp", "text", "one_dp", "one_dp", "text"],
        [26, 22, 14, 90, 11, 11, 45], jrows, len(jrows), header_row=jtop,
    )
    blocks = [Block(jtop - 2, 1, [[Styled("Judgements: scores the workshop agreed, with their reasons", "section")]], 1)]
    write_table_sheet(
        ctx, ws, "Assumptions: every setting and judgement this appraisal used", [spec, jspec],
        extra_blocks=blocks, freeze="A4", title_rows="1:1",
    )


def judgement_rows(ctx: ExportContext) -> list[list[Any]]:
    j: pd.DataFrame = ctx.inputs.judgements
    rows: list[list[Any]] = []
    seen: set[tuple[str, str]] = set()
    ap = ctx.run.appraisal
    for _, r in j.iterrows():
        oid, cid = str(r["option_id"]), str(r["criterion_id"])
        seen.add((oid, cid))
        edit = ctx.edit_for(oid, cid)
        score = _f(r["score"])
        if oid in ap.values.index and cid in ap.values.columns:
            score = _f(ap.values.loc[oid, cid])
        rows.append([oid, cid, score, r.get("rationale", ""), _f(r.get("low")), _f(r.get("high")), _edit_words(edit)])
    for edit in ctx.judgement_edits:
        key = (str(edit.get("option_id")), str(edit.get("criterion_id")))
        if key not in seen:
            seen.add(key)
            rows.append([key[0], key[1], _f(edit.get("new_score")), "", None, None, _edit_words(edit)])
    return rows


def _edit_words(edit: dict[str, Any] | None) -> str:
    if not edit:
        return ""
    why = str(edit.get("rationale") or "").strip()
    text = f"from {_num(edit.get('old_score'))} to {_num(edit.get('new_score'))}"
    return f"{text}: {why}" if why else text


def _num(x: Any) -> str:
    try:
        return f"{float(x):g}"
    except (TypeError, ValueError):
        return str(x)


# --------------------------------------------------------------------------- Validation


def validation_sheet(ctx: ExportContext, ws: Any, extra: Sequence[Any] = ()) -> None:
    """Every finding from reading and computing, then any from writing this workbook."""
    findings = list(ctx.run.findings) + list(extra)
    rows = [[f.level, f.sheet, f.row, f.column, f.message] for f in findings]
    for r in rows:
        if r[0] == "error":
            r[0] = Styled("error", "error")
    spec = TableSpec(
        "tblValidation", ["level", "sheet", "row", "column", "message"],
        ["error or warning", "Sheet", "Excel row", "Column", "What was found"],
        ["text_nowrap", "text_nowrap", "integer", "text_nowrap", "text"],
        [10, 16, 8, 18, 110], rows, len(rows),
    )
    n_err = sum(1 for f in findings if f.level == "error")
    write_table_sheet(
        ctx, ws,
        f"Validation: {n_err} error{'s' if n_err != 1 else ''}, {len(findings) - n_err} warning{'s' if len(findings) - n_err != 1 else ''} from reading the workbook and writing this summary",
        [spec], freeze="A4",
    )
