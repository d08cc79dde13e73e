"""Colours used across the app, chosen to stay distinguishable with colour-blindness.

Options are drawn in the Okabe-Ito palette (Okabe & Ito 2008), the de-facto standard
for categorical colours readable by people with any common colour-vision deficiency.
Criteria (the stacked bars) use Paul Tol's "muted" scheme so that a criterion is never
mistaken for an option. Response-time bands use a sampled viridis scale (perceptually
uniform, monotone in lightness, so it also prints in greyscale); differences from the
baseline use a purple-orange diverging scheme (ColorBrewer PuOr, colour-blind safe).
"""

from __future__ import annotations

import math

#: Okabe-Ito, in the order options are assigned (black last: it reads as "text").
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermilion
    "#F0E442",  # yellow
    "#000000",  # black
)

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


def option_colour(index: int) -> str:
    """Colour of the option at ``index`` (workbook order), cycling after eight."""
    return OKABE_ITO[index % len(OKABE_ITO)]


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


def band_index(minutes: float) -> int:
    """Index into BAND_EDGES of a response time (NaN/inf go in the last band)."""
    if minutes != minutes:  # NaN
        return len(BAND_EDGES) - 1
    for i, edge in enumerate(BAND_EDGES):
        if minutes < edge:
            return i
    return len(BAND_EDGES) - 1
