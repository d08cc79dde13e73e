"""``armed-options simulate WORKBOOK``: the discrete-event simulation of armed response.

Exit statuses as ``appraise`` (docs/command-line.md#exit-statuses): 0 done; 1 invalid workbook (its
error findings, one per line, or one line saying what simulate needs, such as
``armed_incidents_per_year``); 2 unreadable file or bad usage.

With ``--json`` stdout carries only the ``simulate --json`` object (docs/simulation.md#output);
every other line goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from desktop_app.commands._read import read_or_report
from desktop_app.core.simulation import figures
from desktop_app.core.simulation.run import SimulationResult, simulate

HEADERS = ("option", "within target", "analytic", "second officer", "analytic",
           "median min", "analytic", "p90 min", "analytic")

#: Beside an analytic figure outside the simulated interval: ASCII, which every Windows
#: console code page prints (the app uses a dagger).
OUTSIDE = "*"


def _analytic(p: figures.Pair) -> str:
    return p.fmt()(p.analytic) + (f" {OUTSIDE}" if p.outside() else "")


def print_readable(force: str, res: SimulationResult, out: TextIO) -> None:
    """The figures as a person reads them: one row per option, 95% intervals in brackets.

    The incidents simulated are said once: every option answers the same ones (common
    random numbers), so a column of them repeated one number down the table.

    Under the table, once: what the intervals are (simulation noise, the inputs taken as
    right) and how a percentile is marked (by the share within the analytic minutes, whose
    figure a marked one gets on a line of its own, since the table shows minutes). A gain
    the run cannot tell from none gets the analytic difference beside it, and a run too
    small to detect tie-ups says so instead of the reassuring reading
    (docs/simulation.md#quantiles, #too-small).
    """
    out.write(
        f"{force}: simulated {res.years} year{'' if res.years == 1 else 's'} x {res.replications} "
        f"replication{'' if res.replications == 1 else 's'}, seed {res.seed}; "
        f"{res.per_year:g} armed incidents a year; target {res.target_minutes:g} min, "
        f"second officer {res.backup_target_minutes:g} min\n"
    )
    n = res.options[0].incidents if res.options else float("nan")
    none_drawn = n == 0
    if none_drawn:
        out.write("  no incidents were drawn at this rate over these years, so there is nothing to compare: "
                  "simulate more years\n")
    elif n == n:  # not NaN
        each = "in each replication" if res.replications == 1 else "a replication on average"
        who = "every option answers the same" if len(res.options) > 1 else "the option answers"
        out.write(f"  {who} {n:,.0f} simulated incidents {each}\n")
    for note in res.notes:
        out.write(f"  {note}\n")
    rows = [HEADERS] + [
        (o.option_id,
         *(cell for p in figures.pairs(o) for cell in (figures.with_interval(p.simulated, p.fmt()), _analytic(p))))
        for o in res.options
    ]
    widths = [max(len(r[c]) for r in rows) for c in range(len(HEADERS))]
    for r in rows:
        cells = [r[0].ljust(widths[0])] + [v.rjust(w) for v, w in zip(r[1:], widths[1:], strict=True)]
        out.write("  " + "  ".join(cells) + "\n")
    brackets = ("95% confidence intervals over replications in brackets" if res.replications > 1 and not none_drawn
                else "no confidence intervals: no incidents were drawn" if none_drawn
                else "one replication, so no confidence intervals: run two or more for them")
    out.write(f"  ({brackets}; analytic: independent busy units, over the same incidents; every figure per "
              "incident, not per resident)\n")
    intervals = res.replications > 1 and not none_drawn
    if intervals:
        out.write(f"  {figures.INTERVALS_ARE}\n  {figures.QUANTILES_JUDGED}\n")
    base = res.baseline
    if base is not None and intervals and len(res.options) > 1:
        caveat = (figures.paired_caveat(res.options, res.replications)
                  or "one that leaves out 0 is a difference the simulation's noise does not explain")
        out.write(f"  within target against the baseline {base.option_id}, paired over the same incidents "
                  f"(95% CI; {caveat}):\n")
        for o in res.options:
            if o is not base:
                beside = figures.analytic_beside(o, base)
                out.write(f"    {o.option_id.ljust(widths[0])}  {figures.against_baseline(o, base)}"
                          f"{': ' + beside if beside else ''}\n")
    elif base is None and res.baseline_id and res.replications > 1:
        out.write(f"  no comparison with the baseline: {res.baseline_id} was not simulated "
                  f"(add it with --option {res.baseline_id})\n")
    if any(p.outside() for o in res.options for p in figures.pairs(o)):
        out.write(f"  {OUTSIDE} {figures.OUTSIDE_MEANING}\n")
        # a marked median or 90th percentile: the share it was judged by, which the table does not show
        for o in res.options:
            for label, p in zip(("median", "90th percentile"), figures.pairs(o)[2:], strict=True):
                said = p.judgement()
                if said is not None:
                    out.write(f"    {o.option_id} {label}: {p.share_judged(said)}\n")
    if intervals:
        out.write("  " + figures.reading(res.options, res.replications,
                                          "run more replications (--replications) or years (--years)") + "\n")


def run(args: argparse.Namespace) -> int:
    """Read, simulate, print."""
    as_json = bool(getattr(args, "json", False))
    inputs = read_or_report(args.workbook)
    if inputs is None:
        return 1
    res = simulate(
        inputs, years=args.years, replications=args.replications, seed=args.seed,
        option_ids=list(args.option or []) or None,
    )
    if as_json:
        sys.stdout.write(json.dumps(res.to_json()) + "\n")
        for note in res.notes:
            sys.stderr.write(f"note: {note}\n")
    else:
        print_readable(inputs.parameters.force_name, res, sys.stdout)
    return 0
