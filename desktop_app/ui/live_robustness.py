"""Re-run SMAA-2 in the background when the workshop changes the value model.

A judgement edit, a value-function edit or an added option scored by the room gives a
new value model; the "ranked first" figures and the rank-acceptability heat map must
then be re-drawn from it, not carried over from the run (docs/appraisal-method.md#in-the-app).
The work is the core's :func:`~desktop_app.core.appraisal.live.live_robustness` in the
one task runner (:mod:`desktop_app.ui.worker`), without a dialog: the views say
"updating…" meanwhile.

Requests coalesce: at most one runs and one waits (the latest; a newer request replaces
the waiting one and asks the running one to stop). Each carries a generation number and
a result is taken only if it is the latest request's, so an older result never
overwrites a newer state.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from shiboken6 import isValid

from desktop_app.core.appraisal.live import RobustnessRequest, live_robustness
from desktop_app.core.results import Robustness
from desktop_app.ui.worker import TaskRunner

if TYPE_CHECKING:
    from desktop_app.ui.state import AppState

Job = tuple[int, RobustnessRequest]


class RobustnessRefresher(QObject):
    """Coalesced SMAA-2 re-runs for one :class:`AppState` (see the module docstring)."""

    def __init__(self, state: AppState) -> None:
        super().__init__(state)
        self.state = state
        #: The latest request's number; a result for any other is dropped.
        self.generation = 0
        self.task: TaskRunner | None = None
        self._waiting: Job | None = None

    def busy(self) -> bool:
        return self.task is not None and self.task.running

    def request(self, request: RobustnessRequest) -> int:
        """Ask for SMAA-2 on ``request.model``; returns the request's generation."""
        self.generation += 1
        job = (self.generation, request)
        if self.busy():
            assert self.task is not None
            self._waiting = job  # replaces any older waiting request: only the latest runs
            self.task.cancel()
        else:
            self._start(job)
        return self.generation

    def _start(self, job: Job) -> None:
        generation, request = job
        task = TaskRunner(partial(live_robustness, request), title="Robustness (SMAA-2)",
                          show_dialog=False, error_dialog=False)
        task.finished.connect(lambda rob: self.deliver(generation, request, rob))
        task.failed.connect(lambda _exc, _tb: self.deliver(generation, request, None))
        task.done.connect(self._after)
        self.task = task  # the previous runner (finished) is released here, outside its signals
        task.start()

    def _after(self) -> None:
        if self._waiting is not None:
            # started on the next turn of the event loop, not inside the finished runner's signal
            QTimer.singleShot(0, self._start_waiting)

    def _start_waiting(self) -> None:
        if isValid(self) and self._waiting is not None and not self.busy():
            job, self._waiting = self._waiting, None
            self._start(job)

    def deliver(self, generation: int, request: RobustnessRequest, robustness: Robustness | None) -> bool:
        """Hand a result to the state if it answers the latest request; False when dropped.

        ``robustness`` None: the re-run failed (e.g. past the SMAA size limits); the views
        then show no figure rather than "updating…" for ever.
        """
        if not isValid(self) or not isValid(self.state) or generation != self.generation:
            return False  # the window closed, or a newer request was made
        return self.state.take_robustness(request.model, robustness)
