"""``armed-options map WORKBOOK -o OUT.gpkg [--public]``: a GeoPackage for QGIS or ArcGIS.

docs/maps.md#the-geopackage and docs/command-line.md#commands. Exit statuses as ``appraise``:
0 written; 1 invalid workbook (each error on its own line on stderr); 2 unreadable file,
bad usage or an output that cannot be written (one line from ``cli.main``). The file is
built in memory and written atomically, so a failure never leaves half a GeoPackage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop_app.commands.validate import refuse_invalid
from desktop_app.core._io.atomic import refuse_input_as_output
from desktop_app.core.errors import OutputError, UsageError


def run(args: argparse.Namespace) -> int:
    """Read, validate, compute every option's cover, write the GeoPackage."""
    from desktop_app.core.coverage.engine import compute_coverage
    from desktop_app.core.export.geopackage import areas_in_words, write_geopackage
    from desktop_app.core.workbook.reader import read_workbook

    workbook, output = Path(args.workbook), Path(args.output)
    if output.suffix.lower() != ".gpkg":
        raise UsageError(f"{output}: the map must be saved as a GeoPackage ending in .gpkg")
    refuse_input_as_output(workbook, output)
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():  # fail before the work, not after
        raise OutputError(f"cannot write {output}: the folder does not exist")
    result = read_workbook(workbook)
    if result.errors or result.inputs is None:
        return refuse_invalid(workbook, result)
    inputs = result.inputs
    refuse_input_as_output(inputs.input_files, output)
    coverage = compute_coverage(inputs)
    for f in [*result.findings, *coverage.findings]:
        if f.level == "warning":
            sys.stderr.write(f.one_line() + "\n")
    public = bool(getattr(args, "public", False))
    written = write_geopackage(inputs, coverage, output, public=public)
    sys.stdout.write(f"GeoPackage written: {written} ({areas_in_words(inputs)}; "
                     f"{len(inputs.sites):,} sites, {len(coverage.option_ids)} options"
                     f"{', public version' if public else ''})\n")
    return 0
