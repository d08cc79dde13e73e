"""Read a results workbook back (the desktop app's "Import survey results..."): :func:`read_results`.

docs/survey.md#in-the-app. The workbook's very hidden ResultsData sheet holds the same
JSON as ``survey-collect --json``; it is read under the same hostile-input rules as a
returned form, and every number is checked (finite, 0 to 1) before the app sees it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.core.errors import UnreadableFileError
from desktop_app.core.survey.form_reader import FormRefused, _grid
from desktop_app.core.survey.results_writer import RESULTS_DATA_SHEET
from desktop_app.core.workbook import filecheck
from desktop_app.core.workbook.cells import check_sheets


@dataclass(frozen=True)
class SurveyGroup:
    """One group as the app shows it: its weight set, its spread and its respondents."""

    name: str
    respondents: int
    weight_set: dict[str, float]
    q1: dict[str, float]
    q3: dict[str, float]
    respondent_weights: list[dict[str, float]]
    #: option_id -> respondents whose own weights rank it first
    first_for: dict[str, int]


def _share(x: Any) -> float:
    v = float(x)
    if not math.isfinite(v) or not -1e-9 <= v <= 1 + 1e-9:
        raise ValueError("a weight outside 0 to 1")
    return min(1.0, max(0.0, v))


def read_results(path: str | Path) -> dict[str, SurveyGroup]:
    """Every group in a results workbook; raises :class:`UnreadableFileError` (one line) if it is not one."""
    return read_results_and_source(path)[0]


def read_results_and_source(path: str | Path) -> tuple[dict[str, SurveyGroup], str | None]:
    """Every group, and the SHA-256 of the force workbook the forms were made from (None if
    the results do not say), so the app can say when they come from another version of it."""
    import python_calamine as pc

    p = Path(path)
    filecheck.check_file(p)
    check_sheets(p)
    try:
        wb = pc.CalamineWorkbook.from_path(str(p))
    except BaseException as exc:  # noqa: BLE001 - calamine's errors; a Rust panic is a BaseException
        if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        raise UnreadableFileError(p, f"cannot be read ({type(exc).__name__})") from None
    try:
        if RESULTS_DATA_SHEET not in wb.sheet_names:
            raise UnreadableFileError(p, "this is not a results workbook made by 'armed-options survey-collect'")
        cells = _grid(wb, RESULTS_DATA_SHEET)
    except FormRefused as exc:
        raise UnreadableFileError(p, exc.problem.message) from None
    finally:
        wb.close()
    text = "".join(str(cells.get((r, 1), "")) for r in range(1, 1 + len(cells)))
    try:
        data = json.loads(text)
        groups = {str(name): _group(str(name), g) for name, g in dict(data["groups"]).items()}
        sha = data.get("workbook_sha256")
        return groups, (str(sha) if isinstance(sha, str) and sha else None)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise UnreadableFileError(p, "the results data are damaged (the hidden ResultsData sheet was changed)") from None


def _group(name: str, g: dict[str, Any]) -> SurveyGroup:
    weights = dict(g["weights"])
    resp = [{str(c): _share(w) for c, w in dict(r["weights"]).items()} for r in g["respondents"]]
    return SurveyGroup(
        name=name, respondents=len(resp),
        weight_set={str(c): _share(v["weight_set"]) for c, v in weights.items()},
        q1={str(c): _share(v["q1"]) for c, v in weights.items()},
        q3={str(c): _share(v["q3"]) for c, v in weights.items()},
        respondent_weights=resp,
        first_for={str(a["option_id"]): int(a["first_for_respondents"]) for a in g["appraisal"]},
    )
