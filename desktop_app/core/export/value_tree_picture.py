"""The value tree drawn for the Weights sheet: branches and the criteria within them.

The MCA manual's value tree, as a picture a panel can read on paper: the overall value
at the left, each branch of the tree with its share of the weight, and each criterion
with its share within its branch and of the whole (docs/summary-workbook.md#sheets-in-order).
A bar under every box is drawn to its share of the whole, so the two levels compare at a
glance; the criteria take their branch's colour (the app's, :mod:`desktop_app.core.colours`)
and every share is also written in figures, so nothing depends on colour.

Drawn with Pillow's own font (no system font needed), like the map pictures.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from desktop_app.core.colours import criterion_colours
from desktop_app.core.shown import percent

WIDTH = 1800
ROW_PX = 74
_TOP = 90
_FONT = 27
#: Pixels a bar takes for 100% of the weight (one scale for branches and criteria).
_BAR_PX = 300
_PLAIN = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


@dataclass(frozen=True)
class TreeLeaf:
    """One criterion: its code and name, branch, share within the branch and of the whole."""

    code: str
    name: str
    branch: str
    within: float | None
    overall: float


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> str:
    text = text.translate(_PLAIN)
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "...", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "..."


def render_tree(title: str, leaves: list[TreeLeaf], branch_share: dict[str, float]) -> bytes:
    """A PNG of the tree: root, branches (with their share), criteria (within branch and overall)."""
    branches = list(dict.fromkeys(leaf.branch for leaf in leaves))
    height = _TOP + ROW_PX * max(len(leaves), 1) + 70
    img = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(img)
    font, bold, small = _font(_FONT), _font(_FONT + 4), _font(_FONT - 4)
    draw.text((20, 16), _fit(draw, title, bold, WIDTH - 40), fill="#1F3864", font=bold)
    draw.text((20, 52), "Bars: share of the whole weight. Within the branch: the criterion's share of its branch's weight.",
              fill="#404040", font=small)
    colours = criterion_colours([leaf.branch for leaf in leaves], list(branch_share))
    root_x, branch_x, leaf_x = 20, 330, 700
    box_h = ROW_PX - 18
    mid = _TOP + ROW_PX * len(leaves) / 2
    root = (root_x, int(mid - box_h / 2), root_x + 260, int(mid + box_h / 2))
    draw.rectangle(root, outline="#1F3864", width=3)
    draw.text((root[0] + 12, root[1] + 10), "Total value: 100%", fill="black", font=bold)
    row = 0
    for branch in branches:
        members = [(i, leaf) for i, leaf in enumerate(leaves) if leaf.branch == branch]
        first, last = row, row + len(members) - 1
        b_mid = _TOP + ROW_PX * (first + last + 1) / 2
        share = branch_share.get(branch, sum(leaf.overall for _i, leaf in members))
        b_box = (branch_x, int(b_mid - box_h / 2), branch_x + 320, int(b_mid + box_h / 2))
        colour = colours[members[0][0]]
        draw.line([(root[2], (root[1] + root[3]) // 2), (b_box[0], (b_box[1] + b_box[3]) // 2)], fill="#7F7F7F", width=2)
        draw.rectangle(b_box, outline=colour, width=3)
        label = branch or "(no branch)"
        draw.text((b_box[0] + 10, b_box[1] + 4), _fit(draw, f"{label}: {percent(share, 1)}", font, 300), fill="black", font=font)
        draw.rectangle((b_box[0] + 10, b_box[3] - 12, b_box[0] + 10 + int(_BAR_PX * share), b_box[3] - 5), fill=colour)
        for i, leaf in members:
            top = _TOP + ROW_PX * row + 4
            l_box = (leaf_x, top, WIDTH - 20, top + box_h)
            draw.line([(b_box[2], (b_box[1] + b_box[3]) // 2), (l_box[0], (l_box[1] + l_box[3]) // 2)],
                      fill="#7F7F7F", width=2)
            draw.rectangle(l_box, outline=colours[i], width=2)
            within = "" if leaf.within is None else f"{percent(leaf.within, 1)} of the branch, "
            figures = f"{within}{percent(leaf.overall, 1)} overall"
            fig_w = int(draw.textlength(figures, font=font))
            name = _fit(draw, f"{leaf.code} {leaf.name}", font, l_box[2] - l_box[0] - fig_w - 40)
            draw.text((l_box[0] + 10, l_box[1] + 4), name, fill="black", font=font)
            draw.text((l_box[2] - 10 - fig_w, l_box[1] + 4), figures, fill="black", font=font)
            draw.rectangle((l_box[0] + 10, l_box[3] - 12, l_box[0] + 10 + int(_BAR_PX * leaf.overall), l_box[3] - 5),
                           fill=colours[i])
            row += 1
    out = io.BytesIO()
    img.save(out, format="PNG", compress_level=6)  # optimize=True: 4x the time for 2-5% smaller
    return out.getvalue()
