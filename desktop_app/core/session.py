"""Workshop sessions: what the room changed, saved apart from the input workbook.

A workshop changes weights, captures stakeholder weight sets, edits judgement
scores and adds options (e.g. from the optimiser). None of that may ever be
written back into the force workbook: the workbook is the force's evidence and
the session is the afternoon's work on top of it. So a session is its own JSON
file, naming the workbook by path and SHA-256, with a light *fingerprint* of the
workbook (row counts and ids) so that reopening a session against a workbook
that has since changed can say *what* changed, not just "the hash differs".

Saves are atomic (:mod:`desktop_app.core.atomic`). Autosave and crash recovery
live in :class:`Autosave`: an ``autosave.json`` written atomically every minute
plus a ``running.lock`` marker that a clean shutdown removes. If the app starts
and finds an autosave with a lock left behind by a process that is no longer
running, the previous run crashed and the autosave is offered for recovery. An
autosave interrupted mid-write leaves the previous autosave intact, because the
write is atomic.

Qt-free: the desktop app wraps this in ``desktop_app/ui/session_controller.py``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.core.atomic import atomic_write_text
from desktop_app.core.errors import ToolError

#: Identifies a session file; ``version`` is bumped when the layout changes incompatibly.
FORMAT_NAME = "armed-options-session"
FORMAT_VERSION = 1

SESSION_SUFFIX = ".armedsession.json"
AUTOSAVE_NAME = "autosave.json"
LOCK_NAME = "running.lock"
DATA_DIR_ENV = "ARMED_OPTIONS_DATA_DIR"
#: A lock not refreshed for this long is a crashed run's, even if its pid is in use again.
HEARTBEAT_STALE_SECONDS = 180.0

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


class SessionError(ToolError):
    """A session file cannot be read or written (one line, exit status 2)."""

    exit_status = 2


# ----------------------------------------------------------------------------------------
# Plain records: what a workshop adds on top of the workbook
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeightSet:
    """A named stakeholder weight set: raw swing weights by criterion.

    ``source`` is ``"workbook"`` for sets read from the WeightSets sheet and
    ``"captured"`` for sets the facilitator captured in the room.
    """

    name: str
    weights: dict[str, float]
    source: str = "captured"

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "source": self.source, "weights": dict(self.weights)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WeightSet:
        return cls(
            name=str(data["name"]),
            weights={str(k): float(v) for k, v in dict(data["weights"]).items()},
            source=str(data.get("source", "captured")),
        )


@dataclass(frozen=True)
class JudgementEdit:
    """A judgement score the workshop changed, with the workbook's original beside it.

    ``original_score``/``original_rationale`` are None when the workbook had no
    judgement for this pair (e.g. a criterion scored for an option the workshop added).
    """

    option_id: str
    criterion_id: str
    original_score: float | None
    score: float
    original_rationale: str | None
    rationale: str

    def to_json(self) -> dict[str, Any]:
        return {
            "option_id": self.option_id,
            "criterion_id": self.criterion_id,
            "original_score": self.original_score,
            "score": self.score,
            "original_rationale": self.original_rationale,
            "rationale": self.rationale,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> JudgementEdit:
        orig = data.get("original_score")
        return cls(
            option_id=str(data["option_id"]),
            criterion_id=str(data["criterion_id"]),
            original_score=None if orig is None else float(orig),
            score=float(data["score"]),
            original_rationale=(
                None if data.get("original_rationale") is None else str(data["original_rationale"])
            ),
            rationale=str(data.get("rationale", "")),
        )


@dataclass(frozen=True)
class DeploymentSpec:
    """One row of the Deployments sheet for an option added in the workshop.

    ``busy_fraction``/``mobilisation_minutes`` None means "the asset type's default
    from Parameters", exactly as a blank cell in the workbook does.
    """

    site_id: str
    asset_type: str
    posts: int = 1
    crew_size: int = 1
    start_hour: int = 0
    end_hour: int = 24
    busy_fraction: float | None = None
    mobilisation_minutes: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "site_id": self.site_id,
            "asset_type": self.asset_type,
            "posts": self.posts,
            "crew_size": self.crew_size,
            "start_hour": self.start_hour,
            "end_hour": self.end_hour,
            "busy_fraction": self.busy_fraction,
            "mobilisation_minutes": self.mobilisation_minutes,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DeploymentSpec:
        bf, mm = data.get("busy_fraction"), data.get("mobilisation_minutes")
        return cls(
            site_id=str(data["site_id"]),
            asset_type=str(data["asset_type"]),
            posts=int(data.get("posts", 1)),
            crew_size=int(data.get("crew_size", 1)),
            start_hour=int(data.get("start_hour", 0)),
            end_hour=int(data.get("end_hour", 24)),
            busy_fraction=None if bf is None else float(bf),
            mobilisation_minutes=None if mm is None else float(mm),
        )


@dataclass(frozen=True)
class OptionSpec:
    """An option the workshop added (e.g. "baseline + 4 ARO posts" from the optimiser).

    Mirrors one Options row plus its Deployments rows. ``include_baseline`` says the
    option is the baseline's deployments *plus* ``deployments`` (how the optimiser
    defines its result, contract section 4); otherwise ``deployments`` is the whole
    option. Costs are what the user entered, not computed.
    """

    option_id: str
    option_name: str
    description: str = ""
    one_off_cost_gbp: float = 0.0
    annual_cost_gbp: float = 0.0
    implementation_months: float = 0.0
    deployments: tuple[DeploymentSpec, ...] = ()
    include_baseline: bool = True
    source: str = "optimiser"

    def to_json(self) -> dict[str, Any]:
        return {
            "option_id": self.option_id,
            "option_name": self.option_name,
            "description": self.description,
            "one_off_cost_gbp": self.one_off_cost_gbp,
            "annual_cost_gbp": self.annual_cost_gbp,
            "implementation_months": self.implementation_months,
            "include_baseline": self.include_baseline,
            "source": self.source,
            "deployments": [d.to_json() for d in self.deployments],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OptionSpec:
        return cls(
            option_id=str(data["option_id"]),
            option_name=str(data["option_name"]),
            description=str(data.get("description", "")),
            one_off_cost_gbp=float(data.get("one_off_cost_gbp", 0.0)),
            annual_cost_gbp=float(data.get("annual_cost_gbp", 0.0)),
            implementation_months=float(data.get("implementation_months", 0.0)),
            deployments=tuple(DeploymentSpec.from_json(d) for d in data.get("deployments", [])),
            include_baseline=bool(data.get("include_baseline", True)),
            source=str(data.get("source", "optimiser")),
        )

    def options_row(self) -> dict[str, Any]:
        """The option as an Options-sheet row (``baseline`` False: an added option never is)."""
        return {
            "option_id": self.option_id,
            "option_name": self.option_name,
            "description": self.description,
            "baseline": False,
            "one_off_cost_gbp": float(self.one_off_cost_gbp),
            "annual_cost_gbp": float(self.annual_cost_gbp),
            "implementation_months": float(self.implementation_months),
        }

    def deployment_rows(self, baseline_rows: Iterable[Mapping[str, Any]] = ()) -> list[dict[str, Any]]:
        """Deployments-sheet rows of the option; ``baseline_rows`` first when it builds on them."""
        rows: list[dict[str, Any]] = []
        if self.include_baseline:
            for r in baseline_rows:
                row = dict(r)
                row["option_id"] = self.option_id
                rows.append(row)
        for d in self.deployments:
            row = d.to_json()
            row["option_id"] = self.option_id
            rows.append(row)
        return rows


# ----------------------------------------------------------------------------------------
# Workbook fingerprint
# ----------------------------------------------------------------------------------------


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
            row_counts={str(k): int(v) for k, v in dict(data.get("row_counts", {})).items()},
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
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # noqa: BLE001 - calamine raises many types; one line to the user
        raise SessionError(f"{path}: cannot open the workbook to compare it ({exc})") from None
    row_counts: dict[str, int] = {}
    ids: dict[str, list[str]] = {}
    digests: dict[str, str] = {}
    parameters: dict[str, str] = {}
    weight_sets: list[str] = []
    try:
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=True)
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
# The session
# ----------------------------------------------------------------------------------------


@dataclass
class Session:
    """Everything a workshop did on top of one workbook.

    ``weights`` are the raw swing weights in force now (criterion -> weight);
    ``active_weight_set`` names the set they were switched from, if any (None once the
    room has moved a slider since). ``weight_sets`` keeps workbook sets and captured
    sets in display order. ``judgement_edits`` are net edits (one per changed pair).
    """

    workbook_path: str
    workbook_sha256: str
    fingerprint: WorkbookFingerprint = field(default_factory=WorkbookFingerprint)
    weights: dict[str, float] = field(default_factory=dict)
    active_weight_set: str | None = None
    weight_sets: list[WeightSet] = field(default_factory=list)
    judgement_edits: list[JudgementEdit] = field(default_factory=list)
    added_options: list[OptionSpec] = field(default_factory=list)
    saved_at: str = ""
    app_version: str = ""

    # -- JSON -----------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """The session as JSON-able data, with the format name and version first."""
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "app_version": self.app_version or _app_version(),
            "saved_at": self.saved_at,
            "workbook": {
                "path": self.workbook_path,
                "sha256": self.workbook_sha256,
                "fingerprint": self.fingerprint.to_json(),
            },
            "weights": {k: _finite(v) for k, v in self.weights.items()},
            "active_weight_set": self.active_weight_set,
            "weight_sets": [s.to_json() for s in self.weight_sets],
            "judgement_edits": [e.to_json() for e in self.judgement_edits],
            "added_options": [o.to_json() for o in self.added_options],
        }

    @classmethod
    def from_json(cls, data: Any, *, origin: str = "session") -> Session:
        """Rebuild a session; a wrong or newer format is one clear :class:`SessionError`."""
        if not isinstance(data, Mapping) or data.get("format") != FORMAT_NAME:
            raise SessionError(f"{origin}: not an Armed Policing Options session file")
        version = data.get("version")
        if not isinstance(version, int) or version < 1:
            raise SessionError(f"{origin}: session file has no valid format version")
        if version > FORMAT_VERSION:
            raise SessionError(
                f"{origin}: session file format {version} is newer than this app supports "
                f"({FORMAT_VERSION}); update the app to open it"
            )
        try:
            wb = data["workbook"]
            return cls(
                workbook_path=str(wb["path"]),
                workbook_sha256=str(wb["sha256"]),
                fingerprint=WorkbookFingerprint.from_json(wb.get("fingerprint")),
                weights={str(k): float(v) for k, v in dict(data.get("weights", {})).items()},
                active_weight_set=(
                    None if data.get("active_weight_set") is None else str(data["active_weight_set"])
                ),
                weight_sets=[WeightSet.from_json(s) for s in data.get("weight_sets", [])],
                judgement_edits=[JudgementEdit.from_json(e) for e in data.get("judgement_edits", [])],
                added_options=[OptionSpec.from_json(o) for o in data.get("added_options", [])],
                saved_at=str(data.get("saved_at", "")),
                app_version=str(data.get("app_version", "")),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SessionError(f"{origin}: session file is damaged ({type(exc).__name__}: {exc})") from None

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False, allow_nan=False)

    # -- files ----------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the session atomically: a crash mid-save leaves the previous file intact."""
        self.saved_at = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        return atomic_write_text(path, self.dumps())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Session:
        """Read a session file; any problem is one :class:`SessionError` line naming the file."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SessionError(f"{path}: session file not found") from None
        except OSError as exc:
            raise SessionError(f"{path}: cannot read the session file ({exc.strerror or exc})") from None
        except UnicodeDecodeError:
            raise SessionError(f"{path}: not an Armed Policing Options session file") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SessionError(f"{path}: session file is damaged (bad JSON at line {exc.lineno})") from None
        return cls.from_json(data, origin=str(path))

    @classmethod
    def for_workbook(cls, path: str | os.PathLike[str], **kw: Any) -> Session:
        """A new session on ``path``, hashing and fingerprinting the workbook as it is now."""
        p = Path(path)
        return cls(
            workbook_path=str(p.resolve()),
            workbook_sha256=file_sha256(p),
            fingerprint=fingerprint_workbook(p),
            **kw,
        )

    def workbook_resolved(self, session_path: str | os.PathLike[str] | None = None) -> Path:
        """Where the workbook is now: its recorded path, or beside the session file.

        A session and workbook copied together to another laptop keep working: if the
        recorded absolute path is gone, a file of the same name next to the session is used.
        """
        recorded = Path(self.workbook_path)
        if recorded.exists() or session_path is None:
            return recorded
        beside = Path(session_path).parent / recorded.name
        return beside if beside.exists() else recorded

    # -- convenience ----------------------------------------------------------------
    def judgement_overrides(self) -> dict[tuple[str, str], tuple[float, str]]:
        """(option_id, criterion_id) -> (score, rationale), for the appraisal."""
        return {(e.option_id, e.criterion_id): (e.score, e.rationale) for e in self.judgement_edits}

    def captured_sets(self) -> list[WeightSet]:
        return [s for s in self.weight_sets if s.source != "workbook"]


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise SessionError(f"cannot save a non-finite weight ({value})")
    return float(value)


def _app_version() -> str:
    try:
        from desktop_app import __version__

        return __version__
    except ImportError:  # pragma: no cover - the package always has one
        return ""


# ----------------------------------------------------------------------------------------
# Reopening against a changed workbook
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkbookCheck:
    """The result of comparing a session's workbook record with the file now.

    ``status``: ``"same"`` (SHA-256 matches), ``"changed"`` (file differs: ``changes``
    says how, as far as the fingerprint can tell) or ``"missing"``.
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
    sha = file_sha256(path)
    if sha == session.workbook_sha256:
        return WorkbookCheck("same", path, (), sha)
    try:
        changes = describe_changes(session.fingerprint, fingerprint_workbook(path))
    except SessionError as exc:
        changes = [exc.one_line()]
    return WorkbookCheck("changed", path, tuple(changes), sha)


