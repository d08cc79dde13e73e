#!/usr/bin/env bash
# The frozen-build check (issue 8), run by .ci/run after pytest, from the repo root:
#
#   bash packaging/check_frozen.sh
#
# Builds packaging/armed_options.spec with PyInstaller (one-folder) and runs the
# FROZEN executables, to catch what only breaks once frozen: missing hidden
# imports, Qt platform plugins, pyqtgraph templates, openpyxl data files,
# calamine's native module, defusedxml not active.
#
# No wall-clock or size budget can fail it (issue 12): it checks only that the frozen
# app starts and answers, with generous limits (START_LIMIT_S, 90 s, for a cold start
# to a usable window) that stop a hang, never judge speed. The size and cold-start
# targets (300 MB, 4 s) are a benchmark: tests/benchmarks/bench_frozen.py, reported in
# docs/performance.md.
#
# Environment: PYTHON (default .venv/bin/python, the CI venv with the project
# installed), START_LIMIT_S (90).
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-.venv/bin/python}"
PYINSTALLER_PIN="6.22.3"          # keep in step with pyproject.toml's [package] extra
HOOKS_CONTRIB_PIN="2026.9"
START_LIMIT_S="${START_LIMIT_S:-90}"
APP_DIR="packaging/dist/armed-options"
EXE="$APP_DIR/armed-options"
SELFCHECK="$APP_DIR/armed-options-selfcheck"
T0=$SECONDS

fail() { echo "FROZEN CHECK FAILED: $*" >&2; exit 1; }
step() { echo "-- frozen: $* ($((SECONDS - T0)) s)"; }

[ -x "$PY" ] || fail "no Python at $PY (set PYTHON=...)"
ROOT="$(pwd)"
PY="$(cd "$(dirname "$PY")" && pwd)/$(basename "$PY")"   # absolute, not resolved (a venv's python is a symlink)
WORK="$(mktemp -d "${TMPDIR:-/tmp}/armed-frozen.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

step "install pyinstaller==$PYINSTALLER_PIN (hooks-contrib $HOOKS_CONTRIB_PIN)"
"$PY" -m pip install -q "pyinstaller==$PYINSTALLER_PIN" "pyinstaller-hooks-contrib==$HOOKS_CONTRIB_PIN"

step "build the one-folder app"
rm -rf "$APP_DIR"
timeout 1200 "$PY" packaging/build.py
for exe in "$EXE" "$APP_DIR/armed-options-gui" "$SELFCHECK"; do
  [ -x "$exe" ] || fail "the build did not produce $exe"
done

# Run every frozen command from a scratch folder, so nothing can come from the checkout.
ABS_APP="$(cd "$APP_DIR" && pwd)"
EXE="$ABS_APP/armed-options"
SELFCHECK="$ABS_APP/armed-options-selfcheck"
SAMPLE="$ABS_APP/_internal/sample_data/borderdale.xlsx"
[ -f "$SAMPLE" ] || fail "the sample force is not bundled at $SAMPLE"
cd "$WORK"

step "size (reported only: the 300 MB target is tests/benchmarks/bench_frozen.py)"
total_mb=$(du -sm "$ABS_APP" | cut -f1)
check_mb=$(du -sm "$SELFCHECK" | cut -f1)
shipped_mb=$((total_mb - check_mb))
echo "one-folder build: ${total_mb} MB on disk (du -sm), ${shipped_mb} MB as installed (without the self-check exe)"

step "--version"
want="armed-options $("$PY" -c 'import re,sys; print(re.search(r"__version__\s*=\s*\"([^\"]+)\"", open(sys.argv[1]).read()).group(1))' "$ROOT/desktop_app/__init__.py")"
got="$(timeout 120 "$EXE" --version)" || fail "--version exited $?"
[ "$got" = "$want" ] || fail "--version printed '$got', expected '$want'"
echo "$got"

step "self-check (defusedxml, calamine, openpyxl, Qt plugins, pyqtgraph templates, bundled data)"
if ! QT_QPA_PLATFORM=offscreen timeout 300 "$SELFCHECK" > selfcheck.json 2> selfcheck.err; then
  cat selfcheck.json selfcheck.err >&2
  fail "self-check reported a problem (see JSON above)"
fi
"$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); [print("  " + k + ": " + str(v["detail"])) for k, v in r["checks"].items()]; sys.exit(0 if r["ok"] else 1)' selfcheck.json \
  || fail "self-check JSON says not ok"

no_traceback() {  # $1 = stderr file
  if grep -q -E "Traceback \(most recent call last\)|internal error" "$1"; then
    cat "$1" >&2
    fail "a Python traceback or internal error reached stderr"
  fi
}

step "validate the sample force"
status=0; timeout 300 "$EXE" validate "$SAMPLE" > validate.out 2> validate.err || status=$?
cat validate.out validate.err | tail -n 3
[ "$status" -eq 0 ] || fail "validate exited $status on the sample force"
no_traceback validate.err

step "validate a missing file (one line, exit 2)"
status=0; timeout 120 "$EXE" validate "$WORK/no-such.xlsx" > missing.out 2> missing.err || status=$?
[ "$status" -eq 2 ] || fail "validate of a missing file exited $status, not 2"
[ "$(wc -l < missing.err)" -eq 1 ] || { cat missing.err >&2; fail "expected one error line"; }
no_traceback missing.err

