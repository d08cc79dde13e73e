"""The Summary sheet: page 1 as a briefing a chief officer can put before a panel.

It answers, in order (docs/summary-workbook.md#the-summary-sheet): whose appraisal and
how it is marked; the question and what the panel is asked; whose weights and which
scenario; what each option is, in plain English; the ranking under the named weights
with cost and value (and, under a weight set, the workbook weights' ranking beside it);
one runner-up by one rule; how robust the top option is and the nearest switch point,
in words; each stakeholder group's top option; the caveats spelled out; and where the
figures came from, so a printed copy can be traced to its inputs.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from openpyxl.worksheet.pagebreak import Break

from desktop_app.core.appraisal.what_if import override_words
from desktop_app.core.export import what_if_charts
from desktop_app.core.export.appraisal_sheets import _ordinal, sensitivity_rows
from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.grid import Block, SheetWriter, Styled
from desktop_app.core.export.page_fit import heading_breaks
from desktop_app.core.export.record_sheets import _edit_words
from desktop_app.core.export.styles import print_setup, set_widths
from desktop_app.core.export.tables import weights_words
from desktop_app.core.export.travel_caveat import estimated_sites_words
from desktop_app.core.shown import and_list, difference, fixed, percent, rounded
from desktop_app.core.workbook import schema
from desktop_app.core.workbook.schema import within_target

WIDTHS = {1: 22, 2: 88, 3: 12, 4: 14}
_CHARS_PER_LINE = 98  # of column B at 10 pt Arial (calibrated on LibreOffice output)


def _pct(x: float) -> str:
    """A share in whole percent, or to 0.1% where rounding would claim 0% or 100%
    (so page 1 never says 100% where the Robustness sheet shows 99.8%)."""
    if not math.isfinite(x):
        return "n/a"
    text = percent(x)
    if text in ("0%", "100%") and x not in (0.0, 1.0):
        text = percent(x, 1)
    return text


def _minutes(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return "not reached" if math.isinf(x) else f"{fixed(x)} minutes"


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
        f"reaches {_pct(float(m['population_coverage']))} of residents and {_pct(float(m['threat_coverage']))} of the threat "
        f"{within_target(ctx.target)} (average hour, allowing for busy units; "
        f"{_pct(float(m['population_coverage_all_free']))} of residents if every unit were free)",
        # The first officer alone may not act (docs/measures.md#a-second-armed-officer): the
        # second officer's cover beside the first's, so a lone officer is not read as cover.
        f"a second armed officer reaches {_pct(float(m['backup_coverage']))} of residents within "
        f"{float(ctx.params.backup_target_minutes):g} minutes",
        f"median response {_minutes(float(m['median_response_minutes']))}, 90% within {_minutes(float(m['p90_response_minutes']))}",
        f"{rounded(float(m['officers_required']), 1):,.1f} full-time armed officers",
        f"whole-life cost over the baseline £{round(float(m['whole_life_cost_gbp']), -3):,.0f}",  # nearest £1,000
        _months(float(m["implementation_months"])),
    ]
    name = ctx.option_name(oid)
    lead = f"{name}: {desc}." if desc else f"{name}."
    return f"{lead} It {parts[0]}; {'; '.join(parts[1:])}."


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
           else f"weightings within ±{rob.around_weights:g} of {weights_words(ctx)}")
    text = (f"{label} is first in {_pct(first)} of weightings and first or second in {_pct(top2)} "
            f"({rob.samples:,} {how}).")
    rivals = [(float(rob.rank_acceptability.loc[o].iloc[0]), o) for o in ctx.option_ids if o != top and o in rob.rank_acceptability.index]
    rivals.sort(reverse=True)
    if rivals and rivals[0][0] > 0:
        text += f" The option most often first apart from it, {ctx.option_label(rivals[0][1])}, is first in {_pct(rivals[0][0])}."
    model = getattr(ctx.run, "value_model", None)
    if math.isfinite(cf) and model is not None and model.uncertain:
        # What is drawn, said: with the weights fixed, only the ranged judgement scores vary.
        text += (f" Held at the weights that favour it (its central weights), with each judgement score that has "
                 f"a range drawn from that range, it is first in {_pct(cf)} of draws (its confidence factor).")
    elif math.isfinite(cf) and cf > 0:
        text += (" At the weights that favour it (its central weights) it is first; no score has a range, so "
                 f"nothing else is drawn (its confidence factor is {_pct(cf)}).")
    return text


def how_sure_words(ctx: ExportContext) -> str | None:
    """Page 1's two facts a panel needs beside the ranking: how often the top option is first
    over random weightings, and which option each stakeholder group's weights put first.

    A review read page 1's ranking as settled when the top option was first in 37% of
    weightings and every group put a different option first; both were pages later.
    """
    ap, run = ctx.run.appraisal, ctx.run
    top = ap.top_option
    parts: list[str] = []
    rob = ap.robustness
    if rob is not None and top in rob.rank_acceptability.index:
        first = float(rob.rank_acceptability.loc[top].iloc[0])
        how = ("weightings drawn at random" if rob.around_weights is None
               else f"weightings within ±{rob.around_weights:g} of {weights_words(ctx)}")
        # "How sure ... 35%" read as a 35% chance of being right (a panel member's review)
        # (the pointer to "How robust is the top option?" below gave way to the caveat: page 1 is full)
        parts.append(f"{ctx.option_label(top)} is first in {_pct(first)} of {how} "
                     "(a share of weightings, not a chance of being right).")
    sets = dict(getattr(run, "weight_sets", None) or {})
    if sets:
        firsts: dict[str, list[str]] = {}
        for name, wap in sets.items():
            for o in ctx.option_ids:
                if float(wap.ranks[o]) == 1.0:
                    firsts.setdefault(o, []).append(ctx.guard.clean(name))
        if list(firsts) == [top]:
            parts.append(f"Every stakeholder weight set ({len(sets)}) also puts it first.")
        else:
            said = "; ".join(f"{ctx.option_label(o)} first for {', '.join(who)}" for o, who in firsts.items())
            parts.append(f"The stakeholder weight sets differ: {said} "
                         "(see \u201cEach stakeholder group's top option\u201d below).")
    return " ".join(parts) or None


def sensitivity_words(ctx: ExportContext) -> str:
    best = None
    for row in sensitivity_rows(ctx):
        if row[3] is None:
            continue
        gap = abs(float(row[3]) - float(row[2]))
        if best is None or gap < best[0]:
            best = (gap, row)
    if best is None:
        return "No change to any single weight alters the top option."
    return "Nearest switch point: " + best[1][6][0].lower() + best[1][6][1:]


def runner_up_words(ctx: ExportContext) -> str:
    """The one runner-up, by one rule: the option with the second-highest total value
    under the named weights (ties: the earlier option in the workbook)."""
    ap = ctx.run.appraisal
    order = sorted(ctx.option_ids, key=lambda o: (-float(ap.totals[o]), ctx.option_ids.index(o)))
    if len(order) < 2:
        return "There is only one option."
    top, second = order[0], order[1]
    gap = difference(float(ap.totals[top]), float(ap.totals[second]))  # of the figures shown
    return (f"{ctx.option_label(second)}: the second-highest total value under {weights_words(ctx)} "
            f"({fixed(float(ap.totals[second]))}, {gap:.1f} points behind {ctx.option_label(top)}).")


def caveats(ctx: ExportContext, n_errors: int, n_warnings: int) -> list[tuple[str, str]]:
    """The limits of the figures, each in a sentence."""
    out: list[tuple[str, str]] = []
    model = getattr(ctx.run, "value_model", None)
    local = list(getattr(model, "local_scale", []) or [])
    if local:
        names = ", ".join(ctx.criterion_name(c) for c in local)
        one = len(local) == 1
        counted = "1 criterion is scored on a local scale" if one else f"{len(local)} criteria are scored on local scales"
        out.append(("Local scales", f"{counted} ({names}): 0 is the worst option and 100 the best, so "
                                    f"{'its' if one else 'their'} scores compare these options with each other only, "
                                    "and adding or dropping an option can change them."))
    est = int(getattr(ctx.inputs, "estimated_pairs", 0) or 0)
    if est:
        total = len(ctx.inputs.sites) * len(ctx.inputs.areas)
        out.append(("Estimated travel times",
                    f"{est:,} of the {total:,} site-to-area travel times were not in the workbook and were estimated "
                    "from straight-line distance, a road circuity factor and average speeds; real road times may differ."
                    + estimated_sites_words(ctx)))
    judged = [c for c in ctx.criterion_ids if ctx.criterion_row(c).get("measure") == schema.JUDGEMENT]
    if judged:
        counted = "1 criterion is" if len(judged) == 1 else f"{len(judged)} criteria are"
        out.append(("Judgements", f"{counted} scored by judgement rather than measured "
                                  f"({', '.join(ctx.criterion_name(c) for c in judged)}); the reasons are on the Assumptions sheet."))
    out.append(("Model", "Response times are modelled from where units start, not observed; units are assumed free "
                         "or busy in the proportions on the Deployments sheet."))
    out.append(("Validation", f"Reading the workbook found {n_errors} error{'s' if n_errors != 1 else ''} and "
                              f"{n_warnings} warning{'s' if n_warnings != 1 else ''} (listed on the Validation sheet); "
                              "warnings do not stop the appraisal but say where a figure needs care."))
    return out


def scenario_words(ctx: ExportContext, rerun: Any) -> str:
    """A scenario against the base case in words: its top option and where the base case's top option comes."""
    ap, top = rerun.appraisal, str(what_if_charts.base_case(ctx)[1].top_option)
    s_top = str(ap.top_option)
    changes = _changes(ctx, rerun)
    run_words = f"A full re-run with {changes}" if changes else "A full re-run"
    if s_top == top:
        return (f"{run_words}; {ctx.option_label(top)} stays first, as in the base case "
                f"(total value {fixed(float(ap.totals[top]))}).")
    where = f"; {ctx.option_label(top)} ranks {_ordinal(int(ap.ranks[top]))}" if top in ap.ranks.index else ""
    return (f"{run_words}; {ctx.option_label(s_top)} comes first instead (total value "
            f"{fixed(float(ap.totals[s_top]))}){where}. Side by side with the base case on the Scenarios sheet.")


