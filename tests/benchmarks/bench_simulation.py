"""Simulation benchmark: ``simulate`` on the sample force (10 years x 20 replications,
target <= 10 s) and on the national case (1 year x 5 replications, target <= 120 s).

The workbooks are read first (not timed). A workbook without an Incidents sheet or an
``armed_incidents_per_year`` parameter gets one for the run: 400 a year for the sample
(a mid-sized force; the sample is also run at that rate beside its own
Incidents rate) and 18,000 for the national case (roughly the firearms operations
in England and Wales in a year, Home Office "Police use of firearms statistics").

    .venv/bin/python tests/benchmarks/bench_simulation.py [--runs 3] [--no-national]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import peak_rss_bytes  # noqa: E402
from bench_coverage import machine  # noqa: E402
from make_national import default_dir, generate  # noqa: E402

from desktop_app.core.paths import sample_workbook  # noqa: E402
from desktop_app.core.simulation.run import simulate  # noqa: E402
from desktop_app.core.workbook.reader import read_workbook  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-national", action="store_true")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    # (name, workbook, years, replications, default rate, override rate, target s, runs)
    cases = [("sample force (Borderdale)", sample_workbook(), 10, 20, 400.0, None, 10.0, args.runs),
             ("sample force at 400 a year", sample_workbook(), 10, 20, 400.0, 400.0, 10.0, args.runs)]
    if not args.no_national:
        cases.append(("national case", generate(default_dir()), 1, 5, 18_000.0, None, 120.0, 1))
    print("\n| case | years x replications | options | incidents a year | median s | CPU s | target |\n|---|---|---:|---:|---:|---:|---|")
    for name, path, years, reps, rate, override, target, runs in cases:
        inputs = read_workbook(path).inputs
        assert inputs is not None, f"{path} does not read cleanly"
        if not len(inputs.incidents) and inputs.parameters.armed_incidents_per_year is None:
            inputs.parameters = dataclasses.replace(inputs.parameters, armed_incidents_per_year=float(rate))
        times, cpu, result = [], [], None
        for _ in range(runs):
            t, c = time.perf_counter(), time.process_time()
            result = simulate(inputs, years=years, replications=reps, per_year=override)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        assert result is not None
        med = statistics.median(times)
        verdict = f"<= {target:g} s: " + ("met" if med <= target else "MISSED")
        print(f"| {name} | {years} x {reps} | {len(result.options)} | {result.per_year:,.0f} | {med:.2f} | {statistics.median(cpu):.2f} | {verdict} |")
        for o in result.options[:3]:
            print(f"|   {o.option_id} | within target {o.within_target.mean:.3f} "
                  f"[{o.within_target.low:.3f}, {o.within_target.high:.3f}] vs analytic "
                  f"{o.analytic_within_target:.3f} | | | | | |")
    print(f"\npeak RSS of the whole run (including reading the workbooks): {peak_rss_bytes() / 2**30:.2f} GB")


if __name__ == "__main__":
    main()
