"""Protective-marking banners and the force header strip.

UK government systems show the protective marking (e.g. OFFICIAL-SENSITIVE) on a
coloured bar at the top and bottom of every screen, so that anyone looking at a
screen or a screenshot knows how to handle it. The marking comes from the workbook's
``protective_marking`` parameter.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFontMetrics
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

    #: The badge's words: in full, and the short form a narrow window shows (1024 pixels).
    FULL, SHORT = "Threat level: {}", "Threat: {}"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("threatBadge")
        self.setAccessibleName("Threat level")
        self.level = ""
        self.compact = False
        self.set_level(None)

    def set_compact(self, compact: bool) -> None:
        """Short words ("Threat: SUBSTANTIAL") when the header has no room for the full ones."""
        if compact != self.compact:
            self.compact = compact
            if self.level:
                self.setText((self.SHORT if compact else self.FULL).format(self.level))

    def full_width(self) -> int:
        """The badge's width with the full words, whichever it shows now."""
        if not self.compact or not self.level:
            return self.sizeHint().width()
        fm = self.fontMetrics()
        return self.sizeHint().width() + fm.horizontalAdvance(self.FULL.format(self.level)) - \
            fm.horizontalAdvance(self.SHORT.format(self.level))

    def set_level(self, level: str | None) -> None:
        if not level:
            self.level = ""
            self.setText("")
            self.setVisible(False)
            return
        colour = palette.THREAT_COLOURS.get(level.upper(), palette.MUTED_INK)
        self.level = level.upper()
        self.setText((self.SHORT if self.compact else self.FULL).format(self.level))
        self.setAccessibleDescription(f"Threat level: {self.level}")
        self.setStyleSheet(
            f"QLabel {{ background: {colour}; color: white; font-weight: 700; border-radius: 3px;"
            f" padding: 3px 10px; }}"
        )
        self.setVisible(True)


class ForceHeader(QWidget):
    """The strip under the top banner: force name, the file and the threat level."""

    #: Pixels between the strip's parts; fewer when it is short of room.
    SPACING, SPACING_COMPACT = 12, 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("forceHeader")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 4, 12, 4)
        layout.setSpacing(self.SPACING)
        self.title = QLabel("Armed Policing Options Appraisal")
        self.title.setObjectName("forceTitle")
        self.subtitle = QLabel("Open a force workbook to begin")
        self.subtitle.setObjectName("forceSubtitle")
        # The detail line gives way first when the window is narrow.
        self.subtitle.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.subtitle.setMinimumWidth(60)
        self.subtitle.installEventFilter(self)
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
        self._toolbar = toolbar

    def _fit_compact(self) -> None:
        """Narrower than the strip needs (a 1024-pixel projector), give the toolbar its room:
        the detail line goes (the file name is also in the status bar) and the badge says
        "Threat: ..."; the toolbar had hidden "Export chart…" behind a sliver of a button."""
        toolbar = getattr(self, "_toolbar", None)
        if toolbar is None:
            return
        m = self._layout.contentsMargins()
        shown = [self.title, toolbar] + [w for w in (self.weights, self.badge) if not w.isHidden()]
        need = (m.left() + m.right() + self.SPACING * len(shown) + self.subtitle.minimumWidth()
                + sum(w.sizeHint().width() for w in shown if w is not self.badge)
                + (self.badge.full_width() if not self.badge.isHidden() else 0))
        compact = self.width() < need
        self.badge.set_compact(compact)
        self.subtitle.setVisible(not compact)
        self._layout.setSpacing(self.SPACING_COMPACT if compact else self.SPACING)
        self._fit_weights(compact, toolbar, m.left() + m.right())

    def _fit_weights(self, compact: bool, toolbar: QWidget, margins: int) -> None:
        """A long weights name ("Weights set in the workshop, from Police Federation") goes
        onto two or three lines rather than push the toolbar's Export buttons out of sight;
        it is never cut, since it says whose weights the figures are under."""
        natural = self.weights.fontMetrics().horizontalAdvance(self.weights.text()) + 4
        others = [self.title, toolbar] + ([self.badge] if not self.badge.isHidden() else [])
        room = (self.width() - margins - self._layout.spacing() * (len(others) + 1)
                - sum(w.sizeHint().width() for w in others))
        wrap = compact and not self.weights.isHidden() and natural > room
        self.weights.setWordWrap(wrap)
        self.weights.setMaximumWidth(max(room, 150) if wrap else 16777215)

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit_compact()

    def set_weights(self, name: str | None) -> None:
        """Name the weights the figures on screen are under (None: nothing appraised)."""
        self.weights.setText(name or "")
        self.weights.setToolTip(f"The appraisal on screen is under: {name}" if name else "")
        self.weights.setVisible(bool(name))
        self._fit_compact()

    def set_force(self, force_name: str | None, detail: str, threat_level: str | None) -> None:
        self.title.setText(force_name or "Armed Policing Options Appraisal")
        self._detail = detail
        self._fit_detail()
        self.badge.set_level(threat_level)
        self._fit_compact()

    #: Between the detail line's parts ("borderdale.xlsx · 989 areas · ...").
    SEPARATOR = "  ·  "

    def detail(self) -> str:
        """The whole detail line, whatever fits on screen (the tooltip says it too)."""
        return getattr(self, "_detail", "")

    def _fit_detail(self) -> None:
        """Show as many whole parts of the detail line as fit, never a part cut mid-word.

        Parts go from the end first (the target, then the counts); the file name, when even
        it does not fit alone, is elided with "…". The whole line is the tooltip.
        """
        detail = self.detail()
        shown = fit_parts(detail, self.SEPARATOR, self.subtitle.fontMetrics(), max(self.subtitle.width(), 1))
        if shown != self.subtitle.text():
            self.subtitle.setText(shown)
        self.subtitle.setToolTip(detail if shown != detail else "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.subtitle and event.type() == QEvent.Type.Resize:
            self._fit_detail()  # the line's room changes with the window and the weights' name
        return False


def fit_parts(text: str, separator: str, fm: QFontMetrics, width: int) -> str:
    """As many whole ``separator``-joined parts of ``text`` as fit ``width`` pixels, from the start.

    When even the first part does not fit it is elided with "…".
    """
    parts = text.split(separator)
    while len(parts) > 1 and fm.horizontalAdvance(separator.join(parts)) > width:
        parts.pop()
    shown = separator.join(parts)
    if fm.horizontalAdvance(shown) > width:
        shown = fm.elidedText(shown, Qt.TextElideMode.ElideRight, width)
    return shown
