"""From a validated workbook to the simulation's settings and incident distribution.

The one place that knows where the simulation's parameters and demand live in
:class:`ForceInputs` (docs/simulation.md#model); the units themselves come from
:func:`desktop_app.core.coverage.units.option_units`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from desktop_app.core.coverage.week_measures import measure_context
from desktop_app.core.errors import InvalidWorkbookError
from desktop_app.core.model import ForceInputs


@dataclass(frozen=True)
class Settings:
    per_year: float
    target: float
    backup_target: float
    busy_spell_minutes: float
    service_hours: float
    notes: list[str] = field(default_factory=list)


def workbook_rate(inputs: ForceInputs) -> tuple[float | None, str]:
    """Armed incidents a year from the workbook, and where it came from (None: not given).

    The Parameters reader has checked the parameter (a number above 0, or blank) and
    ``incident_years``, naming their row and column, so ``validate`` reports what
    ``simulate`` would refuse (docs/simulation.md#parameters).
    """
    params = inputs.parameters
    if params.armed_incidents_per_year is not None:
        return float(params.armed_incidents_per_year), "parameter armed_incidents_per_year"
    if len(inputs.incidents):
        years = float(params.incident_years)
        return len(inputs.incidents) / years, f"the Incidents rows over {years:g} year{'' if years == 1 else 's'}"
    return None, ""


def settings(inputs: ForceInputs, override_per_year: float | None = None) -> Settings:
    """The simulation's parameters (the schema's defaults where the sheet leaves them out);
    the incident rate is required."""
    params = inputs.parameters
    notes: list[str] = []
    per_year, source = workbook_rate(inputs)
    if override_per_year is not None:
        per_year, source = float(override_per_year), "as entered for this run"
    if per_year is None:
        raise InvalidWorkbookError(
            "Parameters: armed_incidents_per_year is required by simulate when the workbook lists no "
            "incidents (no Incidents sheet, or one with no rows): how many armed incidents a year the force expects"
        )
    if not per_year > 0 or not math.isfinite(per_year):
        raise InvalidWorkbookError(f"armed incidents a year ({source}) must be more than 0 for simulate, not {per_year:g}")
    notes.append(f"armed incidents a year: {per_year:g} ({source})")
    return Settings(
        per_year=per_year,
        target=float(params.target_minutes),
        backup_target=float(params.backup_target_minutes),
        busy_spell_minutes=float(params.busy_spell_minutes),
        service_hours=float(params.incident_service_hours),
        notes=notes,
    )


def incident_weights(inputs: ForceInputs) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Area weights (incident counts c_a, else the threat index t_a) and hour weights b_h."""
    try:
        ctx = measure_context(inputs)
    except ValueError as exc:  # an hour weighting with no weight in any hour
        raise InvalidWorkbookError(f"Parameters: {exc}") from None
    if ctx.has_incidents:
        area_w = ctx.incidents
        note = "incidents fall in areas in proportion to the Incidents rows in each"
    else:
        area_w = ctx.threat
        note = "incidents fall in areas in proportion to the threat index (no Incidents sheet)"
        if area_w.sum() <= 0:
            raise InvalidWorkbookError(
                "Threat: the threat index is 0 in every area, so simulate cannot place incidents "
                "(add an Incidents sheet or threat indicators)"
            )
    notes = [note]
    mode = str(inputs.parameters.hour_weighting)  # the schema's default already applied
    # Hours follow b_h, the workbook's hour weighting (docs/simulation.md#model): with an
    # Incidents sheet but another weighting, the incidents' own hours (a Friday-night peak)
    # are not what the simulation draws from, and the output says so.
    if ctx.has_incidents and mode != "incidents":
        notes.append(f"incidents fall in hours by the workbook's hour weighting ({mode}), not by the Incidents "
                     "sheet's hours; set hour_weighting to incidents to simulate last year's pattern through the week")
    else:
        notes.append(f"incidents fall in hours by the workbook's hour weighting ({mode})")
    return area_w, ctx.weights, notes
