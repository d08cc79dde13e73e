"""What the workshop's controllers may use of the main window: a small Protocol.

The session controller and the workshop installer (:mod:`desktop_app.ui.workshop_integration`)
type against :class:`WindowHost` rather than the concrete main window, so what they
depend on is written down here and nothing else of the window is reached into: the
state, a place for views and menus, the one task runner, the load signal, the status
line, the title, and the guards asked before another workbook is opened or the window
closes. :class:`desktop_app.ui.main_window.MainWindow` is the one implementation.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu, QStatusBar, QWidget

    from desktop_app.ui.state import AppState
    from desktop_app.ui.worker import TaskRunner


class WindowHost(Protocol):
    """The main window as the workshop's parts see it."""

    state: AppState
    #: Emitted with True/False when a load attempt ends.
    load_finished: SignalInstance
    #: Functions run -> run applied before a summary export.
    export_transforms: list[Callable[[Any], Any]]
    #: Asked before another workbook replaces this one; False stops it.
    open_guards: list[Callable[[], bool]]
    #: Asked before the window closes; False keeps it open.
    close_guards: list[Callable[[], bool]]
    #: Called once the window has agreed to close.
    on_close: list[Callable[[], None]]
    export_action: QAction
    #: A set's raw weights, so exports can tell whether the sliders still hold the active
    #: set (the weights' name is WorkshopState.weights_name's, as on screen).
    weight_set_weights: Callable[[str], dict[str, float] | None]

    def dialog_parent(self) -> QWidget:
        """The widget dialogs, actions and child windows belong to."""
        ...

    def menu(self, name: str) -> QMenu: ...

    def add_view(self, key: str, title: str, widget: QWidget, *, short: str = "") -> int: ...

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name

    def windowTitle(self) -> str: ...  # noqa: N802 - Qt's name

    def setWindowTitle(self, title: str) -> None: ...  # noqa: N802 - Qt's name

    def busy(self) -> bool: ...

    def run_task(
        self,
        fn: Callable[..., Any],
        title: str,
        on_done: Callable[[Any], None],
        on_failed: Callable[[BaseException], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> TaskRunner | None: ...

    def load_workbook(self, path: str | Path) -> None:
        """Open ``path`` without asking the open guards (the caller has)."""
        ...
