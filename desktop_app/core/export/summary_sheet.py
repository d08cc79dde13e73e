"""The Summary sheet: a one-page printable brief a chief officer can read on its own.

It answers, in order: whose appraisal and how it is marked; what is being decided and
against what threat and target; what each option is, in one plain-English line; how
they rank under the force's weights and each stakeholder group's; how robust the top
option is, in words; what the workshop changed; and where the figures came from
(input file and SHA-256, tool version, time, seed), so a printed copy can be traced.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from desktop_app.core.export.appraisal_sheets import _ordinal, sensitivity_rows
from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.grid import Block, SheetWriter, Styled
from desktop_app.core.export.record_sheets import _edit_words
from desktop_app.core.export.styles import print_setup, set_widths
from desktop_app.core.workbook.schema import within_target

WIDTHS = {1: 24, 2: 115, 3: 13, 4: 15}
_CHARS_PER_LINE = 150  # of column B at 10 pt (calibrated on LibreOffice output)


def _pct(x: float) -> str:
    return f"{x:.0%}" if math.isfinite(x) else "n/a"


def _minutes(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return "not reached" if math.isinf(x) else f"{x:.1f} minutes"


def _months(x: float) -> str:
    if not math.isfinite(x):
        return "time to put in place unknown"
    return "already in place" if x == 0 else f"{x:g} month{'s' if x != 1 else ''} to put in place"


def date_words(when: datetime) -> str:
    return f"{when.day} {when:%B %Y}"


def option_line(ctx: ExportContext, oid: str) -> str:
    """``Name: description. Reaches 84% of residents ...``: one line per option."""
    clean = ctx.guard.clean
    opts = ctx.inputs.options
    row = opts.loc[opts["option_id"] == oid].iloc[0]
    m = ctx.run.coverage.measures.loc[oid]
    desc = clean(row["description"]).strip().rstrip(".")
    parts = [
        f"reaches {_pct(float(m['population_coverage']))} of residents and {_pct(float(m['threat_coverage']))} of the threat {within_target(ctx.target)} (average hour)",
        f"median response {_minutes(float(m['median_response_minutes']))}, 90% within {_minutes(float(m['p90_response_minutes']))}",
        f"{float(m['officers_required']):,.1f} armed officers (FTE)",
        f"whole-life cost over the baseline £{float(m['whole_life_cost_gbp']):,.0f}",
        _months(float(m["implementation_months"])),
    ]
    name = ctx.option_name(oid)
    lead = f"{name}: {desc}." if desc else f"{name}."
    return f"{lead} It {parts[0]}; {parts[1]}; {parts[2]}; {parts[3]}; {parts[4]}."


def robustness_words(ctx: ExportContext) -> str:
    ap = ctx.run.appraisal
    top = ap.top_option
    rob = ap.robustness
    label = ctx.option_label(top)
    if rob is None or top not in rob.rank_acceptability.index:
        return f"{label} ranks first; robustness was not computed for this run."
    acc = rob.rank_acceptability.loc[top]
    first = float(acc.iloc[0])
    top2 = float(acc.iloc[:2].sum())
    cf = float(rob.confidence_factor.get(top, math.nan))
    how = ("weightings drawn at random" if rob.around_weights is None
           else f"weightings within ±{rob.around_weights:g} of the force's weights")
    text = (f"{label} is first in {first:.0%} of weightings and first or second in {top2:.0%} "
            f"({rob.samples:,} {how}).")
    rivals = [(float(rob.rank_acceptability.loc[o].iloc[0]), o) for o in ctx.option_ids if o != top and o in rob.rank_acceptability.index]
    rivals.sort(reverse=True)
    if rivals and rivals[0][0] > 0:
        text += f" The nearest rival, {ctx.option_label(rivals[0][1])}, is first in {rivals[0][0]:.0%}."
    if math.isfinite(cf):
        text += f" Confidence factor {cf:.0%}."
    return text


def sensitivity_words(ctx: ExportContext) -> str:
    best = None
    for row in sensitivity_rows(ctx):
        if row[3] is None:
            continue
        gap = abs(float(row[3]) - float(row[2]))
        if best is None or gap < best[0]:
            best = (gap, row)
    if best is None:
        return "No single weight change alters the top option."
    return "Closest call: " + best[1][6][0].lower() + best[1][6][1:]


def summary_sheet(ctx: ExportContext, ws: Any, n_errors: int, n_warnings: int) -> None:
    """Write the one-page brief."""
    clean = ctx.guard.clean
    run = ctx.run
    p = ctx.params
    ap = run.appraisal
    rows: list[list[Any]] = []
    heights: dict[int, float] = {}

    def add(*cells: Any, lines: int | None = None) -> None:
        rows.append(list(cells))
        text = next((c.value if isinstance(c, Styled) else c for c in cells[1:2]), "")
        n = lines if lines is not None else max(1, math.ceil(len(str(text or "")) / _CHARS_PER_LINE))
        if n > 1:
            heights[len(rows)] = 14 * n + 2

    def gap() -> None:
        rows.append([])
        heights[len(rows)] = 8

    def section(title: str) -> None:
        rows.append([Styled(title, "section"), Styled(None, "section"), Styled(None, "section"), Styled(None, "section")])
        heights[len(rows)] = 20

    def item(label: str, text: Any, style: str = "text") -> None:
        add(Styled(label, "label"), Styled(text, style))

    force = ctx.force
    rows.append([Styled(f"{force}: armed response options appraisal", "title")])
    heights[1] = 22
    rows.append([Styled(ctx.marking, "marking")])
    heights[2] = 18
    gap()
    item("Force", force)
    item("Date", date_words(ctx.generated_at))
    item("Protective marking", ctx.marking)
    item("Question being decided", f"Which armed response option should {force} adopt?")
    item("National threat level", clean(p.threat_level))
    item("Response-time target", Styled(ctx.target, "summary_minutes"))
    gap()
    section("The options")
    base = set(ctx.inputs.options.loc[ctx.inputs.options["baseline"], "option_id"].astype(str))
    for oid in ctx.option_ids:
        tag = f"{clean(oid)} (do-minimum)" if oid in base else clean(oid)
        item(tag, option_line(ctx, oid))
    gap()
    section("Ranking under the force's weights")
    rows.append([Styled(h, "label_wrap") for h in ("Rank", "Option", "Total value", "Share ranked first")])
    heights[len(rows)] = 28
    rob = ap.robustness
    order = sorted(ctx.option_ids, key=lambda o: (float(ap.ranks[o]), ctx.option_ids.index(o)))
    for oid in order:
        first = None
        if rob is not None and oid in rob.rank_acceptability.index:
            first = float(rob.rank_acceptability.loc[oid].iloc[0])
        rows.append([Styled(int(ap.ranks[oid]), "rank"), Styled(ctx.option_label(oid), "text"),
                     Styled(float(ap.totals[oid]), "number_bold"), Styled(first, "percent_bold")])
    gap()
    section("Each stakeholder group's top option")
    if run.weight_sets:
        rows.append([Styled(h, "label_wrap") for h in ("Group", "Its top option", "Total value")])
        heights[len(rows)] = 28
        for name, wap in run.weight_sets.items():
            top = wap.top_option
            tied = [o for o in ctx.option_ids if float(wap.ranks[o]) == 1.0]
            lead = " and ".join(ctx.option_label(o) for o in tied) if len(tied) > 1 else ctx.option_label(top)
            force_top_rank = int(wap.ranks[ap.top_option])
            extra = "" if ap.top_option in tied else f"; the force's top option ranks {_ordinal(force_top_rank)}"
            rows.append([Styled(clean(name), "label"), Styled(f"{lead}{extra}", "text"),
                         Styled(float(wap.totals[top]), "number_bold")])
    else:
        item("(none)", "The workbook has no stakeholder weight sets.")
    gap()
    section("How robust is the top option?")
    item("Robustness", robustness_words(ctx))
    item("Sensitivity", sensitivity_words(ctx))
    if ctx.judgement_edits:
        gap()
        section("Judgements changed in the workshop")
        for edit in ctx.judgement_edits:
            oid, cid = str(edit.get("option_id")), str(edit.get("criterion_id"))
            item(f"{clean(oid)} / {clean(cid)}", f"{ctx.criterion_name(cid)}: {clean(_edit_words(edit))}")
    item("Validation", f"{n_errors} error{'s' if n_errors != 1 else ''} and {n_warnings} warning{'s' if n_warnings != 1 else ''}; see the Validation sheet.")
    gap()
    section("Provenance")
    src = ctx.inputs.source
    item("Input file", clean(getattr(src, "name", str(src))))
    item("Input SHA-256", clean(ctx.inputs.sha256), "mono")
    item("Tool version", f"armed-options {ctx.tool_version}")
    item("Generated", ctx.generated_at.strftime("%Y-%m-%d %H:%M:%S %Z").strip())
    item("Random seed", str(run.seed))
    samples = rob.samples if rob is not None else run.samples
    how = "uniformly over all weightings" if (rob is None or rob.around_weights is None) else f"within ±{rob.around_weights:g} of the force's weights"
    item("SMAA samples", f"{int(samples):,} weightings, drawn {how}")
    set_widths(ws, WIDTHS)
    for r, h in heights.items():
        ws.row_dimensions[r].height = h
    ws.sheet_view.showGridLines = False
    print_setup(ws, marking=ctx.marking, force=ctx.force, title_rows=None, one_page=True,
                print_area=f"A1:D{len(rows)}")
    SheetWriter(ws, ctx.guard, ctx.styler).write([Block(1, 1, rows, len(rows), None)])
