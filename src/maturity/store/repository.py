"""Reading and writing the history: runs, stage events, deployments, incidents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from maturity.errors import UsageError
from maturity.model import (
    BlockerCategory,
    ComponentReport,
    CriterionResult,
    Evidence,
    GitInfo,
    Notice,
    RunReport,
    Stage,
    Status,
    TestAccount,
    ToolInfo,
    Waiver,
)
from maturity.store.database import Store
from maturity.store.tables import (
    ComponentRow,
    CriterionRow,
    DeploymentRow,
    IncidentRow,
    RunRow,
    SightingRow,
    StageEventRow,
)

PATCHING = "prd.security_patching"  # the criterion whose details carry the vulnerabilities


def _now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored time as aware UTC (SQLite gives back naive datetimes)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _criterion_row(c: CriterionResult) -> CriterionRow:
    numeric = isinstance(c.value, int | float) and not isinstance(c.value, bool)
    return CriterionRow(
        criterion_id=c.id,
        title=c.title,
        gate=c.gate.value,
        blocker_category=c.blocker_category.value,
        status=c.status.value,
        value=float(c.value) if numeric and c.value is not None else None,
        value_text=None if numeric or c.value is None else str(c.value),
        display=c.display,
        threshold=c.threshold,
        summary=c.summary,
        evidence=[e.model_dump() for e in c.evidence],
        commands=list(c.commands),
        details=dict(c.details),
        waiver=c.waiver.model_dump() if c.waiver else None,
    )


def _insert(store: Store, row: RunRow | StageEventRow | DeploymentRow | IncidentRow) -> int:
    """Add one row (with its children) in its own transaction; returns its id."""
    with store.transaction() as session:
        session.add(row)
        session.flush()
        return row.id


def save_run(store: Store, report: RunReport) -> int:
    """Store a whole run in one transaction; returns its id."""
    row = RunRow(
        started_at=datetime.fromisoformat(report.timestamp),
        repo=report.repo,
        commit=report.git.commit,
        branch=report.git.branch,
        dirty=report.git.dirty,
        tool_version=report.tool_version,
        schema_version=report.schema_version,
        interpreter=report.interpreter,
        interpreter_version=report.interpreter_version,
        tools=[t.model_dump() for t in report.tools],
        stages=[s.value for s in report.stages],
        tests=report.tests.model_dump() if report.tests is not None else None,
        notices=[n.model_dump() for n in report.notices],
        components=[
            ComponentRow(
                name=comp.name,
                label=comp.label,
                path=comp.path,
                stage=comp.stage.value,
                target=comp.target.value if comp.target else None,
                ready=comp.ready,
                regressed=comp.regressed,
                criteria=[_criterion_row(c) for c in comp.criteria],
            )
            for comp in report.components
        ],
    )
    with store.transaction() as session:
        session.add(row)
        session.flush()
        _record_sightings(session, report)
        return row.id


def _record_sightings(session: Session, report: RunReport) -> None:
    """Keep when each vulnerability was first seen (and last seen) for each component."""
    seen_at = datetime.fromisoformat(report.timestamp)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for comp in report.components:
        for crit in comp.criteria:
            if crit.id != PATCHING:
                continue
            for vuln in crit.details.get("vulnerabilities") or []:
                first = datetime.fromisoformat(vuln["first_seen"])
                session.execute(
                    insert(SightingRow)
                    .values(
                        component=comp.name, vulnerability=vuln["id"], package=vuln["package"],
                        version=vuln["version"], severity=vuln["severity"],
                        first_seen=min(first, seen_at), last_seen=seen_at,
                    )
                    .on_conflict_do_nothing(index_elements=["component", "vulnerability"])
                )  # fmt: skip
                session.execute(
                    update(SightingRow)
                    .where(SightingRow.component == comp.name)
                    .where(SightingRow.vulnerability == vuln["id"])
                    .values(last_seen=seen_at)
                )


def first_sightings(store: Store) -> dict[tuple[str, str], datetime]:
    """(component, vulnerability id) -> when a stored run first saw it."""
    with store.transaction() as session:
        rows = session.execute(
            select(SightingRow.component, SightingRow.vulnerability, SightingRow.first_seen)
        ).all()
    return {(c, v): as_utc(first) for c, v, first in rows}


def _report(row: RunRow) -> RunReport:
    return RunReport(
        schema_version=row.schema_version,
        tool_version=row.tool_version,
        timestamp=as_utc(row.started_at).isoformat(),
        repo=row.repo,
        git=GitInfo(commit=row.commit, branch=row.branch, dirty=row.dirty),
        interpreter=row.interpreter,
        interpreter_version=row.interpreter_version,
        tools=[ToolInfo.model_validate(t) for t in row.tools],
        stages=[Stage(s) for s in row.stages],
        tests=TestAccount.model_validate(row.tests) if row.tests else None,
        notices=[Notice.model_validate(n) for n in row.notices or []],
        components=[
            ComponentReport(
                name=comp.name,
                label=comp.label,
                path=comp.path,
                stage=Stage(comp.stage),
                target=Stage(comp.target) if comp.target else None,
                ready=comp.ready,
                regressed=comp.regressed,
                criteria=[
                    CriterionResult(
                        id=c.criterion_id,
                        title=c.title,
                        gate=Stage(c.gate),
                        blocker_category=BlockerCategory(c.blocker_category),
                        status=Status(c.status),
                        value=c.value if c.value is not None else c.value_text,
                        display=c.display,
                        threshold=c.threshold,
                        summary=c.summary,
                        evidence=[Evidence.model_validate(e) for e in c.evidence],
                        commands=list(c.commands),
                        details=dict(c.details),
                        waiver=Waiver.model_validate(c.waiver) if c.waiver else None,
                    )
                    for c in comp.criteria
                ],
            )
            for comp in row.components
        ],
    )


def load_run(store: Store, run_id: int) -> RunReport | None:
    """One stored run as a report."""
    with store.transaction() as session:
        row = session.scalars(
            select(RunRow)
            .where(RunRow.id == run_id)
            .options(selectinload(RunRow.components).selectinload(ComponentRow.criteria))
        ).first()
        return _report(row) if row else None


def latest_run(store: Store, commit: str | None = None) -> tuple[int, RunReport] | None:
    """The newest stored run (for ``commit`` when given), with its id."""
    query = select(RunRow).order_by(RunRow.started_at.desc(), RunRow.id.desc()).limit(1)
    if commit is not None:
        query = query.where(RunRow.commit == commit)
    with store.transaction() as session:
        row = session.scalars(
            query.options(selectinload(RunRow.components).selectinload(ComponentRow.criteria))
        ).first()
        return (row.id, _report(row)) if row else None


def run_count(store: Store) -> int:
    """How many runs are stored."""
    with store.transaction() as session:
        return len(session.scalars(select(RunRow.id)).all())


@dataclass
class TrendPoint:
    """One component's figures in one run."""

    run_id: int
    at: datetime
    commit: str | None
    stage: str
    ready: bool
    values: dict[str, float | None]  # criterion id -> numeric value
    statuses: dict[str, str]
    details: dict[str, dict[str, Any]] = field(default_factory=dict)  # criterion id -> details


