"""Undo and redo for the workshop: a QUndoStack over the core's plain commands.

The commands themselves (what changed, old and new value, the slider-drag merge rule)
live in :mod:`desktop_app.core.session.undo` and are tested without Qt. This module is
the thin Qt layer:

- :class:`UndoCommand` wraps one core command as a QUndoCommand; ``mergeWith`` defers to
  the core rule, so a slider drag becomes one undo step.
- the commands act on the workshop state itself (``AppState.workshop``, a Qt-free
  :class:`~desktop_app.core.session.state.WorkshopState`); AppState turns its changes
  into signals, so undo, redo and a restored session redraw the views like any edit.
- :class:`WeightSetStore` shows the weight-set views the state's stakeholder sets and
  keeps every set appraised into ``run.weight_sets``, so the weight-set views and the
  summary export include the captured ones.
- :class:`WorkshopUndo` owns the stack. Weight changes are *recorded* from
  ``AppState.weights_changed`` rather than requested, so every slider and spin box in
  the app (the appraisal view's, workshop mode's) is undoable without knowing about undo.
  While a QSlider is held down, its changes share a merge key and merge into one step.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop_app.core.appraisal.live import appraise_weight_sets
from desktop_app.core.session.records import WeightSet
from desktop_app.core.session.state import WorkshopState
from desktop_app.core.session.undo import (
    Command,
    SetGroupWeight,
    SetGroupWeights,
    SetWeight,
    SetWeights,
)
from desktop_app.ui.state import AppState


# ----------------------------------------------------------------------------- weight sets
class WeightSetStore(QObject):
    """The weight-set views' window on the workshop state's sets, and their appraisals.

    The sets and which one is active live in :class:`WorkshopState` (reset to the
    workbook's WeightSets by ``AppState.set_read_result``); this keeps every set
    appraised into ``run.weight_sets``, so the weight-set views and the summary export
    include the captured ones, and re-emits the state's changes for the views.
    """

    sets_changed = Signal()
    active_changed = Signal()

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.workshop: WorkshopState = state.workshop
        state.weight_sets_changed.connect(self._on_sets)
        state.active_weight_set_changed.connect(self.active_changed.emit)
        state.judgements_changed.connect(self.sync_run)
        state.value_points_changed.connect(self.sync_run)
        state.coverage_changed.connect(self.sync_run)

    def _on_sets(self) -> None:
        self.sync_run()
        self.sets_changed.emit()

    @property
    def sets(self) -> list[WeightSet]:
        return self.workshop.weight_sets

    @property
    def active(self) -> str | None:
        return self.workshop.active_weight_set

    def names(self) -> list[str]:
        return [s.name for s in self.sets]

    def get(self, name: str) -> WeightSet | None:
        return self.workshop.weight_set(name)

    def index(self, name: str) -> int | None:
        return self.workshop.weight_set_index(name)

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

    ``known`` holds appraisals the pipeline already made (workbook sets): re-used, since
    a workbook set's weights cannot change. Sets the facilitator deleted are left out,
    in display order.
    """
    reuse = {s.name: known[s.name] for s in sets if s.source == "workbook" and s.name in known}
    return appraise_weight_sets(model, {s.name: s.weights for s in sets}, reuse)


# ----------------------------------------------------------------------------- Qt command
class UndoCommand(QUndoCommand):
    """One core command on the QUndoStack; merging follows the core's rule."""

    def __init__(self, core: Command, owner: WorkshopUndo) -> None:
        super().__init__(owner.describe(core))
        self.core = core
        self.owner = owner

    def redo(self) -> None:
        with self.owner.applying():
            self.core.apply(self.owner.workshop)

    def undo(self) -> None:
        with self.owner.applying():
            self.core.revert(self.owner.workshop)

    def id(self) -> int:
        return self.core.merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, UndoCommand) or not self.core.can_merge(other.core):
            return False
        self.core = self.core.merge(other.core)
        self.setText(self.owner.describe(self.core))
        if self.core.is_noop:
            self.setObsolete(True)  # a drag back to where it started: nothing to undo
        return True


class WorkshopUndo(QObject):
    """The undo stack of a workshop, recording every weight change wherever it comes from."""

    def __init__(self, state: AppState, store: WeightSetStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.store = store
        self.workshop: WorkshopState = state.workshop
        self.stack = QUndoStack(self)
        #: Text of a step in the Edit menu and the undo history: names, not codes.
        self.describe: Callable[[Command], str] = lambda core: core.describe(
            self.state.criterion_names(), self.state.option_names())
        self._applying = 0
        self._snapshot: dict[str, float] = dict(state.weights)
        self._group_snapshot: dict[str, float] = dict(state.workshop.group_weights)
        state.weights_changed.connect(self._on_weights_changed)
        state.inputs_changed.connect(self.reset)
        state.push_command = self.push  # every view's undoable change goes on this stack

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
            self._group_snapshot = dict(self.workshop.group_weights)

    def reset(self) -> None:
        """A new workbook (or session): nothing to undo, and the current state is clean."""
        self.state.slider_held(False)  # a drag does not run on into a new workbook
        self.stack.clear()
        self.stack.setClean()
        self._snapshot = dict(self.state.weights)
        self._group_snapshot = dict(self.workshop.group_weights)

    # ---------------------------------------------------------------- recording
    def _on_weights_changed(self) -> None:
        groups_new = dict(self.workshop.group_weights)
        groups_old, self._group_snapshot = self._group_snapshot, groups_new
        new = dict(self.state.weights)
        old, self._snapshot = self._snapshot, new
        if self._applying:
            return
        moved = [g for g in groups_new if groups_old[g] != groups_new[g]] if set(groups_old) == set(groups_new) else []
        changed = [c for c in new if old[c] != new[c]] if set(old) == set(new) else []
        active = self.store.active
        command: Command
        if moved and changed:  # criteria and branches at once (a reset): one step
            command = SetWeights(old, new, active, None, label="Change weights",
                                 old_groups=groups_old, new_groups=groups_new)
        elif len(moved) == 1:  # a branch slider (the criteria's weights are untouched)
            g = moved[0]
            command = SetGroupWeight(g, groups_old[g], groups_new[g], self._drag_key(), active)
        elif moved:  # every branch at once
            command = SetGroupWeights(groups_old, groups_new)
        elif len(changed) == 1:
            cid = changed[0]
            command = SetWeight(cid, old[cid], new[cid], self._drag_key(), active)
        elif changed:
            command = SetWeights(old, new, active, None, label="Change weights")
        else:
            return
        self.stack.push(UndoCommand(command, self))  # re-applying is a no-op for AppState

    def _drag_key(self) -> object:
        """A key shared by every change during one press-drag-release of a slider, else None.

        The weight sliders say when they are pressed and released (``AppState.slider_held``).
        Searching the application's widgets for a slider that is down instead crashed the
        process now and then, when the search met a window still being torn down.
        """
        return self.state.drag_key
