"""Draw the app icon: ``resources/app_icon.ico`` (installer, .exe), ``app_icon.png`` and
``app-icon-{32,64,256}.png`` (the window icon the GUI loads).

Run once (the outputs are committed); re-run after changing the drawing:

    QT_QPA_PLATFORM=offscreen python packaging/make_ico.py

The icon is drawn with QPainter rather than shipped as an opaque binary, so it
can be reviewed and changed in code. The ICO container is written by hand
(not by Qt's optional ``ico`` image plugin) so the output does not depend on
which Qt plugins a machine has: small sizes as 32-bit BMP entries, which every
Windows shell and resource compiler accepts, and 128/256 px as PNG entries
(Windows Vista and later), which keeps the file small.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6 import QtCore, QtGui  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BMP_SIZES = (16, 24, 32, 48, 64)
PNG_SIZES = (128, 256)
WINDOW_ICON_SIZES = (32, 64, 256)


def draw(size: int) -> QtGui.QImage:
    """A navy rounded tile with a white shield and a blue map-pin: police, places, cover."""
    img = QtGui.QImage(size, size, QtGui.QImage.Format.Format_ARGB32)
    img.fill(QtCore.Qt.GlobalColor.transparent)
    p = QtGui.QPainter(img)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
    s = size / 256.0
    p.scale(s, s)
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    p.setBrush(QtGui.QColor("#12325a"))
    p.drawRoundedRect(QtCore.QRectF(8, 8, 240, 240), 44, 44)
    shield = QtGui.QPainterPath()
    shield.moveTo(128, 34)
    shield.lineTo(206, 62)
    shield.cubicTo(206, 140, 178, 190, 128, 222)
    shield.cubicTo(78, 190, 50, 140, 50, 62)
    shield.closeSubpath()
    p.setBrush(QtGui.QColor("#ffffff"))
    p.drawPath(shield)
    pin = QtGui.QPainterPath()
    pin.addEllipse(QtCore.QRectF(96, 72, 64, 64))
    tip = QtGui.QPainterPath()
    tip.moveTo(100, 116)
    tip.lineTo(128, 176)
    tip.lineTo(156, 116)
    tip.closeSubpath()
    p.setBrush(QtGui.QColor("#1f77d0"))
    p.drawPath(pin.united(tip))
    p.setBrush(QtGui.QColor("#ffffff"))
    p.drawEllipse(QtCore.QRectF(114, 90, 28, 28))
    p.end()
    return img


def png_bytes(img: QtGui.QImage) -> bytes:
    buf = QtCore.QBuffer()
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    if not img.save(buf, "PNG"):
        raise RuntimeError("Qt could not encode PNG")
    return bytes(buf.data())


def bmp_entry(img: QtGui.QImage) -> bytes:
    """An ICO BMP entry: BITMAPINFOHEADER (height doubled), BGRA rows bottom-up, AND mask."""
    w, h = img.width(), img.height()
    img = img.convertToFormat(QtGui.QImage.Format.Format_ARGB32)  # little-endian BGRA in memory
    rows = []
    for y in range(h - 1, -1, -1):
        line = img.constScanLine(y)
        rows.append(bytes(line)[: w * 4])
    pixels = b"".join(rows)
    mask_stride = ((w + 31) // 32) * 4  # 1 bit per pixel, rows padded to 32 bits; all 0 = use alpha
    mask = b"\x00" * (mask_stride * h)
    header = struct.pack("<IiiHHIIiiII", 40, w, h * 2, 1, 32, 0, len(pixels) + len(mask), 0, 0, 0, 0)
    return header + pixels + mask


def ico_bytes(images: list[tuple[int, bytes]]) -> bytes:
    """ICONDIR + ICONDIRENTRY per image + the image data."""
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    data = b""
    for size, blob in images:
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset + len(data))
        data += blob
    return out + data


def main() -> int:
    app = QtGui.QGuiApplication.instance() or QtGui.QGuiApplication(sys.argv[:1])
    del app  # only needed so QPainter has fonts/platform; nothing is shown
    out_dir = ROOT / "resources"
    out_dir.mkdir(exist_ok=True)
    entries = [(n, bmp_entry(draw(n))) for n in BMP_SIZES]
    entries += [(n, png_bytes(draw(n))) for n in PNG_SIZES]
    (out_dir / "app_icon.ico").write_bytes(ico_bytes(entries))
    (out_dir / "app_icon.png").write_bytes(png_bytes(draw(256)))
    # The window icon: desktop_app/ui/app.py loads these sizes into one QIcon.
    for n in WINDOW_ICON_SIZES:
        (out_dir / f"app-icon-{n}.png").write_bytes(png_bytes(draw(n)))
    print(f"wrote {out_dir / 'app_icon.ico'} ({len(entries)} sizes), app_icon.png and "
          f"app-icon-{{{','.join(map(str, WINDOW_ICON_SIZES))}}}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
