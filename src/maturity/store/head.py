"""Whether a database is at the newest migration, without importing Alembic.

Opening the store asks it on every command that stores something; Alembic takes about a
tenth of a second to import, which a warm ``maturity run`` would pay for nothing. The
shipped head is read from the migration files (``revision = "..."`` and
``down_revision = ...`` lines); the database's revision from ``alembic_version``. Any
doubt (a file that does not read plainly, several heads, no table, several rows) answers
False, and the caller asks Alembic.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

VERSIONS = Path(__file__).parent / "migrations" / "versions"
_REVISION = re.compile(r"^revision\s*(?::\s*str\s*)?=\s*[\"']([\w-]+)[\"']\s*$", re.M)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(.*)$", re.M)
_NAME = re.compile(r"[\"']([\w-]+)[\"']")


@functools.cache
def shipped_head() -> str | None:
    """The one migration no other migration revises (None when that is not plain)."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in VERSIONS.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found = _REVISION.findall(source)
        down = _DOWN.findall(source)
        if not found and not down:
            continue  # not a migration (__init__.py)
        if len(found) != 1 or len(down) != 1:
            return None
        revisions.add(found[0])
        revised.update(_NAME.findall(down[0]))
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


def at_shipped_head(engine: Engine) -> bool:
    """True only when the database's one revision is the shipped head."""
    head = shipped_head()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return False
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:
        return False  # let the caller's path say what is wrong with the database
    return [r[0] for r in rows] == [head]
