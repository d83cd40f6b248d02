"""Each component's status as the evaluation decided it, and each criterion's remediation.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from maturity.store.migrations.columns import recreate_when_needed

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add component_results.gates/next_step/blocking and criterion_results.remediation
    (empty for what was stored before)."""
    with op.batch_alter_table("component_results") as batch:
        batch.add_column(sa.Column("gates", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("next_step", sa.Text(), nullable=True))
        batch.add_column(sa.Column("blocking", sa.JSON(), nullable=True))
    with op.batch_alter_table("criterion_results") as batch:
        batch.add_column(sa.Column("remediation", sa.Text(), nullable=True))


def downgrade() -> None:
    """Drop them again; the runs and their results stay."""
    with op.batch_alter_table("criterion_results", recreate=recreate_when_needed()) as batch:
        batch.drop_column("remediation")
    with op.batch_alter_table("component_results", recreate=recreate_when_needed()) as batch:
        batch.drop_column("blocking")
        batch.drop_column("next_step")
        batch.drop_column("gates")
