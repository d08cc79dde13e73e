"""Issue 15 in the app: the summary export names the weights as the screen does
(describe_weights), the public export, and a chart exported fit for a board paper."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from _workshop_fixtures import discard_changes, open_in_window, wait_idle
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

pytestmark = pytest.mark.gui


@pytest.fixture()
def loaded(qtbot, tmp_path: Path, sample_copy: Path, monkeypatch: pytest.MonkeyPatch):
    window, workshop = open_in_window(qtbot, tmp_path, sample_copy, monkeypatch)
    yield window, workshop
    discard_changes(workshop)


def _export(qtbot, window, target: Path, monkeypatch: pytest.MonkeyPatch, public: bool = False) -> openpyxl.Workbook:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    with qtbot.waitSignal(window.exported, timeout=120_000):
        (window.export_public_action if public else window.export_action).trigger()
    return openpyxl.load_workbook(target)


def _weights_used(wb: openpyxl.Workbook) -> str:
    ws = wb["Summary"]
    return next(ws.cell(r, 2).value for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Weights used")


def test_export_under_a_weight_set_names_the_set_not_custom(loaded, qtbot, tmp_path: Path, monkeypatch) -> None:
    window, workshop = loaded
    workshop.weight_sets.switch_to("Community panel")
    wait_idle(qtbot, window)
    wb = _export(qtbot, window, tmp_path / "panel.xlsx", monkeypatch)
    assert _weights_used(wb) == "Community panel"
    assert wb["Weights"]["A1"].value.endswith("under Community panel")
    box = window.saved_message  # stays until dismissed, and does not block
    assert box.isVisible() and not box.isModal() and str(tmp_path / "panel.xlsx") in box.text()
    box.close()
    # moving a weight away from the set: the name says the room changed them (C6, which shares
    # the Workforce branch with C8; C5 is alone in Costs, so its own slider changes no share)
    window.state.set_weight("C6", window.state.weights["C6"] + 10)
    wait_idle(qtbot, window)
    wb = _export(qtbot, window, tmp_path / "moved.xlsx", monkeypatch)
    assert _weights_used(wb) == "Weights set in the workshop, from Community panel"
    window.saved_message.close()


def test_public_export_from_the_app(loaded, qtbot, tmp_path: Path, monkeypatch) -> None:
    window, _workshop = loaded
    wb = _export(qtbot, window, tmp_path / "public.xlsx", monkeypatch, public=True)
    assert wb["Summary"].oddHeader.center.text == "OFFICIAL"
    headers = [c.value for c in wb["Coverage"][2]]
    assert "threat_index" not in headers
    window.saved_message.close()


def test_chart_export_is_board_paper_ready(loaded, qtbot, tmp_path: Path, monkeypatch) -> None:
    window, _workshop = loaded
    window.show_view("appraisal")
    wait_idle(qtbot, window)
    target = tmp_path / "chart.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    errors: list[str] = []
    monkeypatch.setattr("desktop_app.ui.main_window_files.show_error", lambda _w, _t, exc: errors.append(repr(exc)))
    window.export_chart_action.trigger()
    assert errors == []
    image = QImage(str(target))
    assert image.width() == 1890  # 16 cm at 300 dpi
    assert round(image.dotsPerMeterX() * 0.0254) == 300
    box = window.saved_message
    assert box.isVisible() and str(target) in box.text()
    box.close()


def test_board_png_caption_and_size(qtbot) -> None:
    from PySide6.QtWidgets import QLabel

    from desktop_app.ui.board_png import WIDTH_PX, Caption, board_png_bytes

    label = QLabel("chart")
    label.resize(600, 300)
    qtbot.addWidget(label)
    data = board_png_bytes(label, Caption("Ranking", "OFFICIAL", "Borderdale Police", "1 December 2026", "Community panel"))
    image = QImage.fromData(data)
    # 600 x 300 on screen scaled to 1,890 wide: 945 high, plus 40 pt above and 22 pt below at 300 dpi
    assert (image.width(), image.height()) == (WIDTH_PX, 945 + round(40 * 300 / 72) + round(22 * 300 / 72))
