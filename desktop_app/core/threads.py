"""Run independent numpy work on the machine's cores with threads.

numpy releases the GIL inside its large array operations (sums, products, exp, sort),
so a handful of threads over independent items (options, halves of a coordinate
array) runs on several cores without processes, whose start-up on Windows (a fresh
interpreter importing pandas) would cost more than the work. Order and exceptions are
kept: results come back in the items' order and the first failure is raised.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: At most this many threads: past four, the memory traffic of the numpy work dominates.
MAX_THREADS = 4


def thread_count(n_items: int) -> int:
    """Threads worth starting for ``n_items`` independent items on this machine."""
    return max(1, min(n_items, os.cpu_count() or 1, MAX_THREADS))


def map_threads(fn: Callable[[T], R], items: Sequence[T], name: str = "work") -> list[R]:
    """``[fn(x) for x in items]``, spread over :func:`thread_count` threads."""
    workers = thread_count(len(items))
    if workers <= 1:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name) as pool:
        return list(pool.map(fn, items))
