"""The force workbook schema: one definition for the reader, the template and the docs.

The reader validates against these definitions, the template writer builds its
sheets, headers, guidance and drop-downs from them, and
``docs/workbook-format.md`` is generated from them (``python -m
desktop_app.core.workbook.format_doc``) and checked by a test, so the three can never
drift apart. docs/workbook-format.md is generated from it (format_doc.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

# The schema is four modules. This one holds the bounds on work and the parameters, and
# re-exports the rest, so ``schema.X`` names every part: the codes (codes.py), the
# measures' names and labels (measure_names.py), the sheets and their columns (sheet_specs.py).
from desktop_app.core.workbook.codes import (
    ASSET_TYPES,
    CHECK_DRIVE_MINUTES,
    CRITERION_KINDS,
    DIRECTIONS,
    EQUALITY_MAX_GROUPS,
    HOUR_WEIGHTINGS,
    MAX_DRIVE_MINUTES,
    OPTION_OVERRIDE_COLUMNS,
    RURAL_CODES,
    RURAL_CODES_2011,
    RURAL_CODES_2021,
    RURALITY_CODES,
    SITE_TYPES,
    THREAT_LEVELS,
    URBAN_CODES,
    URBAN_CODES_2011,
    URBAN_CODES_2021,
    is_rural_code,
)
from desktop_app.core.workbook.measure_names import (
    JUDGEMENT,
    LEGACY_MEASURES,
    MEASURE_CODES,
    MEASURE_LABELS,
    MEASURES,
    WITHIN_TARGET,
    hour_chart_title,
    measure_label,
    within_target,
)
from desktop_app.core.workbook.sheet_specs import (
    REQUIRED_WHEN,
    SHEETS,
    SHEETS_BY_NAME,
    Column,
    Kind,
    Sheet,
)

__all__ = [
    "ASSET_TYPES",
    "Cap",
    "CAPS",
    "Column",
    "CRITERION_KINDS",
    "default",
    "DIRECTIONS",
    "EQUALITY_MAX_GROUPS",
    "hour_chart_title",
    "HOUR_WEIGHTINGS",
    "is_rural_code",
    "JUDGEMENT",
    "Kind",
    "LEGACY_MEASURES",
    "CHECK_DRIVE_MINUTES",
    "MAX_DRIVE_MINUTES",
    "MEASURE_CODES",
    "measure_label",
    "MEASURE_LABELS",
    "MEASURES",
    "normalise_header",
    "parameter_key",
    "OPTION_OVERRIDE_COLUMNS",
    "Parameter",
    "PARAMETERS",
    "parameters",
    "PARAMETERS_BY_NAME",
    "REQUIRED",
    "REQUIRED_WHEN",
    "RURAL_CODES",
    "RURAL_CODES_2011",
    "RURAL_CODES_2021",
    "RURALITY_CODES",
    "Sheet",
    "SHEETS",
    "SHEETS_BY_NAME",
    "SITE_TYPES",
    "THREAT_LEVELS",
    "URBAN_CODES",
    "URBAN_CODES_2011",
    "URBAN_CODES_2021",
    "WITHIN_TARGET",
    "within_target",
]

if TYPE_CHECKING:
    from desktop_app.core.model import Parameters


@dataclass(frozen=True)
class Cap:
    """A bound on the work one input can cause, with the plain words for a finding past it."""

    value: int
    what: str  # counted thing, plural: "options"
    why: str  # completes "... the limit ({value}) ..., because <why>"


#: Every bound on how much work an input can ask for, in one table (docs/reliability.md#limits).
#: Keys are sheet names (rows of that sheet) or the name of what is bounded. A new sheet or
#: command adds its row here; the reader checks every sheet row cap generically.
CAPS: dict[str, Cap] = {
    "Options": Cap(200, "options", "an appraisal compares a shortlist, and the robustness analysis "
                   "grows with the square of the option count"),
    "Criteria": Cap(50, "criteria", "a swing-weighted appraisal with more criteria than a room can weigh "
                    "is not a workshop appraisal"),
    "WeightSets": Cap(10_000, "weight-set rows", "each stakeholder set is appraised in full"),
    "travel_csv_rows": Cap(4_000_000, "travel-times CSV lines", "reading more could take more than the 500 MB memory budget; "
                           "a national force gives about 1.2 million pairs"),
    "posts": Cap(500, "extra posts (optimise --posts)", "no force adds that many 24-hour armed posts at once"),
    "curve_posts": Cap(100, "posts on the curve (optimise --curve)", "the curve solves the optimisation once for every K"),
    "samples": Cap(200_000, "SMAA samples (appraise --samples)", "at 10,000 draws a share's standard error is already at most "
                   "0.5 percentage points (Tervonen & Lahdelma 2007)"),
    "smaa_values": Cap(25_000_000, "SMAA values (samples x (criteria + uncertain scores))",
                       "each is held in memory (200 MB at the limit)"),
    "sim_years": Cap(100, "simulated years (simulate --years)", "a century of incidents already gives "
                     "intervals far narrower than the inputs' own uncertainty"),
    "replications": Cap(200, "replications (simulate --replications)", "an interval's width falls with the square "
                        "root of the replications: 200 is seven times narrower than 4"),
    "session_bytes": Cap(64 * 2**20, "a session file", "a workshop's session is a few kilobytes"),
    "smaa_work": Cap(250_000_000, "SMAA steps (the values above x options)",
                     "an appraisal must answer within seconds"),
}


@dataclass(frozen=True)
class Parameter:
    """One row of the Parameters sheet."""

    name: str
    kind: Kind
    default: object
    description: str
    codes: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    source: str = ""


REQUIRED = object()  # sentinel: the parameter has no default

PARAMETERS: tuple[Parameter, ...] = (
    Parameter("force_name", Kind.TEXT, REQUIRED, "The force's name, shown on every report."),
    Parameter(
        "protective_marking",
        Kind.TEXT,
        "OFFICIAL-SENSITIVE",
        "Government Security Classification shown on the window banner and every exported page.",
    ),
    Parameter(
        "target_minutes",
        Kind.NUMBER,
        20.0,
        "Response-time target T: an area-hour counts as covered when armed officers can arrive within it.",
        minimum=0,
        exclusive_minimum=True,
    ),
    Parameter(
        "threat_level",
        Kind.CODE,
        REQUIRED,
        "The UK national terrorism threat level at the time of the appraisal.",
        codes=THREAT_LEVELS,
    ),
    Parameter(
        "busy_fraction_arv",
        Kind.NUMBER,
        0.3,
        "Default share of time an ARV unit is committed elsewhere (unavailable).",
        minimum=0,
        maximum=1,
    ),
    Parameter(
        "busy_fraction_aro",
        Kind.NUMBER,
        0.1,
        "Default share of time an armed response officer is unavailable for an armed call.",
        minimum=0,
        maximum=1,
    ),
    Parameter(
        "mobilisation_minutes_arv",
        Kind.NUMBER,
        1.0,
        "Default minutes from dispatch to an ARV moving.",
        minimum=0,
    ),
    Parameter(
        "mobilisation_minutes_aro",
        Kind.NUMBER,
        3.0,
        "Default minutes for an armed response officer to arm and move.",
        minimum=0,
    ),
    Parameter(
        "fte_per_247_post",
        Kind.NUMBER,
        5.5,
        "Full-time officers needed to staff one post around the clock (shifts, leave, training, sickness).",
        minimum=0,
        exclusive_minimum=True,
    ),
    Parameter(
        "appraisal_years",
        Kind.INTEGER,
        5,
        "Years of annual cost counted in the whole-life cost.",
        minimum=0,
        maximum=100,
    ),
    Parameter(
        "discount_rate",
        Kind.NUMBER,
        0.035,
        "Annual discount rate for whole-life cost (HM Treasury Green Book: 3.5%).",
        minimum=0,
        maximum=1,
    ),
    Parameter(
        "road_circuity",
        Kind.NUMBER,
        1.3,
        "Road distance divided by straight-line distance, used to estimate missing travel times.",
        minimum=1,
        maximum=5,
    ),
    Parameter(
        "speed_kmh_urban",
        Kind.NUMBER,
        40.0,
        "Average blue-light road speed in urban areas, for estimated travel times.",
        minimum=0,
        exclusive_minimum=True,
        maximum=200,
    ),
    Parameter(
        "speed_kmh_rural",
        Kind.NUMBER,
        65.0,
        "Average blue-light road speed in rural areas, for estimated travel times.",
        minimum=0,
        exclusive_minimum=True,
        maximum=200,
    ),
    Parameter(
        "travel_times_file",
        Kind.TEXT,
        None,
        "Optional CSV (site_id, area_id, minutes) in the workbook's folder, for matrices too large for a sheet; "
        "a name, not an absolute path, ../ or a link out of the folder.",
    ),
    Parameter(
        "authorisation_minutes",
        Kind.NUMBER,
        0.0,
        "Minutes from the call until armed officers are dispatched (the authorising officer's decision); added to every response time.",
        minimum=0,
        maximum=240,
    ),
    Parameter(
        "backup_target_minutes",
        Kind.NUMBER,
        30.0,
        "Target for a second armed officer on scene (backup_coverage).",
        minimum=0,
        exclusive_minimum=True,
    ),
    Parameter(
        "hour_weighting",
        Kind.CODE,
        "flat",
        "How the hours of the week are weighted in every measure: flat (each hour alike), incidents (by the Incidents sheet) or profile (by the DemandProfile sheet).",
        codes=HOUR_WEIGHTINGS,
    ),
    Parameter(
        "incident_years",
        Kind.NUMBER,
        1.0,
        "Years of incidents the Incidents sheet covers.",
        minimum=0,
        exclusive_minimum=True,
        maximum=100,
    ),
    Parameter(
        "armed_incidents_per_year",
        Kind.NUMBER,
        None,
        "Armed incidents a year the force expects, for simulate only; blank takes the Incidents rows over "
        "incident_years, and simulate needs one or the other.",
        minimum=0,
        exclusive_minimum=True,
        # A slip (a stray digit, 1e7) had run simulate for minutes an option; 100,000 is over five
        # times all 43 forces' 17,589 firearms operations in 2023/24 (docs/data-sources.md).
        maximum=100_000,
    ),
    Parameter(
        "incident_service_hours",
        Kind.NUMBER,
        2.0,
        "Hours a unit is committed to an armed incident, for simulate only.",
        minimum=0,
        exclusive_minimum=True,
        maximum=168,
    ),
    Parameter(
        "busy_spell_minutes",
        Kind.NUMBER,
        45.0,
        "Mean length in minutes of a spell of other work a unit cannot leave, for simulate only.",
        minimum=0,
        exclusive_minimum=True,
        maximum=1440,
    ),
    Parameter(
        "public_marking",
        Kind.TEXT,
        "OFFICIAL",
        "Marking of the version for publication (appraise --public), which leaves out the threat indicators, "
        "each area's threat index and every area-level threat figure (the share of the threat each option "
        "covers is kept).",
    ),
    Parameter(
        "decision_question",
        Kind.TEXT,
        None,
        "One sentence saying what the panel is asked, printed on page 1 of the summary.",
    ),
    Parameter(
        "equality_columns",
        Kind.TEXT,
        None,
        "Comma-separated Areas columns (e.g. imd_decile) to break population coverage down by, "
        "for the Public Sector Equality Duty; each may take at most 20 distinct values.",
    ),
    Parameter(
        "price_base_year",
        Kind.TEXT,
        None,
        "The year whose prices the costs are in (Green Book: state the price base): a year (2025) or "
        "financial year (2025-26, 2025/26); a date is an error.",
    ),
    Parameter(
        "boundaries_file",
        Kind.TEXT,
        None,
        "Optional GeoPackage (.gpkg), GeoJSON or Shapefile (.shp) of the areas' boundaries in the workbook's folder, "
        "for the maps (docs/maps.md); blank draws areas as points.",
    ),
    Parameter(
        "boundaries_id_field",
        Kind.TEXT,
        "area_id",
        "The field of boundaries_file that holds each area's area_id (for ONS LSOA files e.g. LSOA21CD).",
    ),
)
PARAMETERS_BY_NAME = {p.name: p for p in PARAMETERS}


def default(name: str) -> Any:
    """The schema's default of parameter ``name`` (``REQUIRED`` when it has none)."""
    return PARAMETERS_BY_NAME[name].default


