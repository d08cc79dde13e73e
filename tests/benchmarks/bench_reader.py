"""Benchmark: reading force workbooks of national scale (35,000 areas, LSOA-sized).

Run:  /work/venv/bin/python tests/benchmarks/bench_reader.py [--runs 5] [--write docs/perf/reader.md]

Generates (deterministically, seed 1) synthetic forces with openpyxl in write-only
mode, then reads each with ``read_workbook`` in a fresh subprocess per run, so
the peak resident memory (ru_maxrss) of every run is its own. Reports the
median wall time and the largest peak memory. Cases:

- the bundled sample force (if present);
- 35,000 areas, 40 sites, every travel time estimated from coordinates;
- 35,000 areas, 40 sites, all 1.4 million travel times in a CSV (travel_times_file);
- 200,000 areas, 40 sites, estimated (the hardening corpus' largest case).
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
from pathlib import Path

import numpy as np
from _common import cpu_model
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[2]

_CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from desktop_app.core.workbook.reader import read_workbook
t1 = time.perf_counter()
r = read_workbook(sys.argv[1])
t2 = time.perf_counter()
print(json.dumps({"read_s": t2 - t1, "import_s": t1 - t0, "errors": len(r.errors),
                  "estimated": r.inputs.estimated_pairs if r.inputs else None,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_force(folder: Path, n_areas: int, n_sites: int, csv: bool, seed: int = 1) -> Path:
    """A synthetic valid force workbook (and CSV when asked) in ``folder``."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    east = rng.uniform(200_000, 500_000, n_areas).round()
    north = rng.uniform(200_000, 600_000, n_areas).round()
    rural = rng.random(n_areas) < 0.2
    codes = np.where(rural, "E1", "C1")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Parameters")
    ws.append(["parameter", "value", "notes"])
    ws.append(["force_name", "Benchmark Police", ""])
    ws.append(["threat_level", "SUBSTANTIAL", ""])
    if csv:
        ws.append(["travel_times_file", "times.csv", ""])
    ws = wb.create_sheet("Areas")
    ws.append(["area_id", "area_name", "district", "population", "rurality", "easting", "northing"])
    ids = [f"E{1_000_000 + i:08d}" for i in range(n_areas)]
    pops = rng.integers(1000, 3000, n_areas)
    for i in range(n_areas):
        ws.append([ids[i], f"Area {i}", f"D{i % 40}", int(pops[i]), str(codes[i]), float(east[i]), float(north[i])])
    ws = wb.create_sheet("Threat")
    ws.append(["area_id", "firearms", "violence", "drugs"])
    threat = rng.poisson(2.0, (n_areas, 3))
    for i in range(n_areas):
        ws.append([ids[i], *map(int, threat[i])])
    ws = wb.create_sheet("ThreatIndicators")
    ws.append(["indicator", "weight", "description"])
    for name in ("firearms", "violence", "drugs"):
        ws.append([name, 1.0, name])
    ws = wb.create_sheet("Sites")
    ws.append(["site_id", "site_name", "site_type", "easting", "northing"])
    s_e = rng.uniform(200_000, 500_000, n_sites).round()
    s_n = rng.uniform(200_000, 600_000, n_sites).round()
    for s in range(n_sites):
        ws.append([f"S{s:03d}", f"Site {s}", "ARV_BASE" if s < 4 else "POLICE_STATION", float(s_e[s]), float(s_n[s])])
    ws = wb.create_sheet("Options")
    ws.append(["option_id", "option_name", "description", "baseline", "one_off_cost_gbp", "annual_cost_gbp", "implementation_months"])
    ws.append(["OPT0", "Do minimum", "", True, 0, 0, 0])
    ws.append(["OPT1", "More", "", False, 1000, 2000, 6])
    ws = wb.create_sheet("Deployments")
    ws.append(["option_id", "site_id", "asset_type", "posts", "crew_size", "start_hour", "end_hour"])
    for opt in ("OPT0", "OPT1"):
        for s in range(4 if opt == "OPT0" else 10):
            ws.append([opt, f"S{s:03d}", "ARV", 1, 2, 0, 24])
    ws = wb.create_sheet("Criteria")
    ws.append(["criterion_id", "criterion_name", "measure", "direction", "weight"])
    ws.append(["C1", "Threat", "threat_coverage", "higher", 60])
    ws.append(["C2", "Cost", "whole_life_cost_gbp", "lower", 40])
    path = folder / f"force_{n_areas}{'_csv' if csv else ''}.xlsx"
    wb.save(path)
    if csv:
        with (folder / "times.csv").open("w", encoding="utf-8") as fh:
            fh.write("site_id,area_id,minutes\n")
            for s in range(n_sites):
                d = np.hypot(east - s_e[s], north - s_n[s]) / 1000 * 1.3 / 50 * 60 + 0.5
                fh.writelines(f"S{s:03d},{ids[i]},{d[i]:.1f}\n" for i in range(n_areas))
    return path


