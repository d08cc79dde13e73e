"""Issue 16 point 6: Tab reaches every button of each view, in reading order, and leaves
tables; every control has an accessible name and a tooltip.

The walk presses Tab (a real key event, so a table that kept Tab for its cells would
trap it) from the view's first control and collects where focus goes until it comes
back round.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _workshop_fixtures import load, make_window, wait_idle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from desktop_app.ui.keyboard import tooltip_of

pytestmark = pytest.mark.gui


def tab_walk(qtbot, start: QWidget, limit: int = 500) -> list[QWidget]:
    """Focus ``start`` and press Tab until focus returns to it: the widgets visited, in order."""
    start.window().activateWindow()
    qtbot.waitUntil(start.window().isActiveWindow, timeout=3000)
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.wait(20)
    assert start.hasFocus(), (type(start).__name__, start.accessibleName(), QApplication.focusWidget(),
                              QApplication.activeWindow(), start.window(), start.isVisible())
    seen = [start]
    for _ in range(limit):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is start:
            return seen
        assert now is not None and now not in seen[-2:], f"Tab is trapped at {type(now).__name__} {now.accessibleName()!r}"
        seen.append(now)
    raise AssertionError(f"Tab never came back round to {start.accessibleName()!r}")


def first_control(view: QWidget) -> QWidget:
    """The first widget of ``view`` in the focus chain that Tab can stop at."""
    w = view.nextInFocusChain()
    while w is not view:
        if (view.isAncestorOf(w) and w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
                and w.focusProxy() is None):
            return w
        w = w.nextInFocusChain()
    raise AssertionError(f"nothing in {view.objectName()} takes focus")


def _buttons(view: QWidget) -> list[QAbstractButton]:
    return [b for b in view.findChildren(QAbstractButton)
            if b.isVisible() and b.isEnabled() and b.focusPolicy() & Qt.FocusPolicy.TabFocus
            and b.objectName() != "qt_toolbar_ext_button"]


@pytest.fixture()
def window(qtbot, tmp_path: Path, sample_copy: Path):
    window, workshop = make_window(qtbot, tmp_path / "app")
    load(qtbot, window, sample_copy)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    # Enable the buttons that wait for a choice: an optimiser answer, a selected judgement,
    # a captured and selected weight set.
    workshop.optimiser.posts.setValue(1)
    with qtbot.waitSignal(workshop.optimiser.optimised, timeout=60_000):
        workshop.optimiser.run()
    wait_idle(qtbot, window)
    assert window.views["weight_sets"].capture("Tab walk set")
    return window


def test_tab_reaches_every_button_of_each_view_and_leaves_tables(qtbot, window) -> None:
    for key in window.views:
        window.show_view(key)
        view = window.views[key]
        qtbot.waitUntil(view.isVisible, timeout=3000)
        if key == "judgements":  # Apply and Back wait for a selected judgement
            view.table.selectRow(0)
            qtbot.waitUntil(view.apply_button.isEnabled, timeout=3000)
        if key == "weight_sets":  # Use and Delete wait for a selected set
            view.sets_table.selectRow(0)
            qtbot.waitUntil(view.delete_button.isEnabled, timeout=3000)
        buttons = _buttons(view)
        walk = tab_walk(qtbot, first_control(view))
        missing = [b.text() or b.accessibleName() for b in buttons if b not in walk]
        assert not missing, (key, missing)
        # every control in the walk that belongs to the view has a name and a tooltip
        for w in walk:
            if view.isAncestorOf(w):
                name = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
                assert name, (key, type(w).__name__, w.objectName())
                assert tooltip_of(w) and (w.toolTip() or w.accessibleDescription() or not isinstance(w, QAbstractButton)), \
                    (key, name)


def test_tab_order_follows_reading_order(qtbot, window) -> None:
    window.show_view("appraisal")
    view = window.views["appraisal"]
    rows = list(view.weights.rows.values())
    walk = tab_walk(qtbot, view.weights.reset_button)
    # the weights (each slider then its number) come before the chart tabs and the criterion box;
    # a held slider (a criterion alone in its branch, ui/tree_weights.py) takes no focus
    held = [w for r in rows for w in (r.slider, r.spin) if not w.isEnabled()]
    assert len(held) == 6  # whole-life cost, community confidence, the unarmed model: slider and number each
    positions = [walk.index(w) for r in rows for w in (r.slider, r.spin) if w.isEnabled()]
    assert positions == sorted(positions)
    assert positions[-1] < walk.index(view.tabs.tabBar())
    window.show_view("judgements")
    editor = window.views["judgements"]
    editor.table.selectRow(0)
    qtbot.waitUntil(editor.apply_button.isEnabled, timeout=3000)
    walk = tab_walk(qtbot, editor.table)
    # ("Back to workbook score" is disabled until the judgement has been changed)
    order = [walk.index(w) for w in (editor.table, editor.score, editor.rationale, editor.apply_button)]
    assert order == [0, 1, 2, 3]  # the table lets Tab go, the rationale box too
    window.show_view("weight_sets")
    panel = window.views["weight_sets"]
    panel.sets_table.selectRow(0)
    qtbot.waitUntil(panel.delete_button.isEnabled, timeout=3000)
    walk = tab_walk(qtbot, panel.sets_table)
    order = [walk.index(w) for w in (panel.sets_table, panel.capture_button, panel.switch_button,
                                     panel.delete_button, panel.reset_button)]
    assert order == [0, 1, 2, 3, 4]


def test_key_terms_are_explained_on_hover(qtbot, window) -> None:
    view = window.views["appraisal"]
    row = next(iter(view.weights.rows.values()))
    assert "Swing weight: How much moving a criterion from the worst to the best end" in row.slider.toolTip()
    assert "APSTRA threat index" in row.slider.toolTip()  # the sample's notes for C1
    optimiser = window.views["optimiser"]
    assert optimiser.measure.itemData(0, Qt.ItemDataRole.ToolTipRole).startswith("Expected cover: ")
    window.show_view("judgements")  # the table fills when shown
    editor = window.views["judgements"]
    rationale = editor.table.item(0, 4)
    assert rationale.toolTip() == rationale.text() != ""
