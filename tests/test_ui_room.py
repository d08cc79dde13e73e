"""Issue 16, "the app in the room": what a reviewer found on the 1366x768 laptop and the
projector sizes, checked geometrically and from Qt's own messages.

* the ranking chart's criteria key shows every criterion at 1366x768 and 1024x768;
* building the app, loading a workbook and showing every view prints no Qt warning
  (``QWidget::setTabOrder: 'first' and 'second' must be in the same window`` was printed
  ten times: the optimiser and simulation views ordered their controls before they were
  in the view).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _workshop_fixtures import load, make_window, wait_idle
from PySide6 import QtCore
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget

pytestmark = pytest.mark.gui


def _rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    """``widget``'s rectangle in ``ancestor``'s coordinates."""
    return QRect(widget.mapTo(ancestor, widget.rect().topLeft()), widget.size())


def test_building_loading_and_showing_every_view_prints_no_qt_warning(qtbot, tmp_path: Path,
                                                                      sample_copy: Path) -> None:
    messages: list[tuple[object, str]] = []

    def handler(mode: QtCore.QtMsgType, _context: QtCore.QMessageLogContext, text: str) -> None:
        messages.append((mode, text))

    previous = QtCore.qInstallMessageHandler(handler)
    try:
        window, workshop = make_window(qtbot, tmp_path)
        window.resize(1366, 768)
        load(qtbot, window, sample_copy)
        for key in window.views:
            window.show_view(key)
            qtbot.wait(20)
        pres = workshop.enter_workshop_mode()
        qtbot.waitUntil(pres.isVisible)
        qtbot.wait(50)
        workshop.leave_workshop_mode()
        wait_idle(qtbot, window)
    finally:
        QtCore.qInstallMessageHandler(previous)
    assert len(window.views) == 11  # every view was walked
    # The offscreen platform (no window system) says what it cannot do, e.g. "This plugin
    # does not support raise()": about the test's display, not the app; everything else counts.
    noisy = [text for mode, text in messages
             if mode in (QtCore.QtMsgType.QtWarningMsg, QtCore.QtMsgType.QtCriticalMsg, QtCore.QtMsgType.QtFatalMsg)
             and not text.startswith("This plugin does not support")]
    assert noisy == []


@pytest.mark.parametrize("size", [(1366, 768), (1024, 768)])
def test_the_ranking_key_shows_every_criterion_whole(qtbot, tmp_path: Path, sample_copy: Path, size) -> None:
    window, _workshop = make_window(qtbot, tmp_path)
    window.resize(*size)
    load(qtbot, window, sample_copy)
    window.show_view("appraisal")
    qtbot.wait(100)
    assert (window.width(), window.height()) == size
    key = window.appraisal_view.ranking_chart.key
    entries = key.entries()
    assert len(entries) == 9  # the sample's nine criteria
    assert entries[8].accessibleName() == "Consistency with the routinely unarmed model"  # the one that was cut
    parent = key.parentWidget()
    assert parent is not None and key.isVisible()
    for entry in entries:
        assert entry.isVisible(), entry.accessibleName()
        assert parent.rect().contains(_rect_in(entry, parent)), entry.accessibleName()
        assert window.rect().contains(_rect_in(entry, window)), entry.accessibleName()
        # the name whole: its label is as tall as its wrapped text needs
        label = entry.label
        assert label.heightForWidth(label.width()) <= label.height() + 1, entry.accessibleName()
