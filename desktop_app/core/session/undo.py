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
from desktop_app.core.session.records import AddedOption, WeightSet
from desktop_app.core.session.state import WorkshopState

#: QUndoCommand.id() values: commands of one kind share one id (Qt only tries to merge
#: commands with equal ids), -1 means "never merge".
MERGE_ID_SET_WEIGHT = 1001
MERGE_ID_SET_GROUP_WEIGHT = 1002
NO_MERGE = -1


class Command:
    """Base of the plain commands: ``text`` for the Edit menu, ``apply``/``revert``."""

    text: str = ""

    def describe(self, criteria: Mapping[str, str], options: Mapping[str, str]) -> str:
        """``text`` with criterion and option ids replaced by their names (the Edit menu's
        "Undo weight of Threat covered within 20 minutes: 12 → 32")."""
        return self.text

    def apply(self, target: WorkshopState) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def revert(self, target: WorkshopState) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def merge_id(self) -> int:
        """The QUndoCommand id: -1 unless this kind of command can merge."""
        return NO_MERGE

    def can_merge(self, other: Command) -> bool:
        return False

    def merge(self, other: Command) -> Command:
        """One command equivalent to ``self`` then ``other`` (only when :meth:`can_merge`)."""
        raise ValueError("these commands do not merge")

    @property
    def is_noop(self) -> bool:
        """True when applying changes nothing (e.g. a drag that ended where it started)."""
        return False


