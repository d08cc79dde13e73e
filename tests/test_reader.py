"""The reader returns ForceInputs exactly as model.py documents them, for valid workbooks."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from workbook_factory import base_sheets, make_workbook

from desktop_app.core.errors import UnreadableFileError
from desktop_app.core.workbook.reader import read_workbook, sha256_of


def _read_ok(path: Path):
    result = read_workbook(path)
    assert not result.errors, [f.one_line() for f in result.errors]
    assert result.inputs is not None and result.ok
    return result


def test_valid_workbook_tables_and_dtypes(tmp_path: Path) -> None:
    result = _read_ok(make_workbook(tmp_path))
    inp = result.inputs
    assert inp.areas["area_id"].tolist() == ["A1", "A2", "A3", "A4"]
    assert inp.areas["population"].dtype == np.int64
    assert inp.areas["population"].tolist() == [1500, 1200, 800, 500]
    assert inp.areas["is_rural"].tolist() == [False, False, True, True]
    assert inp.areas["easting"].dtype == np.float64
    assert inp.threat.columns.tolist() == ["firearms_incidents", "violence_rate"]
    assert inp.threat["firearms_incidents"].tolist() == [10.0, 5.0, 2.0, 0.0]
    assert inp.threat.dtypes.tolist() == [np.float64, np.float64]
    assert inp.indicators["weight"].tolist() == [2.0, 1.0]
    assert inp.sites["site_type"].tolist() == ["ARV_BASE", "POLICE_STATION", "NEIGHBOUR_BASE"]
    assert inp.options["baseline"].dtype == bool
    assert inp.baseline_id == "OPT0"
    assert inp.options["annual_cost_gbp"].tolist() == [0.0, 120000.0, 80000.0]
    assert inp.criterion_ids == ["C1", "C2", "C3"]
    assert math.isnan(inp.criteria["worst"].iat[0])
    assert inp.criteria["group"].tolist() == ["Benefits", "Costs", "Risks"]
    assert inp.judgements["score"].tolist() == [70.0, 40.0, 60.0]
    assert inp.weight_set_names() == ["Community panel", "Finance"]
    assert inp.weight_set("Finance") == {"C1": 30.0, "C2": 70.0, "C3": 0.0}
    assert inp.parameters.force_name == "Testshire Police"
    assert inp.parameters.threat_level == "SUBSTANTIAL"
    assert inp.parameters.protective_marking == "OFFICIAL"
    assert inp.parameters.target_minutes == 20.0
    assert "discount_rate" in inp.parameters.defaulted
    assert inp.sha256 == sha256_of(inp.source)
    for df in (inp.areas, inp.threat, inp.sites, inp.options, inp.deployments, inp.criteria):
        assert df.index.tolist() == list(range(len(df)))


def test_deployments_defaults_site_index_and_excel_row(tmp_path: Path) -> None:
    dep = _read_ok(make_workbook(tmp_path)).inputs.deployments
    for col in ("posts", "crew_size", "start_hour", "end_hour", "site_index", "excel_row"):
        assert dep[col].dtype == np.int64, col
    # ARV and NEIGHBOUR_ARV rows left blank take the _arv defaults (0.3, 1 minute).
    assert dep["busy_fraction"].tolist() == [0.3, 0.3, 0.2, 0.5]
    assert dep["mobilisation_minutes"].tolist() == [1.0, 1.0, 4.0, 1.0]
    assert dep["site_index"].tolist() == [0, 0, 1, 2]
    assert dep["excel_row"].tolist() == [2, 3, 4, 5]
    assert dep["start_hour"].tolist() == [0, 0, 22, 0]


def test_aro_defaults_apply_to_armed_response_officers(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Deployments"][3][7] = None
    sheets["Deployments"][3][8] = None
    sheets["Parameters"].append(["busy_fraction_aro", 0.15, ""])
    dep = _read_ok(make_workbook(tmp_path, sheets)).inputs.deployments
    assert dep["busy_fraction"].iat[2] == 0.15
    assert dep["mobilisation_minutes"].iat[2] == 3.0


def test_travel_matrix_given_and_estimated(tmp_path: Path) -> None:
    inp = _read_ok(make_workbook(tmp_path)).inputs
    m = inp.travel_minutes
    assert m.dtype == np.float32 and m.shape == (3, 4)
    assert m[0].tolist() == [2.0, 6.0, 18.0, 30.0]
    assert not inp.estimated[:2].any() and inp.estimated[2].all()
    assert inp.estimated_pairs == 4
    # S3 (430000, 280000) to A4 (420000, 280000, rural): 10 km x 1.3 / 65 km/h x 60 = 12 min.
    assert m[2, 3] == pytest.approx(12.0, abs=1e-4)
    # S3 to A1 (400000, 300000, urban): sqrt(30^2 + 20^2) km x 1.3 / 40 x 60.
    assert m[2, 0] == pytest.approx(math.hypot(30, 20) * 1.3 / 40 * 60, rel=1e-6)


def test_estimation_uses_parameters(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Parameters"] += [["road_circuity", 1.5, ""], ["speed_kmh_rural", 50, ""]]
    inp = _read_ok(make_workbook(tmp_path, sheets)).inputs
    assert inp.travel_minutes[2, 3] == pytest.approx(10 * 1.5 / 50 * 60, abs=1e-4)


def test_estimation_warning_counts_pairs(tmp_path: Path) -> None:
    result = _read_ok(make_workbook(tmp_path))
    msgs = [f.message for f in result.warnings if f.sheet == "TravelTimes"]
    assert len(msgs) == 1 and msgs[0].startswith("4 of 12 site-area travel times")


def test_headers_match_ignoring_case_and_spaces(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Areas"][0] = ["  AREA_ID", "Area_Name ", "DISTRICT", " Population ", "Rurality", "Easting", "NORTHING"]
    wb_path = make_workbook(tmp_path, sheets)
    wb = openpyxl.load_workbook(wb_path)
    wb["Sites"].title = " sites "
    wb.save(wb_path)
    inp = _read_ok(wb_path).inputs
    assert inp.areas["population"].tolist() == [1500, 1200, 800, 500]
    assert inp.sites["site_id"].tolist() == ["S1", "S2", "S3"]


def test_blank_rows_above_header_and_trailing_rows(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Areas"] = [[None] * 7, [None] * 7, *sheets["Areas"], [None] * 7, ["", "  ", None, None, None, None, None]]
    sheets["Areas"][4][3] = -1  # A2's population; header is on Excel row 3, so A2 is row 5
    result = read_workbook(make_workbook(tmp_path, sheets))
    errors = [f for f in result.errors if f.sheet == "Areas"]
    assert [(f.row, f.column) for f in errors] == [(5, "population")]


def test_extra_sheets_and_columns_are_kept(tmp_path: Path) -> None:
    sheets = base_sheets()
    for i, row in enumerate(sheets["Areas"]):
        row.append("lsoa_notes" if i == 0 else f"note {i}")
    sheets["Notes"] = [["topic", "text"], ["source", "GIS export 2024"]]
    inp = _read_ok(make_workbook(tmp_path, sheets)).inputs
    assert inp.areas["lsoa_notes"].tolist() == ["note 1", "note 2", "note 3", "note 4"]
    assert inp.extra_sheets["Notes"].to_dict("records") == [{"topic": "source", "text": "GIS export 2024"}]


def test_numbers_as_text_accepted_with_warning(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Areas"][1][3] = "1,500"
    sheets["Areas"][2][3] = " 1200 "
    result = _read_ok(make_workbook(tmp_path, sheets))
    assert result.inputs.areas["population"].tolist() == [1500, 1200, 800, 500]
    warns = [f for f in result.warnings if f.sheet == "Areas" and f.column == "population"]
    assert len(warns) == 1 and warns[0].row == 2 and "2 numbers stored as text" in warns[0].message


def test_ids_typed_as_numbers_become_text(tmp_path: Path) -> None:
    sheets = base_sheets()
    for sheet, col in (("Areas", 0), ("Threat", 0)):
        for k, row in enumerate(sheets[sheet][1:], start=1):
            row[col] = 1000 + k
    sheets["TravelTimes"] = [["site_id", "area_id", "minutes"]]
    inp = _read_ok(make_workbook(tmp_path, sheets)).inputs
    assert inp.areas["area_id"].tolist() == ["1001", "1002", "1003", "1004"]
    assert inp.estimated.all()


def test_codes_are_case_insensitive_and_canonicalised(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Sites"][1][2] = "arv_base"
    sheets["Criteria"][1][3] = "Higher"
    sheets["Parameters"][2][1] = "substantial"
    sheets["Areas"][3][4] = "rural"
    inp = _read_ok(make_workbook(tmp_path, sheets)).inputs
    assert inp.sites["site_type"].iat[0] == "ARV_BASE"
    assert inp.criteria["direction"].iat[0] == "higher"
    assert inp.parameters.threat_level == "SUBSTANTIAL"
    assert inp.areas["rurality"].iat[2] == "rural" and inp.areas["is_rural"].iat[2]


def test_travel_times_from_csv(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Parameters"].append(["travel_times_file", "tt.csv", ""])
    sheets["TravelTimes"] = [["site_id", "area_id", "minutes"]]
    lines = ["site_id,area_id,minutes"] + [f"S{s},A{a},{s * 10 + a}" for s in (1, 2, 3) for a in (1, 2, 3, 4)]
    (tmp_path / "tt.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    inp = _read_ok(make_workbook(tmp_path, sheets)).inputs
    assert inp.travel_minutes[1].tolist() == [21.0, 22.0, 23.0, 24.0]
    assert inp.estimated_pairs == 0


def test_travel_times_sheet_left_with_headings_beside_a_csv_is_not_a_warning(tmp_path: Path) -> None:
    """All 12 pairs in tt.csv and the TravelTimes sheet left with its headings: the CSV
    stands in for the sheet, so no "headings but no data rows" warning (there are no
    other warnings: nothing is estimated). Without travel_times_file the same sheet still
    warns, once."""
    sheets = base_sheets()
    sheets["Parameters"].append(["travel_times_file", "tt.csv", ""])
    sheets["TravelTimes"] = [["site_id", "area_id", "minutes"]]
    lines = ["site_id,area_id,minutes"] + [f"S{s},A{a},{s * 10 + a}" for s in (1, 2, 3) for a in (1, 2, 3, 4)]
    (tmp_path / "tt.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _read_ok(make_workbook(tmp_path, sheets))
    assert [f.one_line() for f in result.findings] == []
    sheets = base_sheets()
    sheets["TravelTimes"] = [["site_id", "area_id", "minutes"]]
    said = [f.one_line() for f in _read_ok(make_workbook(tmp_path, sheets, name="sheet.xlsx")).findings]
    assert said.count("warning: TravelTimes: the sheet has headings but no data rows; "
                      "expected one row per site-area pair") == 1, said


def test_csv_plus_sheet_combine(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Parameters"].append(["travel_times_file", "tt.csv", ""])
    (tmp_path / "tt.csv").write_text("site_id,area_id,minutes\nS3,A4,9.5\n", encoding="utf-8")
    inp = _read_ok(make_workbook(tmp_path, sheets)).inputs
    assert inp.travel_minutes[2, 3] == pytest.approx(9.5)
    assert inp.estimated_pairs == 3


def test_no_coordinates_needed_when_every_pair_given(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Areas"] = [row[:5] for row in sheets["Areas"]]
    sheets["TravelTimes"] += [["S3", f"A{a}", 40 + a] for a in (1, 2, 3, 4)]
    inp = _read_ok(make_workbook(tmp_path, sheets)).inputs
    assert inp.estimated_pairs == 0
    assert np.isnan(inp.areas["easting"]).all()


def test_non_ascii_names(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Areas"][1][1] = "Llanfair Caereinion – Ysgol"
    sheets["Parameters"][1][1] = "Heddlu Dyfed-Powys Police ☂"
    inp = _read_ok(make_workbook(tmp_path, sheets)).inputs
    assert inp.areas["area_name"].iat[0] == "Llanfair Caereinion – Ysgol"
    assert inp.parameters.force_name.endswith("☂")


def test_progress_is_reported_and_cancel_works(tmp_path: Path) -> None:
    from desktop_app.core.errors import Cancelled

    path = make_workbook(tmp_path)
    seen: list[float] = []
    read_workbook(path, progress=lambda f, m: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    with pytest.raises(Cancelled):
        read_workbook(path, cancelled=lambda: True)


def test_unreadable_file_raises(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError):
        read_workbook(tmp_path / "missing.xlsx")


def test_sample_force_reads_without_per_row_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample's ~34,000 TravelTimes rows take the numeric fast path: no cell is parsed as text.

    Bounded work instead of a stopwatch (the time is a benchmark: tests/benchmarks/bench_reader.py,
    reported in docs/perf/reader.md): parse_number_text runs only for numbers stored as text.
    """
    from conftest import SAMPLE as sample_path

    from desktop_app.core.workbook import cell_rules

    if not sample_path.exists():
        pytest.skip("the sample force has not been generated yet")
    calls: list[str] = []
    real = cell_rules.parse_number_text
    monkeypatch.setattr(cell_rules, "parse_number_text", lambda text: calls.append(text) or real(text))
    result = read_workbook(sample_path)
    assert not result.errors, [f.one_line() for f in result.errors[:5]]
    assert len(calls) < 100, len(calls)  # a handful of parameters at most, never a row per pair


