"""``armed-options-selfcheck``: what only breaks once the app is frozen, as a JSON report.

Built from the same PyInstaller analysis as ``armed-options`` (same frozen
modules, same Qt plugins, same data files), so a pass here speaks for the
shipped executable. ``packaging/check_frozen.sh`` runs it after the build;
IT staff can run it on a locked-down laptop to diagnose an install.

Each check records ``ok`` and a short ``detail``; the exit status is 0 only if
every check passed. Nothing here is part of the product contract's CLI.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

# Modules the spec must have kept OUT of the bundle (size budget, attack surface).
MUST_BE_ABSENT = (
    "PySide6.QtWebEngineCore", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtMultimedia",
    "PySide6.Qt3DCore", "PySide6.QtTest", "matplotlib", "tkinter", "PyQt5", "PyQt6",
    "IPython", "pytest", "hypothesis", "pymcdm",
)

PYQTGRAPH_TEMPLATES = (
    "pyqtgraph.graphicsItems.ViewBox.axisCtrlTemplate_generic",
    "pyqtgraph.graphicsItems.PlotItem.plotConfigTemplate_generic",
    "pyqtgraph.GraphicsScene.exportDialogTemplate_generic",
    "pyqtgraph.imageview.ImageViewTemplate_generic",
)


def check_frozen() -> str:
    meipass = getattr(sys, "_MEIPASS", None)
    if not getattr(sys, "frozen", False) or not meipass:
        raise AssertionError("not running from a PyInstaller build")
    return f"bundle at {meipass}"


def check_version() -> str:
    import desktop_app

    return f"desktop_app {desktop_app.__version__}"


def check_defusedxml() -> str:
    """openpyxl must parse workbook XML through defusedxml (entity expansion refused)."""
    import openpyxl
    from openpyxl.xml import DEFUSEDXML
    from openpyxl.xml.functions import fromstring

    if not DEFUSEDXML:
        raise AssertionError("openpyxl.xml.DEFUSEDXML is False: defusedxml not bundled or disabled")
    if not fromstring.__module__.startswith("defusedxml"):
        raise AssertionError(f"openpyxl parses XML with {fromstring.__module__}, not defusedxml")
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;&a;</x>'
    try:
        fromstring(bomb)
    except Exception as exc:  # noqa: BLE001 - defusedxml's EntitiesForbidden is what we want
        if "Entit" not in type(exc).__name__:
            raise AssertionError(f"unexpected {type(exc).__name__}: {exc}") from exc
        return f"openpyxl {openpyxl.__version__} refuses XML entities ({type(exc).__name__})"
    raise AssertionError("an XML entity declaration was accepted")


def check_bundled_data() -> str:
    from desktop_app.core import paths

    sample = paths.sample_workbook()
    if not sample.is_file():
        raise AssertionError(f"sample force missing: {sample}")
    docs = sorted(p.name for p in paths.docs_dir().glob("*.md"))
    if not docs:
        raise AssertionError(f"no docs in {paths.docs_dir()}")
    icons = sorted(p.name for p in paths.resources_dir().glob("app_icon.*"))
    if not icons:
        raise AssertionError(f"no app icon in {paths.resources_dir()}")
    return f"{sample.name}, {len(docs)} docs, icons {icons}"


def check_calamine() -> str:
    """calamine is a native (Rust) extension: the classic missing-binary-in-bundle failure."""
    from python_calamine import CalamineWorkbook

    from desktop_app.core import paths

    book = CalamineWorkbook.from_path(str(paths.sample_workbook()))
    names = list(book.sheet_names)
    if not names:
        raise AssertionError("calamine read no sheets from the sample force")
    rows = book.get_sheet_by_index(0).to_python()
    return f"{len(names)} sheets; first sheet {names[0]!r} has {len(rows)} rows"


def check_openpyxl_roundtrip() -> str:
    import openpyxl

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roundtrip.xlsx"
        book = openpyxl.Workbook()
        book.active["A1"] = "=not a formula"
        book.active["A1"].data_type = "s"
        book.save(path)
        value = openpyxl.load_workbook(path).active["A1"].value
    if value != "=not a formula":
        raise AssertionError(f"round trip gave {value!r}")
    return "wrote and re-read a workbook"


def check_app_modules() -> str:
    """Import every desktop_app module: catches hidden imports that analysis missed."""
    import desktop_app

    names = [m.name for m in pkgutil.walk_packages(desktop_app.__path__, "desktop_app.")]
    if len(names) < 5:
        raise AssertionError(f"only {len(names)} desktop_app modules found in the bundle: {names}")
    failed = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - report every failure, not just the first
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
    if failed:
        raise AssertionError("; ".join(failed))
    return f"{len(names)} modules imported"


def check_scipy_milp() -> str:
    """The optimiser's exact MILP (HiGHS, a native library inside scipy)."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    # choose 1 of 3 items maximising value: best is item 2 (value 5)
    res = milp(c=-np.array([1.0, 5.0, 3.0]), integrality=np.ones(3),
               bounds=Bounds(0, 1), constraints=LinearConstraint(np.ones((1, 3)), 1, 1))
    if not res.success or round(-res.fun) != 5:
        raise AssertionError(f"milp gave {res.status} {res.fun}")
    return "HiGHS solved a 3-variable MILP"


