"""The Maps sheet: pictures of the baseline's cover, the top option's and their difference.

docs/maps.md#maps-in-the-summary. A panel reads a map before a table: each picture colours
every area by F(T), the chance a free armed unit arrives within the target (averaged over the
week, allowing for busy units: the Coverage sheet's "expected cover"), in the app's bands
(:mod:`desktop_app.core.geography.bands`); the third by the difference in percentage points.
Each picture carries alt text (WCAG 2.2 1.1.1) saying what it shows and its main figures, and
the figures table on the first page gives the same figures to every reader. The sheet is there when the areas have a
boundary or a point to draw; the public version draws the same (cover reveals no threat).
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from openpyxl.drawing.image import Image as XLImage
from openpyxl.worksheet.pagebreak import Break

from desktop_app.core.export.context import ExportContext
from desktop_app.core.export.grid import SheetWriter, Styled
from desktop_app.core.export.map_picture import HEIGHT, WIDTH, MapLayer, render_map
from desktop_app.core.export.styles import add_table, print_setup, set_widths
from desktop_app.core.export.tables import (
    LINE_HEIGHT,
    TableSpec,
    auto_heights,
    header_lines,
    table_block,
    title_block,
)
from desktop_app.core.geography.bands import (
    COVER_COLOURS,
    COVER_DIFF_LABELS,
    COVER_EDGES,
    COVER_LABELS,
    DIFF_COLOURS,
    DIFF_EDGES,
    NO_DATA_COLOUR,
    bands_of,
)
from desktop_app.core.shown import difference, possessive

SHEET = "Maps"
#: Displayed size of each picture (pixels at 96 dpi): 18.5 x 14.8 cm, one to an A4
#: landscape page (every sheet of the summary prints landscape).
SHOWN_WIDTH = 700
SHOWN_HEIGHT = round(SHOWN_WIDTH * HEIGHT / WIDTH)
#: Rows each picture takes (at 20 px a row, and a spare row). No cell text goes below the
#: figures table (every data sheet reads back as one clean table): each picture carries its
#: own title, legend and note, and its figures are the table's row.
_ROWS_PER_MAP = SHOWN_HEIGHT // 20 + 2


def has_maps(run: Any) -> bool:
    """True when some area has a boundary or both coordinates (there is something to draw)."""
    inputs = getattr(run, "inputs", None)
    if inputs is None or getattr(run, "coverage", None) is None:
        return False
    if getattr(inputs, "boundaries", None) is not None:
        return True
    areas = inputs.areas
    return bool(len(areas)) and bool(np.isfinite(areas["easting"].to_numpy(np.float64)
                                                 + areas["northing"].to_numpy(np.float64)).any())


def _cover(ctx: ExportContext, oid: str) -> np.ndarray:
    return ctx.run.coverage.per_area[oid]["expected_cover"].to_numpy(np.float64)


def _colours(values: np.ndarray, edges: tuple[float, ...], colours: tuple[str, ...]) -> list[str]:
    palette = [*colours, NO_DATA_COLOUR]  # index -1: no figure
    return [palette[b] for b in bands_of(values, edges).tolist()]


def _sites_of(ctx: ExportContext, oid: str) -> list[tuple[float, float]]:
    deps = ctx.inputs.deployments
    used = set(deps.loc[deps["option_id"].astype(str) == oid, "site_id"].astype(str))
    sites = ctx.inputs.sites
    return [(float(e), float(n)) for s, e, n in zip(sites["site_id"], sites["easting"], sites["northing"], strict=True)
            if str(s) in used and np.isfinite(float(e)) and np.isfinite(float(n))]


def _pct(x: float) -> str:
    return "-" if x != x else f"{100 * x:.0f}%"


def _cover_figures(ctx: ExportContext, cover: np.ndarray) -> tuple[float, float, int]:
    """(population coverage, share of residents in areas at 75% or more, areas under 50%)."""
    pop = ctx.inputs.areas["population"].to_numpy(np.float64)
    ok = np.isfinite(cover)
    total = float(pop[ok].sum())
    if total <= 0:
        return float("nan"), float("nan"), int((ok & (cover < 0.5)).sum())
    return (float(np.dot(pop[ok], cover[ok]) / total), float(pop[ok & (cover >= 0.75)].sum()) / total,
            int((ok & (cover < 0.5)).sum()))


def _cover_words(ctx: ExportContext, cover: np.ndarray) -> str:
    mean, high, low = _cover_figures(ctx, cover)
    return (f"Population coverage {_pct(mean)} (a free armed unit within {ctx.target:g} minutes, averaged over "
            f"residents and the week); {_pct(high)} of residents live in areas at 75% or more; "
            f"{low:,} of {len(cover):,} areas are under 50%.")


def _diff_figures(ctx: ExportContext, cover_base: np.ndarray, cover_top: np.ndarray) -> tuple[int, float, int, float]:
    """(areas gaining at least a point, their residents' share, areas losing at least a point, theirs)."""
    diff = 100 * (cover_top - cover_base)
    pop = ctx.inputs.areas["population"].to_numpy(np.float64)
    better, worse = diff >= 1, diff <= -1
    total = float(pop.sum()) or 1.0
    return int(better.sum()), float(pop[better].sum()) / total, int(worse.sum()), float(pop[worse].sum()) / total


def _diff_words(ctx: ExportContext, cover_base: np.ndarray, cover_top: np.ndarray) -> str:
    gain, gain_share, lose, lose_share = _diff_figures(ctx, cover_base, cover_top)
    return (f"{gain:,} areas ({_pct(gain_share)} of residents) gain at least 1 percentage point; "
            f"{lose:,} areas ({_pct(lose_share)}) lose at least 1.")


def _name(ctx: ExportContext, oid: str) -> str:
    opts = ctx.inputs.options
    names = dict(zip(opts["option_id"].astype(str), opts["option_name"].astype(str), strict=True))
    return ctx.guard.clean(f"{oid} ({names.get(oid, oid)})", SHEET)


def _layers(ctx: ExportContext) -> list[tuple[MapLayer, str, list[Any]]]:
    """(layer, alt text, figures row) for each picture: baseline, top option, difference."""
    base, top = ctx.inputs.baseline_id, ctx.run.top_option
    cover_legend = list(zip(reversed(COVER_COLOURS), reversed(COVER_LABELS), strict=True))
    within = f"Chance a free armed unit arrives within {ctx.target:g} min"
    out: list[tuple[MapLayer, str, list[Any]]] = []
    ids = [base] if top == base else [base, top]
    for oid in ids:
        cover = _cover(ctx, oid)
        role = "baseline" if oid == base else "top-ranked option"
        title = f"Cover of the {role}: {_name(ctx, oid)}"
        words = _cover_words(ctx, cover)
        mean, high, low = _cover_figures(ctx, cover)
        layer = MapLayer(title, _colours(cover, COVER_EDGES, COVER_COLOURS), cover_legend, within,
                         _sites_of(ctx, oid), "armed base or post")
        out.append((layer, f"Map of {possessive(ctx.force)} areas coloured by the {role} {possessive(_name(ctx, oid))} "
                    f"chance that a free armed unit arrives within {ctx.target:g} minutes. {words}",
                    [f"Cover of the {role}", oid, mean, high, low, None, None]))
    if top != base:
        cb, ct = _cover(ctx, base), _cover(ctx, top)
        diff_legend = list(zip(DIFF_COLOURS, COVER_DIFF_LABELS, strict=True))
        title = f"Difference: {_name(ctx, top)} against the baseline"
        words = _diff_words(ctx, cb, ct)
        gain, _, lose, _ = _diff_figures(ctx, cb, ct)
        # The change as the difference of the two figures printed above it, in points:
        # 47.5% and 50.1% had been followed by "2.5%" (core/shown.py).
        change = Styled(difference(100 * _cover_figures(ctx, ct)[0], 100 * _cover_figures(ctx, cb)[0]),
                        "points_change")
        layer = MapLayer(title, _colours(100 * (cb - ct), DIFF_EDGES, DIFF_COLOURS), diff_legend,
                         "Change in that chance (points)", _sites_of(ctx, top), f"{possessive(top)} bases and posts")
        out.append((layer, f"Map of {possessive(ctx.force)} areas coloured by how much the top-ranked "
                    f"option {_name(ctx, top)} changes the chance of a free armed unit within {ctx.target:g} minutes "
                    f"against the baseline {_name(ctx, base)}; purple is better, orange worse. {words}",
                    ["Difference from the baseline", top, change, None, None, gain, lose]))
    return out


#: The figures table above the pictures: the same figures as the alt text, for every reader.
_TABLE = (
    ("map", "Map", "text", 30.0),  # "Cover of the top-ranked option" on one line
    ("option_id", "Option", "text", 10.0),
    ("population_coverage", "Population coverage (difference row: the change)", "percent", 16.0),
    ("residents_in_areas_75_plus", "Residents in areas at 75% or more", "percent", 14.0),
    ("areas_under_50", "Areas under 50%", "integer", 11.0),
    ("areas_gaining_1_point", "Areas gaining 1+ point", "integer", 11.0),
    ("areas_losing_1_point", "Areas losing 1+ point", "integer", 11.0),
)


_PREFETCH = "map_pictures"


def _note(ctx: ExportContext) -> str:
    drawn = "boundaries" if ctx.inputs.boundaries is not None else "points at each area's easting and northing"
    return f"Areas drawn as {drawn}. F(T) averaged over the week, allowing for busy units (docs/maps.md)."


def start_pictures(ctx: ExportContext) -> None:
    """Begin drawing the pictures on a background thread; :func:`maps_sheet` collects them.

    The layers (their titles and text, cleaned by the export's guard) are made here, on the
    calling thread; only the drawing, which is numpy, Pillow and zlib work that mostly
    runs without the GIL, goes to the other thread, beside the sheets' Python.
    """
    inputs = ctx.inputs
    layers = _layers(ctx)
    east = inputs.areas["easting"].to_numpy(np.float64)
    north = inputs.areas["northing"].to_numpy(np.float64)
    marking, force, note = ctx.marking, ctx.force, _note(ctx)
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="map-pictures")
    futures = [pool.submit(render_map, layer, marking=marking, force=force, shapes=inputs.boundaries,
                           east=east, north=north, note=note) for layer, _alt, _row in layers]
    pool.shutdown(wait=False)
    ctx.cache[_PREFETCH] = (layers, futures)


