"""Undo and redo for the workshop: a QUndoStack over the core's plain commands.

The commands themselves (what changed, old and new value, the slider-drag merge rule)
live in :mod:`desktop_app.core.session.undo` and are tested without Qt. This module is
the thin Qt layer:

- :class:`UndoCommand` wraps one core command as a QUndoCommand; ``mergeWith`` defers to
  the core rule, so a slider drag becomes one undo step.
- :class:`WeightSetStore` holds the stakeholder weight sets (workbook + captured) and
  which one is active; captured sets are also appraised into ``run.weight_sets`` so the
  weight-set views and the summary export include them.
- :class:`StateAdapter` is the core's ``WorkshopTarget`` over :class:`AppState` and the store.
- :class:`WorkshopUndo` owns the stack. Weight changes are *recorded* from
  ``AppState.weights_changed`` rather than requested, so every slider and spin box in
  the app (the appraisal view's, workshop mode's) is undoable without knowing about undo.
  While a QSlider is held down, its changes share a merge key and merge into one step.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QAbstractSlider, QApplication
from shiboken6 import isValid

from desktop_app.core.session.document import OptionSpec, WeightSet
from desktop_app.core.session.undo import Command, SetWeight, SetWeights
from desktop_app.ui.state import AppState, ExtraOption


# ----------------------------------------------------------------------------- weight sets
class WeightSetStore(QObject):
    """The stakeholder weight sets of the open workbook plus those captured in the room.

    Reset to the workbook's WeightSets whenever a new workbook is loaded; captured sets
    survive a re-run (e.g. after "Add as option").
    """

    sets_changed = Signal()
    active_changed = Signal()

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.sets: list[WeightSet] = []
        self.active: str | None = None
        state.inputs_changed.connect(self.load_from_workbook)
        state.coverage_changed.connect(self.sync_run)
        self.load_from_workbook()

    def load_from_workbook(self) -> None:
        inputs = self.state.inputs
        self.sets = []
        if inputs is not None:
            self.sets = [WeightSet(n, inputs.weight_set(n), "workbook") for n in inputs.weight_set_names()]
        self.active = None
        self.sets_changed.emit()
        self.active_changed.emit()

    def names(self) -> list[str]:
        return [s.name for s in self.sets]

    def get(self, name: str) -> WeightSet | None:
        return next((s for s in self.sets if s.name == name), None)

    def index(self, name: str) -> int | None:
        return next((i for i, s in enumerate(self.sets) if s.name == name), None)

    def add(self, weight_set: WeightSet, index: int | None = None) -> None:
        if self.get(weight_set.name) is not None:
            raise ValueError(f"weight set {weight_set.name!r} already exists")
        sets = list(self.sets)  # copy-on-write: an export in a worker may be reading the old list
        if index is None or index > len(sets):
            sets.append(weight_set)
        else:
            sets.insert(index, weight_set)
        self.sets = sets
        self.sync_run()
        self.sets_changed.emit()

    def remove(self, name: str) -> None:
        self.sets = [s for s in self.sets if s.name != name]
        self.sync_run()
        self.sets_changed.emit()

    def replace_all(self, sets: list[WeightSet], active: str | None = None) -> None:
        """Restore from a session."""
        self.sets = list(sets)
        self.active = active if active in self.names() else None
        self.sync_run()
        self.sets_changed.emit()
        self.active_changed.emit()

    def set_active(self, name: str | None) -> None:
        if name != self.active:
            self.active = name
            self.active_changed.emit()

    def as_mapping(self) -> dict[str, dict[str, float]]:
        return {s.name: dict(s.weights) for s in self.sets}

    def sync_run(self) -> None:
        """Put every set into ``run.weight_sets`` so the views show the captured ones too."""
        run = self.state.run
        if run is None:
            return
        from desktop_app.ui import scoring

        run.weight_sets = appraise_sets(scoring.value_model(self.state), self.sets, {})

    def export_transform(self, run: Any) -> Any:
        """For ``MainWindow.export_transforms``: the workshop's sets into the exported run.

        Runs in the export worker, on the run as exported (current weights and judgement
        edits already applied to its value model); reads a snapshot of the set list.
        """
        sets = list(self.sets)
        model = getattr(run, "value_model", None)
        if model is None:
            return run
        run.weight_sets = appraise_sets(model, sets, dict(run.weight_sets))
        return run


def appraise_sets(model: Any, sets: list[WeightSet], known: dict[str, Any]) -> dict[str, Any]:
    """Appraise each set on ``model`` as the pipeline does for WeightSets (no SMAA).

    ``known`` holds appraisals the pipeline already made (workbook sets): re-used when the
    weights are unchanged. Sets the facilitator deleted are left out, in display order.
    """
    from desktop_app.core.appraisal import value_model as engine
    from desktop_app.core.appraisal.sensitivity import one_way

    out: dict[str, Any] = {}
    for ws in sets:
        weights = {c: float(ws.weights.get(c, 0.0)) for c in model.criterion_ids}
        old = known.get(ws.name)
        if ws.source == "workbook" and old is not None:
            out[ws.name] = old
            continue
        app = engine.appraise(model, weights, ws.name)
        app.sensitivity = one_way(model.values, app.weights.to_numpy(), model.option_ids,
                                  model.criterion_ids, model.active)
        out[ws.name] = app
    return out


# ----------------------------------------------------------------------------- options
def spec_to_extra_option(spec: OptionSpec, state: AppState) -> ExtraOption:
    """An :class:`OptionSpec` as the app's ExtraOption: full deployments table, costs as entered.

    Deployments follow ``ForceInputs.deployments`` (site_index, defaults applied), with the
    baseline's own deployments first when the spec builds on the baseline.
    """
    inputs = state.inputs
    if inputs is None:
        raise ValueError("open a workbook before adding an option")
    params = inputs.parameters
    site_ids = inputs.sites["site_id"].astype(str).tolist()
    base_rows: list[dict[Any, Any]] = []  # DataFrame.to_dict("records"): keyed by column name
    if spec.include_baseline:
        deps = inputs.deployments
        base = deps[deps["option_id"] == inputs.baseline_id]
        base_rows = base.to_dict("records")
    rows = []
    for r in spec.deployment_rows(base_rows):
        row = dict(r)
        asset = str(row["asset_type"])
        if row.get("busy_fraction") is None or pd.isna(row.get("busy_fraction")):
            row["busy_fraction"] = params.busy_fraction(asset)
        if row.get("mobilisation_minutes") is None or pd.isna(row.get("mobilisation_minutes")):
            row["mobilisation_minutes"] = params.mobilisation_minutes(asset)
        if "site_index" not in row or pd.isna(row.get("site_index")):
            if row["site_id"] not in site_ids:
                raise ValueError(f"site {row['site_id']} is not in the workbook's Sites sheet")
            row["site_index"] = site_ids.index(str(row["site_id"]))
        row.setdefault("excel_row", 0)
        rows.append(row)
    columns = list(inputs.deployments.columns)
    frame = pd.DataFrame(rows)
    for c in columns:
        if c not in frame.columns:
            frame[c] = 0
    frame = frame[columns]
    for c in ("posts", "crew_size", "start_hour", "end_hour", "site_index", "excel_row"):
        if c in frame.columns:
            frame[c] = frame[c].astype(np.int64)
    for c in ("busy_fraction", "mobilisation_minutes"):
        if c in frame.columns:
            frame[c] = frame[c].astype(float)
    return ExtraOption(
        option_id=spec.option_id,
        option_name=spec.option_name,
        deployments=frame.reset_index(drop=True),
        one_off_cost_gbp=float(spec.one_off_cost_gbp),
        annual_cost_gbp=float(spec.annual_cost_gbp),
        implementation_months=float(spec.implementation_months),
        description=spec.description,
        extra={"spec": spec.to_json()},
    )


def extra_option_spec(option: ExtraOption) -> OptionSpec | None:
    """The spec an ExtraOption was made from (None for options added some other way)."""
    data = option.extra.get("spec") if isinstance(option.extra, dict) else None
    return OptionSpec.from_json(data) if data else None


# ----------------------------------------------------------------------------- adapter
class StateAdapter:
    """The core's ``WorkshopTarget`` over AppState (weights, judgements, options) and the store."""

    def __init__(self, state: AppState, store: WeightSetStore) -> None:
        self.state = state
        self.store = store

    def set_weight(self, criterion_id: str, value: float) -> None:
        self.state.set_weight(criterion_id, value)

    def set_weights(self, weights: Any) -> None:
        self.state.set_weights(dict(weights))

    def set_active_weight_set(self, name: str | None) -> None:
        self.store.set_active(name)

    def set_judgement(self, option_id: str, criterion_id: str, score: float | None, rationale: str | None) -> None:
        self.state.set_judgement(option_id, criterion_id, score, rationale or "")
        self.store.sync_run()

    def add_weight_set(self, weight_set: WeightSet, index: int | None = None) -> None:
        self.store.add(weight_set, index)

    def remove_weight_set(self, name: str) -> None:
        self.store.remove(name)

    def add_option(self, spec: OptionSpec) -> None:
        self.state.add_option(spec_to_extra_option(spec, self.state))

    def remove_option(self, option_id: str) -> None:
        self.state.remove_option(option_id)


