"""From a validated workbook to the simulation's arrays and settings.

The one place that knows where the simulation's inputs live in :class:`ForceInputs`
(parameters, deployments, incidents, hour weights), so the engines stay on plain
arrays (docs/simulation.md#inputs).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from desktop_app.core.coverage import units as week
from desktop_app.core.coverage.availability import incident_counts
from desktop_app.core.coverage.measures import RESPONSE_DECIMALS, threat_index
from desktop_app.core.errors import InvalidWorkbookError
from desktop_app.core.model import ForceInputs
from desktop_app.core.simulation.arrays import SimUnits

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


def incidents_table(inputs: ForceInputs) -> object | None:
    """The Incidents rows, when the workbook has them (None otherwise)."""
    table = getattr(inputs, "incidents", None)
    return table if table is not None and len(table) else None  # type: ignore[arg-type]


def settings(inputs: ForceInputs) -> Settings:
    """The simulation's parameters, with contract defaults; the incident rate is required."""
    values = {n: parameter(inputs, n) for n in DEFAULTS}
    got = {n: (DEFAULTS[n] if v is None else v) for n, v in values.items()}
    notes: list[str] = []
    per_year = parameter(inputs, "armed_incidents_per_year")
    incidents = incidents_table(inputs)
    if per_year is None:
        if incidents is None:
            raise InvalidWorkbookError(
                "Parameters: armed_incidents_per_year is required by simulate when the workbook has "
                "no Incidents sheet (how many armed incidents a year the force expects)"
            )
        years = got["incident_years"] or 1.0
        per_year = len(incidents) / years  # type: ignore[arg-type]
        notes.append(f"armed incidents a year: {per_year:g} (the Incidents rows over {years:g} year(s))")
    else:
        notes.append(f"armed incidents a year: {per_year:g} (parameter armed_incidents_per_year)")
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


def hour_weights(inputs: ForceInputs) -> np.ndarray:
    """b_h over the 168 hours of the week (docs/measures.md#hour-weights), as a clear error if unusable."""
    try:
        return np.asarray(week.hour_weights(inputs), dtype=np.float64)
    except ValueError as exc:
        raise InvalidWorkbookError(f"Parameters: {exc}") from None


def incident_weights(inputs: ForceInputs) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Area weights (incident counts c_a, else the threat index t_a) and hour weights b_h."""
    counts = incident_counts(inputs)
    if counts is not None:
        area_w = counts
        note = "incidents fall in areas in proportion to the Incidents rows in each"
    else:
        area_w = threat_index(inputs.threat, inputs.indicators)
        note = "incidents fall in areas in proportion to the threat index (no Incidents sheet)"
        if area_w.sum() <= 0:
            raise InvalidWorkbookError(
                "Threat: the threat index is 0 in every area, so simulate cannot place incidents "
                "(add an Incidents sheet or threat indicators)"
            )
    return area_w, hour_weights(inputs), [note]


def option_sim_units(inputs: ForceInputs, option_id: str) -> SimUnits:
    """One option's units (:func:`desktop_app.core.coverage.units.option_units`) as :class:`SimUnits`.

    Response minutes are rounded to ``RESPONSE_DECIMALS`` as the coverage engine rounds
    them, so a response exactly on target counts as within it in both.
    """
    u = week.option_units(inputs, option_id)
    return SimUnits(
        response=np.round(u.response.astype(np.float64), RESPONSE_DECIMALS),
        busy=u.busy.astype(np.float64),
        posts=u.posts.astype(np.int64),
        crew=u.crew.astype(np.int64),
        active=u.active.astype(bool),
    )
