"""Read each sheet of the force workbook into a typed table, checking it as it goes.

One function per sheet: here the Parameters sheet and the force's places (Areas,
Threat, ThreatIndicators, Sites) and the checks of every sheet (empty, over its cap);
:mod:`option_sheets`, :mod:`criteria_sheets`, :mod:`appraisal_sheets` and
:mod:`demand_sheets` read the rest, sharing the steps in :mod:`keyed_sheets`. Each
reads its columns through :class:`~desktop_app.core.workbook.cell_rules.Table` (types,
blanks and ranges), then applies the sheet's own rules (unique IDs, one baseline,
hours...). Rules that need two sheets (unknown references, missing threat rows,
judgements for every option) live in :mod:`cross_checks`. Bad values are left as
NaN/None so later checks still run and every problem is reported in one pass.
"""

from __future__ import annotations

import datetime as _dt
import math
import re

import numpy as np
import pandas as pd

from desktop_app.core.model import Parameters
from desktop_app.core.workbook import schema
from desktop_app.core.workbook.cell_rules import Table
from desktop_app.core.workbook.cell_values import cell_text, parse_number_text
from desktop_app.core.workbook.cells import RawSheet
from desktop_app.core.workbook.findings import Findings, describe, expected_text
from desktop_app.core.workbook.keyed_sheets import (
    int_column,
    key_column,
    name_column,
    open_sheet,
    report_duplicates,
    sheet_frame,
    text_column,
    with_excel_rows,
)
from desktop_app.core.workbook.schema import Column, Kind, normalise_header, parameter_key

# -- Parameters ---------------------------------------------------------------------


#: A price base (docs/workbook-format.md#parameters-the-settings): a year, or a financial year whose
#: second year is the next one ("2025-26", "2025/26", "2025-2026"; an en-dash is a hyphen).
#: A year or financial year, optionally written "FY2025/26" or "2025-26 prices" as finance teams do.
_PRICE_BASE = re.compile(r"(?:FY\s*)?(\d{4})(?:\s*[-/\u2013]\s*(\d{2}|\d{4}))?(?:\s+prices)?", re.IGNORECASE)
_PRICES_WORD = re.compile(r"\s+prices$", re.IGNORECASE)
PRICE_BASE_YEARS = (1990, 2100)
PRICE_BASE_EXPECTED = (f"a year from {PRICE_BASE_YEARS[0]} to {PRICE_BASE_YEARS[1]} (2025) or a financial year "
                       "(2025-26)")


def price_base_problem(raw: object) -> str | None:
    """Why ``price_base_year`` is not a price base, or None. A date (2025-04-01 typed, which
    Excel stores as a day) had passed as text and printed "Costs in 2025-04-01 prices"."""
    if isinstance(raw, _dt.date):  # a datetime too
        day = raw.date() if isinstance(raw, _dt.datetime) else raw
        return f"holds the date {day.isoformat()}, not a year (Excel stores a date as a day); expected {PRICE_BASE_EXPECTED}"
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        return f"holds {describe(raw)}, which is not a year; expected {PRICE_BASE_EXPECTED}"
    text = cell_text(raw)
    m = _PRICE_BASE.fullmatch(text)
    if m is None:
        return f"holds {describe(raw)}, which is not a year; expected {PRICE_BASE_EXPECTED}"
    first = int(m.group(1))
    if not PRICE_BASE_YEARS[0] <= first <= PRICE_BASE_YEARS[1]:
        return f"{first} is out of range; expected {PRICE_BASE_EXPECTED}"
    second = m.group(2)
    if second is not None and int(second) != (first + 1 if len(second) == 4 else (first + 1) % 100):
        return f"'{text}' is not a financial year (its second year is not the year after {first}); expected {PRICE_BASE_EXPECTED}"
    return None


