"""What CI must have, and running a test as an ordinary user when the suite runs as root.

A test that needs a real client (LibreOffice) or a non-root user must not skip
silently in CI: that is a check nobody made, reported as a pass. Under CI (the
``CI`` environment variable, set by the CI runner and by ``.ci/run``) a missing
requirement FAILS; on a developer's machine it is a skip whose reason says what to
install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The user and group an unprivileged run uses: "nobody" / "nogroup" on Debian.
NOBODY = 65534


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(reason: str) -> NoReturn:
    """Fail under CI, skip elsewhere; ``reason`` names what is missing and how to get it."""
    if in_ci():
        pytest.fail(f"{reason}; CI must run this test (.ci/run installs what it needs)", pytrace=False)
    pytest.skip(reason)


def rerun_unprivileged(nodeid: str) -> None:
    """Run one test of this suite again as user ``nobody`` (setpriv), and fail if it fails.

    For tests about file permissions, which root ignores. ``nobody`` keeps one
    capability, CAP_DAC_READ_SEARCH (read any file, enter any folder), as an ambient
    capability: the interpreter may live where only root can read (a pyenv under
    /root, as on this project's machines), and that capability grants no write, so
    every write is judged exactly as for an ordinary user. The child pytest gets
    temporary folders made for ``nobody`` and writes no cache or bytecode.
    """
    if shutil.which("setpriv") is None:
        missing("setpriv (util-linux) is not installed: cannot drop root to run a permission test")
    scratch = Path(tempfile.mkdtemp(prefix="armed-options-nobody-"))
    try:
        os.chown(scratch, NOBODY, NOBODY)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "ARMED_OPTIONS_"))}
        env.update(HOME=str(scratch), TMPDIR=str(scratch), PYTHONDONTWRITEBYTECODE="1",
                   ARMED_OPTIONS_DATA_DIR=str(scratch / "data"))
        cmd = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--no-new-privs",
               "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search",
               sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               f"--basetemp={scratch / 'pytest'}", f"--rootdir={ROOT}", "-c", str(ROOT / "pyproject.toml"),
               f"{ROOT / nodeid}"]
        done = subprocess.run(cmd, cwd=scratch, env=env, capture_output=True, text=True, timeout=600, check=False)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    output = done.stdout + done.stderr
    assert done.returncode == 0 and " passed" in output, f"as user nobody: exit {done.returncode}\n{output[-4000:]}"
    assert "skipped" not in output, f"as user nobody the test skipped:\n{output[-2000:]}"
