"""Regenerate the documentation screenshots of the main window, offscreen.

    QT_QPA_PLATFORM=offscreen python -m desktop_app.ui.screenshots [--out docs/screenshots]

Opens the bundled sample force in a 1366x768 window (the common police laptop) and
saves each view with ``QWidget.grab()``, so the README and the user guide always show
the current build. A copy of the sample with two deliberate errors shows the Data view
of an invalid workbook. Settings go to a temporary folder, never the user's own.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

WIDTH, HEIGHT = 1366, 768


def _wait(app: object, condition: Callable[[], bool], timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        app.processEvents()  # type: ignore[attr-defined]
        if time.monotonic() > end:
            raise TimeoutError("the workbook did not finish loading")
        time.sleep(0.02)


def _settle(app: object, rounds: int = 30) -> None:
    for _ in range(rounds):
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.005)


def _bad_copy(sample: Path, folder: Path) -> Path:
    """The sample with a negative population and a blank force name: two clear errors."""
    import openpyxl

    for f in sample.parent.iterdir():
        if f.suffix.lower() in (".xlsx", ".csv", ".gpkg"):
            shutil.copy2(f, folder / f.name)
    path = folder / "borderdale-with-errors.xlsx"
    (folder / sample.name).rename(path)
    book = openpyxl.load_workbook(path)
    areas = book["Areas"]
    header = [c.value for c in areas[1]]
    areas.cell(row=7, column=header.index("population") + 1, value=-120)
    for row in book["Parameters"].iter_rows(min_row=2):
        if row[0].value == "force_name":
            row[1].value = None
    book.save(path)
    return path


def capture(out: Path, *, with_errors: bool = True) -> list[Path]:
    from PySide6.QtCore import QSettings

    from desktop_app.core.paths import sample_workbook
    from desktop_app.core.session.document import Autosave
    from desktop_app.ui.app import create_application
    from desktop_app.ui.compose import build_main_window

    app = create_application(sys.argv[:1])
    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        # The full app, as the composition root builds it: every view, workshop ones too.
        window, workshop = build_main_window(settings, autosave=Autosave(Path(tmp) / "appdata"),
                                             offer_recovery=False)
        window.resize(WIDTH, HEIGHT)
        window.show()
        done: list[bool] = []
        window.load_finished.connect(done.append)
        window.open_workbook(sample_workbook())
        _wait(app, lambda: bool(done))

        def shot(name: str) -> None:
            _settle(app)
            path = out / name
            window.grab().save(str(path))
            saved.append(path)

        window.show_view("appraisal")
        window.appraisal_view.show_tab("Value for money")
        shot("main-window.png")
        view = window.appraisal_view
        # Show a criterion whose weight can change the top option, if there is one.
        live = window.state.appraisal
        pick = next((s.criterion_id for s in live.sensitivity if s.switch_points), None) if live else None
        if pick is not None:
            view.criterion_combo.setCurrentIndex(view.criterion_combo.findData(pick))
        view.show_tab("Sensitivity")
        shot("appraisal-sensitivity.png")
        window.appraisal_view.show_tab("Robustness")
        shot("appraisal-robustness.png")
        window.appraisal_view.show_tab("Value for money")

        window.show_view("coverage")
        cov = window.coverage_view
        shot("coverage-view.png")
        cov.hour_slider.setValue(3)
        cov.diff_check.setChecked(True)
        shot("coverage-difference-0300.png")
        cov.diff_check.setChecked(False)
        cov.hour_slider.setValue(-1)

        window.show_view("data")
        shot("data-view.png")

        window.show_view("weight_sets")
        shot("weight-sets-view.png")
        window.show_view("judgements")
        workshop.judgements.table.selectRow(0)
        shot("judgements-view.png")
        window.show_view("simulation")
        from desktop_app.ui.simulation_view import SimulationView

        sim_view = window.views["simulation"]
        assert isinstance(sim_view, SimulationView)
        simulated: list[bool] = []
        sim_view.simulated.connect(lambda: simulated.append(True))
        sim_view.run()  # the view's defaults: 10 years x 20 replications
        _wait(app, lambda: bool(simulated) and not window.busy())
        shot("simulation-view.png")
        window.show_view("optimiser")
        shot("optimiser-before-run.png")
        optimiser = workshop.optimiser
        optimiser.posts.setValue(4)
        answered: list[bool] = []
        optimiser.optimised.connect(lambda: answered.append(True))
        optimiser.run()
        _wait(app, lambda: bool(answered) and not window.busy())
        shot("optimiser-view.png")

        if with_errors:
            bad = _bad_copy(sample_workbook(), Path(tmp))
            done.clear()
            window.open_workbook(bad)
            _wait(app, lambda: bool(done))
            data_view = window.data_view
            first = data_view.findings_model.findings()
            target = next((f for f in first if f.row is not None), None)
            if target is not None:
                data_view.show_finding(target)
                for r in range(data_view.findings_proxy.rowCount()):
                    src = data_view.findings_proxy.mapToSource(data_view.findings_proxy.index(r, 0))
                    if data_view.findings_model.finding(src.row()) == target:
                        data_view.findings_view.selectRow(r)
            shot("data-view-errors.png")
        workshop.undo.stack.setClean()  # nothing to save: closing asks nothing
        workshop.sessions._unsaved_restore = False
        window.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=None, help="folder for the PNG files (default docs/screenshots)")
    args = parser.parse_args(argv)
    from desktop_app.core.paths import docs_dir

    out = Path(args.out) if args.out else docs_dir() / "screenshots"
    for path in capture(out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
