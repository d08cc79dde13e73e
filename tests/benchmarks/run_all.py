"""Run every benchmark in turn: ``python tests/benchmarks/run_all.py [--quick]``.

Each benchmark is a plain script that prints the machine, medians and peak memory as
markdown; this runner only sequences them (one at a time, so they do not compete for
the CPU) and reports which ones failed. Results are summarised in docs/performance.md
and detailed in docs/perf/*.md. ``--quick`` skips the national-scale and 200,000-area
cases, which take several minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: (script, arguments for a full run, arguments for --quick)
BENCHMARKS: list[tuple[str, list[str], list[str]]] = [
    ("bench_reader.py", [], ["--skip-200k", "--runs", "3"]),
    ("bench_coverage.py", [], ["--skip-appraise", "--runs", "1"]),
    ("bench_optimiser.py", [], ["--no-national"]),
    ("bench_simulation.py", [], ["--no-national", "--runs", "1"]),
    ("bench_appraisal.py", [], []),
    ("bench_export.py", [], ["--no-national"]),
    ("bench_ui.py", [], ["--moves", "60"]),
    ("bench_workshop.py", [], ["--moves", "60", "--runs", "5"]),
    ("bench_bombs.py", [], ["--no-big", "--runs", "1"]),
    ("bench_frozen.py", [], ["--runs", "3"]),
    ("bench_boundaries.py", ["--runs", "3"], ["--runs", "1"]),  # national only (a synthetic set, cached)
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the national-scale cases")
    parser.add_argument("only", nargs="*", help="run only these scripts (e.g. bench_ui.py)")
    args = parser.parse_args()
    failed: list[str] = []
    for script, full, quick in BENCHMARKS:
        if args.only and script not in args.only:
            continue
        cmd = [sys.executable, str(HERE / script), *(quick if args.quick else full)]
        print(f"\n## {script}\n", flush=True)
        start = time.perf_counter()
        rc = subprocess.call(cmd)
        print(f"\n({script}: exit {rc}, {time.perf_counter() - start:.0f} s)", flush=True)
        if rc != 0:
            failed.append(script)
    if failed:
        print("\nmissed a target or failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