@pytest.mark.parametrize(
    "data",
    [
        b"site_id;area_id;minutes\nS3;A4;9.5\n",
        b"site_id\tarea_id\tminutes\r\nS3\tA4\t9.5\r\n",
        "site_id,area_id,minutes\nS3,A4,9.5\n".encode("utf-16"),
        b"\xef\xbb\xbf Site_ID , AREA_ID , Minutes \n S3 , A4 , 9.5 \n",
    ],
    ids=["semicolon", "tab", "utf-16", "bom-and-spaces"],
)
def test_travel_csv_dialects(tmp_path: Path, data: bytes) -> None:
    sheets = base_sheets()
    sheets["Parameters"].append(["travel_times_file", "tt.csv", ""])
    (tmp_path / "tt.csv").write_bytes(data)
    inp = _read_ok(make_workbook(tmp_path, sheets)).inputs
    assert inp.travel_minutes[2, 3] == pytest.approx(9.5)
    assert not inp.estimated[2, 3]


def test_empty_travel_csv_is_an_error(tmp_path: Path) -> None:
    sheets = base_sheets()
    sheets["Parameters"].append(["travel_times_file", "tt.csv", ""])
    (tmp_path / "tt.csv").write_bytes(b"")
    result = read_workbook(make_workbook(tmp_path, sheets))
    assert [(f.sheet, f.row) for f in result.errors] == [("tt.csv", None)]
    assert "empty" in result.errors[0].message
