"""Undoable workshop edits other than weights: judgement scores, weight sets, added
options and value functions (docs/architecture.md#package-layers).

Each holds the old and the new value, as every command does (:mod:`.undo_base`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from desktop_app.core.session.records import AddedOption, WeightSet
from desktop_app.core.session.state import WorkshopState
from desktop_app.core.session.undo_base import Command, _fmt


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

    ``index`` is the replaced set's position, so undo puts it back where it was. The
    captured set becomes the active one, since the sliders hold exactly its weights: the
    screen and the exported paper then both name it ("Room X"), where a facilitator's
    review had found both still saying "set in the workshop, from PCC office" after the
    capture. Undo puts back the name the weights had before.
    """

    name: str
    weights: dict[str, float]
    replaced: WeightSet | None = None
    index: int | None = None
    _before: tuple[str | None, str | None] | None = None

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"Capture weight set \u201c{self.name}\u201d"

    def apply(self, target: WorkshopState) -> None:
        if self.replaced is not None:
            target.remove_weight_set(self.name)
        target.add_weight_set(WeightSet(self.name, dict(self.weights), "captured"), self.index)
        if self._before is None:
            self._before = target.naming()
        target.set_active_weight_set(self.name)

    def revert(self, target: WorkshopState) -> None:
        target.remove_weight_set(self.name)
        if self.replaced is not None:
            target.add_weight_set(self.replaced, self.index)
        if self._before is not None:
            target.restore_naming(*self._before)


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

    def describe(self, criteria: Mapping[str, str], options: Mapping[str, str]) -> str:
        criterion = criteria.get(self.criterion_id, self.criterion_id)
        return f"value function of {criterion}" + (" \u2192 the workbook's" if self.new is None else "")

    def apply(self, target: WorkshopState) -> None:
        target.set_value_points(self.criterion_id, self.new, self.new_rationale)

    def revert(self, target: WorkshopState) -> None:
        target.set_value_points(self.criterion_id, self.old, self.old_rationale)

    @property
    def is_noop(self) -> bool:
        return self.old == self.new and self.old_rationale == self.new_rationale
