"""The workbook fingerprint, and the check of a session's workbook against the file now.

A session names its workbook by path and SHA-256. The hash says *whether* the workbook
changed since the session was saved; the light fingerprint (row counts, ids, parameters,
weight-set names) kept beside it says *what* changed, in plain English, so reopening a
session against an edited workbook can tell the room more than "the hash differs".

Public names are re-exported from :mod:`desktop_app.core.session.document`.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.core.errors import UnreadableFileError
from desktop_app.core.session.records import SessionError, whole
from desktop_app.core.workbook import filecheck
from desktop_app.core.workbook.sheet_xml import check_sheets

if TYPE_CHECKING:  # only for the annotation: session.py imports this module
    from desktop_app.core.session.document import Session

#: Sheets whose ids the fingerprint records: sheet -> id column.
_ID_COLUMNS: dict[str, str] = {
    "Options": "option_id",
    "Criteria": "criterion_id",
    "Sites": "site_id",
    "Areas": "area_id",
}
#: Areas can run to tens of thousands of rows: above this many ids only the count and
#: a digest are kept, so session files stay small.
_MAX_LISTED_IDS = 500


@dataclass(frozen=True)
class WorkbookFingerprint:
    """A light summary of a workbook, enough to say what changed between two versions.

    ``row_counts``: data rows per sheet (blank rows skipped). ``ids``: id lists of the
    sheets in ``_ID_COLUMNS`` (for big sheets only the count and ``id_digests``).
    ``parameters``: the Parameters sheet as text. ``weight_sets``: set names.
    """

    row_counts: dict[str, int] = field(default_factory=dict)
    ids: dict[str, list[str]] = field(default_factory=dict)
    id_digests: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, str] = field(default_factory=dict)
    weight_sets: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "row_counts": dict(self.row_counts),
            "ids": {k: list(v) for k, v in self.ids.items()},
            "id_digests": dict(self.id_digests),
            "parameters": dict(self.parameters),
            "weight_sets": list(self.weight_sets),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> WorkbookFingerprint:
        data = data or {}
        return cls(
            row_counts={str(k): whole(v) for k, v in dict(data.get("row_counts", {})).items()},
            ids={str(k): [str(x) for x in v] for k, v in dict(data.get("ids", {})).items()},
            id_digests={str(k): str(v) for k, v in dict(data.get("id_digests", {})).items()},
            parameters={str(k): str(v) for k, v in dict(data.get("parameters", {})).items()},
            weight_sets=[str(x) for x in data.get("weight_sets", [])],
        )


def _cell_text(value: object) -> str:
    """Cell as comparable text: 20.0 and 20 are the same parameter value."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _norm(text: object) -> str:
    return " ".join(str(text or "").split()).lower()


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes, streamed (workbooks can be tens of MB)."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint_workbook(path: str | os.PathLike[str]) -> WorkbookFingerprint:
    """Read just enough of a workbook to describe it; independent of full validation.

    Uses python-calamine directly rather than the validating reader, so a workbook that
    has since gained errors can still be compared. Raises :class:`SessionError` if the
    file cannot be opened at all.
    """
    import python_calamine  # local: only sessions need it here

    try:
        # Checked exactly as a workbook opened by hand, before calamine sees it: a far cell or
        # a bomb would otherwise abort the process (docs/reliability.md#guarantees).
        filecheck.check_file(path)
        check_sheets(Path(path))
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except UnreadableFileError as exc:
        raise SessionError(exc.one_line()) from None
    except BaseException as exc:  # noqa: BLE001 - calamine raises many types (a Rust panic is a BaseException)
        if not isinstance(exc, Exception) and isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        raise SessionError(f"{path}: cannot open the workbook to compare it ({type(exc).__name__})") from None
    row_counts: dict[str, int] = {}
    ids: dict[str, list[str]] = {}
    digests: dict[str, str] = {}
    parameters: dict[str, str] = {}
    weight_sets: list[str] = []
    try:
        for name in book.sheet_names:
            try:
                rows = book.get_sheet_by_name(name).to_python(skip_empty_area=True)
            except BaseException as exc:  # noqa: BLE001 - a Rust panic is a BaseException
                if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
                    raise
                raise SessionError(f"{path}: sheet {name} cannot be read to compare it ({type(exc).__name__})") from None
            if not rows:
                row_counts[name] = 0
                continue
            header = [_norm(h) for h in rows[0]]
            data = [r for r in rows[1:] if any(_cell_text(c) for c in r)]
            row_counts[name] = len(data)
            key = next((s for s in _ID_COLUMNS if _norm(s) == _norm(name)), None)

            def column(col: str, header: list[str] = header, data: list = data) -> list[str]:
                if col not in header:
                    return []
                i = header.index(col)
                return [_cell_text(r[i]) if i < len(r) else "" for r in data]

            if key is not None:
                values = column(_ID_COLUMNS[key])
                digests[key] = hashlib.sha256("\n".join(values).encode()).hexdigest()[:16]
                ids[key] = values if len(values) <= _MAX_LISTED_IDS else []
            elif _norm(name) == "parameters":
                names, values = column("parameter"), column("value")
                parameters = {n: v for n, v in zip(names, values, strict=False) if n}
            elif _norm(name) == "weightsets":
                weight_sets = list(dict.fromkeys(v for v in column("weight_set") if v))
    finally:
        with contextlib.suppress(Exception):
            book.close()
    return WorkbookFingerprint(row_counts, ids, digests, parameters, weight_sets)


