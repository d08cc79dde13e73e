"""``armed-options optimise WORKBOOK --posts K``: where would K extra armed posts do most good?

Exit statuses as ``appraise`` (docs/command-line.md#exit-statuses): 0 done; 1 invalid workbook
(its error findings, one per line, on stderr); 2 unreadable file, bad usage or an
output that cannot be written (raised as ToolError and printed by the CLI).

With ``--json`` stdout carries only ``{"measure", "posts", "sites", "baseline_value",
"value"}`` (plus ``"curve"`` with ``--curve``); every other line goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from desktop_app.commands.validate import refuse_invalid
from desktop_app.core._io.atomic import refuse_input_as_output
from desktop_app.core.errors import UsageError
from desktop_app.core.model import ForceInputs
from desktop_app.core.optimiser.milp import OptimiseResult, optimise
from desktop_app.core.optimiser.side_effects import SideEffects, side_effects
from desktop_app.core.shown import difference, percent
from desktop_app.core.workbook.reader import read_workbook
from desktop_app.core.workbook.schema import CAPS


def _pct(x: float) -> str:
    return "undefined" if x != x else percent(x, 1)


def _site_label(inputs: ForceInputs, site_id: str) -> str:
    names = dict(zip(inputs.sites["site_id"].astype(str), inputs.sites["site_name"].astype(str), strict=True))
    return f"{site_id} ({names.get(site_id, '')})" if names.get(site_id) else site_id


def print_readable(inputs: ForceInputs, res: OptimiseResult, out: TextIO, effects: SideEffects | None = None) -> None:
    """The result as a person reads it: baseline, best value, the sites, what else the
    answer changes (a second armed officer, the officers it needs), and the curve."""
    label = res.measure.replace("_", " ")
    chosen = len(res.sites)
    # Fewer candidates than posts asked for: the headline counts the posts there can be
    # ("best 31 posts" over 30 stations read as 31 places); the note below says why.
    what = (f"best {res.posts} extra {res.asset_type} post{'s' if res.posts != 1 else ''}" if chosen >= res.posts else
            f"{chosen} extra {res.asset_type} post{'s' if chosen != 1 else ''}, one at every candidate "
            f"({res.posts} asked for)")
    out.write(
        f"{inputs.parameters.force_name}: {what} at {res.site_type} sites, "
        f"maximising {label} (exact MILP, {res.candidates} candidate site{'' if res.candidates == 1 else 's'})\n"
    )
    out.write(f"  {res.post_terms}\n")
    out.write(f"  baseline {inputs.baseline_id}: {_pct(res.baseline_value)}\n")
    gain = difference(100 * res.value, 100 * res.baseline_value)  # of the two figures printed
    out.write(f"  with the chosen posts: {_pct(res.value)} ({gain:+.1f} percentage points)\n")
    out.write("  sites: " + (", ".join(_site_label(inputs, s) for s in res.sites) or "none") + "\n")
    if effects is not None:
        out.write(f"  what else the chosen posts change, baseline {inputs.baseline_id} -> with them:\n")
        for line in effects.lines():
            out.write(f"    {line}\n")
    if res.curve:
        out.write("  posts  best value  sites\n")
        for p in res.curve:
            out.write(f"  {p.posts:>5}  {_pct(p.value):>10}  {', '.join(p.sites)}\n")


def run(args: argparse.Namespace) -> int:
    """Read, optimise, print; optionally write the result as an option into a workbook copy."""
    as_json = bool(getattr(args, "json", False))
    curve = bool(getattr(args, "curve", False))
    write_to = getattr(args, "write_option", None)
    curve_cap = CAPS["curve_posts"]
    if curve and args.posts > curve_cap.value:
        raise UsageError(f"--curve with --posts {args.posts:,}: at most {curve_cap.value:,} {curve_cap.what}, "
                         f"because {curve_cap.why}")
    if write_to:
        if Path(write_to).suffix.lower() != ".xlsx":
            raise UsageError(f"{write_to}: the copy must be saved as an Excel workbook ending in .xlsx")
        refuse_input_as_output(args.workbook, write_to)  # before any work: fail fast
    result = read_workbook(args.workbook)
    if result.errors or result.inputs is None:
        return refuse_invalid(args.workbook, result)
    inputs = result.inputs
    res = optimise(
        inputs, args.posts, asset_type=args.asset_type, site_type=args.site_type,
        measure=args.measure, curve=curve,
    )
    info = sys.stderr if as_json else sys.stdout
    effects = side_effects(inputs, res.sites, res.asset_type) if res.sites else None
    if as_json:
        sys.stdout.write(json.dumps(res.to_json(include_curve=curve)) + "\n")
    else:
        print_readable(inputs, res, sys.stdout, effects)
    if as_json:
        info.write(f"note: {res.post_terms}\n")
        for line in effects.lines() if effects is not None else []:
            info.write(f"note: {line}\n")
    if res.note:
        info.write(f"note: {res.note}\n")
    if write_to:
        from desktop_app.core.optimiser.workbook_copy import left_to_enter, write_option_copy

        path, new_id = write_option_copy(args.workbook, write_to, inputs, res)
        info.write(f"wrote {path} with the chosen sites as option {new_id}\n")
        for line in left_to_enter(inputs, new_id):  # stderr with --json: its fields are fixed
            info.write(f"note: {line}\n")
    return 0
