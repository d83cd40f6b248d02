"""Production records: incidents and their response, and vulnerability sightings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from maturity.errors import UsageError
from maturity.model import RunReport
from maturity.store.database import Store
from maturity.store.rows import as_utc, insert
from maturity.store.tables import IncidentRow, SightingRow


def open_incident(
    store: Store, component: str, severity: str, title: str, at: datetime, actor: str
) -> int:
    """Record a new incident; returns its id."""
    row = IncidentRow(
        component=component, severity=severity, title=title, opened_at=as_utc(at),
        opened_by=actor,
    )  # fmt: skip
    return insert(store, row)


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


def record_sightings(session: Session, report: RunReport) -> None:
    """Keep when each vulnerability of the run was first seen (and last seen) per component."""
    seen_at = datetime.fromisoformat(report.timestamp)
    new = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for seen in report.sightings:
        session.execute(
            new(SightingRow)
            .values(
                component=seen.component, vulnerability=seen.vulnerability,
                package=seen.package, version=seen.version, severity=seen.severity,
                first_seen=min(seen.first_seen, seen_at), last_seen=seen_at,
            )
            .on_conflict_do_nothing(index_elements=["component", "vulnerability"])
        )  # fmt: skip
        session.execute(
            update(SightingRow)
            .where(SightingRow.component == seen.component)
            .where(SightingRow.vulnerability == seen.vulnerability)
            .values(last_seen=seen_at)
        )


def first_sightings(store: Store) -> dict[tuple[str, str], datetime]:
    """(component, vulnerability id) -> when a stored run first saw it."""
    with store.transaction() as session:
        rows = session.execute(
            select(SightingRow.component, SightingRow.vulnerability, SightingRow.first_seen)
        ).all()
    return {(c, v): as_utc(first) for c, v, first in rows}
