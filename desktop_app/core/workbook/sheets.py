"""Read each sheet of the force workbook into a typed table, checking it as it goes.

One function per sheet. Each reads its columns through
:class:`~desktop_app.core.workbook.cell_rules.Table` (types, blanks and ranges),
then applies the sheet's own rules (unique IDs, one baseline, hours...). Rules
that need two sheets (unknown references, missing threat rows, judgements for
every option) live in :mod:`validate_refs`. Bad values are left as NaN/None
so later checks still run and every problem is reported in one pass.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from desktop_app.core.model import Parameters
from desktop_app.core.workbook import schema
from desktop_app.core.workbook.appraisal_sheets import criteria_v2_columns
from desktop_app.core.workbook.cell_rules import (
    Findings,
    Table,
    cell_text,
    describe,
    expected_text,
    parse_number_text,
)
from desktop_app.core.workbook.cells import RawSheet
from desktop_app.core.workbook.demand_sheets import read_days
from desktop_app.core.workbook.schema import Column, Kind, normalise_header


def report_duplicates(t: Table, ids: list[str | None], column: str, what: str) -> None:
    """Error on every repeat of an ID, naming the row where it first appeared."""
    present = [v for v in ids if v is not None and v != ""]
    if len(set(present)) == len(present):
        return  # no repeats (the usual case): one set instead of a row-by-row walk
    first: dict[str, int] = {}
    for i, v in enumerate(ids):
        if v is None or v == "":
            continue
        if v in first:
            t.sink.error(
                t.sheet, t.row_numbers[i], column,
                f"{column} '{v}' is already used at row {first[v]}; each {what} needs a unique {column}",
                "duplicate ID",
            )
        else:
            first[v] = t.row_numbers[i]


def _text_or(values: list[str | None], fallback: list[str | None]) -> list[str]:
    return [v if v else (f or "") for v, f in zip(values, fallback, strict=True)]


def _text_column(values: list[str | None]) -> pd.Series:
    """A text column as every reader builds it: blank cells become "" (object dtype, not NaN)."""
    return pd.Series([v or "" for v in values], dtype=object)


def _with_excel_rows(df: pd.DataFrame, t: Table) -> pd.DataFrame:
    """``df`` with the Excel row of each of its rows, so later checks can name the row."""
    df.attrs["excel_rows"] = np.asarray(t.row_numbers, dtype=np.int64)  # attrs are deep-copied: keep it an array
    return df


def _int_column(arr: np.ndarray) -> np.ndarray:
    """Whole-number float column to int64 (NaN -> 0; only used once errors are ruled out)."""
    return np.nan_to_num(arr, nan=0.0).round().astype(np.int64)


# -- Parameters ---------------------------------------------------------------------


def _param_value(p: schema.Parameter, raw: object, bad: str | None) -> tuple[object, str | None, bool]:
    """Convert one parameter cell: (value, problem, stored-as-text)."""
    col = Column(p.name, p.kind, True, p.description, codes=p.codes, minimum=p.minimum,
                 maximum=p.maximum, exclusive_minimum=p.exclusive_minimum)
    if bad:
        return None, f"holds {bad}; expected {expected_text(col)}", False
    if p.kind in (Kind.TEXT,):
        return cell_text(raw), None, False
    if p.kind is Kind.CODE:
        text = cell_text(raw)
        hit = {c.lower(): c for c in p.codes}.get(text.lower())
        if hit is None:
            return None, f"'{text}' is not a recognised value for {p.name}; expected {expected_text(col)}", False
        return hit, None, False
    # numbers
    as_text = False
    if isinstance(raw, bool):
        return None, f"holds {describe(raw)}, a TRUE/FALSE value; expected {expected_text(col)}", False
    if isinstance(raw, float | int):
        value = float(raw)
    elif isinstance(raw, str):
        parsed = parse_number_text(raw)
        if parsed is None:
            return None, f"holds {describe(raw)}, which is not a number; expected {expected_text(col)}", False
        value, as_text = parsed, True
    else:
        return None, f"holds {describe(raw)}; expected {expected_text(col)}", False
    low_bad = p.minimum is not None and (value <= p.minimum if p.exclusive_minimum else value < p.minimum)
    high_bad = p.maximum is not None and value > p.maximum
    if low_bad or high_bad or not math.isfinite(value):
        return None, f"{value:g} is out of range; expected {expected_text(col)}", as_text
    if p.kind is Kind.INTEGER:
        if abs(value - round(value)) > 1e-9:
            return None, f"{value:g} is not a whole number; expected {expected_text(col)}", as_text
        return int(round(value)), None, as_text
    return value, None, as_text


def read_parameters(raw: RawSheet | None, sink: Findings) -> tuple[Parameters | None, dict[str, int]]:
    """The Parameters sheet with defaults applied; also each parameter's Excel row."""
    spec = schema.SHEETS_BY_NAME["Parameters"]
    t = Table(raw, spec, sink)
    t.report_missing()
    rows: dict[str, int] = {}
    values: dict[str, object] = {}
    extra: dict[str, str] = {}
    if not t.has("parameter") or not t.has("value"):
        return None, rows
    ppos, vpos = t.index["parameter"], t.index["value"]
    for i, row in enumerate(t.raw.rows):
        r = t.row_numbers[i]
        name = cell_text(row[ppos])
        if not name:
            if cell_text(row[vpos]):
                sink.error(t.sheet, r, "parameter", "has a value but no parameter name; expected a parameter name such as target_minutes")
            continue
        key = normalise_header(name).replace(" ", "_")
        if key in rows:
            sink.error(t.sheet, r, "parameter", f"'{name}' is set twice (first at row {rows[key]}); keep one row per parameter")
            continue
        rows[key] = r
        p = schema.PARAMETERS_BY_NAME.get(key)
        raw_value = row[vpos]
        if p is None:
            sink.warning(t.sheet, r, "parameter", f"'{name}' is not a parameter the tool uses; it is kept but has no effect")
            extra[name] = cell_text(raw_value)
            continue
        if cell_text(raw_value) == "" and not t.raw.bad_cells.get((r, vpos)):
            if p.default is schema.REQUIRED:
                sink.error(t.sheet, r, "value", f"{p.name} is blank; it is required ({p.description.rstrip('.')})")
            continue
        value, problem, as_text = _param_value(p, raw_value, t.raw.bad_cells.get((r, vpos)))
        if problem:
            sink.error(t.sheet, r, "value", f"{p.name}: {problem}")
            continue
        if as_text:
            sink.warning(t.sheet, r, "value", f"{p.name}: the number '{str(raw_value).strip()}' is stored as text; read as {value:g}")
        values[p.name] = value
    for p in schema.PARAMETERS:
        if p.default is schema.REQUIRED and p.name not in values and p.name not in rows:
            sink.error(t.sheet, None, "parameter", f"the required parameter {p.name} is missing; add a row '{p.name}' ({p.description.rstrip('.')})")
    if any(p.name not in values for p in schema.PARAMETERS if p.default is schema.REQUIRED):
        return None, rows
    kwargs = dict(values)
    for blank_is_none in ("travel_times_file", "equality_columns", "price_base_year", "boundaries_file"):
        if kwargs.get(blank_is_none) == "":
            kwargs[blank_is_none] = None
    defaulted = tuple(p.name for p in schema.PARAMETERS if p.name not in values and p.default is not schema.REQUIRED)
    return schema.parameters(**kwargs, extra=extra, defaulted=defaulted), rows


