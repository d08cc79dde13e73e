"""What a reviewer found at 1024x768 (a facilitator's projector), checked at 1024x768 and
1366x768 (the officers' laptops) with the app's own font and stylesheet:

* the Inputs view's tornado: the top option's chart ran 98 px past its right edge at
  1024 (the title's total, the axis above 63 and the low end's bar cut off);
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
import pytest
from _workshop_fixtures import load, make_window
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget

pytestmark = pytest.mark.gui

SIZES = [(1024, 768), (1366, 768)]


@pytest.fixture(autouse=True)
def _as_the_app_looks(qapp) -> None:
    """The app's own font, style and stylesheet (sizes are what these tests measure)."""
    from desktop_app.ui.app import configure_application

    configure_application(qapp)


def _rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


def _window(qtbot, tmp_path: Path, size: tuple[int, int], sample: Path | None = None):
    window, _workshop = make_window(qtbot, tmp_path)
    window.resize(*size)
    if sample is not None:
        load(qtbot, window, sample)
    qtbot.wait(20)
    assert (window.width(), window.height()) == size
    return window


@pytest.mark.parametrize("size", SIZES)
def test_every_tornado_bar_and_title_is_whole(qtbot, tmp_path: Path, sample_copy: Path, size) -> None:
    window = _window(qtbot, tmp_path, size, sample_copy)
    window.show_view("tornado")
    qtbot.wait(100)
    view = window.views["tornado"]
    for chart, expected in zip(view.charts, ("Extra ARV crew (peak hours) (total 63.3)", "Do minimum (total 60.8)"),
                               strict=True):
        item = chart.getPlotItem()
        # the plot lies within the chart (it had run from x=288 to x=594 in a 496 px chart)
        plot = item.vb.sceneBoundingRect()
        assert plot.left() >= 0 and plot.right() <= chart.width() + 0.5, (plot, chart.width())
        # the title whole, total and all, and inside the chart
        assert item.titleLabel.text == expected
        title = item.titleLabel.sceneBoundingRect()
        assert title.left() >= 0 and title.right() <= chart.width() + 0.5
        assert item.titleLabel.item.boundingRect().width() <= title.width() + 0.5
        # every bar's both ends within the axis's range
        (x_lo, x_hi), _ = item.vb.viewRange()
        bars = [b for b in item.items if isinstance(b, pg.BarGraphItem)]
        assert bars
        for bar in bars:
            x0, width = float(bar.opts["x0"][0]), float(bar.opts["width"][0])
            assert x_lo <= x0 and x0 + width <= x_hi
