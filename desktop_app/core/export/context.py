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
    #: The version for publication (``--public``): marked ``public_marking``, without the
    #: threat indicators, threat index or any area-level threat (docs/summary-workbook.md#public-version).
    public: bool = False
    #: Name and alt text of every chart, by sheet, in the order they were added
    #: (written into the drawing parts by :mod:`accessibility`).
    chart_texts: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @property
    def inputs(self) -> Any:
        return self.run.inputs

    @property
    def params(self) -> Any:
        return self.run.inputs.parameters

    @property
    def marking(self) -> str:
        if self.public:
            return self.guard.clean(self.params.public_marking or schema.default("public_marking"), "Parameters")
        return self.guard.clean(self.params.protective_marking or schema.default("protective_marking"), "Parameters")

    @property
    def weights_label(self) -> str:
        """Whose weights rank the options, in :func:`describe_weights`'s words."""
        label = getattr(self.run, "weights_label", None) or getattr(self.run.appraisal, "weights_name", "")
        return self.guard.clean(str(label))

    @property
    def scenario_label(self) -> str:
        """The scenario that is the main result, or the workbook as it stands."""
        name = getattr(self.run, "scenario", None)
        return self.guard.clean(str(name)) if name else "None (the workbook as entered)"

    @property
    def decision_question(self) -> str:
        """What the panel is asked: the ``decision_question`` parameter, or the default."""
        asked = getattr(self.params, "decision_question", None)
        if asked:
            return self.guard.clean(str(asked), "Parameters", None, "decision_question")
        return (f"The panel is asked whether it supports {self.force} adopting the top-ranked option, "
                "or would prefer another, and what it would need to see to change that view.")

    def notes(self, sheet: str) -> dict[Any, str]:
        """The input workbook's ``notes`` on ``sheet`` (:mod:`input_notes`), cleaned."""
        cached = self.cache.get("notes")
        if cached is None:
            from desktop_app.core.export.input_notes import read_notes

            cached = self.cache["notes"] = read_notes(getattr(self.inputs, "source", None),
                                                      getattr(self.inputs, "sha256", None))
        return {k: self.guard.clean(v, sheet, None, "notes") for k, v in cached.get(sheet, {}).items()}

    def add_chart_text(self, sheet: str, name: str, alt: str) -> None:
        self.chart_texts.setdefault(sheet, []).append((name, alt))

    @property
    def force(self) -> str:
        return self.guard.clean(self.params.force_name, "Parameters")

    @property
    def option_ids(self) -> list[str]:
        """The options appraised (ranked); an option awaiting scores is listed by :attr:`awaiting_ids`."""
        awaiting = set(self.awaiting_ids)
        return [str(o) for o in self.run.inputs.options["option_id"] if str(o) not in awaiting]

    @property
    def awaiting_ids(self) -> list[str]:
        """Options left out of the ranking until the workshop scores them."""
        return [str(o) for o in getattr(self.run, "awaiting_scores", [])]

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
        name = self.guard.clean(names.get(option_id, option_id))
        # An option the workshop has not scored is never shown as if ranked (docs/appraisal-method.md#awaiting-scores).
        return f"{name} (awaiting scores)" if option_id in self.awaiting_ids else name

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
        """The first Criteria row with this ID as a dict (a copy), the rows built once: the
        value tree asks for a criterion's branch hundreds of times per export (0.13 s of
        pandas lookups nationally)."""
        rows = self.cache.get("criterion_rows")
        if rows is None:
            rows = {}
            for row in self.run.inputs.criteria.to_dict("records"):
                rows.setdefault(row.get("criterion_id"), row)
            self.cache["criterion_rows"] = rows
        return dict(rows.get(criterion_id, {}))

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

    def blank_cells(self, sheet: str) -> dict[int, set[str]] | None:
        """Excel row -> the cells left blank on ``sheet`` (None: input not readable)."""
        self.notes(sheet)
        found = self.cache["notes"].get(f"{sheet}:blank")
        return found if isinstance(found, dict) else None