def trend(store: Store, component: str, limit: int = 50) -> list[TrendPoint]:
    """The component's numeric criteria over the newest ``limit`` runs, oldest first."""
    query = (
        select(ComponentRow, RunRow)
        .join(RunRow, ComponentRow.run_id == RunRow.id)
        .where(ComponentRow.name == component)
        .order_by(RunRow.started_at.desc(), RunRow.id.desc())
        .limit(limit)
        .options(selectinload(ComponentRow.criteria))
    )
    with store.transaction() as session:
        rows = session.execute(query).all()
        points = [
            TrendPoint(
                run_id=run.id,
                at=as_utc(run.started_at),
                commit=run.commit,
                stage=comp.stage,
                ready=comp.ready,
                values={c.criterion_id: c.value for c in comp.criteria},
                statuses={c.criterion_id: c.status for c in comp.criteria},
                details={c.criterion_id: c.details or {} for c in comp.criteria},
            )
            for comp, run in rows
        ]
    return list(reversed(points))


def record_stage_event(
    store: Store,
    component: str,
    kind: str,
    from_stage: Stage,
    to_stage: Stage,
    actor: str,
    reason: str | None,
    forced: bool,
    commit: str | None,
    run_id: int | None,
) -> int:
    """Store a promotion or demotion."""
    row = StageEventRow(
        component=component,
        kind=kind,
        from_stage=from_stage.value,
        to_stage=to_stage.value,
        at=_now(),
        actor=actor,
        reason=reason,
        forced=forced,
        commit=commit,
        run_id=run_id,
    )
    return _insert(store, row)


