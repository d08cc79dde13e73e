"""Check a returned form's answers: blanks, out-of-range values, a ranking that contradicts the points.

docs/survey.md#checks. Every problem is one line naming the file, the cell and what is
wrong; all of a form's problems are reported, not just the first, and a form with any
problem is left out of the results (the others are still collected).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from desktop_app.core.survey import layout as L
from desktop_app.core.survey.design import MAX_CODE_CHARS, MAX_GROUP_CHARS, MAX_REASON_CHARS, Block
from desktop_app.core.survey.form_reader import Problem, RawForm

#: Records one problem: (column, row, message[, sheet]).
Report = Callable[..., None]


@dataclass
class Response:
    """One respondent's checked answers."""

    file: str
    sha256: str
    code: str
    group: str
    #: block key -> item key -> points (0-100); blocks of one swing are absent.
    points: dict[str, dict[str, float]]
    ranks: dict[str, dict[str, int]]
    reasons: dict[str, dict[str, str]] = field(default_factory=dict)
    #: (criterion_id, option_id) -> (score, reason)
    judgements: dict[tuple[str, str], tuple[float, str]] = field(default_factory=dict)


def _number(value: object) -> float | None:
    """A number from a cell: a number, or text that is one (LibreOffice may store a drop-down's choice as text)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        x = float(value)
    elif isinstance(value, str):
        try:
            x = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return x if math.isfinite(x) else None


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()) if value is not None else ""


def check_form(raw: RawForm) -> tuple[Response | None, list[Problem]]:
    """The respondent's answers, or None with every problem found."""
    name, d, cells = str(raw.path), raw.design, raw.form
    problems: list[Problem] = []

    def bad(col: int, row: int, message: str, sheet: str = L.FORM_SHEET) -> None:
        problems.append(Problem(name, f"{sheet}!{L.cell_name(col, row)}", message))

    held = raw.unreadable  # an uncalculated formula reads as empty: say what it is, not "blank"
    code = _text(cells.get((L.CODE_ROW, L.ANSWER_COL)))
    if not code:
        bad(L.ANSWER_COL, L.CODE_ROW, f"the respondent code is {held.get((L.CODE_ROW, L.ANSWER_COL), 'blank')}")
    elif len(code) > MAX_CODE_CHARS:
        bad(L.ANSWER_COL, L.CODE_ROW, f"the respondent code is longer than {MAX_CODE_CHARS} characters")
    elif " " in code:  # "Jane Smith": codes have no spaces, names do (docs/survey.md#checks)
        bad(L.ANSWER_COL, L.CODE_ROW, f"the respondent code {code!r} has a space, so it may be a name; "
                                      "give the code you were given, never your name")
    group = _text(cells.get((L.GROUP_ROW, L.ANSWER_COL)))
    if d.group and group != d.group:
        bad(L.ANSWER_COL, L.GROUP_ROW, f"the group was changed from {d.group!r} (the form's group is fixed)")
        group = d.group
    elif not group:
        bad(L.ANSWER_COL, L.GROUP_ROW, f"the group is {held.get((L.GROUP_ROW, L.ANSWER_COL), 'blank')}")
    elif len(group) > MAX_GROUP_CHARS:
        bad(L.ANSWER_COL, L.GROUP_ROW, f"the group is longer than {MAX_GROUP_CHARS} characters")
    lay = L.layout(d)
    answer_cells = [(r, c) for b in d.blocks if b.asked and b.key in lay.blocks for r in lay.blocks[b.key].items.values()
                    for c in (L.COL_RANK, L.COL_POINTS)]
    if answer_cells and all(cells.get(rc) is None for rc in answer_cells):
        first = answer_cells[0]
        bad(first[1], first[0], "no swing is ranked or given points: the form has not been filled in")
        return None, problems
    points: dict[str, dict[str, float]] = {}
    ranks: dict[str, dict[str, int]] = {}
    reasons: dict[str, dict[str, str]] = {}
    for block in d.blocks:
        if not block.asked:
            continue
        rows = lay.blocks[block.key].items
        got = _block(block, rows, cells, bad, held)
        if got is not None:
            ranks[block.key], points[block.key] = got
        reasons[block.key] = {k: _text(cells.get((r, L.COL_REASON)))[:MAX_REASON_CHARS]
                              for k, r in rows.items() if cells.get((r, L.COL_REASON)) is not None}
    judgements = _judgements(raw, lay, bad)
    if problems:
        return None, problems
    return Response(name, raw.sha256, code, group, points, ranks, reasons, judgements), []


