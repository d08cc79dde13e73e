"""The summary workbook printed through LibreOffice (issue 15: readable in print).

Renders the sample summary to PDF headless and reads the words back with
``pdftotext -bbox`` (poppler-utils): no text smaller than 9 pt, the marking on every
page, and page 1 naming the weights used, for the workbook weights and a weight set,
and for the public version.

Needs LibreOffice (the ``soffice`` fixture in conftest.py) and pdftotext: under CI a
missing tool fails the test (``.ci/run`` installs libreoffice-calc-nogui and
poppler-utils); elsewhere it is skipped with that reason.
"""

from __future__ import annotations

import html
import math
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from ci_requirements import missing
from export_helpers import appraise
from openpyxl.utils import range_boundaries

from desktop_app.core.export import write_summary
from desktop_app.core.pipeline import run_appraisal
from desktop_app.core.workbook.reader import read_workbook

#: A word's box in pdftotext -bbox is the font's ascent plus descent: 1.262 x the point
#: size for Liberation Sans (measured: 10 pt header text 12.61 pt tall, 14 pt title 17.69).
BOX_PER_POINT = 1.262


def _pdftotext() -> str:
    found = shutil.which("pdftotext")
    if found is None:
        missing("pdftotext is not installed: apt-get install poppler-utils")
    return found


def _to_pdf(soffice: str, xlsx: Path, tmp_path: Path) -> Path:
    profile = tmp_path / "lo-profile"  # private profile: no clash with a running LibreOffice
    outdir = tmp_path / "pdf"
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "pdf", "--outdir", str(outdir), str(xlsx)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    pdf = outdir / (xlsx.stem + ".pdf")
    assert proc.returncode == 0 and pdf.exists(), proc.stderr + proc.stdout
    return pdf


