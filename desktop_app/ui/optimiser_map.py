"""What the Optimiser's map shows for an option: the measure maximised, area by area.

For a measure allowing for busy units (the default, threat covered allowing for busy
units) each area is coloured by its chance that a free armed unit arrives within the
target over the week, in the Coverage view's bands; for an all-free measure, by its
median minutes if every unit were free. The map had shown minutes for every measure,
so a chief officer read all-free minutes as the busy-unit cover being maximised.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop_app.core.coverage.units import raw_hour_weights
from desktop_app.core.model import ForceInputs
from desktop_app.core.results import OptionCoverage
from desktop_app.ui import palette
from desktop_app.ui.map_widget import band_indices

#: The key's titles, in lines no longer than the key's other titles: the key sits beside
#: the map, and a wider key narrows the map (the chosen stations' names must stay on it).
MAP_MEASURE = "median minutes<br>if all units free"
MAP_CHANCE = "chance a free armed unit<br>arrives within {target:g} min"


def lower_median_minutes(response: np.ndarray) -> np.ndarray:
    """Per area, the lower median of its hourly response times (as the coverage view bands)."""
    r = np.sort(np.asarray(response, dtype=float), axis=1)
    return r[:, (r.shape[1] - 1) // 2] if r.size else np.zeros(len(r))


@dataclass(frozen=True)
class MapColouring:
    """Band per area, the bands, the key's title, and the figures the tooltips give."""

    bands_of_areas: np.ndarray
    bands: palette.MapBands
    title: str
    minutes: np.ndarray
    chance: np.ndarray  # NaN where the map shows minutes


def map_colouring(inputs: ForceInputs, option: OptionCoverage, what: str, measure: str) -> MapColouring:
    """How to colour the map for ``option`` (``what`` names it: "Baseline + 3 posts")."""
    minutes = lower_median_minutes(option.response)
    target = float(inputs.parameters.target_minutes)
    if not measure.endswith("_all_free"):
        chance = option.week_cover(raw_hour_weights(inputs))
        return MapColouring(band_indices(chance, palette.COVER_BANDS.edges), palette.COVER_BANDS,
                            f"{what}:<br>{MAP_CHANCE.format(target=target)}", minutes, chance)
    bands = palette.minute_bands(target)
    return MapColouring(band_indices(minutes, bands.edges), bands, f"{what}:<br>{MAP_MEASURE}", minutes,
                        np.full(len(minutes), np.nan))
