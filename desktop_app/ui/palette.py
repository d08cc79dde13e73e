"""Colours used across the app, chosen to stay distinguishable with colour-blindness.

The option and criterion colours are the core's (:mod:`desktop_app.core.colours`, the
one palette the summary workbook's charts draw with too), re-exported here with what is
the app's alone: the Qt marker and dash of each round of eight options, the chrome, the
marking and threat badges, the map bands' labels and the week heat map's ramp.
Past eight options the colours repeat with another marker and line dash, so no two
options share both (docs/user-guide.md#colours). Map bands are diverging schemes broken
at the target (blue within, orange to red beyond) and differences from the baseline
purple-grey-orange (ColorBrewer PuOr hues), all at 3:1 or more on the map's white.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from desktop_app.core.colours import (
    BRANCH_SHADES,
    OPTION_COLOURS,
    SHADE_ORDER,
    branch_colour,
    contrast_ratio,
    criterion_colours,
    option_colour,
    option_round,
    relative_luminance,
)
from desktop_app.core.geography import bands

__all__ = ["BRANCH_SHADES", "OPTION_COLOURS", "SHADE_ORDER", "branch_colour", "contrast_ratio",
           "criterion_colours", "option_colour", "relative_luminance"]

# Chrome colours: a restrained navy/grey scheme like GOV.UK and police intranet tools.
INK = "#0b0c0c"
MUTED_INK = "#505a5f"
RULE = "#b1b4b6"
PANEL = "#f3f2f1"
ACCENT = "#1d70b8"
ACCENT_DARK = "#003078"
ERROR = "#d4351c"
WARNING = "#b35c00"
OK = "#00703c"

#: Map colours (issue 16): every band is a diverging scheme broken at the target, cool
#: (blues) within it and warm (orange to dark red) beyond it, the blue-orange pair that
#: stays distinct under every common colour-vision deficiency (ColorBrewer RdBu/PuOr
#: hues, darkened so each fill is at least 3:1 on the white map, WCAG 2.1 SC 1.4.11;
#: tests/test_map_colours.py measures it). A band is (previous edge, edge], so an area
#: exactly on target is within it.
MAP_BACKGROUND = "#ffffff"
#: Within target: quickest (deep blue) to just within (lighter blue).
WITHIN_COLOURS: tuple[str, ...] = ("#174a8b", "#4393c3")
#: Beyond target: just over (orange), then red, dark red, and no cover (near black).
BEYOND_COLOURS: tuple[str, ...] = ("#c76a0a", "#b2182b", "#6e0d25", "#2f2f2f")


@dataclass(frozen=True)
class MapBands:
    """A map's colour bands: upper ``edges``, their ``labels`` and ``colours``, and the
    legend's ``groups``: (heading, number of bands under it), in band order."""

    edges: tuple[float, ...]
    labels: tuple[str, ...]
    colours: tuple[str, ...]
    groups: tuple[tuple[str, int], ...]


def minute_bands(target: float) -> MapBands:
    """Response minutes, broken at ``target``: 0-T/2, T/2-T within; T-1.5T, 1.5T-2T, 2T-3T, 3T+ beyond.

    Edges scale with the target so the break always falls on it (a 15-minute target gets
    7.5, 15, 22.5, 30, 45), as cover tools draw bands around the standard being tested.
    """
    t = float(target)
    edges = (t / 2, t, 1.5 * t, 2 * t, 3 * t, math.inf)
    labels = (f"0–{edges[0]:g} min", f"{edges[0]:g}–{t:g}", f"{t:g}–{edges[2]:g}", f"{edges[2]:g}–{edges[3]:g}",
              f"{edges[3]:g}–{edges[4]:g}", f"{edges[4]:g}+ / none")
    return MapBands(edges, labels, WITHIN_COLOURS + BEYOND_COLOURS,
                    ((f"Within the {t:g}-minute target", 2), ("Beyond the target", 4)))


