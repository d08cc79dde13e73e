"""Shared fixtures: paths to the sample force, offscreen Qt, temp copies of workbooks."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from ci_requirements import missing
from hypothesis import settings

# In CI the property tests and the fuzzer draw the same examples every run, so a landing
# is never refused by a chance draw; locally they draw fresh examples each time and may
# find new counterexamples (replayed from .hypothesis/ once found).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
# Autosave and the crash-recovery lock go to a throwaway folder, never the user's app data.
os.environ.setdefault("ARMED_OPTIONS_DATA_DIR", tempfile.mkdtemp(prefix="armed-options-test-data-"))

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "borderdale.xlsx"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """The bundled sample force workbook (read-only: copy it before changing it)."""
    assert SAMPLE.exists(), "run sample_data/generate_sample.py to build the sample force"
    return SAMPLE


@pytest.fixture()
def sample_copy(tmp_path: Path, sample_path: Path) -> Path:
    """A private copy of the sample force, with any CSV it names, safe to modify."""
    for f in sample_path.parent.iterdir():
        if f.suffix.lower() in (".xlsx", ".csv"):
            shutil.copy2(f, tmp_path / f.name)
    return tmp_path / sample_path.name


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's command, for the real-client tests: required under CI, else a skip
    saying how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        missing("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
    return found
