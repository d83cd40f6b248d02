"""Durable storage of orchestrated turns: one JSON file per session."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


class TurnStoreError(Exception):
    """The stored turns cannot be read or written."""


class TurnStore:
    """Appends turns to ``<directory>/<session>.json`` atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def _path(self, session_id: str) -> Path:
        if not session_id or "/" in session_id or session_id.startswith("."):
            raise TurnStoreError(f"invalid session id {session_id!r}")
        return self.directory / f"{session_id}.json"

    def load(self, session_id: str) -> list[str]:
        """The turns stored for a session (empty when none)."""
        path = self._path(session_id)
        if not path.exists():
            return []
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise TurnStoreError(f"cannot read {path}: {exc}") from exc
        if not isinstance(data, list):
            raise TurnStoreError(f"{path} does not hold a list of turns")
        return [str(item) for item in data]

    def append(self, session_id: str, turn: str) -> int:
        """Store one more turn; returns how many the session now has."""
        turns = self.load(session_id) + [turn]
        path = self._path(session_id)
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(turns, fh)
            os.replace(tmp, path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise TurnStoreError(f"cannot write {path}: {exc}") from exc
        return len(turns)

    def sessions(self) -> list[str]:
        """Ids of every stored session."""
        return sorted(p.stem for p in self.directory.glob("*.json"))

    def delete(self, session_id: str) -> bool:
        """Remove a session's turns; False when there were none."""
        path = self._path(session_id)
        if not path.exists():
            return False
        path.unlink()
        return True
