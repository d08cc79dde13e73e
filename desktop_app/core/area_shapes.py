"""The boundaries of a force's areas, as the maps and the GeoPackage export use them.

Two copies of every boundary are kept: the original geometry (for the GeoPackage a GIS
team takes into QGIS, which must not lose detail) and a simplified outline for drawing
(a national set of 35,672 LSOAs must pan and zoom smoothly). Both are in British
National Grid (EPSG:27700) metres, whatever the file's own CRS (docs/maps.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: One polygon: its exterior ring first, then any holes; each ring an (n, 2) float64 array
#: of (easting, northing), closed or not (drawing closes it).
Polygon = list[np.ndarray]


@dataclass(frozen=True)
class AreaShapes:
    """Boundaries keyed by area, aligned to ``ForceInputs.areas`` by ``area_index``.

    ``display[i]`` is the list of polygons (a multipolygon) drawn for the area in row ``i``
    of ``areas``; ``original_wkb[i]`` is that area's unsimplified geometry as ISO WKB in
    EPSG:27700. ``source`` names the file for messages; ``crs`` is the CRS it declared.
    """

    source: str
    crs: str
    display: tuple[tuple[Polygon, ...], ...]
    original_wkb: tuple[bytes, ...]
    #: Outline of each district (dissolved areas), for the maps' district lines and names:
    #: district name -> polygons, and a label point (easting, northing) per district.
    districts: dict[str, tuple[Polygon, ...]] = field(default_factory=dict)
    district_labels: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: Douglas-Peucker tolerance (metres) the display outlines were simplified with (0: none).
    tolerance_m: float = 0.0

    def __len__(self) -> int:
        return len(self.display)

    def has_boundary(self, i: int) -> bool:
        """True when the area in row ``i`` has a boundary (an empty ``original_wkb`` means none)."""
        return bool(self.original_wkb[i])
