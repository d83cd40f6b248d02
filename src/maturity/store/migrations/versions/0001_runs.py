"""Runs and their per-component, per-criterion results.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create runs, component_results and criterion_results."""
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("repo", sa.Text(), nullable=False),
        sa.Column("commit", sa.String(64), nullable=True),
        sa.Column("branch", sa.String(255), nullable=True),
        sa.Column("dirty", sa.Boolean(), nullable=True),
        sa.Column("tool_version", sa.String(32), nullable=False),
        sa.Column("schema_version", sa.String(16), nullable=False),
        sa.Column("interpreter", sa.Text(), nullable=False),
        sa.Column("interpreter_version", sa.String(32), nullable=True),
        sa.Column("tools", sa.JSON(), nullable=False),
        sa.Column("stages", sa.JSON(), nullable=False),
    )
    op.create_index("ix_runs_started_at", "runs", ["started_at"])
    op.create_index("ix_runs_commit", "runs", ["commit"])
    op.create_table(
        "component_results",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "run_id", sa.Integer(), sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("label", sa.String(255), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("target", sa.String(16), nullable=True),
        sa.Column("ready", sa.Boolean(), nullable=False),
        sa.Column("regressed", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_component_results_run_id", "component_results", ["run_id"])
    op.create_index("ix_component_results_name", "component_results", ["name"])
    op.create_table(
        "criterion_results",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "component_result_id",
            sa.Integer(),
            sa.ForeignKey("component_results.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("criterion_id", sa.String(64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("gate", sa.String(16), nullable=False),
        sa.Column("blocker_category", sa.String(32), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("value_text", sa.Text(), nullable=True),
        sa.Column("display", sa.Text(), nullable=False),
        sa.Column("threshold", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("commands", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
    )
    op.create_index(
        "ix_criterion_results_component_result_id", "criterion_results", ["component_result_id"]
    )
    op.create_index("ix_criterion_results_criterion", "criterion_results", ["criterion_id"])


def downgrade() -> None:
    """Drop the run tables."""
    op.drop_table("criterion_results")
    op.drop_table("component_results")
    op.drop_table("runs")
