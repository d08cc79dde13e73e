"""Keyboard and screen-reader access shared by every view (issue 16 point 6).

* Tab leaves tables and text boxes: a table's own Tab moves between its cells and a
  plain-text box's Tab types a tab, so without :func:`release_tab` the buttons after
  them (Score, Rationale, Apply; Capture, Use, Delete) could not be reached by keyboard.
* :func:`name_tab_bars` names each tab bar after its tab widget.
* :func:`chain` sets a view's tab order to its reading order in one call.
* :class:`TooltipFallback` shows a control's accessible description (or name) as its
  tooltip when it has none of its own, so every control explains itself on hover,
  including those a view builds later (a weight row per criterion).
* :func:`explain` gives the glossary's words for a term ("Swing weight", "Expected
  cover"), the same words the summary workbook's Glossary sheet prints.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QHelpEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGraphicsView,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QTextEdit,
    QToolButton,
    QToolTip,
    QWidget,
)

from desktop_app.core.glossary import TERMS

_GLOSSARY = {term.lower(): text for term, text in TERMS}


def redo_keys() -> list[QKeySequence]:
    """The platform's Redo keys plus Ctrl+Y and Ctrl+Shift+Z, each once.

    Both habits work on every platform (docs/user-guide.md#4-let-the-room-push-the-weights).
    Once each: two shortcuts on one key make it ambiguous, and Qt then runs neither (the
    workshop window had Ctrl+Shift+Z from the Linux standard Redo and again by hand, so
    the keyboard's redo did nothing there).
    """
    keys = list(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
    for extra in ("Ctrl+Y", "Ctrl+Shift+Z"):
        if QKeySequence(extra) not in keys:
            keys.append(QKeySequence(extra))
    return keys


def explain(term: str) -> str:
    """``term``: its glossary definition (KeyError for a term the glossary lacks)."""
    return f"{term}: {_GLOSSARY[term.lower()]}"


def release_tab(root: QWidget) -> None:
    """Make Tab move focus out of every table and text box under ``root``.

    Arrow keys still move between a table's cells; Ctrl+Tab still moves out as before.
    Containers (scroll areas) and charts stop taking the focus at all.
    """
    for view in root.findChildren(QAbstractItemView):
        view.setTabKeyNavigation(False)
    for area in root.findChildren(QScrollArea):  # a frame around controls, not a stop of its own
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    # Charts and maps (pyqtgraph views) take no keys, and a graphics view keeps Tab for
    # its own items: Tab went round between a chart and the tab bar beside it for ever.
    for chart in root.findChildren(QGraphicsView):
        chart.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    for plain in root.findChildren(QPlainTextEdit):
        plain.setTabChangesFocus(True)
    for rich in root.findChildren(QTextEdit):
        rich.setTabChangesFocus(True)


def name_tab_bars(root: QWidget) -> None:
    """Give each tab bar under ``root`` its tab widget's name (a screen reader announces the
    bar, which takes the focus, not the tab widget around it) and list its tabs as a tooltip."""
    for tabs in root.findChildren(QTabWidget):
        bar = tabs.tabBar()
        if not bar.accessibleName():
            bar.setAccessibleName(f"{tabs.accessibleName() or 'Pages'}: tabs")
        if not bar.toolTip():
            titles = [tabs.tabText(i).replace("&", "") for i in range(tabs.count())]
            bar.setToolTip(("Pages: " + ", ".join(titles)) if titles else "")
        for arrow in bar.findChildren(QToolButton):  # Qt's "Scroll Left/Right" when the tabs overflow
            if not arrow.toolTip():
                arrow.setToolTip(f"{arrow.accessibleName() or 'Scroll'} through the tabs")


def chain(*widgets: QWidget | None) -> None:
    """Tab order ``widgets[0] -> widgets[1] -> ...`` (None entries are skipped)."""
    present = [w for w in widgets if w is not None]
    for first, second in zip(present, present[1:], strict=False):
        QWidget.setTabOrder(first, second)


def tooltip_of(widget: QWidget) -> str:
    """The tooltip ``widget`` shows: its own, else its accessible description or name."""
    return widget.toolTip() or widget.accessibleDescription() or widget.accessibleName()


class TooltipFallback(QObject):
    """An application event filter: a control with no tooltip shows :func:`tooltip_of`."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip and isinstance(watched, QWidget) and not watched.toolTip():
            text = tooltip_of(watched)
            if text and isinstance(event, QHelpEvent):
                QToolTip.showText(event.globalPos(), text, watched)
                return True
        return False
