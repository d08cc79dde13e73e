"""Generate the fictional Borderdale Police sample force workbook (``borderdale.xlsx``).

Why a generator rather than a hand-made workbook: the sample must be large
enough to look like a real rural force (about a thousand LSOA-sized areas and
tens of thousands of drive times), reproducible byte-for-byte in its values,
and easy to re-tune when the appraisal should tell a different story. Every
random draw comes from one seeded numpy generator, and the order of draws is
fixed, so running this script twice gives the same cell values.

Run it from the repository root::

    /work/venv/bin/python sample_data/generate_sample.py          # writes sample_data/borderdale.xlsx
    /work/venv/bin/python sample_data/generate_sample.py --check  # also prints rough per-option measures

Borderdale is invented: the place names, area codes (``E01900001`` upwards,
outside the real LSOA code range) and figures describe no real force. Default
figures (costs, FTE per post, speeds, discount rate) are explained in
``docs/data-sources.md``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import math
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from openpyxl import Workbook

SEED = 20161  # fixed: the sample must never change unless this script changes
HERE = Path(__file__).resolve().parent
OUT = HERE / "borderdale.xlsx"
#: The areas' boundaries (docs/maps.md#the-sample), written beside the workbook it names them.
BOUNDARIES_NAME = "borderdale_boundaries.gpkg"
#: Its id field, named as ONS names the 2021 LSOA code, to show boundaries_id_field at work.
BOUNDARIES_ID_FIELD = "LSOA21CD"

# Fixed document timestamps so the written file does not depend on the clock.
FIXED_TIME = _dt.datetime(2025, 1, 1, 0, 0, 0)

# ---------------------------------------------------------------------------
# Geography: a fictional upland county in British National Grid metres.
# ---------------------------------------------------------------------------
CENTRE = (340_000.0, 545_000.0)
SEMI_AXES = (56_000.0, 50_000.0)  # about 8,800 km2: the size of a large rural force

#: Hill masses: (easting, northing, sigma metres). Upland index drives sparsity,
#: road circuity and where villages are thin.
HILLS = (
    (300_000.0, 580_000.0, 17_000.0),  # High Fells (north-west)
    (293_000.0, 515_000.0, 15_000.0),  # Westmoor (south-west)
    (385_000.0, 590_000.0, 14_000.0),  # Rookdale Moors (north-east)
)


@dataclass(frozen=True)
class Town:
    name: str
    easting: float
    northing: float
    urban_lsoas: int
    sigma: float  # spread of the built-up area, metres
    fringe_lsoas: int  # D1/D2 town-and-fringe areas around it


COUNTY_TOWN = Town("Carrowby", 345_000, 540_000, 330, 3_800, 22)
MARKET_TOWNS = (
    Town("Hawkridge", 372_000, 515_000, 60, 1_900, 7),
    Town("Marbury", 352_000, 584_000, 48, 1_700, 6),
    Town("Fellbeck", 306_000, 571_000, 26, 1_200, 5),
    Town("Oakhope", 298_500, 521_000, 24, 1_200, 5),
    Town("Ravensholm", 385_000, 558_000, 36, 1_500, 6),
    Town("Stanbridge", 328_000, 504_000, 32, 1_400, 6),
)

DISTRICTS = (
    ("Carrowby", 345_000, 540_000),
    ("High Fells", 305_000, 578_000),
    ("Westmoor", 300_000, 515_000),
    ("Marbury and Rookdale", 370_000, 585_000),
    ("Southern Vale", 360_000, 508_000),
)

VILLAGE_PREFIXES = (
    "Ash", "Thorn", "Brack", "Kirk", "Lang", "Mill", "Hol", "Stan", "Wes", "Nor",
    "Sut", "Fen", "Har", "Lox", "Bur", "Ald", "Elm", "Gar", "Hep", "Ire",
    "Cul", "Dun", "Skel", "Ulver", "Mor", "Ros", "Tarn", "Wyke", "Yeal", "Brock",
)
VILLAGE_SUFFIXES = (
    "by", "thwaite", "ton", "ham", "ley", "dale", "wick", "field", "side", "holme",
    "beck", "garth", "stead", "worth", "moor", "bridge",
)


def county_radius_factor(e: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Normalised elliptical distance from the centre, with a wavy border (<1 inside)."""
    dx = (e - CENTRE[0]) / SEMI_AXES[0]
    dy = (n - CENTRE[1]) / SEMI_AXES[1]
    ang = np.arctan2(dy, dx)
    wobble = 1.0 + 0.07 * np.sin(3 * ang + 0.4) + 0.05 * np.sin(5 * ang + 1.3)
    return np.hypot(dx, dy) / wobble


def inside_county(e: np.ndarray, n: np.ndarray) -> np.ndarray:
    return county_radius_factor(e, n) < 1.0


def upland(e: np.ndarray, n: np.ndarray) -> np.ndarray:
    """0 (lowland vale) .. 1 (high moor)."""
    u = np.zeros_like(np.asarray(e, dtype=float))
    for he, hn, s in HILLS:
        u = np.maximum(u, np.exp(-((e - he) ** 2 + (n - hn) ** 2) / (2 * s * s)))
    return u


SPARSE_THRESHOLD = 0.25


def district_of(e: float, n: float) -> str:
    best = min(DISTRICTS, key=lambda d: (d[1] - e) ** 2 + (d[2] - n) ** 2)
    return best[0]


# ---------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------


@dataclass
class Area:
    area_id: str
    area_name: str
    district: str
    population: int
    rurality: str
    easting: float
    northing: float
    kind: str  # county_town, market_town, fringe, village, dispersed (for threat generation)
    place: str  # settlement name
    core: float  # 1 at a town centre, falling outwards (drives crowded places, crime)


def _population(rng: np.random.Generator, mean: float, sd: float) -> int:
    return int(np.clip(round(rng.normal(mean, sd)), 1_000, 3_000))


def _scatter_town(rng: np.random.Generator, town: Town, count: int, sigma: float) -> np.ndarray:
    pts = []
    while len(pts) < count:
        e = rng.normal(town.easting, sigma)
        n = rng.normal(town.northing, sigma)
        if inside_county(np.array(e), np.array(n)):
            pts.append((e, n))
    return np.array(pts)


