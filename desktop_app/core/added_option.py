"""An option that is not in the workbook, and the one function that builds its deployments.

The optimiser's answer ("the baseline plus one 24-hour post at each of these stations"),
an option the workshop adds with "Add as option", one restored from a session file and
one written into a copy of the workbook are the same thing: an Options row plus its
Deployments rows. :class:`AddedOption` is that record (frozen, with its own JSON for the
session file), and :func:`added_option_deployments` turns it into a deployments table
exactly as the reader would have read the same rows from the Deployments sheet (blank
busy fraction and mobilisation take the asset type's default from Parameters;
docs/workbook-format.md#defaults). :func:`optimiser_option` is how the optimiser's
chosen sites become one, so the command line's workbook copy, the optimiser view and
the MILP's own evaluation all describe the same posts.

It sits just above the model (it needs only :class:`~desktop_app.core.model.ForceInputs`),
so the coverage engine, the optimiser, the session and the pipeline can all share it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from desktop_app.core.model import ForceInputs

#: Integer columns of ``ForceInputs.deployments`` (the rest are text or float).
_INT_COLUMNS = ("posts", "crew_size", "start_hour", "end_hour", "site_index", "excel_row")


def finite(value: object) -> float:
    """A number read from a session file: NaN and infinities are refused (they are never numbers).

    A captured weight of NaN would make every later save and autosave fail, so it is
    refused on loading, where the file can be named (docs/reliability.md#guarantees).
    """
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise ValueError(f"{str(value)[:40]!r} is not a finite number")
    return number


def whole(value: object) -> int:
    """A whole number read from a session file, at most a trillion either way."""
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise ValueError(f"{str(value)[:40]!r} is not a whole number")
    number = int(value)  # type: ignore[call-overload]
    if abs(number) > 10**12:
        raise ValueError(f"{str(value)[:40]!r} is out of range")
    return number


#: Officers per post the optimiser adds: one for an armed response officer, two for an ARV
#: crew (docs/measures.md#where-to-arm-officers-the-optimiser).
POST_CREW = {"ARMED_RESPONSE_OFFICER": 1, "ARV": 2, "NEIGHBOUR_ARV": 2}


@dataclass(frozen=True)
class DeploymentSpec:
    """One row of the Deployments sheet for an added option.

    ``busy_fraction``/``mobilisation_minutes`` None means "the asset type's default
    from Parameters", exactly as a blank cell in the workbook does.
    """

    site_id: str
    asset_type: str
    posts: int = 1
    crew_size: int = 1
    start_hour: int = 0
    end_hour: int = 24
    busy_fraction: float | None = None
    mobilisation_minutes: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "site_id": self.site_id,
            "asset_type": self.asset_type,
            "posts": self.posts,
            "crew_size": self.crew_size,
            "start_hour": self.start_hour,
            "end_hour": self.end_hour,
            "busy_fraction": self.busy_fraction,
            "mobilisation_minutes": self.mobilisation_minutes,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DeploymentSpec:
        bf, mm = data.get("busy_fraction"), data.get("mobilisation_minutes")
        return cls(
            site_id=str(data["site_id"]),
            asset_type=str(data["asset_type"]),
            posts=whole(data.get("posts", 1)),
            crew_size=whole(data.get("crew_size", 1)),
            start_hour=whole(data.get("start_hour", 0)),
            end_hour=whole(data.get("end_hour", 24)),
            busy_fraction=None if bf is None else finite(bf),
            mobilisation_minutes=None if mm is None else finite(mm),
        )


@dataclass(frozen=True)
class AddedOption:
    """An option added outside the workbook (e.g. "baseline + 4 ARO posts" from the optimiser).

    Mirrors one Options row plus its Deployments rows. ``include_baseline`` says the
    option is the baseline's deployments *plus* ``deployments`` (how the optimiser
    defines its result, docs/measures.md#where-to-arm-officers-the-optimiser); otherwise ``deployments`` is the whole
    option. Costs are what the user entered, not computed.
    """

    option_id: str
    option_name: str
    description: str = ""
    one_off_cost_gbp: float = 0.0
    annual_cost_gbp: float = 0.0
    implementation_months: float = 0.0
    deployments: tuple[DeploymentSpec, ...] = ()
    include_baseline: bool = True
    source: str = "optimiser"

    def to_json(self) -> dict[str, Any]:
        return {
            "option_id": self.option_id,
            "option_name": self.option_name,
            "description": self.description,
            "one_off_cost_gbp": self.one_off_cost_gbp,
            "annual_cost_gbp": self.annual_cost_gbp,
            "implementation_months": self.implementation_months,
            "include_baseline": self.include_baseline,
            "source": self.source,
            "deployments": [d.to_json() for d in self.deployments],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AddedOption:
        return cls(
            option_id=str(data["option_id"]),
            option_name=str(data["option_name"]),
            description=str(data.get("description", "")),
            one_off_cost_gbp=finite(data.get("one_off_cost_gbp", 0.0)),
            annual_cost_gbp=finite(data.get("annual_cost_gbp", 0.0)),
            implementation_months=finite(data.get("implementation_months", 0.0)),
            deployments=tuple(DeploymentSpec.from_json(d) for d in data.get("deployments", [])),
            include_baseline=bool(data.get("include_baseline", True)),
            source=str(data.get("source", "optimiser")),
        )

    def options_row(self) -> dict[str, Any]:
        """The option as an Options-sheet row (``baseline`` False: an added option never is)."""
        return {
            "option_id": self.option_id,
            "option_name": self.option_name,
            "description": self.description,
            "baseline": False,
            "one_off_cost_gbp": float(self.one_off_cost_gbp),
            "annual_cost_gbp": float(self.annual_cost_gbp),
            "implementation_months": float(self.implementation_months),
        }

    def deployment_rows(self, baseline_rows: Iterable[Mapping[str, Any]] = ()) -> list[dict[str, Any]]:
        """Deployments-sheet rows of the option; ``baseline_rows`` first when it builds on them."""
        rows: list[dict[str, Any]] = []
        if self.include_baseline:
            for r in baseline_rows:
                row = dict(r)
                row["option_id"] = self.option_id
                rows.append(row)
        for d in self.deployments:
            row = d.to_json()
            row["option_id"] = self.option_id
            rows.append(row)
        return rows


def optimiser_option(
    site_ids: Sequence[str],
    asset_type: str,
    option_id: str,
    option_name: str = "",
    description: str = "",
    *,
    include_baseline: bool = True,
) -> AddedOption:
    """The optimiser's answer as an option: one post on duty all week at each chosen site.

    Crew is the asset type's (:data:`POST_CREW`: 1 for an armed response officer, 2 for an ARV).

    Busy fraction and mobilisation are left blank, so the asset type's defaults apply,
    as the optimiser assumed (docs/measures.md#where-to-arm-officers-the-optimiser). Costs are 0: the optimiser knows where
    posts go, not what they cost.
    """
    return AddedOption(
        option_id=option_id,
        option_name=option_name or option_id,
        description=description,
        deployments=tuple(DeploymentSpec(str(s), asset_type, crew_size=POST_CREW.get(asset_type, 1))
                          for s in site_ids),
        include_baseline=include_baseline,
        source="optimiser",
    )


def added_option_deployments(inputs: ForceInputs, option: AddedOption) -> pd.DataFrame:
    """The option's deployments with the columns and dtypes of ``ForceInputs.deployments``.

    The baseline's own rows come first when the option builds on the baseline; blank busy
    fraction and mobilisation take the asset type's default, and ``site_index`` is the
    site's row in Sites. A site that is not in the workbook is a :class:`ValueError`
    naming it (a session restored against a changed workbook can meet one).
    """
    params = inputs.parameters
    site_index = {sid: i for i, sid in enumerate(inputs.sites["site_id"].astype(str))}
    base_rows: list[dict[str, Any]] = []
    if option.include_baseline:
        deps = inputs.deployments
        base_rows = [{str(k): v for k, v in r.items()}
                     for r in deps[deps["option_id"] == inputs.baseline_id].to_dict("records")]
    rows = []
    for r in option.deployment_rows(base_rows):
        row = dict(r)
        asset = str(row["asset_type"])
        # A value left blank is marked as the default's, as the reader marks a blank cell, so a
        # scenario that changes the default reaches it too (docs/appraisal-method.md#awaiting-scores).
        for column, flag, default in (("busy_fraction", "busy_fraction_default", params.busy_fraction),
                                      ("mobilisation_minutes", "mobilisation_default", params.mobilisation_minutes)):
            if row.get(column) is None or pd.isna(row.get(column)):
                row[column], row[flag] = default(asset), True
            elif flag not in row or pd.isna(row.get(flag)):
                row[flag] = False
        if "site_index" not in row or pd.isna(row.get("site_index")):
            if str(row["site_id"]) not in site_index:
                raise ValueError(f"site {row['site_id']} is not in the workbook's Sites sheet")
            row["site_index"] = site_index[str(row["site_id"])]
        row.setdefault("excel_row", 0)
        rows.append(row)
    columns = list(inputs.deployments.columns)
    frame = pd.DataFrame(rows)
    for c in columns:
        if c not in frame.columns:
            # an added post is on duty every day (docs/workbook-format.md#hours-on-duty-the-week)
            frame[c] = "" if c == "days" else 0
        elif c == "days":
            frame[c] = frame[c].fillna("")
    frame = frame[columns]
    for c in _INT_COLUMNS:
        if c in frame.columns:
            frame[c] = frame[c].astype(np.int64)
    for c in ("busy_fraction", "mobilisation_minutes"):
        if c in frame.columns:
            frame[c] = frame[c].astype(float)
    for c in ("busy_fraction_default", "mobilisation_default"):
        if c in frame.columns:
            frame[c] = frame[c].astype(bool)
    return frame.reset_index(drop=True)
