"""Install the what-if views (issue 14): scenarios, parameter sensitivity, equality, value functions.

One call from the workshop installer (``install_what_if_views(window, undo)``) adds the
tabs, so neither the main window nor the installer needs to know their parts. Each view
is its own small module; the long re-runs go through ``window.run_task`` (the one task
runner, :mod:`desktop_app.ui.worker`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_app.ui.equality_view import EqualityView
from desktop_app.ui.scenarios_view import ScenariosView
from desktop_app.ui.tornado_view import TornadoView
from desktop_app.ui.value_function_view import ValueFunctionView

if TYPE_CHECKING:
    from desktop_app.ui.undo import WorkshopUndo
    from desktop_app.ui.window_host import WindowHost


@dataclass
class WhatIfViews:
    """The views :func:`install_what_if_views` added (kept on the window as ``window.what_if``)."""

    scenarios: ScenariosView
    tornado: TornadoView
    equality: EqualityView
    value_functions: ValueFunctionView


def install_what_if_views(window: WindowHost, undo: WorkshopUndo) -> WhatIfViews:
    """Add the Value functions, Scenarios, Inputs (parameter sensitivity) and Equality tabs to ``window``."""
    state = window.state
    views = WhatIfViews(ScenariosView(state, window.run_task), TornadoView(state, window.run_task),
                        EqualityView(state), ValueFunctionView(state, undo))
    window.add_view("value_functions", "Value functions", views.value_functions, short="Values")
    window.add_view("scenarios", "Scenarios", views.scenarios)
    window.add_view("tornado", "Inputs", views.tornado)
    window.add_view("equality", "Equality", views.equality)
    window.what_if = views  # type: ignore[attr-defined]
    return views
