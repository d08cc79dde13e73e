"""Time the FROZEN app from launch to a usable window, and smoke-test its GUI.

    python packaging/measure_startup.py packaging/dist/armed-options/armed-options \
        --runs 5 --budget 4.0

"Usable" means the main window is shown AND the bundled sample force has
finished loading: ``armed-options gui`` (desktop_app/commands/gui.py) prints
``armed-options: workbook loaded; quitting in N ms`` on stderr at exactly that
moment when ``ARMED_OPTIONS_QUIT_AFTER_MS`` is set. We time from ``Popen`` to
that line, so the figure includes the bootloader, unpacking nothing (one-folder),
starting Python, importing Qt/pandas/pyqtgraph and reading the workbook.

Cold start: before each run the bundle's own files are evicted from the page
cache with ``posix_fadvise(DONTNEED)`` (no root needed and no effect on other
processes' files), so every run reads the app from disk as after a reboot;
system libraries (libc, X11) stay cached, as they would on a laptop in use.

Each run must exit 0 with no Python traceback, no "could not load the Qt
platform plugin" and no "internal error" on stderr; otherwise exit status 1. So
does a wall-clock median over ``--budget``: packaging/check_frozen.sh passes a
generous limit (90 s) that only a hang reaches; the 4 s cold-start target is judged
by tests/benchmarks/bench_frozen.py, which reports rather than gates.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

READY_MARK = "workbook loaded"
BAD_MARKS = ("Traceback (most recent call last)", "could not load the Qt platform plugin",
             "internal error", "workbook not loaded", "This application failed to start")


def evict_from_page_cache(folder: Path) -> int:
    """Drop the bundle's clean pages from the page cache; returns how many files were advised."""
    if not hasattr(os, "posix_fadvise"):
        return 0
    count = 0
    for path in folder.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            count += 1
        finally:
            os.close(fd)
    return count


def one_run(exe: Path, quit_after_ms: int, platform: str, timeout: float,
            extra_args: list[str]) -> tuple[float | None, int, str, float, int]:
    """Launch once; return (seconds to usable window or None, exit status, stderr,
    CPU seconds of the whole run, peak resident memory in MB)."""
    env = dict(os.environ, QT_QPA_PLATFORM=platform, ARMED_OPTIONS_QUIT_AFTER_MS=str(quit_after_ms))
    started = time.perf_counter()
    proc = subprocess.Popen([str(exe), *extra_args], env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    ready: list[float] = []
    lines: list[str] = []

    def _read_stderr() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            if not ready and READY_MARK in line:
                ready.append(time.perf_counter() - started)
            lines.append(line)

    reader = threading.Thread(target=_read_stderr, daemon=True)
    reader.start()
    killed: list[bool] = []
    timer = threading.Timer(timeout, lambda: (killed.append(True), proc.kill()))
    timer.start()
    # wait4, not Popen.wait: it also gives the child's CPU time and peak memory.
    _, wait_status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(wait_status)
    if killed:
        lines.append(f"measure_startup: killed after {timeout:.0f} s\n")
    reader.join(timeout=5)
    cpu = usage.ru_utime + usage.ru_stime
    peak_mb = usage.ru_maxrss // 1024  # ru_maxrss is in KiB on Linux
    return (ready[0] if ready else None), proc.returncode, "".join(lines), cpu, peak_mb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Cold start and GUI smoke test of the frozen app.")
    parser.add_argument("exe", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--budget", type=float, default=4.0, help="seconds; the median must not exceed it")
    parser.add_argument("--quit-after-ms", type=int, default=0,
                        help="how long the app stays up after the workbook loaded")
    parser.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM (offscreen, xcb)")
    parser.add_argument("--warm", action="store_true", help="do not evict the bundle from the page cache")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--no-command", action="store_true",
                        help="launch without the 'gui' command (for armed-options-gui)")
    args = parser.parse_args(argv)

    folder = args.exe.resolve().parent
    times: list[float] = []
    cpus: list[float] = []
    peaks: list[int] = []
    failures = 0
    for run in range(1, args.runs + 1):
        if not args.warm:
            evict_from_page_cache(folder)
        seconds, status, stderr, cpu, peak_mb = one_run(args.exe, args.quit_after_ms, args.platform, args.timeout,
                                          [] if args.no_command else ["gui"])
        bad = [mark for mark in BAD_MARKS if mark in stderr]
        ok = status == 0 and seconds is not None and not bad
        label = "cold" if not args.warm else "warm"
        shown = f"{seconds:.2f} s" if seconds is not None else "never ready"
        print(f"run {run} ({label}, {args.platform}): usable window after {shown}; exit {status}; "
              f"CPU {cpu:.2f} s, peak {peak_mb} MB"
              + (f"; stderr shows {bad}" if bad else ""), flush=True)
        if not ok:
            failures += 1
            sys.stdout.write("---- stderr of the failed run ----\n" + stderr[-4000:] + "\n")
        elif seconds is not None:
            times.append(seconds)
            cpus.append(cpu)
            peaks.append(peak_mb)
    if failures:
        print(f"FAIL: {failures} of {args.runs} GUI runs failed")
        return 1
    median = statistics.median(times)
    print(f"startup ({'warm' if args.warm else 'cold'}, {args.platform}): median {median:.2f} s, "
          f"min {min(times):.2f} s, max {max(times):.2f} s over {len(times)} runs; budget {args.budget:.1f} s; "
          f"CPU median {statistics.median(cpus):.2f} s; peak memory {max(peaks)} MB; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if median > args.budget:
        print(f"FAIL: median start-up {median:.2f} s is over the {args.budget:.1f} s limit")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
