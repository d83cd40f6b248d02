"""The ORM classes of the history store, mapping the tables of ``schema`` (the one
definition of the schema: change it only together with a migration)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from maturity.store.schema import (
    COMPONENT_RESULTS,
    CRITERION_RESULTS,
    DEPLOYMENTS,
    INCIDENTS,
    METADATA,
    RUNS,
    SIGHTINGS,
    STAGE_EVENTS,
)


class Base(DeclarativeBase):
    """Declarative base of every table."""

    metadata = METADATA


class RunRow(Base):
    """One ``maturity run``."""

    __table__ = RUNS

    id: Mapped[int]
    started_at: Mapped[datetime]
    repo: Mapped[str]
    commit: Mapped[str | None]
    branch: Mapped[str | None]
    dirty: Mapped[bool | None]
    tool_version: Mapped[str]
    schema_version: Mapped[str]
    interpreter: Mapped[str]
    interpreter_version: Mapped[str | None]
    tools: Mapped[list[dict[str, Any]]]
    stages: Mapped[list[str]]
    tests: Mapped[dict[str, Any] | None]
    notices: Mapped[list[dict[str, Any]] | None]
    sightings: Mapped[list[dict[str, Any]] | None]
    components: Mapped[list[ComponentRow]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="ComponentRow.id"
    )


class ComponentRow(Base):
    """One component's verdict in one run."""

    __table__ = COMPONENT_RESULTS

    id: Mapped[int]
    run_id: Mapped[int]
    name: Mapped[str]
    label: Mapped[str]
    path: Mapped[str]
    stage: Mapped[str]
    target: Mapped[str | None]
    ready: Mapped[bool]
    regressed: Mapped[bool]
    gates: Mapped[list[dict[str, Any]] | None]
    next_step: Mapped[str | None]
    blocking: Mapped[list[str] | None]
    coverage: Mapped[float | None]
    unmet: Mapped[int | None]
    run: Mapped[RunRow] = relationship(back_populates="components")
    criteria: Mapped[list[CriterionRow]] = relationship(
        back_populates="component", cascade="all, delete-orphan", order_by="CriterionRow.id"
    )


class CriterionRow(Base):
    """One criterion's result for one component in one run."""

    __table__ = CRITERION_RESULTS

    id: Mapped[int]
    component_result_id: Mapped[int]
    criterion_id: Mapped[str]
    title: Mapped[str]
    gate: Mapped[str]
    blocker_category: Mapped[str]
    status: Mapped[str]
    value: Mapped[float | None]
    value_text: Mapped[str | None]
    display: Mapped[str]
    threshold: Mapped[str]
    bar: Mapped[float | None]
    remediation: Mapped[str | None]
    summary: Mapped[str]
    evidence: Mapped[list[dict[str, Any]]]
    commands: Mapped[list[str]]
    details: Mapped[dict[str, Any]]
    waiver: Mapped[dict[str, Any] | None]

    failing_since: Mapped[datetime | None]
    failing_runs: Mapped[int | None]
    component: Mapped[ComponentRow] = relationship(back_populates="criteria")


class StageEventRow(Base):
    """A promotion or demotion: who, when, why, on which evidence."""

    __table__ = STAGE_EVENTS

    id: Mapped[int]
    component: Mapped[str]
    kind: Mapped[str]
    from_stage: Mapped[str]
    to_stage: Mapped[str]
    at: Mapped[datetime]
    actor: Mapped[str]
    reason: Mapped[str | None]
    forced: Mapped[bool]
    commit: Mapped[str | None]
    run_id: Mapped[int | None]


class DeploymentRow(Base):
    """A deployment of a component version to an environment."""

    __table__ = DEPLOYMENTS

    id: Mapped[int]
    component: Mapped[str]
    environment: Mapped[str]
    version: Mapped[str]
    status: Mapped[str]
    at: Mapped[datetime]
    actor: Mapped[str]
    commit: Mapped[str | None]


class IncidentRow(Base):
    """An incident of a component: severity P0-P3, when it was opened, acknowledged, resolved."""

    __table__ = INCIDENTS

    id: Mapped[int]
    component: Mapped[str]
    severity: Mapped[str]
    title: Mapped[str]
    opened_at: Mapped[datetime]
    opened_by: Mapped[str]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None]
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None]


class SightingRow(Base):
    """When a vulnerability affecting a component was first (and last) seen by a stored run."""

    __table__ = SIGHTINGS

    id: Mapped[int]
    component: Mapped[str]
    vulnerability: Mapped[str]
    package: Mapped[str]
    version: Mapped[str]
    severity: Mapped[str | None]
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