def build_areas(rng: np.random.Generator) -> tuple[list[Area], list[tuple[str, float, float, int]]]:
    """Areas for the county town, market towns, fringes, villages and dispersed hamlets.

    Returns the areas and the village list (name, easting, northing, LSOA count),
    from which the larger villages get police stations.
    """
    raw: list[dict] = []
    for town in (COUNTY_TOWN, *MARKET_TOWNS):
        sparse = bool(upland(np.array(town.easting), np.array(town.northing)) > SPARSE_THRESHOLD)
        pts = _scatter_town(rng, town, town.urban_lsoas, town.sigma)
        for e, n in pts:
            d = math.hypot(e - town.easting, n - town.northing)
            raw.append(
                dict(
                    kind="county_town" if town is COUNTY_TOWN else "market_town",
                    place=town.name,
                    rurality="C2" if sparse else "C1",
                    e=e,
                    n=n,
                    pop=_population(rng, 1_650, 220),
                    core=math.exp(-((d / town.sigma) ** 2)),
                )
            )
        # town-and-fringe ring
        for _ in range(town.fringe_lsoas):
            ang = rng.uniform(0, 2 * math.pi)
            r = rng.uniform(2.2, 3.4) * town.sigma
            e = town.easting + r * math.cos(ang)
            n = town.northing + r * math.sin(ang)
            if not inside_county(np.array(e), np.array(n)):
                continue
            sp = upland(np.array(e), np.array(n)) > SPARSE_THRESHOLD
            raw.append(
                dict(kind="fringe", place=town.name, rurality="D2" if sp else "D1", e=e, n=n,
                     pop=_population(rng, 1_550, 250), core=0.05)
            )

    # Villages: more in the vale, fewer on the hills, none inside the towns.
    villages: list[tuple[str, float, float, int]] = []
    used_names: set[str] = set()
    towns = (COUNTY_TOWN, *MARKET_TOWNS)
    attempts = 0
    while len(villages) < 165 and attempts < 100_000:
        attempts += 1
        e = rng.uniform(CENTRE[0] - SEMI_AXES[0] * 1.1, CENTRE[0] + SEMI_AXES[0] * 1.1)
        n = rng.uniform(CENTRE[1] - SEMI_AXES[1] * 1.1, CENTRE[1] + SEMI_AXES[1] * 1.1)
        if not inside_county(np.array(e), np.array(n)):
            continue
        u = float(upland(np.array(e), np.array(n)))
        if rng.uniform() > 1.0 - 0.75 * u:
            continue
        if any(math.hypot(e - t.easting, n - t.northing) < 3.5 * t.sigma for t in towns):
            continue
        if any(math.hypot(e - ve, n - vn) < 2_500 for _, ve, vn, _ in villages):
            continue
        name = ""
        while not name or name in used_names:
            name = str(rng.choice(VILLAGE_PREFIXES)) + str(rng.choice(VILLAGE_SUFFIXES))
        used_names.add(name)
        size = int(rng.choice([1, 1, 1, 1, 2, 2, 3])) if u < 0.5 else 1
        villages.append((name, e, n, size))
    for name, ve, vn, size in villages:
        u = float(upland(np.array(ve), np.array(vn)))
        sparse = u > SPARSE_THRESHOLD
        for k in range(size):
            e = ve + rng.normal(0, 700)
            n = vn + rng.normal(0, 700)
            if size >= 3 and k == 0:
                code = "D2" if sparse else "D1"  # larger villages count as town and fringe
            else:
                code = "E2" if sparse else "E1"
            raw.append(dict(kind="village", place=name, rurality=code, e=e, n=n,
                            pop=_population(rng, 1_450, 280), core=0.0))

    # Dispersed hamlets and farms: big thinly-populated LSOAs, mostly on the hills.
    dispersed = 0
    while dispersed < 120:
        e = rng.uniform(CENTRE[0] - SEMI_AXES[0] * 1.1, CENTRE[0] + SEMI_AXES[0] * 1.1)
        n = rng.uniform(CENTRE[1] - SEMI_AXES[1] * 1.1, CENTRE[1] + SEMI_AXES[1] * 1.1)
        if not inside_county(np.array(e), np.array(n)):
            continue
        u = float(upland(np.array(e), np.array(n)))
        if rng.uniform() > 0.25 + 0.75 * u:
            continue
        if any(math.hypot(e - t.easting, n - t.northing) < 3.0 * t.sigma for t in towns):
            continue
        dispersed += 1
        raw.append(dict(kind="dispersed", place=district_of(e, n), rurality="E2" if u > SPARSE_THRESHOLD * 0.7 else "E1",
                        e=e, n=n, pop=_population(rng, 1_300, 220), core=0.0))

    # Order like an LSOA list: by district then settlement, codes in that order.
    raw.sort(key=lambda r: (district_of(r["e"], r["n"]), r["place"], round(r["n"]), round(r["e"])))
    areas: list[Area] = []
    per_place: dict[str, int] = {}
    for i, r in enumerate(raw):
        per_place[r["place"]] = per_place.get(r["place"], 0) + 1
        k = per_place[r["place"]]
        suffix = chr(ord("A") + (k - 1) % 26) if k > 26 else chr(ord("A") + k - 1)
        label = f"{r['place']} {(k - 1) // 26 + 1:03d}{suffix}"
        if r["kind"] == "dispersed":
            label = f"{r['place']} rural {k:03d}"
        areas.append(
            Area(
                area_id=f"E01{900001 + i:06d}",
                area_name=label,
                district=district_of(r["e"], r["n"]),
                population=int(r["pop"]),
                rurality=r["rurality"],
                easting=float(round(r["e"])),
                northing=float(round(r["n"])),
                kind=r["kind"],
                place=r["place"],
                core=float(r["core"]),
            )
        )
    return areas, villages


@dataclass(frozen=True)
class Site:
    site_id: str
    site_name: str
    site_type: str
    easting: float
    northing: float
    note: str = ""


NEIGHBOUR_BASE = ("NB01", "Westerby ARV base (Marchshire Constabulary)", 290_500.0, 520_500.0)
PROPOSED_BASE_TOWN = "Fellbeck"


def build_sites(villages: list[tuple[str, float, float, int]]) -> list[Site]:
    """ARV bases, police stations and the neighbouring force's base."""
    town = {t.name: t for t in (COUNTY_TOWN, *MARKET_TOWNS)}
    sites = [
        Site("ARV01", "Carrowby HQ ARV base", "ARV_BASE", 345_600, 539_400, "Current base"),
        Site("ARV02", "Hawkridge ARV base", "ARV_BASE", 372_400, 515_300, "Current base"),
        Site("ARV03", "Marbury ARV base", "ARV_BASE", 352_300, 583_600, "Current base"),
        Site("ARV04", "Fellbeck ARV base (proposed)", "ARV_BASE", town["Fellbeck"].easting + 400,
             town["Fellbeck"].northing - 300, "Proposed rural base (option OPT3)"),
    ]
    stations = [
        ("Carrowby Central", 345_100, 540_300),
        ("Carrowby North", 346_200, 545_600),
        ("Carrowby South", 343_800, 534_700),
    ]
    stations += [(t.name, t.easting + 150, t.northing + 150) for t in MARKET_TOWNS]
    # Larger villages get stations, spread out: biggest first, at least 9 km apart.
    ranked = sorted(villages, key=lambda v: (-v[3], v[0]))
    for name, e, n, _size in ranked:
        if len(stations) >= 30:
            break
        if all(math.hypot(e - se, n - sn) > 9_000 for _, se, sn in stations):
            stations.append((name, e, n))
    for i, (name, e, n) in enumerate(stations, start=1):
        sites.append(Site(f"PS{i:02d}", f"{name} police station", "POLICE_STATION",
                          float(round(e)), float(round(n))))
    sites.append(Site(NEIGHBOUR_BASE[0], NEIGHBOUR_BASE[1], "NEIGHBOUR_BASE",
                      NEIGHBOUR_BASE[2], NEIGHBOUR_BASE[3], "Neighbouring force, across the western border"))
    return sites


# ---------------------------------------------------------------------------
# Threat indicators (APSTRA-style)
# ---------------------------------------------------------------------------

INDICATORS = (
    ("firearms_incidents_3yr", 3.0,
     "Recorded incidents involving firearms (discharges, threats, sightings confirmed), last 3 years"),
    ("crowded_places", 2.0,
     "Crowded places on the counter-terrorism crowded places list (shopping centres, venues, events)"),
    ("critical_national_infrastructure", 2.0,
     "Critical national infrastructure and other protected sites (count, weighted by category)"),
    ("violent_crime_rate", 1.0,
     "Violence against the person with injury per 1,000 residents, last 12 months"),
    ("organised_crime_groups", 2.0,
     "Mapped organised crime groups and county lines with a firearms or weapons marker active in the area"),
    ("firearm_certificates_per_1000", 0.5,
     "Firearm and shotgun certificates per 1,000 residents (availability of lawfully held guns)"),
)

#: Rural hotspots: (easting, northing, what) adding CNI or other threat in the hills.
RURAL_CNI = (
    (312_000, 562_000, 3, "Upper Fell reservoir and dam"),
    (296_000, 531_000, 2, "Westmoor gas compressor station"),
    (381_000, 597_000, 3, "Rookdale military training area"),
    (367_000, 531_000, 1, "Vale water treatment works"),
    (336_000, 521_000, 2, "A-road bridge and rail viaduct"),
    (320_000, 590_000, 1, "Fells telecoms mast cluster"),
)


