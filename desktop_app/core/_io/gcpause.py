"""Pause Python's cyclic garbage collector during allocation-heavy phases.

Reading a national workbook creates hundreds of thousands of lists (one per row of
cells) and the summary export a million short strings. None of them form reference
cycles, but every 700 new container objects trigger a collection, and the older
generations are rescanned in full now and then: about 0.09 s of a 2.3 s national
appraisal. Pausing the collector for the phase and letting it resume afterwards
skips that work; reference counting still frees everything as usual, and any cycles
made meanwhile are collected once the collector is back on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block, if it was enabled; re-enable it after.

    Nested or concurrent use is safe: only the outermost pause that found the collector
    on turns it back on (at worst another thread's phase runs its tail with it on).
    """
    was_enabled = gc.isenabled()
    if was_enabled:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
