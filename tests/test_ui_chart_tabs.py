"""The Coverage view's chart tabs: two rows when both fit, one row when not, the chart kept."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from desktop_app.ui.chart_tabs import ChartPage, ChartTabs

pytestmark = pytest.mark.gui


def _page(name: str, minimum: int) -> QWidget:
    widget = QWidget()
    widget.setObjectName(name)
    widget.setMinimumHeight(minimum)
    return widget


@pytest.fixture
def tabs(qtbot) -> ChartTabs:
    a, b, c, d = _page("a", 200), _page("b", 220), _page("c", 160), _page("d", 160)
    t = ChartTabs([ChartPage(a, "All options", "All"), ChartPage(b, "Busy units against all free", "Busy")],
                  [ChartPage(c, "Through the week", "By hour"), ChartPage(d, "Week heat map", "Heat map")])
    qtbot.addWidget(t)
    t.resize(600, 900)
    t.show()
    qtbot.waitExposed(t)
    return t


def _widgets(tabs) -> list[str]:
    return [tabs.widget(i).objectName() for i in range(tabs.count())]


def test_both_rows_when_they_fit_one_row_when_not(qtbot, tabs: ChartTabs) -> None:
    bar = tabs.top_row.tabBar().sizeHint().height()
    # both rows need: (bar + 220, the upper row's tallest page) + (bar + 160) + the handle
    need = 2 * bar + 220 + 160 + tabs.split.handleWidth()
    assert tabs.both_rows_height() == need
    # one row needs only its tallest page: the page around it never scrolls for the charts
    assert tabs.minimumSizeHint().height() == bar + 220
    assert not tabs.one_row and _widgets(tabs.top_row) == ["a", "b"] and _widgets(tabs.bottom_row) == ["c", "d"]
    tabs.resize(600, need - 1)
    qtbot.wait(10)
    assert tabs.one_row and _widgets(tabs.top_row) == ["a", "b", "c", "d"] and not tabs.bottom_row.isVisible()
    tabs.resize(600, need)
    qtbot.wait(10)
    assert not tabs.one_row and _widgets(tabs.bottom_row) == ["c", "d"] and tabs.bottom_row.isVisible()


def test_the_chart_in_front_stays_in_front(qtbot, tabs: ChartTabs) -> None:
    pages = {tabs.top_row.widget(i).objectName(): tabs.top_row.widget(i) for i in range(2)}
    pages |= {tabs.bottom_row.widget(i).objectName(): tabs.bottom_row.widget(i) for i in range(2)}
    changes: list[int] = []
    tabs.current_changed.connect(lambda: changes.append(1))
    tabs.show_page(pages["b"])
    tabs.show_page(pages["d"])
    assert tabs.is_current(pages["b"]) and tabs.is_current(pages["d"]) and len(changes) == 2
    short = tabs.both_rows_height() - 1
    tabs.resize(600, short)  # merged: the upper row's chart is in front, the heat map behind it
    qtbot.wait(10)
    assert tabs.is_current(pages["b"]) and not tabs.is_current(pages["d"]) and len(changes) == 3
    tabs.show_page(pages["d"])  # the heat map brought forward in the one row ...
    tabs.resize(600, 900)
    qtbot.wait(10)
    # ... stays in front when the rows split again, above it the chart the upper row last showed
    assert tabs.bottom_row.currentWidget() is pages["d"] and tabs.top_row.currentWidget() is pages["b"]
    with pytest.raises(ValueError):
        tabs.show_page(QWidget())


def test_a_narrow_row_uses_the_short_names(qtbot, tabs: ChartTabs) -> None:
    tabs.resize(2000, tabs.both_rows_height() - 1)
    qtbot.wait(10)
    texts = [tabs.top_row.tabText(i) for i in range(4)]
    assert texts == ["All options", "Busy units against all free", "Through the week", "Week heat map"]
    bar = tabs.top_row.tabBar()
    full = sum(bar.tabSizeHint(i).width() for i in range(4))
    tabs.resize(full - 1, tabs.height())  # one pixel short of the full names
    qtbot.wait(10)
    assert [tabs.top_row.tabText(i) for i in range(4)] == ["All", "Busy", "By hour", "Heat map"]
    # the full name stays as each tab's tooltip
    assert tabs.top_row.tabToolTip(1) == "Busy units against all free"
