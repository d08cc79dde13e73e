"""Travel times: from the TravelTimes sheet and/or a CSV, with missing pairs estimated.

Analysts export blue-light drive-time matrices from GIS; for a large force that
is over a million rows, so they may stay in a CSV named by the
parameter ``travel_times_file``. Given pairs are checked (known site and area,
minutes > 0, no pair twice); every pair not given is estimated from straight-
line distance (docs/workbook-format.md#travel-times-and-how-missing-ones-are-estimated),
and one warning counts them:

    minutes = (straight-line metres / 1000) x road_circuity / speed_kmh x 60

with the AREA's rurality choosing ``speed_kmh_rural`` or ``speed_kmh_urban``.
The sheet and the CSV are read as given in :mod:`given_times`; here they are placed
in the matrix, and the pairs neither gives are estimated.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from desktop_app.core.model import Parameters
from desktop_app.core.workbook.cells import RawSheet
from desktop_app.core.workbook.csv_prefetch import MISS, CsvPrefetch
from desktop_app.core.workbook.findings import (
    FINDINGS_PER_RULE,
    Findings,
    excerpt,
    knock_on_message,
)
from desktop_app.core.workbook.given_times import GivenTimes, from_sheet, read_travel_csv
from desktop_app.core.workbook.named_files import resolve_named_file


def read_travel_times(
    raw: RawSheet | None,
    params: Parameters | None,
    param_rows: dict[str, int],
    workbook: Path,
    areas: pd.DataFrame,
    sites: pd.DataFrame,
    sink: Findings,
    prefetch: CsvPrefetch | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The dense (sites x areas) float32 minutes matrix and the estimated-pair mask.

    ``prefetch`` holds the CSV's parse begun while the sheets were read, used when it is
    of the file resolved here (its findings land here, in the same order).
    """
    parts = [g for g in (from_sheet(raw, sink),) if g is not None]
    if params is not None and params.travel_times_file:
        name = params.travel_times_file
        row = param_rows.get("travel_times_file")
        csv_path = resolve_named_file(workbook, "travel_times_file", name, row, sink)
        g = None
        if csv_path is not None:
            got = prefetch.take(csv_path, Path(name).name, row, sink) if prefetch is not None else MISS
            g = read_travel_csv(csv_path, Path(name).name, row, sink) if got is MISS else got
        if g is not None:
            parts.append(g)
    n_sites, n_areas = len(sites), len(areas)
    matrix = np.full((n_sites, n_areas), np.nan, dtype=np.float32)
    site_index = pd.Index(sites["site_id"])
    area_index = pd.Index(areas["area_id"])
    seen = np.zeros((n_sites, n_areas), dtype=bool)
    seen_flat, matrix_flat = seen.reshape(-1), matrix.reshape(-1)  # views: both are C-contiguous
    site_unique = site_index.is_unique
    area_unique = area_index.is_unique
    given_sample: list[np.ndarray] = []  # positions of given times, for the units check
    for g in parts:
        si = _indexer(site_index, site_unique, g.site_ids)
        ai = _indexer(area_index, area_unique, g.area_ids)
        _report_unknown_ids(g, si, ai, sink, n_sites, n_areas)
        ok = (si >= 0) & (ai >= 0)
        if ok.all():  # the usual case: no copies of 1.2 million positions
            idx = np.arange(len(ok))
            flat = si.astype(np.int64) * max(n_areas, 1) + ai
        else:
            idx = np.flatnonzero(ok)
            flat = si[idx].astype(np.int64) * max(n_areas, 1) + ai[idx]
        _report_repeated_pairs(g, flat, idx, seen_flat, sink)
        given = g.minutes[idx] if len(idx) != len(g.minutes) else g.minutes
        valid = ~np.isnan(given)
        given_sample.append(flat[:: max(1, len(flat) // _UNITS_SAMPLE)])
        if valid.all():
            matrix_flat[flat] = given
        else:
            matrix_flat[flat[valid]] = given[valid]
    if params is not None and given_sample:
        _warn_if_not_minutes(matrix, np.concatenate(given_sample), params, areas, sites, sink)
    estimated = np.logical_not(seen, out=seen)  # in place: no second 43 MB mask to fault in
    if not estimated.any() or params is None:
        return matrix, estimated & np.isnan(matrix)
    _estimate_missing(matrix, estimated, params, areas, sites, sink)
    return matrix, estimated


def _report_unknown_ids(g: GivenTimes, si: np.ndarray, ai: np.ndarray, sink: Findings,
                        n_sites: int, n_areas: int) -> None:
    """An error for each given pair whose site or area is not listed (the rest of a flood counted).

    When the Sites or Areas sheet is missing altogether, one knock-on finding stands for
    every row, not a copy per row.
    """
    for col, pos, ids, what, sheet in (("site_id", si, g.site_ids, "site", "Sites"),
                                       ("area_id", ai, g.area_ids, "area", "Areas")):
        miss = np.flatnonzero(pos < 0)  # comparing 1.4 million IDs to "" is slow: only look at misses
        if not len(miss):
            continue
        named = np.asarray(ids[miss], dtype=object)
        miss = miss[(named != "") & pd.notna(named)]  # blanks are reported as blank cells
        if len(miss) and (n_sites if col == "site_id" else n_areas) == 0:
            i = miss[0]
            sink.error(g.source[i], int(g.rows[i]), col, knock_on_message(len(miss), "travel times", what, sheet),
                       f"{sheet.lower()} sheet missing")
            continue
        for i in miss[: FINDINGS_PER_RULE + 1]:  # the rest counted: a CSV of 4 million strangers
            sink.error(g.source[i], int(g.rows[i]), col, f"{what} '{excerpt(str(ids[i]))}' is not in the {sheet} sheet; "
                       f"expected a {col} listed there", f"unknown {what}")
        sink.count_more("error", g.source[0], col, f"unknown {what}", len(miss) - FINDINGS_PER_RULE - 1)


def _report_repeated_pairs(g: GivenTimes, flat: np.ndarray, idx: np.ndarray, seen_flat: np.ndarray, sink: Findings) -> None:
    """Mark ``g``'s pairs (``flat`` positions) seen, with an error for each pair given before."""
    # Repeats are found by counting the newly seen pairs, not with a bincount over every
    # site-area pair (a 340 MB int64 array for the national case); only when there are
    # repeats (an error) are the repeated keys worked out.
    already = seen_flat[flat]
    before = np.count_nonzero(seen_flat)
    seen_flat[flat] = True
    has_repeats = np.count_nonzero(seen_flat) - before < len(flat) - np.count_nonzero(already)
    if has_repeats or already.any():
        # Every row repeating a pair given earlier (in this file or before it), found with
        # one stable sort: counted, not stored per pair, so ten million repeats cost
        # a few arrays, not a Python set and a loop.
        repeat = already.copy()
        if has_repeats:
            order = np.argsort(flat, kind="stable")
            ordered = flat[order]
            repeat[order[1:][ordered[1:] == ordered[:-1]]] = True
        where = np.flatnonzero(repeat)  # in file order
        for k in where[: FINDINGS_PER_RULE + 1]:
            i = idx[k]
            sink.error(g.source[i], int(g.rows[i]), "area_id",
                       f"the travel time from {excerpt(str(g.site_ids[i]))} to {excerpt(str(g.area_ids[i]))} is given "
                       "more than once; keep one row per site-area pair",
                       "duplicate pair")
        sink.count_more("error", g.source[0], "area_id", "duplicate pair", len(where) - FINDINGS_PER_RULE - 1)


#: Given pairs compared with the straight-line estimate (a deterministic spread of them).
_UNITS_SAMPLE = 50_000
#: A median ratio of given to estimated time at which the given times are not minutes.
_NOT_MINUTES_RATIO = 10.0


def _warn_if_not_minutes(matrix: np.ndarray, flat: np.ndarray, params: Parameters, areas: pd.DataFrame,
                         sites: pd.DataFrame, sink: Findings) -> None:
    """Warn when the given times are far longer than the straight-line estimate would make
    them: most likely seconds typed as minutes (docs/workbook-format.md#what-validate-checks).

    An analyst's 21 given pairs were in seconds, every one at most 1,440, so each passed the
    range check: an area 1 km from a base was read as 300 minutes away and the baseline
    covered nobody, with no word. A real drive is seldom more than a few times the
    estimate (distance x road_circuity at the urban or rural speed); seconds are 60 times
    it. Pairs whose estimate is under a minute, or lacking coordinates, are not compared.
    ``flat`` holds positions (site x areas + area) of given times, a spread of each
    source's rows: nationally 1.2 million are given among 43 million pairs, and a scan of
    the whole matrix for them had cost 40 ms.
    """
    if flat.size == 0:
        return
    n_areas = matrix.shape[1]
    s, a = flat // n_areas, flat % n_areas
    dx = sites["easting"].to_numpy(dtype=np.float64)[s] - areas["easting"].to_numpy(dtype=np.float64)[a]
    dy = sites["northing"].to_numpy(dtype=np.float64)[s] - areas["northing"].to_numpy(dtype=np.float64)[a]
    rural = areas["is_rural"].to_numpy(dtype=bool)[a]
    speed = np.where(rural, params.speed_kmh_rural, params.speed_kmh_urban)
    estimate = np.sqrt(dx * dx + dy * dy) * params.road_circuity * 60.0 / (1000.0 * speed)
    times = matrix.reshape(-1)[flat].astype(np.float64)
    ok = np.isfinite(estimate) & (estimate >= 1.0) & np.isfinite(times)
    if np.count_nonzero(ok) < 5:
        return
    ratio = float(np.median(times[ok] / estimate[ok]))
    if ratio >= _NOT_MINUTES_RATIO:
        sink.warning("TravelTimes", None, "minutes",
                     f"the given travel times are a median {ratio:.0f} times what straight-line distance x "
                     f"road_circuity {params.road_circuity:g} at {params.speed_kmh_urban:g} / "
                     f"{params.speed_kmh_rural:g} km/h makes them (over {int(np.count_nonzero(ok)):,} pairs): "
                     "travel times must be minutes; if these are seconds, divide them by 60",
                     "travel times not minutes")


def _estimate_missing(matrix: np.ndarray, estimated: np.ndarray, params: Parameters, areas: pd.DataFrame,
                      sites: pd.DataFrame, sink: Findings) -> None:
    """Estimate every pair not given into ``matrix``, with an error for areas lacking coordinates and one warning."""
    n_sites, n_areas = matrix.shape
    # Areas lacking coordinates cannot be estimated.
    no_xy = np.isnan(areas["easting"].to_numpy(dtype=np.float64)) | np.isnan(areas["northing"].to_numpy(dtype=np.float64))
    # Counted only when some area lacks coordinates: a full pass over 43 million pairs otherwise.
    missing_per_area = estimated.sum(axis=0) if no_xy.any() else np.zeros(n_areas, dtype=np.int64)
    area_rows = areas.attrs.get("excel_rows", [])
    for a in np.flatnonzero(no_xy & (missing_per_area > 0)):
        sink.error("Areas", int(area_rows[a]) if a < len(area_rows) else None, "easting",
                   f"area '{areas['area_id'].iat[int(a)]}' has no easting/northing, and {int(missing_per_area[a])} of its travel times "
                   "are not in TravelTimes; give its coordinates (British National Grid metres) or every travel time to it",
                   "no coordinates to estimate from")
    se = sites["easting"].to_numpy(dtype=np.float64)
    sn = sites["northing"].to_numpy(dtype=np.float64)
    ae = areas["easting"].to_numpy(dtype=np.float64)
    an = areas["northing"].to_numpy(dtype=np.float64)
    speed = np.where(areas["is_rural"].to_numpy(dtype=bool), params.speed_kmh_rural, params.speed_kmh_urban)
    # minutes per straight-line metre for each area: / 1000 x circuity / speed x 60
    per_metre = params.road_circuity * 60.0 / (1000.0 * speed)
    _estimate_into(matrix, estimated, se, sn, ae, an, per_metre)
    n_est = int(np.count_nonzero(estimated))
    total = n_sites * n_areas
    sink.warning(
        "TravelTimes", None, None,
        f"{n_est:,} of {total:,} site-area travel times were not given and were estimated from straight-line "
        f"distance x road_circuity {params.road_circuity:g} at {params.speed_kmh_urban:g} km/h (urban) or "
        f"{params.speed_kmh_rural:g} km/h (rural)",
    )


#: Elements per float64 work buffer when estimating (8 MB): big enough for numpy to run at
#: full speed, small enough that a 200,000-area force needs no full-size temporaries.
_ESTIMATE_CHUNK = 1 << 20


def _estimate_into(
    matrix: np.ndarray, estimated: np.ndarray, se: np.ndarray, sn: np.ndarray,
    ae: np.ndarray, an: np.ndarray, per_metre: np.ndarray,
) -> None:
    """Write the estimated minutes into ``matrix`` wherever ``estimated`` is set.

    Whole blocks of sites are computed at once in two reused float64 buffers and copied in
    under the mask: per-site boolean indexing (``ae[todo]`` ...) cost about 1.8 s for the
    41.6 million pairs of the national case, and ``np.hypot`` several times more than
    ``sqrt(dx*dx + dy*dy)``, which is what it computes here (coordinates are metres, so
    the squares and their sum are exact and the square root is correctly rounded).
    The arithmetic is float64 and rounded to float32 once, as before.
    """
    n_sites, n_areas = matrix.shape
    if n_sites == 0 or n_areas == 0:
        return
    block = max(1, _ESTIMATE_CHUNK // n_areas)
    dx = np.empty((min(block, n_sites), n_areas), dtype=np.float64)
    dy = np.empty_like(dx)
    for lo in range(0, n_sites, block):
        hi = min(n_sites, lo + block)
        mask = estimated[lo:hi]
        if not mask.any():
            continue
        a, b = dx[: hi - lo], dy[: hi - lo]
        np.subtract(se[lo:hi, None], ae[None, :], out=a)
        np.subtract(sn[lo:hi, None], an[None, :], out=b)
        np.multiply(a, a, out=a)
        np.multiply(b, b, out=b)
        np.add(a, b, out=a)
        np.sqrt(a, out=a)
        np.multiply(a, per_metre[None, :], out=a)
        np.copyto(matrix[lo:hi], a, casting="same_kind", where=mask)


def _indexer(index: pd.Index, unique: bool, values: np.ndarray | pd.Categorical) -> np.ndarray:
    """Positions of ``values`` in ``index`` (-1 if absent), retrying unmatched IDs stripped of spaces."""
    if isinstance(values, pd.Categorical):
        # Match each distinct ID once, then spread by code; a missing value (code -1) is
        # matched as itself, as it would be in an object array.
        codes = values.codes
        cats = np.asarray(values.categories, dtype=object)
        pos_cat = _indexer(index, unique, cats) if len(cats) else np.zeros(0, dtype=np.intp)
        pos = np.full(len(codes), -1, dtype=np.intp)
        have = codes >= 0
        pos[have] = pos_cat[codes[have]]
        if not have.all():
            absent = np.flatnonzero(~have)
            pos[absent] = _indexer(index, unique, np.asarray(values[absent], dtype=object))
        return pos
    # pandas-stubs types get_indexer's target as an Index; pandas takes any array-like.
    pos = index.get_indexer(values) if unique else _first_indexer(index, values)  # type: ignore[arg-type]
    miss = np.flatnonzero(pos < 0)
    if len(miss):
        stripped = np.array([str(v).strip() if v is not None else "" for v in values[miss]], dtype=object)
        pos[miss] = index.get_indexer(stripped) if unique else _first_indexer(index, stripped)  # type: ignore[arg-type]
    return pos


def _first_indexer(index: pd.Index, values: np.ndarray) -> np.ndarray:
    """get_indexer for an index with duplicates (already reported): first position wins."""
    first = pd.Index(index).drop_duplicates(keep="first")
    pos = {v: i for i, v in reversed(list(enumerate(index)))}
    return np.array([pos.get(v, -1) if v in first else -1 for v in values], dtype=np.int64)
