"""Benchmark: loading national boundaries (35,672 polygons) and drawing a Maps-sheet picture of them.

Run:  /work/venv/bin/python tests/benchmarks/bench_boundaries.py [--runs 3] [--write docs/perf/boundaries.md]

Target (issue 17): national LSOAs, generalised, load in <= 10 s. ONS's generalised (BGC)
2021 LSOA set is not downloaded here, so a synthetic one of the same size is made once and
cached (``$ARMED_OPTIONS_BENCH_DIR`` or ``<tempdir>/armed-options-national``):

- 35,672 seed points over England and Wales's extent (BNG 85-655 km east, 8-657 km north),
  three quarters clustered in 60 "towns" as LSOAs are (small urban, large rural areas);
- their Voronoi cells (scipy) clipped to the extent, then densified to a vertex every 60 m
  (about 3.3 million vertices, 100 per polygon on average, as generalised boundaries have)
  and wiggled by a smooth displacement field (the same at a shared vertex, so the set stays
  a valid tiling with no gaps);
- 330 districts (nearest of 330 centres), written as a GeoPackage in EPSG:27700 with the
  tool's writer and as GeoJSON in WGS84 (the other common ONS download).

Each load runs in a fresh child process (its own peak RSS): ``load_boundaries`` reads the
file, checks every geometry, converts the CRS if needed, matches the ids, simplifies for
display and dissolves the districts. The picture is one ``render_map`` of every area.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import cpu_model

ROOT = Path(__file__).resolve().parents[2]
N_AREAS = 35_672
N_DISTRICTS = 330
EXTENT = (85_000.0, 8_000.0, 655_000.0, 657_000.0)


def cache_dir() -> Path:
    d = Path(os.environ.get("ARMED_OPTIONS_BENCH_DIR") or Path(tempfile.gettempdir()) / "armed-options-national")
    d.mkdir(parents=True, exist_ok=True)
    return d


def _points(rng: np.random.Generator) -> np.ndarray:
    x0, y0, x1, y1 = EXTENT
    towns = np.column_stack([rng.uniform(x0 + 20e3, x1 - 20e3, 60), rng.uniform(y0 + 20e3, y1 - 20e3, 60)])
    n_town = int(N_AREAS * 0.75)
    which = rng.integers(0, 60, n_town)
    spread = rng.uniform(1_500, 8_000, 60)[which]
    town_pts = towns[which] + rng.normal(0, 1, (n_town, 2)) * spread[:, None]
    rural = np.column_stack([rng.uniform(x0, x1, N_AREAS - n_town), rng.uniform(y0, y1, N_AREAS - n_town)])
    pts = np.clip(np.vstack([town_pts, rural]), [x0 + 1, y0 + 1], [x1 - 1, y1 - 1])
    return np.unique(np.round(pts), axis=0)[:N_AREAS]


def _wiggle(xy: np.ndarray) -> np.ndarray:
    """A smooth displacement (at most 23 m, gradient under 0.6), identical at shared vertices."""
    x, y = xy[:, 0], xy[:, 1]
    dx = 15 * np.sin(2 * np.pi * y / 400) + 8 * np.sin(2 * np.pi * (x + y) / 170)
    dy = 15 * np.cos(2 * np.pi * x / 430) + 8 * np.sin(2 * np.pi * (x - y) / 190)
    return np.column_stack([x + dx, y + dy])


def make_national() -> tuple[Path, Path, Path]:
    """(GeoPackage, GeoJSON, ids JSON) of the synthetic national set, built once and cached."""
    import shapely
    from pyproj import Transformer
    from scipy.spatial import Voronoi

    from desktop_app.core.geography.gpkg import LayerToWrite, geopackage_bytes

    d = cache_dir()
    gpkg, geojson, ids_file = d / "national_lsoa.gpkg", d / "national_lsoa_wgs84.geojson", d / "national_lsoa_ids.json"
    if gpkg.exists() and geojson.exists() and ids_file.exists():
        return gpkg, geojson, ids_file
    rng = np.random.default_rng(17)
    pts = _points(rng)
    while len(pts) < N_AREAS:  # rounding merged a few points: top up
        pts = np.unique(np.vstack([pts, _points(rng)[: N_AREAS - len(pts)]]), axis=0)
    x0, y0, x1, y1 = EXTENT
    far = np.array([[x0 - 1e6, y0 - 1e6], [x0 - 1e6, y1 + 1e6], [x1 + 1e6, y0 - 1e6], [x1 + 1e6, y1 + 1e6]])
    vor = Voronoi(np.vstack([pts, far]))
    cells = np.array([shapely.Polygon(vor.vertices[vor.regions[vor.point_region[k]]]) for k in range(len(pts))])
    cells = shapely.intersection(cells, shapely.box(*EXTENT))
    cells = shapely.transform(shapely.segmentize(shapely.set_precision(cells, 1.0), 60.0), _wiggle)
    centres = pts[rng.choice(len(pts), N_DISTRICTS, replace=False)]
    district = [f"District {int(np.argmin(((centres - p) ** 2).sum(axis=1))) + 1:03d}" for p in pts]
    ids = [f"E0{1_000_001 + k}" for k in range(len(pts))]
    wkb = [bytes(w) for w in shapely.to_wkb(cells, flavor="iso")]
    boxes = [tuple(b) for b in shapely.bounds(cells).tolist()]
    layer = LayerToWrite("lsoa", "POLYGON", [("LSOA21CD", "TEXT")], [[i] for i in ids], wkb, boxes)
    gpkg.write_bytes(geopackage_bytes([layer]))
    to_wgs = Transformer.from_crs(27700, 4326, always_xy=True)
    lonlat = shapely.transform(cells, lambda xy: np.column_stack(to_wgs.transform(xy[:, 0], xy[:, 1])))
    feats = ",".join(f'{{"type":"Feature","properties":{{"LSOA21CD":"{i}"}},"geometry":{g}}}'
                     for i, g in zip(ids, shapely.to_geojson(lonlat), strict=True))
    geojson.write_text('{"type":"FeatureCollection","features":[' + feats + "]}")
    ids_file.write_text(json.dumps({"ids": ids, "districts": district,
                                    "vertices": int(shapely.get_num_coordinates(cells).sum())}))
    return gpkg, geojson, ids_file


_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
meta = json.loads(Path(sys.argv[2]).read_text())
t0 = time.perf_counter()
from desktop_app.core.geography.load import load_boundaries
t1, c1 = time.perf_counter(), time.process_time()
shapes, problems = load_boundaries(Path(sys.argv[1]), "LSOA21CD", meta["ids"], meta["districts"])
t2, c2 = time.perf_counter(), time.process_time()
assert shapes is not None and not [p for p in problems if p.level == "error"], problems[:3]
out = {"import_s": t1 - t0, "load_s": t2 - t1, "load_cpu_s": c2 - c1, "problems": len(problems), "tolerance_m": shapes.tolerance_m,
       "display_vertices": sum(len(r) for polys in shapes.display for p in polys for r in p),
       "districts": len(shapes.districts), "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
if len(sys.argv) > 3:
    import numpy as np
    from desktop_app.core.export.map_picture import MapLayer, render_map
    colours = ["#22a884"] * len(meta["ids"])
    e = n = np.full(len(meta["ids"]), np.nan)
    t3, c3 = time.perf_counter(), time.process_time()
    png = render_map(MapLayer("national", colours, [("#22a884", "x")], "legend"), marking="OFFICIAL",
                     force="National", shapes=shapes, east=e, north=n)
    out["render_s"] = time.perf_counter() - t3
    out["render_cpu_s"] = time.process_time() - c3
    out["png_kb"] = len(png) / 1024
print(json.dumps(out))
"""


