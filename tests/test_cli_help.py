"""Every help screen prints: a user told "see armed-options --help" must never get a traceback.

The top-level help once crashed (argparse %-formats each subcommand's summary, and
"95% intervals" read as a format code), while each subcommand's own help worked.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from desktop_app.cli import build_parser

COMMANDS = ["gui", "validate", "appraise", "optimise", "simulate", "map", "survey", "survey-collect", "template"]


def test_top_level_help_lists_every_command() -> None:
    text = build_parser().format_help()
    for command in COMMANDS:
        assert command in text
    # The simulate summary's literal percent sign survives the formatting.
    assert "95% intervals" in text


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_help_formats(command: str) -> None:
    parser = build_parser()
    with pytest.raises(SystemExit) as exit_info:
        parser.parse_args([command, "--help"])
    assert exit_info.value.code == 0


def test_help_from_the_command_line_exits_zero() -> None:
    done = subprocess.run([sys.executable, "-m", "desktop_app.cli", "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "usage: armed-options" in done.stdout
