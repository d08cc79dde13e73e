"""The one lock every use of pyproj (PROJ) in the core takes.

The app reads workbooks on a worker thread (ui/worker.py) while other code may use pyproj
on the main thread; pyproj's objects are not safe to use from two threads at once, and
doing so crashed the process in testing (a segmentation fault inside ``CRS()``). Each use
makes, uses and drops its pyproj objects under this lock, on its own thread; a load
converts all its coordinates in one call, so the lock costs nothing measurable.
"""

from __future__ import annotations

import threading

PROJ_LOCK = threading.Lock()
