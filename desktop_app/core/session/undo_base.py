"""The base of the workshop's undoable commands (docs/architecture.md#package-layers).

:class:`Command` holds a change's old and new values; ``apply`` and ``revert`` act on the
Qt-free :class:`~desktop_app.core.session.state.WorkshopState`. The commands themselves
live in :mod:`~desktop_app.core.session.undo` (weights) and
:mod:`~desktop_app.core.session.undo_edits` (judgements, weight sets, options, value
functions).
"""

from __future__ import annotations

from collections.abc import Mapping

from desktop_app.core.session.state import WorkshopState

#: QUndoCommand.id() values: commands of one kind share one id (Qt only tries to merge
#: commands with equal ids), -1 means "never merge".
MERGE_ID_SET_WEIGHT = 1001
MERGE_ID_SET_GROUP_WEIGHT = 1002
NO_MERGE = -1


class Command:
    """Base of the plain commands: ``text`` for the Edit menu, ``apply``/``revert``."""

    text: str = ""

    def describe(self, criteria: Mapping[str, str], options: Mapping[str, str]) -> str:
        """``text`` with criterion and option ids replaced by their names (the Edit menu's
        "Undo weight of Threat covered within 20 minutes: 12 → 32")."""
        return self.text

    def apply(self, target: WorkshopState) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def revert(self, target: WorkshopState) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def merge_id(self) -> int:
        """The QUndoCommand id: -1 unless this kind of command can merge."""
        return NO_MERGE

    def can_merge(self, other: Command) -> bool:
        return False

    def merge(self, other: Command) -> Command:
        """One command equivalent to ``self`` then ``other`` (only when :meth:`can_merge`)."""
        raise ValueError("these commands do not merge")

    @property
    def is_noop(self) -> bool:
        """True when applying changes nothing (e.g. a drag that ended where it started)."""
        return False


def _fmt(value: float) -> str:
    return f"{value:g}"