def parameters(*, extra: dict[str, str] | None = None, defaulted: tuple[str, ...] = (), **given: Any) -> Parameters:
    """A :class:`Parameters` from the values ``given``, every other one at its schema default.

    The reader builds the Parameters sheet's result with it, and tests their forces, so the
    defaults have this one home. A required parameter left out is a ``TypeError``.
    """
    unknown = set(given) - set(PARAMETERS_BY_NAME)
    if unknown:
        raise TypeError(f"not parameters: {', '.join(sorted(unknown))}")
    missing = [p.name for p in PARAMETERS if p.default is REQUIRED and p.name not in given]
    if missing:
        raise TypeError(f"required parameters missing: {', '.join(missing)}")
    from desktop_app.core.model import Parameters  # here: the schema stays free of pandas

    values = {p.name: given.get(p.name, p.default) for p in PARAMETERS}
    return Parameters(**values, extra=dict(extra or {}), defaulted=defaulted)



def normalise_header(text: object) -> str:
    """Header matching key: case-insensitive, surrounding and repeated spaces ignored."""
    return " ".join(str(text).split()).lower() if text is not None else ""


def parameter_key(name: object) -> str:
    """A parameter's name as the Parameters, Scenarios and Uncertainty sheets match it:
    :func:`normalise_header` with spaces read as underscores ("Hour Weighting" is
    ``hour_weighting``). One rule, so a check on a scenario's row sees what the reader saw."""
    return normalise_header(name if name is not None else "").replace(" ", "_")
