"""The composition root: build the main window and install the workshop parts, explicitly.

The GUI entry point (``armed-options gui``) calls :func:`build_main_window`; nothing is
found by trying an import and carrying on without it, so a broken import of undo or
sessions fails loudly at start instead of silently leaving the room without them.
Tests that want the bare window build :class:`MainWindow` themselves.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from desktop_app.core.session.document import Autosave
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.state import AppState
from desktop_app.ui.workshop_integration import Workshop, install


def build_main_window(
    settings: QSettings | None = None,
    *,
    autosave: Autosave | None = None,
    offer_recovery: bool = True,
) -> tuple[MainWindow, Workshop]:
    """The app's window with undo, sessions, weight sets, judgements, the optimiser and workshop mode.

    ``autosave`` defaults to the user's app-data folder; with ``offer_recovery`` a crashed
    run's autosave is offered once the event loop starts.
    """
    state = AppState()
    window = MainWindow(state, settings)
    state.setParent(window)
    workshop = install(window, autosave=autosave, offer_recovery=offer_recovery)
    return window, workshop