def describe_changes(old: WorkbookFingerprint, new: WorkbookFingerprint) -> list[str]:
    """Plain-English lines saying what differs between two fingerprints.

    Order: sheets added/removed, row counts, ids added/removed per sheet, parameters,
    weight sets. An empty list means the fingerprints agree (the change is inside cells
    the fingerprint does not record, e.g. a population figure).
    """
    lines: list[str] = []
    for sheet in new.row_counts.keys() - old.row_counts.keys():
        lines.append(f"sheet {sheet} was added")
    for sheet in old.row_counts.keys() - new.row_counts.keys():
        lines.append(f"sheet {sheet} was removed")
    for sheet, before in old.row_counts.items():
        after = new.row_counts.get(sheet)
        if after is not None and after != before:
            lines.append(f"{sheet}: {before} rows before, {after} now")
    for sheet, id_col in _ID_COLUMNS.items():
        before_ids, after_ids = old.ids.get(sheet), new.ids.get(sheet)
        if before_ids and after_ids:
            added = [i for i in after_ids if i not in set(before_ids)]
            removed = [i for i in before_ids if i not in set(after_ids)]
            if added:
                lines.append(f"{sheet}: {id_col} added: {_few(added)}")
            if removed:
                lines.append(f"{sheet}: {id_col} removed: {_few(removed)}")
            if not added and not removed and before_ids != after_ids:
                lines.append(f"{sheet}: the same {id_col}s in a different order")
        elif (
            sheet in old.id_digests
            and sheet in new.id_digests
            and old.id_digests[sheet] != new.id_digests[sheet]
        ):
            lines.append(f"{sheet}: the {id_col}s changed")
    for name in sorted(old.parameters.keys() | new.parameters.keys()):
        a, b = old.parameters.get(name), new.parameters.get(name)
        if a == b:
            continue
        if a is None:
            lines.append(f"parameter {name} added: {b}")
        elif b is None:
            lines.append(f"parameter {name} removed (was {a})")
        else:
            lines.append(f"parameter {name}: {a} before, {b} now")
    added_sets = [s for s in new.weight_sets if s not in old.weight_sets]
    removed_sets = [s for s in old.weight_sets if s not in new.weight_sets]
    if added_sets:
        lines.append(f"weight sets added: {_few(added_sets)}")
    if removed_sets:
        lines.append(f"weight sets removed: {_few(removed_sets)}")
    return lines


def _few(items: list[str], limit: int = 8) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


# ----------------------------------------------------------------------------------------
# Reopening against a changed workbook
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkbookCheck:
    """The result of comparing a session's workbook record with the file now.

    ``status``: ``"same"`` (SHA-256 matches), ``"changed"`` (file differs: ``changes``
    says how, as far as the fingerprint can tell), ``"missing"`` or ``"unreadable"``
    (refused by the same checks as a workbook opened by hand; ``changes`` says why).
    """

    status: str
    path: Path
    changes: tuple[str, ...] = ()
    new_sha256: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "same"

    def message(self) -> str:
        """What to tell the user, in a sentence or a short list."""
        if self.status == "same":
            return f"{self.path.name} is unchanged since the session was saved."
        if self.status == "missing":
            return f"The workbook {self.path} cannot be found."
        if self.status == "unreadable":
            return f"The session's workbook cannot be opened: {' '.join(self.changes)}"
        head = f"{self.path.name} has changed since this session was saved."
        if not self.changes:
            return head + " Its sheets, ids and parameters are the same, so cell values were edited."
        return head + "\n" + "\n".join(f"- {c}" for c in self.changes)


def check_workbook(session: Session, session_path: str | os.PathLike[str] | None = None) -> WorkbookCheck:
    """Compare the session's workbook record with the workbook on disk now.

    The SHA-256 decides whether anything changed; the fingerprint stored in the session
    is then compared with a fresh one to say what changed.
    """
    path = session.workbook_resolved(session_path)
    if not path.exists():
        return WorkbookCheck("missing", path)
    try:  # before anything hashes or parses it: a FIFO or /dev/zero would hang the hash
        filecheck.check_file(path)
    except UnreadableFileError as exc:
        return WorkbookCheck("unreadable", path, (exc.one_line(),))
    sha = file_sha256(path)
    if sha == session.workbook_sha256:
        return WorkbookCheck("same", path, (), sha)
    try:
        changes = describe_changes(session.fingerprint, fingerprint_workbook(path))
    except SessionError as exc:
        changes = [exc.one_line()]
    return WorkbookCheck("changed", path, tuple(changes), sha)
