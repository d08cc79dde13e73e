"""The optimiser's answer put into the appraisal as a new option ("Add as option…").

:class:`AddAsOption` is a mixin of :class:`~desktop_app.ui.optimiser_view.OptimiserView`:
the view finds and shows the answer, this part proposes the option (baseline plus the
chosen posts, with a code and a name no option has), asks for its costs, the posts'
assumptions and the room's judgement scores, and adds it as one undoable step.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from desktop_app.core.added_option import AddedOption, optimiser_option
from desktop_app.core.optimiser.choices import SINGULAR_ASSET
from desktop_app.core.session.undo import AddScoredOption
from desktop_app.ui.add_option_dialog import AddOptionDialog, JudgementCriterion, PostDefaults

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from desktop_app.ui.state import AppState
    from desktop_app.ui.undo import WorkshopUndo

SHORT_ASSET = {"ARMED_RESPONSE_OFFICER": "ARO", "ARV": "ARV"}


def first_free(base: str, taken: Collection[str], numbered: Callable[[int], str],
               key: Callable[[str], str] = str) -> str:
    """``base`` if its ``key`` is not in ``taken``, else the first of ``numbered(2)``,
    ``numbered(3)``, ... whose key is not: one rule for new option codes and names."""
    candidate, n = base, 2
    while key(candidate) in taken:
        candidate, n = numbered(n), n + 1
    return candidate


def name_key(name: object) -> str:
    """An option's name as two names are compared: "Arm three" and " arm three" are one name."""
    return str(name).strip().casefold()


class AddAsOption:
    """Propose, ask for and add "baseline + the selected posts" as a new option."""

    if TYPE_CHECKING:  # OptimiserView's, declared for the type checker only
        state: AppState
        undo: WorkshopUndo
        result: Any
        selected_posts: int
        option_added: SignalInstance

        def chosen_sites(self, posts: int | None = None) -> list[str]: ...

    def _names_in_use(self) -> set[str]:
        return {name_key(n) for n in self.state.option_names().values()}

    def proposed_spec(self, **overrides: Any) -> AddedOption | None:
        """The option "baseline + the selected posts", with names and costs (overridable)."""
        if self.result is None or not self.chosen_sites():
            return None
        k = self.selected_posts
        short = SHORT_ASSET.get(self.result.asset_type, "post")
        option_id = first_free(f"OPT_{short}{k}", set(self.state.option_ids()), lambda n: f"OPT_{short}{k}_{n}")
        inputs = self.state.inputs
        assert inputs is not None  # a result exists only for loaded inputs
        names = dict(zip(inputs.sites["site_id"].astype(str), inputs.sites["site_name"].astype(str), strict=True))
        sites = self.chosen_sites()
        # A name no option has: pressing "Add as option…" twice had put two options of the
        # same name in every key and table, told apart only by their codes.
        base_name = f"Baseline + {k} optimised {short} post{'s' if k != 1 else ''}"
        name = first_free(base_name, self._names_in_use(), lambda n: f"{base_name} ({n})", key=name_key)
        spec = optimiser_option(
            sites, self.result.asset_type, option_id,
            option_name=name,
            description="Optimiser: one post on duty every hour of the week at " + ", ".join(names.get(s, s) for s in sites),
        )
        return replace(spec, **overrides) if overrides else spec

    def add_as_option(self, **values: Any) -> AddedOption | None:
        """Ask for costs, the posts' assumptions and scores (the dialog), then add the option (undoable).

        ``values`` (tests, scripts) stand in for the dialog: the Options fields, plus
        ``scores`` ({criterion_id: (score, rationale)}; none leaves it awaiting scores) and
        ``busy_fraction``/``mobilisation_minutes`` for the new posts (None: the defaults).
        """
        spec = self.proposed_spec()
        if spec is None:
            return None
        if not values:
            dialog = self.make_dialog(spec)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            values = {**dialog.values(), **dialog.deployment_overrides(), "scores": dialog.scores()}
        values = dict(values)
        scores = dict(values.pop("scores", None) or {})
        posts = {k: values.pop(k) for k in ("busy_fraction", "mobilisation_minutes") if k in values}
        spec = self.proposed_spec(**values)
        parent = cast(QWidget, self)  # the mixin is always an OptimiserView
        if spec is None or not spec.option_id or spec.option_id in self.state.option_ids():
            QMessageBox.warning(parent, "Add as option", "Please give the option an id no other option uses.")
            return None
        if name_key(spec.option_name) in self._names_in_use():
            QMessageBox.warning(parent, "Add as option", f"An option is already called “{spec.option_name}”: "
                                "please give this one a name of its own, so the keys and tables can tell them apart.")
            return None
        for cost in (spec.one_off_cost_gbp, spec.annual_cost_gbp, spec.implementation_months):
            if not math.isfinite(cost) or cost < 0:
                return None
        if posts:
            spec = replace(spec, deployments=tuple(replace(d, **posts) for d in spec.deployments))
        self.undo.push(AddScoredOption(spec, scores))
        self.option_added.emit(spec.option_id)
        return spec

    def make_dialog(self, spec: AddedOption) -> AddOptionDialog:
        """The dialog for ``spec``: the judgement criteria to score and the posts' defaults."""
        inputs = self.state.inputs
        assert inputs is not None and self.result is not None  # a spec exists only for a result
        crit = inputs.criteria
        criteria = [JudgementCriterion(str(c), str(n), "" if not isinstance(t, str) else t)
                    for c, n, m, t in zip(crit["criterion_id"], crit["criterion_name"], crit["measure"],
                                          crit["notes"] if "notes" in crit.columns else [""] * len(crit),
                                          strict=True) if str(m) == "judgement"]
        asset = self.result.asset_type
        posts = PostDefaults(SINGULAR_ASSET.get(asset, asset), inputs.parameters.busy_fraction(asset),
                             inputs.parameters.mobilisation_minutes(asset))
        return AddOptionDialog(spec.option_id, spec.option_name, spec.description, cast(QWidget, self),
                               criteria=criteria, posts=posts)
