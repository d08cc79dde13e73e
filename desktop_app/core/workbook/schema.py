"""The force workbook schema: one definition for the reader, the template and the docs.

The reader validates against these definitions, the template writer builds its
sheets, headers, guidance and drop-downs from them, and
``docs/workbook-format.md`` is generated from them (``python -m
desktop_app.core.workbook.format_doc``) and checked by a test, so the three can never
drift apart. docs/workbook-format.md is generated from it (format_doc.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop_app.core.model import Parameters


class Kind(Enum):
    """The type a column holds once read."""

    TEXT = "text"
    INTEGER = "whole number"
    NUMBER = "number"
    BOOLEAN = "TRUE/FALSE"
    CODE = "code"  # text restricted to ``Column.codes``


@dataclass(frozen=True)
class Column:
    """One column of a sheet."""

    name: str
    kind: Kind
    required: bool
    description: str
    example: object = None
    codes: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    #: True when the minimum itself is not allowed (e.g. minutes > 0).
    exclusive_minimum: bool = False
    unit: str = ""


@dataclass(frozen=True)
class Sheet:
    """One sheet of the force workbook."""

    name: str
    required: bool
    one_row_per: str
    columns: tuple[Column, ...]
    purpose: str
    #: Threat holds one extra numeric column per indicator, named by ThreatIndicators.
    open_columns: bool = False
    required_note: str = ""
    examples: tuple[tuple[object, ...], ...] = field(default=())

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


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


SITE_TYPES = ("ARV_BASE", "POLICE_STATION", "NEIGHBOUR_BASE")
ASSET_TYPES = ("ARV", "ARMED_RESPONSE_OFFICER", "NEIGHBOUR_ARV")
THREAT_LEVELS = ("LOW", "MODERATE", "SUBSTANTIAL", "SEVERE", "CRITICAL")
DIRECTIONS = ("higher", "lower")
#: Criterion kinds (v2): ``benefit`` counts towards ``benefit_value``; ``cost`` does not.
CRITERION_KINDS = ("benefit", "cost")
#: Option columns a Scenarios or Uncertainty row may override, as ``OPTION_ID.<column>``.
OPTION_OVERRIDE_COLUMNS = ("one_off_cost_gbp", "annual_cost_gbp")
#: Most distinct values an ``equality_columns`` column may take (docs/appraisal-method.md#equality).
EQUALITY_MAX_GROUPS = 20
HOUR_WEIGHTINGS = ("flat", "incidents", "profile")

#: Computed measures (docs/measures.md#measures-per-option), in the order reports show them.
MEASURES = (
    "population_coverage",
    "threat_coverage",
    "incident_coverage",
    "population_coverage_all_free",
    "threat_coverage_all_free",
    "backup_coverage",
    "rural_coverage",
    "urban_coverage",
    "median_response_minutes",
    "p90_response_minutes",
    "rural_gap_minutes",
    "officers_required",
    "neighbour_officers",
    "whole_life_cost_gbp",
    "implementation_months",
)
JUDGEMENT = "judgement"
#: Version 1's name for the busy-unit population cover: read as population_coverage, with a warning.
LEGACY_MEASURES = {"expected_coverage": "population_coverage"}
MEASURE_CODES = MEASURES + tuple(LEGACY_MEASURES) + (JUDGEMENT,)

#: Plain-English label and unit for each measure, for tables, charts and exports.
MEASURE_LABELS: dict[str, tuple[str, str]] = {
    "population_coverage": ("Population covered within target (allowing for busy units)", "share"),
    "threat_coverage": ("Threat covered within target (allowing for busy units)", "share"),
    "incident_coverage": ("Past incidents covered within target (allowing for busy units)", "share"),
    "population_coverage_all_free": ("Population covered if every unit were free", "share"),
    "threat_coverage_all_free": ("Threat covered if every unit were free", "share"),
    "backup_coverage": ("Population reached by a second armed officer within the backup target", "share"),
    "rural_coverage": ("Rural population covered within target", "share"),
    "urban_coverage": ("Urban population covered within target", "share"),
    "median_response_minutes": ("Median time to the first free armed unit", "minutes"),
    "p90_response_minutes": ("90th percentile time to the first free armed unit", "minutes"),
    "rural_gap_minutes": ("Rural minus urban median response", "minutes"),
    "officers_required": ("Armed officers required (the force's own)", "FTE"),
    "neighbour_officers": ("Neighbouring force's officers relied on", "FTE"),
    "whole_life_cost_gbp": ("Discounted whole-life cost", "GBP"),
    "implementation_months": ("Time to implement", "months"),
}

#: How every label names the response-time target, on screen and in the export alike.
WITHIN_TARGET = "within {minutes:g} minutes"


def within_target(target_minutes: float) -> str:
    """``within 20 minutes``: the one wording of the target in labels and titles."""
    return WITHIN_TARGET.format(minutes=target_minutes)


def measure_label(measure: str, target_minutes: float | None = None) -> str:
    """A measure's plain-English label, naming the target when it is known.

    >>> measure_label("threat_coverage", 20)
    'Threat covered within 20 minutes (allowing for busy units)'
    >>> measure_label("threat_coverage")
    'Threat covered within target (allowing for busy units)'
    """
    label = MEASURE_LABELS.get(measure, (measure, ""))[0]
    if target_minutes is None:
        return label
    return label.replace("within target", within_target(target_minutes))


def hour_chart_title(target_minutes: float) -> str:
    """The title of the population-covered-by-hour chart (the Coverage view and the summary)."""
    return f"{measure_label('population_coverage', target_minutes)}, by hour of day"

#: Longest drive time accepted (a day): no blue-light drive in Great Britain comes near it,
#: so a larger figure is a unit mistake (seconds) or a corrupt value such as 1e308.
MAX_DRIVE_MINUTES = 1440

URBAN_CODES_2011 = ("A1", "B1", "C1", "C2")
RURAL_CODES_2011 = ("D1", "D2", "E1", "E2")
URBAN_CODES_2021 = ("UN1", "UF1")
RURAL_CODES_2021 = ("RLN1", "RLF1", "RSN1", "RSF1")
URBAN_CODES = URBAN_CODES_2011 + URBAN_CODES_2021 + ("URBAN",)
RURAL_CODES = RURAL_CODES_2011 + RURAL_CODES_2021 + ("RURAL",)
RURALITY_CODES = URBAN_CODES + RURAL_CODES


def is_rural_code(code: str) -> bool | None:
    """True for a rural ONS code (or the word rural), False for urban, None if unknown.

    Matching ignores case and surrounding spaces, so ``" e1 "`` and ``Rural`` both count.
    """
    norm = str(code).strip().upper()
    if norm in RURAL_CODES:
        return True
    if norm in URBAN_CODES:
        return False
    return None


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
        "public_marking",
        Kind.TEXT,
        "OFFICIAL",
        "Marking of the version for publication (appraise --public), which leaves out all threat data.",
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
        "The year whose prices the costs are in (e.g. 2025-26), recorded in the outputs (Green Book: state the price base).",
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


def _c(name: str, kind: Kind, required: bool, description: str, example: object = None, **kw: object) -> Column:
    return Column(name, kind, required, description, example, **kw)  # type: ignore[arg-type]


SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "Parameters",
        True,
        "setting",
        (
            _c("parameter", Kind.TEXT, True, "Setting name (see the list of parameters).", "force_name"),
            _c("value", Kind.TEXT, True, "Its value.", "Example Constabulary"),
            _c("notes", Kind.TEXT, False, "Free text: where the figure comes from."),
        ),
        "Force-wide settings and defaults.",
        examples=(
            ("force_name", "Example Constabulary", ""),
            ("threat_level", "SUBSTANTIAL", "National threat level"),
            ("protective_marking", "OFFICIAL-SENSITIVE", ""),
            ("target_minutes", 20, "Local planning target"),
        ),
    ),
    Sheet(
        "Areas",
        True,
        "area (LSOA, ward or beat)",
        (
            _c("area_id", Kind.TEXT, True, "Unique area code, e.g. an LSOA code.", "E01000001"),
            _c("area_name", Kind.TEXT, True, "Name shown on the map and in reports.", "Market Town 001A"),
            _c("district", Kind.TEXT, True, "District or policing area the area belongs to.", "North"),
            _c("population", Kind.INTEGER, True, "Resident population.", 1600, minimum=0, unit="people"),
            _c(
                "rurality",
                Kind.CODE,
                True,
                "ONS Rural-Urban Classification code (2011 or 2021) or the word urban / rural.",
                "E1",
                codes=RURALITY_CODES,
            ),
            _c("easting", Kind.NUMBER, False, "British National Grid easting of the area's centre.", 350000, minimum=0, maximum=800000, unit="metres"),
            _c("northing", Kind.NUMBER, False, "British National Grid northing of the area's centre.", 400000, minimum=0, maximum=1400000, unit="metres"),
        ),
        "The places to be covered, with who lives there and how rural they are.",
        required_note="easting and northing are required unless every site-area pair is in TravelTimes.",
        examples=(
            ("E01000001", "Market Town 001A", "North", 1600, "C1", 350000, 400000),
            ("E01000002", "Upland Villages 002A", "North", 1200, "E2", 362000, 415000),
        ),
    ),
    Sheet(
        "Threat",
        True,
        "area",
        (_c("area_id", Kind.TEXT, True, "Area code from Areas.", "E01000001"),),
        "APSTRA-style threat and risk indicators per area: one numeric column (>= 0) per indicator named in ThreatIndicators.",
        open_columns=True,
        examples=(("E01000001",), ("E01000002",)),
    ),
    Sheet(
        "ThreatIndicators",
        True,
        "indicator",
        (
            _c("indicator", Kind.TEXT, True, "A column name in Threat.", "firearms_incidents"),
            _c("weight", Kind.NUMBER, True, "Relative weight of the indicator in the threat index.", 1.0, minimum=0),
            _c("description", Kind.TEXT, True, "What the indicator counts and its source.", "Firearms incidents, 3 years"),
        ),
        "How the threat indicators combine into one threat index per area.",
        examples=(("firearms_incidents", 1.0, "Firearms incidents, last 3 years"),),
    ),
    Sheet(
        "Sites",
        True,
        "place an armed asset can start from",
        (
            _c("site_id", Kind.TEXT, True, "Unique site code.", "S001"),
            _c("site_name", Kind.TEXT, True, "Site name.", "County Town ARV base"),
            _c("site_type", Kind.CODE, True, "ARV_BASE, POLICE_STATION or NEIGHBOUR_BASE.", "ARV_BASE", codes=SITE_TYPES),
            _c("easting", Kind.NUMBER, True, "British National Grid easting.", 351000, minimum=0, maximum=800000, unit="metres"),
            _c("northing", Kind.NUMBER, True, "British National Grid northing.", 401000, minimum=0, maximum=1400000, unit="metres"),
        ),
        "ARV bases, police stations and neighbouring forces' bases.",
        examples=(("S001", "County Town ARV base", "ARV_BASE", 351000, 401000),),
    ),
    Sheet(
        "TravelTimes",
        False,
        "site-area pair",
        (
            _c("site_id", Kind.TEXT, True, "Site code from Sites.", "S001"),
            _c("area_id", Kind.TEXT, True, "Area code from Areas.", "E01000001"),
            _c("minutes", Kind.NUMBER, True, "Blue-light drive time from the site to the area.", 6.5, minimum=0, exclusive_minimum=True, maximum=MAX_DRIVE_MINUTES, unit="minutes"),
        ),
        "Drive times from GIS. Missing pairs are estimated from coordinates. Large matrices can be a CSV named by travel_times_file.",
        examples=(("S001", "E01000001", 6.5),),
    ),
    Sheet(
        "Options",
        True,
        "option",
        (
            _c("option_id", Kind.TEXT, True, "Unique option code.", "OPT0"),
            _c("option_name", Kind.TEXT, True, "Short name.", "Do minimum"),
            _c("description", Kind.TEXT, True, "One plain-English line describing the option.", "Current ARV cover"),
            _c("baseline", Kind.BOOLEAN, True, "TRUE for exactly one option: the do-minimum.", True),
            _c("one_off_cost_gbp", Kind.NUMBER, True, "One-off cost (training, vehicles, buildings).", 0, minimum=0, unit="GBP"),
            _c("annual_cost_gbp", Kind.NUMBER, True, "Recurring annual cost over the baseline.", 0, minimum=0, unit="GBP"),
            _c("implementation_months", Kind.NUMBER, True, "Months until the option is fully in place.", 0, minimum=0, unit="months"),
            _c("optimism_bias", Kind.NUMBER, False, "Green Book optimism bias uplift on the option's costs, as a fraction (0.2 = 20%; blank: 0).", 0, minimum=0),
            _c("notes", Kind.TEXT, False, "Free text: where the costs come from."),
        ),
        "The options being appraised, including the do-minimum baseline.",
        examples=(("OPT0", "Do minimum", "Current ARV cover", True, 0, 0, 0),),
    ),
    Sheet(
        "Deployments",
        True,
        "armed asset group in an option",
        (
            _c("option_id", Kind.TEXT, True, "Option code from Options.", "OPT0"),
            _c("site_id", Kind.TEXT, True, "Site code from Sites.", "S001"),
            _c("asset_type", Kind.CODE, True, "ARV, ARMED_RESPONSE_OFFICER or NEIGHBOUR_ARV.", "ARV", codes=ASSET_TYPES),
            _c("posts", Kind.INTEGER, True, "Units on duty at once.", 2, minimum=1),
            _c("crew_size", Kind.INTEGER, True, "Officers per unit.", 2, minimum=1),
            _c("start_hour", Kind.INTEGER, True, "First hour on duty (0-24).", 0, minimum=0, maximum=24),
            _c("end_hour", Kind.INTEGER, True, "Hour duty ends (0-24); start > end wraps past midnight; 0 and 24 is all day.", 24, minimum=0, maximum=24),
            _c("days", Kind.TEXT, False, "Days the shift starts on: Mon-Fri, Fri,Sat or Sat-Mon (ranges wrap past Sunday); blank is every day. A night shift runs into the next morning (Sunday's into Monday).", None),
            _c("busy_fraction", Kind.NUMBER, False, "Share of time a unit is unavailable (blank: the asset type's default).", None, minimum=0, maximum=1),
            _c("mobilisation_minutes", Kind.NUMBER, False, "Minutes to mobilise (blank: the asset type's default).", None, minimum=0, unit="minutes"),
        ),
        "Which armed assets each option puts where, and when.",
        examples=(("OPT0", "S001", "ARV", 2, 2, 0, 24, None, None, None),),
    ),
    Sheet(
        "Criteria",
        True,
        "criterion",
        (
            _c("criterion_id", Kind.TEXT, True, "Unique criterion code.", "C1"),
            _c("criterion_name", Kind.TEXT, True, "Name shown in reports.", "Threat covered"),
            _c("measure", Kind.CODE, True, "A computed measure or judgement.", "threat_coverage", codes=MEASURE_CODES),
            _c("direction", Kind.CODE, True, "higher or lower is better.", "higher", codes=DIRECTIONS),
            _c("weight", Kind.NUMBER, True, "Swing weight: how much moving from worst to best matters.", 30, minimum=0),
            _c("worst", Kind.NUMBER, False, "Fixed scale: the value scoring 0 (blank: local scale)."),
            _c("best", Kind.NUMBER, False, "Fixed scale: the value scoring 100 (blank: local scale)."),
            _c("group", Kind.TEXT, False, "Branch of the value tree (listed in CriteriaGroups when that sheet is given), e.g. Response.", "Response"),
            _c("kind", Kind.CODE, False, "benefit (the default) or cost: cost criteria are left out of benefit_value.", "benefit", codes=CRITERION_KINDS),
            _c("value_points", Kind.TEXT, False, "Piecewise-linear value function 'x1:v1; x2:v2; ...' (at least two points, x increasing, v 0-100); replaces worst, best and direction.", "0.5:0; 0.8:70; 0.9:100"),
            _c("notes", Kind.TEXT, False, "What the criterion means; for a judgement, what scores 0 and what scores 100."),
        ),
        "The criteria the options are scored on, with swing weights.",
        examples=(("C1", "Threat covered", "threat_coverage", "higher", 30, None, None, "Response", "benefit", None, None),),
    ),
    Sheet(
        "CriteriaGroups",
        False,
        "branch of the value tree",
        (
            _c("group", Kind.TEXT, True, "Branch name, as used in the Criteria sheet's group column.", "Response"),
            _c("weight", Kind.NUMBER, True, "Swing weight of the branch: how much moving every criterion in it from worst to best matters.", 50, minimum=0),
            _c("description", Kind.TEXT, False, "What the branch holds.", "How quickly and reliably armed officers arrive"),
        ),
        "The value tree: with this sheet, each criterion's weight is shared within its branch and each branch carries its own swing weight.",
        required_note="When given, every criterion's group must be listed here.",
        examples=(("Response", 50, "How quickly and reliably armed officers arrive"),),
    ),
    Sheet(
        "Judgements",
        False,
        "option-criterion pair",
        (
            _c("option_id", Kind.TEXT, True, "Option code.", "OPT0"),
            _c("criterion_id", Kind.TEXT, True, "A judgement criterion's code.", "C7"),
            _c("score", Kind.NUMBER, True, "Value score 0-100 agreed by the workshop.", 50, minimum=0, maximum=100),
            _c("rationale", Kind.TEXT, True, "Why: the reasoning to be recorded.", "No change to the unarmed model"),
            _c("low", Kind.NUMBER, False, "Lowest plausible score (0-100).", 40, minimum=0, maximum=100),
            _c("high", Kind.NUMBER, False, "Highest plausible score (0-100).", 60, minimum=0, maximum=100),
        ),
        "Scores for criteria that are matters of judgement.",
        required_note="Required when any criterion's measure is judgement.",
        examples=(("OPT0", "C7", 50, "No change to the unarmed model", 40, 60),),
    ),
    Sheet(
        "WeightSets",
        False,
        "stakeholder weight",
        (
            _c("weight_set", Kind.TEXT, True, "Stakeholder group, e.g. Community panel.", "Community panel"),
            _c("criterion_id", Kind.TEXT, True, "Criterion code; unlisted criteria weigh 0 in this set.", "C1"),
            _c("weight", Kind.NUMBER, True, "Swing weight in this set.", 20, minimum=0),
        ),
        "Other stakeholders' weights, appraised side by side.",
        examples=(("Community panel", "C1", 20),),
    ),
    Sheet(
        "Scenarios",
        False,
        "parameter override",
        (
            _c("scenario", Kind.TEXT, True, "Scenario name; rows with the same name form one scenario.", "SEVERE threat"),
            _c("parameter", Kind.TEXT, True, "A Parameters name, or OPTION_ID.one_off_cost_gbp / OPTION_ID.annual_cost_gbp.", "busy_fraction_arv"),
            _c("value", Kind.TEXT, True, "The value it takes in this scenario.", 0.45),
        ),
        "Named what-ifs: each scenario is a full re-run of the appraisal with its overrides.",
        examples=(("SEVERE threat", "busy_fraction_arv", 0.45),),
    ),
    Sheet(
        "Uncertainty",
        False,
        "uncertain input",
        (
            _c("parameter", Kind.TEXT, True, "A numeric Parameters name, or OPTION_ID.one_off_cost_gbp / OPTION_ID.annual_cost_gbp.", "busy_fraction_arv"),
            _c("low", Kind.NUMBER, True, "Lowest plausible value (at most the workbook's value).", 0.2),
            _c("high", Kind.NUMBER, True, "Highest plausible value (at least the workbook's value).", 0.45),
            _c("notes", Kind.TEXT, False, "Where the range comes from."),
        ),
        "Inputs whose value is uncertain: the appraisal is re-run at each end (a tornado chart).",
        examples=(("busy_fraction_arv", 0.2, 0.45, "Duty logs, 2023-2025"),),
    ),
)
SHEETS += (
    Sheet(
        "Incidents",
        False,
        "past armed incident (firearms operation or spontaneous firearms incident)",
        (
            _c("incident_id", Kind.TEXT, True, "Unique incident reference.", "INC0001"),
            _c("area_id", Kind.TEXT, True, "Area code from Areas where the incident happened.", "E01000001"),
            _c("weekday", Kind.TEXT, True, "Day of the call: Mon ... Sun, or the full name.", "Fri"),
            _c("hour", Kind.INTEGER, True, "Hour of the call (0-23).", 22, minimum=0, maximum=23),
            _c("first_armed_minutes", Kind.NUMBER, False, "Observed minutes from the call to the first armed officer on scene (blank if not recorded).", 14.5, minimum=0, exclusive_minimum=True, unit="minutes"),
            _c("grade", Kind.TEXT, False, "Free text: incident grade or type.", "spontaneous"),
        ),
        "Last year's armed incidents: where demand falls (incident_coverage, hour_weighting incidents) and the check of the model against what happened.",
        examples=(("INC0001", "E01000001", "Fri", 22, 14.5, "spontaneous"),),
    ),
    Sheet(
        "DemandProfile",
        False,
        "hour of the week",
        (
            _c("weekday", Kind.TEXT, True, "Day: Mon ... Sun, or the full name.", "Fri"),
            _c("hour", Kind.INTEGER, True, "Hour of the day (0-23).", 22, minimum=0, maximum=23),
            _c("weight", Kind.NUMBER, True, "Relative demand in that hour (hours not listed weigh 0).", 2.0, minimum=0),
        ),
        "How demand for armed response varies over the week, used when hour_weighting is profile.",
        required_note="Required when hour_weighting is profile.",
        examples=(("Fri", 22, 2.0),),
    ),
)
SHEETS_BY_NAME = {s.name: s for s in SHEETS}
#: When an optional sheet is needed after all (for the template's and the docs' sheet lists).
REQUIRED_WHEN = {"Judgements": "if any criterion is a judgement", "DemandProfile": "if hour_weighting is profile"}


def normalise_header(text: object) -> str:
    """Header matching key: case-insensitive, surrounding and repeated spaces ignored."""
    return " ".join(str(text).split()).lower() if text is not None else ""
