"""The Incidents sheet: the model against last year's armed incidents (docs/measures.md).

A chief officer's first question of any cover model is whether it matches what happened.
For the baseline, the share of past incidents whose first armed officer arrived within the
target is set beside the share the model expects for the same incidents (the mean of each
incident's area-hour cover), for all incidents and for rural and urban areas apart.
"""

from __future__ import annotations

from typing import Any

from desktop_app.core.coverage.incident_verdict import verdict
from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.tables import TableSpec, write_table_sheet


def has_incident_check(run: Any) -> bool:
    """Whether the run has an incident check (Incidents rows with observed minutes)."""
    coverage = getattr(run, "coverage", None)
    return getattr(coverage, "incident_validation", None) is not None


def incidents_sheet(ctx: ExportContext, ws: Any) -> None:
    """Three rows (all, rural, urban): incidents, observed and modelled share within target,
    their difference, how far apart chance alone could put them, and the verdict the app's
    panel gives (core/coverage/incident_verdict.py): a difference with no margin beside it
    left a panel member to guess whether 3.6 points is a lot."""
    check: dict[str, Any] = ctx.run.coverage.incident_validation
    target = f"{ctx.target:g}"
    headers = ["areas", "incidents", "observed_within_target", "modelled_within_target", "difference",
               "chance_margin", "verdict"]
    labels = ["Areas", "Past incidents with an observed time",
              f"Observed: first armed officer within {target} minutes",
              "Modelled for the same incidents (baseline, allowing for busy units)",
              "Modelled minus observed (percentage points)",
              "Chance alone could give, if the model were right (± points, 95%)",
              "Verdict"]
    styles = ["text", "integer", "percent", "percent", "one_dp", "one_dp", "text"]
    widths = [12, 12, 16, 18, 14, 16, 22]
    rows = []
    for name, part in (("All areas", check), ("Rural", check.get("rural") or {}), ("Urban", check.get("urban") or {})):
        obs, mod = part.get("observed_within_target"), part.get("modelled_within_target")
        diff = None if obs is None or mod is None else 100.0 * (float(mod) - float(obs))
        v = verdict(part)
        rows.append([name, int(part.get("incidents") or 0), obs, mod, diff,
                     None if v is None else v.margin_points, "" if v is None else v.words])
    spec = TableSpec("tblIncidents", headers, labels, styles, widths, rows, len(rows))
    write_table_sheet(ctx, ws, f"Incidents: the baseline's modelled cover against last year's armed incidents "
                      f"(within {target} minutes). {_beside_options(ctx, int(check.get('incidents') or 0))}",
                      spec, wrap_title=True)


def _beside_options(ctx: ExportContext, checked: int) -> str:
    """Why this check's modelled share is not the Options sheet's incident measure: a panel
    member saw 61.9% there and 63.6% here for the same baseline."""
    inputs = ctx.inputs
    total = len(inputs.incidents)
    base = inputs.baseline_id
    measures = ctx.run.coverage.measures
    share = (measures.at[base, "incident_coverage"]
             if base in measures.index and "incident_coverage" in measures.columns else None)
    if total <= checked or share is None or share != share:  # NaN: not a number to quote
        return "Only incidents with an observed time are checked."
    return (f"Only the {checked:,} incidents with an observed time are checked; the Options sheet's "
            f"\u201cPast incidents covered\u201d counts all {total:,} ({float(share):.1%} for the baseline), "
            "so the two can differ.")
