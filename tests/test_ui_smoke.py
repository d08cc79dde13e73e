"""``python -m desktop_app`` starts the real app in a fresh process, loads the sample
force and quits by itself (ARMED_OPTIONS_QUIT_AFTER_MS), with exit status 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["ARMED_OPTIONS_QUIT_AFTER_MS"] = "300"
    # Keep QSettings (recent files, geometry) out of the user's real configuration.
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["HOME"] = str(tmp_path)
    env["ARMED_OPTIONS_DATA_DIR"] = str(tmp_path / "data")  # autosave / crash recovery folder
    return env


def test_main_opens_the_sample_and_quits_by_itself(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "desktop_app"], env=_env(tmp_path), capture_output=True, text=True, timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    assert "workbook loaded; quitting" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_gui_with_a_workbook_argument(tmp_path: Path, sample_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "desktop_app", "gui", str(sample_path)],
        env=_env(tmp_path), capture_output=True, text=True, timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    assert "workbook loaded" in proc.stderr


def test_gui_with_a_missing_workbook_opens_and_says_so(tmp_path: Path) -> None:
    # The contract's gui exits 0: the app opens, says the file is not there (one line on
    # stderr, and the failed open's dialog in the window) and nothing is loaded.
    proc = subprocess.run(
        [sys.executable, "-m", "desktop_app", "gui", str(tmp_path / "nope.xlsx")],
        env=_env(tmp_path), capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"armed-options: {tmp_path / 'nope.xlsx'}: no such file" in proc.stderr.splitlines()
    assert "window shown" in proc.stderr and "workbook not loaded" in proc.stderr
    assert "Traceback" not in proc.stderr
