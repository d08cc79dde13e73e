"""Screenshots of the app's maps with area boundaries, at 1366x768 (docs/screenshots/).

    xvfb-run -s "-screen 0 1366x768x24" python tools/map_screenshots.py [OUT_DIR]

Opens the bundled sample force like ``desktop_app/ui/screenshots.py``. If the sample's
workbook names no boundaries file yet, the areas get synthetic boundaries (the Voronoi
cells of their centroids, dissolved into districts: tests/map_shapes.py) so the polygon
map can be seen; once the sample ships a boundaries file the app's own are used.
Saves the Coverage view (busy-unit chance, all-free minutes with the week heat map,
difference from baseline) and the Optimiser view's map.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
os.environ["ARMED_OPTIONS_DATA_DIR"] = tempfile.mkdtemp(prefix="armed-options-maps-")  # never the user's own
ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "tests"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from desktop_app.ui.screenshots import HEIGHT, WIDTH, _settle, _wait  # noqa: E402


def main(argv: list[str]) -> int:
    from map_shapes import voronoi_shapes
    from PySide6.QtCore import QSettings

    from desktop_app.core.paths import docs_dir, sample_workbook
    from desktop_app.ui.app import create_application
    from desktop_app.ui.coverage_view import ALL_FREE, BUSY
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.workshop_integration import install

    out = Path(argv[0]) if argv else docs_dir() / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = create_application(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings)
        install(window, offer_recovery=False)  # the Optimiser view and the rest of the full app
        window.resize(WIDTH, HEIGHT)
        window.show()
        done: list[bool] = []
        window.load_finished.connect(done.append)
        window.open_workbook(sample_workbook())
        _wait(app, lambda: bool(done))
        inputs = window.state.inputs
        assert inputs is not None
        if inputs.boundaries is None:
            areas = inputs.areas
            inputs.boundaries = voronoi_shapes(areas["easting"].to_numpy(float), areas["northing"].to_numpy(float),
                                               areas["district"].astype(str).tolist())
            window.state.inputs_changed.emit()
            window.state.coverage_changed.emit()

        def shot(name: str) -> None:
            window.coverage_view.flush()
            _settle(app)
            window.grab().save(str(out / name))
            print(out / name)

        window.show_view("coverage")
        cov = window.coverage_view
        cov.set_mode(BUSY)
        cov.chart_tabs.show_page(cov.busy_chart.widget)
        cov.chart_tabs.show_page(cov.heat_map.plot)  # at 1366x768 the charts share one row: the heat map
        shot("coverage-map-boundaries.png")
        cov.set_mode(ALL_FREE)
        cov.day_combo.setCurrentIndex(4)
        cov.hour_slider.setValue(22)
        shot("coverage-map-minutes-fri-2200.png")
        cov.hour_slider.setValue(3)
        cov.diff_check.setChecked(True)
        cov.chart_tabs.show_page(cov.week_lines.plot)
        cov.chart_tabs.show_page(cov.distribution.plot)
        shot("coverage-map-difference.png")
        cov.diff_check.setChecked(False)
        cov.hour_slider.setValue(-1)
        window.show_view("optimiser")
        optimiser = window.views["optimiser"]
        optimiser.posts.setValue(3)
        optimiser.run()
        _wait(app, lambda: optimiser.result is not None)
        shot("optimiser-map-boundaries.png")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
