"""Code comments cite the project's own docs, and every page and anchor they cite exists.

The product contract is not in the repository, so a comment citing the contract by section
sends a newcomer nowhere; comments cite ``docs/<page>.md#<heading>`` instead. A renamed
heading would silently break such a citation, so this test resolves every one.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITING = [*sorted((ROOT / "desktop_app").rglob("*.py")), *sorted((ROOT / "tests").rglob("*.py")),
          ROOT / "pyproject.toml", ROOT / ".ci" / "run", ROOT / "sample_data" / "generate_sample.py"]
#: A citation of the repository's docs/ (not a path that merely ends in docs/, as in a bundle).
LINK = re.compile(r"(?<![\w/])docs/([\w./-]+?\.md)(?:#([\w-]+))?")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """Every heading anchor of a Markdown page (repeats get -1, -2... as on GitHub)."""
    out: set[str] = set()
    seen: dict[str, int] = {}
    in_code = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_code = not in_code
        m = re.match(r"#{1,6} (.+)", line)
        if m and not in_code:
            explicit = re.search(r"\s*\{#([\w-]+)\}\s*$", m.group(1))  # "## Reported {#output}"
            if explicit:
                out.add(explicit.group(1))
            base = slug(m.group(1)[: explicit.start()] if explicit else m.group(1))
            n = seen.get(base, 0)
            seen[base] = n + 1
            out.add(base if n == 0 else f"{base}-{n}")
    return out


def test_slug_matches_github_on_worked_headings() -> None:
    # Worked by hand from GitHub's rendering: digits and words kept, '.', ':' and '()' dropped.
    assert slug("1. Value scores (0 to 100)") == "1-value-scores-0-to-100"
    assert slug("Parameters: the settings") == "parameters-the-settings"
    assert slug("Where to arm officers: the optimiser") == "where-to-arm-officers-the-optimiser"


def test_every_cited_doc_page_and_anchor_exists() -> None:
    cited = 0
    broken = []
    for path in CITING:
        text = path.read_text(encoding="utf-8")
        for m in LINK.finditer(text):
            page, anchor = ROOT / "docs" / m.group(1), m.group(2)
            cited += 1
            where = f"{path.relative_to(ROOT)}: docs/{m.group(1)}" + (f"#{anchor}" if anchor else "")
            if not page.is_file():
                broken.append(f"{where} (no such page)")
            elif anchor and anchor not in anchors(page):
                broken.append(f"{where} (no such heading)")
    assert cited > 40  # the check ran over the code's real citations
    assert broken == []


def test_no_comment_cites_the_outside_contract() -> None:
    offenders = [f"{p.relative_to(ROOT)}:{i}" for p in CITING if p.suffix == ".py"
                 for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"contract sections? \d|CONTRACT\.md", line, re.IGNORECASE)]
    assert offenders == []
