"""The Coverage view's row of controls: option, what to show, day, hour and difference.

The hour slider and the day list go through a short single-shot timer before the map is
redrawn, so a burst of key presses or a drag costs one redraw, not one per step (issue
16: on a national workbook eight presses used to queue for 10-15 s). Everything else
redraws at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QSlider,
    QWidget,
)

from desktop_app.core.coverage.units import DAY_SHORT
from desktop_app.ui.coverage_values import ALL_DAY, BUSY, MODES, hour_label
from desktop_app.ui.flow_key import FlowRow

#: Milliseconds the hour slider waits for the next key press before redrawing.
COALESCE_MS = 40


class CoverageControls(FlowRow):
    """Emits ``changed`` when the map must be redrawn and ``mode_changed`` for the switch."""

    changed = Signal()
    mode_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.option_combo = QComboBox()
        self.option_combo.setAccessibleName("Option shown on the map")
        self.option_combo.setMinimumContentsLength(22)
        self.option_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.option_combo.currentIndexChanged.connect(self.changed)
        self.hour_slider = QSlider(Qt.Orientation.Horizontal)
        self.hour_slider.setRange(ALL_DAY, 23)
        self.hour_slider.setValue(ALL_DAY)
        self.hour_slider.setPageStep(6)
        self.hour_slider.setTickInterval(6)
        self.hour_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.hour_slider.setMinimumWidth(140)
        self.hour_slider.setAccessibleName("Hour of day (leftmost: all day)")
        self.hour_label = QLabel(hour_label(ALL_DAY))
        self.hour_label.setMinimumWidth(115)
        self.day_combo = QComboBox()
        self.day_combo.setAccessibleName("Day of the week")
        for d in DAY_SHORT:
            self.day_combo.addItem(d)
        self.day_combo.setEnabled(False)
        self.mode_combo = QComboBox()
        self.mode_combo.setAccessibleName("Cover shown: allowing for busy units, if every unit were free, or a second officer")
        for key, text in MODES:
            self.mode_combo.addItem(text, key)
        self.mode_combo.currentIndexChanged.connect(self.mode_changed)
        self.diff_check = QCheckBox("Difference from baseline")
        self.diff_check.setAccessibleName("Show difference from baseline")
        self.diff_check.setToolTip("Colour each area by how much faster or slower it is reached than under the baseline")
        self.diff_check.toggled.connect(self.changed)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(COALESCE_MS)
        self.timer.timeout.connect(self.changed)
        self.hour_slider.valueChanged.connect(self._hour_moved)
        self.day_combo.currentIndexChanged.connect(self._hour_moved)

        # The controls flow onto a second row when the window is narrow (FlowRow).
        self.add_group("&Option", self.option_combo)
        self.add_group("&Show", self.mode_combo)
        self.add_group("&Day", self.day_combo)
        self.add_group("&Hour", self.hour_slider, self.hour_label)
        self.add_group(self.diff_check)
        self.setTabOrder(self.option_combo, self.mode_combo)
        self.setTabOrder(self.mode_combo, self.day_combo)
        self.setTabOrder(self.day_combo, self.hour_slider)
        self.setTabOrder(self.hour_slider, self.diff_check)

    def _hour_moved(self) -> None:
        hour = int(self.hour_slider.value())
        self.hour_label.setText(hour_label(hour))
        self.day_combo.setEnabled(hour != ALL_DAY)
        self.timer.start()  # restarts: a burst of presses redraws once, after the last

    def flush(self) -> None:
        """Redraw now if an hour change is waiting (tests, screenshots, exports)."""
        if self.timer.isActive():
            self.timer.stop()
            self.changed.emit()

    def current_option(self) -> str | None:
        data = self.option_combo.currentData()
        return str(data) if data is not None else None

    def current_hour(self) -> int:
        """Hour of the day on the slider (ALL_DAY for the whole week)."""
        return int(self.hour_slider.value())

    def current_mode(self) -> str:
        return str(self.mode_combo.currentData() or BUSY)

    def week_hour(self, hour: int | None = None) -> int:
        """Hour of the week (0 = Monday 00:00) for the chosen day and hour; ALL_DAY stays."""
        hour = self.current_hour() if hour is None else hour
        return ALL_DAY if hour == ALL_DAY else 24 * self.day_combo.currentIndex() + hour
