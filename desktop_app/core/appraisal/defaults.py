"""The SMAA-2 run's default draws and seed, shared by the command line, the app and the core.

Kept apart from :mod:`desktop_app.core.appraisal.smaa` (which needs numpy and pandas)
so ``armed-options --help`` shows them without loading either.
"""

from __future__ import annotations

#: Fixed, so the same workbook gives the same robustness figures in every run
#: (docs/appraisal-method.md#4-robustness-smaa-2).
DEFAULT_SEED = 20240601
DEFAULT_SAMPLES = 10_000
