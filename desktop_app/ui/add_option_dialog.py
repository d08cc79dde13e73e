"""The "Add as option" dialog: an option the room adds is costed and scored by the room.

docs/appraisal-method.md#awaiting-scores. An option added from the optimiser once took
the do-minimum's judgement scores and the dialog's default costs of zero, and went
straight to first place. So this dialog asks for:

- the one-off and annual costs, where £0 needs an explicit "the cost really is £0" tick
  (the optimiser chooses stations, not prices);
- the busy fraction and mobilisation the new posts will have, shown from the workbook's
  defaults for the asset type (Parameters) and editable: a value left at the default
  stays "the default" (a blank cell), so a scenario that changes the default reaches it;
- a score (0-100) and a rationale on every judgement criterion, or "leave it awaiting
  scores": then the option is measured but left out of the ranking, SMAA-2 and the
  weight-set comparison until the Judgements view scores it. Nothing is inherited.

The dialog is driven directly in tests (fill the widgets, call :meth:`AddOptionDialog.values`
or :meth:`AddOptionDialog.problem`); only the optimiser view calls ``exec``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui import palette

#: The score spin box shows this before a score is entered (its minimum, -1): no score
#: is ever pre-filled, so none can be inherited by leaving the box alone.
NOT_SCORED = "not scored"


@dataclass(frozen=True)
class JudgementCriterion:
    """One judgement criterion the dialog asks a score for (its notes carry the 0 and 100 anchors)."""

    criterion_id: str
    name: str
    notes: str = ""


@dataclass(frozen=True)
class PostDefaults:
    """The workbook's defaults for the new posts' asset type (Parameters sheet)."""

    asset_label: str
    busy_fraction: float
    mobilisation_minutes: float


class AddOptionDialog(QDialog):
    """Name the option, enter its costs, check its posts' assumptions and score it (or not yet)."""

    def __init__(self, option_id: str, option_name: str, description: str, parent: QWidget | None = None,
                 *, criteria: Sequence[JudgementCriterion] = (), posts: PostDefaults | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add as option")
        self.criteria = list(criteria)
        self.posts = posts
        self.option_id = QLineEdit(option_id)
        self.option_id.setAccessibleName("Option id")
        self.option_name = QLineEdit(option_name)
        self.option_name.setAccessibleName("Option name")
        self.description = QLineEdit(description)
        self.description.setCursorPosition(0)  # show the start of the station list
        self.one_off = self._money("One-off cost")
        self.annual = self._money("Annual cost")
        self.zero_ok = QCheckBox("A cost left at £0 really is £0 (confirm)")
        self.zero_ok.setAccessibleName("Confirm a cost of zero")
        self.months = QDoubleSpinBox()
        self.months.setRange(0, 120)
        self.months.setDecimals(0)
        self.months.setSuffix(" months")
        self.months.setAccessibleName("Time to implement")
        # The fields scroll and the problem line and buttons stay put: at 1366x768 the whole
        # form is taller than the screen, and Qt had squeezed the score rows into each other.
        content = QWidget()
        form = QFormLayout(content)
        note = QLabel("The optimiser chooses stations, not prices: enter the costs the force expects "
                      "(training, equipment, vehicles, overtime) so the option can be compared fairly.")
        note.setWordWrap(True)
        form.addRow(note)
        form.addRow("Option id:", self.option_id)
        form.addRow("Option name:", self.option_name)
        form.addRow("Description:", self.description)
        form.addRow("One-off cost:", self.one_off)
        form.addRow("Annual cost:", self.annual)
        form.addRow("", self.zero_ok)
        form.addRow("Time to implement:", self.months)
        self.busy = QDoubleSpinBox()
        self.mobilisation = QDoubleSpinBox()
        if posts is not None:
            form.addRow(self._posts_box(posts))
        form.addRow(self._scores_box())
        self.problem_label = QLabel("")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(f"color: {palette.ERROR};")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Add to appraisal")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.problem_label)
        outer.addWidget(self.buttons)
        self._fit_to_screen(content)
        for box in (self.one_off, self.annual):
            box.valueChanged.connect(self._update)
        self.zero_ok.toggled.connect(self._update)
        self.score_now.toggled.connect(self._update)
        for spin, why in self.score_widgets.values():
            spin.valueChanged.connect(self._update)
            why.textChanged.connect(self._update)
        self.setMinimumWidth(560)
        self._update()

    def _fit_to_screen(self, content: QWidget) -> None:
        """As tall as the fields need, up to the screen's height; wide enough that no row
        scrolls sideways (the scroll bar's width added)."""
        hint = content.sizeHint()
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        extra = self.problem_label.sizeHint().height() + self.buttons.sizeHint().height() + 48
        height = hint.height() + extra
        if screen is not None:
            height = min(height, screen.height() - 40)
        self.resize(max(600, hint.width() + self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent) + 24),
                    height)

    # ------------------------------------------------------------------ building
    @staticmethod
    def _money(name: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(0, 1e10)
        box.setDecimals(0)
        box.setSingleStep(10_000)
        box.setPrefix("£")
        box.setGroupSeparatorShown(True)
        box.setAccessibleName(name)
        return box

    def _posts_box(self, posts: PostDefaults) -> QGroupBox:
        box = QGroupBox(f"The new {posts.asset_label} posts")
        grid = QFormLayout(box)
        self.busy.setRange(0.0, 0.99)
        self.busy.setDecimals(2)
        self.busy.setSingleStep(0.05)
        self.busy.setValue(posts.busy_fraction)
        self.busy.setAccessibleName("Busy fraction of the new posts")
        self.mobilisation.setRange(0.0, 60.0)
        self.mobilisation.setDecimals(1)
        self.mobilisation.setSuffix(" min")
        self.mobilisation.setValue(posts.mobilisation_minutes)
        self.mobilisation.setAccessibleName("Mobilisation minutes of the new posts")
        hint = QLabel(f"From the workbook's defaults for {posts.asset_label} (Parameters): busy "
                      f"{posts.busy_fraction:.0%} of the time, {posts.mobilisation_minutes:g} minutes to mobilise. "
                      "Change them if these posts will differ.")
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {palette.MUTED_INK};")
        grid.addRow(hint)
        grid.addRow("Busy fraction:", self.busy)
        grid.addRow("Mobilisation:", self.mobilisation)
        return box

    def _scores_box(self) -> QGroupBox:
        box = QGroupBox("Judgement scores (the room's, never another option's)")
        grid = QGridLayout(box)
        self.score_now = QRadioButton("Score it now: a score and a rationale on every judgement criterion")
        self.awaiting = QRadioButton("Leave it awaiting scores (left out of the ranking until scored)")
        group = QButtonGroup(box)
        group.addButton(self.score_now)
        group.addButton(self.awaiting)
        self.awaiting.setChecked(True)
        grid.addWidget(self.score_now, 0, 0, 1, 3)
        grid.addWidget(self.awaiting, 1, 0, 1, 3)
        self.score_widgets: dict[str, tuple[QSpinBox, QLineEdit]] = {}
        for r, c in enumerate(self.criteria, start=2):
            label = QLabel(f"{c.criterion_id} {c.name}")
            # Whole words on two lines if need be: on one line the name ran under the score
            # box and was cut ("C7 Community confidence in the a").
            label.setWordWrap(True)
            label.setMinimumWidth(150)
            label.setToolTip(c.notes)
            spin = QSpinBox()
            spin.setRange(-1, 100)
            spin.setSpecialValueText(NOT_SCORED)
            spin.setValue(-1)
            spin.setSingleStep(5)
            spin.setAccessibleName(f"Score on {c.criterion_id}")
            spin.setToolTip(c.notes)
            why = QLineEdit()
            why.setPlaceholderText("Rationale (required)")
            why.setAccessibleName(f"Rationale for the score on {c.criterion_id}")
            why.setMinimumWidth(200)
            grid.addWidget(label, r, 0)
            grid.addWidget(spin, r, 1)
            grid.addWidget(why, r, 2)
            self.score_widgets[c.criterion_id] = (spin, why)
        if not self.criteria:
            grid.addWidget(QLabel("The workbook has no judgement criteria."), 2, 0, 1, 3)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(2, 3)
        return box

    # ------------------------------------------------------------------ reading
    def zero_costs(self) -> list[str]:
        """The costs left at £0 ("one-off", "annual")."""
        return [name for name, box in (("one-off", self.one_off), ("annual", self.annual)) if box.value() == 0]

    def scores(self) -> dict[str, tuple[float, str]]:
        """criterion_id -> (score, rationale) when scoring now; empty when left awaiting scores."""
        if not self.score_now.isChecked():
            return {}
        return {cid: (float(spin.value()), " ".join(why.text().split()))
                for cid, (spin, why) in self.score_widgets.items()}

    def problem(self) -> str | None:
        """Why the option cannot be added yet (None: it can), in one sentence."""
        zero = self.zero_costs()
        if zero and not self.zero_ok.isChecked():
            return (f"The {' and '.join(zero)} cost {'is' if len(zero) == 1 else 'are'} £0: enter the cost, "
                    "or tick the box to confirm it really is £0.")
        if self.score_now.isChecked():
            for c in self.criteria:
                spin, why = self.score_widgets[c.criterion_id]
                if spin.value() < 0:
                    return f"Give a score on {c.criterion_id} ({c.name}), or leave the option awaiting scores."
                if not why.text().strip():
                    return f"Give the rationale for the score on {c.criterion_id} ({c.name})."
        return None

    def _update(self) -> None:
        for spin, why in self.score_widgets.values():  # scores are entered only when scoring now
            spin.setEnabled(self.score_now.isChecked())
            why.setEnabled(self.score_now.isChecked())
        problem = self.problem()
        self.problem_label.setText(problem or "")
        self.ok_button.setEnabled(problem is None)

    def accept(self) -> None:
        if self.problem() is None:
            super().accept()

    def deployment_overrides(self) -> dict[str, float | None]:
        """busy_fraction / mobilisation_minutes for the new posts: None where left at the default."""
        if self.posts is None:
            return {"busy_fraction": None, "mobilisation_minutes": None}
        busy, mob = float(self.busy.value()), float(self.mobilisation.value())
        return {
            "busy_fraction": None if math.isclose(busy, self.posts.busy_fraction, abs_tol=5e-3) else busy,
            "mobilisation_minutes": (None if math.isclose(mob, self.posts.mobilisation_minutes, abs_tol=5e-2)
                                     else mob),
        }

    def values(self) -> dict[str, Any]:
        """The Options-row fields the room entered (what ``AddedOption`` takes)."""
        return {
            "option_id": " ".join(self.option_id.text().split()),
            "option_name": " ".join(self.option_name.text().split()),
            "description": self.description.text().strip(),
            "one_off_cost_gbp": float(self.one_off.value()),
            "annual_cost_gbp": float(self.annual.value()),
            "implementation_months": float(self.months.value()),
        }
