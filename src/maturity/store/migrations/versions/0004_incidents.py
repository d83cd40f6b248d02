"""Incidents of production components, and when each vulnerability was first seen.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create incidents and vulnerability_sightings."""
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("component", sa.String(255), nullable=False, index=True),
        sa.Column("severity", sa.String(2), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("opened_by", sa.String(255), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(255), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(255), nullable=True),
    )
    op.create_table(
        "vulnerability_sightings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("component", sa.String(255), nullable=False),
        sa.Column("vulnerability", sa.String(255), nullable=False),
        sa.Column("package", sa.String(255), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("component", "vulnerability", name="uq_sighting"),
    )


def downgrade() -> None:
    """Drop incidents and vulnerability_sightings."""
    op.drop_table("vulnerability_sightings")
    op.drop_table("incidents")
