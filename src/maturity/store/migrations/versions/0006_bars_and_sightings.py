"""Typed facts of a run: each criterion result's numeric bar, the run's vulnerability sightings.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from maturity.store.migrations.columns import recreate_when_needed

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


def downgrade() -> None:
    """Drop runs.sightings and criterion_results.bar; the runs and their results stay."""
    with op.batch_alter_table("runs", recreate=recreate_when_needed()) as batch:
        batch.drop_column("sightings")
    with op.batch_alter_table("criterion_results", recreate=recreate_when_needed()) as batch:
        batch.drop_column("bar")