# -- Areas, Threat, ThreatIndicators, Sites -----------------------------------------


def read_areas(raw: RawSheet | None, sink: Findings) -> pd.DataFrame:
    spec = schema.SHEETS_BY_NAME["Areas"]
    t = Table(raw, spec, sink)
    t.report_missing([c.name for c in spec.columns if c.required])
    ids = t.text("area_id")
    report_duplicates(t, ids, "area_id", "area")
    names = t.text("area_name", required_cells=False)
    district = t.text("district", required_cells=False)
    pop = t.number("population")
    if t.n and t.has("population") and not np.isnan(pop).any() and not (pop > 0).any():
        sink.error(t.sheet, None, "population", "every area's population is 0, so population coverage cannot be computed; enter resident populations")
    rurality = t.code("rurality", keep_entered=True)
    east = t.number("easting", required_cells=False)
    north = t.number("northing", required_cells=False)
    for i in np.flatnonzero(np.isnan(east) != np.isnan(north)):
        if t.has("easting") and t.has("northing"):
            sink.warning(t.sheet, t.row_numbers[i], "easting", "has only one of easting and northing; both are needed to estimate travel times, so neither is used", "half a coordinate")
    both = ~(np.isnan(east) | np.isnan(north))
    rural = {v: bool(schema.is_rural_code(v)) for v in set(rurality) if v}  # a handful of codes, 35,000 areas
    east = np.where(both, east, np.nan)
    north = np.where(both, north, np.nan)
    df = pd.DataFrame(
        {
            "area_id": _text_column(ids),
            "area_name": pd.Series(_text_or(names, ids), dtype=object),
            "district": _text_column(district),
            "population": _int_column(pop),
            "rurality": _text_column(rurality),
            "is_rural": np.array([rural[v] if v else False for v in rurality], dtype=bool),
            "easting": east,
            "northing": north,
        }
    )
    for header, pos in t.extra_columns():
        df[header] = t.values(pos)  # type: ignore[assignment]  # pandas-stubs refuses list[object]; pandas takes any list
    return _with_excel_rows(df, t)


