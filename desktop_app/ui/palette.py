"""Colours used across the app, chosen to stay distinguishable with colour-blindness.

Options are drawn in the Okabe-Ito palette (Okabe & Ito 2008), the de-facto standard
for categorical colours readable by people with any common colour-vision deficiency,
darkened where needed so that every option colour is at least 3:1 against the white
chart and the grey panel (WCAG 2.1 success criterion 1.4.11, non-text contrast): its
yellow and sky blue cannot be, so yellow becomes olive and sky blue gives way to a
dark purple. Past eight options the colours repeat with another marker and line dash,
so no two options share both (docs/user-guide.md#colours).
Criteria (the stacked bars) use Paul Tol's "muted" scheme so that a criterion is never
mistaken for an option. Response-time bands use a sampled viridis scale (perceptually
uniform, monotone in lightness, so it also prints in greyscale); differences from the
baseline use a purple-orange diverging scheme (ColorBrewer PuOr, colour-blind safe).
"""

from __future__ import annotations

import math

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

#: Response-time bands in minutes (upper bounds), as ORH/FSEC cover maps present them.
BAND_EDGES: tuple[float, ...] = (10, 20, 30, 45, 60, math.inf)
BAND_LABELS: tuple[str, ...] = ("0-10 min", "10-20", "20-30", "30-45", "45-60", "60+ / none")
#: viridis sampled at 1.0, 0.8, ..., 0.0: quick = light yellow, slow = dark purple.
BAND_COLOURS: tuple[str, ...] = ("#fde725", "#7ad151", "#22a884", "#2a788e", "#414487", "#440154")

#: Difference from baseline (minutes, option minus baseline): negative is faster.
DIFF_EDGES: tuple[float, ...] = (-10, -5, -1, 1, 5, 10, math.inf)
DIFF_LABELS: tuple[str, ...] = (
    "10+ min faster", "5-10 faster", "1-5 faster", "within 1 min", "1-5 slower", "5-10 slower", "> 10 min slower",
)
#: PuOr (ColorBrewer, 7 classes): purple = faster, orange = slower, grey middle.
DIFF_COLOURS: tuple[str, ...] = ("#542788", "#998ec3", "#d8daeb", "#e8e8e8", "#fee0b6", "#f1a340", "#b35806")

#: Chance that a free armed unit arrives within target (upper bounds), for the busy-unit map:
#: the same viridis ramp, likely = light yellow, unlikely = dark purple.
COVER_EDGES: tuple[float, ...] = (0.25, 0.5, 0.75, 0.9, 0.99, math.inf)
COVER_LABELS: tuple[str, ...] = ("under 25%", "25-50%", "50-75%", "75-90%", "90-99%", "99%+")
COVER_COLOURS: tuple[str, ...] = tuple(reversed(BAND_COLOURS))
#: Difference in that chance from the baseline, in percentage points with the sign turned
#: round (baseline minus option), so the purple "better" end matches DIFF_COLOURS.
COVER_DIFF_LABELS: tuple[str, ...] = (
    "10+ points better", "5-10 better", "1-5 better", "within 1 point", "1-5 worse", "5-10 worse", "> 10 points worse",
)

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


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a ``#rrggbb`` colour (sRGB linearised)."""
    hexa = colour.lstrip("#")
    channels = [int(hexa[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two colours, (L1 + 0.05) / (L2 + 0.05) with L1 the lighter."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def criterion_colour(index: int) -> str:
    return TOL_MUTED[index % len(TOL_MUTED)]


def marking_colours(marking: str) -> tuple[str, str]:
    """Banner (background, text) for a protective marking; unknown markings get grey."""
    return MARKING_COLOURS.get(" ".join(marking.upper().split()), DEFAULT_MARKING_COLOURS)


def band_index(minutes: float) -> int:
    """Index into BAND_EDGES of a response time (NaN/inf go in the last band)."""
    if minutes != minutes:  # NaN
        return len(BAND_EDGES) - 1
    for i, edge in enumerate(BAND_EDGES):
        if minutes < edge:
            return i
    return len(BAND_EDGES) - 1
