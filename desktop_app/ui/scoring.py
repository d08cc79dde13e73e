"""Live re-scoring for the sliders: the core's value model built once, weighted many times.

Building the value model (scales, judgement scores) is the slow part; re-weighting it
is one matrix-vector product (``core.appraisal.value_model.score``). The model is cached per run
and per set of judgement overrides, so a slider move costs microseconds of arithmetic
and the rest of the budget goes on redrawing charts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop_app.core.appraisal import value_model as core_appraisal
from desktop_app.core.appraisal.sensitivity import one_way
from desktop_app.core.results import Appraisal

if TYPE_CHECKING:
    from desktop_app.ui.state import AppState

LIVE_WEIGHTS_NAME = "Current weights"


def value_model(state: AppState) -> core_appraisal.ValueModel:
    """The run's value model with the workshop's judgement overrides applied (cached)."""
    run = state.run
    overrides = state.judgement_override_scores()
    key = (id(run), tuple(sorted(overrides.items())))
    cache: dict[str, Any] = state.__dict__.setdefault("_scoring_cache", {"key": None, "model": None})
    if cache["key"] != key or cache["model"] is None:
        model = getattr(run, "value_model", None) if not overrides else None
        if model is None:
            model = core_appraisal.build_value_model(run.inputs, run.coverage.measures, overrides)
        cache["key"] = key
        cache["model"] = model
    return cache["model"]


def score_live(state: AppState) -> Appraisal:
    """Score and rank under ``state.weights``; robustness is carried over from the run.

    SMAA-2 draws weights from the whole simplex, so it does not depend on the current
    weights and need not be re-run on every slider move.
    """
    model = value_model(state)
    weights = {cid: state.weights.get(cid, 0.0) for cid in model.criterion_ids}
    name = (
        core_appraisal.CRITERIA_WEIGHTS if weights == state.workbook_weights() else LIVE_WEIGHTS_NAME
    )
    # A stakeholder weight set gives flat criterion weights; any other weights go through
    # the value tree (docs/appraisal-method.md#value-tree).
    inputs = getattr(state.run, "inputs", None)
    is_set = inputs is not None and any(weights == inputs.weight_set(n) for n in inputs.weight_set_names())
    result = core_appraisal.appraise(model, weights, weights_name=name, tree=not is_set)
    result.sensitivity = one_way(
        model.values, result.weights.to_numpy(), model.option_ids, model.criterion_ids, model.active
    )
    base = getattr(state.run, "appraisal", None)
    if base is not None:
        result.robustness = base.robustness
    return result