def read_indicators(raw: RawSheet | None, sink: Findings) -> pd.DataFrame:
    spec = schema.SHEETS_BY_NAME["ThreatIndicators"]
    t = Table(raw, spec, sink)
    t.report_missing(["indicator", "weight"])
    ids = t.text("indicator")
    report_duplicates(t, [normalise_header(v) if v else v for v in ids], "indicator", "indicator")
    weight = t.number("weight")
    desc = t.text("description", required_cells=False)
    if t.n and t.has("weight") and np.all(np.nan_to_num(weight) == 0) and not np.any(np.isnan(weight)):
        sink.error(t.sheet, None, "weight", "every indicator weight is 0, so the threat index would be 0 everywhere; give at least one indicator a weight above 0")
    df = pd.DataFrame(
        {
            "indicator": _text_column(ids),
            "weight": weight,
            "description": _text_column(desc),
        }
    )
    return _with_excel_rows(df, t)


def read_threat(raw: RawSheet | None, indicators: pd.DataFrame, sink: Findings) -> tuple[list[str | None], dict[str, np.ndarray], Table]:
    """Threat rows: area IDs and one checked column per indicator (as listed)."""
    spec = schema.SHEETS_BY_NAME["Threat"]
    t = Table(raw, spec, sink)
    t.report_missing()
    ids = t.text("area_id")
    report_duplicates(t, ids, "area_id", "threat row")
    cols: dict[str, np.ndarray] = {}
    known = {normalise_header(c) for c in indicators["indicator"] if c}
    rows = indicators.attrs.get("excel_rows", [])
    for k, name in enumerate(indicators["indicator"]):
        if not name or name in cols:
            continue
        if normalise_header(name) not in t.positions:
            if not t.raw.is_empty:
                sink.error(
                    "ThreatIndicators", int(rows[k]) if k < len(rows) else None, "indicator",
                    f"indicator '{name}' has no column in the Threat sheet; add a column headed '{name}' "
                    "with a number (>= 0) for every area, or remove the indicator",
                )
            cols[name] = np.full(t.n, np.nan)
            continue
        col = Column(name, Kind.NUMBER, True, f"threat indicator {name}", minimum=0)
        cols[name] = t.number(name, col=col)
    for header, _pos in t.extra_columns():
        if normalise_header(header) not in known:
            sink.warning(t.sheet, t.raw.header_row or None, header, f"column '{header}' is not listed in ThreatIndicators, so it does not count towards the threat index")
    return ids, cols, t


