"""Run long core functions off the GUI thread, with a progress bar and Cancel.

Core functions take ``progress(fraction, message)`` and ``cancelled()`` callbacks
(``desktop_app.core.progress``). :class:`TaskRunner` wraps one such call in a
``QRunnable`` on the global thread pool and marshals progress, the result and any
error back to the GUI thread through queued signals, so the window never freezes and
an exception becomes a clear dialog rather than a crash.
"""

from __future__ import annotations

import math
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressBar, QProgressDialog, QWidget
from shiboken6 import isValid

from desktop_app.core.errors import Cancelled, ToolError

TaskFn = Callable[[Callable[[float, str], None], Callable[[], bool]], Any]


class _Signals(QObject):
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(object, str)
    cancelled = Signal()


class _Releaser(QObject):
    """Lets go of a finished task's signal object on the GUI thread, where it lives.

    A runnable holds the last reference to its ``_Signals`` when the runner that made it
    has already gone (a window closed mid-task, a replaced robustness re-run); dropping it
    on the pool thread destroyed a GUI-thread QObject from another thread, which Qt does
    not allow. The queued ``release`` event holds the reference instead and is freed here.
    """

    release = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.release.connect(self._drop, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _drop(self, box: object) -> None:
        """Empty the box, which holds the only reference left: the object goes here, now.

        A box, not the object itself: had the pool thread passed the object, its own
        reference could outlive the event's if this ran first (a race CI once lost).
        """
        if isinstance(box, list):
            box.clear()


_RELEASER: list[_Releaser] = []  # made on the GUI thread by the first TaskRunner


def _releaser() -> _Releaser:
    if not _RELEASER:
        _RELEASER.append(_Releaser())
    return _RELEASER[0]


class _Runnable(QRunnable):
    def __init__(self, fn: TaskFn, signals: _Signals, stop: threading.Event) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._signals: _Signals | None = signals
        self._stop = stop
        self._releaser = _releaser()  # looked up here, on the GUI thread

    def run(self) -> None:  # runs in a pool thread
        signals = self._signals
        assert signals is not None
        try:
            self._report(signals)
        finally:
            self._signals = None
            box = [signals]
            del signals  # from here the box holds the only reference this thread had
            self._releaser.release.emit(box)  # see _Releaser

    def _report(self, signals: _Signals) -> None:
        def progress(fraction: float, message: str = "") -> None:
            signals.progress.emit(float(fraction), str(message))

        try:
            result = self._fn(progress, self._stop.is_set)
        except Cancelled:
            signals.cancelled.emit()
        except Exception as exc:  # noqa: BLE001 - every failure must reach the user as a dialog
            signals.failed.emit(exc, traceback.format_exc())
        else:
            if self._stop.is_set():
                signals.cancelled.emit()
            else:
                signals.finished.emit(result)


def describe_error(exc: BaseException) -> str:
    """One readable line for a dialog: tool errors as written, others with their type."""
    if isinstance(exc, ToolError):
        return exc.one_line()
    if isinstance(exc, MemoryError):
        return "Out of memory: the workbook is too large for this machine."
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class TaskRunner(QObject):
    """One background task with an optional progress dialog.

    Signals fire on the GUI thread: ``finished(result)``, ``failed(exc, traceback)``,
    ``cancelled()``, and ``done()`` after any of the three. Keep a reference to the
    runner until ``done`` (the main window keeps the current one).
    """

    finished = Signal(object)
    failed = Signal(object, str)
    cancelled = Signal()
    done = Signal()
    progress = Signal(float, str)

    def __init__(
        self,
        fn: TaskFn,
        *,
        title: str,
        parent: QWidget | None = None,
        show_dialog: bool = True,
        error_dialog: bool = True,
    ) -> None:
        super().__init__(parent)
        self._fn = fn
        self._title = title
        self._parent_widget = parent
        self._stop = threading.Event()
        self._signals = _Signals()
        self._signals.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._signals.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self._signals.cancelled.connect(self._on_cancelled, Qt.ConnectionType.QueuedConnection)
        self._error_dialog = error_dialog
        self.running = False
        self.dialog: QProgressDialog | None = None
        self._bar: QProgressBar | None = None
        if show_dialog:
            dlg = QProgressDialog(title, "Cancel", 0, 1000, parent)
            # The runner moves its own bar. QProgressDialog.setValue() on a modal dialog
            # that is showing runs QCoreApplication.processEvents() (it is built for work
            # on the GUI thread), and a finished task or a closing window delivered inside
            # that call deleted the dialog under setValue: CI's segfault at stop 23. The
            # work runs on a pool thread, so the event loop is running anyway.
            bar = QProgressBar(dlg)
            bar.setRange(0, 1000)
            dlg.setBar(bar)
            self._bar = bar
            dlg.setWindowTitle(title)
            dlg.setWindowModality(Qt.WindowModality.WindowModal)
            dlg.setMinimumDuration(400)  # quick tasks never flash a dialog
            dlg.setAutoClose(False)
            dlg.setAutoReset(False)
            dlg.setMinimumWidth(420)
            dlg.setAccessibleName(f"{title} progress")
            dlg.canceled.connect(self.cancel)
            dlg.setValue(0)  # starts the minimum-duration timer that shows the dialog (no events run)
            self.dialog = dlg

    def start(self) -> None:
        self.running = True
        QThreadPool.globalInstance().start(_Runnable(self._fn, self._signals, self._stop))

    @Slot()
    def cancel(self) -> None:
        """Ask the task to stop at its next safe point."""
        self._stop.set()
        if self.dialog is not None:
            self.dialog.setLabelText("Cancelling…")

    def is_cancelled(self) -> bool:
        return self._stop.is_set()

    def _close_dialog(self) -> None:
        if self.dialog is not None and isValid(self.dialog):
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.reset()
            self.dialog.hide()
            self.dialog.deleteLater()
        self.dialog = None
        self._bar = None

    @Slot(float, str)
    def _on_progress(self, fraction: float, message: str) -> None:
        if not isValid(self):  # a late report for a window already closed and destroyed
            return
        self.progress.emit(fraction, message)
        dialog = self.dialog
        bar = self._bar
        if dialog is not None and isValid(dialog) and bar is not None and not self._stop.is_set():
            if message:
                dialog.setLabelText(message)
            # The bar, never dialog.setValue(): see __init__. No events run in here.
            if math.isfinite(fraction):
                bar.setValue(max(0, min(1000, int(fraction * 1000))))

    @Slot(object)
    def _on_finished(self, result: object) -> None:
        if not isValid(self):
            return
        self.running = False
        self._close_dialog()
        self.finished.emit(result)
        self.done.emit()

    @Slot(object, str)
    def _on_failed(self, exc: object, tb: str) -> None:
        if not isValid(self):
            return
        self.running = False
        self._close_dialog()
        self.failed.emit(exc, tb)
        if self._error_dialog:
            show_error(self._parent_widget, self._title, exc)  # type: ignore[arg-type]
        self.done.emit()

    @Slot()
    def _on_cancelled(self) -> None:
        if not isValid(self):
            return
        self.running = False
        self._close_dialog()
        self.cancelled.emit()
        self.done.emit()


def show_error(parent: QWidget | None, title: str, exc: BaseException | str) -> None:
    """A clear, non-technical error dialog (deferred so it never nests inside a slot)."""
    text = exc if isinstance(exc, str) else describe_error(exc)

    def _show() -> None:
        QMessageBox.critical(parent, f"{title}: failed", text)

    QTimer.singleShot(0, _show)
