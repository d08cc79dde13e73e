"""Typed, validated inputs: what the reader returns and every engine consumes.

The reader turns raw cells into these objects once; nothing downstream ever
sees a raw cell. Tables are pandas DataFrames with fixed column names and
dtypes (documented per field) and a plain 0..n-1 index in workbook order, so
positions line up with the numpy arrays the coverage engine builds.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from desktop_app.core.area_shapes import AreaShapes

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One validation finding: what is wrong, where, and what is expected.

    ``row`` is the Excel row number (the header is row 1, so the first data
    row is 2); ``None`` when the finding is about a whole sheet or column.
    """

    level: Level
    sheet: str
    row: int | None
    column: str | None
    message: str

    def one_line(self) -> str:
        """``error  Areas  row 12  population: ...`` as printed by ``validate``."""
        where = self.sheet or "-"
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f" column {self.column}"
        return f"{self.level}: {where}: {' '.join(self.message.split())}"

    def to_json(self) -> dict[str, object]:
        return {
            "level": self.level,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Errors first, then by sheet order of appearance, then row."""
    return sorted(findings, key=lambda f: (f.level != "error", f.row is not None, f.row or 0))


INCIDENT_COLUMNS = ("incident_id", "area_id", "grade", "weekday", "hour", "first_armed_minutes", "area_index", "excel_row")


def empty_incidents() -> pd.DataFrame:
    """The Incidents table of a workbook without the sheet: no rows, the documented columns."""
    return pd.DataFrame({
        "incident_id": pd.Series([], dtype=object), "area_id": pd.Series([], dtype=object),
        "grade": pd.Series([], dtype=object), "weekday": np.zeros(0, np.int64), "hour": np.zeros(0, np.int64),
        "first_armed_minutes": np.zeros(0, np.float64), "area_index": np.zeros(0, np.int64),
        "excel_row": np.zeros(0, np.int64),
    })


def empty_demand_profile() -> pd.DataFrame:
    return pd.DataFrame({"weekday": np.zeros(0, np.int64), "hour": np.zeros(0, np.int64), "weight": np.zeros(0, np.float64)})


@dataclass(frozen=True)
class Parameters:
    """The Parameters sheet with defaults applied (docs/workbook-format.md#parameters-the-settings).

    Fields are in the schema's order and have no defaults here: the defaults live in one
    place, ``core/workbook/schema.py``; build one with
    :func:`desktop_app.core.workbook.schema.parameters`.
    """

    force_name: str
    protective_marking: str
    target_minutes: float
    threat_level: str
    busy_fraction_arv: float
    busy_fraction_aro: float
    mobilisation_minutes_arv: float
    mobilisation_minutes_aro: float
    fte_per_247_post: float
    appraisal_years: int
    discount_rate: float
    road_circuity: float
    speed_kmh_urban: float
    speed_kmh_rural: float
    travel_times_file: str | None
    authorisation_minutes: float
    backup_target_minutes: float
    hour_weighting: str
    incident_years: float
    #: The simulation's armed incidents a year (None: the Incidents rows over incident_years).
    armed_incidents_per_year: float | None
    #: Hours a unit is committed to an armed incident, and the mean spell of other work (simulate).
    incident_service_hours: float
    busy_spell_minutes: float
    #: Marking of the version for publication (``appraise --public``).
    public_marking: str
    #: What the panel is asked, in one sentence, for page 1 of the summary (None: a default).
    decision_question: str | None
    #: Areas columns to break population coverage down by (docs/appraisal-method.md#equality).
    equality_columns: str | None
    #: The price base of the costs, recorded in the outputs (Green Book).
    price_base_year: str | None
    #: Boundaries of the areas for the maps (docs/maps.md); None draws points.
    boundaries_file: str | None
    #: The field of ``boundaries_file`` holding each area's area_id.
    boundaries_id_field: str
    #: Parameters the schema does not define, kept as text (docs/workbook-format.md#parameters).
    extra: dict[str, str] = field(default_factory=dict)
    #: Names of parameters that took their default because the sheet left them out.
    defaulted: tuple[str, ...] = ()

    def busy_fraction(self, asset_type: str) -> float:
        return self.busy_fraction_aro if asset_type == "ARMED_RESPONSE_OFFICER" else self.busy_fraction_arv

    def mobilisation_minutes(self, asset_type: str) -> float:
        return (
            self.mobilisation_minutes_aro
            if asset_type == "ARMED_RESPONSE_OFFICER"
            else self.mobilisation_minutes_arv
        )

    def as_rows(self) -> list[tuple[str, object]]:
        """Every parameter used, in schema order, for the Assumptions sheet (docs/summary-workbook.md#sheets-in-order)."""
        names = [f.name for f in fields(self) if f.name not in ("extra", "defaulted")]
        rows: list[tuple[str, object]] = [(n, getattr(self, n)) for n in names]
        rows += sorted(self.extra.items())
        return rows

    def equality_column_names(self) -> list[str]:
        """The Areas columns named by ``equality_columns``, in the order given."""
        if not self.equality_columns:
            return []
        return list(dict.fromkeys(c.strip() for c in self.equality_columns.split(",") if c.strip()))


@dataclass
class ForceInputs:
    """A validated force workbook.

    Tables and their columns (dtype):

    - ``areas``: area_id (str), area_name (str), district (str), population (int64),
      rurality (str, as entered), is_rural (bool), easting, northing (float64, NaN if absent),
      plus any extra columns, kept as they were.
    - ``threat``: one float64 column per indicator, aligned row-for-row with ``areas``
      (index 0..A-1), indicators in ThreatIndicators order.
    - ``indicators``: indicator (str), weight (float64), description (str).
    - ``sites``: site_id, site_name, site_type (str), easting, northing (float64).
    - ``options``: option_id, option_name, description (str), baseline (bool),
      one_off_cost_gbp, annual_cost_gbp, implementation_months, optimism_bias (float64; 0 when blank).
    - ``deployments``: option_id, site_id, asset_type (str), posts, crew_size,
      start_hour, end_hour (int64), days (str, "" when blank = every day), busy_fraction, mobilisation_minutes (float64, defaults
      applied), site_index (int64: row of ``sites``), excel_row (int64).
    - ``criteria``: criterion_id, criterion_name, measure, direction (str), weight (float64),
      worst, best (float64, NaN when blank), group (str, "" when blank), kind (str, "benefit"
      when blank), value_points (object: tuple of (x, v) float pairs, or None), notes (str).
    - ``criteria_groups``: group, description (str), weight (float64); empty without the sheet.
    - ``scenarios``: scenario, parameter (str), value (object: the override, already converted).
    - ``uncertainty``: parameter (str), low, high (float64).
    - ``judgements``: option_id, criterion_id (str), score, low, high (float64; low/high NaN
      when blank), rationale (str).
    - ``weight_sets``: weight_set, criterion_id (str), weight (float64).

    ``travel_minutes`` is a dense (sites x areas) float32 matrix of drive minutes, every
    pair filled (given or estimated); ``estimated`` marks the estimated pairs.
    """

    source: Path
    sha256: str
    parameters: Parameters
    areas: pd.DataFrame
    threat: pd.DataFrame
    indicators: pd.DataFrame
    sites: pd.DataFrame
    options: pd.DataFrame
    deployments: pd.DataFrame
    criteria: pd.DataFrame
    judgements: pd.DataFrame
    weight_sets: pd.DataFrame
    travel_minutes: np.ndarray
    estimated: np.ndarray
    criteria_groups: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {"group": pd.Series(dtype=object), "weight": pd.Series(dtype=float), "description": pd.Series(dtype=object)}))
    scenarios: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {"scenario": pd.Series(dtype=object), "parameter": pd.Series(dtype=object), "value": pd.Series(dtype=object)}))
    uncertainty: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        {"parameter": pd.Series(dtype=object), "low": pd.Series(dtype=float), "high": pd.Series(dtype=float)}))
    #: Sheets the schema does not define, kept by name (values only; docs/workbook-format.md#the-sheets).
    extra_sheets: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: Incidents (v2): incident_id, area_id, grade (str), weekday (int64, 0 = Monday), hour
    #: (int64 0-23), first_armed_minutes (float64, NaN when blank), area_index (int64: row of
    #: ``areas``), excel_row (int64). Empty (no rows) when the workbook has no Incidents sheet.
    incidents: pd.DataFrame = field(default_factory=lambda: empty_incidents())
    #: True when the workbook has an Incidents sheet, rows or not: without rows the reader
    #: has said so itself, so the coverage does not say "no Incidents sheet" of it.
    incidents_sheet: bool = False
    #: DemandProfile (v2): weekday, hour (int64), weight (float64). Empty without the sheet.
    demand_profile: pd.DataFrame = field(default_factory=lambda: empty_demand_profile())
    #: The files the workbook's parameters name (e.g. the travel-times CSV), resolved
    #: through the folder rule: inputs too, so no output may overwrite them.
    named_files: tuple[Path, ...] = ()
    #: Area boundaries from ``boundaries_file`` (v2; docs/maps.md), aligned to ``areas``;
    #: None when the workbook names no boundaries file (the maps then draw points).
    boundaries: AreaShapes | None = None

    @property
    def input_files(self) -> tuple[Path, ...]:
        """Every file these inputs were read from: the workbook first, then the files it names."""
        return (self.source, *self.named_files)

    @property
    def baseline_id(self) -> str:
        return str(self.options.loc[self.options["baseline"], "option_id"].iloc[0])

    @property
    def option_ids(self) -> list[str]:
        return self.options["option_id"].tolist()

    def option_names(self) -> dict[str, str]:
        """Option code -> name, as sentences and labels name them."""
        return {str(o): str(n) for o, n in zip(self.options["option_id"], self.options["option_name"], strict=True)}

    @property
    def criterion_ids(self) -> list[str]:
        return self.criteria["criterion_id"].tolist()

    @property
    def estimated_pairs(self) -> int:
        return int(self.estimated.sum())

    @property
    def has_value_tree(self) -> bool:
        """True when a CriteriaGroups sheet gives branch weights (docs/appraisal-method.md#value-tree)."""
        return len(self.criteria_groups) > 0

    def scenario_names(self) -> list[str]:
        """Scenarios in the order they first appear in the workbook."""
        return list(dict.fromkeys(self.scenarios["scenario"].tolist()))

    def scenario(self, name: str) -> list[tuple[str, object]]:
        """The (target, value) overrides of one scenario, in sheet order."""
        rows = self.scenarios[self.scenarios["scenario"] == name]
        return list(zip(rows["parameter"].tolist(), rows["value"].tolist(), strict=True))

    def weight_set_names(self) -> list[str]:
        """Weight sets in the order they first appear in the workbook."""
        return list(dict.fromkeys(self.weight_sets["weight_set"].tolist()))

    def weight_set(self, name: str) -> dict[str, float]:
        """Raw weights of one stakeholder set; a criterion it does not list weighs 0."""
        rows = self.weight_sets[self.weight_sets["weight_set"] == name]
        given = dict(zip(rows["criterion_id"], rows["weight"].astype(float), strict=True))
        return {cid: float(given.get(cid, 0.0)) for cid in self.criterion_ids}


@dataclass
class ReadResult:
    """What reading a workbook gives: inputs (None when errors prevent them) and findings."""

    path: Path
    findings: list[Finding]
    inputs: ForceInputs | None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]

    @property
    def ok(self) -> bool:
        return self.inputs is not None and not self.errors
