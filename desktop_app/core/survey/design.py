"""What a survey form asks, built from the value model: :class:`SurveyDesign`.

docs/survey.md#the-form. The design is the single description both the form writer and
the collector use: the swings to weigh (branches of the value tree, then the criteria in
each; a flat list without a tree), the options and their value scores (so a collection
can appraise each group's weights without the force workbook), and the form's identity
(the workbook's SHA-256 and :data:`FORM_VERSION`). It travels inside the form as JSON on
a very hidden, protected sheet, with its own SHA-256 so an edited copy is refused.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from desktop_app.core.appraisal.value_model import ValueModel
from desktop_app.core.errors import UsageError
from desktop_app.core.model import ForceInputs
from desktop_app.core.survey.swing_text import judgement_swing, measured_swing
from desktop_app.core.workbook import schema

#: The form's layout version: a collection refuses a form of another version (docs/survey.md#identity).
FORM_VERSION = 1
#: Longest respondent code or group name accepted (a code, never a name: docs/survey.md#the-form).
MAX_CODE_CHARS = 40
MAX_GROUP_CHARS = 60
#: Longest reason accepted in a reason cell.
MAX_REASON_CHARS = 2000


@dataclass(frozen=True)
class Item:
    """One swing to weigh: a branch of the value tree or a criterion."""

    key: str
    label: str
    swing: str


@dataclass(frozen=True)
class Block:
    """One ranking question: the swings ranked and pointed against each other.

    ``key`` is ``"branches"`` (the tree's branches), ``"criteria"`` (a flat list) or
    ``"in:<branch>"``. A block of one swing asks nothing: it takes all its parent's weight.
    """

    key: str
    title: str
    items: tuple[Item, ...]

    @property
    def asked(self) -> bool:
        return len(self.items) > 1


@dataclass
class SurveyDesign:
    """Everything a form holds apart from the answers (docs/survey.md#the-form)."""

    workbook_sha256: str
    workbook_name: str
    force_name: str
    marking: str
    public: bool
    group: str | None
    target_minutes: float
    criterion_ids: list[str]
    criterion_names: dict[str, str]
    #: Each criterion's branch ("" without a value tree).
    branch_of: dict[str, str]
    branches: list[str]
    blocks: list[Block]
    option_ids: list[str]
    option_names: dict[str, str]
    values: list[list[float]]
    low: list[list[float]]
    high: list[list[float]]
    active: list[bool]
    judgement_criteria: list[str]
    form_version: int = FORM_VERSION
    #: Criteria left out of the form (undefined for every option), with why.
    left_out: list[str] = field(default_factory=list)

    @property
    def tree(self) -> bool:
        return bool(self.branches)

    def to_json(self) -> str:
        """Canonical JSON (sorted keys, no NaN): the text the digest is taken over."""
        data = asdict(self)
        return json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=False, ensure_ascii=False)

    def digest(self) -> str:
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()

    @classmethod
    def from_json(cls, text: str) -> SurveyDesign:
        """The design back from :meth:`to_json`; raises ValueError/KeyError/TypeError if malformed."""
        data: dict[str, Any] = json.loads(text)
        data["blocks"] = [Block(b["key"], b["title"], tuple(Item(**i) for i in b["items"])) for b in data["blocks"]]
        design = cls(**data)
        n, m = len(design.criterion_ids), len(design.option_ids)
        for grid in (design.values, design.low, design.high):
            if len(grid) != m or any(len(r) != n for r in grid):
                raise ValueError("value scores do not match the options and criteria")
            if not all(isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) and 0 <= x <= 100
                       for row in grid for x in row):
                raise ValueError("a value score is not a number from 0 to 100")
        texts = [*design.criterion_ids, *design.option_ids, *design.branches,
                 *(i.key for b in design.blocks for i in b.items)]
        if not all(isinstance(t, str) for t in texts) or len(design.active) != n:
            raise ValueError("the form's criteria or options are malformed")
        on_form = [i.key for b in design.blocks if b.key != "branches" for i in b.items]
        if not set(on_form) <= set(design.criterion_ids) or len(set(on_form)) != len(on_form):
            raise ValueError("the form's questions do not match its criteria")
        return design


def _finite(x: float) -> float:
    x = float(x)
    return x if math.isfinite(x) else 0.0