def maps_sheet(ctx: ExportContext, ws: Any) -> None:
    """Title and the figures table on page 1, then each picture on a page of its own."""
    inputs = ctx.inputs
    started = ctx.cache.get(_PREFETCH)
    if started is None:
        east = inputs.areas["easting"].to_numpy(np.float64)
        north = inputs.areas["northing"].to_numpy(np.float64)
        layers = _layers(ctx)
        pictures = [render_map(layer, marking=ctx.marking, force=ctx.force, shapes=inputs.boundaries,
                               east=east, north=north, note=_note(ctx)) for layer, _alt, _row in layers]
    else:
        layers = started[0]
        pictures = [f.result() for f in started[1]]
    spec = TableSpec("tblMaps", [t[0] for t in _TABLE], [t[1] for t in _TABLE], [t[2] for t in _TABLE],
                     [t[3] for t in _TABLE], [row for *_, row in layers], len(layers))
    first_map = spec.last_row + 2
    last = first_map + _ROWS_PER_MAP * len(layers)
    widths = {1 + i: t[3] for i, t in enumerate(_TABLE)} | {c: 10.0 for c in range(len(_TABLE) + 1, 12)}
    set_widths(ws, widths)
    ws.freeze_panes = "A4"
    # Headers wrap a word at a time; the row is as tall as the longest needs (4 lines for
    # "Population coverage (difference row: the change)" at 16 characters), and each body
    # row as tall as its wrapped cells, so no text runs into the next row when printed.
    ws.row_dimensions[spec.header_row].height = LINE_HEIGHT * max(
        header_lines(t[1], t[3]) for t in _TABLE) + 4
    for r, h in auto_heights(spec, widths).items():
        ws.row_dimensions[r].height = h
    # The identifiers' row is hidden as on every other sheet (scripts read it; readers see row 3).
    ws.row_dimensions[spec.header_row - 1].hidden = True
    print_setup(ws, marking=ctx.marking, force=ctx.force, title_rows="1:1", print_area=f"A1:K{last}",
                printed_widths=list(widths.values()), orientation="landscape")
    for k in range(len(layers)):
        ws.row_breaks.append(Break(id=first_map + _ROWS_PER_MAP * k - 1))
    table, labels = table_block(ctx, spec)
    blocks = [title_block(f"Maps: where armed cover reaches, {ctx.force}"), table]
    for k, ((layer, alt, _row), png) in enumerate(zip(layers, pictures, strict=True)):
        img = XLImage(io.BytesIO(png))
        img.width, img.height = SHOWN_WIDTH, SHOWN_HEIGHT
        ws.add_image(img, f"A{first_map + _ROWS_PER_MAP * k}")
        ctx.add_chart_text(SHEET, f"Map {k + 1}: {layer.title}"[:250], alt)
    SheetWriter(ws, ctx.guard, ctx.styler).write(blocks)
    add_table(ws, spec.name, labels, spec.header_row, spec.first_col, spec.n_rows)