def read_sites(raw: RawSheet | None, sink: Findings) -> pd.DataFrame:
    spec = schema.SHEETS_BY_NAME["Sites"]
    t = Table(raw, spec, sink)
    t.report_missing(["site_id", "site_type", "easting", "northing"])
    ids = t.text("site_id")
    report_duplicates(t, ids, "site_id", "site")
    names = t.text("site_name", required_cells=False)
    types = t.code("site_type")
    east = t.number("easting")
    north = t.number("northing")
    df = pd.DataFrame(
        {
            "site_id": _text_column(ids),
            "site_name": pd.Series(_text_or(names, ids), dtype=object),
            "site_type": _text_column(types),
            "easting": east,
            "northing": north,
        }
    )
    return _with_excel_rows(df, t)


# -- Options, Deployments -----------------------------------------------------------


def read_options(raw: RawSheet | None, sink: Findings) -> pd.DataFrame:
    spec = schema.SHEETS_BY_NAME["Options"]
    t = Table(raw, spec, sink)
    t.report_missing(["option_id", "baseline", "one_off_cost_gbp", "annual_cost_gbp", "implementation_months"])
    ids = t.text("option_id")
    report_duplicates(t, ids, "option_id", "option")
    names = t.text("option_name", required_cells=False)
    desc = t.text("description", required_cells=False)
    base = t.boolean("baseline")
    df = pd.DataFrame(
        {
            "option_id": _text_column(ids),
            "option_name": pd.Series(_text_or(names, ids), dtype=object),
            "description": _text_column(desc),
            "baseline": np.array([bool(b) for b in base], dtype=bool),
            "one_off_cost_gbp": t.number("one_off_cost_gbp"),
            "annual_cost_gbp": t.number("annual_cost_gbp"),
            "implementation_months": t.number("implementation_months"),
            "optimism_bias": np.nan_to_num(t.number("optimism_bias", required_cells=False), nan=0.0),
        }
    )
    n_base = int(df["baseline"].sum())
    if t.n and t.has("baseline") and n_base != 1:
        if n_base == 0:
            msg = "no option is marked as the baseline; set baseline to TRUE for exactly one option (the do-minimum)"
        else:
            marked = ", ".join(df.loc[df["baseline"], "option_id"].astype(str))
            msg = f"{n_base} options are marked as the baseline ({marked}); set baseline to TRUE for exactly one option (the do-minimum)"
        sink.error(t.sheet, None, "baseline", msg)
    return _with_excel_rows(df, t)


def read_deployments(raw: RawSheet | None, params: Parameters | None, sink: Findings) -> pd.DataFrame:
    spec = schema.SHEETS_BY_NAME["Deployments"]
    t = Table(raw, spec, sink)
    t.report_missing()
    opt = t.text("option_id")
    site = t.text("site_id")
    asset = t.code("asset_type")
    posts = t.number("posts")
    crew = t.number("crew_size")
    start = t.number("start_hour")
    end = t.number("end_hour")
    busy = t.number("busy_fraction", required_cells=False)
    mob = t.number("mobilisation_minutes", required_cells=False)
    days = read_days(t)
    same = np.isfinite(start) & (start == end)
    for i in np.flatnonzero(same).tolist():
        sink.error(
            t.sheet, t.row_numbers[i], "end_hour",
            f"start_hour and end_hour are both {start[i]:g}, so the deployment is never on duty; "
            "use 0 and 24 for all day, or different hours", "start equals end",
        )
    # Which rows took the asset type's default, so a scenario that changes the default
    # changes them too (docs/appraisal-method.md#scenarios).
    busy_default = np.isnan(busy) & ~np.array([_was_bad(t, "busy_fraction", i) for i in range(t.n)], dtype=bool)
    mob_default = np.isnan(mob) & ~np.array([_was_bad(t, "mobilisation_minutes", i) for i in range(t.n)], dtype=bool)
    # 24 to 0 wraps past a midnight that begins no hour: never on duty (h >= 24 or h < 0).
    for i in np.flatnonzero((start == 24) & (end == 0)).tolist():
        sink.error(
            t.sheet, t.row_numbers[i], "end_hour",
            "start_hour 24 and end_hour 0 is never on duty; use 0 and 24 for all day",
            "start 24, end 0",
        )
    if params is not None:
        for i, a in enumerate(asset):
            if a is None:
                continue
            if busy_default[i]:
                busy[i] = params.busy_fraction(a)
            if mob_default[i]:
                mob[i] = params.mobilisation_minutes(a)
    df = pd.DataFrame(
        {
            "option_id": _text_column(opt),
            "site_id": _text_column(site),
            "asset_type": _text_column(asset),
            "posts": _int_column(posts),
            "crew_size": _int_column(crew),
            "start_hour": _int_column(start),
            "end_hour": _int_column(end),
            "days": days,
            "busy_fraction": busy,
            "mobilisation_minutes": mob,
            "site_index": np.full(t.n, -1, dtype=np.int64),
            "excel_row": np.array(t.row_numbers, dtype=np.int64),
            "busy_fraction_default": busy_default,
            "mobilisation_default": mob_default,
        }
    )
    return df


