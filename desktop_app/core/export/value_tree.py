"""The value tree on the Weights sheet: both levels' shares, and the tree drawn below the Table.

Each criterion's share within its branch is its normalised weight over its branch's
(the two levels of the MCA manual's hierarchical swing weights, docs/appraisal-method.md);
the picture (:mod:`value_tree_picture`) draws the root, the branches with their share,
and every criterion with its share within the branch and of the whole, under the named
weights. It starts a printed page of its own and carries alt text.
"""

from __future__ import annotations

import io
import math
from typing import Any

from openpyxl.drawing.image import Image as XLImage
from openpyxl.worksheet.pagebreak import Break

from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.value_tree_picture import ROW_PX, WIDTH, TreeLeaf, render_tree
from desktop_app.core.shown import finite_or_none, percent

#: Shown width on the sheet, in pixels at 96 dpi (23 cm: inside the first printed block of Weights).
SHOWN_WIDTH = 870


def group_of(ctx: ExportContext, criterion: str) -> str:
    """The criterion's branch of the value tree ("" when it has none)."""
    group = ctx.criterion_row(criterion).get("group", "")
    return "" if group is None or group != group else str(group)


def branch_weight(ctx: ExportContext, ap: Any, group: str) -> float | None:
    """A branch's share of the weight: the tree's branch weight, or under weights given per
    criterion (a weight set, the workshop's) the sum of its criteria's (None: no branch)."""
    if not group:
        return None
    g = finite_or_none((getattr(ap, "group_weights", None) or {}).get(group))
    if g is not None:
        return g
    return math.fsum(finite_or_none(ap.weights.get(c)) or 0.0 for c in ctx.criterion_ids if group_of(ctx, c) == group)


def within_branch(ctx: ExportContext, ap: Any, criterion: str) -> float | None:
    """The criterion's normalised weight as a share of its branch's (None without a tree)."""
    g = branch_weight(ctx, ap, group_of(ctx, criterion))
    w = finite_or_none(ap.weights.get(criterion)) if hasattr(ap.weights, "get") else None
    if g is None or w is None or g <= 0:
        return None
    return w / g


def _shown_height(n_leaves: int) -> int:
    height = 90 + ROW_PX * max(n_leaves, 1) + 70
    return int(height * SHOWN_WIDTH / WIDTH)


def rows_for(n_leaves: int) -> int:
    """Sheet rows (15 pt = 20 px each) the picture covers, plus one."""
    return _shown_height(n_leaves) // 20 + 2


def place_tree(ctx: ExportContext, ws: Any, top_row: int) -> None:
    """Draw the value tree under the Weights Table, on a printed page of its own."""
    ap = ctx.run.appraisal
    leaves = []
    shares: dict[str, float] = {}
    for c in ctx.criterion_ids:
        raw = group_of(ctx, c)
        group = ctx.guard.clean(raw)
        leaves.append(TreeLeaf(ctx.guard.clean(c), ctx.criterion_name(c), group, within_branch(ctx, ap, c),
                               finite_or_none(ap.weights[c]) or 0.0))
        if raw and (bw := branch_weight(ctx, ap, raw)) is not None:
            shares[group] = bw
    who = ctx.weights_label
    png = render_tree(f"Value tree under {who}: each branch's share and the criteria within it", leaves, shares)
    img = XLImage(io.BytesIO(png))
    img.width, img.height = SHOWN_WIDTH, _shown_height(len(leaves))
    ws.add_image(img, f"A{top_row}")
    ws.row_breaks.append(Break(id=top_row - 1))
    branches = list(dict.fromkeys(leaf.branch for leaf in leaves))
    parts = []
    for b in branches:
        inside = ", ".join(f"{leaf.name} {percent(leaf.within, 1)}" if leaf.within is not None else leaf.name
                           for leaf in leaves if leaf.branch == b)
        share = shares.get(b, sum(leaf.overall for leaf in leaves if leaf.branch == b))
        parts.append(f"{b or 'no branch'} {percent(share)} ({inside})")
    ctx.add_chart_text(ws.title, "Value tree",
                       f"Tree diagram of the weights under {who}: " + "; ".join(parts) +
                       ". The same figures are in the Weights table.")