def this_scenario_words(ctx: ExportContext) -> str:
    """Page 1's scenario line: the workbook as entered, or the scenario every figure comes from."""
    name = getattr(ctx.run, "scenario", None)
    rerun = (getattr(ctx.run, "scenarios", None) or {}).get(name) if name else None
    if rerun is None:
        return ctx.scenario_label
    changes = _changes(ctx, rerun)
    swings = ("; the parameter sensitivity and its tornado (ParameterSensitivity sheet) vary the workbook as "
              "entered, not this scenario") if getattr(ctx.run, "parameter_sensitivity", None) else ""
    return (f"{ctx.scenario_label}: every figure in this workbook is this scenario's full re-run"
            f"{f' ({changes})' if changes else ''}{swings}; the base case, the workbook as entered, is beside it "
            "on the Scenarios sheet.")


def _changes(ctx: ExportContext, rerun: Any) -> str:
    """A scenario's changes in words, as the Scenarios view says them ("the ARV crews' busy
    fraction set to 0.45"), an option's cost named by its code and name."""
    labels = {str(o): ctx.option_label(str(o)) for o in ctx.option_ids}
    parts = [ctx.guard.clean(override_words(str(k), v, labels)) for k, v in getattr(rerun, "overrides", [])]
    return and_list(parts)


