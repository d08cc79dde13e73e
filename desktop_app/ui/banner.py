"""Protective-marking banners and the force header strip.

UK government systems show the protective marking (e.g. OFFICIAL-SENSITIVE) on a
coloured bar at the top and bottom of every screen, so that anyone looking at a
screen or a screenshot knows how to handle it. The marking comes from the workbook's
``protective_marking`` parameter.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from desktop_app.ui import palette

NO_WORKBOOK_MARKING = "NO WORKBOOK LOADED"


class MarkingBanner(QLabel):
    """A full-width coloured bar carrying the protective marking in capitals."""

    def __init__(self, position: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"markingBanner_{position}")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(24)
        self.setAccessibleName(f"Protective marking ({position})")
        self.set_marking(None)

    def set_marking(self, marking: str | None) -> None:
        text = " ".join(marking.upper().split()) if marking else NO_WORKBOOK_MARKING
        bg, fg = palette.marking_colours(text) if marking else ("#6f777b", "#ffffff")
        self.setText(text)
        self.setAccessibleDescription(f"Protective marking: {text}")
        self.setStyleSheet(
            f"QLabel {{ background: {bg}; color: {fg}; font-weight: 700; letter-spacing: 2px;"
            f" font-size: 9pt; padding: 0; }}"
        )

    def set_loading(self, file_name: str) -> None:
        """While the first workbook loads: say so, rather than "no workbook loaded".

        The marking is not known until the workbook is read, so the bar stays grey.
        """
        text = f"Loading {file_name}…"
        self.setText(text)
        self.setAccessibleDescription(text)

    def marking(self) -> str:
        return self.text()


class ThreatBadge(QLabel):
    """The national threat level as a small coloured badge (e.g. SUBSTANTIAL)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("threatBadge")
        self.setAccessibleName("Threat level")
        self.set_level(None)

    def set_level(self, level: str | None) -> None:
        if not level:
            self.setText("")
            self.setVisible(False)
            return
        colour = palette.THREAT_COLOURS.get(level.upper(), palette.MUTED_INK)
        self.setText(f"Threat level: {level.upper()}")
        self.setStyleSheet(
            f"QLabel {{ background: {colour}; color: white; font-weight: 700; border-radius: 3px;"
            f" padding: 3px 10px; }}"
        )
        self.setVisible(True)


class ForceHeader(QWidget):
    """The strip under the top banner: force name, the file and the threat level."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("forceHeader")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 4, 12, 4)
        layout.setSpacing(12)
        self.title = QLabel("Armed Policing Options Appraisal")
        self.title.setObjectName("forceTitle")
        self.subtitle = QLabel("Open a force workbook to begin")
        self.subtitle.setObjectName("forceSubtitle")
        # The detail line gives way first when the window is narrow.
        self.subtitle.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.subtitle.setMinimumWidth(60)
        #: Whose weights the appraisal is under (empty when nothing is appraised).
        self.weights = QLabel("")
        self.weights.setObjectName("forceWeights")
        self.weights.setAccessibleName("Weights in use")
        self.weights.setVisible(False)
        self.badge = ThreatBadge()
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle, 1)
        layout.addWidget(self.weights)
        layout.addWidget(self.badge)
        self._layout = layout

    def add_toolbar(self, toolbar: QWidget) -> None:
        """Place the main toolbar in the strip, before the threat badge."""
        self._layout.insertWidget(self._layout.indexOf(self.badge), toolbar)

    def set_weights(self, name: str | None) -> None:
        """Name the weights the figures on screen are under (None: nothing appraised)."""
        self.weights.setText(name or "")
        self.weights.setToolTip(f"The appraisal on screen is under: {name}" if name else "")
        self.weights.setVisible(bool(name))

    def set_force(self, force_name: str | None, detail: str, threat_level: str | None) -> None:
        self.title.setText(force_name or "Armed Policing Options Appraisal")
        self.subtitle.setText(detail)
        self.badge.set_level(threat_level)
