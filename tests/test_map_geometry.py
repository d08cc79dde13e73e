"""Boundaries packed for drawing: closed rings end to end, a band as a mask, and the
area under the mouse found by an even-odd ray test (holes included)."""

from __future__ import annotations

import numpy as np
from map_shapes import grid_shapes, square

from desktop_app.ui.map_geometry import pack_rings, packed_shapes


def test_rings_are_closed_and_flagged_at_their_ends() -> None:
    # Area 0: a 10 m square with a 2 m hole; area 1: a 10 m square; area 2: no shape.
    rings = pack_rings([([square(0, 0, 10), square(2, 2, 2)],), ([square(10, 0, 10)],), ()])
    # Each 4-corner ring gains its first corner again: 5 + 5 vertices, then 5.
    assert rings.owner_start.tolist() == [0, 10, 15, 15]
    assert rings.connect.tolist() == [1, 1, 1, 1, 0] * 3  # 0 ends each ring: no line to the next
    assert rings.has_shape().tolist() == [True, True, False]
    assert rings.bbox[0].tolist() == [0, 0, 10, 10] and rings.bbox[1].tolist() == [10, 0, 20, 10]
    assert np.isnan(rings.bbox[2]).all()
    assert rings.extent() == (0.0, 0.0, 20.0, 10.0)
    # A band holding area 1 only is its five vertices.
    x, y, connect = rings.select(np.array([False, True, False]))
    assert x.tolist() == [10, 20, 20, 10, 10] and connect.tolist() == [1, 1, 1, 1, 0]


def test_locate_finds_the_area_and_respects_holes() -> None:
    rings = pack_rings([([square(0, 0, 10), square(2, 2, 2)],), ([square(10, 0, 10)],)])
    assert rings.locate(1, 1) == 0
    assert rings.locate(3, 3) is None  # in area 0's hole
    assert rings.locate(15, 5) == 1
    assert rings.locate(25, 5) is None
    assert rings.locate(-1, 5) is None


def test_packing_is_made_once_per_shapes_object() -> None:
    shapes = grid_shapes(9, districts_across=3)
    areas, districts = packed_shapes(shapes)
    again, _ = packed_shapes(shapes)
    assert again is areas
    assert areas.owners == 9 and districts.owners == 9
    # 9 squares 900 m wide, 1000 m apart, three across: the grid spans 0 to 2900 m.
    assert areas.extent() == (0.0, 0.0, 2900.0, 2900.0)
