"""The application state every view reads, and the Qt adapter over the workshop state.

One QObject holds what is loaded (the ReadResult, the AppraisalRun with its coverage,
the live appraisal under the sliders' weights). What the user has changed (weights, the
active weight set, judgement edits, added options, weight sets) lives in the Qt-free
:class:`~desktop_app.core.session.state.WorkshopState` at ``workshop``; this class only
turns its change events into Qt signals and re-scores when weights or judgements change.
Views never change each other; they call a setter (here or on ``workshop``, often through
an undo command) and redraw on the signals.

Signals:
- ``inputs_changed``: a workbook was loaded (or failed validation); ``read_result`` is new.
- ``coverage_changed``: ``coverage`` is new (after a load or an added option).
- ``weights_changed``: ``weights`` changed (emitted before the re-score).
- ``judgements_changed``: ``judgement_overrides`` changed.
- ``options_changed``: ``extra_options`` changed; the main window re-runs the pipeline.
- ``weight_sets_changed`` / ``active_weight_set_changed``: the workshop's weight sets, or
  which one is on the sliders (``weights_name()`` says whose weights they are).
- ``appraisal_changed``: ``appraisal`` (the live scoring under the current weights) is new.
- ``swings_changed``: ``swing_changes`` is new: an added option or a judgement edit moved
  some local scale's ends (docs/appraisal-method.md#scales), or the list was cleared.

With a value tree the branch weights are the workshop state's ``group_weights``; a branch
slider's move emits ``weights_changed`` like a criterion's, and the shares come from
:meth:`WorkshopState.normalised_weights` (one home for the tree's arithmetic).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from desktop_app.core.added_option import AddedOption
from desktop_app.core.appraisal.live import LiveScorer
from desktop_app.core.appraisal.swings import SwingChange, swing_changes
from desktop_app.core.appraisal.value_functions import Scale
from desktop_app.core.model import Finding, ForceInputs, ReadResult
from desktop_app.core.results import Appraisal, CoverageResult
from desktop_app.core.session.records import WeightSet
from desktop_app.core.session.state import JudgementOverride, WorkshopState
from desktop_app.core.session.undo import Command


class AppState(QObject):
    """The single source of truth for the loaded force and the user's edits."""

    inputs_changed = Signal()
    coverage_changed = Signal()
    weights_changed = Signal()
    judgements_changed = Signal()
    options_changed = Signal()
    weight_sets_changed = Signal()
    active_weight_set_changed = Signal()
    appraisal_changed = Signal()
    #: Value functions set in the workshop changed (docs/appraisal-method.md#value-functions).
    value_points_changed = Signal()
    swings_changed = Signal()

    def __init__(self, parent: QObject | None = None, workshop: WorkshopState | None = None) -> None:
        super().__init__(parent)
        self.read_result: ReadResult | None = None
        self.run: Any = None  # desktop_app.core.pipeline.AppraisalRun
        self.appraisal: Appraisal | None = None
        self.workshop = workshop or WorkshopState()
        #: Re-scores the run under the sliders' weights (keeps the value model between moves).
        self.scorer = LiveScorer()
        #: Criterion last touched in the weights panel (the sensitivity chart follows it).
        self.focus_criterion: str | None = None
        #: While a weight slider is held down, a key shared by every change of that one drag
        #: (the undo stack merges them into one step); None otherwise. The sliders set it
        #: (:meth:`slider_held`), so nothing has to search the widgets for a slider that is down.
        self.drag_key: object = None
        self._drags = 0
        #: Criteria whose local scales the last change of options or judgements moved.
        self.swing_changes: list[SwingChange] = []
        self._scales: dict[str, Scale] | None = None  # the scales the weights were last set against
        self._scales_model: object = None
        #: SMAA-2 for a value model the workshop changed: (model, robustness) once re-run, and
        #: True while the re-run is under way (the views say "updating…").
        self._live_robustness: tuple[object, Any] | None = None
        self._robustness_asked: object = None
        self.robustness_updating = False
        self._refresher: Any = None  # desktop_app.ui.live_robustness.RobustnessRefresher, made on first use
        #: How a view makes an undoable change: the undo stack's ``push`` once
        #: :class:`~desktop_app.ui.undo.WorkshopUndo` is installed, else applied directly.
        self.push_command: Callable[[Command], None] = lambda command: command.apply(self.workshop)
        self.workshop.connect("weights", self._on_weights)
        self.workshop.connect("group_weights", self._on_group_weights)
        self.workshop.connect("judgements", self._on_judgements)
        self.workshop.connect("value_points", self._on_value_points)
        self.workshop.connect("options", self.options_changed.emit)
        self.workshop.connect("weight_sets", self.weight_sets_changed.emit)
        self.workshop.connect("active_weight_set", self.active_weight_set_changed.emit)

    def slider_held(self, down: bool) -> None:
        """A weight slider was pressed (``down``) or released: start or end one drag."""
        if down:
            self._drags += 1
            self.drag_key = ("drag", self._drags)
        else:
            self.drag_key = None

    # ------------------------------------------------------------- the workshop's
    @property
    def weights(self) -> dict[str, float]:
        """The raw swing weights on the sliders (the workshop state's)."""
        return self.workshop.weights

    @property
    def judgement_overrides(self) -> dict[tuple[str, str], JudgementOverride]:
        return self.workshop.judgements

    @property
    def extra_options(self) -> list[AddedOption]:
        return self.workshop.added_options

    @property
    def weight_sets(self) -> list[WeightSet]:
        return self.workshop.weight_sets

    @property
    def active_weight_set(self) -> str | None:
        return self.workshop.active_weight_set

    def weights_name(self) -> str:
        """Whose weights are on the sliders (docs/summary-workbook.md#whose-weights)."""
        return self.workshop.weights_name()

    def _on_weights(self) -> None:
        moved = self.workshop.moved_criterion
        if moved is not None:
            self.focus_criterion = moved  # the sensitivity chart follows the slider that moved
        self.weights_changed.emit()
        self.rescore()

    def _on_group_weights(self) -> None:
        self.weights_changed.emit()
        self.rescore()

    def _on_judgements(self) -> None:
        self.judgements_changed.emit()
        self.rescore()

    def _on_value_points(self) -> None:
        self.value_points_changed.emit()
        self.rescore()


    # ----------------------------------------------------------------- reading
    @property
    def inputs(self) -> ForceInputs | None:
        if self.run is not None:
            return self.run.inputs
        return self.read_result.inputs if self.read_result is not None else None

    @property
    def findings(self) -> list[Finding]:
        found: list[Finding] = list(self.read_result.findings) if self.read_result else []
        if self.run is not None:
            seen = set(found)
            for f in list(getattr(self.run, "findings", []) or []):
                if f not in seen:
                    found.append(f)
                    seen.add(f)
        return found

    @property
    def coverage(self) -> CoverageResult | None:
        return self.run.coverage if self.run is not None else None

    @property
    def path(self) -> Path | None:
        return self.read_result.path if self.read_result is not None else None

    @property
    def loaded(self) -> bool:
        """Whether there are results to show: the one test every results view goes by."""
        return self.run is not None and self.appraisal is not None

    def empty_reason(self) -> str | None:
        """Why there are no results to show (None when there are), in a sentence for the views.

        A workbook that fails to open drops every result of the one before it in
        :meth:`set_read_result`; the views show this sentence instead of figures.
        """
        if self.loaded:
            return None
        rr = self.read_result
        if rr is None:
            return "Open a force workbook to begin (File ▸ Open, or drop an .xlsx here)."
        if rr.inputs is None or rr.errors:
            n = len(rr.errors)
            return (f"{rr.path.name} could not be appraised: {n} validation error{'s' if n != 1 else ''}. "
                    "See the Data view for what to fix.")
        return f"Appraising {rr.path.name}…"

    def option_ids(self) -> list[str]:
        """Options in workbook order, then added ones (the order colours are assigned)."""
        if self.coverage is not None:
            return list(self.coverage.option_ids)
        inputs = self.inputs
        return inputs.option_ids if inputs is not None else []

    def option_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        inputs = self.inputs
        if inputs is not None:
            names.update(inputs.option_names())
        for extra in self.extra_options:
            names[extra.option_id] = extra.option_name
        return {oid: str(names.get(oid, oid)) for oid in self.option_ids()}

    def criterion_names(self) -> dict[str, str]:
        inputs = self.inputs
        if inputs is None:
            return {}
        return dict(zip(inputs.criteria["criterion_id"], inputs.criteria["criterion_name"].astype(str), strict=True))

    def workbook_weights(self) -> dict[str, float]:
        """The swing weights as the workbook's Criteria sheet gives them."""
        inputs = self.inputs
        if inputs is None:
            return {}
        return {str(c): float(w) for c, w in zip(inputs.criteria["criterion_id"], inputs.criteria["weight"], strict=True)}

    def workbook_weight_sets(self) -> list[WeightSet]:
        """The WeightSets sheet's groups, in workbook order."""
        inputs = self.inputs
        if inputs is None:
            return []
        return [WeightSet(n, inputs.weight_set(n), "workbook") for n in inputs.weight_set_names()]

    def normalised_weights(self) -> dict[str, float]:
        """Each criterion's share of the weight, through the value tree when the workbook has one.

        The arithmetic is the workshop state's; this only adds which criteria the run's
        value model left out (they weigh 0 within their branch).
        """
        model = getattr(self.run, "value_model", None)
        active = None
        if model is not None and set(model.criterion_ids) == set(self.weights):
            active = dict(zip(model.criterion_ids, np.asarray(model.active, dtype=bool).tolist(), strict=True))
        return self.workshop.normalised_weights(active)

    def workbook_tree(self) -> tuple[dict[str, str], dict[str, float]]:
        """(criterion -> branch, branch -> W_g) from the workbook; both empty without CriteriaGroups."""
        inputs = self.inputs
        if inputs is None or not inputs.has_value_tree:
            return {}, {}
        crit = inputs.criteria
        groups = {str(c): (str(g) if g == g and g is not None else "")
                  for c, g in zip(crit["criterion_id"], crit["group"], strict=True)}
        cg = inputs.criteria_groups
        return groups, {str(g): float(w) for g, w in zip(cg["group"], cg["weight"], strict=True)}

    # ----------------------------------------------------------------- loading
    def _announce_new_inputs(self) -> None:
        self.inputs_changed.emit()
        self.weight_sets_changed.emit()
        self.active_weight_set_changed.emit()
        self.coverage_changed.emit()
        self.weights_changed.emit()
        self.appraisal_changed.emit()

    def clear(self) -> None:
        """Nothing loaded: no workbook, no run, no workshop edits."""
        self.read_result = None
        self.run = None
        self.appraisal = None
        self.workshop.reset({}, [])
        self.focus_criterion = None
        self._forget_scales()
        self._announce_new_inputs()

    def _forget_scales(self) -> None:
        self._scales, self._scales_model = None, None
        if self.swing_changes:
            self.swing_changes = []
            self.swings_changed.emit()

    def set_read_result(self, result: ReadResult) -> None:
        """A workbook was read. With errors, the run is cleared and only findings remain.

        The workshop starts again from the workbook: its weights on the sliders, its
        weight sets, no edits and no added options.
        """
        self.read_result = result
        self.run = None
        self.appraisal = None
        self.workshop.reset(self.workbook_weights(), self.workbook_weight_sets(), *self.workbook_tree())
        self.focus_criterion = next(iter(self.weights), None)
        self._forget_scales()
        self._announce_new_inputs()

    def set_run(self, run: Any, *, keep_weights: bool = False) -> None:
        """A pipeline run finished: keep its coverage and robustness, score live weights."""
        self.run = run
        if not keep_weights or not self.weights:
            self.workshop.put_back_workbook_weights(self.workbook_weights())
        if self.focus_criterion not in self.weights:
            self.focus_criterion = next(iter(self.weights), None)
        self.coverage_changed.emit()
        self.weights_changed.emit()
        self.rescore()

    # ----------------------------------------------------------------- edits
    def set_weight(self, criterion_id: str, value: float) -> None:
        """Change one raw swing weight (>= 0); the workshop state re-scores through us."""
        self.workshop.set_weight(criterion_id, value)

    def set_weights(self, weights: dict[str, float]) -> None:
        """Replace every raw weight at once (a weight set, a reset, an undo)."""
        self.workshop.set_weights(weights)

    def set_judgement(self, option_id: str, criterion_id: str, score: float | None, rationale: str = "") -> None:
        """Override one judgement score (0-100); ``score=None`` removes the override."""
        self.workshop.set_judgement(option_id, criterion_id, score, rationale)

    def add_option(self, option: AddedOption) -> None:
        """Add an option; the main window re-runs coverage and the appraisal for it."""
        self.workshop.add_option(option)

    def remove_option(self, option_id: str) -> None:
        self.workshop.remove_option(option_id)

    # ----------------------------------------------------------------- scoring
    def judgement_override_scores(self) -> dict[tuple[str, str], float]:
        return self.workshop.judgement_scores()

    def rescore(self) -> None:
        """Re-score under the current weights with the core's fast path (no coverage work)."""
        if self.run is None:
            self.appraisal = None
        else:
            from desktop_app.ui import scoring

            self.appraisal = scoring.score_live(self)
            model = scoring.value_model(self)
            self._check_swings(model)
            self._robustness_for(model, self.appraisal)
        self.appraisal_changed.emit()

    def _robustness_for(self, model: Any, app: Appraisal) -> None:
        """Robustness for ``model``: the run's when unchanged, else re-run in the background.

        A judgement or value-function edit, or an added option scored, gives a new model
        whose SMAA-2 figures the run's would misstate (docs/appraisal-method.md#in-the-app).
        """
        self.robustness_updating = False
        if model is getattr(self.run, "value_model", None) or not int(getattr(self.run, "samples", 0) or 0):
            return
        live = self._live_robustness
        if live is not None and live[0] is model:
            app.robustness = live[1]
            return
        app.robustness = None
        self.robustness_updating = True
        if self._robustness_asked is not model:
            from desktop_app.core.appraisal.live import RobustnessRequest
            from desktop_app.ui.live_robustness import RobustnessRefresher

            if self._refresher is None:
                self._refresher = RobustnessRefresher(self)
            self._robustness_asked = model
            self._refresher.request(RobustnessRequest(model, app.weights.to_numpy(dtype=float), int(self.run.samples),
                                                      int(self.run.seed), self.run.around_weights))

    def take_robustness(self, model: object, robustness: Any) -> bool:
        """A background SMAA-2 re-run finished: keep it if ``model`` is still the one shown."""
        from desktop_app.ui import scoring

        if self.run is None or scoring.value_model(self) is not model:
            return False
        self._live_robustness = (model, robustness)
        self.rescore()
        return True

    def _check_swings(self, model: Any) -> None:
        """Compare the model's scales with those the weights were set against (a new model only).

        A new model comes from an added option or a judgement edit (an option scored out
        of *awaiting scores* joins the local scales). Moved ends are listed in
        ``swing_changes`` for the views to offer a rescale (docs/appraisal-method.md#scales);
        a change that moves none clears the list.
        """
        if model is self._scales_model:
            return
        new = dict(getattr(model, "scales", {}) or {})
        old, self._scales, self._scales_model = self._scales, new, model
        if old is None:
            return
        changes = swing_changes(old, new, self.weights)
        if changes != self.swing_changes:
            self.swing_changes = changes
            self.swings_changed.emit()

    def dismiss_swing_changes(self) -> None:
        """The room keeps the weights as they are: the offer goes (the new scales become the reference)."""
        if self.swing_changes:
            self.swing_changes = []
            self.swings_changed.emit()