def measure(path: Path, runs: int) -> dict[str, float]:
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, check=True, cwd=ROOT)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    assert all(r["errors"] == 0 for r in results), results[0]
    return {
        "median_s": statistics.median(r["read_s"] for r in results),
        "min_s": min(r["read_s"] for r in results),
        "max_s": max(r["read_s"] for r in results),
        "peak_mb": max(r["maxrss_mb"] for r in results),
        "estimated": results[0]["estimated"],
        "size_mb": path.stat().st_size / 2**20,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--write", type=Path, help="write the markdown fragment here")
    ap.add_argument("--skip-200k", action="store_true")
    args = ap.parse_args()
    rows = []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        cases: list[tuple[str, Path]] = []
        sample = ROOT / "sample_data" / "borderdale.xlsx"
        if sample.exists():
            cases.append(("sample force (Borderdale)", sample))
        cases.append(("35,000 areas x 40 sites, travel times estimated", make_force(base / "a", 35_000, 40, csv=False)))
        cases.append(("35,000 areas x 40 sites, 1.4 M travel times in CSV", make_force(base / "b", 35_000, 40, csv=True)))
        if not args.skip_200k:
            cases.append(("200,000 areas x 40 sites, travel times estimated", make_force(base / "c", 200_000, 40, csv=False)))
        for label, path in cases:
            m = measure(path, args.runs)
            rows.append((label, m))
            print(f"{label}: median {m['median_s']:.2f} s (min {m['min_s']:.2f}, max {m['max_s']:.2f}), "
                  f"peak {m['peak_mb']:.0f} MB, file {m['size_mb']:.1f} MB, estimated {m['estimated']:,}", flush=True)
    text = [
        "## Reading force workbooks",
        "",
        f"Machine: {cpu_model()}, {os.cpu_count()} cores shared with other work (load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after); Python {platform.python_version()}.",
        f"Command: `python tests/benchmarks/bench_reader.py --runs {args.runs}`. Each run reads the workbook with",
        "`read_workbook` (file checks, all validation, travel-time matrix) in a fresh process;",
        "time excludes interpreter start-up and imports. Peak memory is the process's maximum resident set.",
        "",
        "| workbook | file | median read | min - max | peak memory | pairs estimated |",
        "|---|---|---|---|---|---|",
    ]
    for label, m in rows:
        text.append(f"| {label} | {m['size_mb']:.1f} MB | {m['median_s']:.2f} s | {m['min_s']:.2f} - {m['max_s']:.2f} s | "
                    f"{m['peak_mb']:.0f} MB | {m['estimated']:,} |")
    text.append("")
    if args.write:
        args.write.parent.mkdir(parents=True, exist_ok=True)
        args.write.write_text("\n".join(text), encoding="utf-8")
    print("\n".join(text))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
