"""``armed-options appraise WORKBOOK -o SUMMARY.xlsx``: coverage, appraisal, summary workbook.

docs/command-line.md#commands and #json-results. Exit status 0 done, 1 invalid workbook (each error on its
own line on stderr), 2 unreadable file, unknown ``--weight-set`` or ``--scenario``, or an output that
cannot be written (raised as ToolErrors and printed as one line by ``cli.main``).

Without ``--json`` the ranking table goes to stdout. With ``--json`` stdout carries
ONLY the JSON results, so it can be piped into another program; every other line
(warnings, "wrote ...") goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from desktop_app.commands.validate import refuse_invalid
from desktop_app.core._io.atomic import refuse_input_as_output
from desktop_app.core.appraisal.sensitivity import nearest_switch
from desktop_app.core.errors import OutputError, UsageError
from desktop_app.core.export import write_summary
from desktop_app.core.pipeline import AppraisalRun, results_to_json, run_appraisal
from desktop_app.core.shown import percent


def _pct(x: float | None) -> str:
    return "-" if x is None or x != x else f"{100 * x:.0f}%"


def ranking_table(run: AppraisalRun) -> str:
    """The ranking as a plain-text table, with the top option's robustness."""
    app = run.appraisal
    inputs = run.inputs
    names = dict(zip(inputs.options["option_id"].astype(str), inputs.options["option_name"].astype(str), strict=True))
    rob = app.robustness
    p = inputs.parameters
    lines = [
        f"{p.force_name}: ranking under {app.weights_name} "
        f"(threat level {p.threat_level}, target {p.target_minutes:g} minutes)"
        + (f", scenario {run.scenario!r}" if run.scenario else ""),
        "",
    ]
    width = max([len("option"), *(len(o) for o in names)])
    nwidth = min(40, max([len("name"), *(len(n) for n in names.values())]))
    head = f"{'rank':>4}  {'option':<{width}}  {'name':<{nwidth}}  {'total':>6}  {'first in':>8}"
    lines += [head, "-" * len(head)]
    for oid in app.ranks.sort_values(kind="stable").index:
        name = names.get(oid, "")
        name = name if len(name) <= nwidth else name[: nwidth - 3] + "..."
        first = _pct(float(rob.rank_acceptability.loc[oid, 1])) if rob is not None else "-"
        lines.append(f"{int(app.ranks[oid]):>4}  {oid:<{width}}  {name:<{nwidth}}  {app.totals[oid]:>6.1f}  {first:>8}")
    for oid in run.awaiting_scores:  # docs/appraisal-method.md#awaiting-scores
        lines.append(f"{'-':>4}  {oid:<{width}}  {names.get(oid, '')[:nwidth]:<{nwidth}}  awaiting scores: not ranked")
    lines.append("")
    top = app.top_option
    if rob is not None:
        how = f"within +/- {run.around_weights:g} of the current weights" if run.around_weights is not None else "uniformly"
        # What the confidence factor is, said: at the weights that favour the option, how
        # often the judgement scores' ranges alone leave it first. "Confidence factor 98%"
        # on its own read as "98% confident", and the last option's is as high. With no
        # ranged score nothing is drawn, so nothing is said.
        model = getattr(run, "value_model", None)
        ranged = (f"; at the weights that favour it, it stays first in {_pct(float(rob.confidence_factor[top]))} "
                  "of draws of the judgement scores' ranges (its confidence factor)"
                  if model is not None and model.uncertain else "")
        lines.append(
            f"Top option: {top} ({names.get(top, '')}), first in {_pct(run.top_first_share)} of weightings "
            f"(SMAA-2: {run.samples:,} weightings drawn {how}, seed {run.seed}){ranged}.")
    else:
        lines.append(f"Top option: {top} ({names.get(top, '')}).")
    close = [(abs(x - s.current_weight), s.criterion_id, s.current_weight, x)
             for s in app.sensitivity if (x := nearest_switch(s)) is not None]
    if close:
        _, cid, now, x = min(close)
        lines.append(f"Nearest switch: the top option changes if criterion {cid}'s weight moves from "
                     f"{percent(now, 1)} to {percent(x, 1)}.")
    else:
        lines.append("No single weight change alters the top option.")
    if run.workbook_appraisal is not None:
        wtop = run.workbook_appraisal.top_option
        lines.append(f"Under the workbook weights the top option is {wtop} ({names.get(wtop, '')}); "
                     f"{top} ranks {int(run.workbook_appraisal.ranks[top])} there.")
    if run.weight_sets:
        firsts = run.weight_set_comparison().first_choices()
        tops = "; ".join(f"{n}: {t}" for n, t in firsts.items())
        lines.append(("Weight sets agree on the top option: " if len(set(firsts.values())) <= 1
                      else "Weight sets differ on the top option: ") + tops + ".")
    lines += what_if_lines(run)
    return "\n".join(lines) + "\n"


def what_if_lines(run: AppraisalRun) -> list[str]:
    """Scenarios' top options, the parameter-sensitivity sentences and the widest equality gap."""
    lines: list[str] = []
    if run.scenarios:
        tops = "; ".join(f"{n}: {r.appraisal.top_option}" for n, r in run.scenarios.items())
        lines.append(f"Scenarios (top option): {tops}.")
    lines += [s.sentence() for s in run.parameter_sensitivity]
    if (eq := run.equality_sentence()) is not None:
        lines.append(eq)
    if run.efficient_frontier:
        lines.append("Efficient frontier (whole-life cost against benefit value): "
                     + ", ".join(run.efficient_frontier) + ".")
    return lines


def run(args: argparse.Namespace) -> int:
    """Read, validate, compute, write the summary, print the ranking or the JSON."""
    from desktop_app.core.workbook.reader import read_workbook

    out, err = sys.stdout, sys.stderr
    info = err if args.json else out
    workbook, output = Path(args.workbook), Path(args.output)
    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"{output}: the summary must be saved as an Excel workbook ending in .xlsx")
    refuse_input_as_output(workbook, output)
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():  # fail before minutes of work, not after
        raise OutputError(f"cannot write {output}: the folder does not exist")
    result = read_workbook(workbook)
    if result.errors or result.inputs is None:
        return refuse_invalid(workbook, result)
    run_ = run_appraisal(
        result.inputs, result.findings,
        weight_set=args.weight_set, samples=args.samples, seed=args.seed,
        scenario=getattr(args, "scenario", None),
        around_weights=args.around_weights,
    )
    written = write_summary(run_, output, public=bool(getattr(args, "public", False)))
    for f in run_.findings:
        if f.level == "warning":
            err.write(f.one_line() + "\n")
    if args.json:
        out.write(json.dumps(results_to_json(run_), allow_nan=False) + "\n")
    else:
        out.write(ranking_table(run_))
    info.write(f"Summary workbook written: {written}\n")
    return 0
