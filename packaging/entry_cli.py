"""Frozen entry point of ``armed-options`` (console): the contract's command line.

Kept separate from ``desktop_app/__main__.py`` so the frozen executable calls
``multiprocessing.freeze_support()`` first: without it, any worker process a
library starts on Windows would re-run the whole app instead of the worker.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from desktop_app.cli import main

    sys.exit(main())
