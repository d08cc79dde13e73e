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

#: Contract defaults of the simulation's parameters (docs/simulation.md#parameters).
DEFAULTS = {
    "backup_target_minutes": 30.0,
    "incident_service_hours": 2.0,
    "busy_spell_minutes": 45.0,
    "incident_years": 1.0,
}


@dataclass(frozen=True)
class Settings:
    per_year: float
    target: float
    backup_target: float
    busy_spell_minutes: float
    service_hours: float
    notes: list[str] = field(default_factory=list)


def parameter(inputs: ForceInputs, name: str) -> float | None:
    """A numeric parameter: the typed field when the reader has one, else the sheet's text.

    Text that is not a finite number >= 0 is one clear line naming the parameter.
    """
    params = inputs.parameters
    value: object = getattr(params, name, None)
    if value is None:
        value = params.extra.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or number < 0:
        raise InvalidWorkbookError(f"Parameters: {name} must be a number of at least 0, not {value!r}")
    return number


def workbook_rate(inputs: ForceInputs) -> tuple[float | None, str]:
    """Armed incidents a year from the workbook, and where it came from (None: not given)."""
    per_year = parameter(inputs, "armed_incidents_per_year")
    if per_year is not None:
        return per_year, "parameter armed_incidents_per_year"
    if len(inputs.incidents):
        years = parameter(inputs, "incident_years") or 1.0
        return len(inputs.incidents) / years, f"the Incidents rows over {years:g} year{'' if years == 1 else 's'}"
    return None, ""


def settings(inputs: ForceInputs, override_per_year: float | None = None) -> Settings:
    """The simulation's parameters, with contract defaults; the incident rate is required."""
    values = {n: parameter(inputs, n) for n in DEFAULTS}
    got = {n: (DEFAULTS[n] if v is None else v) for n, v in values.items()}
    notes: list[str] = []
    per_year, source = workbook_rate(inputs)
    if override_per_year is not None:
        per_year, source = float(override_per_year), "as entered for this run"
    if per_year is None:
        raise InvalidWorkbookError(
            "Parameters: armed_incidents_per_year is required by simulate when the workbook has "
            "no Incidents sheet (how many armed incidents a year the force expects)"
        )
    notes.append(f"armed incidents a year: {per_year:g} ({source})")
    if per_year <= 0:
        raise InvalidWorkbookError("Parameters: armed_incidents_per_year must be more than 0 for simulate")
    return Settings(
        per_year=per_year,
        target=float(inputs.parameters.target_minutes),
        backup_target=got["backup_target_minutes"],
        busy_spell_minutes=got["busy_spell_minutes"],
        service_hours=got["incident_service_hours"],
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
