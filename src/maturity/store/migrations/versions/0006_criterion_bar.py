"""The numeric bar of each criterion result.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add criterion_results.bar (null for results stored before)."""
    with op.batch_alter_table("criterion_results") as batch:
        batch.add_column(sa.Column("bar", sa.Float(), nullable=True))


def downgrade() -> None:
    """Drop criterion_results.bar."""
    with op.batch_alter_table("criterion_results") as batch:
        batch.drop_column("bar")
