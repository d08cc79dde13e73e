"""Options' coverage computed a few at a time on threads is the sequential result, exactly.

``compute_coverage`` (and the summary's busy-unit curves) spread independent options
over the machine's cores (:mod:`desktop_app.core.threads`). Each option's arithmetic is
unchanged, so every measure, per-area figure, hourly series and warning must be
bit-for-bit what one thread gives, with the warnings in the same order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from desktop_app.core import threads
from desktop_app.core.coverage.engine import compute_coverage


@pytest.fixture(params=[1, 3])
def n_threads(request, monkeypatch) -> int:
    monkeypatch.setattr(threads, "MAX_THREADS", request.param)
    monkeypatch.setattr(threads.os, "cpu_count", lambda: 4)
    return int(request.param)


def test_thread_count_is_bounded_by_items_cores_and_the_cap(monkeypatch) -> None:
    monkeypatch.setattr(threads.os, "cpu_count", lambda: 2)
    assert [threads.thread_count(n) for n in (0, 1, 2, 10)] == [1, 1, 2, 2]
    monkeypatch.setattr(threads.os, "cpu_count", lambda: 16)
    assert threads.thread_count(10) == threads.MAX_THREADS == 4


def test_map_threads_keeps_order_and_raises_the_failure() -> None:
    assert threads.map_threads(lambda x: x * x, list(range(9))) == [0, 1, 4, 9, 16, 25, 36, 49, 64]

    def boom(x: int) -> int:
        if x == 5:
            raise ValueError("option 5")
        return x

    with pytest.raises(ValueError, match="option 5"):
        threads.map_threads(boom, list(range(9)))


def test_threaded_coverage_equals_one_thread(sample_read, n_threads, monkeypatch) -> None:
    inputs = sample_read.inputs
    got = compute_coverage(inputs)
    monkeypatch.setattr(threads, "MAX_THREADS", 1)
    want = compute_coverage(inputs)
    pd.testing.assert_frame_equal(got.measures, want.measures, check_exact=True)
    pd.testing.assert_frame_equal(got.by_hour, want.by_hour, check_exact=True)
    pd.testing.assert_frame_equal(got.by_hour_all_free, want.by_hour_all_free, check_exact=True)
    assert list(got.per_area) == list(want.per_area) == list(inputs.option_ids)
    for oid in want.per_area:
        pd.testing.assert_frame_equal(got.per_area[oid], want.per_area[oid], check_exact=True)
        assert np.array_equal(got.options[oid].class_cover, want.options[oid].class_cover)
    assert [f.one_line() for f in got.findings] == [f.one_line() for f in want.findings]


def test_progress_is_told_before_each_few_options_and_cancel_stops_between_them(sample_read, monkeypatch) -> None:
    from desktop_app.core.errors import Cancelled

    monkeypatch.setattr(threads.os, "cpu_count", lambda: 2)
    inputs = sample_read.inputs
    n = len(inputs.option_ids)
    told: list[tuple[float, str]] = []
    compute_coverage(inputs, progress=lambda f, m: told.append((f, m)))
    # Two at a time: before options 1-2, 3-4, ... then "done".
    assert told[0] == (0.0, f"Coverage of options 1-2 of {n}")
    assert len(told) == (n + 1) // 2 + 1 and told[-1] == (1.0, "Coverage done")
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 1  # let the first two options through, then cancel

    with pytest.raises(Cancelled):
        compute_coverage(inputs, cancelled=cancelled)
