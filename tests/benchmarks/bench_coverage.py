"""National coverage benchmark: times and peak memory against the targets of issue 3.

Targets (England-and-Wales-sized case from ``make_national.py``; issue 13: 168 hours, busy units):

1. every measure for every option (``compute_coverage``) in at most 2 s;
2. the whole ``appraise`` command in at most 3 x the time pandas takes merely to read
   its inputs (``pandas.read_csv`` of the travel CSV + ``pandas.read_excel`` of every
   sheet with the calamine engine);
3. peak memory at most 2 GB.

Each stage runs in a fresh child process, so its peak resident memory
(``getrusage(RUSAGE_SELF).ru_maxrss`` in the child) is its own. Times are the median
of several runs.

    /work/venv/bin/python tests/benchmarks/bench_coverage.py [--runs 3] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import cpu_model, peak_rss_bytes  # noqa: E402
from make_national import CSV, default_dir, generate  # noqa: E402

GB = 1024**3


def child(stage: str, workbook: Path, runs: int) -> dict[str, object]:
    """Run one stage ``runs`` times in this process; report times and peak memory."""
    times: list[float] = []
    extra: dict[str, object] = {}
    if stage == "pandas_read":
        import pandas as pd

        for _ in range(runs):
            t = time.perf_counter()
            pd.read_csv(workbook.parent / CSV)
            pd.read_excel(workbook, sheet_name=None, engine="calamine")
            times.append(time.perf_counter() - t)
    elif stage == "reader":
        from desktop_app.core.workbook.reader import read_workbook

        for _ in range(runs):
            t = time.perf_counter()
            read_workbook(workbook)
            times.append(time.perf_counter() - t)
    elif stage == "coverage":
        import tracemalloc

        from desktop_app.core.coverage.engine import compute_coverage
        from desktop_app.core.workbook.reader import read_workbook

        inputs = read_workbook(workbook).inputs
        assert inputs is not None
        before = peak_rss_bytes()
        cpu: list[float] = []
        for _ in range(runs):
            t, c = time.perf_counter(), time.process_time()
            result = compute_coverage(inputs)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        extra["cpu_times"] = cpu  # on a shared machine wall time waits for the CPU; this does not
        del result
        tracemalloc.start()
        compute_coverage(inputs)
        extra["coverage_peak_alloc_bytes"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        extra["rss_before_coverage_bytes"] = before
        extra["deployments"] = len(inputs.deployments)
        extra["options"] = len(inputs.options)
        extra["shape"] = list(inputs.travel_minutes.shape)
        extra["estimated_pairs"] = inputs.estimated_pairs
    else:
        raise SystemExit(f"unknown stage {stage}")
    return {"stage": stage, "times": times, "maxrss_bytes": peak_rss_bytes(), **extra}


def _run_child(stage: str, workbook: Path, runs: int) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", stage, "--workbook", str(workbook), "--runs", str(runs)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _appraise(workbook: Path, runs: int) -> dict[str, object]:
    """The whole command as a user runs it; each run its own process, peak RSS per run."""
    times, peaks, cpus, status, err = [], [], [], 0, ""
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            code = (
                "import resource, sys, time\n"
                "from desktop_app.cli import main\n"
                "t = time.perf_counter()\n"
                f"s = main(['appraise', {str(workbook)!r}, '-o', {str(Path(tmp) / 'summary.xlsx')!r}, '--json'])\n"
                "u = resource.getrusage(resource.RUSAGE_SELF)\n"
                "sys.stderr.write(f'@@{time.perf_counter() - t} {u.ru_maxrss} {s} {u.ru_utime + u.ru_stime}\\n')\n"
            )
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
            marks = [ln for ln in out.stderr.splitlines() if ln.startswith("@@")]
            if not marks:
                return {"error": out.stderr.strip().splitlines()[-1:] or ["no output"]}
            t, rss, status, cpu = marks[-1][2:].split()
            times.append(float(t))
            cpus.append(float(cpu))
            peaks.append(int(rss) * (1 if sys.platform == "darwin" else 1024))
            err = "\n".join(ln for ln in out.stderr.splitlines() if not ln.startswith("@@"))[-300:]
    return {"times": times, "cpu_times": cpus, "maxrss_bytes": max(peaks), "status": int(status), "stderr_tail": err}


def machine() -> str:
    return f"{cpu_model()}, {os.cpu_count()} logical CPUs, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=default_dir())
    parser.add_argument("--child")
    parser.add_argument("--workbook", type=Path)
    parser.add_argument("--skip-appraise", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.workbook, args.runs)))
        return
    workbook = generate(args.out)
    print(f"machine: {machine()}")
    res = {s: _run_child(s, workbook, args.runs if s != "coverage" else max(args.runs, 5))
           for s in ("pandas_read", "reader", "coverage")}
    cov = res["coverage"]
    print(f"case: {cov['shape'][1]:,} areas x {cov['shape'][0]:,} sites, {cov['options']} options, "
          f"{cov['deployments']:,} deployments, {cov['estimated_pairs']:,} estimated pairs")
    med = {s: statistics.median(r["times"]) for s, r in res.items()}
    rows = [
        ("pandas read of the inputs (CSV + calamine)", med["pandas_read"], res["pandas_read"]["maxrss_bytes"], "reference"),
        ("read_workbook (validate + estimate)", med["reader"], res["reader"]["maxrss_bytes"], "-"),
        ("compute_coverage, all measures, all options", med["coverage"], cov["maxrss_bytes"],
         "<= 2 s: " + ("met" if med["coverage"] <= 2 else "MISSED")),
    ]
    app: dict[str, object] = {}
    if not args.skip_appraise:
        app = _appraise(workbook, args.runs)
        if "error" in app:
            print(f"appraise could not run: {app['error']}")
        else:
            t = statistics.median(app["times"])
            ratio = t / med["pandas_read"]
            rows.append((f"appraise command (exit {app['status']}), x{ratio:.1f} pandas read", t, app["maxrss_bytes"],
                         "<= 3x read: " + ("met" if ratio <= 3 else "MISSED")))
    print(f"\n| stage | median s ({args.runs}+ runs) | peak RSS | target |\n|---|---:|---:|---|")
    for name, t, rss, target in rows:
        mem = f"{rss / GB:.2f} GB" + (" (> 2 GB: MISSED)" if rss > 2 * GB else "")
        print(f"| {name} | {t:.2f} | {mem} | {target} |")
    print(f"\nCPU seconds (median): compute_coverage {statistics.median(cov['cpu_times']):.2f}"
          + (f", appraise process {statistics.median(app['cpu_times']):.2f} (imports included)"
             if "cpu_times" in app else "")
          + f"; load average {os.getloadavg()[0]:.1f}")
    print(f"\ncompute_coverage alone: peak traced allocation {cov['coverage_peak_alloc_bytes'] / 2**20:.0f} MB "
          f"(on top of {cov['rss_before_coverage_bytes'] / GB:.2f} GB held after reading)")


if __name__ == "__main__":
    main()