def tornado_words(ctx: ExportContext) -> str:
    """The tornado's widest bar in words, and where the chart is."""
    top, base, bars = what_if_charts.tornado_rows(ctx)
    _label, lo, hi, s = bars[0]
    label = what_if_charts.swing_label(s, what_if_charts.option_names(ctx), start=False)
    return (f"The widest swing is {label}: in the base case the total value of "
            f"{ctx.option_label(top)} ({fixed(base)}) "
            f"moves by {fixed(lo, sign=True)} points at the low end "
            f"and {fixed(hi, sign=True)} at the high end. The tornado chart on the ParameterSensitivity sheet shows every input.")


def summary_sheet(ctx: ExportContext, ws: Any, n_errors: int, n_warnings: int) -> None:
    """Write page 1: the briefing.

    Long because it is page 1 written top to bottom, one block of rows per paragraph of
    the briefing (docs/summary-workbook.md#the-summary-sheet), so the code reads in the
    order the panel reads the page.
    """
    clean = ctx.guard.clean
    run = ctx.run
    p = ctx.params
    ap = run.appraisal
    who = weights_words(ctx)
    rows: list[list[Any]] = []
    heights: dict[int, float] = {}
    headings: list[int] = []  # rows holding a section heading, kept with the row below (page_fit)

    def add(*cells: Any, lines: int | None = None) -> None:
        rows.append(list(cells))
        text = next((c.value if isinstance(c, Styled) else c for c in cells[1:2]), "")
        n = lines if lines is not None else max(1, math.ceil(len(str(text or "")) / _CHARS_PER_LINE))
        if n > 1:
            heights[len(rows)] = 13.5 * n + 3

    def gap() -> None:
        rows.append([])
        heights[len(rows)] = 8

    def section(title: str) -> None:
        rows.append([Styled(title, "section"), Styled(None, "section"), Styled(None, "section"), Styled(None, "section")])
        heights[len(rows)] = 20
        headings.append(len(rows))

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
    if ctx.public:
        from desktop_app.core.export.public import removed_line

        item("Public version", removed_line(ctx))
    # One question, the workbook's own: a fixed "Which option should the force adopt?"
    # beside it read as a recommendation to adopt, where the sample's panel is asked only
    # which options go to public consultation.
    item("What the panel is asked", ctx.decision_question)
    item("National threat level", clean(p.threat_level))
    item("Response-time target", Styled(ctx.target, "summary_minutes_whole" if float(ctx.target).is_integer()
                                        else "summary_minutes"))
    item("Weights used", who)
    item("Scenario", this_scenario_words(ctx))
    if p.price_base_year:
        item("Price base", f"Costs in {clean(p.price_base_year)} prices")
    gap()
    section(f"Ranking under {who}")
    add(*[Styled(h, "label_wrap") for h in ("Rank", "Option", "Total value (0-100)", "Whole-life cost over the baseline")], lines=3)
    benefit = getattr(ap, "benefit_value", None)
    order = sorted(ctx.option_ids, key=lambda o: (float(ap.ranks[o]), ctx.option_ids.index(o)))
    for oid in order:
        text = ctx.option_label(oid)
        if benefit is not None and oid in getattr(benefit, "index", ()):
            text += f" (benefit value {fixed(float(benefit[oid]))})"
        rows.append([Styled(int(ap.ranks[oid]), "rank_left"), Styled(text, "text"),
                     Styled(float(ap.totals[oid]), "number_bold"),
                     Styled(float(run.coverage.measures.loc[oid, "whole_life_cost_gbp"]), "gbp")])
    for oid in ctx.awaiting_ids:  # docs/appraisal-method.md#awaiting-scores
        rows.append([Styled("-", "text"), Styled(ctx.option_label(oid), "text"),
                     Styled("awaiting scores: not ranked until the workshop scores it", "text"), Styled(None, "text")])
    wb_ap = getattr(run, "workbook_appraisal", None)
    if wb_ap is not None:
        wb_order = sorted(ctx.option_ids, key=lambda o: (float(wb_ap.ranks[o]), ctx.option_ids.index(o)))
        listed = "; ".join(f"{_ordinal(int(wb_ap.ranks[o]))} {ctx.option_label(o)} ({fixed(float(wb_ap.totals[o]))})" for o in wb_order)
        item("Workbook weights", f"For comparison, under the Workbook weights the order is: {listed}.")
    item("Runner-up", runner_up_words(ctx))
    if (sure := how_sure_words(ctx)) is not None:
        item("How settled", sure)
    gap()
    section("The options")
    base = set(ctx.inputs.options.loc[ctx.inputs.options["baseline"], "option_id"].astype(str))
    for oid in ctx.option_ids:
        tag = f"{clean(oid)} (do-minimum)" if oid in base else clean(oid)
        item(tag, option_line(ctx, oid))
    gap()
    section("How robust is the top option?")
    item("Robustness", robustness_words(ctx))
    item("Sensitivity", sensitivity_words(ctx))
    for name, rerun in (getattr(run, "scenarios", None) or {}).items():
        if getattr(rerun, "appraisal", None) is not None:
            why = ctx.notes("Scenarios").get(str(name))
            item("Scenario " + clean(name), scenario_words(ctx, rerun) + (f" The workbook's note: {why}." if why else ""))
    # Page 1 names an option by code and name throughout (the ranking above lists both).
    labels = {str(o): ctx.option_label(str(o)) for o in ap.totals.index}
    for swing in getattr(run, "parameter_sensitivity", []):
        item("If an input differs", clean(what_if_charts.swing_sentence(swing, labels)))
    if getattr(run, "parameter_sensitivity", None):
        item("Tornado", tornado_words(ctx))
    if getattr(run, "equality", None) and (eq := what_if_charts.equality_words(ctx)) is not None:
        item("Equality", eq)
    gap()
    section("Each stakeholder group's top option")
    if run.weight_sets:
        for name, wap in run.weight_sets.items():
            top = wap.top_option
            tied = [o for o in ctx.option_ids if float(wap.ranks[o]) == 1.0]
            lead = " and ".join(ctx.option_label(o) for o in tied) if len(tied) > 1 else ctx.option_label(top)
            extra = ("" if ap.top_option in tied
                     else f"; the top option under {who}, {ctx.option_label(ap.top_option)}, ranks "
                          f"{_ordinal(int(wap.ranks[ap.top_option]))}")
            item(clean(name), f"{lead} (total value {fixed(float(wap.totals[top]))}){extra}.")
    else:
        item("(none)", "The workbook has no stakeholder weight sets.")
    if ctx.judgement_edits:
        gap()
        section("Judgements changed in the workshop")
        for edit in ctx.judgement_edits:
            oid, cid = str(edit.get("option_id")), str(edit.get("criterion_id"))
            item(f"{clean(oid)} / {clean(cid)}", f"{ctx.criterion_name(cid)}: {clean(_edit_words(edit))}")
    point_edits = list(getattr(ctx.run, "value_point_edits", None) or [])
    if point_edits:  # docs/appraisal-method.md#value-functions
        gap()
        section("Value functions set in the workshop")
        for edit in point_edits:
            cid = str(edit.get("criterion_id"))
            item(clean(cid), f"{ctx.criterion_name(cid)}: {clean(_points_words(edit))}")
    gap()
    section("Caveats")
    for label, text in caveats(ctx, n_errors, n_warnings):
        item(label, text)
    item("Terms", "Every term and abbreviation is explained on the Glossary sheet.")
    gap()
    section("Provenance")
    src = ctx.inputs.source
    item("Input file", clean(getattr(src, "name", str(src))))
    item("Input SHA-256", clean(ctx.inputs.sha256), "mono")
    item("Tool version", f"armed-options {ctx.tool_version}")
    item("Generated", ctx.generated_at.strftime("%Y-%m-%d %H:%M:%S %Z").strip())
    item("Weight set", who)
    item("Random seed", str(run.seed))
    rob = ap.robustness
    samples = rob.samples if rob is not None else run.samples
    how = "uniformly over all weightings" if (rob is None or rob.around_weights is None) else f"within ±{rob.around_weights:g} of {who}"
    item("SMAA samples", f"{int(samples):,} weightings, drawn {how}")
    set_widths(ws, WIDTHS)
    for r, h in heights.items():
        ws.row_dimensions[r].height = h
    for r in heading_breaks(heights, len(rows), headings):
        ws.row_breaks.append(Break(id=r))
    ws.sheet_view.showGridLines = False
    print_setup(ws, marking=ctx.marking, force=ctx.force, title_rows=None,
                print_area=f"A1:D{len(rows)}", printed_widths=list(WIDTHS.values()))
    SheetWriter(ws, ctx.guard, ctx.styler).write([Block(1, 1, rows, len(rows), None)])


def _points_words(edit: dict[str, Any]) -> str:
    """"from straight line (worst to best) to 0.6:0; 0.7:80; 0.8:100: why" for the Summary sheet."""
    def pts(raw: Any) -> str:
        return "; ".join(f"{float(x):g}:{float(v):g}" for x, v in raw)

    before = "the straight line from worst to best" if edit.get("original") is None else pts(edit["original"])
    why = str(edit.get("rationale") or "").strip()
    text = f"from {before} to {pts(edit.get('points') or [])}"
    return f"{text}: {why}" if why else text