def stage_events(store: Store, component: str | None = None) -> list[StageEventRow]:
    """Stage changes, oldest first."""
    query = select(StageEventRow).order_by(StageEventRow.at, StageEventRow.id)
    if component:
        query = query.where(StageEventRow.component == component)
    with store.transaction() as session:
        return list(session.scalars(query).all())


def record_deployment(
    store: Store,
    component: str,
    environment: str,
    version: str,
    status: str,
    actor: str,
    commit: str | None,
) -> int:
    """Store a deployment."""
    row = DeploymentRow(
        component=component,
        environment=environment,
        version=version,
        status=status,
        at=_now(),
        actor=actor,
        commit=commit,
    )
    return _insert(store, row)


def deployments(store: Store, component: str | None = None) -> list[DeploymentRow]:
    """Deployments, oldest first."""
    query = select(DeploymentRow).order_by(DeploymentRow.at, DeploymentRow.id)
    if component:
        query = query.where(DeploymentRow.component == component)
    with store.transaction() as session:
        return list(session.scalars(query).all())


def open_incident(
    store: Store, component: str, severity: str, title: str, at: datetime, actor: str
) -> int:
    """Record a new incident; returns its id."""
    row = IncidentRow(
        component=component, severity=severity, title=title, opened_at=as_utc(at),
        opened_by=actor,
    )  # fmt: skip
    return _insert(store, row)


def update_incident(
    store: Store, incident: int, step: str, at: datetime, actor: str
) -> IncidentRow:
    """Acknowledge (``step="ack"``) or resolve (``"resolve"``) an incident, once."""
    with store.transaction() as session:
        row = session.get(IncidentRow, incident)
        if row is None:
            raise UsageError(f"no incident #{incident}")
        at = as_utc(at)
        if at < as_utc(row.opened_at):
            shown = f"{as_utc(row.opened_at):%Y-%m-%d %H:%M:%S}"
            raise UsageError(f"incident #{incident} was opened at {shown} UTC, after --at")
        if step == "ack":
            if row.acknowledged_at is not None:
                raise UsageError(f"incident #{incident} is already acknowledged")
            row.acknowledged_at, row.acknowledged_by = at, actor
        else:
            if row.resolved_at is not None:
                raise UsageError(f"incident #{incident} is already resolved")
            if row.acknowledged_at is None:  # resolving answers it too
                row.acknowledged_at, row.acknowledged_by = at, actor
            row.resolved_at, row.resolved_by = at, actor
        session.flush()
        return row


def incidents(store: Store, component: str | None = None) -> list[IncidentRow]:
    """Incidents, oldest first."""
    query = select(IncidentRow).order_by(IncidentRow.opened_at, IncidentRow.id)
    if component:
        query = query.where(IncidentRow.component == component)
    with store.transaction() as session:
        return list(session.scalars(query).all())
