"""Small layout helpers shared by views that rebuild their rows when a workbook loads."""

from __future__ import annotations

from PySide6.QtWidgets import QLayout


def clear_layout(layout: QLayout) -> None:
    """Take every item out of ``layout`` and delete its widget.

    ``deleteLater`` rather than an immediate delete: the rebuild can run from a signal
    that one of those widgets is still emitting.
    """
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.deleteLater()
