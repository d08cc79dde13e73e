"""Colours used across the app, chosen to stay distinguishable with colour-blindness.

Options are drawn in the Okabe-Ito palette (Okabe & Ito 2008), the de-facto standard
for categorical colours readable by people with any common colour-vision deficiency,
darkened where needed so that every option colour is at least 3:1 against the white
chart and the grey panel (WCAG 2.1 success criterion 1.4.11, non-text contrast): its
yellow and sky blue cannot be, so yellow becomes olive and sky blue gives way to a
dark purple. Past eight options the colours repeat with another marker and line dash,
so no two options share both (docs/user-guide.md#colours).
Criteria (the stacked bars) use Paul Tol's "muted" scheme so that a criterion is never
mistaken for an option. Map bands are diverging schemes broken at the target (blue
within, orange to red beyond) and differences from the baseline purple-grey-orange
(ColorBrewer PuOr hues), all at 3:1 or more on the map's white.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from desktop_app.core.geography import bands

#: Paul Tol "muted" qualitative scheme, for criteria.
TOL_MUTED: tuple[str, ...] = (
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933",
    "#DDCC77", "#CC6677", "#882255", "#AA4499", "#DDDDDD",
)

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


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a #rrggbb colour."""
    h = colour.lstrip("#")
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


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


#: The option colours in the order options are assigned: Okabe-Ito darkened to 3:1 on
#: white and on PANEL (see the module docstring), black kept, no yellow.
OPTION_COLOURS: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermilion
    "#00966D",  # bluish green (Okabe-Ito #009E73, darkened)
    "#B07A00",  # ochre (Okabe-Ito orange #E69F00, darkened)
    "#C4659A",  # reddish purple (#CC79A7, darkened)
    "#000000",  # black
    "#5E3C99",  # dark purple (ColorBrewer PuOr), in place of sky blue
    "#8A8000",  # olive (Okabe-Ito yellow #F0E442, darkened)
)
#: Markers for each round of eight options (pyqtgraph symbol names) and the glyph the
#: option key prints for each.
OPTION_SYMBOLS: tuple[str, ...] = ("o", "s", "t", "d", "p", "h")
SYMBOL_GLYPHS: dict[str, str] = {"o": "●", "s": "■", "t": "▲", "d": "◆", "p": "⬟", "h": "⬢"}
#: Line dashes for each round of eight options (names of Qt pen styles).
OPTION_DASHES: tuple[str, ...] = ("SolidLine", "DashLine", "DashDotLine", "DotLine", "DashDotDotLine", "SolidLine")


def option_colour(index: int) -> str:
    """Colour of the option at ``index`` (workbook order), repeating after eight; the
    marker and dash (:func:`option_symbol`, :func:`option_dash`) then change."""
    return OPTION_COLOURS[index % len(OPTION_COLOURS)]


def option_symbol(index: int) -> str:
    """Marker of the option at ``index``: circles for the first eight, squares for the next..."""
    return OPTION_SYMBOLS[(index // len(OPTION_COLOURS)) % len(OPTION_SYMBOLS)]


def option_dash(index: int) -> str:
    """Qt pen style name of the option's line: solid for the first eight, dashed for the next..."""
    return OPTION_DASHES[(index // len(OPTION_COLOURS)) % len(OPTION_DASHES)]


def option_glyph(index: int) -> str:
    """The character a key prints for the option's marker."""
    return SYMBOL_GLYPHS[option_symbol(index)]


def criterion_colour(index: int) -> str:
    return TOL_MUTED[index % len(TOL_MUTED)]


#: Value-tree branches (docs/appraisal-method.md#value-tree): one hue per branch, four
#: shades within it. Every shade is 3:1 or more on white (WCAG 2.1 non-text contrast:
#: 11:1, 7.2:1, 4.9:1 and 3.3:1 from darkest to lightest), and the shades step in
#: relative luminance (about 0.045, 0.095, 0.165, 0.27), so criteria of one branch still
#: read apart in greyscale. Hues follow Okabe-Ito's blue, vermilion, bluish green,
#: reddish purple and yellow (as an olive), then a magenta, darkened to those luminances in HLS.
BRANCH_SHADES: tuple[tuple[str, str, str, str], ...] = (
    ("#083e66", "#0c5a93", "#0f74be", "#1792ec"),  # blue
    ("#662a03", "#933c04", "#bf4d05", "#ef6106"),  # vermilion
    ("#084528", "#0b643a", "#0e814a", "#12a25d"),  # green
    ("#5d206d", "#862e9d", "#ac3fc7", "#c06dd5"),  # purple
    ("#3d3e03", "#595a05", "#737506", "#919308"),  # olive
    ("#70144b", "#a11c6c", "#cf258b", "#e25cad"),  # magenta
)
#: The order a branch's criteria take its shades: mid-dark first (its hue reads best),
#: then alternating light and dark, so neighbours in a stacked bar differ most in greyscale.
SHADE_ORDER: tuple[int, int, int, int] = (1, 3, 0, 2)


def branch_colour(branch_index: int) -> str:
    """The colour that stands for a whole branch (its first criterion's shade)."""
    return BRANCH_SHADES[branch_index % len(BRANCH_SHADES)][SHADE_ORDER[0]]


def criterion_colours(groups: list[str]) -> list[str]:
    """Colour of each criterion, given each one's branch ("" when there is no value tree).

    Criteria of one branch share its hue, in :data:`SHADE_ORDER`; branches take hues in
    the order they first appear. A fifth criterion of a branch starts the shades again.
    Without a value tree every criterion is its own branch, so flat criteria get six
    hues before any repeats.
    """
    if not any(groups):
        n = len(BRANCH_SHADES)
        return [BRANCH_SHADES[i % n][SHADE_ORDER[(i // n) % 4]] for i in range(len(groups))]
    order: dict[str, int] = {}
    seen: dict[str, int] = {}
    out = []
    for g in groups:
        b = order.setdefault(g, len(order))
        k = seen.get(g, 0)
        seen[g] = k + 1
        out.append(BRANCH_SHADES[b % len(BRANCH_SHADES)][SHADE_ORDER[k % 4]])
    return out


def marking_colours(marking: str) -> tuple[str, str]:
    """Banner (background, text) for a protective marking; unknown markings get grey."""
    return MARKING_COLOURS.get(" ".join(marking.upper().split()), DEFAULT_MARKING_COLOURS)
