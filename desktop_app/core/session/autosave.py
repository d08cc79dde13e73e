"""Autosave and crash recovery for workshop sessions.

:class:`Autosave` keeps an ``autosave.json`` written atomically every minute plus a
``running.lock`` marker that a clean shutdown removes. If the app starts and finds an
autosave with a lock left behind by a process that is no longer running, the previous
run crashed and the autosave is offered for recovery. An autosave interrupted
mid-write leaves the previous autosave intact, because the write is atomic.

Public names are re-exported from :mod:`desktop_app.core.session.document`.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core._io.atomic import atomic_write_text
from desktop_app.core.session.records import SessionError

if TYPE_CHECKING:  # session.py imports this module; Session is imported where it is used
    from desktop_app.core.session.document import Session

AUTOSAVE_NAME = "autosave.json"
LOCK_NAME = "running.lock"
DATA_DIR_ENV = "ARMED_OPTIONS_DATA_DIR"
#: A lock not refreshed for this long is a crashed run's, even if its pid is in use again.
HEARTBEAT_STALE_SECONDS = 180.0


def data_dir() -> Path:
    """The per-user app-data folder (created on demand by the callers that write).

    ``ARMED_OPTIONS_DATA_DIR`` overrides it (tests, portable installs). Otherwise:
    Windows ``%APPDATA%\\ArmedOptions``; macOS ``~/Library/Application Support/ArmedOptions``;
    elsewhere ``$XDG_DATA_HOME/armed-options`` or ``~/.local/share/armed-options``
    (what platformdirs would give, without the dependency).
    """
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / "ArmedOptions"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "ArmedOptions"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "armed-options"


def _pid_alive(pid: int) -> bool:
    """Whether a process id is running now (so a lock is another live instance's)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return bool(ok) and code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)  # signal 0: existence check only (never on Windows, see above)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class Recovery:
    """An autosave left by a run that did not shut down cleanly."""

    session: Session
    saved_at: str
    path: Path


class Autosave:
    """Autosave file plus a running marker, in one app-data folder.

    Life cycle: at start, :meth:`pending_recovery` (before :meth:`mark_running`) says
    whether the last run crashed and left work; :meth:`mark_running` writes the lock;
    :meth:`save` writes ``autosave.json`` atomically (every minute, from a timer);
    :meth:`mark_clean_shutdown` removes both when the app closes normally.
    """

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self.folder = Path(folder) if folder is not None else data_dir()

    @property
    def autosave_path(self) -> Path:
        return self.folder / AUTOSAVE_NAME

    @property
    def lock_path(self) -> Path:
        return self.folder / LOCK_NAME

    def _lock_pid(self) -> int | None:
        try:
            return int(json.loads(self.lock_path.read_text(encoding="utf-8")).get("pid", 0))
        except (OSError, ValueError, AttributeError, TypeError):
            return None

    def _held_by_live_instance(self) -> bool:
        """True when the lock is another running instance's: pid alive AND heartbeat fresh.

        The heartbeat (the lock's mtime, refreshed by :meth:`heartbeat` every autosave tick)
        guards against a crashed run's pid having been reused by an unrelated process.
        """
        pid = self._lock_pid()
        if pid is None or pid == os.getpid() or not _pid_alive(pid):
            return False
        try:
            age = time.time() - self.lock_path.stat().st_mtime
        except OSError:
            return False
        return age < HEARTBEAT_STALE_SECONDS

    def pending_recovery(self) -> Recovery | None:
        """The crashed run's autosave, or None.

        None when there is no autosave, when the last run shut down cleanly (no lock), or
        when the lock belongs to another instance that is still running (its autosave is
        live work, not a crash). A damaged autosave is not offered (it cannot be: the write
        is atomic, so that means someone else wrote it).
        """
        if not self.autosave_path.exists() or not self.lock_path.exists():
            return None
        if self._held_by_live_instance():
            return None
        from desktop_app.core.session.document import (
            Session,  # local: session.py re-exports this module
        )

        try:
            session = Session.load(self.autosave_path)
        except SessionError:
            return None
        return Recovery(session, session.saved_at, self.autosave_path)

    def mark_running(self) -> None:
        """Record that this process is running: left behind if it crashes."""
        self.folder.mkdir(parents=True, exist_ok=True)
        info = {"pid": os.getpid(), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        atomic_write_text(self.lock_path, json.dumps(info))

    def heartbeat(self) -> None:
        """Refresh the lock so other instances know this one is alive (every autosave tick)."""
        self.mark_running()

    def save(self, session: Session) -> Path:
        """Autosave atomically: an interrupted autosave leaves the last good one."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return session.save(self.autosave_path)

    def discard(self) -> None:
        """Forget the autosave (the user declined recovery, or saved properly)."""
        with contextlib.suppress(FileNotFoundError):
            self.autosave_path.unlink()

    def mark_clean_shutdown(self) -> None:
        """A normal exit: nothing to recover next time."""
        self.discard()
        with contextlib.suppress(FileNotFoundError):
            self.lock_path.unlink()
