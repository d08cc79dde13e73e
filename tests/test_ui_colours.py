"""Issue 16 point 7 (options part) and the spin-box style of point 6.

Options never share a colour and a marker; every option and chrome colour is at least
3:1 on its background (WCAG 2.1, contrast ratio (L1 + 0.05) / (L2 + 0.05)); the added
option is not yellow; the spin-box arrows are drawn, not broken lines.
"""

from __future__ import annotations

import re

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from desktop_app.ui import palette  # noqa: E402
from desktop_app.ui.app import stylesheet  # noqa: E402

WHITE = "#ffffff"


def test_contrast_ratio_matches_the_wcag_worked_values() -> None:
    # black on white: (1 + 0.05) / (0 + 0.05) = 21
    assert palette.contrast_ratio("#000000", WHITE) == pytest.approx(21.0)
    # #767676 is the well-known lightest grey passing 4.5:1 on white: L = 0.1812, (1.05)/(0.2312) = 4.54
    assert palette.contrast_ratio("#767676", WHITE) == pytest.approx(4.54, abs=0.01)
    # Okabe-Ito yellow on white: L = 0.7450 -> 1.05 / 0.795 = 1.32, the "yellow on white"
    assert palette.contrast_ratio("#F0E442", WHITE) == pytest.approx(1.32, abs=0.01)
    assert palette.contrast_ratio(WHITE, "#000000") == palette.contrast_ratio("#000000", WHITE)


def test_no_two_options_share_a_colour_and_a_marker() -> None:
    styles = [(palette.option_colour(i), palette.option_symbol(i)) for i in range(48)]
    assert len(set(styles)) == 48
    assert len({palette.option_colour(i) for i in range(8)}) == 8  # the first eight differ in colour alone
    # the national workbook's options 1 and 9 (indexes 0 and 8): same blue, other marker and line
    assert palette.option_colour(0) == palette.option_colour(8)
    assert palette.option_symbol(0) == "o" and palette.option_symbol(8) == "s"
    assert palette.option_dash(0) == "SolidLine" and palette.option_dash(8) == "DashLine"
    assert palette.option_glyph(8) == "■"


@pytest.mark.parametrize("index", range(8))
def test_every_option_colour_is_3_to_1_on_the_chart_and_the_panel(index: int) -> None:
    colour = palette.option_colour(index)
    assert palette.contrast_ratio(colour, WHITE) >= 3.0, colour
    assert palette.contrast_ratio(colour, palette.PANEL) >= 3.0, colour


def test_the_added_option_is_not_yellow(sample_read) -> None:
    # The sample has six options; an option added from the optimiser is the seventh (index 6).
    assert sample_read.inputs is not None
    added = palette.option_colour(len(sample_read.inputs.options))
    assert added.upper() != "#F0E442"
    assert all(c.upper() != "#F0E442" for c in palette.OPTION_COLOURS)
    assert palette.contrast_ratio(added, WHITE) >= 3.0


def test_chrome_text_colours_read_on_white_and_the_panel() -> None:
    for colour in (palette.INK, palette.MUTED_INK, palette.ACCENT, palette.ACCENT_DARK, palette.ERROR,
                   palette.WARNING, palette.OK):
        assert palette.contrast_ratio(colour, WHITE) >= 4.5, colour  # text: AA
        assert palette.contrast_ratio(colour, palette.PANEL) >= 4.0, colour
    for bg, fg in palette.MARKING_COLOURS.values():
        assert palette.contrast_ratio(bg, fg) >= 4.5, bg
    for colour in palette.THREAT_COLOURS.values():
        assert palette.contrast_ratio(colour, WHITE) >= 4.5, colour  # white badge text


def test_control_borders_and_focus_rings_are_3_to_1_on_white() -> None:
    qss = stylesheet()
    inputs = re.search(r"QLineEdit, QComboBox, QDoubleSpinBox, QSpinBox \{[^}]*border: 1px solid (#[0-9a-f]{6})", qss)
    assert inputs is not None
    assert palette.contrast_ratio(inputs.group(1), WHITE) >= 3.0
    rings = re.findall(r"([^}]*:focus[^{]*)\{[^}]*border: 2px solid (#[0-9a-f]{6})", qss)
    assert len(rings) >= 3
    for selector, ring in rings:
        # the toolbar sits on the navy force header (#0b2a4a); everything else on white
        background = "#0b2a4a" if "mainToolbar" in selector else WHITE
        assert palette.contrast_ratio(ring, background) >= 3.0, (selector.strip(), ring)


def _dark_runs(image, x0: int, x1: int, y0: int, y1: int) -> list[int]:
    """Per row, how many pixels in columns x0..x1 are dark (ink, not the grey rules)."""
    widths = []
    for y in range(y0, y1):
        widths.append(sum(1 for x in range(x0, x1) if image.pixelColor(x, y).lightness() < 60))
    return widths


def test_spin_box_arrows_are_solid_triangles(qtbot) -> None:
    from PySide6.QtWidgets import QSpinBox

    box = QSpinBox()
    box.setStyleSheet(stylesheet())
    qtbot.addWidget(box)
    box.resize(90, 30)
    box.show()
    qtbot.waitExposed(box)
    image = box.grab().toImage()
    w, h = image.width(), image.height()
    up = [n for n in _dark_runs(image, w - 20, w - 1, 1, h // 2) if n]
    down = [n for n in _dark_runs(image, w - 20, w - 1, h // 2, h - 1) if n]
    # A 10 x 6 triangle: rows of ink widening downwards (up arrow), narrowing (down arrow).
    # The old style drew two 1-pixel broken lines: no row wider than a couple of pixels.
    assert len(up) >= 4 and max(up) >= 7 and up == sorted(up), up
    assert len(down) >= 4 and max(down) >= 7 and down == sorted(down, reverse=True), down
