"""The main window: loading the sample, the banners and status bar, exports through the
menus (file dialogs patched), a bad workbook's findings, drag and drop, recent files."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDropEvent  # noqa: E402
from PySide6.QtWidgets import QFileDialog, QMessageBox  # noqa: E402

from desktop_app.core.model import Finding  # noqa: E402
from desktop_app.ui.app import configure_application  # noqa: E402
from desktop_app.ui.main_window import MainWindow  # noqa: E402

LOAD_TIMEOUT_MS = 60_000


@pytest.fixture()
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Record message boxes instead of showing them: a test must never block on a modal."""
    shown: list[tuple[str, str]] = []

    def fake(kind: str):
        def _box(_parent, title, text, *args, **kwargs):
            shown.append((kind, f"{title}: {text}"))
            return QMessageBox.StandardButton.Ok

        return staticmethod(_box)

    for kind in ("critical", "warning", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, fake(kind))
    return shown


@pytest.fixture()
def window(qtbot, qapp, tmp_path: Path, dialogs) -> MainWindow:
    configure_application(qapp)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings)  # the workshop add-ons have their own tests
    win.samples = 500  # SMAA draws: enough for a stable ranking, quick in tests
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    return win


def open_and_wait(qtbot, window: MainWindow, path: Path) -> list[bool]:
    with qtbot.waitSignal(window.load_finished, timeout=LOAD_TIMEOUT_MS) as blocker:
        window.open_workbook(path)
    return blocker.args


def test_loading_the_sample_fills_every_view(qtbot, window: MainWindow, sample_path: Path) -> None:
    assert open_and_wait(qtbot, window, sample_path) == [True]
    state = window.state
    inputs = state.inputs
    assert inputs is not None and state.appraisal is not None
    # Banners carry the workbook's protective marking, top and bottom.
    marking = inputs.parameters.protective_marking.upper()
    assert window.top_banner.text() == marking == window.bottom_banner.text()
    # Status bar: file, force, threat level.
    assert window.file_label.text() == f"File: {sample_path.name}"
    assert window.force_label.text() == f"Force: {inputs.parameters.force_name}"
    assert window.threat_label.text() == f"Threat level: {inputs.parameters.threat_level}"
    assert inputs.parameters.force_name in window.windowTitle()
    # Data view: one tab per sheet, areas table as long as the Areas sheet.
    areas_page = window.data_view.pages["Areas"]
    assert areas_page.model.rowCount() == len(inputs.areas)
    # Coverage view lists every option; appraisal view ranks every option.
    combo = window.coverage_view.option_combo
    assert [combo.itemData(i) for i in range(combo.count())] == inputs.option_ids
    assert window.appraisal_view.ranking_table.rowCount() == len(inputs.options)
    assert sorted(window.appraisal_view.ranking_chart.order) == sorted(inputs.option_ids)
    assert window.export_action.isEnabled()
    # A valid workbook opens on the Appraisal view.
    assert window.current_view_key() == "appraisal"


