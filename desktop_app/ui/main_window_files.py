"""The main window's file actions: the recent-workbooks list, exports and the blank template.

Kept apart from :mod:`desktop_app.ui.main_window` (which lays out the window and runs
loads) because these are what the window *writes*: every one asks for a path, remembers
its folder and hands the slow part to the window's background task runner, so a large
summary export never freezes the window. :class:`WindowFileActions` is a mixin of
:class:`~desktop_app.ui.main_window.MainWindow`, which supplies the attributes
declared below.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QStatusBar, QWidget

from desktop_app.ui import loading
from desktop_app.ui.worker import show_error

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from desktop_app.ui.state import AppState

MAX_RECENT = 8


class WindowFileActions:
    """Recent workbooks, summary/chart export and the template, for the main window."""

    # Supplied by MainWindow (as are open_workbook, run_task, statusBar, current_view,
    # current_view_key and the exported signal, which the methods below call).
    settings: QSettings
    state: AppState
    recent_menu: QMenu
    export_transforms: list[Callable[[Any], Any]]
    if TYPE_CHECKING:  # MainWindow's, declared for the type checker only
        exported: SignalInstance

        def open_workbook(self, path: str | Path) -> None: ...
        def run_task(self, fn: Callable[..., Any], title: str, on_done: Callable[[Any], None]) -> object: ...
        def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name
        def current_view(self) -> QWidget | None: ...
        def current_view_key(self) -> str: ...

    @property
    def _widget(self) -> QWidget:
        """This window as the parent of its dialogs (the mixin is always a MainWindow)."""
        return cast(QWidget, self)

    # -------------------------------------------------------------- recent
    def recent_files(self) -> list[str]:
        value: Any = self.settings.value("recent_files", [])  # QSettings: a list, a str or None
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _remember_recent(self, path: Path) -> None:
        text = str(Path(path).resolve())
        files = [f for f in self.recent_files() if f != text]
        self.settings.setValue("recent_files", [text, *files][:MAX_RECENT])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        if not files:
            empty = self.recent_menu.addAction("(no recent workbooks)")
            empty.setEnabled(False)
            return
        for i, f in enumerate(files):
            action = self.recent_menu.addAction(f"&{i + 1}  {Path(f).name}")
            action.setToolTip(f)
            action.setStatusTip(f)
            action.triggered.connect(lambda _c=False, p=f: self._open_recent(p))
        self.recent_menu.addSeparator()
        self.recent_menu.addAction("Clear list", lambda: self.settings.setValue("recent_files", []))

    def _open_recent(self, path: str) -> None:
        if not Path(path).exists():
            QMessageBox.warning(self._widget, "Open recent", f"{path} no longer exists.")
            self.settings.setValue("recent_files", [f for f in self.recent_files() if f != path])
            return
        self.open_workbook(path)

    # -------------------------------------------------------------- exports
    def _save_path(self, title: str, suggested: str, file_filter: str) -> Path | None:
        start_dir = Path(str(self.settings.value("last_export_dir", str(Path.home()))))
        path, _ = QFileDialog.getSaveFileName(self._widget, title, str(start_dir / suggested), file_filter)
        if not path:
            return None
        self.settings.setValue("last_export_dir", str(Path(path).parent))
        return Path(path)

    def export_summary(self) -> None:
        run = self.state.run
        if run is None:
            QMessageBox.information(self._widget, "Export summary", "Open a valid workbook first.")
            return
        force = run.inputs.parameters.force_name
        suggested = f"{force} options appraisal summary.xlsx".replace("/", "-")
        path = self._save_path("Export summary workbook", suggested, "Excel workbook (*.xlsx)")
        if path is None:
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        state = self.state
        weights = None if state.weights == state.workbook_weights() else dict(state.weights)
        overrides = state.judgement_override_scores()
        edits = loading.judgement_edits_for(state)
        findings = list(state.read_result.findings) if state.read_result is not None else []
        transforms = list(self.export_transforms)

        def job(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> Path:
            progress(0.0, "Appraising under the current weights…")
            out = loading.run_for_export(run, findings, weights, overrides)
            for transform in transforms:
                out = transform(out)
            return loading.export_summary(out, path, judgement_edits=edits, progress=progress,
                                          cancelled=cancelled)

        def done(written: Path) -> None:
            self.statusBar().showMessage(f"Summary written to {written}", 10000)
            self.exported.emit(str(written))

        self.run_task(job, "Exporting the summary workbook", done)

    def export_chart(self) -> None:
        view = self.current_view()
        chart_fn = getattr(view, "current_chart", None)
        chart = chart_fn() if callable(chart_fn) else view
        if chart is None:
            return
        name_fn = getattr(view, "current_chart_name", None)
        name = name_fn() if callable(name_fn) else self.current_view_key()
        path = self._save_path("Export chart as PNG", f"{name}.png", "PNG image (*.png)")
        if path is None:
            return
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        from desktop_app.ui.charts import save_widget_png

        try:
            save_widget_png(chart, path)
        except Exception as exc:  # noqa: BLE001 - a clear dialog, never a crash
            show_error(self._widget, "Export chart", exc)
            return
        self.statusBar().showMessage(f"Chart saved to {path}", 8000)

    def new_template(self) -> None:
        path = self._save_path("New blank template", "force workbook template.xlsx", "Excel workbook (*.xlsx)")
        if path is None:
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")

        def job(_progress: Callable[[float, str], None], _cancelled: Callable[[], bool]) -> Path:
            from desktop_app.core.workbook.template import write_template

            written = write_template(path)
            return Path(written) if written else path

        self.run_task(job, "Writing the template", lambda p: self.statusBar().showMessage(f"Template written to {p}", 10000))
