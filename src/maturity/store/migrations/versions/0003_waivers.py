"""Waivers applied to criterion results.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add criterion_results.waiver."""
    with op.batch_alter_table("criterion_results") as batch:
        batch.add_column(sa.Column("waiver", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop criterion_results.waiver."""
    with op.batch_alter_table("criterion_results") as batch:
        batch.drop_column("waiver")
