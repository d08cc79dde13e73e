"""Progress and cancellation hooks for long computations.

Long work in the core is a plain function ``f(inputs, progress, cancelled)``.
``progress(fraction, message)`` reports 0..1; ``cancelled()`` is polled at safe
points and, when it returns True, the function raises :class:`Cancelled`.
The desktop app runs such functions in a worker thread; the command line passes
the no-op defaults below.
"""

from __future__ import annotations

from collections.abc import Callable

from desktop_app.core.errors import Cancelled

ProgressFn = Callable[[float, str], None]
CancelledFn = Callable[[], bool]


def no_progress(fraction: float, message: str = "") -> None:
    """Default progress callback: ignore."""


def never_cancelled() -> bool:
    """Default cancellation check: never."""
    return False


def check_cancelled(cancelled: CancelledFn | None) -> None:
    """Raise :class:`Cancelled` if the caller asked to stop."""
    if cancelled is not None and cancelled():
        raise Cancelled()
