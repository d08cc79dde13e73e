"""The week of 168 hours (docs/measures.md#the-week): days text, shifts and hour weights."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.core.coverage.units import (
    HOURS_OF_WEEK,
    hour_weights,
    option_units,
    parse_days,
    shift_hours,
)
from desktop_app.core.workbook.week import parse_weekday, week_label


def _on(week: np.ndarray) -> list[int]:
    return np.flatnonzero(week).tolist()


def test_parse_days_names_commas_ranges_and_wrap() -> None:
    assert parse_days("") == frozenset(range(7))
    assert parse_days(None) == frozenset(range(7))
    assert parse_days("Mon-Fri") == {0, 1, 2, 3, 4}
    assert parse_days(" fri , Saturday ") == {4, 5}
    # Sat-Mon wraps: Saturday (5), Sunday (6), Monday (0).
    assert parse_days("Sat-Mon") == {5, 6, 0}
    assert parse_days("Mon,Wed-Thurs") == {0, 2, 3}
    assert parse_weekday("SUNDAY") == 6


@pytest.mark.parametrize("text", ["Funday", "Mon-", "Mon,,Tue", "Mon-Tue-Wed", "1-3"])
def test_parse_days_rejects_bad_text_with_a_clear_message(text: str) -> None:
    with pytest.raises(ValueError, match="Mon-Fri"):
        parse_days(text)


@pytest.mark.parametrize(("text", "named"), [("Mon-Foo", "'Foo' is not a day of the week"),
                                             ("Funday,Tue", "'Funday' is not a day of the week"),
                                             ("Mon-Tue-Wed", "'Mon-Tue-Wed' is not a day or a range of two days")])
def test_a_bad_days_cell_names_the_part_that_is_wrong(text: str, named: str) -> None:
    # "'Mon-Foo' ... 'Mon-Foo' is not a day or a range" made the analyst find Foo themselves
    with pytest.raises(ValueError, match=named):
        parse_days(text)


def test_a_range_from_a_day_to_itself_is_refused_as_ambiguous() -> None:
    # Mon-Mon was read as Monday only (8 hours a week for a 08-16 shift) though it can as
    # well mean the week round from Monday to Monday; the reader asks rather than guess.
    with pytest.raises(ValueError, match="could mean Monday only or the whole week; write Mon for one day"):
        parse_days("Mon-Mon")
    with pytest.raises(ValueError, match="Friday only"):
        parse_days("Sat,fri-Friday")


def test_shift_hours_day_shift_on_named_days() -> None:
    # 08-16 on Tue (day 1): hours 24+8 = 32 .. 24+15 = 39.
    assert _on(shift_hours(8, 16, "Tue")) == list(range(32, 40))


def test_shift_hours_night_shift_wraps_sunday_into_monday() -> None:
    # 22-06 starting Sunday (day 6): 6*24+22 = 166, 167, then Monday 0..5.
    assert _on(shift_hours(22, 6, "Sun")) == [0, 1, 2, 3, 4, 5, 166, 167]
    # Fri,Sat 20-04: Fri 4*24+20 = 116..119 + Sat 120..123; Sat 140..143 + Sun 144..147.
    assert _on(shift_hours(20, 4, "Fri,Sat")) == list(range(116, 124)) + list(range(140, 148))


def test_shift_hours_whole_day_and_blank_days() -> None:
    assert _on(shift_hours(0, 24, "Wed")) == list(range(48, 72))
    assert shift_hours(0, 24, "").all()
    assert not shift_hours(5, 5, "").any()  # start = end: never (the reader rejects it)
    assert shift_hours(0, 24).shape == (HOURS_OF_WEEK,)


def test_v1_shift_gives_the_same_hours_on_every_day() -> None:
    # 18-02 every day: on each day hours 0, 1 (from the night before) and 18..23.
    week = shift_hours(18, 2, None).reshape(7, 24)
    assert (week == week[0]).all()
    assert np.flatnonzero(week[0]).tolist() == [0, 1, 18, 19, 20, 21, 22, 23]


def test_week_label() -> None:
    assert week_label(118) == "Fri 22:00"


def test_option_units_and_flat_weights(sample_path) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.core.workbook.reader import read_workbook

    sample_inputs = read_workbook(sample_path).inputs
    assert sample_inputs is not None
    oid = sample_inputs.baseline_id
    u = option_units(sample_inputs, oid)
    deps = sample_inputs.deployments[sample_inputs.deployments["option_id"] == oid]
    assert u.n == len(deps)
    assert u.active.shape == (u.n, HOURS_OF_WEEK)
    assert u.response.shape == (u.n, sample_inputs.travel_minutes.shape[1])
    auth = float(getattr(sample_inputs.parameters, "authorisation_minutes", 0.0))
    # r_da = authorisation + m_d + tt(s_d, a), for the first deployment and area.
    expected = auth + u.mobilisation[0] + sample_inputs.travel_minutes[u.site_index[0], 0]
    assert u.response[0, 0] == pytest.approx(expected, abs=1e-4)
    w = hour_weights(sample_inputs)
    if getattr(sample_inputs.parameters, "hour_weighting", "flat") == "flat":
        assert np.allclose(w, 1 / 168)
    assert w.sum() == pytest.approx(1.0)