def _was_bad(t: Table, name: str, i: int) -> bool:
    """True when the cell held something (so a NaN read from it means wrong, not blank)."""
    pos = t.index.get(name)
    return pos is not None and (cell_text(t.raw.rows[i][pos]) != "" or (t.row_numbers[i], pos) in t.raw.bad_cells)


# -- Criteria, Judgements, WeightSets -----------------------------------------------


def read_criteria(raw: RawSheet | None, sink: Findings) -> pd.DataFrame:
    spec = schema.SHEETS_BY_NAME["Criteria"]
    t = Table(raw, spec, sink)
    t.report_missing(["criterion_id", "measure", "direction", "weight"])
    ids = t.text("criterion_id")
    report_duplicates(t, ids, "criterion_id", "criterion")
    names = t.text("criterion_name", required_cells=False)
    measure = t.code("measure")
    for i, m in enumerate(measure):
        if m in schema.LEGACY_MEASURES:
            new = schema.LEGACY_MEASURES[m]
            sink.warning(t.sheet, t.row_numbers[i], "measure",
                         f"criterion '{ids[i] or ''}' uses {m}, version 1's name for the cover allowing for busy units; "
                         f"it is read as {new} (rename the measure to {new})", "legacy measure")
            measure[i] = new
    direction = t.code("direction")
    weight = t.number("weight")
    worst = t.number("worst", required_cells=False)
    best = t.number("best", required_cells=False)
    group = t.text("group", required_cells=False)
    for i in range(t.n):
        w, b = worst[i], best[i]
        if np.isnan(w) != np.isnan(b) and not (_was_bad(t, "best" if np.isnan(b) else "worst", i)):
            sink.error(t.sheet, t.row_numbers[i], "best" if np.isnan(b) else "worst",
                       "only one of worst and best is given; give both for a fixed scale, or leave both blank for a local scale", "half a scale")
        elif not np.isnan(w) and w == b:
            sink.error(t.sheet, t.row_numbers[i], "best", f"worst and best are both {w:g}; they must differ to make a scale", "empty scale")
        elif not np.isnan(w) and direction[i] in schema.DIRECTIONS and measure[i] != schema.JUDGEMENT:
            if (direction[i] == "higher") != (b > w):
                sink.warning(t.sheet, t.row_numbers[i], "best",
                             f"direction is '{direction[i]}' but best ({b:g}) is {'below' if b < w else 'above'} worst ({w:g}); "
                             "the scale follows worst and best, so check the direction", "direction disagrees with scale")
    if t.n and t.has("weight") and not np.any(np.isnan(weight)) and np.all(weight == 0):
        sink.error(t.sheet, None, "weight", "every criterion weight is 0; give at least one criterion a weight above 0")
    df = pd.DataFrame(
        {
            "criterion_id": _text_column(ids),
            "criterion_name": pd.Series(_text_or(names, ids), dtype=object),
            "measure": _text_column(measure),
            "direction": _text_column(direction),
            "weight": weight,
            "worst": worst,
            "best": best,
            "group": _text_column(group),
            **criteria_v2_columns(t),
        }
    )
    return _with_excel_rows(df, t)


