"""Columns as wide as their cells on one line, headers on two lines when the row is short.

Qt's stretching columns share a table's width equally, whatever is in them. At 1024x768
the Scenarios view's costs ("£1,966,000 → £1,966,000", 175 px) wrapped onto two lines in
153 px columns, which made the rows taller and pushed the last option out of sight, and
a 173 px header was cut to "0th percentile (min", while the percentages beside them had
50 px to spare. Here each column gets what its cells need on one line, a header wider
than its cells breaks onto two lines only when the columns would not fit otherwise, and
the width left over is shared out. A table still too narrow scrolls sideways (Qt shows
the scroll bar); nothing is cut.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableWidget

from desktop_app.ui.charts import wrap_name

#: Where a header item keeps its full, one-line text once it is shown on two lines.
FULL_TEXT = Qt.ItemDataRole.UserRole + 1


def two_line_break(text: str, fm: QFontMetrics) -> str:
    """``text`` broken at the space that makes its longer line shortest (unchanged if one word)."""
    words = text.split()
    best, best_width = text, fm.horizontalAdvance(text)
    for i in range(1, len(words)):
        first, second = " ".join(words[:i]), " ".join(words[i:])
        width = max(fm.horizontalAdvance(first), fm.horizontalAdvance(second))
        if width < best_width:
            best, best_width = first + "\n" + second, width
    return best


def header_text(table: QTableWidget, column: int) -> str:
    """The column's header as set, on one line (whether or not it is shown on two)."""
    item = table.horizontalHeaderItem(column)
    if item is None:
        return ""
    shown, stored = str(item.text()), item.data(FULL_TEXT)
    # A label set since the last fit (setHorizontalHeaderLabels re-uses the items) is the
    # new full text; the stored one only while the shown text is it, on one or two lines.
    if stored and shown.replace("\n", " ") == str(stored):
        return str(stored)
    return shown


def content_height(table: QTableWidget) -> int:
    """The height that shows every row and the header, with no empty space below the rows."""
    table.resizeRowsToContents()  # the rows' heights now, not at the next layout
    height = table.horizontalHeader().sizeHint().height() + table.verticalHeader().length() + 2 * table.frameWidth()
    if table.horizontalScrollBar().isVisible():
        height += table.horizontalScrollBar().height()
    return height


def _cell_widths(table: QTableWidget) -> list[int]:
    """Each column's widest cell on one line (and its grid line)."""
    grid = 1 if table.showGrid() else 0
    return [max((table.sizeHintForIndex(table.model().index(r, c)).width() for r in range(table.rowCount())),
                default=0) + grid for c in range(table.columnCount())]


def _bold_metrics(header: QHeaderView) -> QFontMetrics:
    font = header.font()
    font.setBold(True)  # the stylesheet's header weight
    return QFontMetrics(font)


def _lines_width(fm: QFontMetrics, text: str) -> int:
    return max((fm.horizontalAdvance(line) for line in text.split("\n")), default=0)


def least_columns_width(table: QTableWidget) -> int:
    """The narrowest the columns can be with nothing cut: each as wide as its one-line
    cells, and its header on whichever of one or two lines is narrower."""
    header = table.horizontalHeader()
    fm = _bold_metrics(header)
    total = 0
    for c, cell in enumerate(_cell_widths(table)):
        item = table.horizontalHeaderItem(c)
        if item is None:
            total += cell
            continue
        full = header_text(table, c)
        pad = header.sectionSizeFromContents(c).width() - _lines_width(fm, item.text())
        head = min(fm.horizontalAdvance(full), _lines_width(fm, two_line_break(full, fm))) + pad
        total += max(cell, head)
    return total


def wrap_row_names(table: QTableWidget, names: list[str], widths: tuple[int, ...] = (26, 20, 15, 11)) -> None:
    """Row names wrapped at the widest of ``widths`` characters a line that leaves the
    columns room beside them (the narrowest if none does), so a narrow window gives the
    figures room by putting the names on more lines rather than scrolling sideways."""
    vh = table.verticalHeader()
    fm = _bold_metrics(vh)
    labels = [wrap_name(n, widths[0]) for n in names]
    table.setVerticalHeaderLabels(labels)
    if not names:
        return
    pad = max(vh.sectionSizeFromContents(r).width() - _lines_width(fm, labels[r]) for r in range(len(names)))
    bar = table.verticalScrollBar()
    room = table.width() - 2 * table.frameWidth() - (bar.sizeHint().width() if bar.isVisible() else 0)
    columns = least_columns_width(table)
    for width in widths:
        labels = [wrap_name(n, width) for n in names]
        if max(_lines_width(fm, t) for t in labels) + pad + columns <= room:
            break
    table.setVerticalHeaderLabels(labels)


def fit_columns(table: QTableWidget) -> None:
    """Size ``table``'s columns to their one-line cells, wrapping headers only if needed.

    Call it after the cells are filled; :class:`ColumnFitter` calls it again on resize.
    """
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(False)
    n = table.columnCount()
    if n == 0:
        return
    cells = _cell_widths(table)
    items = [table.horizontalHeaderItem(c) for c in range(n)]
    for c, item in enumerate(items):
        if item is not None:
            full = header_text(table, c)
            item.setData(FULL_TEXT, full)
            item.setText(full)
            item.setToolTip(full)
    heads = [header.sectionSizeFromContents(c).width() for c in range(n)]
    room = table.viewport().width()
    fm = _bold_metrics(header)  # the break is chosen in the header's own weight
    # the header that gains most first, and no more of them than the row needs
    for c in sorted(range(n), key=lambda c: cells[c] - heads[c]):
        if sum(max(a, b) for a, b in zip(cells, heads, strict=True)) <= room:
            break
        item = items[c]
        if item is not None and heads[c] > cells[c]:
            item.setText(two_line_break(header_text(table, c), fm))
            heads[c] = header.sectionSizeFromContents(c).width()
    need = [max(a, b) for a, b in zip(cells, heads, strict=True)]
    spare = max(0, room - sum(need))
    for c, width in enumerate(need):
        header.resizeSection(c, width + spare // n + (spare % n if c == n - 1 else 0))


class ColumnFitter(QObject):
    """Fits a table's columns again whenever its viewport changes width (window, splitter,
    a scroll bar appearing)."""

    #: The columns were fitted again (a header may have gained or lost a line).
    fitted = Signal()

    def __init__(self, table: QTableWidget) -> None:
        super().__init__(table)
        self.table = table
        self._width = -1
        table.viewport().installEventFilter(self)

    def fit(self) -> None:
        self._width = self.table.viewport().width()
        fit_columns(self.table)
        self.fitted.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize and self.table.viewport().width() != self._width:
            self.fit()
        return False
