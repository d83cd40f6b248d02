"""Typed facts of a run: each criterion result's numeric bar, the run's vulnerability sightings.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

from typing import Literal

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add criterion_results.bar and runs.sightings (null for what was stored before)."""
    with op.batch_alter_table("criterion_results") as batch:
        batch.add_column(sa.Column("bar", sa.Float(), nullable=True))
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("sightings", sa.JSON(), nullable=True))


def _in_place() -> Literal["never", "auto"]:
    """Drop columns in place wherever the database can (SQLite from 3.35 on): SQLite's
    copy-and-rename of ``runs`` would delete, by ON DELETE CASCADE, every result of it."""
    dialect = op.get_bind().dialect
    if dialect.name != "sqlite":
        return "never"
    version = tuple(int(part) for part in dialect.server_version_info or (0,))
    return "never" if version >= (3, 35) else "auto"


def downgrade() -> None:
    """Drop runs.sightings and criterion_results.bar; the runs and their results stay."""
    with op.batch_alter_table("runs", recreate=_in_place()) as batch:
        batch.drop_column("sightings")
    with op.batch_alter_table("criterion_results", recreate=_in_place()) as batch:
        batch.drop_column("bar")
