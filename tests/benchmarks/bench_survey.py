"""Survey collection speed: 500 returned forms of the sample force (docs/performance.md#against-the-targets).

Run: ``.venv/bin/python tests/benchmarks/bench_survey.py`` (not run by CI).
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from survey_helpers import fill, sample_design  # noqa: E402

from desktop_app.core.survey.collect import collect, gather  # noqa: E402
from desktop_app.core.survey.form_writer import write_form  # noqa: E402

FORMS = 500


def main() -> None:
    design = sample_design(group="Police Federation")
    folder = Path(tempfile.mkdtemp())
    try:
        form = write_form(design, folder / "form.xlsx")
        returned = folder / "returned"
        returned.mkdir()
        rng = random.Random(7)
        for k in range(FORMS):  # every respondent a different code and different points
            p = [rng.randint(0, 100) for _ in range(4)]
            fill(form, returned / f"r{k:04d}.xlsx", design, code=f"F-{k:04d}", answers={
                "branches": {"Response": (1, 100), "Costs": (2, 50), "Workforce": (2, 50), "Community": (4, 25),
                             "Policing model": (4, 25)},
                "in:Response": {"C1": (1, 100), "C2": (2, max(p[:3])), "C3": (3, min(p[:3])), "C4": (3, min(p[:3]))},
                "in:Workforce": {"C8": (1, 100), "C6": (2, p[3])}})
        t = time.perf_counter()
        c = collect(gather([str(returned)]))
        dt = time.perf_counter() - t
        print(f"collect {FORMS} forms: {dt:.1f} s ({1000 * dt / FORMS:.0f} ms a form); "
              f"{len(c.responses)} accepted, {len(c.problems)} problem lines")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
