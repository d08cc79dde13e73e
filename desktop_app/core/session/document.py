"""Workshop sessions: what the room changed, saved apart from the input workbook.

A workshop changes weights, captures stakeholder weight sets, edits judgement
scores and adds options (e.g. from the optimiser). None of that may ever be
written back into the force workbook: the workbook is the force's evidence and
the session is the afternoon's work on top of it. So a session is its own JSON
file, naming the workbook by path and SHA-256, with a light *fingerprint* of the
workbook (row counts and ids) so that reopening a session against a workbook
that has since changed can say *what* changed, not just "the hash differs".

Saves are atomic (:mod:`desktop_app.core._io.atomic`); autosave and crash recovery live
in :class:`Autosave`.

This module holds the :class:`Session` itself and its JSON file format. The parts it is
built from live beside it, each named for what it holds, and every public name is
re-exported here so callers import from ``desktop_app.core.session.document`` alone:
:mod:`~desktop_app.core.session.records` (weight sets, judgement edits, added options,
:class:`SessionError`), :mod:`~desktop_app.core.session.fingerprint` (the workbook
fingerprint and the what-changed check) and :mod:`~desktop_app.core.session.autosave`
(autosave, the running lock and crash recovery).

Qt-free: the desktop app wraps this in ``desktop_app/ui/session_controller.py``.
"""

from __future__ import annotations

import json
import math
import os
import stat
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.core._io.atomic import atomic_write_text
from desktop_app.core.dates import human_date
from desktop_app.core.session.autosave import (
    AUTOSAVE_NAME,
    DATA_DIR_ENV,
    HEARTBEAT_STALE_SECONDS,
    LOCK_NAME,
    Autosave,
    Recovery,
    data_dir,
)
from desktop_app.core.session.fingerprint import (
    WorkbookCheck,
    WorkbookFingerprint,
    check_workbook,
    describe_changes,
    file_sha256,
    fingerprint_workbook,
)
from desktop_app.core.session.records import (
    AddedOption,
    DeploymentSpec,
    JudgementEdit,
    SessionError,
    ValuePointsEdit,
    WeightSet,
    finite,
)
from desktop_app.core.workbook.schema import CAPS

__all__ = [
    "AUTOSAVE_NAME",
    "DATA_DIR_ENV",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "HEARTBEAT_STALE_SECONDS",
    "LOCK_NAME",
    "SESSION_SUFFIX",
    "AddedOption",
    "Autosave",
    "DeploymentSpec",
    "JudgementEdit",
    "Recovery",
    "Session",
    "SessionError",
    "ValuePointsEdit",
    "WeightSet",
    "WorkbookCheck",
    "WorkbookFingerprint",
    "check_workbook",
    "data_dir",
    "describe_changes",
    "file_sha256",
    "fingerprint_workbook",
]

#: Identifies a session file; ``version`` is bumped when the layout changes incompatibly.
FORMAT_NAME = "armed-options-session"
FORMAT_VERSION = 1

SESSION_SUFFIX = ".armedsession.json"


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
    added_options: list[AddedOption] = field(default_factory=list)
    #: Value functions the workshop set (docs/appraisal-method.md#value-functions).
    value_point_edits: list[ValuePointsEdit] = field(default_factory=list)
    #: The value tree's branch weights W_g on the branch sliders (branch -> weight); empty
    #: when the workbook has no CriteriaGroups sheet (docs/appraisal-method.md#value-tree).
    group_weights: dict[str, float] = field(default_factory=dict)
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
            "saved": human_date(self.saved_at),  # for a person opening the file; saved_at is read back
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
            "value_point_edits": [e.to_json() for e in self.value_point_edits],
            "group_weights": {k: _finite(v) for k, v in self.group_weights.items()},
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
                weights={str(k): finite(v) for k, v in dict(data.get("weights", {})).items()},
                active_weight_set=(
                    None if data.get("active_weight_set") is None else str(data["active_weight_set"])
                ),
                weight_sets=[WeightSet.from_json(s) for s in data.get("weight_sets", [])],
                judgement_edits=[JudgementEdit.from_json(e) for e in data.get("judgement_edits", [])],
                added_options=[AddedOption.from_json(o) for o in data.get("added_options", [])],
                value_point_edits=[ValuePointsEdit.from_json(e) for e in data.get("value_point_edits", [])],
                group_weights={str(k): finite(v) for k, v in dict(data.get("group_weights", {})).items()},
                saved_at=str(data.get("saved_at", "")),
                app_version=str(data.get("app_version", "")),
            )
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError, RecursionError) as exc:
            why = " ".join(str(exc).split())[:120]
            raise SessionError(f"{origin}: session file is damaged ({type(exc).__name__}: {why})") from None

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
        cap = CAPS["session_bytes"]
        try:
            mode = os.stat(path)
            if not stat.S_ISREG(mode.st_mode):
                raise SessionError(f"{path}: not a regular file (a folder, pipe or device), so not a session file")
            if mode.st_size > cap.value:
                raise SessionError(f"{path}: the file is larger than the {cap.value // 2**20} MB limit for {cap.what}, "
                                   f"because {cap.why}")
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SessionError(f"{path}: session file not found") from None
        except OSError as exc:
            raise SessionError(f"{path}: cannot read the session file ({exc.strerror or exc})") from None
        except UnicodeDecodeError:
            raise SessionError(f"{path}: not an Armed Policing Options session file") from None
        try:
            data = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
        except json.JSONDecodeError as exc:
            raise SessionError(f"{path}: session file is damaged (bad JSON at line {exc.lineno})") from None
        except RecursionError:
            raise SessionError(f"{path}: session file is damaged (nested too deeply to be a session)") from None
        except ValueError as exc:  # NaN, Infinity or a number too large for a float
            raise SessionError(f"{path}: session file is damaged ({exc})") from None
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


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400 parses to infinity
        raise ValueError(f"{text[:40]} is too large to be a number")
    return value


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
