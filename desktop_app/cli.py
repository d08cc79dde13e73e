"""The ``armed-options`` command line (docs/command-line.md#commands).

This module only parses arguments and maps errors to exit statuses; each
command lives in :mod:`desktop_app.commands` and is imported lazily, so that
``validate`` or ``appraise`` never import Qt and start quickly.

Exit statuses: 0 done; 1 invalid workbook; 2 unreadable file, bad usage or an
output that cannot be written. Every error is one line on stderr; no traceback
reaches the user.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from desktop_app import __version__
from desktop_app.core.appraisal.defaults import DEFAULT_SAMPLES, DEFAULT_SEED
from desktop_app.core.errors import ToolError
from desktop_app.core.optimiser.choices import (
    DEFAULT_ASSET_TYPE,
    DEFAULT_MEASURE,
    DEFAULT_SITE_TYPE,
)
from desktop_app.core.optimiser.choices import MEASURES as MEASURE_CHOICES
from desktop_app.core.terminal_text import EscapingStream
from desktop_app.core.workbook.schema import ASSET_TYPES, SITE_TYPES


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"armed-options: {message} (see armed-options --help)\n")
        raise SystemExit(2)


def _whole(text: str, low: int, high: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"must be a whole number from {low:,} to {high:,}, not {text}")
    return value


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number between 0 and 1, not {text!r}") from None
    if not 0 <= value <= 1:  # NaN fails too
        raise argparse.ArgumentTypeError(f"must be a number between 0 and 1, not {text}")
    return value


def _capped(key: str) -> Callable[[str], int]:
    """A whole number from 1 to the cap of ``key`` in the caps table (docs/reliability.md#limits)."""
    return lambda text: _whole(text, 1, _cap(key))


def _cap(key: str) -> int:
    from desktop_app.core.workbook.schema import CAPS

    return CAPS[key].value


def _seed(text: str) -> int:
    return _whole(text, 0, 2**63 - 1)


_EXITS = """exit status:
  0  done{ok}
  1  the workbook has errors: one line each on {errs} naming sheet, row and column
  2  the file cannot be read, bad usage, or an output cannot be written (one line on stderr)"""


def _add(sub: Any, name: str, summary: str, description: str, ok: str = "", errs: str = "stderr") -> argparse.ArgumentParser:
    return sub.add_parser(
        name, help=summary, description=textwrap.fill(description, 79), epilog=_EXITS.format(ok=ok, errs=errs),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="armed-options",
        description="Armed Policing Options Appraisal: coverage, cost and multi-criteria appraisal.",
        epilog=_EXITS.format(ok="", errs="stderr (stdout for validate)") + "\n\nEach command has its own help: armed-options COMMAND --help",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"armed-options {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    gui = _add(sub, "gui", "open the desktop app (default: the bundled sample force)",
               "Open the desktop app on WORKBOOK, or on the bundled sample force (fictional Borderdale Police).")
    gui.add_argument("workbook", nargs="?", help="force workbook (.xlsx) to open")
    gui.epilog = ("exit status:\n  0  done (the app was closed; problems in the workbook are shown in its Data view)\n"
                  "  2  the workbook named does not exist, or bad usage (one line on stderr)")

    val = _add(sub, "validate", "check a force workbook and print every finding",
               "Check a force workbook against the format (docs/workbook-format.md) and print every "
               "finding, one per line (sheet, Excel row, column, what is wrong and what is expected), "
               "then a summary line. Warnings alone still exit 0.", ": no errors (warnings are fine)", "stdout")
    val.add_argument("workbook", help="force workbook (.xlsx) to check")

    app = _add(sub, "appraise", "compute coverage and the appraisal; write the summary workbook",
               "Read and validate WORKBOOK, compute coverage, costs and the multi-criteria appraisal with "
               "SMAA-2 robustness, write the summary workbook to -o, and print the ranking (or, with "
               "--json, only the JSON results on stdout).", ": the summary workbook was written")
    app.add_argument("workbook", help="force workbook (.xlsx) to appraise")
    app.add_argument("-o", "--output", required=True, metavar="SUMMARY.xlsx",
                     help="summary workbook to write (.xlsx; never the input or a file it names)")
    app.add_argument("--weight-set", metavar="NAME", help="rank under a stakeholder group's weights")
    app.add_argument("--scenario", metavar="NAME", help="make that Scenarios group the main result")
    app.add_argument("--samples", type=_capped("samples"), default=DEFAULT_SAMPLES,
                     help=f"SMAA draws, a whole number from 1 to {_cap('samples'):,} (default {DEFAULT_SAMPLES})")
    app.add_argument("--seed", type=_seed, default=DEFAULT_SEED, help=f"random seed for SMAA, a whole number from 0 (default {DEFAULT_SEED})")
    app.add_argument("--around-weights", type=_fraction, metavar="F", help="draw weights within +/- F (0 to 1) of the current ones")
    app.add_argument("--json", action="store_true", help="print only the JSON results on stdout")
    app.add_argument("--public", action="store_true",
                     help="write the version for publication: marked public_marking, no threat data")

    opt = _add(sub, "optimise", "choose the best sites for K extra posts (exact MILP)",
               "Find the K sites where extra 24-hour armed posts add the most coverage over the baseline "
               "option (an exact maximal-covering MILP), print them, and optionally write a copy of the "
               "workbook with the result added as a new option.", ": the result was printed")
    opt.add_argument("workbook", help="force workbook (.xlsx) to optimise")
    opt.add_argument("--posts", type=_capped("posts"), required=True, metavar="K", help=f"extra posts, a whole number from 1 to {_cap('posts'):,} ({_cap('curve_posts'):,} with --curve)")
    opt.add_argument("--asset-type", default=DEFAULT_ASSET_TYPE, choices=ASSET_TYPES)
    opt.add_argument("--site-type", default=DEFAULT_SITE_TYPE, choices=SITE_TYPES)
    opt.add_argument("--measure", default=DEFAULT_MEASURE, choices=MEASURE_CHOICES)
    opt.add_argument("--curve", action="store_true", help="also report the best value for every K = 1..posts")
    opt.add_argument("--write-option", metavar="COPY.xlsx", help=("write a copy of the workbook (.xlsx) with the result added as a new option: "
                           "its costs are 0 until entered and it awaits the workshop's judgement scores"))
    opt.add_argument("--json", action="store_true", help="print only the JSON result on stdout")

    sim = _add(sub, "simulate", "simulate armed incidents and busy units; figures with 95%% intervals",
               "Simulate a year (or N) of armed incidents against every option (or those named): units busy "
               "with other work, units committed to incidents, a second unit for a single-crewed first. "
               "Prints, per option, the share reached within target and of a second armed officer within "
               "the backup target, median and 90th-percentile minutes with 95% intervals over the "
               "replications, beside the analytic figures (docs/simulation.md).", ": the figures were printed")
    sim.add_argument("workbook", help="force workbook (.xlsx) to simulate")
    sim.add_argument("--years", type=_capped("sim_years"), default=10, metavar="N",
                     help=f"years per replication, a whole number from 1 to {_cap('sim_years'):,} (default 10)")
    sim.add_argument("--replications", type=_capped("replications"), default=20, metavar="R",
                     help=f"replications, a whole number from 1 to {_cap('replications'):,} (default 20)")
    sim.add_argument("--seed", type=_seed, default=20240601, metavar="S", help="random seed, a whole number from 0 (default fixed)")
    sim.add_argument("--option", action="extend", nargs="+", metavar="ID", help="simulate only these options")
    sim.add_argument("--json", action="store_true", help="print only the JSON result on stdout")

    mp = _add(sub, "map", "write a GeoPackage of the areas and sites with each option's cover",
              "Write a GeoPackage (EPSG:27700, for QGIS or ArcGIS) with a layer 'areas' (each area's "
              "boundary from boundaries_file, else its point, with each option's cover and median "
              "response) and a layer 'sites' (docs/maps.md).", ": the GeoPackage was written")
    mp.add_argument("workbook", help="force workbook (.xlsx) to map")
    mp.add_argument("-o", "--output", required=True, metavar="OUT.gpkg",
                    help="GeoPackage to write (.gpkg; never the input or a file it names)")
    mp.add_argument("--public", action="store_true",
                    help="the version for publication: marked public_marking, no threat data")
    srv = _add(sub, "survey", "write a fillable swing-weight survey form for consultation",
               "Write a fillable, protected Excel form (docs/survey.md) asking a respondent to rank and point the "
               "swings of the value tree (DCLG 2009 MCA manual, section 6.2.10), with optional judgement scores.",
               ": the form was written")
    srv.add_argument("workbook", help="force workbook (.xlsx) the form is for")
    srv.add_argument("-o", "--output", required=True, metavar="FORM.xlsx", help="form to write (.xlsx)")
    srv.add_argument("--group", metavar="NAME", help="fix the respondents' group on the form (e.g. 'Police Federation')")
    srv.add_argument("--public", action="store_true",
                     help="the version for publication: marked public_marking, no threat indicators")

    col = _add(sub, "survey-collect", "read returned survey forms; write each group's weights and rankings",
               "Read returned survey forms (files, or folders of them), check each (one line per problem: file, "
               "cell, problem; a bad form never stops the others), and write per group the respondents' weights, "
               "the median, mean and interquartile range, the ranking under the median weights, how often the "
               "respondents put each option first, and a WeightSets sheet to paste into the force workbook.",
               ": every form was accepted")
    col.epilog = ("exit status:\n  0  done: the results were written and every form was accepted\n"
                  "  1  the results were written, but some forms were left out: one line each on stderr naming\n"
                  "     file, cell and problem\n"
                  "  2  no form could be read, bad usage, or the results cannot be written (one line on stderr)")
    col.add_argument("forms", nargs="+", metavar="FORM.xlsx", help="returned forms, or folders holding them")
    col.add_argument("-o", "--output", required=True, metavar="RESULTS.xlsx", help="results workbook to write (.xlsx)")
    col.add_argument("--workbook", metavar="WORKBOOK", help="accept only forms made from this force workbook")
    col.add_argument("--samples", type=_capped("samples"), default=DEFAULT_SAMPLES,
                     help=f"SMAA draws per group, a whole number from 1 to {_cap('samples'):,} (default {DEFAULT_SAMPLES})")
    col.add_argument("--seed", type=_seed, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    col.add_argument("--json", action="store_true", help="print only the JSON results on stdout")

    tpl = _add(sub, "template", "write a blank force workbook with guidance and drop-downs",
               "Write a blank force workbook, with a Guide sheet, examples and drop-downs, to OUT.xlsx. "
               "An existing file is kept unless --force is given.", ": the template was written")
    tpl.add_argument("output", metavar="OUT.xlsx", help="workbook to write (.xlsx)")
    tpl.add_argument("--force", action="store_true", help="replace OUT.xlsx if it already exists")
    return parser


#: Commands whose code is not ``commands/<name>.py``'s ``run``: name -> (module, function).
_ENTRIES = {"survey-collect": ("survey", "run_collect")}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    real = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapingStream(real[0]), EscapingStream(real[1])
    try:
        return _main(args_list)
    finally:
        sys.stdout, sys.stderr = real


def _main(args_list: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(args_list)
    command = args.command or "gui"
    if command == "gui" and not hasattr(args, "workbook"):
        args.workbook = None
    try:
        module_name, entry = _ENTRIES.get(command, (command, "run"))
        module = importlib.import_module(f"desktop_app.commands.{module_name}")
        return int(getattr(module, entry)(args))
    except ToolError as exc:
        sys.stderr.write(f"armed-options: {exc.one_line()}\n")
        return exc.exit_status
    except KeyboardInterrupt:
        sys.stderr.write("armed-options: interrupted\n")
        return 2
    except RecursionError:
        sys.stderr.write("armed-options: the file is nested too deeply to read; it is not a file this tool writes\n")
        return 2
    except MemoryError:
        sys.stderr.write("armed-options: out of memory: the workbook is too large for this machine\n")
        return 2
    except OSError as exc:
        # An OS failure outside the atomic writer, e.g. the temp folder filling up while
        # openpyxl spools a large sheet: still one line and exit status 2, naming the output.
        # An error naming another file (one being read) names that file instead.
        target = getattr(args, "output", None) or getattr(args, "write_option", None)
        if target and not exc.filename:
            from desktop_app.core._io.atomic import describe_os_error

            line = describe_os_error(target, exc)
        else:
            where = f"{exc.filename}: " if exc.filename else ""
            line = " ".join(f"{where}{exc.strerror or exc}".split())
        sys.stderr.write(f"armed-options: {line}\n")
        return 2
    except Exception as exc:  # noqa: BLE001 - never a traceback (docs/command-line.md#exit-statuses)
        sys.stderr.write(f"armed-options: internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}\n")
        return 2
    except BaseException as exc:  # a Rust panic inside a reader (pyo3 PanicException) is a BaseException
        if isinstance(exc, SystemExit | GeneratorExit):
            raise
        sys.stderr.write(f"armed-options: internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}\n")
        return 2


def gui_main() -> int:
    """Entry point of the ``armed-options-gui`` GUI script (no console on Windows)."""
    return main(["gui", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
