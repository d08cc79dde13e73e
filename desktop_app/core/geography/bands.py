"""The map bands the core draws with: the Maps sheet's legend (docs/maps.md#colours).

The same edges, labels and colours as ``desktop_app/ui/palette.py`` (COVER_* and DIFF_*):
the core must not import the desktop app, so the figures the core needs live here and
``tests/test_maps_sheet.py`` checks they equal the palette's, so the app and the summary
never disagree. Cover uses viridis sampled at six points (perceptually uniform, prints in
greyscale); the difference from the baseline uses ColorBrewer PuOr (colour-blind safe).
"""

from __future__ import annotations

import math

#: Chance a free armed unit arrives within target (upper bounds), as the app's cover map.
COVER_EDGES: tuple[float, ...] = (0.25, 0.5, 0.75, 0.9, 0.99, math.inf)
COVER_LABELS: tuple[str, ...] = ("under 25%", "25-50%", "50-75%", "75-90%", "90-99%", "99%+")
#: viridis sampled at 0.0, 0.2, ..., 1.0: unlikely = dark purple, likely = light yellow.
COVER_COLOURS: tuple[str, ...] = ("#440154", "#414487", "#2a788e", "#22a884", "#7ad151", "#fde725")

#: Difference in that chance, baseline minus option, in percentage points (upper bounds):
#: negative is better, so purple means better as in the app's difference map.
DIFF_EDGES: tuple[float, ...] = (-10, -5, -1, 1, 5, 10, math.inf)
COVER_DIFF_LABELS: tuple[str, ...] = (
    "10+ points better", "5-10 better", "1-5 better", "within 1 point", "1-5 worse", "5-10 worse", "> 10 points worse",
)
DIFF_COLOURS: tuple[str, ...] = ("#542788", "#998ec3", "#d8daeb", "#e8e8e8", "#fee0b6", "#f1a340", "#b35806")

#: Colour of an area with no figure (NaN): light grey, outside both ramps.
NO_DATA_COLOUR = "#bdbdbd"


def band_of(value: float, edges: tuple[float, ...]) -> int:
    """Index of the first band whose upper bound exceeds ``value``; -1 for NaN (no data)."""
    if value != value:
        return -1
    for i, edge in enumerate(edges):
        if value < edge:
            return i
    return len(edges) - 1
