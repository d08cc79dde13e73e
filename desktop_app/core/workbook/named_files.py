"""The folder rule: every file a workbook names must be a regular file in the workbook's folder.

A workbook can name other files (``travel_times_file`` now; ``boundaries_file`` and any
later one the same way). A workbook arrives from outside the force, so what it names is
untrusted: a parameter of ``/etc/passwd``, ``../../elsewhere/x.csv`` or a link pointing
out of the folder would make the tool read any file the user can, and a FIFO or
``/dev/zero`` would hang it or fill its memory. So every such parameter goes through
:func:`resolve_named_file`, the one check (docs/reliability.md#guarantees): the
name, after following every link, must resolve to a regular file inside the folder
that holds the workbook (sub-folders are fine). Anything else is one finding naming the
parameter and why, before the file is opened.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from desktop_app.core.workbook.findings import Findings, excerpt


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def named_file_problem(workbook: Path, name: str) -> tuple[Path | None, str | None]:
    """``(resolved path, None)`` when ``name`` passes the folder rule, else ``(None, why)``.

    ``why`` completes the sentence "<parameter> names '<name>', but ...".
    """
    folder = Path(os.path.realpath(workbook)).parent
    candidate = Path(name)
    if candidate.is_absolute() or candidate.drive:
        return None, ("it is an absolute path; files a workbook names must be in the workbook's folder, "
                      "so put the file there and give just its name")
    joined = folder / candidate
    resolved = Path(os.path.realpath(joined))
    if not _inside(resolved, folder):
        how = "it is a link that points" if resolved != Path(os.path.abspath(joined)) else "it is"
        return None, (f"{how} outside the workbook's folder ({folder}); files a workbook names must be in "
                      "that folder (or a folder inside it)")
    try:
        mode = os.stat(resolved).st_mode
    except FileNotFoundError:
        return None, (f"no such file is beside the workbook ({joined}); put the file in the workbook's folder "
                      "or correct the name")
    except OSError as exc:
        return None, f"it cannot be checked ({exc.strerror or exc})"
    if stat.S_ISDIR(mode):
        return None, "it is a folder, not a file"
    if not stat.S_ISREG(mode):
        return None, "it is not a regular file (a pipe, socket or device), which could never be read to its end"
    return resolved, None


def resolve_named_file(workbook: Path, parameter: str, name: str, row: int | None, sink: Findings) -> Path | None:
    """The file a workbook parameter names, or None after filing one finding saying why not.

    Every parameter naming a file uses this (see the module docstring); the finding is
    placed on the parameter's row of the Parameters sheet, column ``value``.
    """
    path, why = named_file_problem(workbook, name)
    if path is None:
        sink.error("Parameters", row, "value", f"{parameter} names '{excerpt(name)}', but {why}")
    return path


def file_parameters(params: object) -> list[tuple[str, str]]:
    """``(parameter, value)`` of every set parameter that names a file.

    By convention a parameter names a file exactly when its name ends in ``_file``
    (``travel_times_file``, ``boundaries_file``): a new one is covered by the folder rule
    and the input-as-output check without being listed anywhere.
    """
    from desktop_app.core.workbook.schema import PARAMETERS

    out = []
    for p in PARAMETERS:
        value = getattr(params, p.name, None) if p.name.endswith("_file") else None
        if isinstance(value, str) and value:
            out.append((p.name, value))
    return out


def named_input_files(workbook: Path, params: object) -> tuple[Path, ...]:
    """The files ``params`` name that pass the folder rule (the others are findings already)."""
    found = (named_file_problem(workbook, value)[0] for _, value in file_parameters(params))
    return tuple(p for p in found if p is not None)
