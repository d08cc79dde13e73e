"""The travel-times CSV parsed on a second thread while calamine reads the other sheets.

A national CSV (1.2 million site-area lines) takes pandas about half a second; calamine
reading the Areas and Threat sheets takes longer, and both release the interpreter
lock for most of it, so on two cores the parse costs almost nothing when it overlaps
them (docs/performance.md, "Stop 26"). The CSV's name is in the Parameters sheet,
which is the first sheet of every template workbook: as soon as calamine has read it,
:meth:`CsvPrefetch.on_sheet` works out the name as the reader will and starts the
parse.

The result is used only when the reader later resolves the same file with the same
name and row, and the parse's findings are replayed into the reader's own list at the
point the reader would have filed them, so the findings, their order and any exception
are exactly those of a parse on the reader's thread. Anything else (no Parameters
sheet first, a name that breaks the folder rule, two sheets reading as Parameters)
leaves the reader to parse the file itself, as before.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from desktop_app.core.workbook.cells import RawSheet
from desktop_app.core.workbook.findings import Findings
from desktop_app.core.workbook.given_times import GivenTimes, read_travel_csv
from desktop_app.core.workbook.named_files import named_file_problem
from desktop_app.core.workbook.schema import normalise_header

#: ``take``'s answer when the prefetch does not stand for the file asked for.
MISS: Any = object()


class _Recorder(Findings):
    """Findings filed on the parse's thread, kept as calls to replay in order."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def add(self, level: Any, sheet: str, row: int | None, column: str | None, message: str,
            rule: str | None = None) -> None:
        self.calls.append(("add", (level, sheet, row, column, message, rule)))

    def count_more(self, level: Any, sheet: str, column: str | None, rule: str, n: int) -> None:
        self.calls.append(("count_more", (level, sheet, column, rule, n)))


class CsvPrefetch:
    """Starts the CSV's parse when the Parameters sheet has been read; hands it over once."""

    def __init__(self, workbook: Path) -> None:
        self.workbook = workbook
        self._key: tuple[Path, str, int | None] | None = None
        self._thread: threading.Thread | None = None
        self._seen_parameters = False
        self._result: GivenTimes | None = None
        self._error: BaseException | None = None
        self._recorder = _Recorder()

    def on_sheet(self, name: str, raw: RawSheet) -> None:
        """Called after each sheet is read; the first that reads as Parameters starts the parse."""
        if self._seen_parameters or normalise_header(name) != normalise_header("Parameters"):
            return
        self._seen_parameters = True
        from desktop_app.core.workbook.sheets import read_parameters

        params, rows = read_parameters(raw, Findings())  # its findings are the reader's to file, later
        name_given = getattr(params, "travel_times_file", None) if params is not None else None
        if not isinstance(name_given, str) or not name_given:
            return
        path, _why = named_file_problem(self.workbook, name_given)
        if path is None:
            return
        self._key = (path, Path(name_given).name, rows.get("travel_times_file"))
        self._thread = threading.Thread(target=self._parse, name="travel-times CSV", daemon=True)
        self._thread.start()

    def _parse(self) -> None:
        assert self._key is not None
        path, name, row = self._key
        try:
            self._result = read_travel_csv(path, name, row, self._recorder)
        except BaseException as exc:  # noqa: BLE001 - re-raised on the reader's thread by take()
            self._error = exc

    def take(self, path: Path, name: str, row: int | None, sink: Findings) -> GivenTimes | None | Any:
        """The parse of ``path`` with its findings filed into ``sink``, or :data:`MISS`.

        Waits for the thread. An exception the parse raised is raised here, on the
        reader's thread, as a direct call would have raised it.
        """
        if self._thread is None or self._key != (path, name, row):
            return MISS
        self._thread.join()
        self._thread = None  # handed over once
        for method, args in self._recorder.calls:
            getattr(sink, method)(*args)
        if self._error is not None:
            raise self._error
        return self._result
