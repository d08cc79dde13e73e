"""A chart exported for a board paper: the chart alone, captioned, sharp in print.

The on-screen widget is painted again into a 16 cm wide image at 300 dpi (1,890 pixels)
rather than grabbed at screen resolution and stretched, so lines and text stay crisp;
above it go the title and the protective marking, below it the force, the date and
whose weights the chart shows (named by ``describe_weights``, as in every output).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QWidget

from desktop_app.core._io.atomic import atomic_write_bytes
from desktop_app.core.errors import OutputError

DPI = 300
WIDTH_CM = 16.0
WIDTH_PX = round(WIDTH_CM / 2.54 * DPI)  # 1,890
FONT = "Arial"


@dataclass(frozen=True)
class Caption:
    """What a board paper needs printed with the chart."""

    title: str
    marking: str
    force: str
    date: str
    weights: str


def board_png_bytes(widget: QWidget, caption: Caption) -> bytes:
    """The chart in ``widget`` as PNG bytes, 16 cm at 300 dpi, with its caption."""
    w, h = widget.width(), widget.height()
    if w <= 0 or h <= 0:
        raise OutputError("cannot export the chart: it is not visible")
    scale = WIDTH_PX / w
    chart_h = round(h * scale)
    pt = DPI / 72  # pixels per point at 300 dpi
    head, foot = round(40 * pt), round(22 * pt)
    image = QImage(WIDTH_PX, head + chart_h + foot, QImage.Format.Format_ARGB32)
    image.setDotsPerMeterX(round(DPI / 0.0254))
    image.setDotsPerMeterY(round(DPI / 0.0254))
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        marking_font = QFont(FONT)
        marking_font.setPixelSize(round(11 * pt))
        marking_font.setBold(True)
        painter.setFont(marking_font)
        painter.setPen(QColor("#C00000"))
        painter.drawText(QRect(0, round(2 * pt), WIDTH_PX, round(14 * pt)), Qt.AlignmentFlag.AlignHCenter, caption.marking)
        title_font = QFont(FONT)
        title_font.setPixelSize(round(14 * pt))
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(QColor("#1F3864"))
        painter.drawText(QRect(round(4 * pt), round(17 * pt), WIDTH_PX - round(8 * pt), round(20 * pt)),
                         Qt.AlignmentFlag.AlignLeft, caption.title)
        painter.save()
        painter.translate(0, head)
        painter.scale(scale, scale)
        # QWidget.render, not a QGraphicsView override (a pyqtgraph plot is one).
        QWidget.render(widget, painter, QPoint(0, 0))
        painter.restore()
        body = QFont(FONT)
        body.setPixelSize(round(9 * pt))
        painter.setFont(body)
        painter.setPen(QColor("#000000"))
        line = f"{caption.force} · {caption.date} · Weights: {caption.weights}"
        painter.drawText(QRect(round(4 * pt), head + chart_h + round(3 * pt), WIDTH_PX - round(8 * pt), round(12 * pt)),
                         Qt.AlignmentFlag.AlignLeft, line)
        painter.setPen(QColor("#C00000"))
        painter.setFont(marking_font)
        painter.drawText(QRect(0, head + chart_h + round(3 * pt), WIDTH_PX - round(4 * pt), round(14 * pt)),
                         Qt.AlignmentFlag.AlignRight, caption.marking)
    finally:
        painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise OutputError("cannot encode the chart as PNG")
    buffer.close()
    return bytes(data.data())


def save_board_png(widget: QWidget, path: str | Path, caption: Caption) -> Path:
    """Write :func:`board_png_bytes` to ``path`` atomically (a locked file: one clear line)."""
    return atomic_write_bytes(path, board_png_bytes(widget, caption))
