"""A cover map as a PNG, drawn with Pillow and no display (docs/maps.md#maps-in-the-summary).

The summary workbook is also written by the command line, where there is no screen, so the
picture is drawn straight into a Pillow image (Pillow is already needed by openpyxl's
images; matplotlib would add tens of megabytes to the frozen build). Each picture stands on
its own if copied out of the workbook: the protective marking above and below, the force and
the map's title, a legend of the bands, a scale bar in kilometres and a north arrow (British
National Grid's grid north, within a degree or two of true north across Great Britain).
Areas are their simplified boundaries when the workbook has a ``boundaries_file``, else dots
at their easting and northing.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from desktop_app.core.area_shapes import AreaShapes
from desktop_app.core.geography.bands import NO_DATA_COLOUR

#: Pixels of the drawn PNG (printed at about 17 cm wide: 1.5 pixels per displayed pixel).
WIDTH, HEIGHT = 1200, 960
_BANNER, _TITLE, _PANEL, _PAD = 40, 70, 300, 16
_INK, _MUTED, _MARK = "#0b0c0c", "#505a5f", "#c00000"
_AREA_LINE, _DISTRICT_LINE, _SEA = "#ffffff", "#0b0c0c", "#ffffff"
#: Above this many areas, area outlines would be a solid grey at this size: districts only.
_MAX_OUTLINED = 5000


@dataclass(frozen=True)
class MapLayer:
    """What one picture shows: a colour per area and the legend that explains them."""

    title: str
    colours: Sequence[str]  # one per area, "#rrggbb"
    legend: Sequence[tuple[str, str]]  # (colour, label), top to bottom
    legend_title: str
    sites: Sequence[tuple[float, float]] = ()  # (easting, northing) of the sites shown
    sites_label: str = ""


#: Pillow's built-in font has no en dash or curly quotes (they print as a box): their
#: plain forms are drawn instead.
_PLAIN = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's own scalable font (no system font needed, the same on Windows and Linux)."""
    return ImageFont.load_default(size=size)


class _Frame:
    """Map metres to the pixels of the map panel, keeping the aspect ratio."""

    def __init__(self, bounds: tuple[float, float, float, float], box: tuple[int, int, int, int]) -> None:
        minx, miny, maxx, maxy = bounds
        x0, y0, x1, y1 = box
        span = max(maxx - minx, maxy - miny, 1.0)
        self.scale = min((x1 - x0) / max(maxx - minx, span * 1e-3), (y1 - y0) / max(maxy - miny, span * 1e-3))
        self.ox = x0 + ((x1 - x0) - (maxx - minx) * self.scale) / 2 - minx * self.scale
        self.oy = y0 + ((y1 - y0) - (maxy - miny) * self.scale) / 2 + maxy * self.scale

    def px(self, xy: np.ndarray) -> list[tuple[float, float]]:
        x = xy[:, 0] * self.scale + self.ox
        y = self.oy - xy[:, 1] * self.scale
        return list(zip(x.tolist(), y.tolist(), strict=True))


def _bounds(shapes: AreaShapes | None, east: np.ndarray, north: np.ndarray) -> tuple[float, float, float, float]:
    xs: list[np.ndarray] = [east[np.isfinite(east)]]
    ys: list[np.ndarray] = [north[np.isfinite(north)]]
    if shapes is not None:
        for polys in shapes.display:
            for poly in polys:
                xs.append(poly[0][:, 0])
                ys.append(poly[0][:, 1])
    x, y = np.concatenate(xs), np.concatenate(ys)
    if x.size == 0:
        return 0.0, 0.0, 1.0, 1.0
    return float(x.min()), float(y.min()), float(x.max()), float(y.max())


