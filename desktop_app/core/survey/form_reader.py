"""Read a returned form's cells, trusting nothing: the hostile-input rules of the workbook reader.

docs/survey.md#collecting. A returned form passes the same checks as a force workbook
before any parser touches it (:func:`~desktop_app.core.workbook.filecheck.check_file`:
size, zip bombs, encryption, legacy and text files; :func:`~desktop_app.core.workbook.cells.check_sheets`:
DTDs, entities and sheet extents), and a tighter size limit of its own, because a form
is a few tens of kilobytes. Cells are read with python-calamine; the file is only read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import python_calamine as pc

from desktop_app.core.errors import UnreadableFileError
from desktop_app.core.survey import layout as L
from desktop_app.core.survey.design import SurveyDesign
from desktop_app.core.workbook import filecheck
from desktop_app.core.workbook.cells import check_sheets

#: Largest returned form accepted (bytes). A form is about 20 KB; 200 options x 50 criteria about 1 MB.
MAX_FORM_BYTES = 8 * 1024 * 1024
#: Most JSON chunks a FormData sheet may claim.
MAX_CHUNKS = 200

Cells = dict[tuple[int, int], object]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one returned form: file, cell (may be empty) and what is wrong."""

    file: str
    cell: str
    message: str

    def line(self) -> str:
        where = f"{self.cell}: " if self.cell else ""
        return " ".join(f"{self.file}: {where}{self.message}".split())


@dataclass
class RawForm:
    """A form's design and the cells of its answer sheets, as read (nothing checked yet)."""

    path: Path
    sha256: str
    design: SurveyDesign
    form: Cells
    judgements: Cells
    #: Form-sheet cells that read as empty but are not (an uncalculated formula, an Excel
    #: error value), (row, column) 1-based -> what they hold, so a check says that, not "blank".
    unreadable: dict[tuple[int, int], str] = field(default_factory=dict)


class FormRefused(Exception):  # noqa: N818 - reads naturally: raise FormRefused(problem)
    """The form cannot be read at all (one problem line)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.line())
        self.problem = problem


def _grid(wb: pc.CalamineWorkbook, name: str) -> Cells:
    sheet = wb.get_sheet_by_name(name)
    rows = cast(list[list[object]], sheet.to_python(skip_empty_area=False))
    out: Cells = {}
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None and value != "":
                out[(r, c)] = value
    return out


def read_raw_form(path: Path, *, expected_version: int, known: dict[tuple[str, str], SurveyDesign] | None = None) -> RawForm:
    """The design and answer cells of one returned form; raises :class:`FormRefused`.

    ``known`` caches designs already checked, by (JSON text, recorded digest): every form
    sent to a group carries the same design, so it is parsed and hashed once per collection.
    """
    name = str(path)
    try:
        filecheck.check_file(path)
        if path.stat().st_size > MAX_FORM_BYTES:
            raise FormRefused(Problem(name, "", f"the file is larger than the {MAX_FORM_BYTES // 2**20} MB "
                                                "limit for a survey form; it is not a form this tool made"))
        scans = check_sheets(path)
        data = path.read_bytes()
    except UnreadableFileError as exc:
        raise FormRefused(Problem(name, "", exc.reason)) from None
    except OSError as exc:
        raise FormRefused(Problem(name, "", f"cannot be read: {exc.strerror or exc}")) from None
    sha = hashlib.sha256(data).hexdigest()
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except BaseException as exc:  # noqa: BLE001 - calamine's errors; a Rust panic is a BaseException
        if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        raise FormRefused(Problem(name, "", f"cannot be read ({type(exc).__name__})")) from None
    try:
        names = list(wb.sheet_names)
        if L.DATA_SHEET not in names or L.FORM_SHEET not in names:
            raise FormRefused(Problem(name, "", "this is not a survey form made by 'armed-options survey' "
                                                f"(it has no {L.DATA_SHEET} or {L.FORM_SHEET} sheet)"))
        design = _design(name, _grid(wb, L.DATA_SHEET), expected_version, {} if known is None else known)
        form = _grid(wb, L.FORM_SHEET)
        judgements = _grid(wb, L.JUDGEMENT_SHEET) if L.JUDGEMENT_SHEET in names else {}
    except FormRefused:
        raise
    except BaseException as exc:  # noqa: BLE001 - calamine's errors; a Rust panic is a BaseException
        if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        raise FormRefused(Problem(name, "", f"cannot be read ({type(exc).__name__})")) from None
    finally:
        wb.close()
    scan = scans.get(L.FORM_SHEET)
    unreadable = {(r, c + 1): why for (r, c), why in scan.bad.items()} if scan is not None else {}
    return RawForm(path, sha, design, form, judgements, unreadable)


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


def _design(name: str, cells: Cells, expected_version: int, known: dict[tuple[str, str], SurveyDesign]) -> SurveyDesign:
    """The design from the FormData sheet, checked against its own SHA-256 and the version."""
    version = cells.get((L.DATA_VERSION_ROW, 2))
    if not isinstance(version, int | float) or float(version) != expected_version:
        raise FormRefused(Problem(name, f"{L.DATA_SHEET}!B{L.DATA_VERSION_ROW}",
                                  f"form version {_shown(version)}; this tool reads version {expected_version} forms "
                                  "(make new forms with this version of armed-options survey)"))
    chunks = cells.get((L.DATA_CHUNKS_ROW, 2))
    if not isinstance(chunks, int | float) or not 1 <= float(chunks) <= MAX_CHUNKS or not float(chunks).is_integer():
        raise FormRefused(Problem(name, f"{L.DATA_SHEET}!B{L.DATA_CHUNKS_ROW}", "the form's data are damaged"))
    text = "".join(str(cells.get((L.DATA_FIRST_ROW + k, 1), "")) for k in range(int(chunks)))
    recorded = str(cells.get((L.DATA_DIGEST_ROW, 2), ""))
    cached = known.get((text, recorded))
    if cached is not None and cached.workbook_sha256 == str(cells.get((L.DATA_SHA_ROW, 2), "")):
        return cached
    try:
        design = SurveyDesign.from_json(text)
        digest = design.digest()
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise FormRefused(Problem(name, f"{L.DATA_SHEET}!A{L.DATA_FIRST_ROW}", "the form's data are damaged "
                                        "(the hidden FormData sheet was changed)")) from None
    if digest != recorded:
        raise FormRefused(Problem(name, f"{L.DATA_SHEET}!B{L.DATA_DIGEST_ROW}", "the form's data were changed "
                                        "after it was made (its SHA-256 does not match); send the respondent a new form"))
    if design.workbook_sha256 != str(cells.get((L.DATA_SHA_ROW, 2), "")):
        raise FormRefused(Problem(name, f"{L.DATA_SHEET}!B{L.DATA_SHA_ROW}", "the form's data are damaged"))
    if len(known) < 64:
        known[(text, recorded)] = design
    return design