def build_design(inputs: ForceInputs, model: ValueModel, *, workbook_sha256: str, workbook_name: str,
                 public: bool = False, group: str | None = None) -> SurveyDesign:
    """The form for this workbook's value model (docs/survey.md#the-form).

    Criteria left out of the appraisal (undefined for every option) are left out of the
    form too: their swing means nothing for this force. Raises :class:`UsageError` when
    fewer than two criteria remain (nothing to weigh) or ``group`` is too long.
    """
    p = inputs.parameters
    marking = (p.public_marking or schema.default("public_marking")) if public else (
        p.protective_marking or schema.default("protective_marking"))
    if group is not None:
        group = " ".join(str(group).split())
        if not group or len(group) > MAX_GROUP_CHARS:
            raise UsageError(f"--group must be 1 to {MAX_GROUP_CHARS} characters")
    crit = inputs.criteria.set_index(inputs.criteria["criterion_id"].astype(str))
    active = [bool(a) for a in model.active]
    ids = [c for c, a in zip(model.criterion_ids, active, strict=True) if a]
    if len(ids) < 2:
        raise UsageError("the workbook has fewer than two criteria in use, so there is nothing to weigh")
    threat = "" if public else _threat_detail(inputs)
    swings: dict[str, str] = {}
    for cid in ids:
        measure = model.measures.get(cid, "")
        if measure == schema.JUDGEMENT or cid not in model.scales:
            notes = crit.at[cid, "notes"] if "notes" in crit.columns else ""
            swings[cid] = judgement_swing("" if _blank(notes) else str(notes))
        else:
            swings[cid] = measured_swing(measure, model.scales[cid], target_minutes=p.target_minutes,
                                         backup_minutes=p.backup_target_minutes, threat_detail=threat,
                                         years=int(p.appraisal_years))
    names = {c: str(model.criterion_names.get(c, c)) for c in ids}
    tree = model.group_weights is not None
    branch_of = {c: (str(model.groups.get(c, "")) if tree else "") for c in ids}
    branches = [g for g in (model.group_weights or {}) if any(branch_of[c] == g for c in ids)] if tree else []
    blocks = _blocks(ids, names, swings, branch_of, branches)
    return SurveyDesign(
        workbook_sha256=workbook_sha256, workbook_name=workbook_name, force_name=str(p.force_name),
        marking=str(marking), public=public, group=group, target_minutes=float(p.target_minutes),
        criterion_ids=list(model.criterion_ids), criterion_names={c: str(n) for c, n in model.criterion_names.items()},
        branch_of=branch_of, branches=branches, blocks=blocks,
        option_ids=list(model.option_ids), option_names={o: str(n) for o, n in model.option_names.items()},
        values=[[_finite(x) for x in row] for row in model.values],
        low=[[_finite(x) for x in row] for row in model.low],
        high=[[_finite(x) for x in row] for row in model.high],
        active=active,
        judgement_criteria=[c for c in ids if model.measures.get(c) == schema.JUDGEMENT],
        left_out=[c for c, a in zip(model.criterion_ids, active, strict=True) if not a],
    )


def _blank(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or not str(x).strip()


def _threat_detail(inputs: ForceInputs) -> str:
    ind = inputs.indicators
    if ind is None or not len(ind):
        return ""
    return "the threat index combines: " + ", ".join(str(x) for x in ind["indicator"])


def _blocks(ids: list[str], names: dict[str, str], swings: dict[str, str], branch_of: dict[str, str],
            branches: list[str]) -> list[Block]:
    if not branches:
        return [Block("criteria", "The criteria", tuple(Item(c, names[c], swings[c]) for c in ids))]
    out = []
    top = []
    for g in branches:
        members = [c for c in ids if branch_of[c] == g]
        if len(members) == 1:
            what = f"{names[members[0]]}: {swings[members[0]]}"
        else:
            what = ("all of its criteria at once, each from its worst to its best (their ends are in the "
                    f"table 'Within {g}'): " + "; ".join(names[c] for c in members))
        top.append(Item(g, g, what))
    out.append(Block("branches", "The branches of the value tree", tuple(top)))
    for g in branches:
        members = [c for c in ids if branch_of[c] == g]
        out.append(Block(f"in:{g}", f"Within {g}", tuple(Item(c, names[c], swings[c]) for c in members)))
    return out
