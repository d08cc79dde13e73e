"""The summary's Incidents sheet: the model against last year (docs/measures.md, docs/summary-workbook.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from desktop_app.cli import main
from desktop_app.core.coverage.incident_verdict import verdict


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory, sample_path: Path) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("incidents") / "summary.xlsx"
    json_path = out.with_suffix(".json")
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["appraise", str(sample_path), "-o", str(out), "--json", "--samples", "200"]) == 0
    json_path.write_text(buf.getvalue())
    return out, json.loads(buf.getvalue())["incident_validation"]


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_incidents_sheet_matches_the_json_check(summary: tuple[Path, dict], engine: str) -> None:
    out, check = summary
    sheets = pd.ExcelFile(out, engine=engine).sheet_names
    # after WeightSets and before Coverage (docs/summary-workbook.md#sheets-in-order)
    assert sheets.index("WeightSets") < sheets.index("Incidents") < sheets.index("Coverage")
    df = pd.read_excel(out, sheet_name="Incidents", header=2, engine=engine)
    assert list(df["Areas"]) == ["All areas", "Rural", "Urban"]
    parts = [check, check["rural"], check["urban"]]
    # the sample's synthetic year: 134 incidents with observed times, 41 rural + 93 urban
    assert [int(n) for n in df["Past incidents with an observed time"]] == [p["incidents"] for p in parts] == [134, 41, 93]
    obs = df.iloc[:, 2].tolist()
    mod = df.iloc[:, 3].tolist()
    for i, p in enumerate(parts):
        assert obs[i] == pytest.approx(p["observed_within_target"], rel=1e-12)
        assert mod[i] == pytest.approx(p["modelled_within_target"], rel=1e-12)
        # difference in percentage points: 100 x (modelled - observed)
        assert df.iloc[i, 4] == pytest.approx(100 * (p["modelled_within_target"] - p["observed_within_target"]))
        # the margin beside it (the JSON's fields are fixed, so it is not there) and the
        # panel's verdict on that margin (core/coverage/incident_verdict.py)
        assert 0 < df.iloc[i, 5] < 100 * 1.96 * 0.5 / p["incidents"] ** 0.5  # at most the p = 0.5 binomial's
        v = verdict({**p, "chance_margin": df.iloc[i, 5] / 100})
        assert v is not None and df.iloc[i, 6] == v.words
    # the sample: 67.2% observed against 63.6% modelled, 3.6 points apart within ±3.8
    assert df.iloc[0, 6] == "consistent with what happened"
    # observed is a share of whole incidents: 90 of 134 reached within 20 minutes = 0.67164
    assert obs[0] == pytest.approx(90 / 134)


def test_no_incidents_sheet_without_observed_times(tmp_path: Path) -> None:
    from workbook_factory import make_workbook

    out = tmp_path / "s.xlsx"
    assert main(["appraise", str(make_workbook(tmp_path)), "-o", str(out), "--samples", "100"]) == 0
    assert "Incidents" not in pd.ExcelFile(out, engine="calamine").sheet_names
