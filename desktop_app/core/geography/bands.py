"""The map bands the core draws with: the Maps sheet's legend (docs/maps.md#colours).

This is the one home of the cover and difference bands: the core must not import the
desktop app, so the app's palette (``desktop_app/ui/palette.py``: ``COVER_BANDS``,
``COVER_DIFF_BANDS``) builds its bands from these figures, and the app and the summary
never disagree. Cover is a diverging scheme broken at
even odds (50%): warm where a free unit in time is unlikely, cool where it is likely;
differences from the baseline run purple (better) through grey to brown (worse). Every fill
is at least 3:1 against the white map (WCAG 2.1 SC 1.4.11). A band is (previous edge, edge],
as the app's ``band_indices``.
"""

from __future__ import annotations

import math

import numpy as np

#: Chance a free armed unit arrives within target (upper bounds, each included in its band).
COVER_EDGES: tuple[float, ...] = (0.25, 0.5, 0.75, 0.9, 0.99, math.inf)
COVER_LABELS: tuple[str, ...] = ("under 25%", "25–50%", "50–75%", "75–90%", "90–99%", "99%+")
#: The four blues are ColorBrewer's sequential Blues, classes 6-9 (Brewer and Harrower, colorbrewer2.org),
#: each at least 3:1 on white; neighbours differ by 1.5-1.6:1 (the old 90-99% and 99%+ blues by 1.2:1,
#: which a user could not tell apart on the map).
COVER_COLOURS: tuple[str, ...] = ("#9a1b1b", "#c76a0a", "#4292c6", "#2171b5", "#08519c", "#08306b")
#: The legend's headings: (heading, number of bands under it), in band order.
COVER_GROUPS: tuple[tuple[str, int], ...] = (("Unlikely in time (under 50%)", 2), ("Likely in time (50% or more)", 4))

#: Difference in that chance, baseline minus option, in percentage points (upper bounds):
#: negative is better, so purple means better as in the app's difference map.
DIFF_EDGES: tuple[float, ...] = (-10, -5, -1, 1, 5, 10, math.inf)
COVER_DIFF_LABELS: tuple[str, ...] = (
    "10+ points better", "5-10 better", "1-5 better", "within 1 point", "1-5 worse", "5-10 worse", "> 10 points worse",
)
DIFF_COLOURS: tuple[str, ...] = ("#2d004b", "#542788", "#8073ac", "#767676", "#c76a0a", "#8c4a06", "#5a2d04")

#: Colour of an area with no figure (NaN): the app's uncoloured grey.
NO_DATA_COLOUR = "#c8c8c8"


def band_of(value: float, edges: tuple[float, ...]) -> int:
    """Index of the band (previous edge, edge] holding ``value``; -1 for NaN (no data)."""
    if value != value:
        return -1
    for i, edge in enumerate(edges):
        if value <= edge:
            return i
    return len(edges) - 1


def bands_of(values: np.ndarray, edges: tuple[float, ...]) -> np.ndarray:
    """:func:`band_of` of every value at once (a national map colours 35,672 areas)."""
    v = np.asarray(values, dtype=np.float64)
    out = np.minimum(np.searchsorted(np.asarray(edges, dtype=np.float64), v, side="left"), len(edges) - 1)
    return np.where(np.isnan(v), -1, out)
