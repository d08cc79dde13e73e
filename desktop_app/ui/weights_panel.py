"""The swing-weights panel: one slider and spin box per criterion, with its normalised %.

Swing weights say how much moving from the worst to the best option on a criterion
matters. People set them as raw numbers (often 0-100); what counts is each weight's
share of the total, shown beside every slider and for each criterion group, so the
room can see what "30" actually means.

Hooks for undo and workshop mode: every edit goes through ``weight_setter(cid, value)``
(``AppState.set_weight`` by default), and ``drag_started``/``drag_finished`` bracket a
slider drag so an undo stack can merge it into one step.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui import palette
from desktop_app.ui.layouts import clear_layout
from desktop_app.ui.state import AppState

SLIDER_MAX = 100


def slider_maximum(weights: list[float]) -> int:
    """A slider end that gives the workbook's weights room to move both ways.

    Two and a half times the largest weight, rounded up to a multiple of 10 (so 18 -> 50):
    a 0-100 track for weights of 5-20 would bunch every handle at the left end.
    """
    top = max([0.0, *weights])
    if top <= 0:
        return SLIDER_MAX
    return int(max(10, math.ceil(top * 2.5 / 10) * 10))


class _Row:
    """Widgets of one criterion's weight."""

    def __init__(self, cid: str, name: str, colour: str, maximum: float) -> None:
        self.cid = cid
        self.swatch = QLabel()
        self.swatch.setFixedSize(10, 18)
        self.swatch.setStyleSheet(f"background: {colour}; border-radius: 2px;")
        self.label = QLabel(name)
        self.label.setToolTip(name)
        self.label.setWordWrap(True)
        self.label.setMinimumWidth(130)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, int(maximum))
        self.slider.setPageStep(5)
        self.slider.setMinimumWidth(80)
        self.slider.setAccessibleName(f"Weight of {name}")
        self.spin = QDoubleSpinBox()
        self.spin.setRange(0.0, float(max(SLIDER_MAX, maximum) * 10))
        self.spin.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)
        self.spin.setDecimals(1)
        self.spin.setSingleStep(1.0)
        self.spin.setKeyboardTracking(False)
        self.spin.setFixedWidth(56)
        self.spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.spin.setAccessibleName(f"Weight of {name} (number)")
        self.percent = QLabel("")
        self.percent.setObjectName("weightPercent")
        self.percent.setFixedWidth(46)
        self.percent.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.percent.setAccessibleName(f"Normalised weight of {name}")
        self.label.setBuddy(self.slider)

    def show(self, raw: float, share: float) -> None:
        for w in (self.slider, self.spin):
            w.blockSignals(True)
        if self.slider.maximum() < raw:
            self.slider.setMaximum(int(raw) + 1)
        self.slider.setValue(int(round(raw)))
        self.spin.setValue(raw)
        for w in (self.slider, self.spin):
            w.blockSignals(False)
        self.percent.setText(f"{share:.0%}" if share >= 0.0995 or share == 0 else f"{share:.1%}")


class WeightsPanel(QWidget):
    """Sliders for every criterion, grouped, with group subtotals and a reset button."""

    drag_started = Signal(str)
    drag_finished = Signal(str)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.rows: dict[str, _Row] = {}
        self.group_labels: dict[str, tuple[QLabel, list[str]]] = {}
        self.weight_setter: Callable[[str, float], None] = state.set_weight

        title = QLabel("Swing weights")
        title.setObjectName("sectionHeading")
        title.setToolTip("Swing weights: how much does moving from the worst to the best option "
                         "on each criterion matter? The % is each weight's share of the total.")
        self.reset_button = QPushButton("Reset to workbook")
        self.reset_button.setToolTip("Put every weight back to the Criteria sheet's value")
        self.reset_button.setAccessibleName("Reset weights to the workbook's values")
        self.reset_button.clicked.connect(self.reset)
        #: Extra controls (e.g. a weight-set selector) go in this row.
        self.header_layout = QHBoxLayout()
        self.header_layout.addWidget(title)
        self.header_layout.addStretch(1)
        self.header_layout.addWidget(self.reset_button)

        self.grid_host = QWidget()
        self.grid_host.setObjectName("weightsGrid")
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 4, 0)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(1, 5)
        self.grid.setColumnStretch(2, 3)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.grid_host)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.viewport().setStyleSheet("background: #ffffff;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.header_layout)
        layout.addWidget(scroll, 1)

        state.inputs_changed.connect(self.rebuild)
        state.weights_changed.connect(self.show_weights)
        self.rebuild()

    # ---------------------------------------------------------------- build
    def rebuild(self) -> None:
        clear_layout(self.grid)
        self.rows = {}
        self.group_labels = {}
        inputs = self.state.inputs
        if inputs is None:
            self.reset_button.setEnabled(False)
            return
        self.reset_button.setEnabled(True)
        criteria = inputs.criteria
        maximum = slider_maximum([float(w) for w in criteria["weight"]])
        order: dict[str, list[int]] = {}
        for i, g in enumerate(criteria["group"].astype(str)):
            order.setdefault(g, []).append(i)
        r = 0
        previous: QWidget | None = None
        for group, indices in order.items():
            heading = QLabel(group or "Criteria")
            heading.setObjectName("groupHeading")
            self.grid.addWidget(heading, r, 0, 1, 5)
            self.group_labels[group] = (heading, [str(criteria["criterion_id"].iloc[i]) for i in indices])
            r += 1
            for i in indices:
                cid = str(criteria["criterion_id"].iloc[i])
                row = _Row(cid, str(criteria["criterion_name"].iloc[i]), palette.criterion_colour(i), maximum)
                self.grid.addWidget(row.swatch, r, 0)
                self.grid.addWidget(row.label, r, 1)
                self.grid.addWidget(row.slider, r, 2)
                self.grid.addWidget(row.spin, r, 3)
                self.grid.addWidget(row.percent, r, 4)
                row.slider.valueChanged.connect(lambda v, c=cid: self._edited(c, float(v)))
                row.spin.valueChanged.connect(lambda v, c=cid: self._edited(c, float(v)))
                row.slider.sliderPressed.connect(lambda c=cid: self.drag_started.emit(c))
                row.slider.sliderReleased.connect(lambda c=cid: self.drag_finished.emit(c))
                if previous is not None:
                    QWidget.setTabOrder(previous, row.slider)
                QWidget.setTabOrder(row.slider, row.spin)
                previous = row.spin
                self.rows[cid] = row
                r += 1
        self.grid.setRowStretch(r, 1)
        self.show_weights()

    def show_weights(self) -> None:
        shares = self.state.normalised_weights()
        for cid, row in self.rows.items():
            row.show(self.state.weights.get(cid, 0.0), shares.get(cid, 0.0))
        for group, (label, cids) in self.group_labels.items():
            total = sum(shares.get(c, 0.0) for c in cids)
            label.setText(f"{group or 'Criteria'}  ·  {total:.0%}")

    # ---------------------------------------------------------------- edits
    def _edited(self, cid: str, value: float) -> None:
        if abs(self.state.weights.get(cid, 0.0) - value) < 1e-9:
            return
        self.weight_setter(cid, value)

    def reset(self) -> None:
        self.state.set_weights(self.state.workbook_weights())

    def set_slider(self, cid: str, value: int) -> None:
        """Move one slider as a user would (tests, workshop remote controls)."""
        self.rows[cid].slider.setValue(value)
