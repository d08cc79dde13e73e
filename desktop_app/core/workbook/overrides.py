"""Apply Scenarios / Uncertainty overrides to validated inputs, as if the workbook said so.

docs/appraisal-method.md#scenarios. An override names a parameter or
``OPTION_ID.one_off_cost_gbp`` / ``OPTION_ID.annual_cost_gbp``. The copy it returns is
what the reader would have produced from the same workbook edited by hand: a changed
default busy fraction or mobilisation reaches every deployment that left it blank, and
a changed road circuity or speed re-estimates every travel time that was estimated.
The input is never changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, replace

import numpy as np

from desktop_app.core.model import ForceInputs, Parameters
from desktop_app.core.workbook.appraisal_sheets import override_target
from desktop_app.core.workbook.travel_times import _estimate_into

Override = tuple[str, object]
_PARAM_FIELDS = {f.name for f in fields(Parameters)}


def apply_overrides(inputs: ForceInputs, overrides: Sequence[Override]) -> ForceInputs:
    """A copy of ``inputs`` with each (target, value) applied; raises KeyError for an unknown target."""
    if not overrides:
        return inputs
    params = inputs.parameters
    options = inputs.options
    changed: dict[str, object] = {}
    extra = dict(params.extra)
    for name, value in overrides:
        target = override_target(name)
        if target is None:
            raise KeyError(name)
        col, oid = target
        if oid is None:
            if col in _PARAM_FIELDS:
                changed[col] = value
            else:
                extra[col] = str(value)
            continue
        if options is inputs.options:
            options = options.copy()
        hit = options["option_id"] == oid
        if not hit.any():
            raise KeyError(name)
        options.loc[hit, col] = float(value)  # type: ignore[arg-type,index]
    new_params = replace(params, **changed, extra=extra,  # type: ignore[arg-type]
                         defaulted=tuple(n for n in params.defaulted if n not in changed))
    out = replace(inputs, parameters=new_params, options=options)
    out = _redefault_deployments(out, params)
    return _reestimate_travel(out, params)


def _redefault_deployments(inputs: ForceInputs, old: Parameters) -> ForceInputs:
    """Deployments that took the asset type's default follow a changed default."""
    new = inputs.parameters
    if (new.busy_fraction_arv, new.busy_fraction_aro, new.mobilisation_minutes_arv, new.mobilisation_minutes_aro) == (
            old.busy_fraction_arv, old.busy_fraction_aro, old.mobilisation_minutes_arv, old.mobilisation_minutes_aro):
        return inputs
    deps = inputs.deployments.copy()
    asset = deps["asset_type"].astype(str)
    for flag, column, lookup in (("busy_fraction_default", "busy_fraction", new.busy_fraction),
                                 ("mobilisation_default", "mobilisation_minutes", new.mobilisation_minutes)):
        if flag not in deps:
            continue
        mask = deps[flag].fillna(False).astype(bool).to_numpy()
        if mask.any():
            deps.loc[mask, column] = [lookup(a) for a in asset[mask]]
    return replace(inputs, deployments=deps)


def _reestimate_travel(inputs: ForceInputs, old: Parameters) -> ForceInputs:
    """Estimated travel times follow a changed road_circuity or speed, computed as the reader does."""
    new = inputs.parameters
    if (new.road_circuity, new.speed_kmh_urban, new.speed_kmh_rural) == (
            old.road_circuity, old.speed_kmh_urban, old.speed_kmh_rural) or not inputs.estimated.any():
        return inputs
    areas, sites = inputs.areas, inputs.sites
    speed = np.where(areas["is_rural"].to_numpy(dtype=bool), new.speed_kmh_rural, new.speed_kmh_urban)
    per_metre = new.road_circuity * 60.0 / (1000.0 * speed)
    travel = inputs.travel_minutes.copy()
    _estimate_into(travel, inputs.estimated, sites["easting"].to_numpy(dtype=np.float64),
                   sites["northing"].to_numpy(dtype=np.float64), areas["easting"].to_numpy(dtype=np.float64),
                   areas["northing"].to_numpy(dtype=np.float64), per_metre)
    return replace(inputs, travel_minutes=travel)
