"""The ``boundaries_file`` parameter: the folder rule, then :mod:`desktop_app.core.geography`, as findings.

The file (and a Shapefile's ``.shx``, ``.dbf`` and ``.prj`` beside it) goes through the same
folder rule as ``travel_times_file`` (:mod:`named_files`) before it is opened. Problems the
geography layer finds become findings here (docs/maps.md#checks): about the file as a whole
on the Parameters row of ``boundaries_file``, column ``value``; about one feature on the
file (as the sheet) and the feature's number (as the row), column ``boundaries_id_field``;
about one area on the Areas sheet's row, column ``area_id``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from desktop_app.core.area_shapes import AreaShapes
from desktop_app.core.geography.load import AREAS, FILE, PARAMETER, load_boundaries
from desktop_app.core.model import Parameters
from desktop_app.core.workbook.findings import Findings, excerpt
from desktop_app.core.workbook.named_files import named_file_problem, resolve_named_file

#: The parts of a Shapefile read besides the .shp (.prj gives the CRS).
SHAPEFILE_PARTS = (".shx", ".dbf", ".prj")


def _siblings(workbook: Path, name: str, sink: Findings, row: int | None) -> dict[str, Path] | None:
    """A Shapefile's other parts that pass the folder rule (None after a finding: one is outside it)."""
    found: dict[str, Path] = {}
    stem = Path(name).with_suffix("")
    for ext in SHAPEFILE_PARTS:
        for variant in (ext, ext.upper()):
            part = str(stem) + variant
            resolved, why = named_file_problem(workbook, part)
            if resolved is not None:
                found[ext] = resolved
                break
            if why and not why.startswith("no such file"):
                sink.error("Parameters", row, "value", f"boundaries_file's {ext} part '{excerpt(part)}': {why}")
                return None
    return found


def read_boundaries(workbook: Path, params: Parameters | None, param_rows: dict[str, int],
                    areas: pd.DataFrame, sink: Findings) -> AreaShapes | None:
    """The areas' boundaries, or None (no ``boundaries_file``, or it has errors, each a finding)."""
    if params is None or not params.boundaries_file or len(areas) == 0:
        return None
    name = params.boundaries_file
    row = param_rows.get("boundaries_file")
    path, why = named_file_problem(workbook, name)
    if path is None and why is not None and why.startswith("no such file"):
        # The file serves only the maps: an analyst sent the workbook alone can still
        # appraise, the maps drawing areas as points (docs/maps.md#checks).
        sink.warning("Parameters", row, "value", f"boundaries_file names '{excerpt(name)}', but {why}; "
                     "until then the maps draw each area as a point")
        return None
    if path is None:
        path = resolve_named_file(workbook, "boundaries_file", name, row, sink)  # the folder rule's error
        return None
    siblings = None
    if path.suffix.lower() == ".shp":
        siblings = _siblings(workbook, name, sink, row)
        if siblings is None:
            return None
    shapes, problems = load_boundaries(path, params.boundaries_id_field, areas["area_id"].tolist(),
                                       areas["district"].tolist(), siblings)
    area_rows = areas.attrs.get("excel_rows", [])
    for p in problems:
        if p.place == PARAMETER:
            sink.add(p.level, "Parameters", row, "value", f"boundaries_file names '{excerpt(name)}', but {p.message}"
                     if p.level == "error" else f"boundaries_file '{excerpt(name)}': {p.message}", p.rule)
        elif p.place == FILE:
            sink.add(p.level, path.name, p.row, params.boundaries_id_field, p.message, p.rule)
        elif p.place == AREAS:
            i = p.row if p.row is not None else -1
            excel = int(area_rows[i]) if 0 <= i < len(area_rows) else None
            sink.add(p.level, "Areas", excel, "area_id", p.message, p.rule)
    return shapes if not any(p.level == "error" for p in problems) else None
