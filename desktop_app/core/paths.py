"""Where bundled files live, from a source checkout, an installed package or a frozen build."""

from __future__ import annotations

import sys
from pathlib import Path

SAMPLE_WORKBOOK_NAME = "borderdale.xlsx"


def project_root() -> Path:
    """The folder holding ``sample_data/`` and ``docs/``: the repository, or the frozen bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parents[2]


def sample_workbook() -> Path:
    """The bundled sample force workbook (fictional Borderdale Police)."""
    return project_root() / "sample_data" / SAMPLE_WORKBOOK_NAME


def docs_dir() -> Path:
    return project_root() / "docs"


def resources_dir() -> Path:
    return project_root() / "resources"
