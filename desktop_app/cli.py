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
from collections.abc import Sequence

from desktop_app import __version__
from desktop_app.core.appraisal.defaults import DEFAULT_SAMPLES, DEFAULT_SEED
from desktop_app.core.errors import ToolError
from desktop_app.core.optimiser.choices import (
    DEFAULT_ASSET_TYPE,
    DEFAULT_MEASURE,
    DEFAULT_SITE_TYPE,
)
from desktop_app.core.optimiser.choices import MEASURES as MEASURE_CHOICES
from desktop_app.core.workbook.schema import ASSET_TYPES, SITE_TYPES


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"armed-options: {message} (see armed-options --help)\n")
        raise SystemExit(2)


def _fraction(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be a whole number of at least 1")
    return value


def _seed(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be a whole number of at least 0")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="armed-options",
        description="Armed Policing Options Appraisal: coverage, cost and multi-criteria appraisal.",
    )
    parser.add_argument("--version", action="version", version=f"armed-options {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    gui = sub.add_parser("gui", help="open the desktop app (default: the bundled sample force)")
    gui.add_argument("workbook", nargs="?", help="force workbook to open")

    val = sub.add_parser("validate", help="check a force workbook and print every finding")
    val.add_argument("workbook")

    app = sub.add_parser("appraise", help="compute coverage and the appraisal; write the summary workbook")
    app.add_argument("workbook")
    app.add_argument("-o", "--output", required=True, metavar="SUMMARY.xlsx")
    app.add_argument("--weight-set", metavar="NAME", help="rank under a stakeholder group's weights")
    app.add_argument("--samples", type=_positive_int, default=DEFAULT_SAMPLES, help=f"SMAA draws (default {DEFAULT_SAMPLES})")
    app.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed for SMAA (default {DEFAULT_SEED})")
    app.add_argument("--around-weights", type=_fraction, metavar="F", help="draw weights within +/- F of the current ones")
    app.add_argument("--json", action="store_true", help="print only the JSON results on stdout")

    opt = sub.add_parser("optimise", help="choose the best sites for K extra posts (exact MILP)")
    opt.add_argument("workbook")
    opt.add_argument("--posts", type=_positive_int, required=True, metavar="K")
    opt.add_argument("--asset-type", default=DEFAULT_ASSET_TYPE, choices=ASSET_TYPES)
    opt.add_argument("--site-type", default=DEFAULT_SITE_TYPE, choices=SITE_TYPES)
    opt.add_argument("--measure", default=DEFAULT_MEASURE, choices=MEASURE_CHOICES)
    opt.add_argument("--curve", action="store_true", help="also report the best value for every K = 1..posts")
    opt.add_argument("--write-option", metavar="COPY.xlsx", help="write a copy of the workbook with the result added as a new option")
    opt.add_argument("--json", action="store_true", help="print only the JSON result on stdout")

    sim = sub.add_parser("simulate", help="simulate armed incidents and busy units; figures with 95% intervals")
    sim.add_argument("workbook")
    sim.add_argument("--years", type=_positive_int, default=10, metavar="N", help="years per replication (default 10)")
    sim.add_argument("--replications", type=_positive_int, default=20, metavar="R", help="replications (default 20)")
    sim.add_argument("--seed", type=_seed, default=20240601, metavar="S", help="random seed (default fixed)")
    sim.add_argument("--option", action="extend", nargs="+", metavar="ID", help="simulate only these options")
    sim.add_argument("--json", action="store_true", help="print only the JSON result on stdout")

    tpl = sub.add_parser("template", help="write a blank force workbook with guidance and drop-downs")
    tpl.add_argument("output", metavar="OUT.xlsx")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(args_list)
    command = args.command or "gui"
    if command == "gui" and not hasattr(args, "workbook"):
        args.workbook = None
    try:
        module = importlib.import_module(f"desktop_app.commands.{command}")
        return int(module.run(args))
    except ToolError as exc:
        sys.stderr.write(f"armed-options: {exc.one_line()}\n")
        return exc.exit_status
    except KeyboardInterrupt:
        sys.stderr.write("armed-options: interrupted\n")
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
        sys.stderr.write(f"armed-options: internal error: {type(exc).__name__}: {' '.join(str(exc).split())}\n")
        return 2


def gui_main() -> int:
    """Entry point of the ``armed-options-gui`` GUI script (no console on Windows)."""
    return main(["gui", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
