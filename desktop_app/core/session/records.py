"""The plain records a workshop session adds on top of the workbook, and its error.

Weight sets, judgement edits and added options are small frozen values with their own
``to_json``/``from_json``, so the undo stack, the optimiser view and the session file
can share them without any of them knowing about files. :class:`SessionError` lives
here, at the bottom of the session modules, because every one of them raises it.

Public names are re-exported from :mod:`desktop_app.core.session.document`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop_app.core.errors import ToolError


class SessionError(ToolError):
    """A session file cannot be read or written (one line, exit status 2)."""

    exit_status = 2


@dataclass(frozen=True)
class WeightSet:
    """A named stakeholder weight set: raw swing weights by criterion.

    ``source`` is ``"workbook"`` for sets read from the WeightSets sheet and
    ``"captured"`` for sets the facilitator captured in the room.
    """

    name: str
    weights: dict[str, float]
    source: str = "captured"

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "source": self.source, "weights": dict(self.weights)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WeightSet:
        return cls(
            name=str(data["name"]),
            weights={str(k): float(v) for k, v in dict(data["weights"]).items()},
            source=str(data.get("source", "captured")),
        )


@dataclass(frozen=True)
class JudgementEdit:
    """A judgement score the workshop changed, with the workbook's original beside it.

    ``original_score``/``original_rationale`` are None when the workbook had no
    judgement for this pair (e.g. a criterion scored for an option the workshop added).
    """

    option_id: str
    criterion_id: str
    original_score: float | None
    score: float
    original_rationale: str | None
    rationale: str

    def to_json(self) -> dict[str, Any]:
        return {
            "option_id": self.option_id,
            "criterion_id": self.criterion_id,
            "original_score": self.original_score,
            "score": self.score,
            "original_rationale": self.original_rationale,
            "rationale": self.rationale,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> JudgementEdit:
        orig = data.get("original_score")
        return cls(
            option_id=str(data["option_id"]),
            criterion_id=str(data["criterion_id"]),
            original_score=None if orig is None else float(orig),
            score=float(data["score"]),
            original_rationale=(
                None if data.get("original_rationale") is None else str(data["original_rationale"])
            ),
            rationale=str(data.get("rationale", "")),
        )


@dataclass(frozen=True)
class DeploymentSpec:
    """One row of the Deployments sheet for an option added in the workshop.

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
            posts=int(data.get("posts", 1)),
            crew_size=int(data.get("crew_size", 1)),
            start_hour=int(data.get("start_hour", 0)),
            end_hour=int(data.get("end_hour", 24)),
            busy_fraction=None if bf is None else float(bf),
            mobilisation_minutes=None if mm is None else float(mm),
        )


@dataclass(frozen=True)
class OptionSpec:
    """An option the workshop added (e.g. "baseline + 4 ARO posts" from the optimiser).

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
    def from_json(cls, data: Mapping[str, Any]) -> OptionSpec:
        return cls(
            option_id=str(data["option_id"]),
            option_name=str(data["option_name"]),
            description=str(data.get("description", "")),
            one_off_cost_gbp=float(data.get("one_off_cost_gbp", 0.0)),
            annual_cost_gbp=float(data.get("annual_cost_gbp", 0.0)),
            implementation_months=float(data.get("implementation_months", 0.0)),
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
