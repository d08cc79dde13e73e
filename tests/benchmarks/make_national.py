"""Generate the national benchmark case: an England-and-Wales-sized synthetic force.

35,672 areas (the number of 2011 LSOAs in England and Wales), about 1,200 sites,
10 options and about 1.2 million travel-time pairs in a CSV named by the
``travel_times_file`` parameter; every other site-area pair (about 41.6 million)
is left for the reader to estimate from coordinates. The numbers are synthetic
but shaped like the real thing: towns with dense urban areas, a thin rural
spread, ARV bases near big towns, stations everywhere.

The files are written to a cache folder (never committed), by default
``$ARMED_OPTIONS_BENCH_DIR`` or ``<tempdir>/armed-options-national``, and reused
when they already exist.

    /work/venv/bin/python tests/benchmarks/make_national.py [--out DIR] [--force]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

N_AREAS = 35_672
N_ARV_BASES = 150
N_STATIONS = 1_000
N_NEIGHBOUR = 50
PAIRS_PER_AREA = 34  # 34 x 35,672 = 1.21 million pairs in the CSV
N_OPTIONS = 10
SEED = 20240601
WORKBOOK = "national.xlsx"
CSV = "national_travel_times.csv"
PATTERNS = [(0, 24), (0, 24), (8, 20), (20, 8), (22, 6), (6, 14), (14, 22)]


def default_dir() -> Path:
    return Path(os.environ.get("ARMED_OPTIONS_BENCH_DIR") or Path(tempfile.gettempdir()) / "armed-options-national")


def _areas(rng: np.random.Generator) -> pd.DataFrame:
    n_towns = 400
    town_e = rng.uniform(160_000, 640_000, n_towns)
    town_n = rng.uniform(20_000, 640_000, n_towns)
    town_size = rng.pareto(1.2, n_towns) + 1
    n_urban = int(N_AREAS * 0.82)
    town = rng.choice(n_towns, size=n_urban, p=town_size / town_size.sum())
    spread = 1_500 + 2_500 * np.sqrt(town_size[town])
    e_u = town_e[town] + rng.normal(0, 1, n_urban) * spread
    n_u = town_n[town] + rng.normal(0, 1, n_urban) * spread
    n_rural = N_AREAS - n_urban
    e_r = rng.uniform(140_000, 655_000, n_rural)
    n_r = rng.uniform(10_000, 660_000, n_rural)
    east = np.clip(np.concatenate([e_u, e_r]), 0, 800_000).round()
    north = np.clip(np.concatenate([n_u, n_r]), 0, 1_400_000).round()
    rural = np.r_[np.zeros(n_urban, bool), np.ones(n_rural, bool)]
    codes_u = np.array(["A1", "B1", "C1", "C2"])
    codes_r = np.array(["D1", "D2", "E1", "E2"])
    rurality = np.where(rural, codes_r[rng.integers(0, 4, N_AREAS)], codes_u[rng.integers(0, 4, N_AREAS)])
    ids = [f"E01{i:06d}" for i in range(N_AREAS)]
    return pd.DataFrame(
        {
            "area_id": ids,
            "area_name": [f"Area {i:05d}" for i in range(N_AREAS)],
            "district": [f"District {t % 330:03d}" for t in np.r_[town, rng.integers(0, n_towns, n_rural)]],
            "population": rng.integers(1_000, 3_000, N_AREAS),
            "rurality": rurality,
            "easting": east,
            "northing": north,
            "_rural": rural,
        }
    )


def _sites(rng: np.random.Generator, areas: pd.DataFrame) -> pd.DataFrame:
    urban = areas.index[~areas["_rural"]].to_numpy()
    pick_arv = rng.choice(urban, N_ARV_BASES, replace=False)
    pick_st = rng.choice(len(areas), N_STATIONS, replace=False)
    e = np.r_[areas["easting"].to_numpy()[pick_arv], areas["easting"].to_numpy()[pick_st],
              rng.uniform(140_000, 655_000, N_NEIGHBOUR)]
    n = np.r_[areas["northing"].to_numpy()[pick_arv], areas["northing"].to_numpy()[pick_st],
              rng.uniform(10_000, 660_000, N_NEIGHBOUR)]
    types = ["ARV_BASE"] * N_ARV_BASES + ["POLICE_STATION"] * N_STATIONS + ["NEIGHBOUR_BASE"] * N_NEIGHBOUR
    prefix = {"ARV_BASE": "ARV", "POLICE_STATION": "PS", "NEIGHBOUR_BASE": "NB"}
    ids = [f"{prefix[t]}{i:04d}" for i, t in enumerate(types)]
    return pd.DataFrame(
        {"site_id": ids, "site_name": [f"Site {i}" for i in ids], "site_type": types,
         "easting": (e + rng.normal(0, 200, len(e))).clip(0, 800_000).round(),
         "northing": (n + rng.normal(0, 200, len(n))).clip(0, 1_400_000).round()}
    )


def _travel_csv(rng: np.random.Generator, areas: pd.DataFrame, sites: pd.DataFrame, path: Path) -> int:
    """The PAIRS_PER_AREA nearest sites of every area, with GIS-like noisy road times."""
    ae, an = areas["easting"].to_numpy(), areas["northing"].to_numpy()
    se, sn = sites["easting"].to_numpy(), sites["northing"].to_numpy()
    speed = np.where(areas["_rural"].to_numpy(), 65.0, 40.0)
    site_ids = sites["site_id"].to_numpy()
    area_ids = areas["area_id"].to_numpy()
    chunks = []
    for lo in range(0, len(areas), 2_000):
        hi = min(lo + 2_000, len(areas))
        d = np.hypot(ae[lo:hi, None] - se[None, :], an[lo:hi, None] - sn[None, :])  # chunk x sites
        near = np.argpartition(d, PAIRS_PER_AREA, axis=1)[:, :PAIRS_PER_AREA]
        dist = np.take_along_axis(d, near, axis=1)
        minutes = dist / 1000 * 1.3 / speed[lo:hi, None] * 60 * rng.uniform(0.85, 1.3, dist.shape)
        minutes = np.maximum(minutes, 0.5).round(1)
        chunks.append(
            pd.DataFrame(
                {"site_id": site_ids[near.ravel()], "area_id": np.repeat(area_ids[lo:hi], PAIRS_PER_AREA),
                 "minutes": minutes.ravel()}
            )
        )
    table = pd.concat(chunks, ignore_index=True)
    table.to_csv(path, index=False)
    return len(table)


def _options_and_deployments(rng: np.random.Generator, sites: pd.DataFrame) -> tuple[list[list[object]], list[list[object]]]:
    arv = sites.loc[sites["site_type"] == "ARV_BASE", "site_id"].tolist()
    st = sites.loc[sites["site_type"] == "POLICE_STATION", "site_id"].tolist()
    nb = sites.loc[sites["site_type"] == "NEIGHBOUR_BASE", "site_id"].tolist()
    base = [["OPT0", s, "ARV", 2, 2, 0, 24, None, None] for s in arv]
    base += [["OPT0", s, "ARV", 1, 2, 18, 2, None, None] for s in arv[::3]]
    options = [["OPT0", "Do minimum", "Current national ARV cover", True, 0, 0, 0]]
    deps = list(base)
    for k in range(1, N_OPTIONS):
        oid = f"OPT{k}"
        n_extra = int(rng.integers(60, 400))
        chosen = rng.choice(st, n_extra, replace=False)
        rows = [[oid, *r[1:]] for r in base]
        for s in chosen:
            start, end = PATTERNS[int(rng.integers(0, len(PATTERNS)))]
            rows.append([oid, s, "ARMED_RESPONSE_OFFICER", int(rng.integers(1, 3)), 1, start, end, None, None])
        if k % 3 == 0:
            rows += [[oid, s, "NEIGHBOUR_ARV", 1, 2, 0, 24, 0.5, 2] for s in nb]
        deps += rows
        options.append([oid, f"Option {k}", f"{n_extra} stations with armed response officers", False,
                        int(n_extra * 40_000), int(n_extra * 150_000), int(rng.integers(3, 24))])
    return options, deps


def generate(out: Path, force: bool = False) -> Path:
    """Write the workbook and CSV into ``out`` (unless already there); return the workbook path."""
    out.mkdir(parents=True, exist_ok=True)
    wb_path, csv_path = out / WORKBOOK, out / CSV
    if wb_path.exists() and csv_path.exists() and not force:
        return wb_path
    t0 = time.perf_counter()
    rng = np.random.default_rng(SEED)
    areas = _areas(rng)
    sites = _sites(rng, areas)
    n_pairs = _travel_csv(rng, areas, sites, csv_path)
    options, deps = _options_and_deployments(rng, sites)
    rural = areas["_rural"].to_numpy()
    threat = pd.DataFrame(
        {
            "area_id": areas["area_id"],
            "firearms_incidents": rng.poisson(np.where(rural, 0.3, 1.5)),
            "serious_violence": rng.poisson(np.where(rural, 2.0, 8.0)),
            "crowded_places": rng.poisson(np.where(rural, 0.1, 0.8)),
        }
    )
    sheets: dict[str, list[list[object]]] = {
        "Parameters": [["parameter", "value", "notes"], ["force_name", "England and Wales (synthetic national)", ""],
                       ["threat_level", "SUBSTANTIAL", ""], ["target_minutes", 20, ""],
                       ["travel_times_file", CSV, "1.2 million GIS pairs; the rest estimated"]],
        "Areas": [list(areas.columns[:-1])] + areas.drop(columns="_rural").values.tolist(),
        "Threat": [list(threat.columns)] + threat.values.tolist(),
        "ThreatIndicators": [["indicator", "weight", "description"], ["firearms_incidents", 3, "synthetic"],
                             ["serious_violence", 1, "synthetic"], ["crowded_places", 2, "synthetic"]],
        "Sites": [list(sites.columns)] + sites.values.tolist(),
        "Options": [["option_id", "option_name", "description", "baseline", "one_off_cost_gbp", "annual_cost_gbp",
                     "implementation_months"], *options],
        "Deployments": [["option_id", "site_id", "asset_type", "posts", "crew_size", "start_hour", "end_hour",
                         "busy_fraction", "mobilisation_minutes"], *deps],
        "Criteria": [["criterion_id", "criterion_name", "measure", "direction", "weight", "worst", "best", "group"],
                     ["C1", "Threat covered", "threat_coverage", "higher", 30, None, None, "Benefits"],
                     ["C2", "People covered", "population_coverage", "higher", 15, None, None, "Benefits"],
                     ["C3", "90th percentile", "p90_response_minutes", "lower", 10, None, None, "Benefits"],
                     ["C4", "Rural gap", "rural_gap_minutes", "lower", 10, None, None, "Benefits"],
                     ["C5", "Cost", "whole_life_cost_gbp", "lower", 20, None, None, "Costs"],
                     ["C6", "Officers", "officers_required", "lower", 10, None, None, "Costs"],
                     ["C7", "Confidence", "judgement", "higher", 5, None, None, "Risks"]],
        "Judgements": [["option_id", "criterion_id", "score", "rationale", "low", "high"]]
        + [[o[0], "C7", 50 + 3 * i, "synthetic", 40, 80] for i, o in enumerate(options)],
        "WeightSets": [["weight_set", "criterion_id", "weight"], ["Finance", "C5", 60], ["Finance", "C1", 40],
                       ["Community", "C4", 50], ["Community", "C7", 50]],
    }
    wb = openpyxl.Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append([v.item() if isinstance(v, np.generic) else v for v in row])
    wb.save(wb_path)
    print(f"wrote {wb_path} and {csv_path}: {len(areas):,} areas, {len(sites):,} sites, {len(options)} options, "
          f"{len(deps):,} deployments, {n_pairs:,} travel pairs in {time.perf_counter() - t0:.0f} s")
    return wb_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=default_dir())
    parser.add_argument("--force", action="store_true", help="regenerate even if the files exist")
    args = parser.parse_args()
    print(generate(args.out, args.force))


if __name__ == "__main__":
    main()