def _pages(pdf: Path) -> list[list[tuple[float, str]]]:
    """Each page's words as (height in points, text), from ``pdftotext -bbox``."""
    out = subprocess.run([_pdftotext(), "-bbox", str(pdf), "-"],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        words = [(float(y1) - float(y0), html.unescape(w)) for y0, y1, w in
                 re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', page)]
        pages.append(words)
    return pages


def _header_words(pdf: Path) -> list[list[str]]:
    """Each page's words in its top 40 points: the page header (force, marking, sheet name)."""
    out = subprocess.run([_pdftotext(), "-bbox", str(pdf), "-"],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    return [[html.unescape(w) for y0, w in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', page)
             if float(y0) < 40] for page in out.split("<page ")[1:]]


#: Sheets too wide for one A4 page: they print in blocks of columns, pages across.
BLOCK_SHEETS = ("Options", "Weights", "Robustness")


def _printed_sheets(xlsx: Path) -> dict[str, tuple[int, int, list[list[str]], int]]:
    """Per sheet that prints: (table rows printed, forced page breaks, the words of the
    header of each page across' last column ([] when the sheet has no repeated Table
    header), pages across)."""
    wb = openpyxl.load_workbook(xlsx)
    out = {}
    for ws in wb.worksheets:
        if not ws.print_area:  # a hidden sheet (ChartData) has none, and is not printed
            continue
        area = ws.print_area if isinstance(ws.print_area, str) else ws.print_area[0]
        _c0, _r0, last_col, last_row = range_boundaries(area.split("!")[-1].replace("$", ""))
        lasts = [b.id for b in ws.col_breaks.brk] + [last_col]  # a break's id: the last column before it
        heads = [ws.cell(3, c).value if ws.print_title_rows and last_row >= 3 else None for c in lasts]
        out[ws.title] = (max(last_row - 3, 1), len(ws.row_breaks.brk),
                         [str(h).split() if h else [] for h in heads], len(lasts))
    return out


def _check_one_page_wide(pdf: Path, pages: list[list[tuple[float, str]]], xlsx: Path) -> dict[str, int]:
    """Every page one page wide (or one block of columns wide), and a sheet's page count
    bounded by its rows.

    A sheet printed in pages across by accident (columns spilling onto a page to the
    right) would have pages without its last printed column; the repeated header row puts
    that column's header on every page of a one-page-wide sheet, and the last column of
    its block on every page of a sheet printed in blocks. At least 8 table rows fit a
    page, so a sheet of n rows takes at most (1 + ceil(n / 8)) pages per block across,
    plus one per chart page break (before this layout, Deployments took 12 pages for 42
    rows: 2 across).
    """
    sheets = _printed_sheets(xlsx)
    counts: dict[str, int] = {}
    for i, (words, head) in enumerate(zip(pages, _header_words(pdf), strict=True), 1):
        name = next((w for w in head if w in sheets), None)
        assert name is not None, f"page {i}: no sheet name in its header {head}"
        counts[name] = counts.get(name, 0) + 1
        on_page = {w for _h, w in words}
        lasts = sheets[name][2]
        assert any(set(last) <= on_page for last in lasts), f"page {i} ({name}) lacks a block's last column {lasts}: pages across"
    for name, n in counts.items():
        rows, breaks, _heads, across = sheets[name]
        assert n <= across * (1 + math.ceil(rows / 8)) + breaks, f"{name}: {n} pages for {rows} rows and {breaks} chart pages"
    return counts


def _sheet_pages(pdf: Path, pages: list[list[tuple[float, str]]]) -> dict[str, list[set[str]]]:
    """The words of each page, by the sheet named in the page's header."""
    out: dict[str, list[set[str]]] = {}
    for words, head in zip(pages, _header_words(pdf), strict=True):
        for name in BLOCK_SHEETS:
            if name in head:
                out.setdefault(name, []).append({w for _h, w in words})
    return out


def _check_every_column_printed(pdf: Path, pages: list[list[tuple[float, str]]], xlsx: Path) -> None:
    """Options, Weights and Robustness: every column of the Table reaches paper.

    Each column's header label is found whole, every word of it on one page (so no header
    was split mid-word: ``expected_coverag|e`` would leave "expected_coverag" and "e"),
    on a page that also carries the repeated key columns' headers and the data cell of
    that column for the first row (e.g. Options' benefit value of OPT0, "51.1").
    """
    wb = openpyxl.load_workbook(xlsx)
    by_sheet = _sheet_pages(pdf, pages)
    for name in BLOCK_SHEETS:
        ws = wb[name]
        (tbl,) = ws.tables.values()
        c0, r0, c1, _r1 = range_boundaries(tbl.ref)
        keys = [str(ws.cell(r0, c).value).split() for c in (c0, c0 + 1)]
        sheet_pages = by_sheet[name]
        assert all(all(set(k) <= p for k in keys) for p in sheet_pages), f"{name}: a page without the code and name columns"
        for c in range(c0, c1 + 1):
            label = str(ws.cell(r0, c).value).split()
            assert any(set(label) <= p for p in sheet_pages), f"{name}: column {' '.join(label)!r} is not printed"
    # The last seven measures of Options, benefit value among them, were on screen only.
    options = by_sheet["Options"]
    assert any({"Benefit", "value", "(0-100,", "benefit", "criteria", "only)"} <= p for p in options)
    first = wb["Options"]
    bv_col = next(c for c in range(1, first.max_column + 1) if first.cell(2, c).value == "benefit_value")
    bv = f"{first.cell(4, bv_col).value:.1f}"  # number_bold: one decimal place
    assert any(bv in p and "OPT0" in p and "Benefit" in p for p in options), bv


def _check_titles_whole(pdf: Path, pages: list[list[tuple[float, str]]], xlsx: Path) -> None:
    """Every printed sheet's title prints whole on its first page, and no hidden sheet prints.

    A title longer than the print area is wide was cut at its last column, mid-word
    (WeightSets' "...weights give (their w", Incidents' "...last year's a"): the page then
    has a stray fragment and lacks the title's last words, so every word of the title must
    be among the page's words. Titles wrap within the printed width instead. A hidden sheet
    (ChartData) has no print area, so LibreOffice leaves it out: no page names it.
    """
    wb = openpyxl.load_workbook(xlsx)
    heads = _header_words(pdf)
    for ws in wb.worksheets:
        named = [i for i, head in enumerate(heads) if ws.title in head]
        if ws.sheet_state != "visible":
            assert named == [], f"hidden sheet {ws.title} printed on pages {[i + 1 for i in named]}"
            continue
        if ws.title in ("Summary", "Maps"):  # their own layouts, not a table sheet's title row
            continue
        assert named, f"{ws.title} is not printed"
        # LibreOffice may wrap after a hyphen ("re-" / "run"), as Excel does: that is no cut.
        on_page = {part for _h, w in pages[named[0]] for part in re.split(r"(?<=-)", w)}
        missing = [part for w in str(ws["A1"].value).split() for part in re.split(r"(?<=-)", w) if part not in on_page]
        assert missing == [], f"{ws.title}: title words not printed whole on page {named[0] + 1}: {missing}"


def _check_print(pdf: Path, marking: str, weights: str, xlsx: Path | None = None) -> list[list[tuple[float, str]]]:
    pages = _pages(pdf)
    assert len(pages) >= 12
    if xlsx is not None:
        _check_one_page_wide(pdf, pages, xlsx)
        _check_every_column_printed(pdf, pages, xlsx)
        _check_titles_whole(pdf, pages, xlsx)
    for i, words in enumerate(pages, 1):
        text = " ".join(w for _h, w in words)
        assert marking in text.split(), f"page {i} lacks the marking {marking}"
        assert f"Page {i} of {len(pages)}" in text, i
        # Words of one or two characters are left out: pdftotext boxes each glyph of a
        # rotated axis title as its own tiny "word".
        small = [(round(h / BOX_PER_POINT, 2), w) for h, w in words if len(w) > 2 and h / BOX_PER_POINT < 8.95]
        assert small == [], f"page {i}: text below 9 pt: {small[:5]}"
    first = subprocess.run([_pdftotext(), "-layout", "-f", "1", "-l", "1", str(pdf), "-"],
                           capture_output=True, text=True, timeout=60, check=True).stdout
    assert re.search(rf"Weights used\s+{re.escape(weights)}\n", first), first[:2000]
    assert "What the panel is asked" in first and "adopt?" not in first
    return pages


@pytest.mark.slow
def test_summary_prints_readably_with_the_marking_and_names_the_weights(soffice: str, sample_path: Path, tmp_path: Path) -> None:
    run = appraise(sample_path, samples=500)
    xlsx = write_summary(run, tmp_path / "summary.xlsx")
    pdf = _to_pdf(soffice, xlsx, tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = _check_print(pdf, "OFFICIAL-SENSITIVE", "Workbook weights", xlsx)
    # the Coverage sheet is a data appendix: one page (its title), not 11 of 20
    coverage = [p for p in pages if " ".join(w for _h, w in p[:12]).find("Coverage") >= 0]
    assert len(coverage) == 1
    counts = _check_one_page_wide(pdf, pages, xlsx)
    # A panel paper, not a print-out of every cell: ParameterSensitivity is one row per input
    # (3 pages across, the range with the workbook's value, the sentences, the totals, + the
    # tornado's: 4, where one row per input and option took 10), Equality one row per group (the
    # table, then its chart: 2, from 5), Scores' weighted-value chart under its table (2, from 3),
    # and Options' description beside its costs (4 pages across + 2 charts: 6, from 7). The
    # sample's whole summary: 48 pages, from 59.
    assert counts["ParameterSensitivity"] == 4 and counts["Equality"] == 2, counts
    assert counts["Scores"] == 2 and counts["Options"] == 6, counts
    assert len(pages) <= 48, counts


@pytest.mark.slow
def test_weight_set_run_prints_the_set_on_page_1(soffice: str, sample_path: Path, tmp_path: Path) -> None:
    rr = read_workbook(sample_path)
    run = run_appraisal(rr.inputs, rr.findings, weight_set="Community panel", samples=300)
    xlsx = write_summary(run, tmp_path / "panel.xlsx")
    _check_print(_to_pdf(soffice, xlsx, tmp_path), "OFFICIAL-SENSITIVE", "Community panel", xlsx)


@pytest.mark.slow
def test_public_version_prints_marked_official(soffice: str, sample_path: Path, tmp_path: Path) -> None:
    run = appraise(sample_path, samples=300)
    xlsx = write_summary(run, tmp_path / "public.xlsx", public=True)
    pages = _check_print(_to_pdf(soffice, xlsx, tmp_path), "OFFICIAL", "Workbook weights", xlsx)
    assert "OFFICIAL-SENSITIVE" not in " ".join(w for _h, w in pages[0][:8])  # the header marking