def build_threat(rng: np.random.Generator, areas: list[Area]) -> np.ndarray:
    """One row per area, one column per indicator (order of INDICATORS)."""
    A = len(areas)
    out = np.zeros((A, len(INDICATORS)))
    e = np.array([a.easting for a in areas])
    n = np.array([a.northing for a in areas])
    core = np.array([a.core for a in areas])
    kind = [a.kind for a in areas]
    urban_ct = np.array([k == "county_town" for k in kind])
    urban_mt = np.array([k == "market_town" for k in kind])
    rural = np.array([k in ("village", "dispersed") for k in kind])
    fringe = np.array([k == "fringe" for k in kind])
    # Deprivation-like factor: concentrated in parts of the county town and two market towns.
    depr = rng.gamma(2.0, 0.5, A)
    depr[urban_ct] *= 1.0 + 1.5 * np.exp(-((e[urban_ct] - 347_500) ** 2 + (n[urban_ct] - 537_500) ** 2) / (2 * 2_000**2))

    # firearms incidents (Poisson)
    lam = np.where(urban_ct, 0.9 * depr, np.where(urban_mt, 0.45 * depr, np.where(fringe, 0.2, 0.08)))
    out[:, 0] = rng.poisson(lam)
    # Rural hotspots: a few farms / hamlets with repeated firearms reports (poaching, shotgun theft).
    rural_idx = np.flatnonzero(rural)
    hot = rng.choice(rural_idx, size=9, replace=False)
    out[hot, 0] += rng.integers(2, 6, size=hot.size)

    # crowded places: town centres, plus a rural festival site and a visitor attraction
    cp = np.where(urban_ct, 9.0 * core**2, np.where(urban_mt, 3.5 * core**2, 0.0))
    out[:, 1] = np.floor(cp + rng.uniform(0, 1, A))
    fest = rng.choice(rural_idx, size=3, replace=False)
    out[fest, 1] += np.array([2, 1, 1])

    # CNI: rural sites near the listed locations, plus the county town's hospital and rail hub
    for ce, cn, weight, _what in RURAL_CNI:
        j = int(np.argmin((e - ce) ** 2 + (n - cn) ** 2))
        out[j, 2] += weight
    ct_idx = np.flatnonzero(urban_ct)
    j = ct_idx[np.argsort(-core[ct_idx])[:3]]
    out[j, 2] += np.array([2, 1, 1])

    # violent crime rate per 1,000
    base = np.where(urban_ct, 18 + 40 * core, np.where(urban_mt, 14 + 25 * core, np.where(fringe, 9, 5.5)))
    out[:, 3] = np.round(np.minimum(base * depr * rng.lognormal(0, 0.25, A), 160.0), 1)

    # organised crime groups / county lines: towns, and the A-road corridor Carrowby-Hawkridge
    corridor = np.exp(-(((n - 540_000) - (e - 345_000) * (-25_000 / 27_000)) ** 2) / (2 * 2_500**2))
    ocg_lam = np.where(urban_ct, 0.35 * depr, np.where(urban_mt, 0.25 * depr, 0.03)) + 0.4 * corridor
    out[:, 4] = rng.poisson(ocg_lam)

    # firearm certificates per 1,000: farming country holds most lawful guns
    u = upland(e, n)
    cert = np.where(rural, 35 + 45 * u, np.where(fringe, 20, 8)) * rng.lognormal(0, 0.3, A)
    out[:, 5] = np.round(np.minimum(cert, 120.0), 1)
    return out


# ---------------------------------------------------------------------------
# Travel times (GIS-like drive times)
# ---------------------------------------------------------------------------

URBAN_CODES = {"A1", "B1", "C1", "C2"}


def build_travel(rng: np.random.Generator, areas: list[Area], sites: list[Site]) -> np.ndarray:
    """Drive minutes (sites x areas): road-network-like, not a straight line.

    minutes = distance x circuity / speed x 60 + urban egress delays + noise, at least 2.
    Circuity rises from 1.2 in the vale to 1.6 across the hills (winding roads);
    speed is 35-45 km/h for urban destinations and 55-70 km/h on rural roads,
    slower over the moors.
    """
    ae = np.array([a.easting for a in areas])
    an = np.array([a.northing for a in areas])
    urban = np.array([a.rurality in URBAN_CODES for a in areas])
    se = np.array([s.easting for s in sites])
    sn = np.array([s.northing for s in sites])
    d_km = np.hypot(se[:, None] - ae[None, :], sn[:, None] - an[None, :]) / 1000.0
    # terrain along the way: mean of upland index at origin, midpoint and destination
    mid_u = upland((se[:, None] + ae[None, :]) / 2, (sn[:, None] + an[None, :]) / 2)
    path_u = (upland(se, sn)[:, None] + 2 * mid_u + upland(ae, an)[None, :]) / 4
    circuity = 1.2 + 0.4 * path_u + rng.uniform(-0.03, 0.03, d_km.shape)
    rural_speed = 70 - 15 * path_u  # 70 km/h in the vale, 55 over the moors
    urban_speed = rng.uniform(35, 45, (1, len(areas)))
    # Short trips inside a town run at urban speed; longer ones mostly at rural speed
    # with an urban leg at the end when the destination is in a town.
    urban_leg_km = np.where(urban[None, :], np.minimum(d_km * circuity, 3.0), 0.0)
    road_km = d_km * circuity
    minutes = (urban_leg_km / urban_speed + (road_km - urban_leg_km) / rural_speed) * 60
    minutes *= rng.lognormal(0, 0.08, minutes.shape)
    minutes += 0.8  # leaving the yard, junctions
    return np.maximum(np.round(minutes, 1), 2.0)


# ---------------------------------------------------------------------------
# Options, deployments, costs
# ---------------------------------------------------------------------------

OFFICER_COST = 70_000  # PC pay point 7 + employer pension (31%) and NI (15% above £5,000): see docs
FTE = 5.5
AFO_COURSE = 4_671  # Met 2016 (Mayor of London answer 2016/3816): basic firearms course, 4 weeks
ARV_COURSE = 12_705  # Met 2016 (same answer): ARV course, 9 weeks
ARV_VEHICLE = 70_000  # purchase and fit-out (assumption)
ARV_VEHICLE_RUNNING = 25_000  # fuel, maintenance, kit per year (assumption)


def arv_training_one_off(officers: float) -> float:
    """AFO + ARV courses plus 13 weeks of abstraction (backfill) per officer."""
    return officers * (AFO_COURSE + ARV_COURSE + OFFICER_COST * 13 / 52)