def _fmt(value: float) -> str:
    return f"{value:g}"


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

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"Weight of branch \u201c{self.group}\u201d: {_fmt(self.old)} \u2192 {_fmt(self.new)}"

    def apply(self, target: WorkshopState) -> None:
        target.set_group_weight(self.group, self.new)

    def revert(self, target: WorkshopState) -> None:
        target.set_group_weight(self.group, self.old)

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

    ``old_active``/``new_active`` name the active weight set before and after.
    """

    old: dict[str, float]
    new: dict[str, float]
    old_active: str | None = None
    new_active: str | None = None
    label: str = ""

    @property
    def text(self) -> str:  # type: ignore[override]
        if self.label:
            return self.label
        return f"Switch to weight set \u201c{self.new_active}\u201d" if self.new_active else "Set weights"

    def apply(self, target: WorkshopState) -> None:
        target.set_weights(dict(self.new))
        target.set_active_weight_set(self.new_active)

    def revert(self, target: WorkshopState) -> None:
        target.set_weights(dict(self.old))
        target.set_active_weight_set(self.old_active)

    @property
    def is_noop(self) -> bool:
        return self.old == self.new and self.old_active == self.new_active


@dataclass
class SetJudgement(Command):
    """A judgement score (and its rationale) edited in the workshop.

    ``old_score`` None means there was no workshop override before (the workbook's
    judgement applied); reverting then removes the override rather than writing the
    workbook's value back as an "edit". Likewise ``new_score`` None removes it.
    """

    option_id: str
    criterion_id: str
    old_score: float | None
    new_score: float | None
    old_rationale: str | None = None
    new_rationale: str | None = None

    @property
    def text(self) -> str:  # type: ignore[override]
        new = "workbook value" if self.new_score is None else _fmt(self.new_score)
        return f"Judgement {self.option_id} / {self.criterion_id} \u2192 {new}"

    def describe(self, criteria: Mapping[str, str], options: Mapping[str, str]) -> str:
        new = "workbook score" if self.new_score is None else _fmt(self.new_score)
        option = options.get(self.option_id, self.option_id)
        criterion = criteria.get(self.criterion_id, self.criterion_id)
        return f"score of {option} on {criterion} \u2192 {new}"

    def apply(self, target: WorkshopState) -> None:
        target.set_judgement(self.option_id, self.criterion_id, self.new_score, self.new_rationale)

    def revert(self, target: WorkshopState) -> None:
        target.set_judgement(self.option_id, self.criterion_id, self.old_score, self.old_rationale)

    @property
    def is_noop(self) -> bool:
        return self.old_score == self.new_score and self.old_rationale == self.new_rationale


@dataclass
class CaptureWeightSet(Command):
    """Capture weights as a named set; ``replaced`` is the set it overwrote, if any.

    ``index`` is the replaced set's position, so undo puts it back where it was.
    """

    name: str
    weights: dict[str, float]
    replaced: WeightSet | None = None
    index: int | None = None

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"Capture weight set \u201c{self.name}\u201d"

    def apply(self, target: WorkshopState) -> None:
        if self.replaced is not None:
            target.remove_weight_set(self.name)
        target.add_weight_set(WeightSet(self.name, dict(self.weights), "captured"), self.index)

    def revert(self, target: WorkshopState) -> None:
        target.remove_weight_set(self.name)
        if self.replaced is not None:
            target.add_weight_set(self.replaced, self.index)


@dataclass
class DeleteWeightSet(Command):
    """Delete a weight set; undo restores it at its old position (``index``)."""

    weight_set: WeightSet
    index: int | None = None
    was_active: bool = False

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"Delete weight set \u201c{self.weight_set.name}\u201d"

    def apply(self, target: WorkshopState) -> None:
        target.remove_weight_set(self.weight_set.name)
        if self.was_active:
            target.set_active_weight_set(None)

    def revert(self, target: WorkshopState) -> None:
        target.add_weight_set(self.weight_set, self.index)
        if self.was_active:
            target.set_active_weight_set(self.weight_set.name)


@dataclass
class ImportWeightSets(Command):
    """Add several sets at once (survey results, docs/survey.md#in-the-app), one undo step.

    A set whose name is taken replaces the old one in its place; undo puts every old set back.
    """

    sets: list[WeightSet]
    label: str = "Import survey results"

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"{self.label} ({len(self.sets)} weight set{'s' if len(self.sets) != 1 else ''})"

    def apply(self, target: WorkshopState) -> None:
        self._replaced = [(old, target.weight_set_index(ws.name)) for ws in self.sets
                          if (old := target.weight_set(ws.name)) is not None]
        for ws in self.sets:
            index = target.weight_set_index(ws.name)
            target.remove_weight_set(ws.name)
            target.add_weight_set(ws, index)

    def revert(self, target: WorkshopState) -> None:
        for ws in self.sets:
            target.remove_weight_set(ws.name)
        for old, index in getattr(self, "_replaced", []):
            target.add_weight_set(old, index)


@dataclass
class AddOption(Command):
    """Add an option (e.g. the optimiser's result) to the appraisal."""

    spec: AddedOption

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"Add option \u201c{self.spec.option_name}\u201d"

    def apply(self, target: WorkshopState) -> None:
        target.add_option(self.spec)

    def revert(self, target: WorkshopState) -> None:
        target.remove_option(self.spec.option_id)


@dataclass
class AddScoredOption(Command):
    """Add an option with the room's judgement scores, as one undo step.

    ``scores`` maps criterion_id to (score, rationale); empty leaves the option awaiting
    scores (docs/appraisal-method.md#awaiting-scores). Scores are workshop judgements
    like any other (the Judgements view lists them), never copied from another option.
    """

    spec: AddedOption
    scores: dict[str, tuple[float, str]]

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"Add option \u201c{self.spec.option_name}\u201d" + ("" if self.scores else " (awaiting scores)")

    def apply(self, target: WorkshopState) -> None:
        target.add_option(self.spec)
        for cid, (score, why) in self.scores.items():
            target.set_judgement(self.spec.option_id, cid, float(score), why)

    def revert(self, target: WorkshopState) -> None:
        for cid in self.scores:
            target.set_judgement(self.spec.option_id, cid, None)
        target.remove_option(self.spec.option_id)


@dataclass
class SetValuePoints(Command):
    """A criterion's value function set (or put back, ``new`` None) in the workshop, with why."""

    criterion_id: str
    old: tuple[tuple[float, float], ...] | None
    new: tuple[tuple[float, float], ...] | None
    old_rationale: str = ""
    new_rationale: str = ""

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"Value function {self.criterion_id}" + (" \u2192 workbook's" if self.new is None else "")

    def apply(self, target: WorkshopState) -> None:
        target.set_value_points(self.criterion_id, self.new, self.new_rationale)

    def revert(self, target: WorkshopState) -> None:
        target.set_value_points(self.criterion_id, self.old, self.old_rationale)

    @property
    def is_noop(self) -> bool:
        return self.old == self.new and self.old_rationale == self.new_rationale
