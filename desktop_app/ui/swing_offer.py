"""The offer to keep swings' meaning when a local scale's ends move (non-modal).

docs/appraisal-method.md#scales. An added option, or an option scored out of *awaiting
scores*, can move a local scale's ends; the same weight then buys a different swing.
This info bar says which criteria's swings changed, from what to what, and offers to
rescale each weight by new range / old range as one undoable step
(:class:`~desktop_app.core.session.undo.RescaleSwings`, pushed through
``AppState.push_command``). It never blocks: tests and the room can ignore it.
"""

from __future__ import annotations

from html import escape as esc

from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.core.appraisal.swings import SwingChange, swing_text
from desktop_app.core.session.undo import RescaleSwings
from desktop_app.ui import palette
from desktop_app.ui.charts import point_font
from desktop_app.ui.flow_key import FlowLayout
from desktop_app.ui.state import AppState


class SwingOffer(QFrame):
    """"The swings of X and Y changed ... [Keep the swings] [Keep the weights]"."""

    def __init__(self, state: AppState, *, large: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName("swingOffer")
        self.setStyleSheet(f"QFrame#swingOffer {{ background: #fff7e6; border: 2px solid {palette.WARNING}; "
                           "border-radius: 4px; }")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setFont(point_font(12 if large else 9))
        self.message.setStyleSheet(f"color: {palette.INK}; background: transparent;")
        self.keep_swings = QPushButton("Keep the swings (rescale weights)")
        self.keep_swings.setToolTip("Set each weight to weight x new range / old range, so it buys the same swing "
                                    "as before; one step on the undo stack")
        self.keep_weights = QPushButton("Keep the weights")
        self.keep_weights.setToolTip("Leave the weights as they are (they now swing across the new ranges)")
        self.keep_swings.clicked.connect(self.accept)
        self.keep_weights.clicked.connect(state.dismiss_swing_changes)
        # The buttons flow onto a second line when the panel is narrow: side by side they
        # made the offer wider than the weights panel at 1366x768, cutting its text and buttons.
        buttons = FlowLayout(h_spacing=6, v_spacing=4)
        buttons.addWidget(self.keep_swings)
        buttons.addWidget(self.keep_weights)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        state.swings_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        changes = self.state.swing_changes
        self.setVisible(bool(changes))
        if not changes:
            return
        names = self.state.criterion_names()
        inputs = self.state.inputs
        measures = dict(zip(inputs.criteria["criterion_id"].astype(str), inputs.criteria["measure"].astype(str),
                            strict=True)) if inputs is not None else {}
        def ends(scale: object, cid: str) -> str:
            return esc(swing_text(scale, measures.get(cid, "")).replace(" (local)", ""))  # type: ignore[arg-type]

        lines = [f"<b>{esc(names.get(c.criterion_id, c.criterion_id))}</b>: now {ends(c.new, c.criterion_id)} "
                 f"(was {ends(c.old, c.criterion_id)})" for c in changes]
        n = len(changes)
        self.message.setText(f"The options on the table moved {n} local scale{'s' if n != 1 else ''}, so "
                             f"{'these weights now buy' if n != 1 else 'this weight now buys'} a different swing:<br>"
                             + "<br>".join(lines))
        self.keep_swings.setText(f"Keep the swing{'s' if n != 1 else ''} (rescale {n} weight{'s' if n != 1 else ''})")

    def command(self) -> RescaleSwings | None:
        """The rescale for the weights on the sliders now (a weight moved since the offer counts as moved)."""
        changes = self.state.swing_changes
        if not changes:
            return None
        weights = self.state.weights
        now = tuple(SwingChange(c.criterion_id, c.old, c.new, float(weights.get(c.criterion_id, 0.0)),
                                float(weights.get(c.criterion_id, 0.0)) * c.factor) for c in changes)
        names = self.state.criterion_names()
        return RescaleSwings(now, self.state.active_weight_set, tuple(names.get(c.criterion_id, c.criterion_id)
                                                                       for c in now))

    def accept(self) -> None:
        command = self.command()
        self.state.dismiss_swing_changes()
        if command is not None and not command.is_noop:
            self.state.push_command(command)
