"""Appraisal speed goals (issue 4), run separately from the test suite.

    /work/venv/bin/python tests/benchmarks/bench_appraisal.py

Goals:
- SMAA-2, 10,000 draws, 10 options x 10 criteria: <= 100 ms.
- Re-scoring after one weight change (scores, ranks, one-way sensitivity and SMAA-2 at
  2,000 draws) on the sample force: <= 20 ms, so the desktop sliders update live.

Each figure is the median of repeated runs after a warm-up; peak memory is the
tracemalloc peak of one run (numpy allocations are traced). Exits 1 if a goal is missed.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from _common import cpu_model, measure  # noqa: E402

from desktop_app.core.appraisal.smaa import smaa_arrays  # noqa: E402
from desktop_app.core.pipeline import rescore, run_appraisal  # noqa: E402
from desktop_app.core.workbook.reader import read_workbook  # noqa: E402


def main() -> int:
    rng = np.random.default_rng(0)
    v = rng.uniform(0, 100, (10, 10))
    low = np.clip(v - rng.uniform(0, 20, v.shape) * (np.arange(10) >= 8), 0, 100)
    high = np.clip(v + rng.uniform(0, 20, v.shape) * (np.arange(10) >= 8), 0, 100)
    active = np.ones(10, dtype=bool)
    rows = []

    med, mx, mem = measure(lambda: smaa_arrays(v, active, samples=10_000), 30, unit=1000.0)
    rows.append(("SMAA-2, 10,000 draws, 10 x 10, fixed scores", med, mx, mem, 100.0))
    med, mx, mem = measure(lambda: smaa_arrays(v, active, low=low, high=high, samples=10_000), 30, unit=1000.0)
    rows.append(("SMAA-2, 10,000 draws, 10 x 10, 2 judgement criteria drawn", med, mx, mem, 100.0))

    read = read_workbook(ROOT / "sample_data" / "borderdale.xlsx")
    assert read.inputs is not None
    run = run_appraisal(read.inputs, read.findings, samples=0)
    cids = run.inputs.criterion_ids
    base = run.value_model.raw_weights.copy()
    state = {"k": 0}

    def one_weight_change() -> None:
        w = base.copy()
        state["k"] += 1
        w[state["k"] % len(w)] *= 1.5
        rescore(run, dict(zip(cids, w, strict=True)), samples=2000)

    med, mx, mem = measure(one_weight_change, 50, unit=1000.0)
    m, n = run.value_model.values.shape
    rows.append((f"Re-score after one weight change, sample force ({m} x {n}), SMAA-2 2,000 draws",
                 med, mx, mem, 20.0))

    def full() -> None:
        run_appraisal(read.inputs, read.findings)

    med, mx, mem = measure(full, 5, unit=1000.0)
    rows.append(("run_appraisal on the sample force (coverage + 10,000 draws + weight sets)", med, mx, mem, float("nan")))

    print(f"CPU: {cpu_model()}; cores available: {len(__import__('os').sched_getaffinity(0))}; "
          f"Python {platform.python_version()}, numpy {np.__version__}")
    print("| benchmark | median ms | max ms | peak MiB | goal ms |")
    print("|---|---:|---:|---:|---:|")
    ok = True
    for name, med, mx, mem, goal in rows:
        g = "-" if goal != goal else f"{goal:.0f}"
        print(f"| {name} | {med:.1f} | {mx:.1f} | {mem:.1f} | {g} |")
        if goal == goal and med > goal:
            ok = False
    print("all goals met" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
