"""The main window's chrome: its actions, menus, toolbar, status bar and what they show.

Kept apart from :mod:`desktop_app.ui.main_window` (which lays out the window, holds its
views and runs loads) because this is what frames every view: the File, View and Help
menus and their shortcuts, the toolbar in the force header strip, the status fields, the
marking banners and the window title, all refreshed from the state after each load.
:class:`WindowChrome` is a mixin of :class:`~desktop_app.ui.main_window.MainWindow`,
which supplies the attributes declared below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QToolBar

from desktop_app.core.workbook import schema

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenuBar, QStatusBar, QWidget

    from desktop_app.ui.banner import ForceHeader, MarkingBanner
    from desktop_app.ui.data_view import DataView
    from desktop_app.ui.state import AppState
    from desktop_app.ui.view_page import ViewPage
    from desktop_app.ui.view_tabs import ViewTabs

#: The schema's default protective marking (force threat data is usually this).
DEFAULT_MARKING = str(schema.default("protective_marking"))
#: Views with a Ctrl+digit shortcut: the first nine (Ctrl+1..Ctrl+9; there is no Ctrl+10).
VIEW_SHORTCUTS = 9


class WindowChrome:
    """Actions, menus, toolbar and status fields, for the main window."""

    if TYPE_CHECKING:  # MainWindow's, declared for the type checker only
        state: AppState
        views: dict[str, QWidget]
        tabs: ViewTabs
        header: ForceHeader
        top_banner: MarkingBanner
        bottom_banner: MarkingBanner
        data_view: DataView
        recent_menu: QMenu
        _menus: dict[str, QMenu]
        _pages: dict[str, ViewPage]

        def menuBar(self) -> QMenuBar: ...  # noqa: N802 - Qt's name
        def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name
        def setWindowTitle(self, title: str) -> None: ...  # noqa: N802 - Qt's name
        def close(self) -> bool: ...
        def show_view(self, key: str) -> None: ...
        def open_dialog(self) -> None: ...
        def open_sample(self) -> None: ...
        def reload(self) -> None: ...
        def open_docs(self, page: str = "user-guide.md") -> None: ...
        def about(self) -> None: ...
        def new_template(self) -> None: ...
        def export_summary(self, public: bool = False) -> None: ...
        def export_public_summary(self) -> None: ...
        def export_chart(self) -> None: ...
        def _fill_recent_menu(self) -> None: ...

    @property
    def _window(self) -> QMainWindow:
        """This window as its actions' parent (the mixin is always a MainWindow)."""
        return cast(QMainWindow, self)

    def _build_actions(self) -> None:
        def act(text: str, slot: Callable[[], Any], shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                tip: str = "") -> QAction:
            action = QAction(text, self._window)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            action.setStatusTip(tip or text.replace("…", ""))
            action.setToolTip(tip or text.replace("…", ""))
            action.triggered.connect(lambda _checked=False: slot())
            return action

        self.open_action = act("&Open workbook…", self.open_dialog, QKeySequence.StandardKey.Open, "Open a force workbook (.xlsx)")
        self.open_sample_action = act("Open the &sample force", self.open_sample, None, "Open the bundled fictional Borderdale Police workbook")
        self.template_action = act("&New blank template…", self.new_template, QKeySequence.StandardKey.New, "Write a blank force workbook with guidance and drop-downs")
        self.export_action = act("&Export summary workbook…", self.export_summary, "Ctrl+E", "Write the summary workbook for the board paper")
        self.export_public_action = act("Export &public summary (no threat data)…", self.export_public_summary, None,
                                        "Write the summary for publication: marked public_marking, without the threat data")
        self.export_chart_action = act("Export &chart as PNG…", self.export_chart, "Ctrl+Shift+E", "Save the chart in view as a PNG image")
        self.reload_action = act("&Reload workbook", self.reload, QKeySequence.StandardKey.Refresh, "Read the workbook again after editing it in Excel")
        self.quit_action = act("E&xit", self.close, QKeySequence.StandardKey.Quit)
        self.docs_action = act("&User guide", self.open_docs, QKeySequence.StandardKey.HelpContents)
        self.format_action = act("&Workbook format", lambda: self.open_docs("workbook-format.md"))
        self.about_action = act("&About", self.about)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._menus["file"] = file_menu
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.open_sample_action)
        file_menu.addAction(self.reload_action)
        file_menu.addAction(self.template_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.export_public_action)
        file_menu.addAction(self.export_chart_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        self.view_menu = bar.addMenu("&View")
        self._menus["view"] = self.view_menu
        for i, key in enumerate(self.views):
            self._add_view_action(key, self.tabs.full_title(self.tabs.indexOf(self._pages[key])), i)

        help_menu = bar.addMenu("&Help")
        self._menus["help"] = help_menu
        help_menu.addAction(self.docs_action)
        help_menu.addAction(self.format_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _add_view_action(self, key: str, title: str, index: int) -> None:
        action = QAction(title, self._window)
        if index < VIEW_SHORTCUTS:
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
        action.triggered.connect(lambda _c=False, k=key: self.show_view(k))
        self.view_menu.addAction(action)

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main toolbar")
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action, short in (
            (self.open_action, "Open…"),
            (self.reload_action, "Reload"),
            (self.export_action, "Export summary…"),
            (self.export_chart_action, "Export chart…"),
        ):
            action.setIconText(short)
            bar.addAction(action)
        # The toolbar sits in the force header strip: one row fewer on a 768-pixel screen.
        self.header.add_toolbar(bar)
        self.toolbar = bar

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.file_label = QLabel()
        self.force_label = QLabel()
        self.threat_label = QLabel()
        for label, name in ((self.file_label, "File"), (self.force_label, "Force"), (self.threat_label, "Threat level")):
            label.setAccessibleName(name)
            label.setObjectName("statusField")
            status.addPermanentWidget(label)

    def _refresh_chrome(self) -> None:
        rr = self.state.read_result
        inputs = self.state.inputs
        if inputs is not None:
            marking: str | None = inputs.parameters.protective_marking
        elif rr is not None:
            # An invalid workbook is still the force's data: mark it as entered, or with
            # the schema's default, never as "no workbook".
            marking = self.data_view.raw_parameter("protective_marking") or DEFAULT_MARKING
        else:
            marking = None
        self.top_banner.set_marking(marking)
        self.bottom_banner.set_marking(marking)
        if rr is None:
            self.header.set_force(None, "Open a force workbook to begin (File ▸ Open, or drop an .xlsx here)", None)
            self.file_label.setText("No workbook")
            self.force_label.setText("")
            self.threat_label.setText("")
        elif inputs is None:
            n = len(rr.errors)
            self.header.set_force(rr.path.name, f"{n} validation error{'s' if n != 1 else ''}: see the Data view", None)
            self.file_label.setText(f"File: {rr.path.name}")
            self.force_label.setText("Force: (invalid workbook)")
            self.threat_label.setText("")
        else:
            p = inputs.parameters
            detail = (
                f"{rr.path.name}  ·  {len(inputs.areas):,} areas  ·  {len(inputs.options)} options  ·  "
                f"target {p.target_minutes:g} min"
            )
            self.header.set_force(p.force_name, detail, p.threat_level)
            self.file_label.setText(f"File: {rr.path.name}")
            self.force_label.setText(f"Force: {p.force_name}")
            self.threat_label.setText(f"Threat level: {p.threat_level}")
        has_run = self.state.run is not None
        self.export_action.setEnabled(has_run)
        self.export_public_action.setEnabled(has_run)
        self.reload_action.setEnabled(rr is not None)
        title = "Armed Policing Options Appraisal"
        if inputs is not None:
            title = f"{inputs.parameters.force_name} · {title}"
        self.setWindowTitle(title)

    def _refresh_weights_name(self) -> None:
        """The header names whose weights the appraisal on screen is under."""
        self.header.set_weights(self.state.weights_name() if self.state.appraisal is not None else None)