def check_qt_plugins() -> str:
    from PySide6 import QtCore

    # Qt looks in QLibraryInfo's plugin path and in QT_PLUGIN_PATH (which PyInstaller's
    # runtime hook points into the bundle); either must hold the platform plugins.
    candidates = [Path(QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.LibraryPath.PluginsPath))]
    candidates += [Path(p) for p in os.environ.get("QT_PLUGIN_PATH", "").split(os.pathsep) if p]
    plugins = next((c for c in candidates if (c / "platforms").is_dir()), candidates[0])
    platforms = sorted(p.name for p in (plugins / "platforms").glob("*")) if plugins.is_dir() else []
    wanted = ["qwindows"] if sys.platform == "win32" else ["libqoffscreen", "libqxcb"]
    missing = [w for w in wanted if not any(p.startswith(w) for p in platforms)]
    if missing:
        raise AssertionError(f"platform plugins {missing} missing from {plugins}/platforms ({platforms})")
    return f"{plugins.name}/platforms: {', '.join(platforms)}"


def check_pyqtgraph() -> str:
    """Templates are imported by name at run time; a plot widget exercises them for real."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # isort: off
    from PySide6 import QtWidgets  # PySide6 before pyqtgraph, as in the app
    import pyqtgraph as pg
    # isort: on

    for name in PYQTGRAPH_TEMPLATES:
        importlib.import_module(name)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(["selfcheck"])
    widget = pg.PlotWidget()
    widget.plot([0, 1, 2], [2, 0, 1])
    widget.getPlotItem().getViewBox().menu  # noqa: B018 - builds the axis-control template UI
    widget.close()
    app.processEvents()
    return f"pyqtgraph {pg.__version__}, {len(PYQTGRAPH_TEMPLATES)} templates, plot built"


def check_maps() -> str:
    """The maps' stack: pyproj needs its proj.db (data files), shapely its GEOS library, Pillow its codecs.

    Converts OS test point TP01 (OSTN15 developer pack: ETRS89 49.92226393730 N, 6.29977752014 W
    is E 91,492.146, N 11,318.804) and reads the bundled sample's boundaries (docs/maps.md).
    """
    import io

    import numpy as np
    import shapely
    from PIL import Image
    from pyproj import Transformer

    from desktop_app.core import paths
    from desktop_app.core.geography.load import load_boundaries

    e, n = Transformer.from_crs(4326, 27700, always_xy=True).transform(-6.29977752014, 49.92226393730)
    if not np.hypot(e - 91_492.146, n - 11_318.804) < 6.0:
        raise AssertionError(f"pyproj put TP01 at ({e:.1f}, {n:.1f}): proj.db or its grids are wrong")
    gpkg = paths.sample_workbook().parent / "borderdale_boundaries.gpkg"
    shapes, problems = load_boundaries(gpkg, "LSOA21CD", ["E01900001"], [None])
    if shapes is None or not shapes.has_boundary(0):
        raise AssertionError(f"the sample's boundaries did not read: {problems[:1]}")
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, format="PNG")
    return (f"TP01 within {np.hypot(e - 91_492.146, n - 11_318.804):.1f} m; shapely {shapely.__version__}; "
            f"{gpkg.name} read; Pillow wrote a PNG")


def check_excluded() -> str:
    present = []
    for name in MUST_BE_ABSENT:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        present.append(name)
    if present:
        raise AssertionError(f"should have been excluded from the bundle: {present}")
    return f"{len(MUST_BE_ABSENT)} unused modules absent"


CHECKS: dict[str, Callable[[], str]] = {
    "frozen": check_frozen,
    "version": check_version,
    "defusedxml": check_defusedxml,
    "bundled_data": check_bundled_data,
    "calamine": check_calamine,
    "openpyxl": check_openpyxl_roundtrip,
    "app_modules": check_app_modules,
    "scipy_milp": check_scipy_milp,
    "qt_plugins": check_qt_plugins,
    "pyqtgraph": check_pyqtgraph,
    "maps": check_maps,
    "excluded": check_excluded,
}


def main() -> int:
    report: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        try:
            report[name] = {"ok": True, "detail": check()}
        except Exception as exc:  # noqa: BLE001 - a diagnostic reports, it does not crash
            tail = traceback.format_exception_only(type(exc), exc)[-1].strip()
            report[name] = {"ok": False, "detail": tail}
    ok = all(item["ok"] for item in report.values())
    print(json.dumps({"ok": ok, "checks": report}, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
