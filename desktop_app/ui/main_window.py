"""The main window: menus, toolbar, marking banners, the views and the status bar.

The window owns no domain logic. Loading, re-running and exporting are core
functions run by :mod:`desktop_app.ui.worker`; the views subscribe to
:class:`desktop_app.ui.state.AppState`. The workshop features (undo, sessions, weight
sets, judgements, the optimiser, workshop mode) are installed by the composition root
(:func:`desktop_app.ui.compose.build_main_window`) through the small surface described
by :class:`desktop_app.ui.window_host.WindowHost`: :meth:`MainWindow.add_view`,
:meth:`MainWindow.menu`, :meth:`MainWindow.run_task`, the shared ``state`` and the open
and close guards (e.g. "save the workshop first?").
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QThreadPool, QUrl, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QMenu,
    QMenuBar,
    QMessageBox,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__
from desktop_app.core.paths import docs_dir
from desktop_app.ui import loading
from desktop_app.ui.banner import ForceHeader, MarkingBanner
from desktop_app.ui.data_view import DataView
from desktop_app.ui.keyboard import TooltipFallback, name_tab_bars, release_tab
from desktop_app.ui.main_window_chrome import VIEW_SHORTCUTS, WindowChrome
from desktop_app.ui.main_window_files import WindowFileActions
from desktop_app.ui.state import AppState
from desktop_app.ui.view_page import ViewPage
from desktop_app.ui.view_tabs import ViewTabs
from desktop_app.ui.worker import TaskRunner

WORKBOOK_FILTER = "Excel workbooks (*.xlsx *.xlsm);;All files (*)"
LICENCE = "MIT licence"


class MainWindow(QMainWindow, WindowChrome, WindowFileActions):
    """The window a chief officer's analyst lives in."""

    #: Emitted when a load attempt ends: True when the workbook was appraised.
    load_finished = Signal(bool)
    #: Emitted after a summary workbook is written (its path).
    exported = Signal(str)

    def __init__(self, state: AppState | None = None, settings: QSettings | None = None) -> None:
        super().__init__()
        self.state = state or AppState(self)
        self.settings = settings or QSettings()
        self.task: TaskRunner | None = None
        self.samples = loading.GUI_SAMPLES
        #: Functions run -> run applied before export (e.g. workshop weight sets added).
        self.export_transforms: list[Callable[[Any], Any]] = []
        #: Asked before another workbook replaces this one, and before closing; each
        #: returns False to stop it (e.g. the user cancels "save the workshop first?").
        self.open_guards: list[Callable[[], bool]] = []
        self.close_guards: list[Callable[[], bool]] = []
        #: Called once the window has agreed to close (e.g. stop autosaving).
        self.on_close: list[Callable[[], None]] = []
        self.setWindowTitle("Armed Policing Options Appraisal")
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.setMinimumSize(960, 600)

        self.top_banner = MarkingBanner("top")
        self.bottom_banner = MarkingBanner("bottom")
        self.header = ForceHeader()
        self.tabs = ViewTabs()  # every tab in sight at 1024 px (ui/view_tabs.py)
        self.tabs.setObjectName("viewTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Views")
        self.views: dict[str, QWidget] = {}
        self._pages: dict[str, ViewPage] = {}
        #: Views that show results computed from a workbook (all but the Data view).
        self._result_views: set[str] = set()

        # The marking sits above the menu bar and below the status bar: the very top and
        # bottom edges of the window, as on UK government systems.
        self._menu_bar = QMenuBar()
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(0)
        top_layout.addWidget(self.top_banner)
        top_layout.addWidget(self._menu_bar)
        self.setMenuWidget(top)
        self._status = QStatusBar()
        self._status.setSizeGripEnabled(False)

        central = QWidget()
        central.setObjectName("central")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self._status)
        layout.addWidget(self.bottom_banner)
        self.setCentralWidget(central)

        self.data_view = DataView(self.state)
        self.add_view("data", "Data", self.data_view, shows_results=False)
        self._add_engine_views()

        self._menus: dict[str, QMenu] = {}
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()

        self.state.inputs_changed.connect(self._refresh_chrome)
        self.state.coverage_changed.connect(self._refresh_chrome)
        self.state.options_changed.connect(self.rerun)
        self.state.appraisal_changed.connect(self._refresh_weights_name)
        self.state.inputs_changed.connect(self._refresh_empty_states)
        self.state.appraisal_changed.connect(self._refresh_empty_states)
        self.tabs.currentChanged.connect(lambda _i: self._refresh_chart_export())
        self.state.active_weight_set_changed.connect(self._refresh_weights_name)
        self._refresh_chrome()
        self._refresh_empty_states()
        self._restore_geometry()
        # Every control explains itself on hover (its accessible description or name when
        # it has no tooltip of its own): one filter for controls built now and later.
        self.tabs.tabBar().setAccessibleName("Views: tabs")
        self._tooltips = TooltipFallback(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._tooltips)

    def dialog_parent(self) -> QWidget:
        """The widget the installed parts' dialogs and actions belong to."""
        return self

    # ------------------------------------------------------------- extension
    def menuBar(self) -> QMenuBar:  # noqa: N802 - the bar lives under the marking banner
        return self._menu_bar

    def statusBar(self) -> QStatusBar:  # noqa: N802 - the bar lives above the bottom banner
        return self._status

    def _add_engine_views(self) -> None:
        from desktop_app.ui.appraisal_view import AppraisalView
        from desktop_app.ui.coverage_view import CoverageView

        self.coverage_view = CoverageView(self.state)
        self.appraisal_view = AppraisalView(self.state)
        self.add_view("coverage", "Coverage", self.coverage_view)
        self.add_view("appraisal", "Appraisal", self.appraisal_view)

    def add_view(self, key: str, title: str, widget: QWidget, *, shows_results: bool = True, short: str = "") -> int:
        """Add a view as a tab (also the hook for the optimiser and weight-set views).

        Views get Ctrl+1..9 shortcuts in the View menu in the order they are added (the
        tab's tooltip names the shortcut only where there is one). ``short`` is the tab's
        name where the row is too narrow for the full one (:class:`ViewTabs`). A view
        that ``shows_results`` (figures computed from the workbook) is replaced by a
        sentence whenever the state has no results (:meth:`AppState.empty_reason`), so
        nothing from a previous workbook stays on screen after a failed open.
        """
        self.views[key] = widget
        if shows_results:
            self._result_views.add(key)
        # Each view sits in a scroll area: a view wider or taller than a 1366x768 laptop
        # (or a 1024-pixel projector) scrolls instead of forcing the window off screen.
        release_tab(widget)  # Tab leaves the view's tables and text boxes
        name_tab_bars(widget)
        page = ViewPage(widget)
        page.setObjectName(f"page_{key}")
        self._pages[key] = page
        index = self.tabs.add_view_tab(page, title, short)
        self.tabs.setTabToolTip(index, f"{title} (Ctrl+{index + 1})" if index < VIEW_SHORTCUTS else title)
        if hasattr(self, "view_menu"):
            self._add_view_action(key, title, index)
        if shows_results:
            page.set_empty(self.state.empty_reason())
        return index

    def empty_state(self, key: str) -> str | None:
        """The sentence the view ``key`` shows instead of figures, or None when it shows them."""
        return self._pages[key].empty_reason()

    def _refresh_empty_states(self) -> None:
        """One decision for every results view: the state's (no results, no figures)."""
        reason = self.state.empty_reason()
        for key in self._result_views:
            self._pages[key].set_empty(reason)
        self._refresh_chart_export()

    def _refresh_chart_export(self) -> None:
        """"Export chart" only when the view in front shows figures of the open workbook."""
        key = self.current_view_key()
        showing = key in self._pages and self._pages[key].empty_reason() is None
        self.export_chart_action.setEnabled(showing and (key not in self._result_views or self.state.loaded))

    def show_view(self, key: str) -> None:
        self.tabs.setCurrentWidget(self._pages[key])

    def current_view_key(self) -> str:
        page = self.tabs.currentWidget()
        return next((k for k, p in self._pages.items() if p is page), "")

    def current_view(self) -> QWidget | None:
        return self.views.get(self.current_view_key())

    def menu(self, name: str) -> QMenu:
        """The menu called ``name`` ("File", "Edit", "View", "Help"...), created if new.

        New menus go before Help, so an Edit menu for undo sits where users expect it.
        """
        key = name.replace("&", "").lower()
        if key not in self._menus:
            new = QMenu(name, self)
            help_action = self._menus["help"].menuAction() if "help" in self._menus else None
            if help_action is not None:
                self.menuBar().insertMenu(help_action, new)
            else:
                self.menuBar().addMenu(new)
            self._menus[key] = new
        return self._menus[key]

    # ---------------------------------------------------------------- loading
    def busy(self) -> bool:
        return self.task is not None and self.task.running

    def run_task(
        self,
        fn: Callable[..., Any],
        title: str,
        on_done: Callable[[Any], None],
        on_failed: Callable[[BaseException], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> TaskRunner | None:
        """Run ``fn(progress, cancelled)`` in the background; one task at a time."""
        if self.busy():
            self.statusBar().showMessage("Please wait: another task is still running.", 4000)
            return None
        task = TaskRunner(fn, title=title, parent=self)
        task.finished.connect(on_done)
        if on_failed is not None:
            task.failed.connect(lambda exc, _tb: on_failed(exc))
        if on_cancelled is not None:
            task.cancelled.connect(on_cancelled)
        task.cancelled.connect(lambda: self.statusBar().showMessage(f"{title}: cancelled.", 6000))
        self.task = task
        task.start()
        return task

    def open_workbook(self, path: str | Path) -> None:
        """Open ``path`` in place of the current workbook, once every open guard agrees.

        Every way in (menu, recent files, drag-and-drop, reload) comes here, so the
        guards (e.g. "the workshop has unsaved changes") are asked whichever is used.
        """
        if all(guard() for guard in list(self.open_guards)):
            self.load_workbook(path)

    def load_workbook(self, path: str | Path) -> None:
        """Read, validate, compute coverage and appraise ``path`` in the background.

        Asks no guard: for callers that have asked already (opening a session).
        """
        path = Path(path)
        samples = self.samples

        def job(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> loading.Loaded:
            return loading.load(path, samples=samples, progress=progress, cancelled=cancelled)

        self.statusBar().showMessage(f"Opening {path.name}…")
        task = self.run_task(
            job,
            f"Opening {path.name}",
            self._on_loaded,
            on_failed=lambda _e: self._load_ended(False, f"Could not open {path.name}."),
            on_cancelled=lambda: self._load_ended(False, f"Opening {path.name} was cancelled."),
        )
        if task is not None and self.state.read_result is None:
            # Nothing open yet: the banners say what is happening (an open workbook keeps
            # its marking on screen until the new one replaces it).
            for banner in (self.top_banner, self.bottom_banner):
                banner.set_loading(path.name)

    def _load_ended(self, ok: bool, message: str = "") -> None:
        """A failed or cancelled open: "Opening X…" had stayed in the status bar for good."""
        self._refresh_chrome()  # the banners again say what is open (or that nothing is)
        if message:
            self.statusBar().showMessage(message, 10000)
        self.load_finished.emit(ok)

    def _on_loaded(self, loaded: loading.Loaded) -> None:
        self.data_view.set_raw_sheets(loaded.raw_sheets)
        self.state.set_read_result(loaded.read_result)
        self._remember_recent(loaded.read_result.path)
        if loaded.run is None:
            self.show_view("data")
            n = len(loaded.read_result.errors)
            self.statusBar().showMessage(f"{loaded.read_result.path.name}: {n} validation error{'' if n == 1 else 's'}; see the Data view.", 10000)
            self.load_finished.emit(False)
            return
        self.state.set_run(loaded.run)
        self.statusBar().showMessage(f"Opened {loaded.read_result.path.name}.", 6000)
        if self.current_view_key() == "data" and not loaded.read_result.errors:
            self.show_view("appraisal")
        self.load_finished.emit(True)

    def open_dialog(self) -> None:
        start = str(self.settings.value("last_dir", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(self, "Open force workbook", start, WORKBOOK_FILTER)
        if path:
            self.settings.setValue("last_dir", str(Path(path).parent))
            self.open_workbook(path)

    def open_sample(self) -> None:
        from desktop_app.core.paths import sample_workbook

        self.open_workbook(sample_workbook())

    def reload(self) -> None:
        if self.state.path is not None:
            self.open_workbook(self.state.path)

    def rerun(self) -> None:
        """Re-run coverage and the appraisal (after an option is added or removed)."""
        rr = self.state.read_result
        if rr is None or rr.inputs is None:
            return
        state = self.state
        extra = list(state.extra_options)
        samples = self.samples

        def job(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> Any:
            return loading.rerun(rr, extra, samples=samples, progress=progress, cancelled=cancelled)

        self.run_task(job, "Re-running the appraisal", lambda run: state.set_run(run, keep_weights=True))

    # ------------------------------------------------------------------- help
    def open_docs(self, page: str = "user-guide.md") -> None:
        """Open a page of the documentation (or the README) in the system's viewer."""
        target = docs_dir() / page
        if not target.exists():
            target = docs_dir().parent / "README.md"
        if not target.exists() or not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
            QMessageBox.information(
                self, "Documentation",
                f"The documentation could not be opened. It is in the docs folder of the "
                f"installation: {docs_dir()}",
            )

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About Armed Policing Options Appraisal",
            f"<h3>Armed Policing Options Appraisal</h3>"
            f"<p>Version {__version__}</p>"
            "<p>Decision support for weighing armed response options: coverage, cost, "
            "multi-criteria appraisal, sensitivity and robustness.</p>"
            f"<p>Released under the {LICENCE}. Provided without warranty; the judgement "
            "remains the chief officer's.</p>",
        )

    # ---------------------------------------------------------- drag and drop
    @staticmethod
    def _dropped_workbook(event: QDragEnterEvent | QDropEvent) -> str | None:
        mime = event.mimeData()
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and url.toLocalFile().lower().endswith((".xlsx", ".xlsm")):
                return url.toLocalFile()
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self._dropped_workbook(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        path = self._dropped_workbook(event)
        if path:
            event.acceptProposedAction()
            self.open_workbook(path)

    # -------------------------------------------------------------- settings
    def _restore_geometry(self) -> None:
        geometry = self.settings.value("geometry")
        self.first_run = geometry is None
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            screen = QGuiApplication.primaryScreen()
            avail = screen.availableGeometry() if screen is not None else None
            if avail is not None:
                self.resize(min(1366, avail.width()), min(768, avail.height()))
            else:
                self.resize(1366, 768)
        state = self.settings.value("window_state")
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not all(guard() for guard in list(self.close_guards)):
            event.ignore()
            return
        for hook in list(self.on_close):
            hook()
        if self.task is not None and self.task.running:
            self.task.cancel()
            QThreadPool.globalInstance().waitForDone(5000)
        # Offscreen runs (tests, builds, screenshots) have a tiny virtual screen; keeping
        # their geometry would open the next real window at that size.
        if QGuiApplication.platformName() != "offscreen":
            self.settings.setValue("geometry", self.saveGeometry())
            self.settings.setValue("window_state", self.saveState())
        super().closeEvent(event)