#: Chance that a free armed unit arrives within target, broken at even odds (50%): warm
#: where it is more likely than not that no free unit arrives in time, cool where one does.
COVER_BANDS = MapBands(edges=bands.COVER_EDGES, labels=bands.COVER_LABELS, colours=bands.COVER_COLOURS,
                       groups=bands.COVER_GROUPS)

#: Difference from baseline (minutes, option minus baseline): negative is faster.
DIFF_EDGES: tuple[float, ...] = bands.DIFF_EDGES
DIFF_LABELS: tuple[str, ...] = (
    "10+ min faster", "5-10 faster", "1-5 faster", "within 1 min", "1-5 slower", "5-10 slower", "> 10 min slower",
)
#: Purple = faster, grey = no change, orange-brown = slower (PuOr hues, each at 3:1 or more on white).
DIFF_COLOURS: tuple[str, ...] = bands.DIFF_COLOURS
DIFF_BANDS = MapBands(DIFF_EDGES, DIFF_LABELS, DIFF_COLOURS, (("Quicker than the baseline", 3), ("No change", 1),
                                                              ("Slower than the baseline", 3)))
#: Difference in the chance from the baseline, in percentage points with the sign turned
#: round (baseline minus option), so the purple "better" end matches DIFF_COLOURS.
COVER_DIFF_LABELS: tuple[str, ...] = bands.COVER_DIFF_LABELS
COVER_DIFF_BANDS = MapBands(DIFF_EDGES, COVER_DIFF_LABELS, DIFF_COLOURS,
                            (("More likely than the baseline", 3), ("No change", 1), ("Less likely than the baseline", 3)))

#: The week heat map's ramp (share covered, low to high): light to deep blue (ColorBrewer Blues).
HEAT_COLOURS: tuple[str, ...] = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")


#: Protective-marking banner colours (background, text). The UK Government Security
#: Classifications do not fix colours; these follow common departmental practice
#: and are all at least 4.5:1 contrast.
MARKING_COLOURS: dict[str, tuple[str, str]] = {
    "OFFICIAL": ("#1d70b8", "#ffffff"),
    "OFFICIAL-SENSITIVE": ("#b35c00", "#ffffff"),
    "SECRET": ("#d4351c", "#ffffff"),
    "TOP SECRET": ("#942514", "#ffffff"),
}
DEFAULT_MARKING_COLOURS = ("#505a5f", "#ffffff")

#: Threat level badge colours (UK national threat levels).
THREAT_COLOURS: dict[str, str] = {
    "LOW": "#00703c",
    "MODERATE": "#1d70b8",
    "SUBSTANTIAL": "#b35c00",
    "SEVERE": "#d4351c",
    "CRITICAL": "#6f0000",
}


#: Markers for each round of eight options (pyqtgraph symbol names) and the glyph the
#: option key prints for each.
OPTION_SYMBOLS: tuple[str, ...] = ("o", "s", "t", "d", "p", "h")
SYMBOL_GLYPHS: dict[str, str] = {"o": "●", "s": "■", "t": "▲", "d": "◆", "p": "⬟", "h": "⬢"}
#: Line dashes for each round of eight options (names of Qt pen styles).
OPTION_DASHES: tuple[str, ...] = ("SolidLine", "DashLine", "DashDotLine", "DotLine", "DashDotDotLine", "SolidLine")


def option_symbol(index: int) -> str:
    """Marker of the option at ``index``: circles for the first eight, squares for the next..."""
    return OPTION_SYMBOLS[option_round(index) % len(OPTION_SYMBOLS)]


def option_dash(index: int) -> str:
    """Qt pen style name of the option's line: solid for the first eight, dashed for the next..."""
    return OPTION_DASHES[option_round(index) % len(OPTION_DASHES)]


def option_glyph(index: int) -> str:
    """The character a key prints for the option's marker."""
    return SYMBOL_GLYPHS[option_symbol(index)]


def marking_colours(marking: str) -> tuple[str, str]:
    """Banner (background, text) for a protective marking; unknown markings get grey."""
    return MARKING_COLOURS.get(" ".join(marking.upper().split()), DEFAULT_MARKING_COLOURS)
