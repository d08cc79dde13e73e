"""The summary workbook opens and prints in LibreOffice (issue 5: headless PDF conversion).

Needs LibreOffice (the ``soffice`` fixture in conftest.py): under CI a missing
LibreOffice fails the test (``.ci/run`` installs libreoffice-calc-nogui); elsewhere it
is skipped with that reason.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop_app.core.export import write_summary
from desktop_app.core.pipeline import AppraisalRun


def _to_pdf(soffice: str, xlsx: Path, tmp_path: Path) -> Path:
    profile = tmp_path / "lo-profile"  # private profile: no clash with a running LibreOffice
    outdir = tmp_path / "pdf"
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "pdf", "--outdir", str(outdir), str(xlsx)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    pdf = outdir / (xlsx.stem + ".pdf")
    assert proc.returncode == 0 and pdf.exists(), proc.stderr + proc.stdout
    return pdf


def _page_text(pdf: Path, page: int) -> str | None:
    if shutil.which("pdftotext") is None:
        return None
    proc = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, timeout=60)
    return proc.stdout


@pytest.mark.slow
def test_summary_converts_to_pdf(soffice: str, sample_run: AppraisalRun, tmp_path: Path) -> None:
    run = sample_run
    xlsx = write_summary(run, tmp_path / "summary.xlsx")
    pdf = _to_pdf(soffice, xlsx, tmp_path)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert pages >= 10  # at least one page per sheet
    first = _page_text(pdf, 1)
    if first is not None:
        # The Summary is one page: the brief from title to provenance on page 1...
        assert "Borderdale Police" in first and "OFFICIAL-SENSITIVE" in first
        assert "Which armed response option should Borderdale Police adopt?" in first
        assert "Provenance" in first and "Input SHA-256" in first
        # ...and page 2 is already the Options sheet.
        second = _page_text(pdf, 2)
        assert second is not None and "Options: every measure" in second
        assert "OFFICIAL-SENSITIVE" in second  # the marking is printed on every page
