"""The layout the analysis views share: a title, a row of controls, a summary line, a body.

One home for it so the Optimiser and Simulation views look alike and a change of
style (title size, margins) is made once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLayout, QVBoxLayout, QWidget


def summary_label(text: str, accessible_name: str) -> QLabel:
    """A wrapping rich-text line under the controls (workbook text in it must be escaped)."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setAccessibleName(accessible_name)
    return label


def lay_out_view(view: QWidget, title: str, controls: QLayout | QWidget, summary: QLabel, body: QWidget) -> QLabel:
    """Stack ``title`` (large, bold), ``controls`` (a row, or a widget such as a
    :class:`~desktop_app.ui.flow_key.FlowRow`), ``summary`` and ``body`` (stretching) in ``view``."""
    heading = QLabel(title)
    font = heading.font()
    font.setPointSize(font.pointSize() + 3)
    font.setBold(True)
    heading.setFont(font)
    layout = QVBoxLayout(view)
    layout.setContentsMargins(12, 10, 12, 10)
    layout.addWidget(heading)
    if isinstance(controls, QWidget):
        layout.addWidget(controls)
    else:
        layout.addLayout(controls)
    layout.addWidget(summary)
    layout.addWidget(body, 1)
    return heading
