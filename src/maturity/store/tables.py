"""Tables of the history store. Change them only together with a migration."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base of every table."""


class RunRow(Base):
    """One ``maturity run``."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    repo: Mapped[str] = mapped_column(Text)
    commit: Mapped[str | None] = mapped_column(String(64), index=True)
    branch: Mapped[str | None] = mapped_column(String(255))
    dirty: Mapped[bool | None] = mapped_column(Boolean)
    tool_version: Mapped[str] = mapped_column(String(32))
    schema_version: Mapped[str] = mapped_column(String(16))
    interpreter: Mapped[str] = mapped_column(Text)
    interpreter_version: Mapped[str | None] = mapped_column(String(32))
    tools: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    stages: Mapped[list[str]] = mapped_column(JSON)
    tests: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    notices: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    sightings: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    components: Mapped[list[ComponentRow]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="ComponentRow.id"
    )


class ComponentRow(Base):
    """One component's verdict in one run."""

    __tablename__ = "component_results"
    __table_args__ = (Index("ix_component_results_name_run", "name", "run_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255), index=True)
    label: Mapped[str] = mapped_column(String(255))
    path: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(16))
    target: Mapped[str | None] = mapped_column(String(16))
    ready: Mapped[bool] = mapped_column(Boolean)
    regressed: Mapped[bool] = mapped_column(Boolean)
    gates: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    next_step: Mapped[str | None] = mapped_column(Text, nullable=True)
    blocking: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    coverage: Mapped[float | None] = mapped_column(Float, nullable=True)  # dev.coverage's value
    unmet: Mapped[int | None] = mapped_column(Integer, nullable=True)  # open blockers
    run: Mapped[RunRow] = relationship(back_populates="components")
    criteria: Mapped[list[CriterionRow]] = relationship(
        back_populates="component", cascade="all, delete-orphan", order_by="CriterionRow.id"
    )


class CriterionRow(Base):
    """One criterion's result for one component in one run."""

    __tablename__ = "criterion_results"
    __table_args__ = (Index("ix_criterion_results_criterion", "criterion_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    component_result_id: Mapped[int] = mapped_column(
        ForeignKey("component_results.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    gate: Mapped[str] = mapped_column(String(16))
    blocker_category: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(8))
    value: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str | None] = mapped_column(Text)
    display: Mapped[str] = mapped_column(Text)
    threshold: Mapped[str] = mapped_column(Text)
    bar: Mapped[float | None] = mapped_column(Float, nullable=True)
    remediation: Mapped[str | None] = mapped_column(Text, nullable=True)
    summary: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    commands: Mapped[list[str]] = mapped_column(JSON)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    waiver: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # its failing streak up to this run (kept when the run is stored; None before 0008):
    # the start of the first run of the streak and how many runs, None and 0 on a pass
    failing_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failing_runs: Mapped[int | None] = mapped_column(Integer)
    component: Mapped[ComponentRow] = relationship(back_populates="criteria")


class StageEventRow(Base):
    """A promotion or demotion: who, when, why, on which evidence."""

    __tablename__ = "stage_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    component: Mapped[str] = mapped_column(String(255), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # promotion / demotion
    from_stage: Mapped[str] = mapped_column(String(16))
    to_stage: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(255))
    reason: Mapped[str | None] = mapped_column(Text)
    forced: Mapped[bool] = mapped_column(Boolean, default=False)
    commit: Mapped[str | None] = mapped_column(String(64))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))


class DeploymentRow(Base):
    """A deployment of a component version to an environment."""

    __tablename__ = "deployments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    component: Mapped[str] = mapped_column(String(255), index=True)
    environment: Mapped[str] = mapped_column(String(16))
    version: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(255))
    commit: Mapped[str | None] = mapped_column(String(64))


class IncidentRow(Base):
    """An incident of a component: severity P0-P3, when it was opened, acknowledged, resolved."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    component: Mapped[str] = mapped_column(String(255), index=True)
    severity: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    opened_by: Mapped[str] = mapped_column(String(255))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_by: Mapped[str | None] = mapped_column(String(255))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[str | None] = mapped_column(String(255))


class SightingRow(Base):
    """When a vulnerability affecting a component was first (and last) seen by a stored run."""

    __tablename__ = "vulnerability_sightings"
    __table_args__ = (UniqueConstraint("component", "vulnerability", name="uq_sighting"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    component: Mapped[str] = mapped_column(String(255))
    vulnerability: Mapped[str] = mapped_column(String(255))
    package: Mapped[str] = mapped_column(String(255))
    version: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str | None] = mapped_column(String(16))
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
