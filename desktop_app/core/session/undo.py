"""Undoable workshop actions as plain data, so undo/redo is testable without Qt.

Every change a workshop makes (a weight, a switch of weight set, a judgement score,
capturing or deleting a stakeholder set, adding an option) is one command object
holding both the *old* and the *new* value. ``apply(state)`` does the change on the
:class:`~desktop_app.core.session.state.WorkshopState`, ``revert(state)`` undoes it.
The desktop app wraps each in a thin QUndoCommand (``desktop_app/ui/undo.py``) and
pushes it on a QUndoStack; the core's tests drive the same objects against a real
WorkshopState.

Slider drags: a drag emits dozens of value changes, but the room thinks of it as one
step. Commands that share a non-None ``merge_key`` and the same criterion merge into
one (:meth:`SetWeight.merge`), keeping the first old value and the last new value,
exactly the rule QUndoCommand.mergeWith needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from desktop_app.core.appraisal.swings import SwingChange
from desktop_app.core.session.state import WorkshopState
from desktop_app.core.session.undo_base import (
    MERGE_ID_SET_GROUP_WEIGHT,
    MERGE_ID_SET_WEIGHT,
    NO_MERGE,
    Command,
    _fmt,
)

# The other edits, importable from here as they always were.
from desktop_app.core.session.undo_edits import (  # noqa: E402, F401
    AddOption,
    AddScoredOption,
    CaptureWeightSet,
    DeleteWeightSet,
    ImportWeightSets,
    SetJudgement,
    SetValuePoints,
)


@dataclass
class SetWeight(Command):
    """One criterion's raw swing weight changed from ``old`` to ``new``.

    ``merge_key`` identifies one continuous gesture (a slider drag); two SetWeights with
    the same criterion and the same non-None key merge. Keyboard steps and typed values
    carry None and stay separate undo steps. ``old_active_set`` remembers which weight
    set was active, since moving a slider leaves it.
    """

    criterion_id: str
    old: float
    new: float
    merge_key: object = None
    old_active_set: str | None = None

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"Weight {self.criterion_id}: {_fmt(self.old)} \u2192 {_fmt(self.new)}"

    def describe(self, criteria: Mapping[str, str], options: Mapping[str, str]) -> str:
        name = criteria.get(self.criterion_id, self.criterion_id)
        return f"weight of {name}: {_fmt(self.old)} \u2192 {_fmt(self.new)}"

    def apply(self, target: WorkshopState) -> None:
        target.set_weight(self.criterion_id, self.new)
        if self.old_active_set is not None:
            target.set_active_weight_set(None)

    def revert(self, target: WorkshopState) -> None:
        target.set_weight(self.criterion_id, self.old)
        if self.old_active_set is not None:
            target.set_active_weight_set(self.old_active_set)

    @property
    def merge_id(self) -> int:
        return MERGE_ID_SET_WEIGHT if self.merge_key is not None else NO_MERGE

    def can_merge(self, other: Command) -> bool:
        return (
            isinstance(other, SetWeight)
            and self.merge_key is not None
            and other.merge_key == self.merge_key
            and other.criterion_id == self.criterion_id
        )

    def merge(self, other: Command) -> SetWeight:
        if not self.can_merge(other):
            raise ValueError("these commands do not merge")
        assert isinstance(other, SetWeight)
        return replace(self, new=other.new)

    @property
    def is_noop(self) -> bool:
        return self.old == self.new


@dataclass
class SetGroupWeight(Command):
    """One branch's weight W_g changed from ``old`` to ``new`` (docs/appraisal-method.md#value-tree).

    A branch slider's drag merges into one step like a criterion's (:class:`SetWeight`).
    ``name`` is the branch as the Edit menu shows it (the branch id itself by default).
    """

    group: str
    old: float
    new: float
    merge_key: object = None
    #: The weight set that was active: a moved branch leaves it, as a moved criterion does.
    old_active_set: str | None = None

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"Weight of branch \u201c{self.group}\u201d: {_fmt(self.old)} \u2192 {_fmt(self.new)}"

    def apply(self, target: WorkshopState) -> None:
        target.set_group_weight(self.group, self.new)
        if self.old_active_set is not None:
            target.set_active_weight_set(None)

    def revert(self, target: WorkshopState) -> None:
        target.set_group_weight(self.group, self.old)
        if self.old_active_set is not None:
            target.set_active_weight_set(self.old_active_set)

    @property
    def merge_id(self) -> int:
        return MERGE_ID_SET_GROUP_WEIGHT if self.merge_key is not None else NO_MERGE

    def can_merge(self, other: Command) -> bool:
        return (isinstance(other, SetGroupWeight) and self.merge_key is not None
                and other.merge_key == self.merge_key and other.group == self.group)

    def merge(self, other: Command) -> SetGroupWeight:
        if not self.can_merge(other):
            raise ValueError("these commands do not merge")
        assert isinstance(other, SetGroupWeight)
        return replace(self, new=other.new)

    @property
    def is_noop(self) -> bool:
        return self.old == self.new


@dataclass
class SetGroupWeights(Command):
    """Every branch weight replaced at once (the weights panel's reset)."""

    old: dict[str, float]
    new: dict[str, float]

    @property
    def text(self) -> str:  # type: ignore[override]
        return "Set branch weights"

    def apply(self, target: WorkshopState) -> None:
        target.set_group_weights(dict(self.new))

    def revert(self, target: WorkshopState) -> None:
        target.set_group_weights(dict(self.old))

    @property
    def is_noop(self) -> bool:
        return self.old == self.new


@dataclass
class RescaleSwings(Command):
    """Keep each moved swing's meaning: every weight becomes w x new range / old range, in one step.

    docs/appraisal-method.md#scales. ``changes`` come from
    :func:`desktop_app.core.appraisal.swings.swing_changes`; undo puts back each weight
    exactly as it was (``old_weight``), and the active weight set with it.
    """

    changes: tuple[SwingChange, ...]
    old_active: str | None = None
    names: tuple[str, ...] = ()

    @property
    def text(self) -> str:  # type: ignore[override]
        who = ", ".join(self.names or tuple(c.criterion_id for c in self.changes))
        return f"Keep the swings of {who} (rescale their weights)"

    def apply(self, target: WorkshopState) -> None:
        target.set_weights({**target.weights, **{c.criterion_id: c.new_weight for c in self.changes}})
        target.set_active_weight_set(None)

    def revert(self, target: WorkshopState) -> None:
        target.set_weights({**target.weights, **{c.criterion_id: c.old_weight for c in self.changes}})
        target.set_active_weight_set(self.old_active)

    @property
    def is_noop(self) -> bool:
        return all(c.old_weight == c.new_weight for c in self.changes)


@dataclass
class SetWeights(Command):
    """All weights replaced at once: switching to a weight set, or resetting.

    ``old_active``/``new_active`` name the active weight set before and after;
    ``old_groups``/``new_groups`` are the branch weights before and after, with a value
    tree (None leaves them alone): a set's branches go with its criteria
    (core/session/set_weights.py).
    """

    old: dict[str, float]
    new: dict[str, float]
    old_active: str | None = None
    new_active: str | None = None
    label: str = ""
    old_groups: dict[str, float] | None = None
    new_groups: dict[str, float] | None = None

    @property
    def text(self) -> str:  # type: ignore[override]
        if self.label:
            return self.label
        return f"Switch to weight set \u201c{self.new_active}\u201d" if self.new_active else "Set weights"

    def apply(self, target: WorkshopState) -> None:
        target.set_weights(dict(self.new), None if self.new_groups is None else dict(self.new_groups))
        target.set_active_weight_set(self.new_active)

    def revert(self, target: WorkshopState) -> None:
        target.set_weights(dict(self.old), None if self.old_groups is None else dict(self.old_groups))
        target.set_active_weight_set(self.old_active)

    @property
    def is_noop(self) -> bool:
        return self.old == self.new and self.old_active == self.new_active and (
            self.new_groups is None or self.new_groups == self.old_groups)
