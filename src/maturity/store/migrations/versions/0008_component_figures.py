"""Each component result's coverage and count of unmet criteria, kept beside it, each
criterion result's failing streak, and an index for one component's history: the
dashboard's trends and open blockers read these without scanning the criterion rows (a
year of daily runs of 300 components is ~2 million of them).

The streaks of runs stored before stay empty: they are computed from the history when
asked (and kept from the next stored run on).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from maturity.store.migrations.columns import recreate_when_needed

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COVERAGE = "dev.coverage"  # the criterion id whose value is a component's coverage %


def upgrade() -> None:
    """Add component_results.coverage and .unmet, filled in from the stored criterion
    results, criterion_results.failing_since and .failing_runs, and the (name, run_id)
    index."""
    with op.batch_alter_table("component_results") as batch:
        batch.add_column(sa.Column("coverage", sa.Float(), nullable=True))
        batch.add_column(sa.Column("unmet", sa.Integer(), nullable=True))
    with op.batch_alter_table("criterion_results") as batch:
        batch.add_column(sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("failing_runs", sa.Integer(), nullable=True))
    op.execute(
        sa.text(
            "UPDATE component_results SET"
            " coverage = (SELECT c.value FROM criterion_results c"
            "   WHERE c.component_result_id = component_results.id"
            "   AND c.criterion_id = :coverage),"
            " unmet = (SELECT count(*) FROM criterion_results c"
            "   WHERE c.component_result_id = component_results.id"
            "   AND c.status IN ('fail', 'error'))"
        ).bindparams(coverage=COVERAGE)
    )
    op.create_index("ix_component_results_name_run", "component_results", ["name", "run_id"])


def downgrade() -> None:
    """Drop them again; the runs and their results stay."""
    op.drop_index("ix_component_results_name_run", table_name="component_results")
    with op.batch_alter_table("criterion_results", recreate=recreate_when_needed()) as batch:
        batch.drop_column("failing_runs")
        batch.drop_column("failing_since")
    with op.batch_alter_table("component_results", recreate=recreate_when_needed()) as batch:
        batch.drop_column("unmet")
        batch.drop_column("coverage")
