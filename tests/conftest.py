"""Shared fixtures: the sample force (its path, and read and appraised once per session),
offscreen Qt, temp copies of workbooks; and the ``gui`` marker applied to every test
that needs Qt, so the fast loop ``pytest -m "not gui and not slow"`` leaves them out.
"""

from __future__ import annotations

import inspect
import os
import re
import shutil
import tempfile
import types
from pathlib import Path
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from desktop_app.core.model import ReadResult
    from desktop_app.core.pipeline import AppraisalRun

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "borderdale.xlsx"
#: SMAA-2 draws of the shared appraised sample: enough for every chart and table to have
#: figures, few enough to be quick; tests that pin figures to 10,000 draws run the CLI.
SAMPLE_RUN_SAMPLES = 300

_QT_FIXTURES = {"qtbot", "qapp"}
_QT_IMPORT = re.compile(r"^\s*(?:from|import)\s+(?:desktop_app\.ui\b|PySide6\b|pyqtgraph\b)", re.MULTILINE)


def _needs_qt(item: pytest.Item) -> bool:
    """A test needs Qt if it uses a Qt fixture, its module imports the Qt layer at the
    top, or its own body imports it."""
    if _QT_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    module = getattr(item, "module", None)
    for value in vars(module).values() if module is not None else ():
        name = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__module__", None)
        if isinstance(name, str) and name.split(".")[0] in ("PySide6", "pyqtgraph"):
            return True
        if isinstance(name, str) and (name == "desktop_app.ui" or name.startswith("desktop_app.ui.")):
            return True
    function = getattr(item, "function", None)
    try:
        source = inspect.getsource(function) if function is not None else ""
    except (OSError, TypeError):
        source = ""
    return bool(_QT_IMPORT.search(source))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that needs Qt as ``gui`` (see docs/architecture.md#tests)."""
    for item in items:
        if "gui" not in item.keywords and _needs_qt(item):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """The bundled sample force workbook (read-only: copy it before changing it)."""
    assert SAMPLE.exists(), "run sample_data/generate_sample.py to build the sample force"
    return SAMPLE


@pytest.fixture()
def sample_copy(tmp_path: Path, sample_path: Path) -> Path:
    """A private copy of the sample force, with any CSV it names, safe to modify."""
    for f in sample_path.parent.iterdir():
        if f.suffix.lower() in (".xlsx", ".csv", ".gpkg"):
            shutil.copy2(f, tmp_path / f.name)
    return tmp_path / sample_path.name


@pytest.fixture(scope="session")
def sample_read(sample_path: Path) -> ReadResult:
    """The sample force read once per test session (read-only: never change it)."""
    from desktop_app.core.workbook.reader import read_workbook

    read = read_workbook(sample_path)
    assert read.inputs is not None, [f.one_line() for f in read.errors]
    return read


@pytest.fixture(scope="session")
def sample_run(sample_read: ReadResult) -> AppraisalRun:
    """The sample force's coverage and appraisal, computed once per test session
    (``SAMPLE_RUN_SAMPLES`` SMAA-2 draws, the default seed; read-only)."""
    from desktop_app.core.pipeline import run_appraisal

    assert sample_read.inputs is not None
    return run_appraisal(sample_read.inputs, sample_read.findings, samples=SAMPLE_RUN_SAMPLES)


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's command, for the real-client tests: required under CI, else a skip
    saying how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        missing("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
    return found


_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End a run that used Qt without Python's interpreter teardown, as the app does
    (desktop_app/commands/gui.py, ``_exit_without_teardown``).

    Why: after the last report is printed, the interpreter's shutdown destroys the Qt and
    pyqtgraph objects left by the tests in no fixed order, and PySide6 can crash in those
    destructors: a run whose every test passed then ended with a crash dump and a failing
    status. The exit status is pytest's own; everything pytest writes is written by now.
    """
    import os
    import sys

    if "PySide6.QtWidgets" in sys.modules and _EXIT_STATUS and not hasattr(config, "workerinput"):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])
