"""The application's look is applied once: configuring it again changes nothing.

Every Qt test module applies the app's style, font and stylesheet to pytest-qt's one
QApplication. Each ``setStyle``/``setFont``/``setStyleSheet`` makes Qt re-polish every
live widget, including windows earlier tests closed but Qt has not yet deleted, and on
CI that re-polish crashed the interpreter (``Fatal Python error: Segmentation fault``
in ``configure_application``). So a second call must leave the style object, font and
stylesheet as they are, and not re-polish anything.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel

from desktop_app.ui.app import BASE_POINT_SIZE, configure_application

pytestmark = pytest.mark.gui


class _StyleChanges(QObject):
    """Counts the StyleChange events a widget receives (one per re-polish)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.StyleChange:
            self.count += 1
        return False


def test_configuring_twice_keeps_the_style_and_repolishes_nothing(qtbot, qapp) -> None:
    configure_application(qapp)
    style, sheet = qapp.style(), qapp.styleSheet()
    label = QLabel("Threat covered within 20 minutes")
    qtbot.addWidget(label)
    counter = _StyleChanges()
    label.installEventFilter(counter)
    configure_application(qapp)
    qapp.processEvents()
    assert qapp.style() is style
    assert qapp.styleSheet() == sheet and sheet  # the stylesheet is there, unchanged
    assert qapp.font().pointSize() == BASE_POINT_SIZE
    assert counter.count == 0  # no re-polish of live widgets


def test_the_first_configuration_does_apply_the_fusion_style(qapp) -> None:
    # The guard must not skip the real set-up: the style in use is Fusion, under the
    # stylesheet (Qt wraps it, so its name is read from what the app recorded).
    configure_application(qapp)
    assert qapp.property("armedOptionsStyle") == "Fusion"
    assert "QSpinBox" in qapp.styleSheet()  # the app's own sheet (its spin-box arrows) is set
