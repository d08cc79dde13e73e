"""A colour key whose entries flow onto as many rows as the width needs.

The ranking chart's criteria key was a pyqtgraph legend in one column beside the bars:
at 1366x768 it held eight of the nine criteria and cut the ninth, and on a narrower
window it was hidden altogether. As widgets in a :class:`FlowLayout` (Qt's flow layout
example: left to right, wrapping, with height-for-width) every entry shows at any
width, each name whole (a name wider than the key wraps within its entry).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QLayoutItem, QSizePolicy, QWidget

from desktop_app.ui import palette


class FlowLayout(QLayout):
    """Items left to right, wrapping onto a new row when the next one would not fit."""

    def __init__(self, parent: QWidget | None = None, h_spacing: int = 14, v_spacing: int = 2) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._h = h_spacing
        self._v = v_spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None  # type: ignore[return-value]

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Place (or only measure) the items in ``rect``'s width; the height they take."""
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, row_h = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            w = min(hint.width(), max(area.width(), 1))
            h = item.heightForWidth(w) if item.hasHeightForWidth() else hint.height()
            if x > area.x() and x + w > area.right() + 1:
                x, y, row_h = area.x(), y + row_h + self._v, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), QSize(w, h)))
            x += w + self._h
            row_h = max(row_h, h)
        return y + row_h - rect.y() + m.bottom()


class KeyEntry(QWidget):
    """One swatch and its name."""

    def __init__(self, name: str, colour: str, point_size: float = 8.5, parent: QWidget | None = None, *,
                 swatch: int = 12, bold: bool = False) -> None:
        super().__init__(parent)
        self._swatch_px = swatch
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(5)
        self.swatch = QLabel()
        self.swatch.setFixedSize(swatch, swatch)
        self.swatch.setStyleSheet(f"background: {colour}; border: 1px solid {palette.INK};")
        self.label = QLabel(name)
        self.label.setWordWrap(True)  # wider than the key: wraps, never cut
        font = self.label.font()
        font.setPointSizeF(point_size)
        font.setBold(bold)
        self.label.setFont(font)
        lay.addWidget(self.swatch, 0, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.label, 1)
        self.setAccessibleName(name)
        self.setToolTip(name)

    def sizeHint(self) -> QSize:  # noqa: N802
        fm = self.label.fontMetrics()
        return QSize(self._swatch_px + 5 + fm.horizontalAdvance(self.label.text()) + 4,
                     max(self._swatch_px + 2, fm.height()))

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return max(self._swatch_px + 2, self.label.heightForWidth(max(width - self._swatch_px - 5, 20)))


class ColourKey(QWidget):
    """A flowing key of (name, colour) entries, e.g. the ranking chart's criteria."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None, *, point_size: float = 8.5,
                 swatch: int = 12, bold: bool = False, h_spacing: int = 14, lead: str = "") -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self._style = (point_size, swatch, bold)
        #: Words before the entries saying what they key ("Value for money markers:").
        self._lead = lead
        self.flow = FlowLayout(self, h_spacing=h_spacing)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._entries: list[tuple[str, str]] = []

    def set_entries(self, entries: list[tuple[str, str]]) -> None:
        if entries == self._entries:
            return
        while self.flow.count():
            item: QLayoutItem | None = self.flow.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        pt, swatch, bold = self._style
        if self._lead and entries:  # no lead-in over an empty key (no workbook open)
            lead = QLabel(self._lead)
            font = lead.font()
            font.setPointSizeF(pt)
            lead.setFont(font)
            self.flow.addWidget(lead)
        for name, colour in entries:
            self.flow.addWidget(KeyEntry(name, colour, pt, swatch=swatch, bold=bold))
        self._entries = list(entries)
        self.updateGeometry()

    def entries(self) -> list[KeyEntry]:
        """The entry widgets in order (for tests)."""
        out = []
        for i in range(self.flow.count()):
            item = self.flow.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, KeyEntry):
                out.append(widget)
        return out

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self.flow.heightForWidth(width)

    def sizeHint(self) -> QSize:  # noqa: N802
        width = max(self.width(), 200)
        return QSize(width, self.flow.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(60, self.flow.heightForWidth(max(self.width(), 200)))


class FlowRow(QWidget):
    """A row of controls that flows onto more rows when the window is too narrow for it.

    Each group (a label and its control, say) stays together on one row, and every group
    is as tall as the tallest, so a row's controls line up. The Coverage view's controls
    need 1,182 px in one row and the Optimiser's 1,336: at 1024 px each view used to
    scroll sideways, cutting its sentences.
    """

    def __init__(self, parent: QWidget | None = None, *, h_spacing: int = 16, v_spacing: int = 4) -> None:
        super().__init__(parent)
        self.flow = FlowLayout(self, h_spacing=h_spacing, v_spacing=v_spacing)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._groups: list[QWidget] = []

    def add_group(self, *widgets: QWidget | str) -> QWidget:
        """One group, left to right; a string is a label (its buddy the next widget, when
        it has an ``&`` shortcut)."""
        group = QWidget()
        box = QHBoxLayout(group)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(8)
        pending: QLabel | None = None
        for w in widgets:
            if isinstance(w, str):
                pending = QLabel(w)
                box.addWidget(pending)
                continue
            if pending is not None and "&" in pending.text():
                pending.setBuddy(w)
            pending = None
            box.addWidget(w)
        self._groups.append(group)
        self.flow.addWidget(group)
        height = max(g.sizeHint().height() for g in self._groups)
        for g in self._groups:
            g.setMinimumHeight(height)
        return group

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self.flow.heightForWidth(width)

    def sizeHint(self) -> QSize:  # noqa: N802
        width = max(self.width(), 400)
        return QSize(width, self.flow.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.flow.minimumSize().width(), self.flow.heightForWidth(max(self.width(), 400)))
