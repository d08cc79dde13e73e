"""The core must run with Qt absent (napari-style rule): prove it in a subprocess."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import desktop_app.core

BLOCKER = r"""
import sys, importlib, importlib.abc, pkgutil
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph', 'PyQt5', 'PyQt6'):
            raise ImportError('Qt is blocked in this test: ' + name)
        return None
sys.meta_path.insert(0, Block())
import desktop_app.core
mods = [m.name for m in pkgutil.walk_packages(desktop_app.core.__path__, 'desktop_app.core.')]
for m in mods:
    importlib.import_module(m)
for m in ('desktop_app.cli',) + tuple('desktop_app.commands.' + c for c in ('validate', 'appraise', 'optimise', 'template')):
    try:
        importlib.import_module(m)
    except ModuleNotFoundError as e:
        if e.name != m:
            raise
loaded = [k for k in sys.modules if k.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')]
assert not loaded, loaded
print(len(mods))
"""


def test_every_core_module_imports_without_qt() -> None:
    out = subprocess.run([sys.executable, "-c", BLOCKER], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    expected = len(list(pkgutil.walk_packages(desktop_app.core.__path__, "desktop_app.core.")))
    assert int(out.stdout.strip()) == expected >= 5