def read_judgements(raw: RawSheet | None, sink: Findings) -> pd.DataFrame:
    spec = schema.SHEETS_BY_NAME["Judgements"]
    t = Table(raw, spec, sink)
    if raw is not None and not raw.is_empty:
        t.report_missing(["option_id", "criterion_id", "score"])
    opt = t.text("option_id")
    crit = t.text("criterion_id")
    score = t.number("score")
    low = t.number("low", required_cells=False)
    high = t.number("high", required_cells=False)
    rationale = t.text("rationale", required_cells=False)
    for i in range(t.n):
        r = t.row_numbers[i]
        s, lo, hi = score[i], low[i], high[i]
        if not np.isnan(s):
            if not np.isnan(lo) and lo > s:
                sink.error(t.sheet, r, "low", f"low ({lo:g}) is above the score ({s:g}); expected low <= score <= high", "score outside its range")
            if not np.isnan(hi) and hi < s:
                sink.error(t.sheet, r, "high", f"high ({hi:g}) is below the score ({s:g}); expected low <= score <= high", "score outside its range")
        if np.isnan(lo) != np.isnan(hi) and not _was_bad(t, "low" if np.isnan(lo) else "high", i):
            sink.warning(t.sheet, r, "low" if np.isnan(lo) else "high",
                         "only one of low and high is given; the score itself is used for the missing end", "half a range")
            if np.isnan(lo):
                low[i] = s
            else:
                high[i] = s
        if t.has("rationale") and not rationale[i]:
            sink.warning(t.sheet, r, "rationale", "no rationale is recorded; write down why the workshop gave this score", "no rationale")
    df = pd.DataFrame(
        {
            "option_id": _text_column(opt),
            "criterion_id": _text_column(crit),
            "score": score,
            "low": low,
            "high": high,
            "rationale": _text_column(rationale),
        }
    )
    return _with_excel_rows(df, t)


def read_weight_sets(raw: RawSheet | None, sink: Findings) -> pd.DataFrame:
    spec = schema.SHEETS_BY_NAME["WeightSets"]
    t = Table(raw, spec, sink)
    if raw is not None and not raw.is_empty:
        t.report_missing()
    name = t.text("weight_set")
    crit = t.text("criterion_id")
    weight = t.number("weight")
    seen: dict[tuple[str | None, str | None], int] = {}
    for i in range(t.n):
        if name[i] and crit[i]:
            key = (name[i], crit[i])
            if key in seen:
                sink.error(t.sheet, t.row_numbers[i], "criterion_id",
                           f"weight set '{name[i]}' gives criterion '{crit[i]}' a weight twice (first at row {seen[key]}); keep one", "duplicate weight")
            else:
                seen[key] = t.row_numbers[i]
    df = pd.DataFrame(
        {
            "weight_set": _text_column(name),
            "criterion_id": _text_column(crit),
            "weight": weight,
        }
    )
    for set_name in dict.fromkeys(v for v in name if v):
        w = weight[np.array([v == set_name for v in name])]
        if not np.any(np.isnan(w)) and np.all(w == 0):
            sink.error(t.sheet, None, "weight", f"every weight in the weight set '{set_name}' is 0; give at least one criterion a weight above 0")
    return _with_excel_rows(df, t)


def report_empty(raws: dict[str, RawSheet], sink: Findings) -> None:
    """Sheets present but with no header or no data rows."""
    for spec in schema.SHEETS:
        raw = raws.get(spec.name)
        if raw is None:
            continue
        expected = ", ".join(c.name for c in spec.columns if c.required)
        if raw.is_empty:
            level = "error" if spec.required else "warning"
            sink.add(level, spec.name, None, None, f"the sheet is empty; expected a header row ({expected}) and one row per {spec.one_row_per}")  # type: ignore[arg-type]
        elif not raw.rows:
            level = "error" if spec.required else "warning"
            sink.add(level, spec.name, None, None, f"the sheet has headings but no data rows; expected one row per {spec.one_row_per}")  # type: ignore[arg-type]


def report_over_caps(raws: dict[str, RawSheet], sink: Findings) -> None:
    """A sheet with more rows than its cap in :data:`schema.CAPS` is one error (docs/reliability.md#limits)."""
    for name, raw in raws.items():
        cap = schema.CAPS.get(name)
        if cap is not None and len(raw.rows) > cap.value:
            sink.error(name, None, None,
                       f"the sheet holds {len(raw.rows):,} {cap.what}, more than the limit of {cap.value:,}, "
                       f"because {cap.why}")
