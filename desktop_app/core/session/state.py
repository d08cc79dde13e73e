"""The workshop state: what the room has changed on top of the workbook, with no Qt.

A workshop moves the weights on the sliders, switches to a stakeholder weight set (or
moves away from one), edits judgement scores, captures and deletes weight sets and adds
options. :class:`WorkshopState` holds all of that in one place. The undo commands
(:mod:`desktop_app.core.session.undo`) act on it directly, a session file is written
from it, and the desktop app's ``ui/state.py`` is only an adapter that turns its change
events into Qt signals, as napari's Qt layer wraps its ``ViewerModel``.

Change notification is plain callbacks: :meth:`WorkshopState.connect` registers a
function for one of :data:`EVENTS`, called with no arguments after the change. Setters
that change nothing notify nobody, so an undo that puts back the value already there
costs no redraw.

Whose weights are on the sliders is named with
:func:`~desktop_app.core.appraisal.weights_name.describe_weights`
(docs/summary-workbook.md#whose-weights): "Workbook weights" until a weight moves, the
set's name after switching to a set, and "Weights set in the workshop, from ..." once
the room has moved a weight away from either.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from desktop_app.core.added_option import AddedOption
from desktop_app.core.appraisal.value_tree import group_shares, tree_weights
from desktop_app.core.appraisal.weights_name import describe_weights
from desktop_app.core.session.records import WeightSet
from desktop_app.core.session.set_weights import captured_weights, holds_set, sliders_for_set

#: What a listener can subscribe to: the weights on the sliders, which weight set is
#: active, the judgement edits, the added options, the list of weight sets, the value
#: functions set in the workshop and the value tree's branch weights.
EVENTS = ("weights", "active_weight_set", "judgements", "options", "weight_sets", "value_points", "group_weights")

Listener = Callable[[], None]


@dataclass(frozen=True)
class JudgementOverride:
    """A workshop's change to one judgement score, with why (never written to the workbook)."""

    option_id: str
    criterion_id: str
    score: float
    rationale: str


