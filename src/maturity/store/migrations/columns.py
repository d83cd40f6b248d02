"""Helpers the migrations share."""

from __future__ import annotations

from typing import Literal

from alembic import op


def recreate_when_needed() -> Literal["never", "auto"]:
    """How ``batch_alter_table`` may drop a column: in place wherever the database can
    (PostgreSQL; SQLite from 3.35 on). SQLite's copy-and-rename of a table would delete,
    by ``ON DELETE CASCADE``, every row that refers to it (all of a run's results)."""
    dialect = op.get_bind().dialect
    if dialect.name != "sqlite":
        return "never"
    version = tuple(int(part) for part in dialect.server_version_info or (0,))
    return "never" if version >= (3, 35) else "auto"
