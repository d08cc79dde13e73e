"""The whole command line runs with the network cut off, and never even tries to connect.

Force data is OFFICIAL-SENSITIVE: the tool must work on an air-gapped laptop and
must not phone home (no update checks, telemetry, map tiles or font downloads).
Each command runs in a child process whose ``sitecustomize`` (on the child's
``PYTHONPATH`` only) replaces every way of reaching another machine (socket
``connect``/``connect_ex``/``sendto``, ``getaddrinfo``, ``gethostbyname``,
``create_connection``) with a function that records the attempt and raises. The
test then requires exit status 0 and an empty record. A canary proves the guard
catches a real attempt, so the empty record means something.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

_GUARD = textwrap.dedent(
    '''
    """Test guard (child process only): no network. Records and refuses every attempt."""
    import os
    import socket
    import traceback

    _log = os.environ.get("ARMED_OPTIONS_TEST_NET_LOG")
    if _log:
        def _refuse(what):
            def blocked(*args, **kwargs):
                with open(_log, "a", encoding="utf-8") as fh:
                    fh.write(f"{what} {args[1:] if what.startswith('socket.') else args!r}\\n")
                    fh.write("".join(traceback.format_stack(limit=6)) + "\\n")
                raise OSError(101, f"network blocked by test: {what}")
            return blocked

        for _name in ("connect", "connect_ex", "sendto", "sendmsg"):
            setattr(socket.socket, _name, _refuse(f"socket.{_name}"))
        for _name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "create_connection"):
            setattr(socket, _name, _refuse(_name))
    '''
)


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("armed-options")
    return [str(script)] if script.exists() else [sys.executable, "-m", "desktop_app"]


def _env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    guard = tmp_path / "guard"
    guard.mkdir(exist_ok=True)
    (guard / "sitecustomize.py").write_text(_GUARD, encoding="utf-8")
    log = tmp_path / "network-attempts.log"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(guard), env.get("PYTHONPATH", "")) if p)
    env["ARMED_OPTIONS_TEST_NET_LOG"] = str(log)
    env["ARMED_OPTIONS_DATA_DIR"] = str(tmp_path / "appdata")
    # Proxies would not be used anyway, but make sure nothing is told where to go.
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        env.pop(var, None)
    return env, log


def test_guard_catches_a_real_attempt(tmp_path: Path) -> None:
    env, log = _env(tmp_path)
    code = textwrap.dedent(
        """
        import socket, urllib.request
        for attempt in (lambda: urllib.request.urlopen("http://192.0.2.1/", timeout=2),
                        lambda: socket.socket().connect(("192.0.2.1", 80)),
                        lambda: socket.getaddrinfo("example.org", 443)):
            try:
                attempt()
            except OSError as exc:
                print("refused", exc)
        """
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.stdout.count("network blocked by test") == 3, done.stdout + done.stderr
    text = log.read_text()
    assert "create_connection" in text and "socket.connect" in text and "getaddrinfo" in text


@pytest.mark.slow  # several seconds: left out of the fast loop (docs/architecture.md#tests)
def test_whole_cli_runs_offline(tmp_path: Path, sample_copy: Path) -> None:
    """validate, appraise --json, optimise --json and template: exit 0, no connection, input untouched."""
    env, log = _env(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    commands = {
        "validate": ["validate", str(sample_copy)],
        "appraise": ["appraise", str(sample_copy), "-o", str(out / "summary.xlsx"), "--json", "--samples", "2000"],
        "optimise": ["optimise", str(sample_copy), "--posts", "2", "--json"],
        "template": ["template", str(out / "template.xlsx")],
    }
    before = (sample_copy.read_bytes(), sample_copy.stat().st_mtime_ns)
    for name, argv in commands.items():
        done = subprocess.run([*_cli(), *argv], env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path)
        assert done.returncode == 0, (name, done.stdout[-2000:], done.stderr[-2000:])
        assert "Traceback" not in done.stderr
        if name in ("appraise", "optimise"):
            json.loads(done.stdout)  # the real results came out, not an early exit
    assert (out / "summary.xlsx").stat().st_size > 0 and (out / "template.xlsx").stat().st_size > 0
    # No command ever writes to the input workbook (docs/reliability.md#guarantees).
    assert (sample_copy.read_bytes(), sample_copy.stat().st_mtime_ns) == before
    attempts = log.read_text() if log.exists() else ""
    assert attempts == "", f"the command line tried to reach the network:\n{attempts}"


@pytest.mark.gui
def test_gui_modules_import_offline(tmp_path: Path) -> None:
    """Importing the desktop app's window code (Qt, pyqtgraph) opens no connection either."""
    pytest.importorskip("PySide6")
    env, log = _env(tmp_path)
    env["QT_QPA_PLATFORM"] = "offscreen"
    code = "import desktop_app.ui.main_window"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert not log.exists() or log.read_text() == ""
