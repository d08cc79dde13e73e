"""Sessions in the desktop app: save/open, autosave every minute, crash recovery, close prompt.

The core (:mod:`desktop_app.core.session.document`) defines the file and the recovery rules;
this controller connects them to the main window:

- File ▸ Save session (Ctrl+S), Save session as…, Open session…;
- an autosave of the afternoon's work every minute to the user's app-data folder, and
  a heartbeat so a second running copy of the app is not mistaken for a crash;
- at start, if the last run crashed and left an autosave, an offer to recover it;
- on close, a prompt when there are unsaved changes (Save / Discard / Cancel);
- on opening a session whose workbook has changed, a warning that says what changed.

Dialogs are QMessageBox/QFileDialog static methods, so tests patch them.
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox
from shiboken6 import isValid

from desktop_app.core.added_option import AddedOption, added_option_deployments
from desktop_app.core.appraisal.value_functions import points_problem
from desktop_app.core.dates import human_date
from desktop_app.core.errors import ToolError
from desktop_app.core.session.document import (
    SESSION_SUFFIX,
    Autosave,
    Session,
    SessionError,
    WorkbookFingerprint,
    check_workbook,
    fingerprint_workbook,
)
from desktop_app.ui.judgement_editor import judgement_edits
from desktop_app.ui.undo import WeightSetStore, WorkshopUndo
from desktop_app.ui.value_function_view import value_point_edits

if TYPE_CHECKING:
    from desktop_app.ui.window_host import WindowHost

AUTOSAVE_INTERVAL_MS = 60_000
SESSION_FILTER = f"Workshop sessions (*{SESSION_SUFFIX} *.json);;All files (*)"


_QUESTION = QMessageBox.question


def can_ask() -> bool:
    """Whether a modal question can be answered: not on a headless (offscreen) display.

    On the offscreen platform (CI, scripted screenshots) nobody can see a dialog, and a
    modal one would block for ever; there the work is autosaved instead. A test that
    patches ``QMessageBox.question`` gets its patched answer.
    """
    headless = QGuiApplication.platformName() in ("offscreen", "minimal")
    return not headless or QMessageBox.question is not _QUESTION


class SessionController(QObject):
    """Save, open, autosave and recover workshop sessions for one main window."""

    #: Emitted when a session has been fully restored (its path, "" for a recovery).
    session_restored = Signal(str)
    #: Emitted after a session file is written.
    saved = Signal(str)

    def __init__(self, window: WindowHost, store: WeightSetStore, undo: WorkshopUndo,
                 autosave: Autosave | None = None, interval_ms: int = AUTOSAVE_INTERVAL_MS) -> None:
        super().__init__(window.dialog_parent())
        self.window = window
        self.parent_widget = window.dialog_parent()
        self.state = window.state
        self.store = store
        self.undo = undo
        self.autosave = autosave or Autosave()
        self.path: Path | None = None
        self._fingerprint: tuple[str, WorkbookFingerprint] | None = None
        # Written by the fingerprint thread, which holds this list and not the controller:
        # a QObject is never let go of on a thread other than its own.
        self._background_fingerprint: list[tuple[str, WorkbookFingerprint]] = []
        self._unsaved_restore = False  # a recovered session is work not yet saved anywhere
        self._pending_edits: list[Any] = []
        #: Ids of the added options a restored session is waiting to see computed.
        self._awaited_options: set[str] = set()
        self.last_check_message = ""
        self._keep_autosave = False
        self._recovery_offered = False

        self.save_action = self._action("&Save session", self.save, QKeySequence.StandardKey.Save,
                                        "Save the workshop (weights, sets, judgement edits, added options)")
        self.save_as_action = self._action("Save session &as…", self.save_as, "Ctrl+Shift+S",
                                           "Save the workshop to a new session file")
        self.open_action = self._action("Open sess&ion…", self.open_dialog, "Ctrl+Shift+O",
                                        "Reopen a saved workshop session")

        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.autosave_now)
        self.timer.start()

        self.state.inputs_changed.connect(self._on_new_inputs)
        self.state.coverage_changed.connect(self._apply_pending_edits)
        undo.stack.cleanChanged.connect(lambda _c: self._update_title())
        # after the main window's own title refresh (connected earlier, so called first)
        self.state.inputs_changed.connect(self._update_title)
        self.state.coverage_changed.connect(self._update_title)
        # Opening or reloading a workbook resets the workshop, so it asks first, like closing.
        window.open_guards.append(self.maybe_save_changes)
        window.close_guards.append(self.maybe_save_changes)
        window.on_close.append(self._on_window_closed)

    def _action(self, text: str, slot: Callable[[], Any], shortcut: Any, tip: str) -> QAction:
        action = QAction(text, self.parent_widget)
        action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _c=False: slot())
        return action

    # ------------------------------------------------------------------ state
    @property
    def dirty(self) -> bool:
        """True when the workshop has changes no session file holds yet."""
        return self.state.run is not None and (self._unsaved_restore or not self.undo.stack.isClean())

    def _on_new_inputs(self) -> None:
        self._fingerprint = None
        self._pending_edits = []
        inputs, path = self.state.inputs, self.state.path
        if inputs is None or path is None:
            return
        sha = inputs.sha256
        ready = self._background_fingerprint

        def work() -> None:  # reads the workbook (~0.1 s): off the GUI thread, ready for the first autosave
            try:
                fp = fingerprint_workbook(path)
            except SessionError:
                return
            ready[:] = [(sha, fp)]

        threading.Thread(target=work, name="workbook-fingerprint", daemon=True).start()

    def _workbook_fingerprint(self) -> WorkbookFingerprint:
        inputs = self.state.inputs
        path = self.state.path
        if inputs is None or path is None:
            return WorkbookFingerprint()
        ready = self._background_fingerprint[0] if self._background_fingerprint else None
        if (self._fingerprint is None or self._fingerprint[0] != inputs.sha256) and ready and ready[0] == inputs.sha256:
            self._fingerprint = ready
        if self._fingerprint is None or self._fingerprint[0] != inputs.sha256:
            try:
                fp = fingerprint_workbook(path)
            except SessionError:
                fp = WorkbookFingerprint()
            self._fingerprint = (inputs.sha256, fp)
        return self._fingerprint[1]

    def current_session(self) -> Session | None:
        """The workshop as a :class:`Session` (None when no valid workbook is open)."""
        inputs, path = self.state.inputs, self.state.path
        if inputs is None or path is None or self.state.run is None:
            return None
        specs = list(self.state.extra_options)
        return Session(
            workbook_path=str(Path(path).resolve()),
            workbook_sha256=inputs.sha256,
            fingerprint=self._workbook_fingerprint(),
            weights={c: float(w) for c, w in self.state.weights.items()},
            active_weight_set=self.state.active_weight_set,
            weight_sets=list(self.state.weight_sets),
            judgement_edits=judgement_edits(self.state),
            added_options=specs,
            value_point_edits=value_point_edits(self.state),
            group_weights=dict(self.state.workshop.group_weights),
        )

    def _update_title(self) -> None:
        if not isValid(self.parent_widget):  # the window is being destroyed at exit
            return
        base = self.window.windowTitle().removesuffix(" *").replace("[*]", "")
        self.window.setWindowTitle(base + " *" if self.dirty else base)

    # ------------------------------------------------------------------ saving
    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self.save_to(self.path)

    def save_as(self) -> bool:
        session = self.current_session()
        if session is None:
            QMessageBox.information(self.parent_widget, "Save session", "Open a valid workbook first.")
            return False
        suggested = Path(session.workbook_path).with_suffix("").name + " workshop" + SESSION_SUFFIX
        start = self.path.parent if self.path else Path(session.workbook_path).parent
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, "Save workshop session", str(start / suggested), SESSION_FILTER)
        if not path:
            return False
        if not path.lower().endswith(".json"):
            path += SESSION_SUFFIX
        return self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        """Write the session atomically; a locked or read-only target is one clear message."""
        session = self.current_session()
        if session is None:
            return False
        try:
            session.save(path)
        except ToolError as exc:
            QMessageBox.warning(self.parent_widget, "Save session", exc.one_line())
            return False
        self.path = Path(path)
        self._unsaved_restore = False
        self.undo.stack.setClean()
        self._update_title()
        self.window.statusBar().showMessage(f"Session saved to {path}", 8000)
        self.saved.emit(str(path))
        return True

    def autosave_now(self) -> bool:
        """Autosave (if there is unsaved work) and refresh the running heartbeat."""
        with contextlib.suppress(ToolError, OSError):
            self.autosave.heartbeat()
        if not self.dirty:
            return False
        session = self.current_session()
        if session is None:
            return False
        try:
            self.autosave.save(session)
        except ToolError as exc:  # a full disk must not interrupt the workshop
            self.window.statusBar().showMessage(f"Autosave failed: {exc.one_line()}", 8000)
            return False
        return True

    # ------------------------------------------------------------------ opening
    def open_dialog(self) -> None:
        if not self.maybe_save_changes():
            return
        start = str(self.path.parent) if self.path else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self.parent_widget, "Open workshop session", start, SESSION_FILTER)
        if path:
            self.open_session(Path(path))

    def open_session(self, path: Path) -> bool:
        """Open a session file: check its workbook, load it, then restore the workshop."""
        try:
            session = Session.load(path)
        except SessionError as exc:
            QMessageBox.warning(self.parent_widget, "Open session", exc.one_line())
            return False
        return self.restore(session, session_path=Path(path))

    def restore(self, session: Session, *, session_path: Path | None = None, recovered: bool = False) -> bool:
        """Load the session's workbook (warning if it changed) and re-apply the workshop."""
        check = check_workbook(session, session_path)
        self.last_check_message = "" if check.ok else check.message()
        if check.status == "missing":
            QMessageBox.warning(self.parent_widget, "Open session",
                                f"{check.message()} Put the workbook back (or beside the session file) and try again.")
            return False
        if check.status == "unreadable":
            QMessageBox.warning(self.parent_widget, "Open session", check.message())
            return False
        if check.status == "changed":
            QMessageBox.warning(self.parent_widget, "The workbook has changed",
                                check.message() + "\n\nThe session will be applied to the workbook as it is now; "
                                "anything that no longer matches is left out.")

        def loaded(ok: bool) -> None:
            self.window.load_finished.disconnect(loaded)
            if ok:
                self._apply(session, session_path, recovered)

        def start() -> None:
            self.window.load_finished.connect(loaded)
            self.window.load_workbook(check.path)

        self._when_idle(start)
        return True

    def _when_idle(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` once the window has no background task (e.g. the sample still loading)."""
        if not self.window.busy():
            fn()
            return
        QTimer.singleShot(100, lambda: self._when_idle(fn))

    def _apply(self, session: Session, session_path: Path | None, recovered: bool) -> None:
        state = self.state
        workshop = state.workshop
        skipped: list[str] = []
        criteria = set(state.weights)
        options: list[AddedOption] = []
        with self.undo.applying():
            unknown = [c for c in session.weights if c not in criteria]
            if unknown:
                skipped.append(f"weights for criteria no longer in the workbook: {', '.join(unknown)}")
            merged = dict(state.weights)
            merged.update({c: w for c, w in session.weights.items() if c in criteria and math.isfinite(w)})
            workshop.set_weights(merged)
            branches = set(workshop.group_weights)
            gone = [g for g in session.group_weights if g not in branches]
            if gone:
                skipped.append(f"weights for branches no longer in the workbook: {', '.join(gone)}")
            if session.group_weights and branches:
                kept = {g: w for g, w in session.group_weights.items() if g in branches and math.isfinite(w)}
                workshop.set_group_weights({**workshop.group_weights, **kept})
            workshop.replace_weight_sets(session.weight_sets, session.active_weight_set)
            inputs = state.inputs
            for spec in session.added_options:
                try:
                    if inputs is not None:
                        added_option_deployments(inputs, spec)  # its sites must still be in the workbook
                    options.append(spec)
                except (ValueError, KeyError) as exc:
                    skipped.append(f"added option {spec.option_id}: {exc}")
            self._awaited_options = {o.option_id for o in options}
            self._pending_edits = list(session.judgement_edits)
            for vp in session.value_point_edits:  # value functions (docs/appraisal-method.md#value-functions)
                if vp.criterion_id in criteria and points_problem(vp.points) is None:
                    workshop.set_value_points(vp.criterion_id, vp.points, vp.rationale)
                else:
                    skipped.append(f"value function for {vp.criterion_id}: not a measured criterion of the workbook")
            self._apply_pending_edits(skipped)
        self.undo.reset()
        if options:
            workshop.set_options(options)  # the main window re-runs coverage with them
        self.path = None if recovered else session_path
        self._unsaved_restore = recovered
        self._update_title()
        if skipped:
            QMessageBox.information(self.parent_widget, "Session restored with changes",
                                    "Some parts of the session did not match the workbook and were left out:\n"
                                    + "\n".join(f"- {s}" for s in skipped))
        self.window.statusBar().showMessage("Session restored." if not recovered else "Recovered the unsaved workshop.", 8000)
        self.session_restored.emit("" if session_path is None else str(session_path))

    def _apply_pending_edits(self, skipped: list[str] | None = None) -> None:
        """Apply judgement edits whose option and criterion exist (added options arrive later)."""
        if not self._pending_edits:
            return
        state = self.state
        options = set(state.option_ids())
        criteria = set(state.weights)
        waiting = []
        with self.undo.applying():
            for e in self._pending_edits:
                if e.criterion_id not in criteria:
                    if skipped is not None:
                        skipped.append(f"judgement edit {e.option_id}/{e.criterion_id}: criterion not in the workbook")
                    continue
                if e.option_id not in options:
                    if e.option_id in self._awaited_options:
                        waiting.append(e)  # an added option still being computed
                    elif skipped is not None:
                        skipped.append(f"judgement edit {e.option_id}/{e.criterion_id}: option not in the workbook")
                    continue
                state.workshop.set_judgement(e.option_id, e.criterion_id, e.score, e.rationale)
        self._pending_edits = waiting

    # ------------------------------------------------------------------ recovery
    def offer_recovery(self) -> bool:
        """At start: offer the crashed run's autosave; then mark this run as running.

        Only the first call does anything (install() schedules one at start-up).
        """
        if self._recovery_offered:
            return False
        self._recovery_offered = True
        recovery = self.autosave.pending_recovery()
        restored = False
        if recovery is not None and can_ask():
            s = recovery.session
            when = f" (autosaved {human_date(s.saved_at)})" if s.saved_at else ""
            answer = QMessageBox.question(
                self.parent_widget, "Recover unsaved work?",
                f"Armed Policing Options Appraisal did not close normally last time{when}.\n\n"
                f"Recover the unsaved workshop on {Path(s.workbook_path).name}?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
            if answer == QMessageBox.StandardButton.Yes:
                restored = self.restore(s, recovered=True)
            else:
                self.autosave.discard()
        with contextlib.suppress(ToolError, OSError):
            self.autosave.mark_running()
        return restored

    # ------------------------------------------------------------------ closing
    def maybe_save_changes(self) -> bool:
        """Ask about unsaved changes; False means the user cancelled."""
        if not self.dirty:
            return True
        if not can_ask():
            # Nobody is there to answer: keep the work in the autosave (and the lock, so
            # the next start offers it) rather than lose it or hang on a dialog.
            self._keep_autosave = self.autosave_now()
            return True
        answer = QMessageBox.question(
            self.parent_widget, "Unsaved workshop",
            "The workshop has changes that are not saved in a session file. Save them?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.autosave.discard()  # discarded work must not come back as a "recovery"
            self._unsaved_restore = False
            self.undo.stack.setClean()
            return True
        return False

    def _on_window_closed(self) -> None:
        """The window agreed to close: stop autosaving and record a clean shutdown."""
        self.timer.stop()
        if not self._keep_autosave:
            with contextlib.suppress(OSError):
                self.autosave.mark_clean_shutdown()
