"""Whether the scenario and parameter-sensitivity re-runs on screen still match the sliders.

The run's own re-runs (made when the workbook was opened) are under the workbook's
weights with no workshop edits; a re-run made in the app is under what the state held
when it started. Either goes stale when the weights, a judgement edit or a value function
changes since, and the views say so rather than show figures under weights nobody holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop_app.core.appraisal.value_functions import with_value_points
from desktop_app.core.appraisal.what_if import WeightsChoice

if TYPE_CHECKING:
    from desktop_app.core.model import ForceInputs
    from desktop_app.ui.state import AppState

STALE_NOTE = ("The weights, judgements or value functions have changed since these re-runs: "
              "re-run to see them under the current ones.")


def stale_key(state: AppState) -> tuple[Any, ...]:
    """What a re-run depends on besides the workbook: weights, judgement edits, value functions."""
    return (tuple(sorted(state.weights.items())), tuple(sorted(state.judgement_override_scores().items())),
            tuple(sorted(state.workshop.value_points_by_criterion().items())),
            tuple(sorted(state.workshop.group_weights.items())))  # a moved branch slider too


def is_stale(state: AppState, made_under: tuple[Any, ...] | None) -> bool:
    """True when the state no longer holds what the re-runs on screen were made under."""
    if made_under is None:  # the run's own: the workbook's weights, no edits
        made_under = (tuple(sorted(state.workbook_weights().items())), (), (),
                      tuple(sorted(state.workshop.workbook_group_weights.items())))
    return stale_key(state) != made_under


def screen_choice(state: AppState, inputs: ForceInputs) -> tuple[ForceInputs, WeightsChoice]:
    """The inputs and weights a re-run takes from the screen: the workshop's value functions
    applied, the sliders' weights and the room's judgement edits.

    The weights go through the value tree with the branch sliders' weights, as the live
    scorer ranks them (core/appraisal/live.py); a stakeholder set is on the sliders with
    its branches at their criteria's sums, which gives its flat shares.
    """
    inputs = with_value_points(inputs, state.workshop.value_points_by_criterion())
    weights = {c: float(w) for c, w in state.weights.items()}
    groups = dict(state.workshop.group_weights) if state.workshop.has_tree else None
    return inputs, WeightsChoice(weights, state.weights_name(), True, groups, state.judgement_override_scores() or None)
