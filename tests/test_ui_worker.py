"""Background tasks: results, errors as dialogs (never a crash), and Cancel."""

from __future__ import annotations

import threading
import time

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget  # noqa: E402

from desktop_app.core.errors import InvalidWorkbookError, UnreadableFileError  # noqa: E402
from desktop_app.core.progress import check_cancelled  # noqa: E402
from desktop_app.ui.worker import TaskRunner, describe_error  # noqa: E402


@pytest.fixture()
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda _p, title, text, *a: shown.append(f"{title}|{text}")))
    return shown


def test_result_arrives_on_the_gui_thread(qtbot, boxes) -> None:
    gui = threading.get_ident()
    seen: dict[str, object] = {}

    def job(progress, cancelled):
        seen["thread"] = threading.get_ident()
        progress(0.5, "half way")
        return 42

    task = TaskRunner(job, title="Sum", show_dialog=False)
    messages: list[str] = []
    task.progress.connect(lambda f, m: messages.append(m))
    task.finished.connect(lambda r: seen.update(result=r, on=threading.get_ident()))
    with qtbot.waitSignal(task.done, timeout=10_000):
        task.start()
    assert seen["result"] == 42
    assert seen["thread"] != gui and seen["on"] == gui
    assert messages == ["half way"]
    assert boxes == []


def test_an_exception_becomes_a_clear_dialog(qtbot, boxes) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def job(progress, cancelled):
        raise UnreadableFileError("C:/data/force.xls", "this is an old .xls file; save it as .xlsx")

    task = TaskRunner(job, title="Opening force.xls", parent=parent, show_dialog=False)
    failures: list[object] = []
    task.failed.connect(lambda exc, tb: failures.append(exc))
    with qtbot.waitSignal(task.done, timeout=10_000):
        task.start()
    qtbot.waitUntil(lambda: bool(boxes), timeout=5000)
    assert isinstance(failures[0], UnreadableFileError)
    assert boxes == ["Opening force.xls: failed|C:/data/force.xls: this is an old .xls file; save it as .xlsx"]


def test_cancel_stops_the_task_at_its_next_check(qtbot, boxes) -> None:
    started = threading.Event()

    def job(progress, cancelled):
        started.set()
        for _ in range(500):
            check_cancelled(cancelled)
            time.sleep(0.01)
        return "finished anyway"

    task = TaskRunner(job, title="Long", show_dialog=True)
    results: list[object] = []
    task.finished.connect(results.append)
    with qtbot.waitSignal(task.cancelled, timeout=10_000):
        task.start()
        assert started.wait(5)
        task.cancel()
    assert results == [] and boxes == []
    assert task.running is False and task.dialog is None


def test_progress_dialog_cancel_button_cancels(qtbot, boxes) -> None:
    gate = threading.Event()

    def job(progress, cancelled):
        gate.wait(5)
        check_cancelled(cancelled)
        return 1

    task = TaskRunner(job, title="Dialog", show_dialog=True)
    assert task.dialog is not None and task.dialog.labelText() == "Dialog"
    with qtbot.waitSignal(task.cancelled, timeout=10_000):
        task.start()
        task.dialog.findChild(QPushButton).click()  # the dialog's Cancel button
        gate.set()


@pytest.mark.parametrize(
    ("exc", "text"),
    [
        (InvalidWorkbookError("Areas row 4 population: must be >= 0"), "Areas row 4 population: must be >= 0"),
        (KeyError("C9"), "KeyError: 'C9'"),
        (MemoryError(), "Out of memory: the workbook is too large for this machine."),
        (ValueError("bad\n  value"), "ValueError: bad value"),
    ],
)
def test_describe_error_is_one_line(exc: BaseException, text: str) -> None:
    assert describe_error(exc) == text


def test_unexpected_errors_in_slots_become_a_dialog(qtbot, boxes, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import sys

    from desktop_app.commands.gui import install_error_hook

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_error_hook(None)
    try:
        raise ValueError("column 'weight' is missing")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    qtbot.waitUntil(lambda: bool(boxes), timeout=5000)
    assert boxes == ["Armed Policing Options Appraisal: failed|ValueError: column 'weight' is missing"]
    err = capsys.readouterr().err
    assert err == "armed-options: internal error: ValueError: column 'weight' is missing\n"


def test_progress_runs_no_events_inside_the_slot(qtbot, boxes) -> None:
    """A shown, window-modal progress dialog: a report moves the bar and runs nothing else.

    QProgressDialog.setValue() on a modal dialog that is showing calls processEvents(), so a
    queued ``finished`` (or a window closing) was delivered inside the progress slot and
    deleted the dialog under it: the segfault of CI at stop 23. Here a timer is due before
    the report arrives; on the old code it fired inside ``_on_progress``.
    """
    from PySide6.QtCore import QTimer

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    task = TaskRunner(lambda p, c: None, title="Loading", parent=parent, show_dialog=True)
    assert task.dialog is not None
    task.dialog.forceShow()  # as after the 400 ms minimum duration
    qtbot.waitUntil(task.dialog.isVisible, timeout=5000)
    fired: list[str] = []
    QTimer.singleShot(0, lambda: fired.append("timer"))
    task._on_progress(0.5, "Half way")
    assert fired == []  # nothing ran inside the slot
    assert task.dialog.value() == 500 and task.dialog.labelText() == "Half way"  # 0.5 x 1000
    task._on_progress(float("nan"), "")  # a NaN fraction leaves the bar where it was
    assert task.dialog.value() == 500
    qtbot.waitUntil(lambda: fired == ["timer"], timeout=5000)  # it runs in the event loop instead
    task._on_finished(None)
    assert task.dialog is None


def test_a_runner_gone_mid_task_lets_go_of_its_signals_on_the_gui_thread(qtbot, boxes) -> None:
    """The task's signal object dies on the GUI thread, where it lives, not on the pool thread.

    When the runner has gone before its task ends (a window closed mid-task), the pool
    thread held the last reference; dropping it there destroyed a GUI-thread QObject from
    another thread. On the old code ``where`` was the pool thread's id.
    """
    import gc
    import weakref

    gui = threading.get_ident()
    gate, ran = threading.Event(), threading.Event()

    def job(progress, cancelled):
        gate.wait(5)
        progress(1.0, "done")
        ran.set()
        return 1

    task = TaskRunner(job, title="Gone", show_dialog=False)
    where: list[int] = []
    weakref.finalize(task._signals, lambda: where.append(threading.get_ident()))
    task.start()
    del task
    gc.collect()  # the runner is gone; only the running task still holds its signals
    gate.set()
    assert ran.wait(5)
    qtbot.waitUntil(lambda: bool(where), timeout=5000)
    assert where == [gui]