def option_table(sites: list[Site], remote_stations: list[str]) -> tuple[list[tuple], list[tuple]]:
    """Options and their full deployment lists (each option repeats the baseline assets)."""
    baseline = [
        # site, asset, posts, crew, start, end, busy, mob, note
        ("ARV01", "ARV", 2, 2, 0, 24, None, None, "Two ARVs around the clock at the county town"),
        ("ARV01", "ARV", 1, 2, 7, 23, None, None, "Third county-town ARV, day and late shifts"),
        ("ARV02", "ARV", 1, 2, 0, 24, None, None, "Hawkridge ARV around the clock"),
        ("ARV03", "ARV", 1, 2, 7, 3, None, None, "Marbury ARV, off the road 03:00-07:00"),
        # An optional 10th item is the Deployments days column (blank: every day).
        ("ARV01", "ARV", 1, 2, 20, 4, None, None, "Night-time economy ARV crew, Friday and Saturday nights until 04:00",
         "Fri,Sat"),
    ]
    aro_sites = remote_stations[:5]
    hybrid_sites = remote_stations[:3]
    aro_posts = {s: (2 if i == 0 else 1) for i, s in enumerate(aro_sites)}

    # OPT1 costs: train AFOs (basic course only) for each ARO post, with ~10% spare for attrition.
    aro_fte = sum(aro_posts.values()) * FTE
    aro_trained = math.ceil(aro_fte * 1.1)
    aro_one_off = aro_trained * (AFO_COURSE + OFFICER_COST * 4 / 52 + 3_000) + len(aro_sites) * 25_000
    aro_annual = aro_trained * (2_500 + 1_500) + 0.15 * aro_trained * (AFO_COURSE + OFFICER_COST * 4 / 52) + 45_000
    # OPT2: extra ARV 14:00-02:00 at Hawkridge (12 h: 2 crew x 5.5 x 0.5 = 5.5 FTE)
    extra_fte = 2 * FTE * 12 / 24
    extra_one_off = arv_training_one_off(math.ceil(extra_fte)) + ARV_VEHICLE
    extra_annual = extra_fte * OFFICER_COST + ARV_VEHICLE_RUNNING
    # OPT3: new base at Fellbeck, one ARV 24/7 (11 FTE)
    base_fte = 2 * FTE
    base_one_off = arv_training_one_off(base_fte) + ARV_VEHICLE + 450_000
    base_annual = base_fte * OFFICER_COST + ARV_VEHICLE_RUNNING + 60_000
    # OPT4: neighbour ARV cover as an annual service charge
    nb_one_off = 40_000
    nb_annual = 240_000
    # OPT5 hybrid: AROs at 3 stations + neighbour collaboration
    hy_posts = {s: aro_posts[s] for s in hybrid_sites}
    hy_trained = math.ceil(sum(hy_posts.values()) * FTE * 1.1)
    hy_one_off = hy_trained * (AFO_COURSE + OFFICER_COST * 4 / 52 + 3_000) + len(hybrid_sites) * 25_000 + nb_one_off
    hy_annual = hy_trained * (2_500 + 1_500) + 0.15 * hy_trained * (AFO_COURSE + OFFICER_COST * 4 / 52) + 35_000 + nb_annual

    site_name = {s.site_id: s.site_name for s in sites}

    def names(ids: list[str]) -> str:
        return ", ".join(site_name[i].replace(" police station", "") for i in ids)

    options = [
        ("OPT0", "Do minimum", "Current ARV cover: three bases, five ARVs at peak (six from 20:00 to 23:00 on Friday and Saturday, with the night-time economy crew), fewer overnight.",
         True, 0, 0, 0, "Business as usual; costs are measured against it"),
        ("OPT1", "Arm rural response officers",
         f"Arm response officers (single-crewed, 24/7) at five remote stations: {names(aro_sites)}.",
         False, round(aro_one_off, -3), round(aro_annual, -3), 12,
         f"{aro_trained} officers through the AFO basic course; armoury works at each station; annual requalification, kit and governance"),
        ("OPT2", "Extra ARV crew (peak hours)",
         "One more ARV crew, 14:00-02:00 (the evening and night peak), forward-deployed from Stanbridge police station.",
         False, round(extra_one_off, -3), round(extra_annual, -3), 9,
         "5.5 FTE at £70k; AFO + ARV courses with backfill; one vehicle"),
        ("OPT3", "New rural ARV base at Fellbeck",
         "A fourth ARV base in the High Fells with one ARV around the clock.",
         False, round(base_one_off, -3), round(base_annual, -3), 18,
         "11 FTE at £70k; base fit-out £450k; vehicle; base running £60k/yr"),
        ("OPT4", "Neighbour collaboration",
         "Marchshire Constabulary's Westerby ARV covers western Borderdale under a section 22A agreement.",
         False, nb_one_off, nb_annual, 6,
         "Annual service charge (assumption); one-off legal, joint exercises and radio interoperability"),
        ("OPT5", "Hybrid: three armed stations + neighbour cover",
         f"Arm response officers at the three most remote stations ({names(hybrid_sites)}) and agree neighbour cover.",
         False, round(hy_one_off, -3), round(hy_annual, -3), 12,
         "Costs of OPT1 scaled to three stations plus the OPT4 agreement"),
    ]
    deployments: list[tuple] = []

    def add(opt: str, rows: list[tuple]) -> None:
        for r in rows:
            deployments.append((opt, *r))

    for opt, _, _, _, _, _, _, _ in options:
        add(opt, baseline)
    add("OPT1", [(s, "ARMED_RESPONSE_OFFICER", p, 1, 0, 24, None, None,
                  "Armed response officer; busy with other response work about a third of the time (busy_fraction_aro)")
                 for s, p in aro_posts.items()])
    add("OPT2", [("PS09", "ARV", 1, 2, 14, 2, None, None,
                  "Extra peak-hours ARV forward-deployed from Stanbridge; shift wraps past midnight")])
    add("OPT3", [("ARV04", "ARV", 1, 2, 0, 24, None, None, "New base ARV")])
    add("OPT4", [(NEIGHBOUR_BASE[0], "NEIGHBOUR_ARV", 1, 2, 0, 24, 0.5, 5,
                  "Neighbour ARV: often committed in its own force; call-handling hand-over adds time")])
    add("OPT5", [(s, "ARMED_RESPONSE_OFFICER", p, 1, 0, 24, None, None, "Armed response officer (busy_fraction_aro)")
                 for s, p in hy_posts.items()])
    add("OPT5", [(NEIGHBOUR_BASE[0], "NEIGHBOUR_ARV", 1, 2, 0, 24, 0.5, 5, "Neighbour ARV")])
    deployments.sort(key=lambda r: r[0])  # stable: grouped by option, baseline rows first
    return options, deployments


# The value tree (docs/appraisal-method.md#value-tree): one Response branch under a single
# parent weight (threat cover, back-up cover, the 90th percentile and rural cover), so
# measures built on the same travel-time matrix cannot count the same thing four times
# over; money alone of kind ``cost`` (C5, left out of benefit value, so the value-for-money
# chart does not count cost twice); the armed officers an option needs (C6) a Workforce
# benefit, since their pay is already in C5's money and what C6 adds is how many volunteers
# must be found; judgement criteria that overlap neither each other nor the measured ones,
# each with its 0 and 100 anchors in its notes. C6 counts the force's own officers only
# (``officers_required``): neighbour officers (``neighbour_officers``) are another force's
# workforce. Fixed scales are wide enough for every option in every scenario, so no value
# is clipped. The branch weights (Costs 14, Workforce 16) give the same flat weights as
# before C6 moved from Costs to Workforce (C5 14, C6 6, C8 10).
#: Fixed scales (worst, best) of the response criteria: wider than the options span in every
#: scenario, so no value is clipped (docs/appraisal-method.md#the-sample-force).
C1_SCALE = (0.6, 0.8)
C2_SCALE = (0.45, 0.65)
C3_SCALE = (70, 30)
C4_SCALE = (0.05, 0.35)

CRITERIA_GROUPS = (
    # group, weight, description
    ("Response", 45, "How fast and how surely armed officers reach an armed incident, wherever it is"),
    ("Costs", 14, "What the option costs the force in money (discounted, with optimism bias)"),
    ("Community", 15, "Residents' confidence in how the force responds to armed incidents"),
    ("Workforce", 16, "The armed officers the option needs and whether it can be staffed safely for them"),
    ("Policing model", 10, "How far the option keeps routine policing unarmed (policing by consent)"),
)

