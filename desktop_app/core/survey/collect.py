"""Collect returned forms into per-group weights, appraisals and robustness: :func:`collect`.

docs/survey.md#collecting. Each form is read and checked on its own; a form that cannot
be read or has any problem is reported (one line per problem: file, cell, what) and
left out, and never stops the others. Forms must come from one workbook (the one
``--workbook`` names, else the one most forms name) and this tool's form version; a
respondent code may answer once per group. The forms are only ever read.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from desktop_app.core.appraisal.defaults import DEFAULT_SAMPLES, DEFAULT_SEED
from desktop_app.core.appraisal.value_model import rank_totals
from desktop_app.core.errors import UsageError
from desktop_app.core.progress import CancelledFn, ProgressFn, check_cancelled, no_progress
from desktop_app.core.survey.answers import Response, check_form
from desktop_app.core.survey.design import FORM_VERSION, SurveyDesign
from desktop_app.core.survey.form_reader import FormRefused, Problem, RawForm, read_raw_form
from desktop_app.core.survey.robustness import GroupRobustness, group_robustness
from desktop_app.core.survey.weights import GroupWeights, group_weights, respondent_weights

#: Most forms one collection reads (docs/survey.md#limits): a national consultation is a few thousand.
MAX_FORMS = 20_000
#: SMAA-2 draws and seed for the robustness within a group: the appraisal's own defaults.
GROUP_SAMPLES = DEFAULT_SAMPLES
GROUP_SEED = DEFAULT_SEED


def gather(paths: list[str]) -> list[Path]:
    """The forms named, a folder standing for every .xlsx in it (not its sub-folders), sorted, once each."""
    out: list[Path] = []
    seen: set[str] = set()
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(e for e in p.iterdir() if e.suffix.lower() == ".xlsx" and not e.name.startswith(("~$", ".")))
            if not found:
                raise UsageError(f"{p}: the folder holds no .xlsx forms")
        else:
            found = [p]
        for f in found:
            key = os.path.normcase(os.path.abspath(f))
            if key not in seen:
                seen.add(key)
                out.append(f)
        if len(out) > MAX_FORMS:
            raise UsageError(f"more than {MAX_FORMS:,} forms; collect them in smaller batches")
    return out


@dataclass
class GroupResult:
    """One group: its weights and spread, its appraisal under its median weights, its robustness."""

    weights: GroupWeights
    totals: np.ndarray
    ranks: np.ndarray
    robustness: GroupRobustness
    #: (criterion_id, option_id) -> every respondent's (code, score, reason)
    judgements: dict[tuple[str, str], list[tuple[str, float, str]]] = field(default_factory=dict)
    #: The group's responses, in the order of ``weights.codes``.
    responses: list[Response] = field(default_factory=list)


@dataclass
class Collection:
    design: SurveyDesign | None
    files: list[str]
    responses: list[Response]
    problems: list[Problem]
    groups: dict[str, GroupResult]
    refused_files: list[str]

    def sentences(self) -> list[str]:
        """Per group: "OPT1 (name) is first for 70% of Police Federation respondents (14 of 20); ..." """
        d = self.design
        if d is None:
            return []
        out = []
        for name, g in self.groups.items():
            top = int(np.argmin(g.ranks))
            oid = d.option_ids[top]
            k, n = int(g.robustness.first_count[top]), g.weights.n
            out.append(
                f"{name} ({n} respondent{'s' if n != 1 else ''}): under the group's median weights "
                f"{oid} ({d.option_names.get(oid, oid)}) ranks first, and it is first for "
                f"{k / n:.0%} of {name} respondents ({k} of {n}); drawing one respondent's weights at a time "
                f"(with the judgement ranges), first in {g.robustness.respondents_first_share[top]:.0%} of "
                f"{g.robustness.samples:,} draws; within the group's interquartile ranges, "
                f"{g.robustness.iqr_first_share[top]:.0%}.")
        return out


def _reference(raws: list[RawForm], workbook_sha256: str | None) -> str | None:
    if workbook_sha256 is not None:
        return workbook_sha256
    if not raws:
        return None
    counts = Counter(r.design.workbook_sha256 for r in raws)
    best = max(counts.values())
    return next(r.design.workbook_sha256 for r in raws if counts[r.design.workbook_sha256] == best)


def collect(paths: list[Path], *, workbook_sha256: str | None = None, samples: int = GROUP_SAMPLES,
            seed: int = GROUP_SEED, progress: ProgressFn | None = None,
            cancelled: CancelledFn | None = None) -> Collection:
    """Read, check and combine every form (docs/survey.md#collecting)."""
    progress = progress or no_progress
    problems: list[Problem] = []
    raws: list[RawForm] = []
    known: dict[tuple[str, str], SurveyDesign] = {}
    for k, path in enumerate(paths):
        check_cancelled(cancelled)
        progress(k / max(1, len(paths)), f"Reading {path.name}")
        try:
            raws.append(read_raw_form(path, expected_version=FORM_VERSION, known=known))
        except FormRefused as exc:
            problems.append(exc.problem)
    ref = _reference(raws, workbook_sha256)
    design = next((r.design for r in raws if r.design.workbook_sha256 == ref), None)
    responses: list[Response] = []
    first_file: dict[tuple[str, str], str] = {}
    # the reference said in words, not only as a hash: the workbook --workbook names, or the one most forms name
    against = (f"the workbook given with --workbook is {str(ref)[:16]}..." if workbook_sha256 is not None else
               f"most of these forms are from {str(ref)[:16]}..."
               + (f" ({design.workbook_name})" if design is not None else ""))
    for raw in raws:
        if raw.design.workbook_sha256 != ref:
            problems.append(Problem(str(raw.path), "", f"made from another workbook (SHA-256 "
                                    f"{raw.design.workbook_sha256[:16]}..., {raw.design.workbook_name}); "
                                    f"{against}"))
            continue
        response, found = check_form(raw)
        problems += found
        if response is None:
            continue
        key = (response.group.casefold(), response.code.casefold())
        if key in first_file:
            problems.append(Problem(response.file, "Form!C6", f"respondent code {response.code!r} in group "
                                    f"{response.group!r} is already on {first_file[key]}; each respondent "
                                    "returns one form, so this one is left out"))
            continue
        first_file[key] = response.file
        responses.append(response)
    groups = _groups(design, responses, samples, seed) if design is not None else {}
    progress(1.0, "Collected")
    refused = sorted({p.file for p in problems})
    return Collection(design, [str(p) for p in paths], responses, problems, groups, refused)


def _groups(design: SurveyDesign, responses: list[Response], samples: int, seed: int) -> dict[str, GroupResult]:
    by: dict[str, list[Response]] = {}
    names: dict[str, str] = {}
    for r in responses:
        names.setdefault(r.group.casefold(), r.group)
        by.setdefault(names[r.group.casefold()], []).append(r)
    values = np.asarray(design.values, dtype=float)
    out: dict[str, GroupResult] = {}
    for name in sorted(by, key=str.casefold):
        rs = by[name]
        gw = group_weights(name, [r.code for r in rs], np.array([respondent_weights(design, r) for r in rs]))
        totals = values @ gw.median_normalised
        judgements: dict[tuple[str, str], list[tuple[str, float, str]]] = {}
        for r in rs:
            for key, (score, reason) in r.judgements.items():
                judgements.setdefault(key, []).append((r.code, score, reason))
        out[name] = GroupResult(gw, totals, rank_totals(totals), group_robustness(design, gw, samples=samples, seed=seed),
                                judgements, rs)
    return out


def _num(x: float) -> float | None:
    return float(x) if math.isfinite(float(x)) else None


def collection_json(c: Collection) -> dict[str, Any]:
    """The results as JSON (``survey-collect --json``; docs/survey.md#json)."""
    d = c.design
    groups: dict[str, Any] = {}
    if d is not None:
        for name, g in c.groups.items():
            w = g.weights
            groups[name] = {
                "respondents": [{"code": code, "weights": dict(zip(d.criterion_ids, map(_num, row), strict=True)),
                                 "reasons": {item: why for block in r.reasons.values() for item, why in block.items()
                                             if why}}
                                for code, row, r in zip(w.codes, w.matrix, g.responses, strict=True)],
                "weights": {cid: {"median": _num(w.median[i]), "mean": _num(w.mean[i]), "q1": _num(w.q1[i]),
                                  "q3": _num(w.q3[i]), "min": _num(w.minimum[i]), "max": _num(w.maximum[i]),
                                  "weight_set": _num(w.median_normalised[i])}
                            for i, cid in enumerate(d.criterion_ids)},
                "appraisal": [{"option_id": oid, "total_value": _num(g.totals[k]), "rank": int(g.ranks[k]),
                               "first_for_respondents": int(g.robustness.first_count[k]),
                               "first_share_respondent_draws": _num(g.robustness.respondents_first_share[k]),
                               "first_share_iqr_draws": _num(g.robustness.iqr_first_share[k])}
                              for k, oid in enumerate(d.option_ids)],
                "judgements": [{"criterion_id": cid, "option_id": oid, "code": code, "score": s, "reason": why}
                               for (cid, oid), rows in g.judgements.items() for code, s, why in rows],
            }
    return {
        "workbook_sha256": d.workbook_sha256 if d is not None else None,
        "form_version": FORM_VERSION,
        "criteria": d.criterion_ids if d is not None else [],
        "options": d.option_ids if d is not None else [],
        "forms_read": len(c.files),
        "forms_accepted": len(c.responses),
        "problems": [{"file": p.file, "cell": p.cell, "message": p.message} for p in c.problems],
        "groups": groups,
        "sentences": c.sentences(),
    }
