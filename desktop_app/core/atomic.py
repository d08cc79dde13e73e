"""Atomic file writes with one-line errors for locked, read-only or full targets.

Every output (summary workbook, template, session file, workbook copy) goes
through :func:`atomic_write`: the bytes are written to a temporary file in the
target's folder, flushed and fsynced, then moved over the target with
``os.replace`` in one step. A crash at any moment leaves either the old file or
the new one, never half of one; the temporary file is removed on failure.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from desktop_app.core.errors import OutputError

_TMP_PREFIX = ".~armed-options-"


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


def atomic_write(path: str | os.PathLike[str], write: Callable[[BinaryIO], None]) -> Path:
    """Write a file atomically by calling ``write(stream)`` on a temporary file.

    Raises :class:`OutputError` (one line, exit status 2) when the target cannot be
    replaced; the old file is left exactly as it was.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.exists() and target.is_dir():
        raise OutputError(f"cannot write {target}: it is a folder")
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError(_why(target, PermissionError(errno.EACCES, "read-only")))
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=".tmp", dir=folder)
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
    return atomic_write(path, lambda stream: stream.write(data))


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Atomically replace ``path`` with UTF-8 ``text``."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def refuse_input_as_output(input_path: str | os.PathLike[str], output_path: str | os.PathLike[str]) -> None:
    """Raise :class:`OutputError` if the output would overwrite the input workbook."""
    a, b = Path(input_path), Path(output_path)
    same = False
    try:
        same = a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        same = False
    if same:
        raise OutputError(f"refusing to write {b}: it is the input workbook; choose another file name")
