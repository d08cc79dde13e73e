"""The computed measures' names and plain-English labels, and the one wording of the target.

Part of the schema (:mod:`desktop_app.core.workbook.schema` re-exports every name here):
the Criteria sheet's ``measure`` codes come from here, and so do the labels the screen
and the export print beside them.
"""

from __future__ import annotations

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


#: A unit as a column heading or axis title writes it, in brackets after the label.
UNIT_WORDS = {"share": "%", "minutes": "minutes", "FTE": "FTE", "GBP": "£", "months": "months"}


def measure_label_with_unit(measure: str, target_minutes: float | None = None) -> str:
    """The label and its unit, as a table heading or a chart axis gives it.

    >>> measure_label_with_unit("threat_coverage", 20)
    'Threat covered within 20 minutes (allowing for busy units) (%)'
    """
    label, unit = measure_label(measure, target_minutes), MEASURE_LABELS.get(measure, (measure, ""))[1]
    unit_text = UNIT_WORDS.get(unit, unit)
    return f"{label} ({unit_text})" if unit_text else label


def hour_chart_title(target_minutes: float) -> str:
    """The title of the population-covered-by-hour chart (the Coverage view and the summary)."""
    return f"{measure_label('population_coverage', target_minutes)}, by hour of day"
