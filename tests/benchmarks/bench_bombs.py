"""Benchmark: time and peak memory of the answer to each hostile workbook (issue 9).

Run:  /work/venv/bin/python tests/benchmarks/bench_bombs.py [--runs 5] [--write docs/perf/reliability.md]

Builds the bomb and limit files of the hardening corpus (``tests/corpus.py``) in a
temporary folder, then runs ``armed-options validate FILE`` on each, as a user
would, in a fresh process per run. Each run is wrapped by a small Python process
whose only child is the command, so ``RUSAGE_CHILDREN.ru_maxrss`` is exactly the
command's peak resident memory (interpreter, numpy and pandas included). Targets:
every answer within 10 s and under 500 MB.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

import corpus  # noqa: E402
from _common import cpu_model  # noqa: E402

TIME_LIMIT_S = 10.0
MEMORY_LIMIT_MB = 500.0

_WRAPPER = r"""
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - t0
print(json.dumps({"wall_s": wall, "rc": done.returncode,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "answer": (done.stderr.strip().splitlines() or done.stdout.strip().splitlines() or [""])[-1]}))
"""

CASES = [
    ("zip_bomb_gigabytes", "sheet part honestly inflating to 3.5 GB"),
    ("zip_bomb_ratio", "sheet part inflating 256 MB at ~1,000x"),
    ("zip_bomb_forged_size", "central directory claims a 3 GB part"),
    ("zip_bomb_understated", "part declares 2 kB, inflates to 64 MB"),
    ("cell_bomb", "12 million unreferenced cells, ratio ~110 (within zip limits)"),
    ("wide_ref_bomb", "26 million cells at AA1, ratio ~135 (within zip limits)"),
    ("padding_bomb", "one cell + 400 MB comment, ratio ~110 (within zip limits)"),
    ("giant_string_bomb", "one 400 MB shared string, ratio ~110 (within zip limits)"),
    ("many_strings", "13,000 shared strings of 30,000 characters (refused by the shared-text limit)"),
    ("entity_bomb_sheet", "billion laughs in a worksheet"),
    ("entity_bomb_shared_strings", "billion laughs in sharedStrings.xml"),
    ("entity_bomb_workbook", "billion laughs in workbook.xml"),
    ("absurd_far_cell", "a cell at XFD1048576"),
    ("absurd_dimension_tag", "<dimension ref=\"A1:XFD1048576\"/> on a small sheet"),
]

#: Round two (issue 18): the folder rule, CSV bombs, non-finite numbers, caps, far references.
ROUND_TWO = [(c.name, (c.build.__doc__ or c.name.replace("_", " ")).strip().splitlines()[0].rstrip("."))
             for c in corpus.ROUND_TWO]


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("armed-options")
    return [str(script)] if script.exists() else [sys.executable, "-m", "desktop_app"]


def measure(path: Path, runs: int) -> dict[str, object]:
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _WRAPPER, *_cli(), "validate", str(path)],
                             capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout))
    walls = [r["wall_s"] for r in results]
    return {
        "median_s": statistics.median(walls),
        "max_s": max(walls),
        "peak_mb": max(r["maxrss_mb"] for r in results),
        "rc": results[0]["rc"],
        "answer": results[0]["answer"],
    }


def _machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average {load:.1f} at the start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", type=Path, help="also write the markdown table to this file")
    parser.add_argument("--no-big", action="store_true", help="skip the 200,000-area workbook")
    parser.add_argument("--round-two", action="store_true", help="the round-two cases (issue 18) instead")
    args = parser.parse_args()
    machine = _machine()
    rows = []
    with tempfile.TemporaryDirectory(prefix="armed-options-bombs-") as tmp:
        folder = Path(tmp)
        builders = {**{c.name: c.build for c in corpus.CASES}, "many_strings": corpus.many_strings_workbook}
        chosen = ROUND_TWO if args.round_two else CASES
        cases = [(name, what, builders[name]) for name, what in chosen]
        if not args.no_big and not args.round_two:
            cases.append(("big_force_200k", "200,000 areas (valid; 600,000 travel times estimated)",
                          lambda d: corpus.big_force(d, 200_000)))
        for name, what, build in cases:
            sub = folder / name
            sub.mkdir()
            path = build(sub)
            m = measure(path, args.runs)
            ok = m["median_s"] <= TIME_LIMIT_S and m["max_s"] <= TIME_LIMIT_S and m["peak_mb"] <= MEMORY_LIMIT_MB
            rows.append((name, what, path.stat().st_size, m, ok))
            print(f"{name}: rc {m['rc']}, median {m['median_s']:.2f} s, max {m['max_s']:.2f} s, "
                  f"peak {m['peak_mb']:.0f} MB {'OK' if ok else 'OVER TARGET'} | {m['answer'][:110]}", flush=True)
    lines = [
        f"Machine: {machine}. {args.runs} runs per file, each a fresh `armed-options validate` process "
        "(time includes interpreter start-up and imports, about 0.5 s).",
        "",
        "| file | what | size | exit | median | max | peak memory | within 10 s and 500 MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, what, size, m, ok in rows:
        lines.append(f"| {name} | {what} | {size / 1e6:.2f} MB | {m['rc']} | {m['median_s']:.2f} s | "
                     f"{m['max_s']:.2f} s | {m['peak_mb']:.0f} MB | {'yes' if ok else 'NO'} |")
    table = "\n".join(lines) + "\n"
    print()
    print(table)
    if args.write:
        args.write.write_text(table, encoding="utf-8")
    return 0 if all(ok for *_, ok in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
