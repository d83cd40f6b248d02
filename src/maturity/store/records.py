"""Production records: incidents and their response, and vulnerability sightings (each
run's are recorded by ``saving``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from maturity.errors import UsageError
from maturity.store.database import Store
from maturity.store.moments import as_utc
from maturity.store.rows import insert
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


def first_sightings(store: Store) -> dict[tuple[str, str], datetime]:
    """(component, vulnerability id) -> when a stored run first saw it."""
    with store.transaction() as session:
        rows = session.execute(
            select(SightingRow.component, SightingRow.vulnerability, SightingRow.first_seen)
        ).all()
    return {(c, v): as_utc(first) for c, v, first in rows}