def _param_value(p: schema.Parameter, raw: object, bad: str | None) -> tuple[object, str | None, bool]:
    """Convert one parameter cell: (value, problem, stored-as-text)."""
    col = Column(p.name, p.kind, True, p.description, codes=p.codes, minimum=p.minimum,
                 maximum=p.maximum, exclusive_minimum=p.exclusive_minimum)
    if bad:
        return None, f"holds {bad}; expected {expected_text(col)}", False
    if p.name == "price_base_year":
        problem = price_base_problem(raw)
        # "2025-26 prices" is kept as "2025-26": the outputs say "Costs in 2025-26 prices"
        return (None, problem, False) if problem else (_PRICES_WORD.sub("", cell_text(raw).strip()), None, False)
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
    t = open_sheet(raw, "Parameters", sink)
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
        key = parameter_key(name)
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
    t = open_sheet(raw, "Areas", sink)
    ids = key_column(t, "area_id", "area")
    names = name_column(t, "area_name", ids)
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
            "area_id": text_column(ids),
            "area_name": names,
            "district": text_column(district),
            "population": int_column(pop),
            "rurality": text_column(rurality),
            "is_rural": np.array([rural[v] if v else False for v in rurality], dtype=bool),
            "easting": east,
            "northing": north,
        }
    )
    for header, pos in t.extra_columns():
        df[header] = t.values(pos)  # type: ignore[assignment]  # pandas-stubs refuses list[object]; pandas takes any list
    return with_excel_rows(df, t)


def read_indicators(raw: RawSheet | None, sink: Findings) -> pd.DataFrame:
    t = open_sheet(raw, "ThreatIndicators", sink, ["indicator", "weight"])
    ids = t.text("indicator")
    report_duplicates(t, [normalise_header(v) if v else v for v in ids], "indicator", "indicator")
    weight = t.number("weight")
    desc = t.text("description", required_cells=False)
    if t.n and t.has("weight") and np.all(np.nan_to_num(weight) == 0) and not np.any(np.isnan(weight)):
        sink.error(t.sheet, None, "weight", "every indicator weight is 0, so the threat index would be 0 everywhere; give at least one indicator a weight above 0")
    return sheet_frame(
        t,
        {
            "indicator": text_column(ids),
            "weight": weight,
            "description": text_column(desc),
        },
    )


def read_threat(raw: RawSheet | None, indicators: pd.DataFrame, sink: Findings) -> tuple[list[str | None], dict[str, np.ndarray], Table]:
    """Threat rows: area IDs and one checked column per indicator (as listed)."""
    t = open_sheet(raw, "Threat", sink)
    ids = key_column(t, "area_id", "threat row")
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
    t = open_sheet(raw, "Sites", sink, ["site_id", "site_type", "easting", "northing"])
    ids = key_column(t, "site_id", "site")
    names = name_column(t, "site_name", ids)
    types = t.code("site_type")
    east = t.number("easting")
    north = t.number("northing")
    return sheet_frame(
        t,
        {
            "site_id": text_column(ids),
            "site_name": names,
            "site_type": text_column(types),
            "easting": east,
            "northing": north,
        },
    )


def empty_sheet_message(spec: schema.Sheet, raw: RawSheet) -> str | None:
    """What is said of a sheet with no header or no data rows (None when it has rows)."""
    if raw.is_empty:
        expected = ", ".join(c.name for c in spec.columns if c.required)
        return f"the sheet is empty; expected a header row ({expected}) and one row per {spec.one_row_per}"
    if not raw.rows:
        return f"the sheet has headings but no data rows; expected one row per {spec.one_row_per}"
    return None


def report_empty(raws: dict[str, RawSheet], sink: Findings, params: Parameters | None = None,
                 later: frozenset[str] = frozenset()) -> None:
    """Sheets present but with no header or no data rows; ``later`` names sheets said elsewhere
    (Incidents: :func:`demand_sheets.check_incident_criteria`, with the criteria it leaves out).

    TravelTimes left with headings only (or empty) while ``travel_times_file`` names a CSV
    is the set-up for a matrix too large for a sheet (docs/workbook-format.md#travel-times-and-how-missing-ones-are-estimated):
    the CSV holds the times, so there is nothing to warn of.
    """
    by_file = {"TravelTimes"} if params is not None and params.travel_times_file else set()
    for spec in schema.SHEETS:
        raw = raws.get(spec.name)
        if raw is None or spec.name in later or (spec.name in by_file and not raw.rows):
            continue
        message = empty_sheet_message(spec, raw)
        if message is not None:
            sink.add("error" if spec.required else "warning", spec.name, None, None, message)


def report_over_caps(raws: dict[str, RawSheet], sink: Findings) -> None:
    """A sheet with more rows than its cap in :data:`schema.CAPS` is one error (docs/reliability.md#limits)."""
    for name, raw in raws.items():
        cap = schema.CAPS.get(name)
        if cap is not None and len(raw.rows) > cap.value:
            sink.error(name, None, None,
                       f"the sheet holds {len(raw.rows):,} {cap.what}, more than the limit of {cap.value:,}, "
                       f"because {cap.why}")
