"""Helpers every benchmark script shares: the machine's description, a timing loop
with a traced peak, and the process's peak resident memory.

The scripts run as ``python tests/benchmarks/bench_x.py``, so this folder is first on
``sys.path`` and they import it as ``_common``. Kept here (not in each script) so
every docs/perf fragment names the CPU the same way and measures the same way.
"""

from __future__ import annotations

import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name: /proc/cpuinfo, else ``lscpu``, else what platform says."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name"):
                return line.split(":", 1)[1].strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    return platform.processor() or "unknown"


def measure(fn: Callable[[], object], repeats: int, *, unit: float = 1.0) -> tuple[float, float, float]:
    """(median, max, peak MiB) of ``fn`` over ``repeats`` runs after one warm-up.

    Times are in seconds times ``unit`` (1000 for milliseconds). The peak is the
    tracemalloc peak of one more run (Python and numpy allocations), taken apart from
    the timed runs because tracing slows them.
    """
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * unit)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), max(times), peak / 2**20


def peak_rss_bytes() -> int:
    """This process's peak resident memory so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024
