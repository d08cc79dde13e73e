"""Shared pyqtgraph styling, so every chart reads like one report rather than a demo.

Charts in this tool end up pasted into board papers, so they are static by default
(no accidental pan/zoom, no context menu), white with dark ink, with titled axes.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPen
from PySide6.QtWidgets import QGraphicsItem, QLabel, QWidget

from desktop_app.core._io.atomic import atomic_write_bytes
from desktop_app.core.errors import OutputError
from desktop_app.ui import palette

AXIS_PEN = "#505a5f"
GRID_ALPHA = 0.18
LABEL_STYLE = {"color": palette.INK, "font-size": "9pt"}


def tick_font() -> QFont:
    return point_font(9)


def point_font(pt: int, bold: bool = False) -> QFont:
    """A font of ``pt`` points for chart labels (pyqtgraph text items take a QFont)."""
    font = QFont()
    font.setPointSize(pt)
    font.setBold(bool(bold))
    return font


def short_name(name: str, limit: int = 32) -> str:
    """A long option or criterion name cut to ``limit`` characters, ending in "…" so it
    reads as shortened; the full name stays in tooltips and tables."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def wrap_name(name: str, width: int, lines: int | None = None) -> str:
    """``name`` wrapped at spaces to ``width`` characters a line, every word whole.

    With ``lines``, at most that many, the last ending "…" when words are left over.
    """
    parts = textwrap.wrap(name, width, break_long_words=False) or [name]
    if lines is not None and len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1].rstrip(" ,:+") + "…"
    return "\n".join(parts)


def two_lines(text: str, fm: QFontMetrics, width: int) -> str:
    """``text`` broken at spaces onto at most two lines of ``width`` pixels ("…" only past two)."""
    if fm.horizontalAdvance(text) <= width:
        return text
    words = text.split()
    first = ""
    while words and fm.horizontalAdvance((first + " " + words[0]).strip()) <= width:
        first = (first + " " + words.pop(0)).strip()
    if not first:  # one word wider than the column
        return fm.elidedText(text, Qt.TextElideMode.ElideRight, width)
    rest = " ".join(words)
    return first + "\n" + fm.elidedText(rest, Qt.TextElideMode.ElideRight, width)


def cache_static_parts(plot_item: pg.PlotItem) -> None:
    """Render axes and the title to pixmaps that are redrawn only when they change.

    Drawing tick labels is the dearest part of a repaint (several ms per axis); with a
    device-coordinate cache a slider move that leaves an axis alone costs a blit.
    """
    mode = QGraphicsItem.CacheMode.DeviceCoordinateCache
    for name in ("left", "bottom", "right", "top"):
        axis = plot_item.getAxis(name)
        if axis is not None:
            axis.setCacheMode(mode)
    plot_item.titleLabel.setCacheMode(mode)


def make_plot(
    title: str = "",
    *,
    left: str = "",
    bottom: str = "",
    interactive: bool = False,
    accessible_name: str = "",
) -> pg.PlotWidget:
    """A styled PlotWidget: titled axes, light grid, fixed unless ``interactive``."""
    widget = pg.PlotWidget(background="w")
    widget.setMinimumHeight(160)
    item = widget.getPlotItem()
    if title:
        item.setTitle(title, color=palette.INK, size="10pt", bold=True)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(AXIS_PEN))
        axis.setTextPen(pg.mkPen(palette.INK))
        axis.setTickFont(tick_font())
        # Every axis title gives its own unit ("(£m)", "(%)"); pyqtgraph's automatic
        # prefix had added "(x0.001)" to "cost (£m)" for a force whose costs are under £1m,
        # which a projector reads as hundreds of millions.
        axis.enableAutoSIPrefix(False)
    if left:
        item.setLabel("left", left, **LABEL_STYLE)
    if bottom:
        item.setLabel("bottom", bottom, **LABEL_STYLE)
    item.showGrid(x=False, y=True, alpha=GRID_ALPHA)
    item.hideButtons()
    item.setMenuEnabled(False)
    cache_static_parts(item)
    if not interactive:
        item.setMouseEnabled(x=False, y=False)
        widget.setMouseTracking(True)
    widget.setAccessibleName(accessible_name or title or "Chart")
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return widget


def pen(colour: str, width: float = 2.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    p = pg.mkPen(QColor(colour), width=width)
    p.setStyle(style)
    p.setCosmetic(True)
    return p


def option_pen(index: int, width: float = 2.0) -> QPen:
    """The pen of the option at ``index``: its colour, and its dash past eight options."""
    return pen(palette.option_colour(index), width, getattr(Qt.PenStyle, palette.option_dash(index)))


def add_legend(plot: pg.PlotWidget, *, offset: tuple[int, int] = (-10, 10), columns: int = 1) -> pg.LegendItem:
    legend = plot.getPlotItem().addLegend(offset=offset, colCount=columns, labelTextSize="9pt",
                                          labelTextColor=palette.INK)
    legend.setBrush(pg.mkBrush(255, 255, 255, 220))
    legend.setPen(pg.mkPen(palette.RULE))
    return legend


def save_widget_png(widget: QWidget, path: str | Path) -> Path:
    """Save what ``widget`` shows as a PNG, atomically (a locked file gets a clear message)."""
    pixmap = widget.grab()
    if pixmap.isNull():
        raise OutputError(f"cannot export {Path(path).name}: the chart is not visible")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not pixmap.save(buffer, "PNG"):
        raise OutputError(f"cannot encode {Path(path).name} as PNG")
    buffer.close()
    return atomic_write_bytes(path, bytes(data.data()))


class OptionKey(QLabel):
    """A wrapped, one-line-per-row key of option colours shared by several charts.

    Drawn as a label above the charts rather than a legend inside them, so it never
    hides a line and the charts keep their full plotting area.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("optionKey")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAccessibleName("Option colours")

    def set_options(self, entries: list[tuple[str, str]] | list[tuple[str, str, str]],
                    emphasis: str | None = None) -> None:
        """``entries`` is (name, colour) or (name, colour, marker glyph) in drawing order;
        ``emphasis`` names the chosen one. The glyph tells apart options past the eighth,
        whose colours repeat (:func:`desktop_app.ui.palette.option_glyph`)."""
        parts = []
        for name, colour, *glyph in entries:
            label = name.replace(" ", "&nbsp;")
            if name == emphasis:
                label = f"<b>{label}</b>"
            mark = f"&#9644;{glyph[0]}" if glyph else "&#9644;"
            parts.append(f"<span style='color:{colour}; font-size:13pt'>{mark}</span>&nbsp;{label}")
        text = "&nbsp;&nbsp;&nbsp; ".join(parts)
        if text != self.text():  # re-laying out rich text on every slider move is not free
            self.setText(text)
