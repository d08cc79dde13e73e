"""Reading a GeoJSON FeatureCollection quickly: coordinates as text to numpy, properties with json.

Why not ``json.load`` and ``shapely.geometry.shape`` per feature: on national LSOAs in WGS84
(35,672 polygons, 5.5 million vertices, 213 MB) ``json`` builds 11 million Python floats in
nested lists (9.4 s) and shapely then walks them again (8 s), twice the 10 s the whole load
may take (docs/performance.md#maps). Here a scan finds every
``"coordinates": [...]`` array (an array of numbers holds no brace or quote), the small
document left over (types and properties) is parsed by ``json``, every Polygon and
MultiPolygon ring's numbers are read together by pandas' C parser, and the polygons are
built by shapely's vectorised constructors.

Anything this fast path does not take (another geometry type, a ring too short, text that
is not the simple nesting it expects) goes through the general reader for that feature
(``json`` and ``shapely.geometry.shape``), so results and error messages are the general
reader's; a document the fast path cannot parse at all is left to the general reader whole
(the caller falls back on :class:`FastPathUnavailable`).
"""

from __future__ import annotations

import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
import shapely
import shapely.geometry

#: ``"coordinates"`` as a key, up to its array's opening bracket.
_COORDS_KEY = re.compile(rb'"coordinates"\s*:\s*\[')
_KEY = b'"coordinates"'
_SPACE = b" \t\r\n"
_SPACES = (b" ", b"\t", b"\r", b"\n")
#: Placeholder for the n-th coordinates array: a JSON object json parses as a plain dict.
_MARK = '{"__coords__":%d}'


class FastPathUnavailable(ValueError):
    """The document is not one the fast path reads whole; read it with the general reader."""


def parse_feature_collection(data: bytes) -> tuple[dict[str, Any], list[bytes]]:
    """The document with each coordinates array replaced by ``{"__coords__": n}``, and the arrays' texts.

    An array of numbers holds no brace, so each one runs from its key to the last ``]``
    before the next ``}``; finding that brace is a memchr, where matching the array's
    characters one by one with a pattern took longer than all the rest of the read. Should
    the array hold anything but numbers, the document left over no longer parses, or its
    numbers do not (:func:`fast_geometries`), and the general reader takes the file.
    """
    texts: list[bytes] = []
    pieces: list[bytes] = []
    pos = 0
    at = data.find(_KEY)
    while at >= 0:
        # The key, white space, a colon, white space, "[": a bytes.find and a short match
        # (a pattern searched over the whole 213 MB took a second by itself).
        match = _COORDS_KEY.match(data, at)
        if match is None or at < pos:
            at = data.find(_KEY, at + len(_KEY))
            continue
        start = match.end() - 1  # the array's "["
        brace = data.find(b"}", start)
        close = data.rfind(b"]", start, brace if brace >= 0 else len(data))
        text = data[start:close + 1]
        # Numbers only: otherwise (a "bbox" after the coordinates, a string) not this path's.
        if close < 0 or b'"' in text:  # any member after the array has a quoted name
            raise FastPathUnavailable("a coordinates array this path does not read")
        pieces += [data[pos:start], (_MARK % len(texts)).encode()]
        texts.append(text)
        pos = close + 1
        at = data.find(_KEY, pos)
    pieces.append(data[pos:])
    try:
        doc = json.loads(b"".join(pieces))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise FastPathUnavailable(str(exc)) from None
    if not isinstance(doc, dict):
        raise FastPathUnavailable("not an object")
    return doc, texts


def _rings(kind: object, text: bytes) -> list[list[bytes]] | None:
    """A (Multi)Polygon's polygons as lists of ring texts ``x,y],[x,y`` (brackets off, no spaces); None: not simple."""
    t = text.translate(None, _SPACE) if any(c in text for c in _SPACES) else text  # most files are compact
    if kind == "Polygon" and t.startswith(b"[[[") and t.endswith(b"]]]") and not t.startswith(b"[[[["):
        polys = [t[3:-3]]
    elif kind == "MultiPolygon" and t.startswith(b"[[[[") and t.endswith(b"]]]]") and not t.startswith(b"[[[[["):
        polys = t[4:-4].split(b"]]],[[[")
    else:
        return None
    out = []
    for poly in polys:
        rings = poly.split(b"]],[[")
        if not all(rings):
            return None
        out.append(rings)
    return out


