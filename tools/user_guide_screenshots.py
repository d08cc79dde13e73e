"""Regenerate the user guide's screenshots by running a mock workshop on the sample force.

    python tools/user_guide_screenshots.py [OUT_DIR]        (default: docs/user-guide/)

Runs offscreen by default (no display needed; set QT_QPA_PLATFORM=xcb with DISPLAY set
to watch it on a real or Xvfb screen). The steps are exactly the walk-through in
docs/user-guide.md: open the sample force, look at the appraisal, present in workshop
mode, move a weight, capture the room's weights, compare the stakeholder sets, revise a
judgement, run the optimiser and add its answer as an option, see the recovery and
changed-workbook messages, save the session and export the summary. Every screenshot
is a ``widget.grab()`` at 1366x768, the common police laptop and projector size.
Dialogs that would wait for a person are filled in by the script.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

_DATA = tempfile.mkdtemp(prefix="armed-options-guide-")
if "QT_QPA_PLATFORM" not in os.environ:
    # Offscreen, with one 1366x768 screen (the offscreen default is 800x800), so workshop
    # mode goes full screen at the size of a police laptop or meeting-room projector.
    _screen = Path(_DATA) / "offscreen.json"
    _screen.write_text('{"screens": [{"name": "Projector", "x": 0, "y": 0, "width": 1366, "height": 768, '
                       '"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}', encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screen}"
os.environ["ARMED_OPTIONS_DATA_DIR"] = str(Path(_DATA) / "appdata")  # never the user's own

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget  # noqa: E402

from desktop_app.ui.app import create_application  # noqa: E402

SIZE = (1366, 768)


def wait(app: QApplication, until: Callable[[], bool], timeout: float = 120.0, what: str = "") -> None:
    """Process events until ``until()`` holds (the app's work runs in background threads)."""
    end = time.monotonic() + timeout
    while not until():
        if time.monotonic() > end:
            raise TimeoutError(f"timed out waiting for {what or 'the app'}")
        app.processEvents()
        time.sleep(0.01)


def settle(app: QApplication, seconds: float = 0.3) -> None:
    """Let deferred refreshes and layouts run before a screenshot."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


class Shooter:
    """Saves numbered screenshots and remembers them for the summary at the end."""

    def __init__(self, app: QApplication, out: Path) -> None:
        self.app = app
        self.out = out
        self.saved: list[Path] = []
        out.mkdir(parents=True, exist_ok=True)

    def __call__(self, name: str, widget: QWidget) -> Path:
        settle(self.app)
        path = self.out / f"{name}.png"
        if not widget.grab().save(str(path), "PNG"):
            raise OSError(f"could not save {path}")
        self.saved.append(path)
        print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        return path


def message_box(icon: QMessageBox.Icon, title: str, text: str, buttons: QMessageBox.StandardButton) -> QMessageBox:
    box = QMessageBox(icon, title, text, buttons)
    box.show()
    return box


def check_summary(path: Path, added_option: str) -> None:
    """The mock workshop checks its own output: the room's work is in the summary."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))

    def text(sheet: str) -> str:
        return " ".join(str(c) for row in book.get_sheet_by_name(sheet).to_python() for c in row)

    problems = []
    if "Room consensus" not in text("WeightSets"):
        problems.append("the captured weight set is missing from WeightSets")
    if "Judgements changed in the workshop" not in text("Summary"):
        problems.append("the judgement edit is missing from Summary")
    if added_option not in text("Options"):
        problems.append(f"the added option {added_option} is missing from Options")
    if problems:
        raise SystemExit("summary check failed: " + "; ".join(problems))
    print(f"  checked {path.name}: captured set, judgement edit and added option are all in it")


def run(out: Path) -> list[Path]:
    app = create_application(sys.argv[:1])
    from desktop_app.core.paths import sample_workbook
    from desktop_app.core.session.document import Session, check_workbook
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.workshop_integration import install

    work = Path(_DATA)
    sample = work / "borderdale.xlsx"
    for f in sample_workbook().parent.iterdir():
        if f.suffix.lower() in (".xlsx", ".csv"):
            shutil.copy2(f, work / f.name)
    shoot = Shooter(app, out)
    settings = QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings)
    workshop = getattr(window, "workshop", None) or install(window, offer_recovery=False)
    window.resize(*SIZE)
    window.show()

    print("1. Open the sample force")
    done: list[bool] = []
    window.load_finished.connect(done.append)
    window.open_workbook(sample)
    wait(app, lambda: bool(done), what="the sample force to load")
    state = window.state
    window.show_view("appraisal")
    shoot("01-appraisal", window)

    print("2. The stakeholder weight sets from the workbook")
    window.show_view("weight_sets")
    shoot("02-weight-sets", window)

    print("3. Workshop mode on the projector")
    pres = workshop.enter_workshop_mode()
    wait(app, pres.isFullScreen, what="workshop mode to go full screen")
    shoot("03-workshop-mode", pres)

    print("4. The room moves a weight (one drag = one undo step)")
    # the Community branch: C7 is its only criterion, so its own slider is held (ui/tree_weights.py)
    slider = pres.branch_rows["Community"].slider
    slider.setSliderDown(True)
    for v in (*range(15, 31, 3), 30):
        slider.setValue(v)
    slider.setSliderDown(False)
    shoot("04-workshop-weight-moved", pres)

    print("5. Capture the room's weights")
    workshop.weight_sets.capture("Room consensus")
    pres.leave()
    window.show_view("weight_sets")
    workshop.weight_sets.select("Room consensus")
    shoot("05-weight-sets-compared", window)
    workshop.weight_sets.compare_tabs.setCurrentIndex(1)
    shoot("06-drivers-of-disagreement", window)
    workshop.weight_sets.compare_tabs.setCurrentIndex(0)

    print("6. Revise a judgement, with its reason")
    window.show_view("judgements")
    editor = workshop.judgements
    editor.edit("OPT5", "C7", 70.0, "Community panel: three armed stations felt proportionate once "
                "neighbour cover was explained")
    editor.select("OPT5", "C7")
    shoot("07-judgement-edited", window)

    print("7. The optimiser: where would four ARO posts do most good?")
    window.show_view("optimiser")
    opt = workshop.optimiser
    opt.posts.setValue(4)
    got: list[int] = []
    opt.optimised.connect(lambda: got.append(1))
    opt.run()
    wait(app, lambda: bool(got), what="the optimiser")
    shoot("08-optimiser", window)

    print("8. Add as option, with the costs the force expects")
    spec = opt.proposed_spec()
    dialog = opt.make_dialog(spec)  # as the app builds it: the posts' defaults and the judgement criteria
    dialog.option_name.setText("Arm four optimised stations")
    dialog.one_off.setValue(180_000)
    dialog.annual.setValue(560_000)
    dialog.months.setValue(9)
    dialog.show()
    shoot("09-add-as-option", dialog)
    values = dialog.values()
    dialog.close()
    opt.add_as_option(**values)
    wait(app, lambda: spec.option_id in state.option_ids() and not window.busy(), what="the re-run")
    window.show_view("appraisal")
    shoot("10-appraisal-with-new-option", window)

    print("9. Save the session; what reopening looks like after a crash or a changed workbook")
    session_path = work / "Borderdale workshop.armedsession.json"
    workshop.sessions.save_to(session_path)
    session = Session.load(session_path)
    box = message_box(QMessageBox.Icon.Question, "Recover unsaved work?",
                      "Armed Policing Options Appraisal did not close normally last time "
                      f"(autosaved {session.saved_at}).\n\nRecover the unsaved workshop on borderdale.xlsx?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    shoot("11-recovery-prompt", box)
    box.close()
    import openpyxl

    changed = work / "changed"
    changed.mkdir()
    shutil.copy2(sample, changed / sample.name)
    book = openpyxl.load_workbook(changed / sample.name)
    for row in book["Parameters"].iter_rows(min_row=2):
        if row[0].value == "target_minutes":
            row[1].value = 15
    book.save(changed / sample.name)
    session.workbook_path = str(changed / sample.name)
    check = check_workbook(session)
    box = message_box(QMessageBox.Icon.Warning, "The workbook has changed",
                      check.message() + "\n\nThe session will be applied to the workbook as it is now; "
                      "anything that no longer matches is left out.", QMessageBox.StandardButton.Ok)
    shoot("12-workbook-changed", box)
    box.close()

    print("10. Export the summary workbook")
    summary = work / "Borderdale options appraisal summary.xlsx"
    QFileDialog.getSaveFileName = staticmethod(lambda *a, **k: (str(summary), ""))  # type: ignore[method-assign]
    exported: list[str] = []
    window.exported.connect(exported.append)
    window.export_summary()
    wait(app, lambda: bool(exported), what="the export")
    shoot("13-exported", window)
    check_summary(summary, spec.option_id)

    workshop.undo.stack.setClean()
    window.close()
    return shoot.saved


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else ROOT / "docs" / "user-guide"
    try:
        saved = run(out)
    finally:
        shutil.rmtree(_DATA, ignore_errors=True)
    print(f"{len(saved)} screenshots written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

