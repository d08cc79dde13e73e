"""Optimiser benchmark: the K = 1..15 curve on the sample force for every measure (target
<= 2 s) and the K = 1..50 busy-unit threat cover curve on the national case of
``make_national.py`` (target <= 60 s).

Times are the median of several runs of ``optimise_curve`` on already-read inputs
(one run for the national curve); reading the workbook is not part of the optimiser
and is not timed here.

    /work/venv/bin/python tests/benchmarks/bench_optimiser.py [--runs 5] [--no-national]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import peak_rss_bytes  # noqa: E402
from bench_coverage import machine  # noqa: E402
from make_national import default_dir, generate  # noqa: E402

from desktop_app.core.optimiser.milp import optimise_curve  # noqa: E402
from desktop_app.core.paths import sample_workbook  # noqa: E402
from desktop_app.core.workbook.reader import read_workbook  # noqa: E402


def bench(inputs, runs: int, measure: str, posts: int = 15) -> tuple[float, float, list[float]]:
    """Median wall seconds, median CPU seconds (all threads; tells load from work), curve values."""
    times, cpu, result = [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        result = optimise_curve(inputs, posts, measure=measure)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    assert result is not None and result.curve is not None
    return statistics.median(times), statistics.median(cpu), [p.value for p in result.curve]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-national", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    every = ("threat_coverage", "population_coverage", "incident_coverage",
             "threat_coverage_all_free", "population_coverage_all_free")
    cases = [("sample force (Borderdale)", sample_workbook(), 2.0, 15, args.runs, every)]
    if not args.no_national:
        cases.append(("national case", generate(default_dir()), 60.0, 50, 1,
                      ("threat_coverage", "threat_coverage_all_free")))
    print("\n| case | measure | K = 1.. | median s | CPU s | value at K = 1, last | target |\n|---|---|---:|---:|---:|---|---|")
    for name, path, target, posts, runs, measures in cases:
        inputs = read_workbook(path).inputs
        assert inputs is not None, f"{path} does not read cleanly"
        for measure in measures:
            if measure == "incident_coverage" and not len(inputs.incidents):
                continue
            t, cpu, values = bench(inputs, runs, measure, posts)
            verdict = "-" if measure.endswith("_all_free") and posts == 50 else (
                f"<= {target:g} s: " + ("met" if t <= target else "MISSED"))
            print(f"| {name} | {measure} | {posts} | {t:.3f} | {cpu:.3f} | {values[0]:.3f}, {values[-1]:.3f} | {verdict} |")
    rss = peak_rss_bytes()
    print(f"\npeak RSS of the whole run (including reading the workbooks): {rss / 2**30:.2f} GB")


if __name__ == "__main__":
    main()
