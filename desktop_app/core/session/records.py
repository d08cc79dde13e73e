"""The plain records a workshop session adds on top of the workbook, and its error.

Weight sets and judgement edits are small frozen values with their own
``to_json``/``from_json``, so the undo stack, the workshop state and the session file
can share them without any of them knowing about files. Added options are
:class:`~desktop_app.core.added_option.AddedOption` (re-exported here), the one type the
optimiser, the pipeline and the session share. :class:`SessionError` lives
here, at the bottom of the session modules, because every one of them raises it.

Public names are re-exported from :mod:`desktop_app.core.session.document`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop_app.core.added_option import AddedOption, DeploymentSpec, finite, whole
from desktop_app.core.errors import ToolError

__all__ = ["AddedOption", "DeploymentSpec", "JudgementEdit", "SessionError", "WeightSet", "finite", "whole"]


class SessionError(ToolError):
    """A session file cannot be read or written (one line, exit status 2)."""

    exit_status = 2


@dataclass(frozen=True)
class WeightSet:
    """A named stakeholder weight set: raw swing weights by criterion.

    ``source`` is ``"workbook"`` for sets read from the WeightSets sheet and
    ``"captured"`` for sets the facilitator captured in the room, ``"survey"`` for a group's
    median weights imported from survey results (docs/survey.md#in-the-app).
    """

    name: str
    weights: dict[str, float]
    source: str = "captured"
    #: For a survey group, its spread, so a saved session keeps it: ``respondents`` (count),
    #: ``q1`` and ``q3`` (criterion -> quartile of the respondents' weights) and
    #: ``respondent_weights`` (each respondent's criterion -> weight). None otherwise.
    survey: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        out = {"name": self.name, "source": self.source, "weights": dict(self.weights)}
        if self.survey is not None:
            out["survey"] = self.survey
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WeightSet:
        survey = data.get("survey")
        return cls(
            name=str(data["name"]),
            weights={str(k): finite(v) for k, v in dict(data["weights"]).items()},
            source=str(data.get("source", "captured")),
            survey=None if survey is None else survey_spread(survey),
        )


#: Most respondents a saved survey group may hold (as ``survey-collect`` reads at most 20,000 forms).
MAX_SURVEY_RESPONDENTS = 20_000


def survey_spread(data: object) -> dict[str, Any]:
    """A survey group's spread, checked: finite weights only (docs/survey.md#in-the-app)."""
    if not isinstance(data, Mapping):
        raise ValueError("a survey group's spread is not a table")
    people = list(data["respondent_weights"])
    if len(people) > MAX_SURVEY_RESPONDENTS:
        raise ValueError(f"more than {MAX_SURVEY_RESPONDENTS:,} respondents in a survey group")

    def weights(d: object) -> dict[str, float]:
        return {str(k): finite(v) for k, v in dict(d).items()}  # type: ignore[call-overload]

    return {"respondents": whole(data["respondents"]), "q1": weights(data["q1"]), "q3": weights(data["q3"]),
            "respondent_weights": [weights(r) for r in people]}


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
            original_score=None if orig is None else finite(orig),
            score=finite(data["score"]),
            original_rationale=(
                None if data.get("original_rationale") is None else str(data["original_rationale"])
            ),
            rationale=str(data.get("rationale", "")),
        )
