"""The run's account of every test, and the tools' diagnostics of no file.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from maturity.store.migrations.columns import recreate_when_needed

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add runs.tests and runs.notices (null for runs stored before)."""
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("tests", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("notices", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop runs.tests and runs.notices; the runs and their results stay."""
    with op.batch_alter_table("runs", recreate=recreate_when_needed()) as batch:
        batch.drop_column("notices")
        batch.drop_column("tests")