CRITERIA = (
    # id, name, measure, direction, weight, worst, best, group, kind, notes
    ("C1", "Threat covered within target", "threat_coverage", "higher", 18, C1_SCALE[0], C1_SCALE[1], "Response",
     "benefit", "Share of the APSTRA threat index reachable within target, allowing for busy units; fixed scale "
     f"{C1_SCALE[0]:.0%} (0) to {C1_SCALE[1]:.0%} (100)"),
    ("C2", "Back-up cover (a second armed officer)", "backup_coverage", "higher", 12, C2_SCALE[0], C2_SCALE[1],
     "Response", "benefit", "Population a second armed officer reaches within the back-up target, allowing for "
     f"busy units; fixed scale {C2_SCALE[0]:.0%} (0) to {C2_SCALE[1]:.0%} (100)"),
    ("C3", "90th percentile response time", "p90_response_minutes", "lower", 8, C3_SCALE[0], C3_SCALE[1], "Response",
     "benefit", "The slow tail: nine in ten resident-hours are reached this quickly or better, allowing for busy "
     "units; fixed scale "
     f"{C3_SCALE[0]} minutes (0) to {C3_SCALE[1]} minutes (100)"),
    ("C4", "Rural cover", "rural_coverage", "higher", 10, C4_SCALE[0], C4_SCALE[1], "Response", "benefit",
     "Rural residents covered within target, allowing for busy units (fairness to the High Fells); fixed scale "
     f"{C4_SCALE[0]:.0%} (0) to {C4_SCALE[1]:.0%} (100)"),
    ("C5", "Whole-life cost (5 years, discounted)", "whole_life_cost_gbp", "lower", 14, 6_000_000, 0, "Costs",
     "cost", "Green Book 3.5% discounting over 5 years, with each option's optimism bias; fixed scale £6m to £0 "
     "(wide enough for the dearest option after optimism bias, so no cost is clipped)"),
    ("C6", "Armed officers the force must find", "officers_required", "lower", 6, None, None, "Workforce",
     "benefit",
     "The force's own armed officers the posts need: the volunteers it must find and train (armed policing "
     "is voluntary), not their pay, which is in C5. A neighbour's officers are not counted"),
    ("C7", "Community confidence in the armed response", "judgement", "higher", 10, None, None, "Community",
     "benefit",
     "Workshop judgement informed by the community panel: do residents see the armed response as "
     "proportionate and trust how it is used? Not its speed (C1-C4) nor who is armed (C9). 0 = panels say it "
     "would be disproportionate and not trusted in their area; 100 = panels across the county trust it"),
    ("C8", "Officer welfare", "judgement", "higher", 10, None, None, "Workforce", "benefit",
     "Workshop judgement of the risk to the armed officers: lone working, post-incident procedures, training "
     "and requalification, abstraction; not back-up for the public (C2) nor how many must volunteer (C6). "
     "0 = lone armed officers, aftercare left to generalists; 100 = always crewed, specialist aftercare"),
    ("C9", "Consistency with the routinely unarmed model", "judgement", "higher", 10, None, None,
     "Policing model", "benefit",
     "Workshop judgement: how far routine policing stays unarmed. 0 = routine patrols are armed across the "
     "county; 100 = armed capability only in specialist crews, as today"),
)

JUDGEMENTS = (
    # option, criterion, score, low, high, rationale
    ("OPT0", "C7", 55, 40, 65, "Residents trust specialist ARV crews to be proportionate, but rural parish councils doubt the force takes countryside armed crime seriously."),
    ("OPT1", "C7", 30, 15, 50, "Routine armed patrols in villages that rarely see a firearm struck many as disproportionate; some farming communities would trust them."),
    ("OPT2", "C7", 65, 55, 75, "More ARV capacity is a familiar, specialist response that the community panel saw as proportionate."),
    ("OPT3", "C7", 80, 65, 90, "A visible local specialist team in the High Fells would earn rural trust, the panel said, without arming ordinary patrols."),
    ("OPT4", "C7", 50, 35, 65, "Residents were uneasy about armed officers from another force who do not know local communities."),
    ("OPT5", "C7", 40, 25, 55, "Fewer armed stations softens the concern, but the panel still saw armed village patrols as a change of character."),
    ("OPT0", "C8", 45, 35, 55, "ARV crews are stretched across long rural journeys; missed rest breaks and night-shift fatigue at Marbury worry the Federation."),
    ("OPT1", "C8", 15, 5, 30, "Single-crewed armed officers face armed incidents alone, post-incident procedures fall on generalists, and requalification comes on top of a full response workload."),
    ("OPT2", "C8", 75, 65, 85, "A crewed extra ARV shares the evening peak's workload, so crews get breaks; six officers' training is a one-off abstraction."),
    ("OPT3", "C8", 70, 55, 80, "Shorter journeys help crews in the west, but eleven officers spend 13 weeks on courses and a new base's aftercare must be set up."),
    ("OPT4", "C8", 55, 45, 65, "No new training load on the force's officers, but post-incident procedures and welfare support split across two forces."),
    ("OPT5", "C8", 30, 15, 45, "Fewer lone armed officers than OPT1, but the same lone-working, post-incident and requalification risks at three stations."),
    ("OPT0", "C9", 95, 90, 100, "Armed capability stays with specialist ARV crews; routine policing remains unarmed."),
    ("OPT1", "C9", 10, 0, 25, "Routinely arming response officers is a departure from the unarmed model that the NPCC says should remain at the core of policing."),
    ("OPT2", "C9", 90, 85, 100, "Adds specialist armed capacity only; no change to who is routinely armed."),
    ("OPT3", "C9", 90, 80, 100, "Specialist ARV crews only; the model is unchanged, just better placed."),
    ("OPT4", "C9", 85, 75, 95, "Specialist armed cover from a neighbour; unarmed model unchanged, though accountability crosses force boundaries."),
    ("OPT5", "C9", 35, 20, 50, "Still arms some response officers routinely, though fewer than OPT1."),
)

WEIGHT_SETS = {
    "Community panel": {"C1": 10, "C2": 10, "C3": 5, "C4": 15, "C5": 5, "C6": 5, "C7": 30, "C8": 5, "C9": 25},
    # The Federation set gives no weight to cost (deliberately left out: an unlisted criterion weighs 0).
    "Police Federation": {"C1": 10, "C2": 20, "C3": 5, "C4": 5, "C6": 20, "C7": 5, "C8": 30, "C9": 5},
    "PCC office": {"C1": 15, "C2": 10, "C3": 10, "C4": 10, "C5": 30, "C6": 5, "C7": 15, "C8": 3, "C9": 2},
}


def parameter_rows() -> list[tuple[str, object, str]]:
    src = "see docs/data-sources.md"
    return [
        ("force_name", "Borderdale Police", "Fictional force for demonstration and testing"),
        ("threat_level", "SUBSTANTIAL", "UK national terrorism threat level (an attack is likely)"),
        ("protective_marking", "OFFICIAL-SENSITIVE", "Government Security Classifications: force threat data"),
        ("target_minutes", 20, "Local planning target (no national ARV target is published); " + src),
        ("busy_fraction_arv", 0.3, "Assumption: share of time an ARV is committed elsewhere; " + src),
        ("busy_fraction_aro", 0.35, "Assumption: armed response officers are busy with other response work about a third of the time; " + src),
        ("mobilisation_minutes_arv", 1, "Assumption: ARV crews are already mobile and kitted; " + src),
        ("mobilisation_minutes_aro", 3, "Assumption: time to draw a weapon and leave the station; " + src),
        ("fte_per_247_post", 5.5, "Officers per 24/7 post (shifts, leave, training, sickness); " + src),
        ("appraisal_years", 5, "Appraisal period (years of annual cost); " + src),
        ("discount_rate", 0.035, "HM Treasury Green Book social time preference rate; " + src),
        ("road_circuity", 1.3, "Road / straight-line distance for estimated pairs; " + src),
        ("speed_kmh_urban", 40, "Assumed blue-light average speed in towns; " + src),
        ("speed_kmh_rural", 65, "Assumed blue-light average speed on rural roads; " + src),
        ("travel_times_file", None, "Blank: GIS drive times are in the TravelTimes sheet (neighbour base pairs estimated)"),
        ("authorisation_minutes", AUTHORISATION, "Assumption: call handling and firearms authorisation before dispatch; " + src),
        ("backup_target_minutes", 30, "Local planning target for a second armed officer on scene; " + src),
        ("hour_weighting", "flat", "Every hour of the week alike (incidents would weight by the Incidents sheet)"),
        ("incident_years", 1, "The Incidents sheet holds one year (synthetic: see docs/data-sources.md)"),
        ("armed_incidents_per_year", None, "Blank: simulate takes the Incidents rows over incident_years"),
        ("incident_service_hours", 2, "Hours a unit is committed to an armed incident (simulate); the tool's default, "
         "not a published figure (docs/simulation.md#parameters)"),
        ("busy_spell_minutes", 45, "Mean spell of other work (simulate); the tool's default, not a published figure"),
        ("public_marking", "OFFICIAL", "Marking of the version published with the panel papers (no threat data)"),
        ("decision_question", "The panel is asked which options the force should put to public consultation, among "
         "them arming some rural response officers, and which it would want examined further.",
         "Printed on page 1 of the summary"),
        ("equality_columns", "imd_decile", "Coverage broken down by Index of Multiple Deprivation decile (Public Sector Equality Duty)"),
        ("price_base_year", "2025-26", "Costs in 2025-26 prices (Green Book: state the price base)"),
        ("boundaries_file", BOUNDARIES_NAME, "Synthetic area boundaries (a Voronoi tessellation of the area "
         "centroids clipped to the county), for the maps"),
        ("boundaries_id_field", BOUNDARIES_ID_FIELD, "The boundaries' field holding area_id (ONS's name for the LSOA code)"),
    ]