def _vertices(texts: list[bytes], n_vertices: int) -> np.ndarray | None:
    """Every ring's vertices as one (n, 2) array, read as a two-column CSV by pandas' C parser.

    A vertex a line: "],[" between vertices and a line break between rings. pandas reads
    11 million numbers in about 1.3 s, where numpy's text reader and float() on a split
    take 5-9 s. None when the text is not exactly n vertices of two finite numbers (a third
    coordinate, a stray bracket, a malformed number): the general reader then takes over.
    """
    if len(texts) < _SPLIT_RINGS:
        coords = _csv_vertices(texts)
    else:  # the second half's rings on a second thread: pandas' tokenizer releases the GIL
        half = len(texts) // 2
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="geojson-vertices") as pool:
            second = pool.submit(_csv_vertices, texts[half:])
            first = _csv_vertices(texts[:half])
            rest = second.result()
        coords = None if first is None or rest is None or first.shape[1:] != rest.shape[1:] else np.concatenate([first, rest])
    if coords is None or coords.shape != (n_vertices, 2) or not np.isfinite(coords).all():
        return None
    return coords


#: Rings above which their numbers are read in two halves, one on a second thread.
_SPLIT_RINGS = 10_000


def _csv_vertices(texts: list[bytes]) -> np.ndarray | None:
    """The rings' vertices, one a line, by pandas' C parser; None when it cannot read them."""
    joined = b"\n".join(texts).replace(b"],[", b"\n")
    try:
        frame = pd.read_csv(io.BytesIO(joined), header=None, dtype=np.float64, engine="c", na_filter=False)
    except (ValueError, pd.errors.ParserError):
        return None
    return frame.to_numpy(dtype=np.float64)


def fast_geometries(items: list[tuple[object, bytes]]) -> list[shapely.Geometry | None]:
    """Geometries for ``(type, coordinates text)`` pairs, built together; None where the fast path does not take one.

    Every ring's numbers are joined into one text and read by pandas in one call, then the
    rings, polygons and multipolygons are made by shapely's vectorised constructors, so the
    cost is per number in C rather than per vertex in Python. If the joined numbers do not
    come out as expected (a malformed number), or GEOS refuses a ring (too few vertices),
    nothing is taken here and every feature goes to the general reader, which says which
    feature is wrong.
    """
    result: list[shapely.Geometry | None] = [None] * len(items)
    texts: list[bytes] = []
    ring_vertices: list[int] = []
    ring_polygon: list[int] = []
    polygon_owner: list[int] = []  # the item each polygon belongs to
    for i, (kind, text) in enumerate(items):
        polys = _rings(kind, text)
        if polys is None:
            continue
        for rings in polys:
            for r in rings:
                texts.append(r)
                ring_vertices.append(r.count(b"],[") + 1)
                ring_polygon.append(len(polygon_owner))
            polygon_owner.append(i)
    if not texts:
        return result
    coords = _vertices(texts, sum(ring_vertices))
    if coords is None:
        return result
    try:
        rings = shapely.linearrings(coords, indices=np.repeat(np.arange(len(texts)), ring_vertices))
        polygons = shapely.polygons(rings, indices=np.asarray(ring_polygon))
    except (ValueError, shapely.errors.GEOSException):
        return result
    owner = np.asarray(polygon_owner)
    multi = np.array([items[i][0] == "MultiPolygon" for i in owner], dtype=bool)
    for k in np.flatnonzero(~multi):
        result[owner[k]] = polygons[k]
    if multi.any():
        multi_owner = owner[multi]
        _, first, counts = np.unique(multi_owner, return_index=True, return_counts=True)
        groups = shapely.multipolygons(polygons[multi], indices=np.repeat(np.arange(len(first)), counts))
        for j, start in enumerate(first):
            result[multi_owner[start]] = groups[j]
    return result


def restore(obj: Any, texts: list[bytes]) -> Any:
    """``obj`` with every ``{"__coords__": n}`` put back as the parsed array (for the general reader)."""
    if isinstance(obj, dict):
        if set(obj) == {"__coords__"} and isinstance(obj["__coords__"], int):
            return json.loads(texts[obj["__coords__"]])
        return {k: restore(v, texts) for k, v in obj.items()}
    if isinstance(obj, list):
        return [restore(v, texts) for v in obj]
    return obj


def geometry_of(g: dict[str, Any], texts: list[bytes]) -> shapely.Geometry:
    """A feature's geometry by the general reader (``json`` then ``shapely.geometry.shape``), coordinates restored."""
    return shapely.geometry.shape(restore(g, texts))
