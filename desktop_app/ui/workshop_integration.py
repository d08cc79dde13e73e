"""Plug the workshop features into the main window with one call: ``install(window)``.

Adds, without the main window knowing any of it:

- Edit menu: Undo / Redo (every weight change, judgement edit, weight-set action and
  added option), plus the undo history;
- File menu: Open session…, Save session, Save session as… (autosave every minute and
  crash recovery at start are set up too);
- View menu: Workshop mode (F11), full screen for the projector;
- tabs: Weight sets, Judgements, Optimiser.

The composition root (:func:`desktop_app.ui.compose.build_main_window`) calls
:func:`install` once the window is built; everything here types against the window's
small protocol, :class:`~desktop_app.ui.window_host.WindowHost`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from shiboken6 import isValid

from desktop_app.core.session.document import Autosave
from desktop_app.ui.judgement_editor import JudgementEditor, judgement_edits_for_export
from desktop_app.ui.keyboard import redo_keys
from desktop_app.ui.optimiser_view import OptimiserView
from desktop_app.ui.session_controller import SessionController
from desktop_app.ui.simulation_view import SimulationView
from desktop_app.ui.undo import WeightSetStore, WorkshopUndo
from desktop_app.ui.weightsets_panel import WeightSetsPanel
from desktop_app.ui.what_if_views import install_what_if_views
from desktop_app.ui.workshop_mode import WorkshopWindow

if TYPE_CHECKING:
    from desktop_app.ui.state import AppState
    from desktop_app.ui.window_host import WindowHost

__all__ = ["Workshop", "install", "judgement_edits_for_export"]


@dataclass
class Workshop:
    """Everything :func:`install` added, kept on the window as ``window.workshop``."""

    window: WindowHost
    store: WeightSetStore
    undo: WorkshopUndo
    sessions: SessionController
    weight_sets: WeightSetsPanel
    judgements: JudgementEditor
    optimiser: OptimiserView
    undo_action: QAction
    redo_action: QAction
    workshop_action: QAction
    presentation: WorkshopWindow | None = None

    def enter_workshop_mode(self) -> WorkshopWindow:
        """Open the full-screen presentation on the main window's screen."""
        if self.presentation is None:
            # A child window (Qt.Window flag): its own full-screen top level, yet it closes and
            # is destroyed with the main window, and never keeps the app running on its own.
            self.presentation = WorkshopWindow(self.window.state, self.store, self.undo,
                                               capture=self.weight_sets.capture,
                                               parent=self.window.dialog_parent())
            self.presentation.left.connect(self._left_workshop_mode)
        self.presentation.enter(self.window.dialog_parent())
        return self.presentation

    def leave_workshop_mode(self) -> None:
        if self.presentation is not None:
            self.presentation.leave()

    def _left_workshop_mode(self) -> None:
        main = self.window.dialog_parent()
        main.raise_()
        main.activateWindow()

    @property
    def in_workshop_mode(self) -> bool:
        return self.presentation is not None and self.presentation.isVisible()


def _set_tip(action: QAction, verb: str, text: Callable[[], str]) -> None:
    """Tool tip "Undo <what>"; ignored while the window is being torn down."""
    if isValid(action):
        with contextlib.suppress(RuntimeError):
            action.setToolTip(f"{verb} {text()}".strip())


def install(window: WindowHost, *, autosave: Autosave | None = None, offer_recovery: bool = True) -> Workshop:
    """Add undo, sessions, weight sets, judgements, the optimiser and workshop mode to ``window``.

    ``autosave`` defaults to the user's app-data folder (``ARMED_OPTIONS_DATA_DIR``
    overrides it). With ``offer_recovery``, a crashed run's autosave is offered once the
    event loop starts.
    """
    state: AppState = window.state
    owner = window.dialog_parent()
    store = WeightSetStore(state, owner)
    undo = WorkshopUndo(state, store, owner)

    undo_action = undo.stack.createUndoAction(owner, "&Undo")
    undo_action.setShortcut(QKeySequence.StandardKey.Undo)
    redo_action = undo.stack.createRedoAction(owner, "&Redo")
    redo_action.setShortcuts(redo_keys())
    edit = window.menu("&Edit")
    edit.addAction(undo_action)
    edit.addAction(redo_action)
    sessions = SessionController(window, store, undo, autosave=autosave)
    file_menu = window.menu("&File")
    before = window.export_action
    for action in (sessions.open_action, sessions.save_action, sessions.save_as_action):
        file_menu.insertAction(before, action)
    file_menu.insertSeparator(before)

    window.export_transforms.append(store.export_transform)  # captured sets in the summary
    # Exports name the weights as the screen does (WorkshopState.weights_name), and need a
    # set's own weights to tell whether the sliders still hold it.
    window.weight_set_weights = lambda name: (dict(ws.weights) if (ws := store.get(name)) is not None else None)

    weight_sets = WeightSetsPanel(state, store, undo)
    judgements = JudgementEditor(state, undo)
    optimiser = OptimiserView(state, undo, window.run_task)
    window.add_view("weight_sets", "Weight sets", weight_sets, short="Weights")
    window.add_view("judgements", "Judgements", judgements)
    window.add_view("optimiser", "Optimiser", optimiser)
    install_what_if_views(window, undo)  # scenarios, parameter sensitivity, equality, value functions
    # the Simulation tab, last: it runs on demand, never as part of loading a workbook
    simulation = SimulationView(state, run_task=window.run_task)
    # kept on the window for its tests and the screenshots; not part of the WindowHost protocol
    window.simulation_view = simulation  # type: ignore[attr-defined]
    window.add_view("simulation", "Simulation", simulation)

    workshop_action = QAction("&Workshop mode (full screen)", owner)
    workshop_action.setShortcut(QKeySequence("F11"))  # F5 is Reload (QKeySequence.Refresh)
    workshop_action.setIconText("Workshop mode")
    workshop_action.setStatusTip("Present the options, weights, ranking and value for money full screen")
    window.menu("&View").addSeparator()
    window.menu("&View").addAction(workshop_action)
    # Not on the toolbar: at 1366 pixels the header strip has no room left for it. It is in
    # View (F11) and has a large button on the Weight sets view, where the facilitator works.
    weight_sets.present_button.clicked.connect(workshop_action.trigger)
    weight_sets.present_button.setVisible(True)

    workshop = Workshop(window, store, undo, sessions, weight_sets, judgements, optimiser,
                        undo_action, redo_action, workshop_action)
    workshop_action.triggered.connect(lambda _c=False: workshop.enter_workshop_mode())
    if offer_recovery:
        QTimer.singleShot(0, sessions.offer_recovery)
    return workshop
