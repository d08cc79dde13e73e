"""Live scoring: one path from a run's value scores and some weights to a ranked appraisal.

Every front end scores options the same way: the command line and the summary export
through :func:`desktop_app.core.pipeline.run_appraisal`, the window's sliders and
workshop mode through :class:`LiveScorer`, the stakeholder sets through
:func:`appraise_weight_sets`. All of them call :func:`appraise_with_sensitivity`
(scores, ranks and the one-way switch points, docs/appraisal-method.md), so a figure
on the screen and the same figure in the summary agree to the last digit.

Building the value model (scales, judgement scores) is the slow part; re-weighting it
is one matrix-vector product. :class:`LiveScorer` keeps the model per run and per set
of judgement edits, so a slider move costs microseconds of arithmetic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from desktop_app.core.appraisal.ranking import CRITERIA_WEIGHTS, appraise
from desktop_app.core.appraisal.sensitivity import one_way
from desktop_app.core.appraisal.smaa import smaa
from desktop_app.core.appraisal.value_functions import ValuePoints, with_value_points
from desktop_app.core.appraisal.value_model import ValueModel, build_value_model
from desktop_app.core.progress import CancelledFn, ProgressFn, check_cancelled
from desktop_app.core.results import Appraisal, Robustness

#: The name of the weights on the sliders, wherever they stand beside other weights
#: (the live appraisal, the weight-set comparison's column).
LIVE_WEIGHTS_NAME = "Current weights"

Weights = Mapping[str, float] | Sequence[float] | np.ndarray | None


def appraise_with_sensitivity(model: ValueModel, weights: Weights, name: str, *, tree: bool = True,
                              group_weights: Mapping[str, float] | None = None) -> Appraisal:
    """Scores, ranks and one-way sensitivity under one set of raw weights (no SMAA-2).

    ``tree`` False for a stakeholder weight set: those give flat criterion weights
    (docs/appraisal-method.md#value-tree). ``group_weights``: the branch weights W_g on
    the branch sliders (default: the CriteriaGroups sheet's).
    """
    app = appraise(model, weights, name, tree=tree, group_weights=group_weights)
    app.sensitivity = one_way(model.values, app.weights.to_numpy(), model.option_ids,
                              model.criterion_ids, model.active)
    return app


def appraise_weight_sets(
    model: ValueModel,
    weight_sets: Mapping[str, Mapping[str, float]],
    known: Mapping[str, Appraisal] | None = None,
) -> dict[str, Appraisal]:
    """Appraise each stakeholder set on ``model`` (a criterion a set omits weighs 0).

    ``known`` holds appraisals already made of sets whose weights cannot have changed
    (the workbook's own sets, after the pipeline): they are re-used. Order is kept.
    """
    known = known or {}
    out: dict[str, Appraisal] = {}
    for name, raw in weight_sets.items():
        if name in known:
            out[name] = known[name]
            continue
        weights = {c: float(raw.get(c, 0.0)) for c in model.criterion_ids}
        out[name] = appraise_with_sensitivity(model, weights, name, tree=False)
    return out


class LiveScorer:
    """Re-scores a finished run under the sliders' weights, keeping its value model."""

    def __init__(self) -> None:
        self._key: tuple[Any, ...] | None = None
        self._model: ValueModel | None = None

    def value_model(self, run: Any, overrides: Mapping[tuple[str, str], float],
                    value_points: Mapping[str, ValuePoints] | None = None) -> ValueModel:
        """The run's value model with the workshop's judgement edits and value functions applied (cached).

        ``run`` is a :class:`~desktop_app.core.pipeline.AppraisalRun` (its ``inputs``,
        ``coverage`` and ``value_model``); with no edits its own model is used.
        ``value_points`` (criterion_id -> points) are value functions set in the workshop
        (docs/appraisal-method.md#value-functions).
        """
        points = dict(value_points or {})
        key = (id(run), tuple(sorted(overrides.items())), tuple(sorted(points.items())))
        if self._key != key or self._model is None:
            model = getattr(run, "value_model", None) if not overrides and not points else None
            if model is None:
                model = build_value_model(with_value_points(run.inputs, points), run.coverage.measures,
                                          dict(overrides))
            self._key, self._model = key, model
        return self._model

    def score(self, run: Any, weights: Mapping[str, float], overrides: Mapping[tuple[str, str], float],
              workbook_weights: Mapping[str, float],
              value_points: Mapping[str, ValuePoints] | None = None,
              group_weights: Mapping[str, float] | None = None) -> Appraisal:
        """Score and rank under ``weights`` (and branch weights ``group_weights``, default the sheet's).

        Robustness is carried over from the run.

        SMAA-2 draws weights from the whole simplex, so it does not depend on the current
        weights and need not be re-run on every slider move. The appraisal is named as
        the workbook's own when the weights are the Criteria sheet's.
        """
        model = self.value_model(run, overrides, value_points)
        chosen = {cid: float(weights.get(cid, 0.0)) for cid in model.criterion_ids}
        gw = dict(group_weights) if group_weights and model.group_weights is not None else None
        same_tree = gw is None or gw == model.group_weights
        name = CRITERIA_WEIGHTS if chosen == dict(workbook_weights) and same_tree else LIVE_WEIGHTS_NAME
        # Through the value tree: a stakeholder set (flat weights) is put on the sliders with
        # each branch at its criteria's sum, which gives its flat shares exactly
        # (core/session/set_weights.py), and a branch moved after it then counts.
        result = appraise_with_sensitivity(model, chosen, name, group_weights=gw)
        base = getattr(run, "appraisal", None)
        if base is not None:
            result.robustness = base.robustness
        return result


@dataclass(frozen=True)
class RobustnessRequest:
    """What an SMAA-2 re-run needs: a value model and the run's draws, seed and weights."""

    model: ValueModel
    weights: np.ndarray  # the current normalised criterion weights (used only with ``around``)
    samples: int
    seed: int
    around: float | None = None


def live_robustness(request: RobustnessRequest, progress: ProgressFn, cancelled: CancelledFn) -> Robustness:
    """SMAA-2 on a value model the workshop changed (a judgement or value-function edit, an option scored).

    The same call the pipeline makes at load (``_full_appraisal``), so the figures after
    an edit equal the command line's on the edited workbook
    (docs/appraisal-method.md#4-robustness-smaa-2). Runs in the app's task runner.
    """
    m = request.model
    check_cancelled(cancelled)
    progress(0.0, "Robustness (SMAA-2)")
    rob = smaa(m.values, m.active, m.option_ids, m.criterion_ids, low=m.low, high=m.high,
               samples=request.samples, seed=request.seed, current=request.weights, around=request.around)
    check_cancelled(cancelled)
    progress(1.0, "Done")
    return rob