def _draw_areas(img: Image.Image, frame: _Frame, shapes: AreaShapes | None, east: np.ndarray,
                north: np.ndarray, colours: Sequence[str]) -> None:
    draw = ImageDraw.Draw(img)
    outline = shapes is not None and len(shapes) <= _MAX_OUTLINED
    dot = max(2, int(round(min(img.size) / max(60.0, math.sqrt(len(colours)) * 2.2))))
    dotted: list[int] = []
    for i, colour in enumerate(colours):
        polys = shapes.display[i] if shapes is not None else ()
        if polys:
            for poly in polys:
                ring = frame.px(poly[0])
                if len(poly) == 1:
                    draw.polygon(ring, fill=colour, outline=_AREA_LINE if outline else None)
                else:  # holes: fill through a mask so what lies in a hole keeps its own colour
                    mask = Image.new("L", img.size, 0)
                    md = ImageDraw.Draw(mask)
                    md.polygon(ring, fill=255)
                    for hole in poly[1:]:
                        md.polygon(frame.px(hole), fill=0)
                    img.paste(colour, (0, 0), mask)
                    if outline:
                        draw.line([*ring, ring[0]], fill=_AREA_LINE, width=1)
        else:
            dotted.append(i)
    if dotted:
        _draw_dots(img, frame, np.asarray(dotted), east, north, colours, dot)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _draw_dots(img: Image.Image, frame: _Frame, which: np.ndarray, east: np.ndarray, north: np.ndarray,
               colours: Sequence[str], dot: int) -> None:
    """A dot of radius ``dot`` px (a one-pixel outline round its colour) at each centroid of ``which``.

    Painted with numpy in one pass rather than one ``ellipse`` call a dot (a national set
    has 35,672, 1 s a picture). Where dots overlap, the later area's dot is on top, as
    drawing them in turn would give: each pixel takes the highest area number covering
    it (``np.maximum.at``, which is order-independent).
    """
    with np.errstate(invalid="ignore"):
        x = np.asarray(east, dtype=float)[which] * frame.scale + frame.ox
        y = frame.oy - np.asarray(north, dtype=float)[which] * frame.scale
    ok = np.isfinite(x) & np.isfinite(y)
    which, x, y = which[ok], np.rint(x[ok]).astype(np.int64), np.rint(y[ok]).astype(np.int64)
    if which.size == 0:
        return
    oy, ox = np.mgrid[-dot:dot + 1, -dot:dot + 1]
    d2 = ox * ox + oy * oy
    disc = d2 <= (dot + 0.5) ** 2
    fill = d2 <= (dot - 0.5) ** 2
    ox, oy, is_fill = ox[disc], oy[disc], fill[disc]
    width, height = img.size
    px = x[:, None] + ox[None, :]
    py = y[:, None] + oy[None, :]
    order = np.arange(which.size)[:, None]
    code = np.broadcast_to(2 * order + is_fill[None, :], px.shape)  # even: outline, odd: fill
    inside = (px >= 0) & (px < width) & (py >= 0) & (py < height)
    winner = np.full(width * height, -1, dtype=np.int64)
    np.maximum.at(winner, (py * width + px)[inside], code[inside])
    painted = np.flatnonzero(winner >= 0)
    top = winner[painted]
    rgb_of = {c: _rgb(c) for c in set(colours)}  # a handful of band colours
    palette = np.array([rgb_of[colours[i]] for i in which.tolist()], dtype=np.uint8)
    rgb = np.where((top % 2 == 1)[:, None], palette[top // 2], np.array(_rgb(_MUTED), dtype=np.uint8))
    pixels = np.array(img, dtype=np.uint8).reshape(-1, 3)
    pixels[painted] = rgb
    img.paste(Image.fromarray(pixels.reshape(height, width, 3), "RGB"))


def _draw_districts(draw: ImageDraw.ImageDraw, frame: _Frame, shapes: AreaShapes | None) -> None:
    if shapes is None:
        return
    rings = [frame.px(ring) for polys in shapes.districts.values() for poly in polys for ring in poly]
    for colour, width in (("#ffffff", 6), (_DISTRICT_LINE, 2)):  # a white casing first: visible on dark
        for pts in rings:
            draw.line([*pts, pts[0]], fill=colour, width=width, joint="curve")
    font = _font(20)
    for name, (x, y) in shapes.district_labels.items():
        (px, py), = frame.px(np.array([[x, y]]))
        draw.text((px, py), name.translate(_PLAIN), fill=_INK, font=font, anchor="mm", stroke_width=3, stroke_fill="#ffffff")


def _nice_km(metres: float) -> float:
    """A round length (1, 2, 5 x 10^n km) no longer than ``metres``."""
    km = max(metres / 1000.0, 0.001)
    base = 10 ** math.floor(math.log10(km))
    return max(m * base for m in (1, 2, 5) if m * base <= km)


def _scale_bar(draw: ImageDraw.ImageDraw, frame: _Frame, x: int, y: int, max_px: int) -> None:
    km = _nice_km(max_px / frame.scale)
    length = km * 1000 * frame.scale
    font = _font(18)
    half = length / 2
    draw.rectangle((x, y, x + half, y + 10), fill=_INK)
    draw.rectangle((x + half, y, x + length, y + 10), fill="#ffffff", outline=_INK, width=2)
    draw.text((x, y + 14), "0", fill=_INK, font=font)
    label = f"{km:g} km"
    draw.text((x + length, y + 14), label, fill=_INK, font=font, anchor="ma")


def _north_arrow(draw: ImageDraw.ImageDraw, x: int, y: int) -> None:
    draw.polygon([(x, y), (x - 16, y + 44), (x, y + 34)], fill=_INK)
    draw.polygon([(x, y), (x + 16, y + 44), (x, y + 34)], fill="#ffffff", outline=_INK)
    draw.text((x, y + 48), "N", fill=_INK, font=_font(22), anchor="ma")


def _legend(draw: ImageDraw.ImageDraw, layer: MapLayer, x: int, y: int) -> int:
    title_font = _font(20)
    for line in _wrap(layer.legend_title, title_font, _PANEL - 2 * _PAD, draw):
        draw.text((x, y), line.translate(_PLAIN), fill=_INK, font=title_font)
        y += 26
    y += 6
    font = _font(18)
    for colour, label in [*layer.legend, (NO_DATA_COLOUR, "no figure")]:
        draw.rectangle((x, y, x + 34, y + 24), fill=colour, outline=_MUTED)
        draw.text((x + 44, y + 2), label.translate(_PLAIN), fill=_INK, font=font)
        y += 32
    if layer.sites:
        y += 8
        draw.ellipse((x + 9, y + 4, x + 25, y + 20), fill="#ffffff", outline=_INK, width=3)
        draw.text((x + 44, y + 2), layer.sites_label.translate(_PLAIN), fill=_INK, font=font)
        y += 32
    return y


def _wrap(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int, draw: ImageDraw.ImageDraw) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(lines[-1] + " " + word, font=font) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def render_map(layer: MapLayer, *, marking: str, force: str, shapes: AreaShapes | None,
               east: np.ndarray, north: np.ndarray, note: str = "") -> bytes:
    """The PNG bytes of one map (see the module docstring for what it holds)."""
    img = Image.new("RGB", (WIDTH, HEIGHT), _SEA)
    draw = ImageDraw.Draw(img)
    for y in (0, HEIGHT - _BANNER):
        draw.text((WIDTH / 2, y + _BANNER / 2), marking, fill=_MARK, font=_font(24), anchor="mm")
    draw.line((0, _BANNER, WIDTH, _BANNER), fill="#b1b4b6", width=1)
    draw.line((0, HEIGHT - _BANNER, WIDTH, HEIGHT - _BANNER), fill="#b1b4b6", width=1)
    draw.text((_PAD, _BANNER + 8), force.translate(_PLAIN), fill=_MUTED, font=_font(20))
    draw.text((_PAD, _BANNER + 34), layer.title.translate(_PLAIN), fill=_INK, font=_font(26))
    box = (_PAD, _BANNER + _TITLE + _PAD, WIDTH - _PANEL - _PAD, HEIGHT - _BANNER - _PAD)
    frame = _Frame(_bounds(shapes, east, north), box)
    _draw_areas(img, frame, shapes, east, north, layer.colours)
    _draw_districts(draw, frame, shapes)
    for e, n in layer.sites:
        (sx, sy), = frame.px(np.array([[e, n]]))
        draw.ellipse((sx - 8, sy - 8, sx + 8, sy + 8), fill="#ffffff", outline=_INK, width=3)
    px = WIDTH - _PANEL + _PAD
    y = _legend(draw, layer, px, _BANNER + _TITLE + _PAD)
    _north_arrow(draw, px + 30, y + 20)
    _scale_bar(draw, frame, px, y + 110, _PANEL - 3 * _PAD)
    font = _font(16)
    ny = y + 170
    for line in _wrap(note, font, _PANEL - 3 * _PAD, draw):
        draw.text((px, ny), line.translate(_PLAIN), fill=_MUTED, font=font)
        ny += 22
    out = io.BytesIO()
    img.save(out, format="PNG", compress_level=6)  # optimize=True: 4x the time for 2-5% smaller
    return out.getvalue()
