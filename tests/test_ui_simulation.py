"""Simulation view: runs in the task runner with progress and Cancel, table and chart per option."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest
from _workshop_fixtures import load, make_window
from workbook_factory import make_workbook

from desktop_app.core.workbook.reader import read_workbook
from desktop_app.ui.simulation_view import SimulationView
from desktop_app.ui.state import AppState

pytestmark = pytest.mark.gui


def _state(path: Path, rate: int | None) -> AppState:
    if rate is not None:
        wb = openpyxl.load_workbook(path)
        params = wb["Parameters"]
        row = next((r for r in params.iter_rows(min_row=2) if r[0].value == "armed_incidents_per_year"), None)
        if row is None:  # the sample lists the parameter (blank); another workbook may not
            params.append(["armed_incidents_per_year", rate, "for the simulation"])
        else:
            row[1].value = rate
        wb.save(path)
    state = AppState()
    state.read_result = read_workbook(path)
    assert state.read_result.ok
    return state


def _ran(qtbot, sample_copy: Path, replications: int) -> SimulationView:
    """A view of its own on the sample at 120 incidents a year, after a 1-year run."""
    view = SimulationView(_state(sample_copy, 120))
    qtbot.addWidget(view)
    view.years.setValue(1)
    view.replications.setValue(replications)
    with qtbot.waitSignal(view.simulated, timeout=60_000):
        view.run()
    return view


def test_simulation_view_runs_and_shows_every_option(qtbot, sample_copy: Path) -> None:
    state = _state(sample_copy, 120)
    view = SimulationView(state)
    qtbot.addWidget(view)
    assert view.per_year.value() == 120  # read from the workbook's parameter
    assert "armed_incidents_per_year" in view.summary.text()
    view.years.setValue(1)
    view.replications.setValue(3)
    progress: list[float] = []
    with qtbot.waitSignal(view.simulated, timeout=60_000):
        view.run()
        view.task.progress.connect(lambda f, _m: progress.append(f))
    r = view.result
    assert [o.option_id for o in r.options] == state.inputs.option_ids
    assert view.table.rowCount() == 6
    # options by name, the code on hover; the chart's axis by name too (shortened to 22 characters)
    assert view.table.item(0, 0).text() == "Do minimum" and view.table.item(0, 0).toolTip() == "OPT0 Do minimum"
    ticks = [t for _, t in view.chart.getPlotItem().getAxis("bottom")._tickLevels[0]]
    assert ticks[0] == "Do minimum" and not any(t.startswith("OPT") for t in ticks)
    # the chart's diamonds are the analytic figures, its dots the simulated means (percent)
    sim, low, high, ana = view.chart_points()
    assert ana.tolist() == pytest.approx([o.analytic_within_target * 100 for o in r.options])
    assert sim.tolist() == pytest.approx([o.within_target.mean * 100 for o in r.options])
    assert (low <= sim).all() and (sim <= high).all()
    assert progress and max(progress) <= 1.0
    # the key is beside the plot, not in it (inside, at 1024x768 it covered an error bar):
    # nothing in the plot but the bars and the two series, and every bar inside the y range
    item = view.chart.getPlotItem()
    assert item.legend is None
    assert "simulated (95% CI)" in view.chart_key.text() and "analytic (independent busy units)" in view.chart_key.text()
    assert not view.chart_key.isHidden()
    y0, y1 = item.viewRange()[1]
    finite = np.isfinite(high)
    assert y0 <= float(np.nanmin(np.r_[low[finite], ana])) and float(np.nanmax(np.r_[high[finite], ana])) <= y1


def test_simulation_view_cancel_leaves_no_result(qtbot, sample_copy: Path) -> None:
    state = _state(sample_copy, 5000)
    view = SimulationView(state)
    qtbot.addWidget(view)
    view.years.setValue(50)
    view.run()
    with qtbot.waitSignal(view.task.done, timeout=60_000):
        view.task.cancel()
    assert view.result is None and view.run_button.isEnabled()
    # a first run cancelled says so (only the status bar had reacted)
    assert "The run was cancelled before it finished" in view.summary.text()


def test_a_cancelled_run_and_a_changed_option_list_say_what_the_table_is(qtbot, sample_copy: Path) -> None:
    """A cancel keeps the last finished run's table and says so (the controls may read 50
    years by then); an option added or taken away clears the table, with the reason."""
    view = _ran(qtbot, sample_copy, replications=2)
    headers = [view.table.horizontalHeaderItem(j).text().replace("\n", " ") for j in range(view.table.columnCount())]
    assert headers[2] == "Within target, analytic" and headers[4] == "Second officer, analytic"
    assert headers[5:] == ["Median minutes (95% CI)", "Median minutes, analytic", "90th percentile (95% CI)",
                           "90th percentile, analytic"]
    # each time beside its analytic twin over the same incidents: "11.6\n(11.5 to 11.8)", then "11.6"
    o = view.result.options[0]
    assert view.table.item(0, 5).text().split("\n")[0] == f"{o.median_minutes.mean:.1f}"
    assert view.table.item(0, 6).text().startswith(f"{o.analytic_median_minutes:.1f}")
    # on hover, each option's share against the baseline's, paired over the same incidents
    from desktop_app.core.simulation import figures

    base = view.result.baseline
    assert base is not None and view.table.item(0, 1).toolTip() == ""  # the baseline itself
    beside = figures.analytic_beside(view.result.options[1], base)
    assert view.table.item(1, 1).toolTip() == (
        f"Against Do minimum, paired over the same incidents: "
        f"{figures.against_baseline(view.result.options[1], base, missing='–')} (95% CI)"
        + (f": {beside}" if beside else "")
        # 2 replications: the paired interval is not evidence of a difference, and the hover says so
        + "\n(Too small a run to read these (2 replications, fewer than 5): an interval from so few "
          "replications can leave out 0 by chance, so none of them is evidence of a difference)")
    # every option answers the same incidents: said once in the summary, not down a column
    assert len({p.incidents for p in view.result.options}) == 1
    assert f"the same {o.incidents:,.0f} armed incidents a replication" in view.summary.text()
    # 2 replications are too few to read agreement as no cost (docs/simulation.md#too-small):
    # the summary says so rather than that tie-ups cost nothing it can detect
    assert "This run is too small to detect units tied up at other incidents</b> (2 replications, fewer than 5)" \
        in view.summary.text()
    assert "cost no cover the simulation can detect" not in view.summary.text()
    assert "raise the replications or years above and run again" in view.summary.toolTip()
    assert "Neither figure shows units busy with other work at the same times" in view.summary.toolTip()
    # what the intervals are, and how a percentile is marked, on hover as the command line prints them
    assert "Monte Carlo" in view.summary.toolTip() and "share of simulated incidents answered within" in \
        view.summary.toolTip()
    assert "costs nothing" not in view.summary.text()
    assert "Per simulated incident" in view.summary.toolTip() or "per simulated incident" in view.summary.toolTip()
    view.years.setValue(50)
    view.run()
    with qtbot.waitSignal(view.task.done, timeout=60_000):
        view.task.cancel()
    assert view.result is not None and view.result.years == 1 and view.table.rowCount() == 6
    assert "The last run was cancelled" in view.summary.text()
    assert "from the run before it: 1 year x 2 replications" in view.summary.text()
    view.per_year.setValue(500)  # the analyst's own rate, not the workbook's 161
    view.state.options_changed.emit()  # an option added in the room
    assert view.result is None and view.table.rowCount() == 0 and not view.chart.isVisible()
    assert "The options changed since the last run" in view.summary.text()
    # the typed rate is kept (it had gone back to the workbook's without a word) and named
    assert view.per_year.value() == 500 and "at 500 incidents a year as set above" in view.summary.text()


def test_without_a_rate_the_view_asks_for_one(qtbot, tmp_path: Path) -> None:
    """No rate is a missing input, asked for in the summary with the box focused, not a
    "Simulation: failed" box; the sentence reads whole (it had run "Incidents a year the
    workbook gives no rate ...")."""
    state = _state(make_workbook(tmp_path), None)  # the small test force: no Incidents, no rate
    view = SimulationView(state)
    qtbot.addWidget(view)
    view.show()
    assert view.per_year.value() == 0
    assert "The workbook gives no rate of armed incidents" in view.summary.text()
    assert "enter how many a year in the box above" in view.summary.text()
    view.run()
    assert view.task is None and "Enter how many armed incidents a year" in view.summary.text()
    qtbot.waitUntil(view.per_year.hasFocus, timeout=2000)


def test_changed_settings_say_the_table_is_the_last_runs(qtbot, sample_copy: Path) -> None:
    """A room that types 500 a year after a run at 120 read the table as the new rate's."""
    view = _ran(qtbot, sample_copy, replications=2)  # 1 year x 2 at 120 a year
    assert "have changed since this run" not in view.summary.text()
    view.per_year.setValue(500)
    text = view.summary.text()
    assert "The settings above have changed since this run" in text and "1 year x 2 replications at 120 a year" in text
    assert view.table.rowCount() == 6  # the last run's figures stay, labelled
    view.per_year.setValue(120)  # back to the run's settings: no warning
    assert "have changed since this run" not in view.summary.text()
    view.seed.setValue(view.seed.value() + 1)
    assert "have changed since this run" in view.summary.text()


def test_the_table_marks_the_analytic_figure_outside_and_says_why(qtbot, sample_copy: Path) -> None:
    from dataclasses import replace

    from desktop_app.core.simulation import figures
    from desktop_app.core.simulation.run import Estimate
    from desktop_app.ui.simulation_words import OUTSIDE

    view = _ran(qtbot, sample_copy, replications=3)
    first = view.result.options[0]
    # put the first option's analytic share 2 points above its interval's top
    moved = replace(first, analytic_within_target=first.within_target.high + 0.02)
    view.result = replace(view.result, options=[moved, *view.result.options[1:]])
    view._fill_table()
    cell = view.table.item(0, 2)
    # analytic above the interval: the simulated share is the worse, which tie-ups explain
    assert cell.text() == f"{moved.analytic_within_target:.1%} {OUTSIDE}"
    assert cell.toolTip() == "T" + figures.OUTSIDE_WORSE[1:] + "."
    # below it, the simulated share is the better: chance, since tie-ups only lower it
    low = replace(first, analytic_within_target=first.within_target.low - 0.02)
    view.result = replace(view.result, options=[low, *view.result.options[1:]])
    view._fill_table()
    assert view.table.item(0, 2).toolTip() == "T" + figures.OUTSIDE_BETTER[1:] + "."
    assert OUTSIDE in view.summary.text()  # the mark is explained where it is read
    # a 90th percentile is judged as the command line judges it (figures.Pair.judgement): by the
    # share answered within the analytic minutes. 85% (84% to 86%) within them, not 90%: marked,
    # and the hover gives the share, whatever the minutes' interval
    slow = replace(first, p90_under=Estimate(0.84, 0.83, 0.85), p90_within=Estimate(0.85, 0.84, 0.86))
    view.result = replace(view.result, options=[slow, *view.result.options[1:]])
    view._fill_table()
    p90 = f"{slow.analytic_p90_minutes:.1f}"
    assert view.table.item(0, 8).text() == f"{p90} {OUTSIDE}"
    assert view.table.item(0, 8).toolTip() == (
        f"85.0% (84.0% to 86.0%) of simulated incidents were answered within the analytic {p90} minutes, not 90%; "
        + figures.OUTSIDE_WORSE + ".")
    # 90.0% (89.0% to 91.0%) within them holds 90%: not marked, even with the minutes' interval
    # put a minute above the analytic figure (the review's 57.0 (56.4 to 57.7) against 56.2)
    calm = Estimate(0.90, 0.89, 0.91)
    a = slow.analytic_p90_minutes
    fine = replace(first, p90_minutes=Estimate(a + 0.8, a + 0.2, a + 1.5), p90_under=calm, p90_within=calm)
    view.result = replace(view.result, options=[fine, *view.result.options[1:]])
    view._fill_table()
    assert view.table.item(0, 8).text() == p90 and view.table.item(0, 8).toolTip() == ""


def test_simulation_table_fits_at_1366_by_768_with_names_on_two_lines(qtbot, qapp, tmp_path: Path, sample_copy: Path) -> None:
    """At 1366x768 the sixth option's row had scrolled out of sight: its name wrapped at
    18 characters to three lines beside 400 unused pixels, and the chart's "option" title
    took the line the table needed."""
    from desktop_app.ui.app import configure_application

    configure_application(qapp)  # the app's own font and style, whose row heights the fit depends on
    window, _workshop = make_window(qtbot, tmp_path)
    window.resize(1366, 768)
    load(qtbot, window, sample_copy)
    window.show_view("simulation")
    view = window.simulation_view  # the view's defaults, 10 years x 20 replications, as a room runs it
    with qtbot.waitSignal(view.simulated, timeout=60_000):
        view.run()
    qtbot.waitUntil(lambda: not window.busy(), timeout=10_000)
    qtbot.wait(200)  # the layout settles: the summary's lines take their height from the splitter
    table = view.table
    names = [table.item(i, 0).text() for i in range(table.rowCount())]
    # "Hybrid: three armed stations + neighbour cover" (46 characters) on two lines, whole words
    assert names[5] == "Hybrid: three armed stations +\nneighbour cover"
    assert all(n.count("\n") <= 1 for n in names)
    assert not table.verticalScrollBar().isVisible() and not table.horizontalScrollBar().isVisible()
    # the chart's option names have the axis height for every line they use
    axis = view.chart.getPlotItem().getAxis("bottom")
    lines = max(t.count("\n") + 1 for _, t in axis._tickLevels[0])
    assert axis.height() >= lines * view.fontMetrics().lineSpacing()
    assert axis.labelText == ""  # no "option" title under the options' names
    # 10 years x 20 replications is large enough (share intervals about +/-0.5 points): the reading reassures
    assert "units tied up at other armed incidents cost no cover the simulation can detect" in view.summary.text()