def _block(block: Block, rows: dict[str, int], cells: dict[tuple[int, int], object], bad: Report,
           held: dict[tuple[int, int], str] | None = None) -> tuple[dict[str, int], dict[str, float]] | None:
    """One ranking question: each cell's own checks, then the ranking against the points."""
    report = bad
    held = held or {}
    n = len(block.items)
    ranks: dict[str, int] = {}
    points: dict[str, float] = {}
    for item in block.items:
        r = rows[item.key]
        rank_raw, pts_raw = cells.get((r, L.COL_RANK)), cells.get((r, L.COL_POINTS))
        if rank_raw is None:
            report(L.COL_RANK, r, f"the rank of {item.label!r} is {held.get((r, L.COL_RANK), 'blank')}")
        else:
            x = _number(rank_raw)
            if x is None or not x.is_integer() or not 1 <= x <= n:
                report(L.COL_RANK, r, f"the rank of {item.label!r} is {_text(rank_raw)!r}; "
                                      f"give a whole number from 1 to {n}")
            else:
                ranks[item.key] = int(x)
        if pts_raw is None:
            report(L.COL_POINTS, r, f"the points of {item.label!r} are {held.get((r, L.COL_POINTS), 'blank')}")
        else:
            x = _number(pts_raw)
            if x is None or not x.is_integer() or not 0 <= x <= 100:
                report(L.COL_POINTS, r, f"the points of {item.label!r} are {_text(pts_raw)!r}; "
                                        "give a whole number from 0 to 100")
            else:
                points[item.key] = x
    if len(ranks) < n or len(points) < n:
        return None
    ok = True
    first = [k for k in ranks if ranks[k] == 1]
    if not first:
        k0 = min(ranks, key=lambda k: ranks[k])
        report(L.COL_RANK, rows[k0], f"no swing in '{block.title}' is ranked 1; rank the swing that "
                                     "matters most 1")
        ok = False
    for k in first:
        if points[k] != 100:
            report(L.COL_POINTS, rows[k], f"{_label(block, k)!r} is ranked 1 so it must have 100 points "
                                          f"(it has {points[k]:g}); the largest swing is given 100")
            ok = False
    keys = [i.key for i in block.items]
    for a in keys:
        for b in keys:
            if ranks[a] < ranks[b] and points[a] < points[b]:
                report(L.COL_POINTS, rows[a], f"the ranking contradicts the points: {_label(block, a)!r} is "
                                              f"ranked {ranks[a]} with {points[a]:g} points but {_label(block, b)!r}, "
                                              f"ranked {ranks[b]}, has {points[b]:g}")
                ok = False
            elif ranks[a] == ranks[b] and a < b and points[a] != points[b]:
                report(L.COL_RANK, rows[b], f"{_label(block, a)!r} and {_label(block, b)!r} share rank {ranks[a]} "
                                            f"but have different points ({points[a]:g} and {points[b]:g}); "
                                            "swings may share a rank only with equal points")
                ok = False
    return (ranks, points) if ok else None


def _label(block: Block, key: str) -> str:
    return next(i.label for i in block.items if i.key == key)


def _judgements(raw: RawForm, lay: L.FormLayout, bad: Report) -> dict[tuple[str, str], tuple[float, str]]:
    out: dict[tuple[str, str], tuple[float, str]] = {}
    for (cid, oid), r in lay.judgements.items():
        score_raw = raw.judgements.get((r, L.J_SCORE))
        reason = _text(raw.judgements.get((r, L.J_REASON)))[:MAX_REASON_CHARS]
        if score_raw is None:
            continue
        x = _number(score_raw)
        if x is None or not 0 <= x <= 100:
            bad(L.J_SCORE, r, f"the score for {oid} on {cid} is {_text(score_raw)!r}; "
                              "give a number from 0 to 100 or leave it blank", L.JUDGEMENT_SHEET)
            continue
        out[(cid, oid)] = (x, reason)
    return out
