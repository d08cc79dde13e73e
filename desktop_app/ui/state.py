"""The application state every view reads and every edit goes through.

One QObject holds what is loaded (the ReadResult, the AppraisalRun with its coverage)
and what the user has changed (raw swing weights, judgement overrides, added options).
Views never change each other; they call a setter here and redraw on the signals.

This is also the hook for workshop mode, undo and sessions: an undo command calls
``set_weight``/``set_weights``/``set_judgement``/``add_option``/``remove_option`` with
the old or new value; a presentation view subscribes to the same signals.

Signals:
- ``inputs_changed``: a workbook was loaded (or failed validation); ``read_result`` is new.
- ``coverage_changed``: ``coverage`` is new (after a load or an added option).
- ``weights_changed``: ``weights`` changed (emitted before the re-score).
- ``judgements_changed``: ``judgement_overrides`` changed.
- ``options_changed``: ``extra_options`` changed; the main window re-runs the pipeline.
- ``appraisal_changed``: ``appraisal`` (the live scoring under the current weights) is new.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QObject, Signal

from desktop_app.core.model import Finding, ForceInputs, ReadResult
from desktop_app.core.results import Appraisal, CoverageResult


@dataclass
class JudgementEdit:
    """A workshop's change to one judgement score, with why (never written to the workbook)."""

    option_id: str
    criterion_id: str
    score: float
    rationale: str


@dataclass
class ExtraOption:
    """An option added in the app (e.g. from the optimiser), appraised with the rest."""

    option_id: str
    option_name: str
    deployments: pd.DataFrame
    one_off_cost_gbp: float = 0.0
    annual_cost_gbp: float = 0.0
    implementation_months: float = 0.0
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class AppState(QObject):
    """The single source of truth for the loaded force and the user's edits."""

    inputs_changed = Signal()
    coverage_changed = Signal()
    weights_changed = Signal()
    judgements_changed = Signal()
    options_changed = Signal()
    appraisal_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.read_result: ReadResult | None = None
        self.run: Any = None  # desktop_app.core.pipeline.AppraisalRun
        self.appraisal: Appraisal | None = None
        self.weights: dict[str, float] = {}
        self.judgement_overrides: dict[tuple[str, str], JudgementEdit] = {}
        self.extra_options: list[ExtraOption] = []
        #: Criterion last touched in the weights panel (the sensitivity chart follows it).
        self.focus_criterion: str | None = None

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
        return self.run is not None and self.appraisal is not None

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
            names.update(zip(inputs.options["option_id"], inputs.options["option_name"], strict=True))
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

    def normalised_weights(self) -> dict[str, float]:
        """Each criterion's share of the weight, through the value tree when the workbook has one."""
        model = getattr(self.run, "value_model", None)
        if model is not None and model.group_weights is not None and set(model.criterion_ids) == set(self.weights):
            raw = np.array([self.weights[c] for c in model.criterion_ids], dtype=float)
            return dict(zip(model.criterion_ids, model.effective_weights(raw).tolist(), strict=True))
        total = sum(max(0.0, w) for w in self.weights.values())
        if total <= 0:
            n = len(self.weights) or 1
            return {c: 1.0 / n for c in self.weights}
        return {c: max(0.0, w) / total for c, w in self.weights.items()}

    # ----------------------------------------------------------------- loading
    def clear(self) -> None:
        self.read_result = None
        self.run = None
        self.appraisal = None
        self.weights = {}
        self.judgement_overrides = {}
        self.extra_options = []
        self.focus_criterion = None
        self.inputs_changed.emit()
        self.coverage_changed.emit()
        self.appraisal_changed.emit()

    def set_read_result(self, result: ReadResult) -> None:
        """A workbook was read. With errors, the run is cleared and only findings remain."""
        self.read_result = result
        self.run = None
        self.appraisal = None
        self.judgement_overrides = {}
        self.extra_options = []
        self.weights = self.workbook_weights() if result.inputs is not None else {}
        self.focus_criterion = next(iter(self.weights), None)
        self.inputs_changed.emit()
        self.coverage_changed.emit()
        self.weights_changed.emit()
        self.appraisal_changed.emit()

    def set_run(self, run: Any, *, keep_weights: bool = False) -> None:
        """A pipeline run finished: keep its coverage and robustness, score live weights."""
        self.run = run
        if not keep_weights or not self.weights:
            self.weights = self.workbook_weights()
        if self.focus_criterion not in self.weights:
            self.focus_criterion = next(iter(self.weights), None)
        self.coverage_changed.emit()
        self.weights_changed.emit()
        self.rescore()

    # ----------------------------------------------------------------- edits
    def set_weight(self, criterion_id: str, value: float) -> None:
        """Change one raw swing weight (>= 0) and re-score."""
        value = max(0.0, float(value))
        if criterion_id not in self.weights or math.isclose(self.weights[criterion_id], value, abs_tol=1e-12):
            return
        self.weights[criterion_id] = value
        self.focus_criterion = criterion_id
        self.weights_changed.emit()
        self.rescore()

    def set_weights(self, weights: dict[str, float]) -> None:
        """Replace every raw weight at once (a weight set, a reset, an undo)."""
        new = {cid: max(0.0, float(weights.get(cid, 0.0))) for cid in self.weights}
        if new == self.weights:
            return
        self.weights = new
        self.weights_changed.emit()
        self.rescore()

    def set_judgement(self, option_id: str, criterion_id: str, score: float | None, rationale: str = "") -> None:
        """Override one judgement score (0-100); ``score=None`` removes the override."""
        key = (option_id, criterion_id)
        if score is None:
            if self.judgement_overrides.pop(key, None) is None:
                return
        else:
            self.judgement_overrides[key] = JudgementEdit(option_id, criterion_id, float(score), rationale)
        self.judgements_changed.emit()
        self.rescore()

    def add_option(self, option: ExtraOption) -> None:
        """Add an option; the main window re-runs coverage and the appraisal for it."""
        self.extra_options = [o for o in self.extra_options if o.option_id != option.option_id] + [option]
        self.options_changed.emit()

    def remove_option(self, option_id: str) -> None:
        before = len(self.extra_options)
        self.extra_options = [o for o in self.extra_options if o.option_id != option_id]
        if len(self.extra_options) != before:
            self.options_changed.emit()

    # ----------------------------------------------------------------- scoring
    def judgement_override_scores(self) -> dict[tuple[str, str], float]:
        return {k: e.score for k, e in self.judgement_overrides.items()}

    def rescore(self) -> None:
        """Re-score under the current weights with the core's fast path (no coverage work)."""
        if self.run is None:
            self.appraisal = None
        else:
            from desktop_app.ui import scoring

            self.appraisal = scoring.score_live(self)
        self.appraisal_changed.emit()
