"""The history store's tables as SQLAlchemy Core ``Table`` objects: the one definition of
the schema. Change them only together with a migration.

The ORM classes of ``tables`` map these tables; saving a run (``saving``) inserts into
them with Core statements, so a ``maturity run`` that stores its result never imports
the ORM.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

METADATA = MetaData()


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True)


RUNS = Table(
    "runs",
    METADATA,
    _id(),
    Column("started_at", DateTime(timezone=True), nullable=False, index=True),
    Column("repo", Text, nullable=False),
    Column("commit", String(64), index=True),
    Column("branch", String(255)),
    Column("dirty", Boolean),
    Column("tool_version", String(32), nullable=False),
    Column("schema_version", String(16), nullable=False),
    Column("interpreter", Text, nullable=False),
    Column("interpreter_version", String(32)),
    Column("tools", JSON, nullable=False),
    Column("stages", JSON, nullable=False),
    Column("tests", JSON),
    Column("notices", JSON),
    Column("sightings", JSON),
)

COMPONENT_RESULTS = Table(
    "component_results",
    METADATA,
    _id(),
    Column("run_id", ForeignKey("runs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(255), nullable=False, index=True),
    Column("label", String(255), nullable=False),
    Column("path", Text, nullable=False),
    Column("stage", String(16), nullable=False),
    Column("target", String(16)),
    Column("ready", Boolean, nullable=False),
    Column("regressed", Boolean, nullable=False),
    Column("gates", JSON),
    Column("next_step", Text),
    Column("blocking", JSON),
    Column("coverage", Float),  # dev.coverage's value
    Column("unmet", Integer),  # open blockers
    Index("ix_component_results_name_run", "name", "run_id"),
)

CRITERION_RESULTS = Table(
    "criterion_results",
    METADATA,
    _id(),
    Column(
        "component_result_id",
        ForeignKey("component_results.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("criterion_id", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("gate", String(16), nullable=False),
    Column("blocker_category", String(32), nullable=False),
    Column("status", String(8), nullable=False),
    Column("value", Float),
    Column("value_text", Text),
    Column("display", Text, nullable=False),
    Column("threshold", Text, nullable=False),
    Column("bar", Float),
    Column("remediation", Text),
    Column("summary", Text, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("commands", JSON, nullable=False),
    Column("details", JSON, nullable=False),
    Column("waiver", JSON),
    # its failing streak up to this run (kept when the run is stored; None before 0008):
    # the start of the first run of the streak and how many runs, None and 0 on a pass
    Column("failing_since", DateTime(timezone=True)),
    Column("failing_runs", Integer),
    Index("ix_criterion_results_criterion", "criterion_id"),
)

STAGE_EVENTS = Table(
    "stage_events",
    METADATA,
    _id(),
    Column("component", String(255), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # promotion / demotion
    Column("from_stage", String(16), nullable=False),
    Column("to_stage", String(16), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(255), nullable=False),
    Column("reason", Text),
    Column("forced", Boolean, nullable=False, default=False),
    Column("commit", String(64)),
    Column("run_id", ForeignKey("runs.id", ondelete="SET NULL")),
)

DEPLOYMENTS = Table(
    "deployments",
    METADATA,
    _id(),
    Column("component", String(255), nullable=False, index=True),
    Column("environment", String(16), nullable=False),
    Column("version", String(255), nullable=False),
    Column("status", String(16), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(255), nullable=False),
    Column("commit", String(64)),
)

INCIDENTS = Table(
    "incidents",
    METADATA,
    _id(),
    Column("component", String(255), nullable=False, index=True),
    Column("severity", String(2), nullable=False),
    Column("title", Text, nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False, index=True),
    Column("opened_by", String(255), nullable=False),
    Column("acknowledged_at", DateTime(timezone=True)),
    Column("acknowledged_by", String(255)),
    Column("resolved_at", DateTime(timezone=True)),
    Column("resolved_by", String(255)),
)

SIGHTINGS = Table(
    "vulnerability_sightings",
    METADATA,
    _id(),
    Column("component", String(255), nullable=False),
    Column("vulnerability", String(255), nullable=False),
    Column("package", String(255), nullable=False),
    Column("version", String(64), nullable=False),
    Column("severity", String(16)),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    UniqueConstraint("component", "vulnerability", name="uq_sighting"),
)
