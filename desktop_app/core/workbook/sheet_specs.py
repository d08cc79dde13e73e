"""Every sheet of the force workbook and its columns: one table for the reader, template and docs.

Part of the schema (:mod:`desktop_app.core.workbook.schema` re-exports every name here):
what a sheet and a column are (:class:`Sheet`, :class:`Column`, :class:`Kind`) and the
table of sheets, ``SHEETS``, in the order the template writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from desktop_app.core.workbook.codes import (
    ASSET_TYPES,
    CHECK_DRIVE_MINUTES,
    CRITERION_KINDS,
    DIRECTIONS,
    MAX_DRIVE_MINUTES,
    RURALITY_CODES,
    SITE_TYPES,
)
from desktop_app.core.workbook.measure_names import MEASURE_CODES


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
    #: Values above this are read but warned about (TravelTimes minutes above a day).
    check_above: float | None = None
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


def _c(name: str, kind: Kind, required: bool, description: str, example: object = None, **kw: object) -> Column:
    return Column(name, kind, required, description, example, **kw)  # type: ignore[arg-type]


#: Columns that refer to another sheet's rows, alike wherever they stand.
_AREA_REF = _c("area_id", Kind.TEXT, True, "Area code from Areas.", "E01000001")
_SITE_REF = _c("site_id", Kind.TEXT, True, "Site code from Sites.", "S001")
#: The British National Grid's extent in metres (eastings 0-800 km, northings 0-1,400 km).
_GRID_MAXIMUM = {"easting": 800000, "northing": 1400000}


def _grid(axis: str, required: bool, description: str, example: int) -> Column:
    """An easting or northing column, bounded by the grid's extent."""
    return _c(axis, Kind.NUMBER, required, description, example, minimum=0, maximum=_GRID_MAXIMUM[axis], unit="metres")


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
            _grid("easting", False, "British National Grid easting of the area's centre.", 350000),
            _grid("northing", False, "British National Grid northing of the area's centre.", 400000),
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
        (_AREA_REF,),
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
            _grid("easting", True, "British National Grid easting.", 351000),
            _grid("northing", True, "British National Grid northing.", 401000),
        ),
        "ARV bases, police stations and neighbouring forces' bases.",
        examples=(("S001", "County Town ARV base", "ARV_BASE", 351000, 401000),),
    ),
    Sheet(
        "TravelTimes",
        False,
        "site-area pair",
        (
            _SITE_REF,
            _AREA_REF,
            _c("minutes", Kind.NUMBER, True, "Blue-light drive time from the site to the area.", 6.5, minimum=0, exclusive_minimum=True, maximum=MAX_DRIVE_MINUTES, check_above=CHECK_DRIVE_MINUTES, unit="minutes"),
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
            _SITE_REF,
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
