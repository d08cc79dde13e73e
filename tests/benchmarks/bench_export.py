"""Summary workbook export speed (issue 5), run separately from the test suite.

    /work/venv/bin/python tests/benchmarks/bench_export.py [--repeats 5] [--no-national]

Goals and measures:
- the sample force (Borderdale, 989 areas, 6 options): write_summary <= 2 s;
- the national case (35,672 areas x 10 options, from ``make_national.py``): measured,
  including its 35,672-row Coverage sheet.

Each figure is the median of repeated runs after a warm-up; peak memory is the
tracemalloc peak of one more run (Python and numpy allocations). Exits 1 if a goal is
missed. The appraisal itself is computed once, outside the timings.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cpu_model, measure  # noqa: E402

from desktop_app.core.export import write_summary  # noqa: E402
from desktop_app.core.pipeline import run_appraisal  # noqa: E402
from desktop_app.core.workbook.reader import read_workbook  # noqa: E402


def _run(path: Path, samples: int) -> object:
    read = read_workbook(path)
    assert read.inputs is not None, [f.one_line() for f in read.errors]
    return run_appraisal(read.inputs, read.findings, samples=samples)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--no-national", action="store_true")
    ap.add_argument("--openpyxl-only", action="store_true",
                    help="write every Coverage row through openpyxl (the slow path, for comparison)")
    args = ap.parse_args()
    if args.openpyxl_only:
        from desktop_app.core.export import coverage_sheet

        coverage_sheet.FAST_COVERAGE_ROWS = False
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "summary.xlsx"
        run = _run(ROOT / "sample_data" / "borderdale.xlsx", 10_000)
        med, mx, mem = measure(lambda: write_summary(run, out), args.repeats)
        size = out.stat().st_size
        n_areas, n_opts = len(run.inputs.areas), len(run.inputs.option_ids)
        how = " (openpyxl only)" if args.openpyxl_only else ""
        rows.append((f"Sample force ({n_areas:,} areas x {n_opts} options), write_summary{how}",
                     med, mx, mem, size, 2.0))
        if not args.no_national:
            from make_national import default_dir, generate

            nat = _run(generate(default_dir()), 2_000)
            n_areas, n_opts = len(nat.inputs.areas), len(nat.inputs.option_ids)
            med, mx, mem = measure(lambda: write_summary(nat, out), max(3, args.repeats // 2))
            size = out.stat().st_size
            rows.append((f"National ({n_areas:,} areas x {n_opts} options; Coverage sheet "
                         f"{n_areas:,} rows x {6 + 3 * n_opts} columns), write_summary{how}",
                         med, mx, mem, size, float("nan")))
    print(f"CPU: {cpu_model()}; cores available: {len(os.sched_getaffinity(0))}; "
          f"Python {platform.python_version()}")
    print("| export | median s | max s | peak MiB | file MB | goal s |")
    print("|---|---:|---:|---:|---:|---:|")
    ok = True
    for name, med, mx, mem, size, goal in rows:
        g = "-" if goal != goal else f"{goal:.0f}"
        print(f"| {name} | {med:.2f} | {mx:.2f} | {mem:.0f} | {size / 1e6:.1f} | {g} |")
        if goal == goal and med > goal:
            ok = False
    print("all goals met" if ok else "GOAL MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