#: Named what-ifs (docs/appraisal-method.md#scenarios): each a full re-run with these overrides.
SCENARIOS = (
    ("SEVERE threat level", "threat_level", "SEVERE", "An attack is highly likely: ARVs more often committed"),
    ("SEVERE threat level", "busy_fraction_arv", 0.45, "Assumption: ARV crews committed half as often again"),
    ("SEVERE threat level", "busy_fraction_aro", 0.45, "Assumption: armed response officers drawn to more tasks"),
    ("15-minute target", "target_minutes", 15, "A tighter local target the PCC has asked about"),
)

#: Inputs whose value is uncertain (docs/appraisal-method.md#parameter-sensitivity).
UNCERTAINTY = (
    ("busy_fraction_arv", 0.2, 0.45, "Duty logs suggest 0.2-0.3 in quiet years; 0.45 in the SEVERE scenario"),
    ("busy_fraction_aro", 0.2, 0.5, "No local data: response officers' other work varies widely by station"),
    ("mobilisation_minutes_arv", 0.5, 3, "Crews already mobile (0.5) to kitting up at base (3)"),
    ("mobilisation_minutes_aro", 2, 6, "Drawing a weapon and leaving the station: 2-6 minutes in exercises"),
    ("OPT3.one_off_cost_gbp", 700_000, 1_500_000, "New base: the estates team's range for the fit-out"),
    ("OPT4.annual_cost_gbp", 180_000, 360_000, "Neighbour service charge still to be negotiated"),
)

#: Green Book optimism bias per option (docs/data-sources.md#optimism-bias): an uplift on cost.
OPTIMISM_BIAS = {"OPT0": 0.0, "OPT1": 0.15, "OPT2": 0.05, "OPT3": 0.24, "OPT4": 0.10, "OPT5": 0.15}


def imd_deciles(areas: list[Area]) -> list[int]:
    """An Index of Multiple Deprivation decile per area (1 = most deprived), deterministic.

    Drawn from its own generator so the rest of the force is unchanged: town cores and
    remote upland hamlets more deprived, lowland villages less, then ranked into tenths.
    """
    rng = np.random.default_rng(SEED + 1)
    score = np.array([
        (1.2 * a.core if a.kind in ("county_town", "market_town") else 0.0)
        + (0.6 if a.kind == "dispersed" else 0.0) - (0.4 if a.kind == "village" else 0.0)
        for a in areas
    ]) + rng.normal(0.0, 0.5, len(areas))
    order = np.argsort(-score, kind="stable")
    deciles = np.empty(len(areas), dtype=int)
    deciles[order] = 1 + (np.arange(len(areas)) * 10) // len(areas)
    return deciles.tolist()


# ---------------------------------------------------------------------------
# The week, the units and a year of synthetic incidents
# ---------------------------------------------------------------------------

AUTHORISATION = 2  # minutes from the call to dispatch (assumption: see docs/data-sources.md)
INCIDENT_SEED_OFFSET = 7  # incidents draw from their own stream: the rest of the force is unchanged
INCIDENTS_PER_YEAR = 180  # spontaneous firearms incidents and firearms operations (assumption)
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: Relative demand by hour of the day: quiet before dawn, busiest in the evening.
HOUR_PROFILE = (0.8, 0.7, 0.6, 0.45, 0.35, 0.3, 0.35, 0.5, 0.7, 0.8, 0.85, 0.9,
                0.95, 1.0, 1.0, 1.05, 1.1, 1.2, 1.3, 1.4, 1.5, 1.5, 1.3, 1.0)
NIGHT_ECONOMY = 1.8  # Friday and Saturday nights, 20:00-04:00, carry 1.8 times the demand
OBSERVED_NOISE = 0.15  # sd of the log of (observed / modelled) travel for the unit sent
WAIT_MINUTES = 45.0  # mean wait for a unit to clear when every unit is busy


def week_hours(start: int, end: int, days: str | None) -> set[int]:
    """Hours of the week (0 = Monday 00:00) a shift starting on ``days`` covers (sample days only)."""
    on = range(7) if not days else [DAY_NAMES.index(d.strip()[:3]) for d in days.split(",")]
    length = end - start if start < end else 24 - start + end
    return {(24 * d + start + k) % 168 for d in on for k in range(length)}


def _threat_index(force: Force) -> np.ndarray:
    w = np.array([i[1] for i in INDICATORS])
    mx = force.threat.max(axis=0)
    return (force.threat / np.where(mx > 0, mx, 1) * w).sum(axis=1)


def _reader_travel(force: Force) -> np.ndarray:
    """The travel matrix as the reader builds it: the neighbour base estimated from coordinates."""
    travel = force.travel.copy()
    rural = np.array([a.rurality not in URBAN_CODES for a in force.areas])
    ae = np.array([a.easting for a in force.areas])
    an = np.array([a.northing for a in force.areas])
    for i, s in enumerate(force.sites):
        if s.site_type == "NEIGHBOUR_BASE":
            d = np.hypot(ae - s.easting, an - s.northing) / 1000
            travel[i] = d * 1.3 / np.where(rural, 65.0, 40.0) * 60
    return travel


def _units(force: Force, deps: list[tuple], travel: np.ndarray, idx: dict[str, int]) -> list[dict]:
    """Deployments with the parameter defaults applied, response minutes and hours of the week."""
    out = []
    for d in deps:
        _o, sid, asset, posts, crew, sh, eh, busy, mob = d[:9]
        aro = asset == "ARMED_RESPONSE_OFFICER"
        q = busy if busy is not None else (0.35 if aro else 0.3)  # the sample's busy_fraction_aro and busy_fraction_arv parameters
        m = mob if mob is not None else (3 if aro else 1)
        out.append(dict(asset=asset, posts=posts, crew=crew, q=q, r=AUTHORISATION + m + travel[idx[sid]],
                        hours=week_hours(sh, eh, d[10] if len(d) > 10 else None)))
    return out


