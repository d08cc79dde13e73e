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

from desktop_app.core.added_option import AddedOption
from desktop_app.core.appraisal.weights_name import describe_weights
from desktop_app.core.session.records import WeightSet

#: What a listener can subscribe to: the weights on the sliders, which weight set is
#: active, the judgement edits, the added options and the list of weight sets.
EVENTS = ("weights", "active_weight_set", "judgements", "options", "weight_sets", "value_points")

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
    """

    def __init__(self) -> None:
        self.workbook_weights: dict[str, float] = {}
        self.weights: dict[str, float] = {}
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
    def reset(self, workbook_weights: Mapping[str, float], weight_sets: Iterable[WeightSet] = ()) -> None:
        """A new workbook: its weights on the sliders, its weight sets, no edits.

        Silent: whoever loads the workbook announces it (every view redraws once).
        """
        self.workbook_weights = {str(c): float(w) for c, w in workbook_weights.items()}
        self.weights = dict(self.workbook_weights)
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

    # ------------------------------------------------------------------ weights
    def set_weight(self, criterion_id: str, value: float) -> None:
        """Change one raw swing weight (clamped at 0); unknown criteria are ignored."""
        value = max(0.0, float(value))
        if criterion_id not in self.weights or math.isclose(self.weights[criterion_id], value, abs_tol=1e-12):
            return
        self.weights = {**self.weights, criterion_id: value}
        self.moved_criterion = criterion_id
        self._emit("weights")

    def set_weights(self, weights: Mapping[str, float]) -> None:
        """Replace every raw weight at once (a weight set, a reset, an undo).

        Only the workbook's criteria are kept; one the mapping omits weighs 0. The
        weights no longer come from a remembered set until :meth:`set_active_weight_set`
        names one (a switch of set calls both, in that order).
        """
        new = {cid: max(0.0, float(weights.get(cid, 0.0))) for cid in self.weights}
        self._weights_source = None
        if new == self.weights:
            return
        self.weights = new
        self.moved_criterion = None
        self._emit("weights")

    def normalised_weights(self) -> dict[str, float]:
        """The weights as shares summing to 1 (equal shares when none is positive)."""
        total = sum(max(0.0, w) for w in self.weights.values())
        if total <= 0:
            n = len(self.weights) or 1
            return {c: 1.0 / n for c in self.weights}
        return {c: max(0.0, w) / total for c, w in self.weights.items()}

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
            return describe_weights(self.active_weight_set)
        if self.weights == self.workbook_weights:
            return describe_weights()
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
