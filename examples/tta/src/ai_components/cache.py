"""Caches analysis results between sessions."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any


class AnalysisCache:
    """A dictionary of analysis results persisted to one file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, Any] = {}

    def put(self, key: str, value: Any) -> None:
        """Remember a result."""
        self.entries[key] = value

    def get(self, key: str, default: Any = None) -> Any:
        """A remembered result, or ``default``."""
        return self.entries.get(key, default)

    def save(self) -> None:
        """Write every entry to the cache file."""
        self.path.write_bytes(pickle.dumps(self.entries))

    def load(self) -> int:
        """Read the cache file back; returns how many entries it held."""
        if not self.path.exists():
            return 0
        self.entries = pickle.loads(self.path.read_bytes())
        return len(self.entries)
