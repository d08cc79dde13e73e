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

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QStatusBar, QWidget

from desktop_app.core.workbook import schema
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
    #: Set by the workshop features (workshop_integration): a set's raw weights by name, so
    #: exports can tell whether the sliders still hold the active set.
    weight_set_weights: Callable[[str], dict[str, float] | None] = staticmethod(lambda _name: None)

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

    def export_public_summary(self) -> None:
        """The version for publication: marked ``public_marking``, no threat data."""
        self.export_summary(public=True)

    def export_summary(self, public: bool = False) -> None:
        run = self.state.run
        if run is None:
            QMessageBox.information(self._widget, "Export summary", "Open a valid workbook first.")
            return
        force = run.inputs.parameters.force_name
        suggested = f"{force} options appraisal summary{' (public)' if public else ''}.xlsx".replace("/", "-")
        title = "Export public summary workbook (no threat data)" if public else "Export summary workbook"
        path = self._save_path(title, suggested, "Excel workbook (*.xlsx)")
        if path is None:
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        state = self.state
        weight_set, weights_name = self.weights_in_use()
        weights = None if state.weights == state.workbook_weights() or weight_set is not None else dict(state.weights)
        if weight_set is not None and run.inputs is not None and weight_set not in run.inputs.weight_set_names():
            weights, weight_set = dict(state.weights), None  # a set captured in the room: its own name
        overrides = state.judgement_override_scores()
        ws = state.workshop
        group_weights = dict(ws.group_weights) if ws.group_weights != ws.workbook_group_weights else None
        if group_weights is not None and weights is None and weight_set is None:
            weights = dict(state.weights)  # the branches moved: the criteria's weights go with them
        edits = loading.judgement_edits_for(state)
        from desktop_app.ui.value_function_view import value_point_edits

        point_edits = value_point_edits(state)  # value functions set in the workshop
        findings = list(state.read_result.findings) if state.read_result is not None else []
        transforms = list(self.export_transforms)

        def job(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> Path:
            progress(0.0, "Appraising under the current weights…")
            out = loading.run_for_export(run, findings, weights, overrides, weights_name=weights_name,
                                         weight_set=weight_set, value_point_edits=point_edits,
                                         group_weights=group_weights)
            for transform in transforms:
                out = transform(out)
            return loading.export_summary(out, path, judgement_edits=edits, progress=progress,
                                          cancelled=cancelled, public=public)

        def done(written: Path) -> None:
            self.statusBar().showMessage(f"Summary written to {written}", 10000)
            self.show_saved_message("Summary exported", f"The {'public ' if public else ''}summary workbook "
                                    f"({weights_name}) was saved to:\n{written}")
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
        from desktop_app.ui.board_png import save_board_png

        title_fn = getattr(view, "current_chart_title", None)
        title = title_fn() if callable(title_fn) else name.replace("-", " ").capitalize()
        try:
            written = save_board_png(chart, path, self.chart_caption(title))
        except Exception as exc:  # noqa: BLE001 - a clear dialog, never a crash
            show_error(self._widget, "Export chart", exc)
            return
        self.statusBar().showMessage(f"Chart saved to {written}", 8000)
        self.show_saved_message("Chart exported", f"The chart was saved to:\n{written}")

    def chart_caption(self, title: str) -> Any:
        """Title, marking, force, date and whose weights, for an exported chart."""
        from datetime import date

        from desktop_app.ui.board_png import Caption

        run = self.state.run
        params = run.inputs.parameters if run is not None else None
        today = date.today()
        return Caption(title=title, marking=str(getattr(params, "protective_marking", "") or schema.default("protective_marking")),
                       force=str(getattr(params, "force_name", "") or ""), date=f"{today.day} {today:%B %Y}",
                       weights=self.weights_in_use()[1])

    def weights_in_use(self) -> tuple[str | None, str]:
        """(the weight set the screen's weights are, or None; their name by ``describe_weights``)."""
        from desktop_app.core.appraisal.weights_name import describe_weights

        ws = self.state.workshop
        active = ws.active_weight_set
        if active is not None:  # first: a set captured at the workbook's own weights is that set
            set_weights = self.weight_set_weights(active)
            # its shares through the tree, branch sliders and all (core/session/set_weights.py)
            if set_weights is not None and ws.holds(set_weights):
                return active, describe_weights(active)
        if ws.weights == ws.workbook_weights and ws.group_weights == ws.workbook_group_weights:
            return None, describe_weights()
        # the one naming rule the screen's header uses too (WorkshopState.weights_name): a
        # remembered name of its own had kept "Room X" on the paper after the switch to
        # Room X was undone, while the screen said "from the workbook weights"
        return None, ws.weights_name()

    def show_saved_message(self, title: str, text: str) -> None:
        """A message that stays until dismissed, without blocking (tests never wait on it)."""
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self._widget)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.saved_message = box
        box.show()

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
