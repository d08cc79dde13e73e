"""Making and filling survey forms in code, as respondents would (tests/test_survey*.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from desktop_app.core.pipeline import run_appraisal
from desktop_app.core.survey import layout as L
from desktop_app.core.survey.design import SurveyDesign, build_design
from desktop_app.core.workbook.reader import read_workbook, sha256_of

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "borderdale.xlsx"


@lru_cache(maxsize=4)
def sample_design(public: bool = False, group: str | None = None) -> SurveyDesign:
    r = read_workbook(SAMPLE)
    assert r.inputs is not None
    run = run_appraisal(r.inputs, r.findings, samples=0, what_if=False)
    assert run.value_model is not None
    return build_design(r.inputs, run.value_model, workbook_sha256=sha256_of(SAMPLE),
                        workbook_name=SAMPLE.name, public=public, group=group)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: Answers: block key -> item key -> (rank, points); None for a cell left blank.
Answers = Mapping[str, Mapping[str, tuple[Any, Any]]]


def fill(form: Path, out: Path, design: SurveyDesign, *, code: Any, group: Any = None, answers: Answers,
         judgements: Mapping[tuple[str, str], tuple[Any, str]] | None = None,
         data_edits: Mapping[str, Any] | None = None) -> Path:
    """Type answers into a copy of ``form`` (openpyxl writes cells as Excel would store them)."""
    wb = load_workbook(form)
    ws = wb[L.FORM_SHEET]
    lay = L.layout(design)
    if code is not None:
        ws.cell(row=L.CODE_ROW, column=L.ANSWER_COL, value=code)
    if group is not None:
        ws.cell(row=L.GROUP_ROW, column=L.ANSWER_COL, value=group)
    for block, items in answers.items():
        rows = lay.blocks[block].items
        for key, (rank, points) in items.items():
            ws.cell(row=rows[key], column=L.COL_RANK, value=rank)
            ws.cell(row=rows[key], column=L.COL_POINTS, value=points)
    if judgements:
        js = wb[L.JUDGEMENT_SHEET]
        for (cid, oid), (score, why) in judgements.items():
            r = lay.judgements[(cid, oid)]
            js.cell(row=r, column=L.J_SCORE, value=score)
            js.cell(row=r, column=L.J_REASON, value=why)
    for ref, value in (data_edits or {}).items():
        wb[L.DATA_SHEET][ref] = value
    wb.save(out)
    return out