step "appraise the sample force -> summary workbook"
status=0; timeout 600 "$EXE" appraise "$SAMPLE" -o "$WORK/summary.xlsx" > appraise.out 2> appraise.err || status=$?
tail -n 4 appraise.out
[ "$status" -eq 0 ] || { cat appraise.err >&2; fail "appraise exited $status"; }
no_traceback appraise.err
[ -s "$WORK/summary.xlsx" ] || fail "appraise did not write $WORK/summary.xlsx"
"$PY" - "$WORK/summary.xlsx" <<'PYEOF' || fail "the summary workbook does not open with openpyxl or lacks its sheets"
import sys
import openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True)
names = book.sheetnames
expected = ["Summary", "Options", "Scores", "Weights", "Sensitivity", "Robustness", "Coverage",
            "Assumptions", "Validation"]
missing = [s for s in expected if s not in names]
assert not missing, f"missing sheets {missing} in {names}"
assert [s for s in names if s in expected] == expected, f"sheets out of order: {names}"
rows = sum(1 for _ in book["Options"].iter_rows())
assert rows >= 2, "Options sheet is empty"
print(f"summary workbook opens: {len(names)} sheets, {rows - 1} option rows")
PYEOF

step "appraise --json (stdout carries only JSON)"
status=0; timeout 600 "$EXE" appraise "$SAMPLE" -o "$WORK/summary2.xlsx" --samples 500 --json > appraise.json 2> appraise-json.err || status=$?
[ "$status" -eq 0 ] || { cat appraise-json.err >&2; fail "appraise --json exited $status"; }
"$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["options"], "no options"; print("  JSON:", len(r["options"]), "options")' appraise.json \
  || fail "appraise --json did not print valid JSON results"

if [ -f "$ROOT/desktop_app/commands/optimise.py" ]; then
  step "optimise --posts 2 --json (HiGHS inside scipy)"
  status=0; timeout 600 "$EXE" optimise "$SAMPLE" --posts 2 --json > optimise.json 2> optimise.err || status=$?
  [ "$status" -eq 0 ] || { cat optimise.err >&2; fail "optimise exited $status"; }
  "$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); assert len(r["sites"]) == 2; print("  sites", r["sites"])' optimise.json \
    || fail "optimise --json output is wrong"
fi

if [ -f "$ROOT/desktop_app/commands/map.py" ]; then
  step "map -> GeoPackage (sqlite3, shapely, pyproj)"
  status=0; timeout 600 "$EXE" map "$SAMPLE" -o "$WORK/map.gpkg" > map.out 2> map.err || status=$?
  [ "$status" -eq 0 ] && [ -s "$WORK/map.gpkg" ] || { cat map.err >&2; fail "map exited $status"; }
  no_traceback map.err
  "$PY" -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); n=c.execute("select count(*) from areas").fetchone()[0]; assert n > 0; print("  areas:", n)' "$WORK/map.gpkg" \
    || fail "the GeoPackage has no areas"
fi

if [ -f "$ROOT/desktop_app/commands/template.py" ]; then
  step "template -> blank workbook"
  status=0; timeout 300 "$EXE" template "$WORK/blank.xlsx" > template.out 2> template.err || status=$?
  [ "$status" -eq 0 ] && [ -s "$WORK/blank.xlsx" ] || { cat template.err >&2; fail "template exited $status"; }
  no_traceback template.err
fi

step "GUI offscreen for 3 s after the sample force loads"
"$PY" "$ROOT/packaging/measure_startup.py" "$EXE" --runs 1 --warm --quit-after-ms 3000 \
  --platform offscreen --budget "$START_LIMIT_S" --timeout $((START_LIMIT_S * 3)) || fail "the frozen GUI failed offscreen"

# The xcb plugin needs a few X libraries from the system (as on any Linux desktop);
# PyInstaller does not bundle them. Install them if we can, else skip this run.
xcb_missing() {
  LD_LIBRARY_PATH="$ABS_APP/_internal:$ABS_APP/_internal/PySide6/Qt/lib" \
    ldd "$ABS_APP/_internal/PySide6/Qt/plugins/platforms/libqxcb.so" 2>/dev/null | grep -c "not found" || true
}
step "the windowed launcher armed-options-gui (the Start-menu target)"
"$PY" "$ROOT/packaging/measure_startup.py" "$ABS_APP/armed-options-gui" --no-command --runs 1 --warm \
  --platform offscreen --budget "$START_LIMIT_S" --timeout $((START_LIMIT_S * 3)) || fail "armed-options-gui failed offscreen"

if command -v xvfb-run >/dev/null 2>&1 && command -v ldd >/dev/null 2>&1; then
  if [ "$(xcb_missing)" != "0" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get install -y -qq libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 >/dev/null 2>&1 \
      || (apt-get update -qq && apt-get install -y -qq libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 >/dev/null 2>&1)) || true
  fi
  if [ "$(xcb_missing)" = "0" ]; then
    step "GUI on a real X server (Xvfb, xcb platform plugin) for 3 s"
    xvfb-run -a -s "-screen 0 1600x1000x24" "$PY" "$ROOT/packaging/measure_startup.py" "$EXE" \
      --runs 1 --warm --quit-after-ms 3000 --platform xcb --budget "$START_LIMIT_S" --timeout $((START_LIMIT_S * 3)) || fail "the frozen GUI failed under Xvfb"
  else
    echo "-- frozen: skipping the Xvfb run: the system lacks X libraries for Qt's xcb plugin (libxcb-icccm4, libxcb-keysyms1)"
  fi
fi

step "a cold start reaches a usable window within ${START_LIMIT_S} s (a hang check, not a speed budget)"
"$PY" "$ROOT/packaging/measure_startup.py" "$EXE" --runs 1 --platform offscreen \
  --budget "$START_LIMIT_S" --timeout $((START_LIMIT_S * 3)) || fail "the frozen GUI did not start and answer"

step "all frozen checks passed"