def test_export_summary_through_the_menu(qtbot, window: MainWindow, sample_path: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    open_and_wait(qtbot, window, sample_path)
    target = tmp_path / "board paper" / "summary"  # no suffix: the app adds .xlsx
    target.parent.mkdir()
    asked: list[str] = []

    def fake_save(_parent, title, start, _filter, *args, **kwargs):
        asked.append(title)
        return str(target), "Excel workbook (*.xlsx)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    with qtbot.waitSignal(window.exported, timeout=LOAD_TIMEOUT_MS) as blocker:
        window.export_action.trigger()
    written = Path(blocker.args[0])
    assert written == target.with_suffix(".xlsx")
    assert asked == ["Export summary workbook"]
    book = openpyxl.load_workbook(written, read_only=True)
    assert book.sheetnames[:3] == ["Summary", "Options", "Scores"]
    assert "Validation" in book.sheetnames
    # The input workbook is untouched and the export did not leave temporary files.
    assert sorted(p.name for p in target.parent.iterdir()) == ["summary.xlsx"]


def test_export_uses_the_weights_on_screen(qtbot, window: MainWindow, sample_path: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    open_and_wait(qtbot, window, sample_path)
    state = window.state
    only = state.inputs.criterion_ids[0]
    state.set_weights({cid: (100.0 if cid == only else 0.0) for cid in state.weights})
    target = tmp_path / "live.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    with qtbot.waitSignal(window.exported, timeout=LOAD_TIMEOUT_MS):
        window.export_action.trigger()
    sheet = openpyxl.load_workbook(target, read_only=True)["Weights"]
    text = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    row = next(r for r in text if only in r)
    # The only weighted criterion carries all of its branch's weight (the sample's value tree: C1 is
    # alone in the Response branch's 45 of 100, the other branches' criteria weigh nothing), so 0.45.
    model = state.run.value_model
    expected = model.group_weights[model.groups[only]] / sum(model.group_weights.values())
    assert any(isinstance(v, (int, float)) and v in (expected, 100 * expected) for v in row)


def test_cancelling_the_save_dialog_writes_nothing(qtbot, window: MainWindow, sample_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    open_and_wait(qtbot, window, sample_path)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    window.export_action.trigger()
    assert window.task is None or window.task.running is False or window.task.dialog is None


def test_export_chart_as_png(qtbot, window: MainWindow, sample_path: Path, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    open_and_wait(qtbot, window, sample_path)
    window.show_view("coverage")
    target = tmp_path / "map.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    window.export_chart_action.trigger()
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 10_000  # a real picture, not an empty pixmap


@pytest.fixture(scope="module")
def bad_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with a negative population in Areas row 5 and a missing force name
    (built once: saving a 30,000-row workbook with openpyxl takes seconds)."""
    from desktop_app.core.paths import sample_workbook

    folder = tmp_path_factory.mktemp("bad")
    for f in sample_workbook().parent.iterdir():
        if f.suffix.lower() in (".xlsx", ".csv", ".gpkg"):
            shutil.copy2(f, folder / f.name)
    return bad_workbook(folder / sample_workbook().name)


def bad_workbook(sample_copy: Path) -> Path:
    book = openpyxl.load_workbook(sample_copy)
    areas = book["Areas"]
    header = [c.value for c in areas[1]]
    areas.cell(row=5, column=header.index("population") + 1, value=-40)
    params = book["Parameters"]
    for row in params.iter_rows(min_row=2):
        if row[0].value == "force_name":
            row[1].value = None
    book.save(sample_copy)
    return sample_copy


def test_bad_workbook_opens_in_the_data_view_with_its_findings(qtbot, window: MainWindow, bad_path: Path) -> None:
    path = bad_path
    window.show_view("coverage")
    assert open_and_wait(qtbot, window, path) == [False]
    assert window.current_view_key() == "data"
    assert window.state.run is None and window.state.appraisal is None
    view = window.data_view
    findings = view.findings_model.findings()
    assert findings and findings[0].level == "error"
    levels = [f.level for f in findings]
    assert levels == sorted(levels, key=lambda lv: lv != "error")  # errors first
    pop = next(f for f in findings if f.sheet == "Areas" and f.row == 5)
    assert pop.column == "population"
    assert "error" in view.summary.text()
    # Still the force's data: marked as the workbook says, not "no workbook".
    assert window.top_banner.text() == "OFFICIAL-SENSITIVE" == window.bottom_banner.text()
    assert not window.export_action.isEnabled()
    # Clicking the finding opens the Areas sheet (as entered) on Excel row 5.
    row = next(r for r in range(view.findings_proxy.rowCount())
               if view.findings_model.finding(view.findings_proxy.mapToSource(view.findings_proxy.index(r, 0)).row()) == pop)
    index = view.findings_proxy.index(row, 4)
    rect = view.findings_view.visualRect(index)
    qtbot.mouseClick(view.findings_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    page = view.pages["Areas"]
    assert view.tabs.currentWidget() is page
    selected = page.view.selectionModel().selectedRows()
    assert len(selected) == 1
    src = page.proxy.mapToSource(selected[0])
    assert page.model.headerData(src.row(), Qt.Orientation.Vertical) == "5"
    population_col = list(page.model.frame().columns).index("population")
    assert page.model.index(src.row(), population_col).data() == "-40"


def test_finding_without_a_row_opens_its_sheet(qtbot, window: MainWindow, bad_path: Path) -> None:
    open_and_wait(qtbot, window, bad_path)
    view = window.data_view
    assert view.show_finding(Finding("error", "Parameters", None, "value", "x")) is True
    assert view.tabs.currentWidget() is view.pages["Parameters"]
    assert view.show_finding(Finding("error", "NoSuchSheet", 3, None, "x")) is False


def test_unreadable_file_shows_a_clear_dialog_not_a_crash(qtbot, window: MainWindow, tmp_path: Path, dialogs) -> None:
    junk = tmp_path / "not a workbook.xlsx"
    junk.write_text("area_id,population\nA1,5\n", encoding="utf-8")
    assert open_and_wait(qtbot, window, junk) == [False]
    qtbot.waitUntil(lambda: bool(dialogs), timeout=5000)
    kind, text = dialogs[0]
    assert kind == "critical"
    assert "not a workbook.xlsx" in text
    assert "Traceback" not in text
    assert window.state.read_result is None


def test_drop_an_xlsx_opens_it_and_other_files_are_refused(qtbot, window: MainWindow, sample_path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(sample_path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    assert window._dropped_workbook(event) == str(sample_path)
    with qtbot.waitSignal(window.load_finished, timeout=LOAD_TIMEOUT_MS):
        window.dropEvent(event)
    assert window.state.path == sample_path
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile("/tmp/notes.txt")])
    refused = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, other, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier)
    assert window._dropped_workbook(refused) is None


def test_recent_files_are_remembered_newest_first(qtbot, window: MainWindow, sample_path: Path,
                                                   sample_copy: Path, tmp_path: Path) -> None:
    second = tmp_path / "second.xlsx"
    shutil.copy2(sample_copy, second)
    open_and_wait(qtbot, window, sample_path)
    open_and_wait(qtbot, window, second)
    open_and_wait(qtbot, window, sample_path)
    assert window.recent_files() == [str(sample_path.resolve()), str(second.resolve())]
    window._fill_recent_menu()
    texts = [a.text() for a in window.recent_menu.actions() if a.text()]
    assert texts[0].endswith(sample_path.name) and texts[1].endswith("second.xlsx")


def test_geometry_is_kept_between_sessions(qtbot, qapp, tmp_path: Path, dialogs,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    configure_application(qapp)
    from desktop_app.ui import main_window as mw

    offscreen = MainWindow(settings=QSettings(str(tmp_path / "geom.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(offscreen)
    offscreen.close()
    # Offscreen runs (tests, builds) never save their tiny virtual-screen geometry...
    assert QSettings(str(tmp_path / "geom.ini"), QSettings.Format.IniFormat).value("geometry") is None
    # ...a window on a real display does.
    monkeypatch.setattr(mw.QGuiApplication, "platformName", staticmethod(lambda: "xcb"))
    first = MainWindow(settings=QSettings(str(tmp_path / "geom.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    first.show()
    saved = bytes(first.saveGeometry().data())
    first.close()
    restored: list[bytes] = []
    monkeypatch.setattr(MainWindow, "restoreGeometry", lambda self, g: restored.append(bytes(g.data())) or True)
    second = MainWindow(settings=QSettings(str(tmp_path / "geom.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    assert restored == [saved]


def test_new_blank_template(qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("desktop_app.core.workbook.template")
    target = tmp_path / "blank.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    window.template_action.trigger()
    qtbot.waitUntil(lambda: target.exists() and not window.busy(), timeout=LOAD_TIMEOUT_MS)
    names = openpyxl.load_workbook(target, read_only=True).sheetnames
    assert {"Parameters", "Areas", "Options", "Criteria"} <= set(names)


def test_menus_have_the_documented_actions_and_extension_hooks(window: MainWindow) -> None:
    file_texts = [a.text().replace("&", "") for a in window.menu("File").actions()]
    for text in ("Open workbook…", "Open recent", "New blank template…", "Export summary workbook…",
                 "Export chart as PNG…"):
        assert text in file_texts
    help_texts = [a.text().replace("&", "") for a in window.menu("Help").actions()]
    assert "About" in help_texts and "User guide" in help_texts
    # A new menu (e.g. Edit for undo) goes before Help.
    edit = window.menu("&Edit")
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index(edit.title()) < titles.index("&Help")
    assert window.menu("Edit") is edit


def test_about_names_version_and_licence(window: MainWindow, dialogs) -> None:
    from desktop_app import __version__

    window.about_action.trigger()
    kind, text = dialogs[-1]
    assert kind == "about" and __version__ in text and "MIT" in text


def test_keyboard_shortcuts_switch_views(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view_key() == "coverage"
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view_key() == "appraisal"


def test_filter_box_narrows_the_visible_sheet(qtbot, window: MainWindow, sample_path: Path) -> None:
    open_and_wait(qtbot, window, sample_path)
    view = window.data_view
    page = view.pages["Sites"]
    view.tabs.setCurrentWidget(page)
    sites = window.state.inputs.sites
    name = str(sites["site_name"].iloc[0])
    qtbot.keyClicks(view.filter, name)
    shown = {page.proxy.index(r, 1).data() for r in range(page.proxy.rowCount())}
    assert name in shown
    # Expected by hand: the rows in which some cell's text contains the name.
    text = page.model.frame().astype(str)
    expected = int(text.apply(lambda col: col.str.contains(name, case=False, regex=False)).any(axis=1).sum())
    assert page.proxy.rowCount() == expected < len(sites)
    view.filter.clear()
    assert page.proxy.rowCount() == len(sites)


def test_the_composition_root_installs_the_workshop_and_the_bare_window_has_none(qtbot, tmp_path: Path) -> None:
    """Undo, sessions and the optimiser are installed explicitly by build_main_window, never found by import."""
    from desktop_app.core.session.document import Autosave
    from desktop_app.ui.compose import build_main_window

    bare = MainWindow(settings=QSettings(str(tmp_path / "bare.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(bare)
    assert set(bare.views) == {"data", "coverage", "appraisal"} and "edit" not in bare._menus
    assert bare.open_guards == [] and bare.close_guards == []

    window, workshop = build_main_window(QSettings(str(tmp_path / "full.ini"), QSettings.Format.IniFormat),
                                         autosave=Autosave(tmp_path / "appdata"), offer_recovery=False)
    qtbot.addWidget(window)
    assert list(window.views) == ["data", "coverage", "appraisal", "weight_sets", "judgements", "optimiser",
                                  "value_functions", "scenarios", "tornado", "equality", "simulation"]
    edit = [a.text() for a in window.menu("Edit").actions()]
    assert edit[:2] == ["&Undo", "&Redo"]
    files = [a.text() for a in window.menu("File").actions()]
    assert {"Open sess&ion…", "&Save session", "Save session &as…"} <= set(files)
    # the session controller asks before another workbook replaces this one, and before closing
    assert window.open_guards == [workshop.sessions.maybe_save_changes]
    assert window.close_guards == [workshop.sessions.maybe_save_changes]
    assert workshop.optimiser.run_task == window.run_task
    assert window.simulation_view.run_task == window.run_task  # one task runner for every long job


def test_the_header_detail_drops_whole_parts_when_narrow(qtbot) -> None:
    """At 1024 pixels the detail line once read "borderda" and, at 1366, ended on a stray "·"."""
    from desktop_app.ui.banner import ForceHeader, fit_parts

    header = ForceHeader()
    qtbot.addWidget(header)
    detail = "borderdale.xlsx  ·  989 areas  ·  6 options  ·  target 20 min"
    fm = header.subtitle.fontMetrics()
    sep = ForceHeader.SEPARATOR
    # room for exactly the first two parts: the file name and the areas, never a trailing "·"
    two = fm.horizontalAdvance("borderdale.xlsx  ·  989 areas")
    assert fit_parts(detail, sep, fm, two + 2) == "borderdale.xlsx  ·  989 areas"
    assert fit_parts(detail, sep, fm, two - 1) == "borderdale.xlsx"
    # too narrow even for the file name: elided with "…", not cut without a sign
    assert fit_parts(detail, sep, fm, fm.horizontalAdvance("borderda")).endswith("…")
    assert fit_parts(detail, sep, fm, fm.horizontalAdvance(detail)) == detail
    # in the header: wide, the whole line and no tooltip; the line is kept whatever is shown
    header.set_force("Borderdale Police", detail, "SUBSTANTIAL")
    header.resize(2400, 60)
    header.show()
    qtbot.waitUntil(lambda: header.subtitle.text() == detail, timeout=2000)
    assert header.subtitle.toolTip() == "" and header.detail() == detail
