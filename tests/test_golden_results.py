"""The sample force's JSON results, byte for byte, as the first release produced them.

The package reorganisation (core sub-packages, one scoring path) must not change a
single number. These golden files were written by the first release (commit 6bf2700)
with the command lines below; the test reruns them in-process and compares bytes.
When the response model changes the numbers on purpose (busy units, the week), the
golden files are regenerated in that commit and the reason is given in its message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.cli import main

GOLDEN = Path(__file__).parent / "golden"

CASES = [
    ("borderdale_appraise.json", ["appraise", "{sample}", "-o", "{out}", "--json"]),
    ("borderdale_appraise_community_panel.json",
     ["appraise", "{sample}", "-o", "{out}", "--weight-set", "Community panel", "--json"]),
    ("borderdale_optimise_4_curve.json", ["optimise", "{sample}", "--posts", "4", "--curve", "--json"]),
]


@pytest.mark.parametrize(("golden", "argv"), CASES, ids=[c[0] for c in CASES])
def test_sample_results_are_byte_identical_to_the_golden_file(
    golden: str, argv: list[str], sample_path: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    args = [a.format(sample=sample_path, out=tmp_path / "summary.xlsx") for a in argv]
    assert main(args) == 0
    out = capsysbinary.readouterr().out
    assert out == (GOLDEN / golden).read_bytes()
