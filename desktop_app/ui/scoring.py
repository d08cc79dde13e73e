"""The window's live scoring: the core's :class:`LiveScorer` over the app state.

The scoring itself is :mod:`desktop_app.core.appraisal.live` (the same path the command
line and the summary export take); this only supplies the state's run, weights and
judgement edits to the state's one scorer (``AppState.scorer``), which builds the value
model once per run and set of edits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.core.appraisal.live import LIVE_WEIGHTS_NAME
from desktop_app.core.appraisal.value_model import ValueModel
from desktop_app.core.results import Appraisal

if TYPE_CHECKING:
    from desktop_app.ui.state import AppState

__all__ = ["LIVE_WEIGHTS_NAME", "score_live", "value_model"]


def value_model(state: AppState) -> ValueModel:
    """The run's value model with the workshop's judgement overrides applied (cached)."""
    return state.scorer.value_model(state.run, state.judgement_override_scores(),
                                    state.workshop.value_points_by_criterion())


def score_live(state: AppState) -> Appraisal:
    """Score and rank under ``state.weights``; robustness is carried over from the run."""
    return state.scorer.score(state.run, state.weights, state.judgement_override_scores(),
                              state.workbook_weights(), state.workshop.value_points_by_criterion(),
                              state.workshop.group_weights or None)