def build_incidents(force: Force, rng: np.random.Generator) -> list[tuple]:
    """A year of armed incidents drawn from a known process (docs/data-sources.md#incidents-synthetic).

    Count ~ Poisson(INCIDENTS_PER_YEAR); hour of the week by HOUR_PROFILE, with Friday and
    Saturday nights NIGHT_ECONOMY times busier; area in proportion to population x
    (0.25 + threat index / its mean). 15% are pre-planned firearms operations (no response
    time). For the rest, the baseline's units on duty are each busy with probability q, on
    their own; the first armed officer is the quickest free unit, its response times a
    lognormal factor (sd OBSERVED_NOISE); if every unit is busy the nearest one comes after
    an exponential wait (mean WAIT_MINUTES). 3% of times are not recorded (blank).
    """
    travel = _reader_travel(force)
    idx = {s.site_id: i for i, s in enumerate(force.sites)}
    baseline = next(o[0] for o in force.options if o[3])
    units = _units(force, [d for d in force.deployments if d[0] == baseline], travel, idx)
    hour_w = np.array([HOUR_PROFILE[h % 24] * (NIGHT_ECONOMY if ((h // 24 in (4, 5) and h % 24 >= 20)
                                                                 or (h // 24 in (5, 6) and h % 24 < 4)) else 1.0)
                       for h in range(168)])
    pop = np.array([a.population for a in force.areas], dtype=float)
    t = _threat_index(force)
    area_w = pop * (0.25 + t / t.mean())
    n = int(rng.poisson(INCIDENTS_PER_YEAR))
    hours = rng.choice(168, size=n, p=hour_w / hour_w.sum())
    where = rng.choice(len(force.areas), size=n, p=area_w / area_w.sum())
    rows = []
    for k, (h, a) in enumerate(zip(hours.tolist(), where.tolist(), strict=True)):
        planned = rng.random() < 0.15
        best = math.inf
        nearest = math.inf
        for u in units:
            if h not in u["hours"]:
                continue
            for _ in range(u["posts"]):
                busy = rng.random() < u["q"]
                r = float(u["r"][a]) * math.exp(rng.normal(0.0, OBSERVED_NOISE))
                nearest = min(nearest, r)
                if not busy:
                    best = min(best, r)
        if best == math.inf:
            best = nearest + rng.exponential(WAIT_MINUTES)
        recorded = rng.random() >= 0.03
        minutes = round(best, 1) if (recorded and not planned) else None
        rows.append((f"INC{k + 1:04d}", force.areas[a].area_id, DAY_NAMES[h // 24], h % 24, minutes,
                     "firearms operation" if planned else "spontaneous"))
    return rows


# ---------------------------------------------------------------------------
# Assembly and writing
# ---------------------------------------------------------------------------


@dataclass
class Force:
    areas: list[Area]
    sites: list[Site]
    threat: np.ndarray
    travel: np.ndarray  # sites x areas
    options: list[tuple]
    deployments: list[tuple]
    incidents: list[tuple] = field(default_factory=list)


def remote_stations(areas: list[Area], sites: list[Site], travel: np.ndarray) -> list[str]:
    """Stations whose surrounding population is worst served by the current ARV bases."""
    idx = {s.site_id: i for i, s in enumerate(sites)}
    arv = [idx[s] for s in ("ARV01", "ARV02", "ARV03")]
    best_arv = travel[arv].min(axis=0)
    pop = np.array([a.population for a in areas], dtype=float)
    ae = np.array([a.easting for a in areas])
    an = np.array([a.northing for a in areas])
    scores = []
    for s in sites:
        if s.site_type != "POLICE_STATION":
            continue
        # Only rural stations (villages, or towns in a sparse setting): the debate is about
        # harder-to-reach rural communities, not lowland market towns.
        nearest = int(np.argmin((ae - s.easting) ** 2 + (an - s.northing) ** 2))
        if areas[nearest].rurality == "C1":
            continue
        t = travel[idx[s.site_id]]
        near = t <= 15
        # residents near this station who are beyond 20 minutes of any current ARV
        gain = float((pop * (near & (best_arv + 1 > 20))).sum())
        scores.append((-gain, s.site_id))
    scores.sort()
    chosen: list[str] = []
    for _, sid in scores:
        s = sites[idx[sid]]
        if all(math.hypot(s.easting - sites[idx[c]].easting, s.northing - sites[idx[c]].northing) > 14_000 for c in chosen):
            chosen.append(sid)
        if len(chosen) == 6:
            break
    return chosen


def build_force(seed: int = SEED) -> Force:
    rng = np.random.default_rng(seed)
    areas, villages = build_areas(rng)
    sites = build_sites(villages)
    threat = build_threat(rng, areas)
    travel = build_travel(rng, areas, sites)
    remote = remote_stations(areas, sites, travel)
    options, deployments = option_table(sites, remote)
    force = Force(areas, sites, threat, travel, options, deployments)
    force.incidents = build_incidents(force, np.random.default_rng(seed + INCIDENT_SEED_OFFSET))
    return force


def write_workbook(force: Force, path: Path) -> None:
    """Write the force workbook with openpyxl (write-only mode: fast, small)."""
    wb = Workbook(write_only=True)
    wb.properties.creator = "Borderdale sample generator"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME

    def sheet(name: str, header: list[str], rows) -> None:
        ws = wb.create_sheet(name)
        ws.append(header)
        for r in rows:
            ws.append(list(r))

    sheet("Parameters", ["parameter", "value", "notes"], parameter_rows())
    sheet(
        "Areas",
        ["area_id", "area_name", "district", "population", "rurality", "easting", "northing", "imd_decile"],
        ((a.area_id, a.area_name, a.district, a.population, a.rurality, int(a.easting), int(a.northing), d)
         for a, d in zip(force.areas, imd_deciles(force.areas), strict=True)),
    )
    ind_names = [i[0] for i in INDICATORS]
    sheet(
        "Threat",
        ["area_id", *ind_names],
        ((a.area_id, *[_num(v) for v in force.threat[k]]) for k, a in enumerate(force.areas)),
    )
    sheet("ThreatIndicators", ["indicator", "weight", "description"], INDICATORS)
    sheet(
        "Sites",
        ["site_id", "site_name", "site_type", "easting", "northing", "notes"],
        ((s.site_id, s.site_name, s.site_type, int(s.easting), int(s.northing), s.note or None)
         for s in force.sites),
    )
    # GIS drive times for our own bases and stations; the neighbour base is left out on purpose
    # (its pairs are estimated from coordinates, as an analyst without the neighbour's GIS would).
    tt_rows = (
        (s.site_id, a.area_id, float(force.travel[i, k]))
        for i, s in enumerate(force.sites)
        if s.site_type != "NEIGHBOUR_BASE"
        for k, a in enumerate(force.areas)
    )
    sheet("TravelTimes", ["site_id", "area_id", "minutes"], tt_rows)
    sheet(
        "Options",
        ["option_id", "option_name", "description", "baseline", "one_off_cost_gbp",
         "annual_cost_gbp", "implementation_months", "optimism_bias", "notes"],
        ((o[0], o[1], o[2], o[3], _num(o[4]), _num(o[5]), o[6], OPTIMISM_BIAS[o[0]], o[7]) for o in force.options),
    )
    sheet(
        "Deployments",
        ["option_id", "site_id", "asset_type", "posts", "crew_size", "start_hour", "end_hour",
         "days", "busy_fraction", "mobilisation_minutes", "notes"],
        ((*d[:7], d[10] if len(d) > 10 else None, *d[7:10]) for d in force.deployments),
    )
    sheet(
        "Criteria",
        ["criterion_id", "criterion_name", "measure", "direction", "weight", "worst", "best",
         "group", "kind", "notes"],
        CRITERIA,
    )
    sheet("CriteriaGroups", ["group", "weight", "description"], CRITERIA_GROUPS)
    sheet(
        "Judgements",
        ["option_id", "criterion_id", "score", "rationale", "low", "high"],
        ((o, c, s, why, lo, hi) for o, c, s, lo, hi, why in JUDGEMENTS),
    )
    sheet(
        "WeightSets",
        ["weight_set", "criterion_id", "weight"],
        ((name, cid, w) for name, ws in WEIGHT_SETS.items() for cid, w in ws.items()),
    )
    sheet("Scenarios", ["scenario", "parameter", "value", "notes"], SCENARIOS)
    sheet("Uncertainty", ["parameter", "low", "high", "notes"], UNCERTAINTY)
    sheet("Incidents", ["incident_id", "area_id", "weekday", "hour", "first_armed_minutes", "grade"], force.incidents)
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    try:
        _repack_reproducibly(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def county_outline(points: np.ndarray):
    """The county's wavy ellipse (``county_radius_factor`` = 1) as a polygon, widened to hold every area."""
    import shapely

    t = np.linspace(0.0, 2 * math.pi, 720, endpoint=False)
    wobble = 1.0 + 0.07 * np.sin(3 * t + 0.4) + 0.05 * np.sin(5 * t + 1.3)
    ring = np.column_stack([CENTRE[0] + SEMI_AXES[0] * wobble * np.cos(t),
                            CENTRE[1] + SEMI_AXES[1] * wobble * np.sin(t)])
    return shapely.Polygon(ring).union(shapely.MultiPoint(points).convex_hull.buffer(1_500.0))


def voronoi_boundaries(areas: list[Area]) -> list:
    """One polygon per area: its Voronoi cell (scipy.spatial.Voronoi) clipped to the county outline.

    Four far-off points close every real cell, so each area's region is finite. Synthetic
    (real LSOAs follow streets and parishes), but tiling the county like real ones.
    """
    import shapely
    from scipy.spatial import Voronoi

    pts = np.array([(a.easting, a.northing) for a in areas], dtype=np.float64)
    far = 10 * max(SEMI_AXES)
    ghosts = np.array([(CENTRE[0] + dx * far, CENTRE[1] + dy * far) for dx, dy in ((-1, -1), (-1, 1), (1, -1), (1, 1))])
    vor = Voronoi(np.vstack([pts, ghosts]))
    outline = county_outline(pts)
    cells = []
    for k in range(len(areas)):
        region = vor.regions[vor.point_region[k]]
        assert region and -1 not in region, "every real area's Voronoi cell is closed by the ghost points"
        cell = shapely.Polygon(vor.vertices[region]).intersection(outline)
        cells.append(shapely.set_precision(cell, 1.0))  # whole metres, as the workbook's coordinates
    return cells


def write_boundaries(areas: list[Area], path: Path) -> None:
    """Write the boundaries as a GeoPackage (EPSG:27700) with the tool's own writer (reproducible bytes)."""
    import shapely

    from desktop_app.core.geography.gpkg import LayerToWrite, geopackage_bytes

    cells = voronoi_boundaries(areas)
    wkb = [bytes(shapely.to_wkb(c, flavor="iso")) for c in cells]
    boxes = [tuple(float(v) for v in shapely.bounds(c)) for c in cells]
    rows = [(a.area_id, a.area_name) for a in areas]
    layer = LayerToWrite("borderdale_lsoa", "POLYGON", [(BOUNDARIES_ID_FIELD, "TEXT"), ("LSOA21NM", "TEXT")],
                         rows, wkb, boxes, "Borderdale Police (fictional): synthetic area boundaries")
    path.write_bytes(geopackage_bytes([layer], when=FIXED_TIME.replace(tzinfo=_dt.UTC)))


def _repack_reproducibly(src: Path, dest: Path) -> None:
    """Rewrite the zip with fixed timestamps so regenerating gives a byte-identical file.

    openpyxl stamps the save time into docProps/core.xml and the zip entries; a
    sample that changes on every run would make meaningless git diffs.
    """
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    part = dest.with_suffix(".part.xlsx")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)
    part.replace(dest)


def _num(v: float) -> int | float:
    """Whole numbers as int (cleaner cells), others as float."""
    f = float(v)
    return int(f) if f.is_integer() else f


# ---------------------------------------------------------------------------
# Rough check of the measures (independent of the tool's engine)
# ---------------------------------------------------------------------------


def rough_measures(force: Force, target: float = 20.0, backup_target: float = 30.0) -> dict[str, dict[str, float]]:
    """Per-option coverage, response and cost figures following docs/measures.md#measures-per-option.

    Written hour by hour over the 168 hours of the week, with each area's units sorted
    by response time (no hour classes, no pair lists), so it checks the engine's
    arithmetic independently. Neighbour-base pairs are estimated from coordinates as
    the reader would (road_circuity 1.3, urban 40 / rural 65 km/h).
    """
    areas = force.areas
    pop = np.array([a.population for a in areas], dtype=float)
    rural = np.array([a.rurality not in URBAN_CODES for a in areas])
    t = _threat_index(force)
    travel = _reader_travel(force)
    idx = {s.site_id: i for i, s in enumerate(force.sites)}
    out: dict[str, dict[str, float]] = {}
    for opt in force.options:
        oid = opt[0]
        units = _units(force, [d for d in force.deployments if d[0] == oid], travel, idx)
        cover = cover_t = free = free_t = backup = 0.0
        values, weights, is_rural = [], [], []
        fte = nb_fte = 0.0
        for u in units:
            if u["asset"] == "NEIGHBOUR_ARV":
                nb_fte += u["posts"] * u["crew"] * FTE * len(u["hours"]) / 168
            else:
                fte += u["posts"] * u["crew"] * FTE * len(u["hours"]) / 168
        for h in range(168):
            on = [u for u in units if h in u["hours"]]
            if not on:
                values.append(np.full(len(areas), np.inf))
                weights.append(pop / 168)
                is_rural.append(rural)
                continue
            r = np.array([u["r"] for u in on])  # units x areas
            qn = np.array([u["q"] ** u["posts"] for u in on])[:, None]
            none_free = np.prod(np.where(r <= target, qn, 1.0), axis=0)
            f = 1 - none_free
            cover += (f * pop).sum() / pop.sum() / 168
            cover_t += (f * t).sum() / t.sum() / 168
            r0 = r.min(axis=0)
            free += (pop * (r0 <= target)).sum() / pop.sum() / 168
            free_t += (t * (r0 <= target)).sum() / t.sum() / 168
            # second officer: enumerate the posts one by one (crew 1 posts can pair up)
            p_lt2 = np.ones(len(areas))  # P(fewer than 2 officers free within T_b)
            p0 = np.ones(len(areas))  # P(no officer free)
            p1 = np.zeros(len(areas))  # P(exactly one officer free)
            for u in on:
                near = u["r"] <= backup_target
                for _ in range(u["posts"]):
                    q = np.where(near, u["q"], 1.0)
                    if u["crew"] >= 2:
                        p0, p1 = p0 * q, p1 * q
                    else:
                        p0, p1 = p0 * q, p1 * q + p0 * (1 - q)
            p_lt2 = p0 + p1
            backup += ((1 - p_lt2) * pop).sum() / pop.sum() / 168
            # first free unit: sort each area's units by time; mass = P(nearer all busy) x P(free)
            order = np.argsort(r, axis=0, kind="stable")
            rs = np.take_along_axis(r, order, axis=0)
            qs = np.take_along_axis(np.broadcast_to(qn, r.shape), order, axis=0)
            before = np.vstack([np.ones(len(areas)), np.cumprod(qs, axis=0)[:-1]])
            for k in range(len(on)):
                values.append(rs[k])
                weights.append(pop / 168 * before[k] * (1 - qs[k]))
                is_rural.append(rural)
            values.append(np.full(len(areas), np.inf))
            weights.append(pop / 168 * np.prod(qs, axis=0))
            is_rural.append(rural)
        allv, allw, allr = np.concatenate(values), np.concatenate(weights), np.concatenate(is_rural)

        def wq(vals: np.ndarray, wts: np.ndarray, q: float) -> float:
            o = np.argsort(vals, kind="stable")
            c = np.cumsum(wts[o]) / wts.sum()
            return float(vals[o][np.searchsorted(c, q - 1e-9)])

        wlc = (1 + OPTIMISM_BIAS[oid]) * (opt[4] + sum(opt[5] / 1.035**y for y in range(1, 6)))
        out[oid] = dict(
            population_coverage=cover, threat_coverage=cover_t,
            population_coverage_all_free=free, threat_coverage_all_free=free_t, backup_coverage=backup,
            median=wq(allv, allw, 0.5), p90=wq(allv, allw, 0.9),
            rural_gap=wq(allv[allr], allw[allr], 0.5) - wq(allv[~allr], allw[~allr], 0.5),
            officers=fte, neighbour_officers=nb_fte, wlc=wlc,
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", type=Path, default=OUT, help="workbook to write")
    ap.add_argument("--check", action="store_true", help="print rough per-option measures")
    args = ap.parse_args(argv)
    force = build_force()
    write_workbook(force, args.output)
    write_boundaries(force.areas, args.output.parent / BOUNDARIES_NAME)
    pop = sum(a.population for a in force.areas)
    rural = [a for a in force.areas if a.rurality not in URBAN_CODES]
    print(f"wrote {args.output}: {len(force.areas)} areas, population {pop:,}, "
          f"rural {len(rural) / len(force.areas):.0%} of areas ({sum(a.population for a in rural) / pop:.0%} of people), "
          f"{len(force.sites)} sites, {len(force.options)} options")
    if args.check:
        for oid, m in rough_measures(force).items():
            print(f"  {oid}: pop {m['population_coverage']:.3f} threat {m['threat_coverage']:.3f} "
                  f"all-free {m['population_coverage_all_free']:.3f} backup {m['backup_coverage']:.3f} "
                  f"median {m['median']:.1f} p90 {m['p90']:.1f} "
                  f"gap {m['rural_gap']:.1f} FTE {m['officers']:.1f} WLC £{m['wlc']:,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
