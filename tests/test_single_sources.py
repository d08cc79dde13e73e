"""One home for each default and each wording: the schema's parameter defaults, the
command line's choices, the engines' target and the labels that name it.

A default restated in a second place drifts: the day the schema's `target_minutes`
changes, a second copy keeps the old figure on one screen or sheet.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest

from desktop_app.cli import build_parser
from desktop_app.core.appraisal.defaults import DEFAULT_SAMPLES, DEFAULT_SEED
from desktop_app.core.coverage.engine import compute_coverage, compute_option_coverage
from desktop_app.core.model import Parameters, ReadResult
from desktop_app.core.optimiser import choices
from desktop_app.core.workbook import schema
from desktop_app.core.workbook.measure_names import measure_label_with_unit as export_measure_label

ROOT = Path(__file__).resolve().parent.parent
CODE = sorted((ROOT / "desktop_app").rglob("*.py"))
SCHEMA = ROOT / "desktop_app" / "core" / "workbook" / "schema.py"
#: The schema's other parts (schema.py re-exports them): its sheet tables and codes.
SCHEMA_PARTS = (SCHEMA, SCHEMA.with_name("sheet_specs.py"), SCHEMA.with_name("codes.py"))
#: Lists every marking's banner colours; the default marking is one key among them.
PALETTE = ROOT / "desktop_app" / "ui" / "palette.py"


def test_parameters_have_no_defaults_of_their_own_and_follow_the_schema_order() -> None:
    fields = [f for f in dataclasses.fields(Parameters) if f.name not in ("extra", "defaulted")]
    assert [f.name for f in fields] == [p.name for p in schema.PARAMETERS]
    assert all(f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING for f in fields)


def test_schema_fills_every_default_and_refuses_what_it_cannot() -> None:
    p = schema.parameters(force_name="Testshire", threat_level="SEVERE", target_minutes=15.0)
    assert (p.force_name, p.threat_level, p.target_minutes) == ("Testshire", "SEVERE", 15.0)
    for spec in schema.PARAMETERS:
        if spec.name not in ("force_name", "threat_level", "target_minutes"):
            assert getattr(p, spec.name) == spec.default, spec.name
    assert [name for name, _ in p.as_rows()] == [spec.name for spec in schema.PARAMETERS]
    with pytest.raises(TypeError, match="threat_level"):
        schema.parameters(force_name="Testshire")
    with pytest.raises(TypeError, match="target_minute"):
        schema.parameters(force_name="Testshire", threat_level="SEVERE", target_minute=15)


def _literal_patterns(spec: schema.Parameter) -> list[re.Pattern[str]]:
    """How a restated default would look: ``name ... = 20.0`` or a quoted text default."""
    value = spec.default
    columns = {c.name for sheet in schema.SHEETS for c in sheet.columns}
    if isinstance(value, str) and value in columns:
        return []  # boundaries_id_field's default is the Areas column area_id, quoted everywhere as a column
    if isinstance(value, str):
        # a quoted default, but not a comparison with one of the choices (mode == "flat")
        return [re.compile(rf"(?<!== )(?<!!= ){re.escape(q + value + q)}") for q in ('"', "'")]
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = rf"{float(value):g}(?:\.0+)?|{value!r}"
        return [re.compile(rf"\b{spec.name}\b[^\n=]*=\s*(?:{number})\b")]
    return []


def test_no_module_but_the_schema_restates_a_parameter_default() -> None:
    found = []
    for spec in schema.PARAMETERS:
        for pattern in _literal_patterns(spec):
            for path in CODE:
                if path in (*SCHEMA_PARTS, PALETTE):
                    continue
                for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    if pattern.search(line):
                        found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []


def test_the_check_above_can_fail() -> None:
    # The patterns catch the restatements this issue removed from model.py and main_window.py.
    target = _literal_patterns(schema.PARAMETERS_BY_NAME["target_minutes"])[0]
    marking = _literal_patterns(schema.PARAMETERS_BY_NAME["protective_marking"])[0]
    assert target.search("    target_minutes: float = 20.0")
    assert marking.search('DEFAULT_MARKING = "OFFICIAL-SENSITIVE"')
    assert not target.search("    target_minutes: float")


def test_command_line_defaults_and_choices_are_the_cores() -> None:
    parser = build_parser()
    app = parser.parse_args(["appraise", "w.xlsx", "-o", "s.xlsx"])
    assert (app.samples, app.seed) == (DEFAULT_SAMPLES, DEFAULT_SEED)
    opt = parser.parse_args(["optimise", "w.xlsx", "--posts", "2"])
    assert (opt.asset_type, opt.site_type, opt.measure) == (
        choices.DEFAULT_ASSET_TYPE, choices.DEFAULT_SITE_TYPE, choices.DEFAULT_MEASURE)
    sub = next(a for a in parser._actions if a.dest == "command").choices["optimise"]  # type: ignore[union-attr]
    by_dest = {a.dest: a for a in sub._actions}
    assert tuple(by_dest["asset_type"].choices) == schema.ASSET_TYPES
    assert tuple(by_dest["site_type"].choices) == schema.SITE_TYPES
    assert tuple(by_dest["measure"].choices) == choices.MEASURES


def test_the_engine_takes_the_target_it_is_given(sample_read: ReadResult) -> None:
    inputs = sample_read.inputs
    assert inputs is not None and inputs.parameters.target_minutes == 20
    # Passing 12 minutes gives what a workbook saying 12 gives, not the workbook's 20.
    twelve = dataclasses.replace(inputs, parameters=dataclasses.replace(inputs.parameters, target_minutes=12.0))
    given = compute_coverage(inputs, target=12.0)
    read = compute_coverage(twelve)
    assert given.target_minutes == 12.0
    assert given.measures.equals(read.measures)
    assert not given.measures.equals(compute_coverage(inputs).measures)  # the target mattered
    oid = inputs.baseline_id
    deps = inputs.deployments[inputs.deployments["option_id"] == oid]
    np.testing.assert_array_equal(compute_option_coverage(inputs, deps, oid, target=12.0).expected,
                                  compute_option_coverage(twelve, deps, oid).expected)


def test_target_labels_have_one_wording() -> None:
    busy = " (allowing for busy units)"
    assert schema.measure_label("threat_coverage", 20.0) == "Threat covered within 20 minutes" + busy
    assert schema.measure_label("population_coverage", 7.5) == "Population covered within 7.5 minutes" + busy
    assert schema.measure_label("threat_coverage") == "Threat covered within target" + busy
    assert schema.measure_label("officers_required", 20.0) == schema.MEASURE_LABELS["officers_required"][0]
    # The export's column label is the same words plus the unit.
    assert export_measure_label("threat_coverage", 20.0) == "Threat covered within 20 minutes" + busy + " (%)"
    assert schema.hour_chart_title(20.0) == "Population covered within 20 minutes" + busy + ", by hour of day"