class WorkshopState:
    """Weights, the active weight set, judgement edits, added options and weight sets.

    ``workbook_weights`` are the Criteria sheet's raw swing weights, kept to say whether
    the sliders still hold them. ``weights`` are the raw swing weights on the sliders
    (criterion -> weight >= 0). ``active_weight_set`` names the weight set whose weights
    are on the sliders (None: the workbook's, or weights set in the room).

    With a value tree (docs/appraisal-method.md#value-tree) ``criterion_groups`` maps each
    criterion to its branch and ``group_weights`` holds the branch weights W_g on the
    branch sliders (``workbook_group_weights`` the CriteriaGroups sheet's); without one
    both are empty and the weights are flat.
    """

    def __init__(self) -> None:
        self.workbook_weights: dict[str, float] = {}
        self.weights: dict[str, float] = {}
        self.criterion_groups: dict[str, str] = {}
        self.workbook_group_weights: dict[str, float] = {}
        self.group_weights: dict[str, float] = {}
        #: The branch the last branch-weight change moved.
        self.moved_group: str | None = None
        #: The criterion the last weight change moved (None after a change of every weight).
        self.moved_criterion: str | None = None
        self.active_weight_set: str | None = None
        #: The set the weights last came from, kept after a slider moves away from it.
        self._weights_source: str | None = None
        self.weight_sets: list[WeightSet] = []
        self.judgements: dict[tuple[str, str], JudgementOverride] = {}
        self.added_options: list[AddedOption] = []
        #: Value functions set in the workshop: criterion_id -> (points, rationale).
        self.value_points: dict[str, tuple[tuple[tuple[float, float], ...], str]] = {}
        self._listeners: dict[str, list[Listener]] = {e: [] for e in EVENTS}

    # ------------------------------------------------------------------ events
    def connect(self, event: str, listener: Listener) -> None:
        """Call ``listener()`` after every change of ``event`` (one of :data:`EVENTS`)."""
        if event not in self._listeners:
            raise ValueError(f"unknown workshop event {event!r}; expected one of {', '.join(EVENTS)}")
        self._listeners[event].append(listener)

    def disconnect(self, event: str, listener: Listener) -> None:
        self._listeners[event] = [f for f in self._listeners[event] if f is not listener]

    def _emit(self, event: str) -> None:
        for listener in list(self._listeners[event]):
            listener()

    # ------------------------------------------------------------------ loading
    def reset(self, workbook_weights: Mapping[str, float], weight_sets: Iterable[WeightSet] = (),
              groups: Mapping[str, str] | None = None, group_weights: Mapping[str, float] | None = None) -> None:
        """A new workbook: its weights on the sliders, its weight sets, no edits.

        ``groups`` (criterion -> branch) and ``group_weights`` (branch -> W_g) give the
        value tree; leave them out for flat weights. Silent: whoever loads the workbook
        announces it (every view redraws once).
        """
        self.workbook_weights = {str(c): float(w) for c, w in workbook_weights.items()}
        self.weights = dict(self.workbook_weights)
        self.criterion_groups = {str(c): str(g) for c, g in (groups or {}).items()}
        self.workbook_group_weights = {str(g): float(w) for g, w in (group_weights or {}).items()}
        self.group_weights = dict(self.workbook_group_weights)
        self.active_weight_set = None
        self._weights_source = None
        self.weight_sets = list(weight_sets)
        self.judgements = {}
        self.added_options = []
        self.value_points = {}

    def put_back_workbook_weights(self, workbook_weights: Mapping[str, float]) -> None:
        """The workbook's weights on the sliders again, keeping every other edit (silent, as :meth:`reset`)."""
        self.workbook_weights = {str(c): float(w) for c, w in workbook_weights.items()}
        self.weights = dict(self.workbook_weights)
        self.group_weights = dict(self.workbook_group_weights)

    # ------------------------------------------------------------------ weights
    def set_weight(self, criterion_id: str, value: float) -> None:
        """Change one raw swing weight (clamped at 0); unknown criteria are ignored."""
        value = max(0.0, float(value))
        if criterion_id not in self.weights or math.isclose(self.weights[criterion_id], value, abs_tol=1e-12):
            return
        self.weights = {**self.weights, criterion_id: value}
        self.moved_criterion = criterion_id
        self._emit("weights")

    def set_weights(self, weights: Mapping[str, float], group_weights: Mapping[str, float] | None = None) -> None:
        """Replace every raw weight at once (a weight set, a reset, an undo), and with
        ``group_weights`` every branch weight too, in one change (one redraw).

        Only the workbook's criteria (and branches) are kept; one the mapping omits weighs
        0. The weights no longer come from a remembered set until
        :meth:`set_active_weight_set` names one (a switch of set calls both, in that order).
        """
        new = {cid: max(0.0, float(weights.get(cid, 0.0))) for cid in self.weights}
        groups = self.group_weights if group_weights is None else {
            g: max(0.0, float(group_weights.get(g, 0.0))) for g in self.group_weights}
        self._weights_source = None
        if new == self.weights and groups == self.group_weights:
            return
        self.weights, self.group_weights = new, groups
        self.moved_criterion = None
        self.moved_group = None
        self._emit("weights")

    def sliders_for_set(self, set_weights: Mapping[str, float]) -> tuple[dict[str, float], dict[str, float] | None]:
        """(criterion weights, branch weights or None without a tree) that put a weight set
        on the sliders so their shares are the set's (core/session/set_weights.py)."""
        weights, branches = sliders_for_set(set_weights, list(self.weights), self.criterion_groups,
                                            list(self.group_weights))
        return weights, (branches if self.has_tree else None)

    def captured(self) -> dict[str, float]:
        """The weights a set captured now keeps: the sliders' own without a value tree,
        else their shares through it in percentage points (the set is flat)."""
        return captured_weights(self.normalised_weights()) if self.has_tree else dict(self.weights)

    def holds(self, set_weights: Mapping[str, float]) -> bool:
        """True when the sliders' shares are those of ``set_weights`` (a flat weight set)."""
        return holds_set(self.normalised_weights(), set_weights)

    def normalised_weights(self, active: Mapping[str, bool] | None = None) -> dict[str, float]:
        """Each criterion's share of the whole weight (summing to 1, or less when a branch is lost).

        Through the value tree when there is one: (W_g / sum W) x (w_i / sum of w in g)
        (docs/appraisal-method.md#value-tree); flat otherwise, with equal shares when no
        weight is positive. ``active`` False marks a criterion the model left out (it
        weighs 0 within its branch).
        """
        if self.has_tree:
            cids = list(self.weights)
            raw = np.array([self.weights[c] for c in cids], dtype=float)
            mask = None if active is None else np.array([bool(active.get(c, True)) for c in cids])
            out = tree_weights(raw, [self.criterion_groups.get(c, "") for c in cids], self.group_weights, mask)
            return dict(zip(cids, out.tolist(), strict=True))
        total = sum(max(0.0, w) for w in self.weights.values())
        if total <= 0:
            n = len(self.weights) or 1
            return {c: 1.0 / n for c in self.weights}
        return {c: max(0.0, w) / total for c, w in self.weights.items()}

    # ------------------------------------------------------------------ value tree
    @property
    def has_tree(self) -> bool:
        """True when the workbook has a value tree (CriteriaGroups) and the sliders carry branches."""
        return bool(self.group_weights)

    def branches(self) -> dict[str, list[str]]:
        """Branch -> its criteria, branches in CriteriaGroups order, criteria in workbook order."""
        out: dict[str, list[str]] = {g: [] for g in self.group_weights}
        for cid in self.weights:
            out.setdefault(self.criterion_groups.get(cid, ""), []).append(cid)
        return out

    def branch_shares(self) -> dict[str, float]:
        """W_g / sum of W for each branch (empty without a value tree)."""
        return group_shares(self.group_weights)

    def shares_within_branch(self) -> dict[str, float]:
        """w_i / sum of w over the criteria of i's branch (0 where that sum is 0)."""
        out: dict[str, float] = {}
        for cids in self.branches().values():
            total = sum(max(0.0, self.weights[c]) for c in cids)
            for c in cids:
                out[c] = max(0.0, self.weights[c]) / total if total > 0 else 0.0
        return out

    def set_group_weight(self, group: str, value: float) -> None:
        """Change one branch weight W_g (clamped at 0); unknown branches are ignored."""
        value = max(0.0, float(value))
        if group not in self.group_weights or math.isclose(self.group_weights[group], value, abs_tol=1e-12):
            return
        self.group_weights = {**self.group_weights, group: value}
        self.moved_group = group
        self._emit("group_weights")

    def set_group_weights(self, group_weights: Mapping[str, float]) -> None:
        """Replace every branch weight at once (an undo, a restored session); unknown branches are dropped."""
        new = {g: max(0.0, float(group_weights.get(g, 0.0))) for g in self.group_weights}
        if new == self.group_weights:
            return
        self.group_weights = new
        self.moved_group = None
        self._emit("group_weights")

    def naming(self) -> tuple[str | None, str | None]:
        """(the active weight set, the set the sliders' weights came from): what
        :meth:`weights_name` words them by, for a command to put back on undo."""
        return self.active_weight_set, self._weights_source

    def restore_naming(self, active: str | None, source: str | None) -> None:
        """Put back what :meth:`naming` returned (the weights themselves are unchanged)."""
        self._weights_source = source
        if active != self.active_weight_set:
            self.active_weight_set = active
            self._emit("active_weight_set")

    def set_active_weight_set(self, name: str | None) -> None:
        if name is not None:
            self._weights_source = name
        if name == self.active_weight_set:
            return
        self.active_weight_set = name
        self._emit("active_weight_set")

    def weights_name(self) -> str:
        """Whose weights are on the sliders, in the words every view and output uses."""
        if self.active_weight_set is not None:
            held = self.weight_set(self.active_weight_set)
            if held is None or self.holds(held.weights):
                return describe_weights(self.active_weight_set)
            # a branch slider moved, or a session saved so: the set is no longer what is shown
            return describe_weights(self.active_weight_set, changed_in_room=True)
        if self.weights == self.workbook_weights and self.group_weights == self.workbook_group_weights:
            return describe_weights()
        source = self.weight_set(self._weights_source) if self._weights_source is not None else None
        if source is not None and self.holds(source.weights):
            # moved and back, or a lone criterion's slider moved: the shares are still the set's
            return describe_weights(source.name)
        return describe_weights(self._weights_source, changed_in_room=True)

    # ------------------------------------------------------------------ judgements
    def set_judgement(self, option_id: str, criterion_id: str, score: float | None,
                      rationale: str | None = "") -> None:
        """Override one judgement score (0-100); ``score=None`` removes the override."""
        key = (option_id, criterion_id)
        if score is None:
            if key not in self.judgements:
                return
            self.judgements = {k: v for k, v in self.judgements.items() if k != key}
        else:
            edit = JudgementOverride(option_id, criterion_id, float(score), rationale or "")
            if self.judgements.get(key) == edit:
                return
            self.judgements = {**self.judgements, key: edit}
        self._emit("judgements")

    def judgement_scores(self) -> dict[tuple[str, str], float]:
        """(option_id, criterion_id) -> the workshop's score, as the value model takes them."""
        return {k: e.score for k, e in self.judgements.items()}

    # ------------------------------------------------------------------ weight sets
    def weight_set(self, name: str) -> WeightSet | None:
        return next((s for s in self.weight_sets if s.name == name), None)

    def weight_set_index(self, name: str) -> int | None:
        """Position of the set called ``name`` (for capture-over and delete), or None."""
        return next((i for i, s in enumerate(self.weight_sets) if s.name == name), None)

    def add_weight_set(self, weight_set: WeightSet, index: int | None = None) -> None:
        """Add a set at ``index`` (the end when None); a name already used is a ValueError."""
        if self.weight_set(weight_set.name) is not None:
            raise ValueError(f"weight set {weight_set.name!r} already exists")
        sets = list(self.weight_sets)  # copy-on-write: an export in a worker may be reading the old list
        if index is None or index > len(sets):
            sets.append(weight_set)
        else:
            sets.insert(index, weight_set)
        self.weight_sets = sets
        self._emit("weight_sets")

    def remove_weight_set(self, name: str) -> None:
        if self.weight_set(name) is None:
            return
        self.weight_sets = [s for s in self.weight_sets if s.name != name]
        self._emit("weight_sets")

    def replace_weight_sets(self, sets: Iterable[WeightSet], active: str | None = None) -> None:
        """Every set at once and the active one (a restored session)."""
        self.weight_sets = list(sets)
        self._emit("weight_sets")
        self.set_active_weight_set(active if self.weight_set(active or "") is not None else None)

    # ------------------------------------------------------------------ options
    def add_option(self, option: AddedOption) -> None:
        """Add an option; one with the same id is replaced."""
        self.added_options = [o for o in self.added_options if o.option_id != option.option_id] + [option]
        self._emit("options")

    def remove_option(self, option_id: str) -> None:
        kept = [o for o in self.added_options if o.option_id != option_id]
        if len(kept) != len(self.added_options):
            self.added_options = kept
            self._emit("options")

    def set_options(self, options: Iterable[AddedOption]) -> None:
        """Every added option at once (a restored session)."""
        self.added_options = list(options)
        self._emit("options")

    # ------------------------------------------------------------------ value functions
    def set_value_points(self, criterion_id: str, points: tuple[tuple[float, float], ...] | None,
                         rationale: str = "") -> None:
        """Set one criterion's value function (docs/appraisal-method.md#value-functions); None removes it."""
        if points is None:
            if criterion_id not in self.value_points:
                return
            self.value_points = {k: v for k, v in self.value_points.items() if k != criterion_id}
        else:
            new = (tuple((float(x), float(v)) for x, v in points), rationale)
            if self.value_points.get(criterion_id) == new:
                return
            self.value_points = {**self.value_points, criterion_id: new}
        self._emit("value_points")

    def value_points_by_criterion(self) -> dict[str, tuple[tuple[float, float], ...]]:
        """criterion_id -> the workshop's points, as the value model takes them."""
        return {c: p for c, (p, _) in self.value_points.items()}
