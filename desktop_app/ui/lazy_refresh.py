"""A widget that redraws only when it can be seen.

The judgement editor and the weight-sets view both listen to every re-score, and a
slider drag re-scores many times a second. Redrawing a hidden table on each of those
would eat the slider's 50 ms budget for nothing, so such views mark themselves stale
and redraw once, soon after the change if visible, otherwise when next shown.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget


class LazyRefreshWidget(QWidget):
    """Connect change signals to :meth:`_schedule`; :meth:`refresh` must clear ``_dirty``."""

    _dirty: bool = True

    def refresh(self) -> None:  # pragma: no cover - every subclass draws itself
        raise NotImplementedError

    def _schedule(self) -> None:
        """Refresh soon if visible, else when next shown: slider moves stay fast."""
        self._dirty = True
        if self.isVisible():
            QTimer.singleShot(0, self._refresh_if_dirty)

    def _refresh_if_dirty(self) -> None:
        if self._dirty:
            self.refresh()

    def showEvent(self, event: object) -> None:  # noqa: N802
        super().showEvent(event)  # type: ignore[arg-type]
        self._refresh_if_dirty()
