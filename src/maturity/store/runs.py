"""Stored runs (saved by ``saving``): load them, the newest one, how many, trends."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from maturity.model import RunReport
from maturity.store.database import Store
from maturity.store.moments import as_utc
from maturity.store.rows import report_of
from maturity.store.tables import ComponentRow, CriterionRow, DeploymentRow, RunRow, StageEventRow

_NEWEST_FIRST = (RunRow.started_at.desc(), RunRow.id.desc())


def load_run(store: Store, run_id: int) -> RunReport | None:
    """One stored run as a report."""
    with store.transaction() as session:
        row = session.scalars(
            select(RunRow)
            .where(RunRow.id == run_id)
            .options(selectinload(RunRow.components).selectinload(ComponentRow.criteria))
        ).first()
        return report_of(row) if row else None


def latest_run(store: Store, commit: str | None = None) -> tuple[int, RunReport] | None:
    """The newest stored run (for ``commit`` when given), with its id."""
    query = select(RunRow).order_by(*_NEWEST_FIRST).limit(1)
    if commit is not None:
        query = query.where(RunRow.commit == commit)
    with store.transaction() as session:
        row = session.scalars(
            query.options(selectinload(RunRow.components).selectinload(ComponentRow.criteria))
        ).first()
        return (row.id, report_of(row)) if row else None


def latest_run_id(store: Store) -> int | None:
    """Id of the newest stored run: one aggregate over the primary key, cheap to poll.

    Raises SQLAlchemy's errors as they are (a poller decides what an outage means).
    """
    with store.engine.connect() as conn:
        return conn.execute(select(func.max(RunRow.id))).scalar()


def store_version(store: Store) -> tuple[int | None, int | None, int | None]:
    """The newest run id, stage event id and deployment id, in one query over three
    primary keys: what a cache of pages built from the store is keyed by.

    Raises SQLAlchemy's errors as they are (a poller decides what an outage means).
    """
    newest = [
        select(func.max(table.id)).scalar_subquery()
        for table in (RunRow, StageEventRow, DeploymentRow)
    ]
    with store.engine.connect() as conn:
        row = conn.execute(select(*newest)).one()
        return row[0], row[1], row[2]


def run_count(store: Store) -> int:
    """How many runs are stored."""
    with store.transaction() as session:
        return session.scalar(select(func.count()).select_from(RunRow)) or 0


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
    """The component's numeric criteria over the newest ``limit`` runs, oldest first.

    Two indexed queries (the component's results by name, then their criteria's figures),
    reading only the columns a trend needs: no evidence, no ORM objects."""
    runs = (
        select(ComponentRow.id, RunRow.id, RunRow.started_at, RunRow.commit,
               ComponentRow.stage, ComponentRow.ready)
        .join(RunRow, ComponentRow.run_id == RunRow.id)
        .where(ComponentRow.name == component)
        .order_by(*_NEWEST_FIRST)
        .limit(limit)
    )  # fmt: skip
    with store.transaction() as session:
        rows = session.execute(runs).all()
        by_result = {
            comp_id: TrendPoint(run_id, as_utc(at), commit, stage, ready, {}, {}, {})
            for comp_id, run_id, at, commit, stage, ready in rows
        }
        figures = select(
            CriterionRow.component_result_id, CriterionRow.criterion_id, CriterionRow.value,
            CriterionRow.status, CriterionRow.details,
        ).where(CriterionRow.component_result_id.in_(list(by_result)))  # fmt: skip
        for comp_id, criterion, value, status, details in session.execute(figures):
            point = by_result[comp_id]
            point.values[criterion] = value
            point.statuses[criterion] = status
            point.details[criterion] = details or {}
    return list(reversed(by_result.values()))  # oldest first