# ----------------------------------------------------------------------------- Qt command
class UndoCommand(QUndoCommand):
    """One core command on the QUndoStack; merging follows the core's rule."""

    def __init__(self, core: Command, owner: WorkshopUndo) -> None:
        super().__init__(core.text)
        self.core = core
        self.owner = owner

    def redo(self) -> None:
        with self.owner.applying():
            self.core.apply(self.owner.adapter)

    def undo(self) -> None:
        with self.owner.applying():
            self.core.revert(self.owner.adapter)

    def id(self) -> int:
        return self.core.merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, UndoCommand) or not self.core.can_merge(other.core):
            return False
        self.core = self.core.merge(other.core)
        self.setText(self.core.text)
        if self.core.is_noop:
            self.setObsolete(True)  # a drag back to where it started: nothing to undo
        return True


class WorkshopUndo(QObject):
    """The undo stack of a workshop, recording every weight change wherever it comes from."""

    def __init__(self, state: AppState, store: WeightSetStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.store = store
        self.adapter = StateAdapter(state, store)
        self.stack = QUndoStack(self)
        self._applying = 0
        self._snapshot: dict[str, float] = dict(state.weights)
        self._drag_generation: dict[int, int] = {}
        self._sliders: list[QAbstractSlider] = []
        self._scanned = False
        state.weights_changed.connect(self._on_weights_changed)
        state.inputs_changed.connect(self.reset)

    # ------------------------------------------------------------------ pushing
    def push(self, command: Command) -> None:
        """Apply ``command`` and make it undoable (a no-op is ignored)."""
        if command.is_noop:
            return
        self.stack.push(UndoCommand(command, self))

    @contextlib.contextmanager
    def applying(self) -> Iterator[None]:
        """Changes made inside are the stack's own (undo/redo/restore): not recorded again."""
        self._applying += 1
        try:
            yield
        finally:
            self._applying -= 1
            self._snapshot = dict(self.state.weights)

    def reset(self) -> None:
        """A new workbook (or session): nothing to undo, and the current state is clean."""
        self.forget_sliders()  # the views rebuild their sliders for a new workbook
        self.stack.clear()
        self.stack.setClean()
        self._snapshot = dict(self.state.weights)

    # ---------------------------------------------------------------- recording
    def _on_weights_changed(self) -> None:
        new = dict(self.state.weights)
        old, self._snapshot = self._snapshot, new
        if self._applying or set(old) != set(new):
            return
        changed = [c for c in new if old[c] != new[c]]
        if not changed:
            return
        active = self.store.active
        if len(changed) == 1:
            cid = changed[0]
            command: Command = SetWeight(cid, old[cid], new[cid], self._drag_key(), active)
        else:
            command = SetWeights(old, new, active, None, label="Change weights")
        self.stack.push(UndoCommand(command, self))  # re-applying is a no-op for AppState

    def _drag_key(self) -> object:
        """A key shared by every change during one press-drag-release of a slider, else None.

        Looks at the focused widget and the sliders seen before first; only a mouse
        press, or the first time, pays for a scan of every widget (about a thousand).
        """
        if QApplication.instance() is None:
            return None
        seen = [s for s in self._sliders if isValid(s)]
        focus = QApplication.focusWidget()
        if isinstance(focus, QAbstractSlider):
            seen.insert(0, focus)
        down = next((s for s in seen if s.isSliderDown()), None)
        if down is None and (not self._scanned or QApplication.mouseButtons() != Qt.MouseButton.NoButton):
            self._sliders = [w for w in QApplication.allWidgets() if isinstance(w, QAbstractSlider)]
            self._scanned = True
            down = next((s for s in self._sliders if s.isSliderDown()), None)
        if down is None:
            return None
        key = id(down)
        if key not in self._drag_generation:
            self._drag_generation[key] = 0
            down.sliderReleased.connect(lambda k=key: self._bump(k))
        return (key, self._drag_generation[key])

    def forget_sliders(self) -> None:
        """Sliders were created or destroyed: scan for them again at the next change."""
        self._scanned = False

    def _bump(self, key: int) -> None:
        self._drag_generation[key] = self._drag_generation.get(key, 0) + 1