# ----------------------------------------------------------------------------------------
# Autosave and crash recovery
# ----------------------------------------------------------------------------------------


def data_dir() -> Path:
    """The per-user app-data folder (created on demand by the callers that write).

    ``ARMED_OPTIONS_DATA_DIR`` overrides it (tests, portable installs). Otherwise:
    Windows ``%APPDATA%\\ArmedOptions``; macOS ``~/Library/Application Support/ArmedOptions``;
    elsewhere ``$XDG_DATA_HOME/armed-options`` or ``~/.local/share/armed-options``
    (what platformdirs would give, without the dependency).
    """
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / "ArmedOptions"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "ArmedOptions"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "armed-options"


def _pid_alive(pid: int) -> bool:
    """Whether a process id is running now (so a lock is another live instance's)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return bool(ok) and code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)  # signal 0: existence check only (never on Windows, see above)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class Recovery:
    """An autosave left by a run that did not shut down cleanly."""

    session: Session
    saved_at: str
    path: Path


class Autosave:
    """Autosave file plus a running marker, in one app-data folder.

    Life cycle: at start, :meth:`pending_recovery` (before :meth:`mark_running`) says
    whether the last run crashed and left work; :meth:`mark_running` writes the lock;
    :meth:`save` writes ``autosave.json`` atomically (every minute, from a timer);
    :meth:`mark_clean_shutdown` removes both when the app closes normally.
    """

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self.folder = Path(folder) if folder is not None else data_dir()

    @property
    def autosave_path(self) -> Path:
        return self.folder / AUTOSAVE_NAME

    @property
    def lock_path(self) -> Path:
        return self.folder / LOCK_NAME

    def _lock_pid(self) -> int | None:
        try:
            return int(json.loads(self.lock_path.read_text(encoding="utf-8")).get("pid", 0))
        except (OSError, ValueError, AttributeError, TypeError):
            return None

    def _held_by_live_instance(self) -> bool:
        """True when the lock is another running instance's: pid alive AND heartbeat fresh.

        The heartbeat (the lock's mtime, refreshed by :meth:`heartbeat` every autosave tick)
        guards against a crashed run's pid having been reused by an unrelated process.
        """
        pid = self._lock_pid()
        if pid is None or pid == os.getpid() or not _pid_alive(pid):
            return False
        try:
            age = time.time() - self.lock_path.stat().st_mtime
        except OSError:
            return False
        return age < HEARTBEAT_STALE_SECONDS

    def pending_recovery(self) -> Recovery | None:
        """The crashed run's autosave, or None.

        None when there is no autosave, when the last run shut down cleanly (no lock), or
        when the lock belongs to another instance that is still running (its autosave is
        live work, not a crash). A damaged autosave is not offered (it cannot be: the write
        is atomic, so that means someone else wrote it).
        """
        if not self.autosave_path.exists() or not self.lock_path.exists():
            return None
        if self._held_by_live_instance():
            return None
        try:
            session = Session.load(self.autosave_path)
        except SessionError:
            return None
        return Recovery(session, session.saved_at, self.autosave_path)

    def mark_running(self) -> None:
        """Record that this process is running: left behind if it crashes."""
        self.folder.mkdir(parents=True, exist_ok=True)
        info = {"pid": os.getpid(), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        atomic_write_text(self.lock_path, json.dumps(info))

    def heartbeat(self) -> None:
        """Refresh the lock so other instances know this one is alive (every autosave tick)."""
        self.mark_running()

    def save(self, session: Session) -> Path:
        """Autosave atomically: an interrupted autosave leaves the last good one."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return session.save(self.autosave_path)

    def discard(self) -> None:
        """Forget the autosave (the user declined recovery, or saved properly)."""
        with contextlib.suppress(FileNotFoundError):
            self.autosave_path.unlink()

    def mark_clean_shutdown(self) -> None:
        """A normal exit: nothing to recover next time."""
        self.discard()
        with contextlib.suppress(FileNotFoundError):
            self.lock_path.unlink()
