"""The Data view: validation findings (errors first) beside the workbook's tables.

Clicking a finding opens the sheet it names and selects its Excel row, so an analyst
sees the offending cell without leaving the app. A valid workbook shows the typed
tables the engines use; an invalid one shows its sheets as entered.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.model import Finding, ForceInputs
from desktop_app.ui.keyboard import chain, release_tab
from desktop_app.ui.state import AppState
from desktop_app.ui.table_models import DataFrameModel, FilterProxy, FindingsModel

#: Internal columns the engines add that mean nothing to a user.
HIDDEN_COLUMNS = {"site_index", "excel_row", "busy_fraction_default", "mobilisation_default"}
SHEET_ORDER = (
    "Parameters", "Areas", "Threat", "ThreatIndicators", "Sites", "Options",
    "Deployments", "Criteria", "Judgements", "WeightSets",
)
SHEET_TITLES = {"ThreatIndicators": "Threat indicators", "WeightSets": "Weight sets"}


def typed_tables(inputs: ForceInputs) -> dict[str, tuple[pd.DataFrame, list[int] | None]]:
    """The validated tables, keyed by the sheet they came from."""
    threat = inputs.threat.copy()
    threat.insert(0, "area_id", inputs.areas["area_id"].to_numpy())
    params = pd.DataFrame(inputs.parameters.as_rows(), columns=["parameter", "value"])
    params["value"] = params["value"].map(lambda v: "" if v is None else str(v))
    tables: dict[str, tuple[pd.DataFrame, list[int] | None]] = {
        "Parameters": (params, None),
        "Areas": (inputs.areas, None),
        "Threat": (threat, None),
        "ThreatIndicators": (inputs.indicators, None),
        "Sites": (inputs.sites, None),
        "Options": (inputs.options, None),
        "Deployments": (inputs.deployments, None),
        "Criteria": (inputs.criteria, None),
        "Judgements": (inputs.judgements, None),
        "WeightSets": (inputs.weight_sets, None),
    }
    out: dict[str, tuple[pd.DataFrame, list[int] | None]] = {}
    for name, (frame, rows) in tables.items():
        if frame is None:
            continue
        if "excel_row" in frame.columns:
            rows = [int(r) for r in frame["excel_row"]]
        visible = frame[[c for c in frame.columns if c not in HIDDEN_COLUMNS]]
        out[name] = (visible, rows)
    return out


class _TablePage(QWidget):
    def __init__(self, name: str, frame: pd.DataFrame, rows: list[int] | None, *, typed: bool = True) -> None:
        super().__init__()
        self.name = name
        self.model = DataFrameModel()
        self.model.set_frame(frame, rows)
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setTabKeyNavigation(False)  # Tab moves on to the next control; arrows move in the sheet
        self.view.setAccessibleName(f"{name} sheet")
        self.view.setToolTip(f"The {name} sheet as the workbook holds it; type in the filter above to find rows")
        # No sort indicator before enabling sorting, or Qt sorts 30,000 rows at once.
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setAccessibleName(f"{SHEET_TITLES.get(name, name)} table")
        # Row headers are Excel row numbers; the validated Parameters table is in schema order (docs/workbook-format.md#parameters).
        self.view.verticalHeader().setVisible(not (typed and name == "Parameters"))
        # Size columns from the first rows only: a 30,000-row travel-time sheet must not stall.
        self.view.horizontalHeader().setResizeContentsPrecision(60)
        self.view.resizeColumnsToContents()
        for c in range(self.model.columnCount()):
            if self.view.columnWidth(c) > 260:
                self.view.setColumnWidth(c, 260)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def select_excel_row(self, excel_row: int) -> bool:
        src_row = self.model.row_for_excel_row(excel_row)
        if src_row is None:
            return False
        self.proxy.set_filter_text("")
        idx = self.proxy.mapFromSource(self.model.index(src_row, 0))
        if not idx.isValid():
            return False
        self.view.selectionModel().select(
            idx,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.setCurrentIndex(idx)
        self.view.scrollTo(idx, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True


class DataView(QWidget):
    """Findings on the left, the workbook's sheets as sortable, filterable tables on the right."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.pages: dict[str, _TablePage] = {}
        self._raw: dict[str, tuple[pd.DataFrame, list[int]]] = {}

        self.summary = QLabel("No workbook loaded.")
        self.summary.setObjectName("viewSummary")
        self.summary.setWordWrap(True)

        self.findings_model = FindingsModel()
        self.findings_proxy = FilterProxy(self)
        self.findings_proxy.setSourceModel(self.findings_model)
        self.findings_view = QTableView()
        self.findings_view.setModel(self.findings_proxy)
        self.findings_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.findings_view.setSortingEnabled(True)
        self.findings_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.findings_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.findings_view.setWordWrap(True)
        self.findings_view.setAlternatingRowColors(True)
        self.findings_view.verticalHeader().setVisible(False)
        self.findings_view.horizontalHeader().setStretchLastSection(True)
        self.findings_view.setAccessibleName("Validation findings")
        self.findings_view.clicked.connect(self._on_finding_activated)
        self.findings_view.activated.connect(self._on_finding_activated)

        findings_box = QWidget()
        fl = QVBoxLayout(findings_box)
        fl.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("Validation findings")
        heading.setObjectName("sectionHeading")
        fl.addWidget(heading)
        fl.addWidget(self.findings_view)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter rows (any column)…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter table rows")
        self.filter.textChanged.connect(self._apply_filter)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Workbook sheets")
        self.tabs.currentChanged.connect(lambda _i: self._apply_filter(self.filter.text()))
        self.sheet_label = QLabel("Workbook sheets")
        self.sheet_label.setObjectName("sectionHeading")

        tables_box = QWidget()
        tl = QVBoxLayout(tables_box)
        tl.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.sheet_label)
        top.addStretch(1)
        top.addWidget(self.filter, 1)
        tl.addLayout(top)
        tl.addWidget(self.tabs)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(findings_box)
        self.splitter.addWidget(tables_box)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.summary)
        layout.addWidget(self.splitter, 1)

        self.findings_view.setToolTip("Errors and warnings found in the workbook; select one to see its row")
        self.filter.setToolTip("Show only the rows of the sheet below that contain this text")
        release_tab(self)  # Tab leaves the findings table (arrow keys move within it)
        chain(self.findings_view, self.filter, self.tabs)
        state.inputs_changed.connect(self.refresh)
        state.coverage_changed.connect(self._refresh_findings)

    # ------------------------------------------------------------------ data
    def set_raw_sheets(self, raw: dict[str, tuple[pd.DataFrame, list[int]]]) -> None:
        """Cell text of an invalid workbook, so its findings can point at rows."""
        self._raw = raw

    def raw_parameter(self, name: str) -> str | None:
        """A parameter's value as entered in an invalid workbook (e.g. its marking)."""
        entry = self._raw.get("Parameters")
        if entry is None:
            return None
        frame = entry[0]
        cols = {str(c).strip().lower(): c for c in frame.columns}
        if "parameter" not in cols or "value" not in cols:
            return None
        for key, value in zip(frame[cols["parameter"]], frame[cols["value"]], strict=True):
            if str(key).strip().lower() == name and str(value).strip():
                return str(value).strip()
        return None

    def refresh(self) -> None:
        self._refresh_findings()
        self.tabs.clear()
        for page in self.pages.values():
            page.deleteLater()
        self.pages = {}
        inputs = self.state.inputs
        if inputs is not None:
            tables: dict[str, tuple[pd.DataFrame, list[int] | None]] = typed_tables(inputs)
            self.sheet_label.setText("Workbook sheets (validated)")
        else:
            tables = dict(self._raw.items())
            self.sheet_label.setText("Workbook sheets (as entered)")
        ordered = [s for s in SHEET_ORDER if s in tables] + [s for s in tables if s not in SHEET_ORDER]
        for name in ordered:
            frame, rows = tables[name]
            page = _TablePage(name, frame, rows, typed=inputs is not None)
            self.pages[name] = page
            self.tabs.addTab(page, f"{SHEET_TITLES.get(name, name)} ({len(frame):,})")
        self._apply_filter(self.filter.text())

    def _refresh_findings(self) -> None:
        findings = self.state.findings
        self.findings_model.set_findings(findings)
        for col, width in enumerate((70, 96, 46, 96)):
            self.findings_view.setColumnWidth(col, width)
        self.findings_view.resizeRowsToContents()
        errors = sum(1 for f in findings if f.level == "error")
        warnings = len(findings) - errors
        inputs = self.state.inputs
        if self.state.read_result is None:
            self.summary.setText("No workbook loaded. Use File ▸ Open workbook… or drop an .xlsx file here.")
            self.summary.setProperty("level", "")
        elif errors:
            self.summary.setText(
                f"<b>{errors} error{'s' if errors != 1 else ''}</b> must be fixed in the workbook before "
                f"it can be appraised ({warnings} warning{'s' if warnings != 1 else ''}). "
                "Click a finding to see the row."
            )
            self.summary.setProperty("level", "error")
        elif inputs is not None:
            self.summary.setText(
                f"Workbook valid: {len(inputs.areas):,} areas, {len(inputs.sites):,} sites, "
                f"{len(inputs.options):,} options, {len(inputs.criteria):,} criteria. "
                f"{warnings} warning{'s' if warnings != 1 else ''}; "
                f"{inputs.estimated_pairs:,} travel times estimated from coordinates."
            )
            self.summary.setProperty("level", "ok" if warnings == 0 else "warning")
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)

    def _apply_filter(self, text: str) -> None:
        page = self.tabs.currentWidget()
        if isinstance(page, _TablePage):
            page.proxy.set_filter_text(text)

    # ------------------------------------------------------------ navigation
    def _on_finding_activated(self, index: QModelIndex) -> None:
        src = self.findings_proxy.mapToSource(index)
        if not src.isValid():
            return
        self.show_finding(self.findings_model.finding(src.row()))

    def show_finding(self, finding: Finding) -> bool:
        """Open the finding's sheet and select its row; False if there is nothing to show."""
        key = next((k for k in self.pages if k.lower() == finding.sheet.strip().lower()), None)
        if key is None:
            return False
        page = self.pages[key]
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.blockSignals(False)
        self.tabs.setCurrentWidget(page)
        if finding.row is None:
            page.view.clearSelection()
            return True
        return page.select_excel_row(finding.row)

    def current_chart(self) -> QWidget:
        return self
