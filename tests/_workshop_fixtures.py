"""Helpers for the workshop UI tests: a main window with the workshop installed, loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from desktop_app.core.session.document import Autosave

#: SMAA draws in UI tests: the figures under test (totals, ranks) do not depend on them.
TEST_SAMPLES = 200


def make_window(qtbot: Any, tmp_path: Path, data_dir: Path | None = None) -> tuple[Any, Any]:
    """The app's window as the composition root builds it; autosave in a temp app-data folder."""
    from desktop_app.ui.compose import build_main_window

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    # As at a real start-up, a crashed run's autosave (if any) is offered once the event loop runs.
    window, workshop = build_main_window(settings, autosave=Autosave(data_dir or tmp_path / "appdata"))
    window.samples = TEST_SAMPLES
    # pytest-qt closes the window before fixture teardown: mark the work saved first, so
    # closing never prompts (the prompt itself is tested with a patched QMessageBox).
    qtbot.addWidget(window, before_close_func=lambda _w: discard_changes(workshop))
    window.show()
    return window, workshop


def load(qtbot: Any, window: Any, path: Path) -> None:
    """Open ``path`` in ``window`` and wait until it is appraised."""
    with qtbot.waitSignal(window.load_finished, timeout=60_000) as blocker:
        window.open_workbook(path)
    assert blocker.args == [True]


def open_in_window(qtbot: Any, tmp_path: Path, workbook: Path, monkeypatch: Any) -> tuple[Any, Any]:
    """A workshop-enabled window (app data under ``tmp_path``) with ``workbook`` appraised."""
    monkeypatch.setenv("ARMED_OPTIONS_DATA_DIR", str(tmp_path / "appdata"))
    window, workshop = make_window(qtbot, tmp_path)
    load(qtbot, window, workbook)
    return window, workshop


def wait_idle(qtbot: Any, window: Any) -> None:
    """Wait for the window's background task (e.g. a re-run after adding an option)."""
    qtbot.waitUntil(lambda: not window.busy(), timeout=60_000)


def discard_changes(workshop: Any) -> None:
    """Mark the workshop saved so closing at teardown asks nothing."""
    workshop.undo.stack.setClean()
    workshop.sessions._unsaved_restore = False
