"""What every sheet builder needs: the run, the text guard, names and formatting helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from desktop_app.core.export.safe_text import TextGuard
from desktop_app.core.export.styles import Styler
from desktop_app.core.workbook import schema


@dataclass
class ExportContext:
    """One export in progress. ``run`` is a ``pipeline.AppraisalRun`` (duck-typed)."""

    run: Any
    generated_at: datetime
    tool_version: str
    judgement_edits: list[dict[str, Any]] = field(default_factory=list)
    guard: TextGuard = field(default_factory=TextGuard)
    styler: Styler = field(default_factory=Styler)
    #: Figures computed once and used by more than one sheet (chart data layouts).
    cache: dict[str, Any] = field(default_factory=dict)
    #: Rows of big tables written after saving by :mod:`fastrows` (the Coverage sheet).
    deferred: list[Any] = field(default_factory=list)

    @property
    def inputs(self) -> Any:
        return self.run.inputs

    @property
    def params(self) -> Any:
        return self.run.inputs.parameters

    @property
    def marking(self) -> str:
        return self.guard.clean(self.params.protective_marking or schema.default("protective_marking"), "Parameters")

    @property
    def force(self) -> str:
        return self.guard.clean(self.params.force_name, "Parameters")

    @property
    def option_ids(self) -> list[str]:
        return [str(o) for o in self.run.inputs.options["option_id"]]

    @property
    def criterion_ids(self) -> list[str]:
        return [str(c) for c in self.run.appraisal.values.columns]

    def _first_names(self, key: str, table: Any, id_col: str, name_col: str) -> dict[Any, Any]:
        """ID -> name of the first row with that ID, built once: a pandas lookup per cell cost
        0.05 s on the sample force's Robustness sheet alone."""
        names = self.cache.get(key)
        if names is None:
            names = {}
            for i, n in zip(table[id_col].tolist(), table[name_col].tolist(), strict=True):
                names.setdefault(i, n)
            self.cache[key] = names
        return names

    def option_name(self, option_id: str) -> str:
        opts = self.run.inputs.options
        names = self._first_names("option_names", opts, "option_id", "option_name")
        return self.guard.clean(names.get(option_id, option_id))

    def option_label(self, option_id: str) -> str:
        """``OPT1 Arm rural officers``: the code keeps labels unique, the name makes them readable."""
        name = self.option_name(option_id)
        oid = self.guard.clean(option_id)
        return oid if name == oid else f"{oid} {name}"

    def criterion_name(self, criterion_id: str) -> str:
        crit = self.run.inputs.criteria
        names = self._first_names("criterion_names", crit, "criterion_id", "criterion_name")
        return self.guard.clean(names.get(criterion_id, criterion_id))

    def criterion_row(self, criterion_id: str) -> dict[str, Any]:
        crit = self.run.inputs.criteria
        match = crit.loc[crit["criterion_id"] == criterion_id]
        return match.iloc[0].to_dict() if len(match) else {}

    def edit_for(self, option_id: str, criterion_id: str) -> dict[str, Any] | None:
        """The workshop's change to this judgement, if any (the last one wins)."""
        found = None
        for edit in self.judgement_edits:
            if str(edit.get("option_id")) == option_id and str(edit.get("criterion_id")) == criterion_id:
                found = edit
        return found

    @property
    def target(self) -> float:
        return float(self.run.coverage.target_minutes)