def _child(path: Path, ids: Path, render: bool) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-c", _CHILD, str(path), str(ids)] + (["render"] if render else [])
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        raise SystemExit(f"{path.name}: the load failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--write", type=Path, help="also write the markdown table here")
    args = ap.parse_args(argv)
    load_start = os.getloadavg()[0]
    t = time.perf_counter()
    gpkg, geojson, ids = make_national()
    made = time.perf_counter() - t
    meta = json.loads(ids.read_text())
    rows = []
    for label, path, render in (("GeoPackage, EPSG:27700", gpkg, True), ("GeoJSON, WGS84", geojson, False)):
        runs = [_child(path, ids, render) for _ in range(args.runs)]
        load = statistics.median(r["load_s"] for r in runs)
        cpu = statistics.median(r["load_cpu_s"] for r in runs)
        rss = max(r["rss_mb"] for r in runs)
        render_s = statistics.median(r["render_s"] for r in runs) if render else None
        rows.append((label, path.stat().st_size / 2**20, load, cpu, rss, render_s, runs[0]))
    lines = [f"Machine: {cpu_model()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
             f"{args.runs} runs each (median time, largest peak RSS); synthetic national set of "
             f"{len(meta['ids']):,} polygons, {meta['vertices']:,} vertices, {N_DISTRICTS} districts "
             f"(built, or found in the cache, in {made:.0f} s).", "",
             f"Load average at the start: {load_start:.1f} (on {os.cpu_count()} CPUs).", "",
             "| file | size | load, wall (target <= 10 s) | load, CPU | peak RSS | display vertices | Maps picture |",
             "|---|---|---|---|---|---|---|"]
    for label, mb, load, cpu, rss, render_s, first in rows:
        pic = f"{render_s:.2f} s ({first['render_cpu_s']:.2f} s CPU)" if render_s is not None else "-"
        lines.append(f"| {label} | {mb:.0f} MB | {load:.1f} s {'(met)' if load <= 10 else '(MISSED)'} | {cpu:.1f} s | "
                     f"{rss:.0f} MB | {first['display_vertices']:,} (tolerance {first['tolerance_m']:.0f} m) | {pic} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        args.write.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
