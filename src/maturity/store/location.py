"""Where the store is: ``--db``, else ``$MATURITY_DATABASE_URL``, else the repository's
SQLite file (no database library needed to say so)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_URL = "MATURITY_DATABASE_URL"
DEFAULT_FILE = Path(".maturity") / "history.db"  # relative to the repository root


def default_url(root: Path) -> str:
    """The default store: ``<repo>/.maturity/history.db`` (SQLite)."""
    return f"sqlite:///{root / DEFAULT_FILE}"


def resolve_url(root: Path, db: str | None) -> str:
    """``--db``, else ``$MATURITY_DATABASE_URL``, else the repo's SQLite file."""
    return db or os.environ.get(ENV_URL) or default_url(root)
