"""Where the cover map's district names go: clear of the site markers, of names drawn over
the map by a view (the Optimiser's chosen stations) and of each other.

Kept apart from :mod:`desktop_app.ui.map_widget` (which draws the map) because choosing
places is plain box arithmetic in scene pixels, tested without drawing anything: every
candidate place of a name is tested at once (numpy), so a national map's 300-odd names
and 1,200 sites take milliseconds on each zoom.
"""

from __future__ import annotations

import numpy as np

#: Half a site marker's size in pixels, with a pixel of margin (markers are 12-13 px).
MARKER_HALF = 7.5


def _label_shifts() -> tuple[tuple[float, float], ...]:
    """Where a district name may move to get clear of the site markers, nearest first.

    As (its widths across, its heights down; scene y, so negative is up): up to three
    heights up or down and three quarters of its width to either side, in half-height
    and quarter-width steps, ordered by how far the name would travel (a height weighs
    about as much as a quarter of a name's width), home first.
    """
    steps = [(fx / 4.0, fy / 2.0) for fx in range(-3, 4) for fy in range(-6, 7)]
    return tuple(sorted(steps, key=lambda s: (abs(s[0]) * 4.0 + abs(s[1]), abs(s[0]), s[1])))


LABEL_SHIFTS = _label_shifts()


def marker_boxes(sites: np.ndarray) -> np.ndarray:
    """Each site marker's box in scene pixels, (n, 4) as left, top, right, bottom."""
    return np.column_stack([sites - MARKER_HALF, sites + MARKER_HALF])


def overlaps(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Per row of ``boxes`` (left, top, right, bottom): whether it overlaps any of ``others``."""
    if others.size == 0:
        return np.zeros(len(boxes), dtype=bool)
    b, o = boxes[:, None, :], others[None, :, :]
    return np.any((b[..., 0] < o[..., 2]) & (o[..., 0] < b[..., 2]) & (b[..., 1] < o[..., 3]) & (o[..., 1] < b[..., 3]),
                  axis=1)


def place_names(homes: np.ndarray, markers: np.ndarray, obstacles: np.ndarray,
                inside: tuple[float, float, float, float], *, can_move: bool = True) -> list[tuple[float, float] | None]:
    """Per name (its box at home, scene pixels, biggest district first): the shift in scene
    pixels (dx right, dy down) to where it prints, or None to hide it.

    A name stays home unless a marker or an obstacle would cover its letters: then it takes
    the nearest place in :data:`LABEL_SHIFTS` clear of every marker, obstacle and name
    already placed, and inside the map. With none it stays home, unless home overlaps a
    name already placed (a bigger district's) or an obstacle, which hides it. With
    ``can_move`` False (a view not laid out yet, whose pixels have no size) every name is
    tried at home only.
    """
    shifts = np.asarray(LABEL_SHIFTS, dtype=float)
    blockers = np.vstack([markers.reshape(-1, 4), obstacles.reshape(-1, 4)])
    placed = np.zeros((0, 4))
    out: list[tuple[float, float] | None] = []
    for home in homes:
        w, h = home[2] - home[0], home[3] - home[1]
        chosen, shift = None, None
        # Only the blockers and names a moved name could reach are tested; home is the
        # first candidate, so a name with nothing on it stays where it is.
        cand = home + np.column_stack([shifts[:, 0] * w, shifts[:, 1] * h] * 2)
        lo_x, lo_y, hi_x, hi_y = cand[:, 0].min(), cand[:, 1].min(), cand[:, 2].max(), cand[:, 3].max()
        near = blockers[(blockers[:, 0] < hi_x) & (blockers[:, 2] > lo_x) & (blockers[:, 1] < hi_y) & (blockers[:, 3] > lo_y)]
        names = placed[(placed[:, 0] < hi_x) & (placed[:, 2] > lo_x) & (placed[:, 1] < hi_y) & (placed[:, 3] > lo_y)]
        if near.size and can_move:
            ok = ((cand[:, 0] >= inside[0]) & (cand[:, 1] >= inside[1])
                  & (cand[:, 2] <= inside[2]) & (cand[:, 3] <= inside[3])
                  & ~overlaps(cand, np.vstack([near, names])))
            if ok.any():
                first = int(np.argmax(ok))
                chosen, shift = cand[first], (float(shifts[first, 0] * w), float(shifts[first, 1] * h))
        if chosen is None and not overlaps(home[None, :], np.vstack([names, obstacles.reshape(-1, 4)]))[0]:
            chosen, shift = home, (0.0, 0.0)
        out.append(shift)
        if chosen is not None:
            placed = np.vstack([placed, chosen])
    return out
