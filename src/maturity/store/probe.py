"""Why a history database cannot be used, said in one line with the fix.

``StoreError`` (exit 4) lives here so that both the engine code and the read-only probe
of an existing SQLite file can raise it. The probe opens the file with ``mode=ro``: a
file that is not a SQLite database, or whose schema pages are corrupt, is reported
before maturity's own connection (which switches the journal to WAL) could write to it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from maturity.errors import EXIT_DATABASE, MaturityError

CORRUPT_SIGNS = ("file is not a database", "malformed", "disk image")
FIX = "move it aside; `maturity db upgrade` creates a new one"


class StoreError(MaturityError):
    """The database cannot be reached or used."""

    exit_code = EXIT_DATABASE


def corrupt_file(path: Path, cause: str) -> str:
    """The message for a SQLite file that is not (or no longer) a database."""
    return f"{path} is not a usable SQLite database ({cause}): {FIX}"


def unusable(url: URL, exc: Exception) -> str:
    """One line for a database error: the corrupt-file fix for SQLite, else the cause."""
    cause = str(exc.orig if isinstance(exc, DBAPIError) else exc).strip()
    first = cause.splitlines()[0] if cause else type(exc).__name__
    sqlite_file = url.get_backend_name() == "sqlite" and url.database
    if sqlite_file and any(sign in first for sign in CORRUPT_SIGNS):
        return corrupt_file(Path(str(url.database)), first)
    return f"cannot use database {url.render_as_string(hide_password=True)}: {first}"


def check_sqlite_file(path: Path) -> None:
    """Raise ``StoreError`` when an existing ``path`` cannot be a SQLite database: a
    directory, an unreadable file, garbage, or a corrupt schema. Reads only."""
    if not path.exists():
        return
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a SQLite database file")
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open database {path}: {exc}") from None
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        cause = str(exc)
        if any(sign in cause for sign in CORRUPT_SIGNS):
            raise StoreError(corrupt_file(path, cause)) from None
        raise StoreError(f"cannot use database {path}: {cause}") from None
    finally:
        conn.close()
