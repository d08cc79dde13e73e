"""The swing-weights panel of the Appraisal view: the value tree's sliders and a reset.

Swing weights say how much moving from the worst to the best option on a criterion
matters. People set them as raw numbers (often 0-100); what counts is each weight's
share, shown beside every slider: with a value tree, each branch's share of the total
and each criterion's share within its branch and overall (docs/appraisal-method.md#value-tree).
The sliders themselves are :class:`~desktop_app.ui.tree_weights.TreeWeights`, the same
widget workshop mode shows, so the tree has one home.

Hooks for undo and workshop mode: every edit goes through ``weight_setter(cid, value)``
(``AppState.set_weight`` by default), and ``drag_started``/``drag_finished`` bracket a
slider drag so an undo stack can merge it into one step.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.state import AppState
from desktop_app.ui.tree_weights import SLIDER_MAX, TreeWeights, WeightRow, slider_maximum

__all__ = ["SLIDER_MAX", "WeightsPanel", "slider_maximum"]


class WeightsPanel(QWidget):
    """The tree (or flat list) of weight sliders under a heading, with a reset button."""

    drag_started = Signal(str)
    drag_finished = Signal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        title = QLabel("Swing weights")
        title.setObjectName("sectionHeading")
        title.setToolTip("Swing weights: how much does moving from one end of each criterion's scale to the "
                         "other matter? With a value tree, each branch's slider sets its share of the total "
                         "and each criterion's its share within the branch.")
        self.reset_button = QPushButton("Reset to workbook")
        self.reset_button.setToolTip("Put every weight (and branch weight) back to the workbook's value")
        self.reset_button.setAccessibleName("Reset weights to the workbook's values")
        self.reset_button.clicked.connect(self.reset)
        #: Extra controls (e.g. a weight-set selector) go in this row.
        self.header_layout = QHBoxLayout()
        self.header_layout.addWidget(title)
        self.header_layout.addStretch(1)
        self.header_layout.addWidget(self.reset_button)

        self.tree = TreeWeights(state)
        self.tree.setObjectName("weightsGrid")
        self.tree.drag_started.connect(self.drag_started.emit)
        self.tree.drag_finished.connect(self.drag_finished.emit)
        self.grid_host = self.tree
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.tree)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.viewport().setStyleSheet("background: #ffffff;")
        self.scroll_area = scroll

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.header_layout)
        layout.addWidget(scroll, 1)
        state.inputs_changed.connect(self._enable)
        self._enable()

    def _enable(self) -> None:
        self.reset_button.setEnabled(self.state.inputs is not None)

    @property
    def rows(self) -> dict[str, WeightRow]:
        """Criterion id -> its row (``slider``, ``spin``, ``percent``: share of the total)."""
        return self.tree.rows

    @property
    def branch_rows(self) -> dict[str, WeightRow]:
        return self.tree.branch_rows

    @property
    def group_labels(self) -> dict[str, tuple[QLabel, list[str]]]:
        return self.tree.group_labels

    @property
    def weight_setter(self) -> Callable[[str, float], None]:
        return self.tree.weight_setter

    @weight_setter.setter
    def weight_setter(self, setter: Callable[[str, float], None]) -> None:
        self.tree.weight_setter = setter
        self.tree.rebuild()  # the rows' connections take the new setter

    def rebuild(self) -> None:
        self.tree.rebuild()

    def show_weights(self) -> None:
        self.tree.show_weights()

    def reset(self) -> None:
        ws = self.state.workshop
        ws.set_weights(self.state.workbook_weights(), ws.workbook_group_weights)  # one change, one undo step

    def set_slider(self, cid: str, value: int) -> None:
        """Move one slider as a user would (tests, workshop remote controls)."""
        self.tree.set_slider(cid, value)
