"""``armed-options gui [WORKBOOK]``: open the desktop app (default: the bundled sample force).

``ARMED_OPTIONS_QUIT_AFTER_MS`` (milliseconds) makes the app quit by itself that long
after the first workbook has finished loading (or failed to). It exists for smoke
tests and screenshot runs, which must never wait on a person to close the window.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

QUIT_AFTER_ENV = "ARMED_OPTIONS_QUIT_AFTER_MS"
#: However slow the machine, a self-quitting run never outlives this.
QUIT_HARD_LIMIT_MS = 180_000


def install_error_hook(parent: object) -> None:
    """An unexpected error in the app becomes one line on stderr and a dialog, not a crash.

    Qt calls Python slots from C++; an exception escaping one would otherwise print a
    traceback and leave the user guessing. Tool errors keep their own one-line text.
    """
    from desktop_app.ui.worker import describe_error, show_error

    def hook(exc_type: type[BaseException], exc: BaseException, tb: object) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)  # type: ignore[arg-type]
            return
        sys.stderr.write(f"armed-options: internal error: {describe_error(exc)}\n")
        show_error(parent, "Armed Policing Options Appraisal", exc)  # type: ignore[arg-type]

    sys.excepthook = hook


def run(args: argparse.Namespace) -> int:
    """Build the QApplication, open the workbook, and run the event loop."""
    from desktop_app.core.errors import UsageError

    workbook = getattr(args, "workbook", None)
    if workbook is not None and not Path(workbook).exists():
        # The app still opens and says so (exit 0 when it is closed, docs/command-line.md):
        # an officer whose shortcut names a moved file gets the app and the reason, not nothing.
        sys.stderr.write(f"armed-options: {workbook}: no such file\n")

    from PySide6.QtCore import QTimer

    from desktop_app.core.paths import sample_workbook
    from desktop_app.ui.app import create_application
    from desktop_app.ui.compose import build_main_window

    app = create_application(sys.argv[:1])
    window, _workshop = build_main_window()
    install_error_hook(window)
    screen = app.primaryScreen()
    small = screen is not None and screen.availableGeometry().width() <= 1440
    if window.first_run and small:
        window.showMaximized()  # a 1366x768 laptop: use all of it
    else:
        window.show()

    quit_after = os.environ.get(QUIT_AFTER_ENV, "").strip()
    if quit_after:
        # For the start-up benchmark (tests/benchmarks/bench_startup.py): the moment the
        # window is on screen, before the workbook is read in the background.
        QTimer.singleShot(0, lambda: sys.stderr.write("armed-options: window shown\n"))
        try:
            delay = max(0, int(float(quit_after)))
        except ValueError as exc:
            raise UsageError(f"{QUIT_AFTER_ENV} must be a number of milliseconds, not {quit_after!r}") from exc

        def _schedule_quit(ok: bool) -> None:
            status = "loaded" if ok else "not loaded"
            sys.stderr.write(f"armed-options: workbook {status}; quitting in {delay} ms ({QUIT_AFTER_ENV})\n")
            QTimer.singleShot(delay, app.quit)

        window.load_finished.connect(_schedule_quit)
        QTimer.singleShot(QUIT_HARD_LIMIT_MS, app.quit)

    path = Path(workbook) if workbook else sample_workbook()
    QTimer.singleShot(0, lambda: window.open_workbook(path))
    status = app.exec()
    window.close()
    _exit_without_teardown(int(status))
    return int(status)  # not reached


def _exit_without_teardown(status: int) -> None:
    """Leave the process once the window has closed, without Python's interpreter teardown.

    Why: by now every file is written (atomically) and the close hooks have run, but the
    interpreter's shutdown then destroys Qt and pyqtgraph objects in no fixed order, and
    PySide6 can crash in those destructors (exit status -11 in one run in two of the frozen
    launcher under CI). pyqtgraph's own ``pyqtgraph.exit()`` is this same remedy: wait for
    background tasks, flush, and end the process with ``os._exit``.
    """
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(10_000)  # a background task cancelled on close
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
