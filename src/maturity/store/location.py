"""Where the store is: ``--db``, else ``$MATURITY_DATABASE_URL``, else the repository's
SQLite file (no database library needed to say so)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from maturity.errors import UsageError

ENV_URL = "MATURITY_DATABASE_URL"
_FORM = re.compile(r"[\w+]+://")  # dialect[+driver]:// (SQLAlchemy's URL grammar)
DEFAULT_FILE = Path(".maturity") / "history.db"  # relative to the repository root


def default_url(root: Path) -> str:
    """The default store: ``<repo>/.maturity/history.db`` (SQLite)."""
    return f"sqlite:///{root / DEFAULT_FILE}"


def resolve_url(root: Path, db: str | None) -> str:
    """``--db``, else ``$MATURITY_DATABASE_URL``, else the repo's SQLite file."""
    return db or os.environ.get(ENV_URL) or default_url(root)


def check_form(url: str) -> None:
    """A usage error unless ``url`` has a database URL's form (``dialect[+driver]://…``),
    checked before anything is measured; whether the dialect exists is the store's to say."""
    if not _FORM.match(url):
        raise UsageError(
            f"invalid database URL {url!r} (--db / ${ENV_URL}): not of the form"
            " dialect[+driver]://..., e.g. sqlite:///path/history.db or"
            " postgresql+psycopg://user@host/db"
        )
