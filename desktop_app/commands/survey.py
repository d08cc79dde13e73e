"""``armed-options survey`` and ``armed-options survey-collect`` (docs/command-line.md#commands, docs/survey.md).

``survey WORKBOOK -o FORM.xlsx [--group NAME] [--public]`` writes a fillable swing-weight
form: exit 0 written, 1 invalid workbook, 2 unreadable / usage / cannot write.

``survey-collect FORM.xlsx|FOLDER ... -o RESULTS.xlsx [--workbook WORKBOOK] [--json]`` reads
every returned form and writes the results: exit 0 when every form was accepted, 1 when
some were left out (each problem one line on stderr: file, cell, problem; the results are
still written from the others), 2 unreadable / usage / cannot write. With ``--json``,
stdout carries only the JSON results.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from desktop_app.commands.validate import refuse_invalid
from desktop_app.core._io.atomic import refuse_input_as_output
from desktop_app.core.errors import OutputError, UsageError


def _check_output(output: Path, what: str) -> None:
    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"{output}: the {what} must be saved as an Excel workbook ending in .xlsx")
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write {output}: the folder does not exist")


def _refuse_form_as_output(forms: list[Path], output: Path) -> None:
    """The results may not replace a returned form (by name, link or hard link): forms are never changed."""
    import os

    from desktop_app.core._io.atomic import refuse_special_output

    refuse_special_output(output)
    for form in forms:
        try:
            same = form.resolve() == output.resolve() or (output.exists() and os.path.samefile(form, output))
        except OSError:
            same = False
        if same:
            raise OutputError(f"refusing to write {output}: it is one of the returned forms; choose another file name")


def run(args: argparse.Namespace) -> int:
    """Make one survey form from a force workbook."""
    from desktop_app.core.pipeline import run_appraisal
    from desktop_app.core.survey.design import build_design
    from desktop_app.core.survey.form_writer import write_form
    from desktop_app.core.workbook.named_files import named_input_files
    from desktop_app.core.workbook.reader import read_workbook, sha256_of

    workbook, output = Path(args.workbook), Path(args.output)
    _check_output(output, "survey form")
    refuse_input_as_output(workbook, output)
    result = read_workbook(workbook)
    if result.errors or result.inputs is None:
        return refuse_invalid(workbook, result)
    refuse_input_as_output([workbook, *named_input_files(workbook, result.inputs.parameters)], output)
    run_ = run_appraisal(result.inputs, result.findings, samples=0, what_if=False)
    assert run_.value_model is not None
    design = build_design(result.inputs, run_.value_model, workbook_sha256=sha256_of(workbook),
                          workbook_name=workbook.name, public=bool(args.public), group=args.group)
    written = write_form(design, output)
    asked = [b for b in design.blocks if b.asked]
    swings = sum(len(b.items) for b in asked)
    who = f" for {design.group}" if design.group else ""
    sys.stdout.write(f"Survey form{who} written: {written} ({swings} swings to weigh in {len(asked)} "
                     f"table{'s' if len(asked) != 1 else ''}, marked {design.marking})\n")
    return 0


def run_collect(args: argparse.Namespace) -> int:
    """Collect returned forms into the results workbook."""
    from desktop_app.core.survey.collect import collect, collection_json, gather
    from desktop_app.core.survey.results_writer import write_results
    from desktop_app.core.workbook.reader import sha256_of

    output = Path(args.output)
    _check_output(output, "results")
    forms = gather(list(args.forms))
    _refuse_form_as_output(forms, output)
    pinned = None
    if args.workbook is not None:
        from desktop_app.core.workbook.filecheck import check_file

        check_file(args.workbook)
        pinned = sha256_of(Path(args.workbook))
    result = collect(forms, workbook_sha256=pinned, samples=args.samples, seed=args.seed)
    if result.design is None:
        for p in result.problems:
            sys.stderr.write(p.line() + "\n")
        raise UsageError("no form could be read as a survey form from this workbook, so there are no results")
    written = write_results(result, output)
    for p in result.problems:
        sys.stderr.write(p.line() + "\n")
    out = sys.stdout
    info = sys.stderr if args.json else sys.stdout
    if args.json:
        out.write(json.dumps(collection_json(result), allow_nan=False) + "\n")
    else:
        for s in result.sentences():
            out.write(s + "\n")
    left = len(result.refused_files)
    info.write(f"{len(result.responses)} of {len(forms)} forms accepted"
               + (f"; {left} left out (each problem above)" if left else "") + f". Results written: {written}\n")
    return 1 if left else 0
