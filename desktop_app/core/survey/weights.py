"""From answers to weights: each respondent's normalised weights, and a group's spread.

docs/survey.md#weights. A respondent's points are swing weights: within a branch the
criteria's points, between branches the branches' points, combined exactly as the value
tree combines the workbook's weights (:func:`~desktop_app.core.appraisal.value_tree.tree_weights`:
(P_g / sum of P) x (p_i / sum of p_j in g)); without a tree, the points normalised to
sum to 1. A swing alone in its table takes 100 points. The group's median and mean are
taken criterion by criterion; quartiles use numpy's default (linear) interpolation, the
same as Excel's QUARTILE.INC. The median weights do not in general sum to 1, so they
are renormalised before the group is appraised under them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop_app.core.appraisal.value_model import normalise_weights
from desktop_app.core.appraisal.value_tree import tree_weights
from desktop_app.core.survey.answers import Response
from desktop_app.core.survey.design import SurveyDesign


def respondent_weights(design: SurveyDesign, response: Response) -> np.ndarray:
    """Normalised criterion weights (criterion order of the design; 0 for criteria not on the form)."""
    ids = design.criterion_ids
    on_form = {i.key for b in design.blocks if b.key != "branches" for i in b.items}
    raw = np.zeros(len(ids))
    for b in design.blocks:
        if b.key == "branches":
            continue
        for item in b.items:
            raw[ids.index(item.key)] = response.points.get(b.key, {}).get(item.key, 100.0)
    active = np.array([c in on_form for c in ids], dtype=bool)
    if not design.tree:
        return normalise_weights(raw, active)
    branch_points = {i.key: response.points.get("branches", {}).get(i.key, 100.0)
                     for b in design.blocks if b.key == "branches" for i in b.items}
    return tree_weights(raw, [design.branch_of.get(c, "") for c in ids], branch_points, active)


@dataclass(frozen=True)
class GroupWeights:
    """One group's weights: every respondent's, and per criterion the median, mean and quartiles."""

    group: str
    codes: list[str]
    matrix: np.ndarray  # respondents x criteria
    median: np.ndarray
    mean: np.ndarray
    q1: np.ndarray
    q3: np.ndarray
    minimum: np.ndarray
    maximum: np.ndarray

    @property
    def n(self) -> int:
        return len(self.codes)

    @property
    def median_normalised(self) -> np.ndarray:
        """The median weights rescaled to sum to 1 (the group's weight set)."""
        total = float(self.median.sum())
        return self.median / total if total > 0 else np.full(self.median.shape, 1.0 / max(self.median.size, 1))


def group_weights(group: str, codes: list[str], matrix: np.ndarray) -> GroupWeights:
    m = np.asarray(matrix, dtype=float).reshape(len(codes), -1)
    q1, med, q3 = np.percentile(m, [25, 50, 75], axis=0)
    return GroupWeights(group, list(codes), m, med, m.mean(axis=0), q1, q3, m.min(axis=0), m.max(axis=0))


def shown_quartiles(respondent_weights: list[dict[str, float]], q1: dict[str, float],
                    q3: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """A group's quartiles on the scale of the weight shown beside them.

    The group's weight is its medians rescaled to sum to 1 (:attr:`GroupWeights.median_normalised`),
    so quartiles left as the respondents gave them could lie wholly below it ("24% (10%-20%)",
    a chief officer reads an error). Dividing them by the same sum of medians keeps each
    median between its quartiles. Medians are numpy's, as :func:`group_weights` takes them;
    with no median above zero the quartiles are returned as they are.
    """
    codes = sorted({c for r in respondent_weights for c in r} | set(q1) | set(q3))
    total = sum(float(np.median([r.get(c, 0.0) for r in respondent_weights])) for c in codes) if respondent_weights else 0.0
    if not total > 0:
        return dict(q1), dict(q3)
    return {c: v / total for c, v in q1.items()}, {c: v / total for c, v in q3.items()}
