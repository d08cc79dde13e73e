"""The version for publication (``appraise --public``): what it leaves out, and how it
says so (docs/summary-workbook.md#public-version).

Panel papers are usually published. The public version is marked ``public_marking``
and holds no threat indicator (name, description or weight), no threat index and no
area-level threat figure anywhere: the Coverage sheet drops its threat column, and any
validation finding about the Threat or ThreatIndicators sheets, or naming an indicator,
is replaced by a line saying a finding was withheld. Option-level measures (the share of
the threat each option covers) stay: the ranking depends on them and they reveal no
area's threat.
"""

from __future__ import annotations

from typing import Any

from desktop_app.core.export.context import ExportContext

THREAT_SHEETS = ("threat", "threatindicators")
WITHHELD = "A finding about the threat data, withheld from the public version."


def removed_line(ctx: ExportContext) -> str:
    """Page 1's statement of what this version leaves out."""
    n = len(ctx.inputs.indicators) if getattr(ctx.inputs, "indicators", None) is not None else 0
    return (f"This public version is marked {ctx.marking}. It leaves out the {n} threat indicator"
            f"{'s' if n != 1 else ''}, each area's threat index and every area-level threat figure; "
            "the share of the threat each option covers (one figure per option) is kept. "
            f"The full version is marked {ctx.guard.clean(ctx.params.protective_marking)}.")


def indicator_names(ctx: ExportContext) -> list[str]:
    ind = getattr(ctx.inputs, "indicators", None)
    if ind is None or not len(ind):
        return []
    return [str(x) for x in ind["indicator"]] + [str(x) for x in ind.get("description", []) if str(x).strip()]


def scrub_finding(ctx: ExportContext, row: list[Any]) -> list[Any]:
    """A Validation row, or a withheld line if it is about the threat data."""
    level, sheet, _r, column, message = row
    text = f"{sheet} {column} {message}".lower()
    if str(sheet or "").replace(" ", "").lower() in THREAT_SHEETS or any(
            n.lower() in text for n in indicator_names(ctx) if len(n) >= 3):
        return [level, "", None, "", WITHHELD]
    return row
