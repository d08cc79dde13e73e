"""Atomic file writes with one-line errors for locked, read-only or full targets.

Every output (summary workbook, template, session file, workbook copy) goes
through :func:`atomic_write`: the bytes are written to a temporary file in the
target's folder, flushed and fsynced, then moved over the target with
``os.replace`` in one step. A crash at any moment leaves either the old file or
the new one, never half of one; the temporary file is removed on failure.

A process killed outright (power cut, SIGKILL, Task Manager) cannot remove its
temporary file. Temporary files are therefore named after their target
(``.~armed-options-<target name>.<random>.tmp``), and every write first deletes
that target's temporary files left by processes that died before this one
started (:func:`remove_stale_temps`), so the folder is clean after the next write.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from desktop_app.core.errors import OutputError

_TMP_PREFIX = ".~armed-options-"
_TMP_SUFFIX = ".tmp"
#: When this process started (near enough: when this module was imported). A temporary
#: file last modified before then belongs to a writer that can no longer be running here.
_PROCESS_STARTED = time.time()


def _why(path: Path, exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"cannot write {path}: the disk is full"
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EBUSY):
        return (
            f"cannot write {path}: the file is open in another program or read-only; "
            "close it (e.g. in Excel) and try again"
        )
    if exc.errno == errno.ENOENT:
        return f"cannot write {path}: the folder does not exist"
    return f"cannot write {path}: {exc.strerror or exc}"


def describe_os_error(path: str | os.PathLike[str], exc: OSError) -> str:
    """One line saying why ``path`` cannot be written (disk full, locked, read-only...)."""
    return _why(Path(path), exc)


def _temp_prefix(target: Path) -> str:
    """Temporary-file prefix for ``target``: its name, shortened to keep within name limits."""
    return f"{_TMP_PREFIX}{target.name[:80]}."


def remove_stale_temps(path: str | os.PathLike[str]) -> list[Path]:
    """Delete ``path``'s temporary files left by writers killed before this process started.

    Only files named for this target and last modified before this process started are
    removed, so a write in progress in another live process (whose file is being written
    now) is never touched. Failures are ignored: this is tidying, not the write itself.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    prefix = _temp_prefix(target)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(prefix) and entry.name.endswith(_TMP_SUFFIX)):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < _PROCESS_STARTED:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def atomic_write(path: str | os.PathLike[str], write: Callable[[BinaryIO], None]) -> Path:
    """Write a file atomically by calling ``write(stream)`` on a temporary file.

    Raises :class:`OutputError` (one line, exit status 2) when the target cannot be
    replaced; the old file is left exactly as it was.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    refuse_special_output(target)
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError(_why(target, PermissionError(errno.EACCES, "read-only")))
    remove_stale_temps(target)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=_TMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise OutputError(_why(target, exc)) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            with contextlib.suppress(OSError):
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OutputError(_why(target, exc)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return target


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Atomically replace ``path`` with ``data``."""
    def write(stream: BinaryIO) -> None:
        stream.write(data)

    return atomic_write(path, write)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Atomically replace ``path`` with UTF-8 ``text``."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def refuse_special_output(path: str | os.PathLike[str]) -> None:
    """Outputs replace regular files only: never a folder, a pipe, a socket or a device node.

    ``os.replace`` would put a regular file where ``/dev/full`` or a FIFO was (as root, a
    device node the system needs), so anything that exists and is not a regular file,
    after following links, is refused with one line.
    """
    target = Path(path)
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return  # nothing there (or a dangling link): a new file is created
    if stat.S_ISDIR(mode):
        raise OutputError(f"cannot write {target}: it is a folder")
    if not stat.S_ISREG(mode):
        raise OutputError(
            f"cannot write {target}: it is not a regular file (a device, pipe or socket); "
            "choose an ordinary file name"
        )


def refuse_input_as_output(
    inputs: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], output_path: str | os.PathLike[str]
) -> None:
    """Raise :class:`OutputError` if the output would overwrite any input, or is not a regular file.

    ``inputs`` is the input workbook, or every file the command reads (the workbook
    first, then the files it names, e.g. the travel-times CSV, and a session): the
    output may be none of them, by name, by link or by hard link.
    """
    paths = [Path(inputs)] if isinstance(inputs, str | os.PathLike) else [Path(p) for p in inputs]
    b = Path(output_path)
    refuse_special_output(b)
    for k, a in enumerate(paths):
        try:
            same = a.resolve() == b.resolve() or (b.exists() and a.exists() and os.path.samefile(a, b))
        except OSError:
            same = False
        if same:
            what = "the input workbook" if k == 0 else f"an input the workbook names ({a.name})"
            raise OutputError(f"refusing to write {b}: it is {what}; choose another file name")
