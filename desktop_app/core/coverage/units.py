"""One option's armed units, resolved once: where, how many, how busy, when and how quick.

Every busy-unit measure, the optimiser and the simulation start from the same
:class:`OptionUnits`, so a deployment's busy fraction, mobilisation, hours of the
week and response times are worked out in exactly one place
(docs/measures.md#busy-units-the-chance-that-a-free-unit-can-arrive-in-time). Response minutes r_da = ``authorisation_minutes``
+ m_d + tt(s_d, a); a blank busy fraction or mobilisation takes the asset type's
default from Parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from desktop_app.core.model import ForceInputs
from desktop_app.core.workbook.week import (
    DAY_SHORT,
    HOURS_OF_WEEK,
    hour_of_week,
    parse_days,
    parse_weekday,
    shift_hours,
)

__all__ = [
    "HOURS_OF_WEEK", "DAY_SHORT", "OptionUnits", "active_week", "hour_of_week", "hour_weights", "raw_hour_weights", "option_units",
    "parse_days", "parse_weekday", "shift_hours", "units_of",
]


@dataclass(frozen=True)
class OptionUnits:
    """The deployments of one option as arrays (n deployments, A areas).

    - ``deployment_ids``: index label of each row in the deployments table it came
      from (for a workbook option, the row position in ``inputs.deployments``);
    - ``site_index``: row of ``inputs.sites``; ``posts`` n_d; ``crew`` c_d (int64);
    - ``busy`` q_d and ``mobilisation`` m_d (float64, defaults applied);
    - ``active``: (n, 168) bool, hour h of the week in H_d;
    - ``response``: (n, A) float32 minutes r_da = authorisation + m_d + tt(s_d, a);
    - ``asset_type``: object array of the asset type codes.
    """

    option_id: str
    deployment_ids: np.ndarray
    site_index: np.ndarray
    posts: np.ndarray
    crew: np.ndarray
    busy: np.ndarray
    mobilisation: np.ndarray
    active: np.ndarray
    response: np.ndarray
    asset_type: np.ndarray

    @property
    def n(self) -> int:
        return int(self.site_index.shape[0])


def _authorisation(inputs: ForceInputs) -> float:
    return float(getattr(inputs.parameters, "authorisation_minutes", 0.0) or 0.0)


def _resolved(values: pd.Series | None, assets: np.ndarray, default: object) -> np.ndarray:
    """A float column with blanks (NaN) replaced by ``default(asset_type)``."""
    n = assets.shape[0]
    out = np.full(n, np.nan) if values is None else pd.to_numeric(values, errors="coerce").to_numpy(np.float64, copy=True)
    blank = np.isnan(out)
    if blank.any():
        out[blank] = [default(a) for a in assets[blank]]  # type: ignore[operator]
    return out


def _site_index(inputs: ForceInputs, deps: pd.DataFrame) -> np.ndarray:
    if "site_index" in deps.columns:
        idx = pd.to_numeric(deps["site_index"], errors="coerce").to_numpy(np.float64)
        if len(idx) == 0 or (np.isfinite(idx).all() and (idx >= 0).all()):
            return idx.astype(np.int64)
    lookup = {sid: i for i, sid in enumerate(inputs.sites["site_id"].astype(str))}
    missing = sorted({str(s) for s in deps["site_id"] if str(s) not in lookup})
    if missing:
        raise KeyError(f"unknown site_id(s) in deployments: {', '.join(missing)}")
    return np.array([lookup[str(s)] for s in deps["site_id"]], dtype=np.int64)


def active_week(deps: pd.DataFrame) -> np.ndarray:
    """(n, 168) hours of the week each row is on duty; one :func:`shift_hours` per distinct (start, end, days)."""
    days = deps["days"].fillna("").astype(str).tolist() if "days" in deps.columns else [""] * len(deps)
    cache: dict[tuple[int, int, frozenset[int]], np.ndarray] = {}
    rows = []
    for start, end, text in zip(deps["start_hour"].tolist(), deps["end_hour"].tolist(), days, strict=True):
        key = (int(start), int(end), parse_days(text))
        if key not in cache:
            cache[key] = shift_hours(key[0], key[1], key[2])
        rows.append(cache[key])
    return np.vstack(rows) if rows else np.zeros((0, HOURS_OF_WEEK), dtype=bool)


def units_of(inputs: ForceInputs, deployments: pd.DataFrame, option_id: str = "(ad hoc)") -> OptionUnits:
    """:class:`OptionUnits` of any deployments table (a workbook option, an optimiser result...).

    ``deployments`` has the columns of ``ForceInputs.deployments``; ``site_index``,
    ``days``, ``busy_fraction`` and ``mobilisation_minutes`` may be missing or blank.
    """
    params = inputs.parameters
    assets = deployments["asset_type"].astype(str).to_numpy(dtype=object)
    site = _site_index(inputs, deployments)
    mob = _resolved(deployments.get("mobilisation_minutes"), assets, params.mobilisation_minutes)
    busy = _resolved(deployments.get("busy_fraction"), assets, params.busy_fraction)
    travel = inputs.travel_minutes
    # travel[site] is already a new float32 array: add in place (national: 600 x 35,672 = 85 MB).
    response = np.asarray(travel[site], dtype=np.float32) if len(site) else np.zeros((0, travel.shape[1]), np.float32)
    response += (np.float32(_authorisation(inputs)) + mob.astype(np.float32))[:, None]
    return OptionUnits(
        option_id=option_id,
        deployment_ids=deployments.index.to_numpy(),
        site_index=site,
        posts=deployments["posts"].to_numpy(dtype=np.int64),
        crew=deployments["crew_size"].to_numpy(dtype=np.int64),
        busy=busy,
        mobilisation=mob,
        active=active_week(deployments),
        response=response,
        asset_type=assets,
    )


def option_units(inputs: ForceInputs, option_id: str) -> OptionUnits:
    """The units of one workbook option (KeyError for an unknown option)."""
    if option_id not in set(inputs.option_ids):
        raise KeyError(f"unknown option_id: {option_id}")
    deps = inputs.deployments[inputs.deployments["option_id"].astype(str) == option_id]
    return units_of(inputs, deps, option_id)


def raw_hour_weights(inputs: ForceInputs) -> np.ndarray:
    """The hour weights before scaling (168,): 1 per hour (flat), incident counts or profile weights.

    Kept unscaled so sums over whole hours stay exact (a share covered in all 168 hours
    is exactly 1); :func:`hour_weights` scales them to sum to 1.
    """
    mode = str(inputs.parameters.hour_weighting).lower()  # default in the schema
    if mode == "flat":
        return np.ones(HOURS_OF_WEEK)
    if mode == "incidents":
        table = getattr(inputs, "incidents", None)
        if table is None or len(table) == 0:
            raise ValueError("hour_weighting is incidents but the workbook has no Incidents rows")
        h = 24 * table["weekday"].to_numpy(np.int64) + table["hour"].to_numpy(np.int64)
        w: np.ndarray = np.bincount(h, minlength=HOURS_OF_WEEK).astype(np.float64)
    elif mode == "profile":
        table = getattr(inputs, "demand_profile", None)
        if table is None or len(table) == 0:
            raise ValueError("hour_weighting is profile but the workbook has no DemandProfile rows")
        h = 24 * table["weekday"].to_numpy(np.int64) + table["hour"].to_numpy(np.int64)
        w = np.bincount(h, weights=table["weight"].to_numpy(np.float64), minlength=HOURS_OF_WEEK)
    else:
        raise ValueError(f"hour_weighting '{mode}' is not flat, incidents or profile")
    total = float(w.sum())
    if not np.isfinite(total) or total <= 0:
        raise ValueError(f"hour_weighting is {mode} but it gives no weight to any hour of the week")
    return w


def hour_weights(inputs: ForceInputs) -> np.ndarray:
    """b_h (168,) summing to 1 (docs/measures.md#hour-weights).

    ``flat``: 1/168 each; ``incidents``: the share of Incidents rows in hour h;
    ``profile``: the DemandProfile weights scaled to sum to 1 (hours not listed weigh 0).
    """
    w = raw_hour_weights(inputs)
    return w / w.sum()
