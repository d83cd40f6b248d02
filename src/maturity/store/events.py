"""Stage changes (promotions, demotions) and deployments."""

from __future__ import annotations

from sqlalchemy import select

from maturity.model import Stage
from maturity.store.database import Store
from maturity.store.moments import utc_now
from maturity.store.rows import insert
from maturity.store.tables import DeploymentRow, StageEventRow


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
        at=utc_now(),
        actor=actor,
        reason=reason,
        forced=forced,
        commit=commit,
        run_id=run_id,
    )
    return insert(store, row)


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
        at=utc_now(),
        actor=actor,
        commit=commit,
    )
    return insert(store, row)


def deployments(store: Store, component: str | None = None) -> list[DeploymentRow]:
    """Deployments, oldest first."""
    query = select(DeploymentRow).order_by(DeploymentRow.at, DeploymentRow.id)
    if component:
        query = query.where(DeploymentRow.component == component)
    with store.transaction() as session:
        return list(session.scalars(query).all())
