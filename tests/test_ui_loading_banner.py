"""Issue 16: while the first workbook loads the banners say "Loading <file>…", not
"NO WORKBOOK LOADED"; once it has loaded (or failed) they show what is open."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

pytestmark = pytest.mark.gui


def test_the_banner_says_loading_while_the_first_workbook_loads(qtbot, tmp_path: Path, sample_copy: Path) -> None:
    from desktop_app.ui.banner import NO_WORKBOOK_MARKING
    from desktop_app.ui.main_window import MainWindow

    window = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window.samples = 200
    qtbot.addWidget(window)
    window.show()
    assert window.top_banner.marking() == NO_WORKBOOK_MARKING  # nothing asked for yet
    with qtbot.waitSignal(window.load_finished, timeout=60_000) as blocker:
        window.load_workbook(sample_copy)
        # the window is on screen and the load runs in the background task runner
        assert window.busy()
        assert window.top_banner.marking() == f"Loading {sample_copy.name}…"
        assert window.bottom_banner.marking() == f"Loading {sample_copy.name}…"
    assert blocker.args == [True]
    assert window.top_banner.marking() == window.state.inputs.parameters.protective_marking.upper()


def test_a_failed_first_load_leaves_no_loading_banner(qtbot, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.ui.main_window import MainWindow

    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda _p, _t, text: errors.append(text)))
    broken = tmp_path / "not a workbook.xlsx"
    broken.write_bytes(b"this is not a zip file")
    window = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.load_finished, timeout=60_000):
        window.load_workbook(broken)
        assert window.top_banner.marking().startswith("Loading")
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)  # the one error dialog
    assert not window.top_banner.marking().startswith("Loading")
    # the status bar says the open failed; "Opening not a workbook.xlsx…" had stayed there for good
    assert window.statusBar().currentMessage() == "Could not open not a workbook.xlsx."
