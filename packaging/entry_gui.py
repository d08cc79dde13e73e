"""Frozen entry point of ``armed-options-gui``: windowed (no console at all on Windows).

The Start-menu shortcut points here, so an officer never sees a console window,
not even the brief flash of a hidden one. Same as ``armed-options gui [WORKBOOK]``.
"""

import multiprocessing
import os
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    # A windowed Windows executable has no console: sys.stdout/sys.stderr are None,
    # and any library (or our own one-line error path) writing to them would crash.
    for _name in ("stdout", "stderr"):
        if getattr(sys, _name) is None:
            setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    from desktop_app.cli import gui_main

    sys.exit(gui_main())
