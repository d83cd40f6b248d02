"""What the history store knows that a run needs: incidents recorded with ``maturity
incident``, and when each vulnerability of a component was first seen by a stored run."""

from __future__ import annotations

from pathlib import Path

from maturity.collectors.base import Collector, RunContext
from maturity.errors import MaturityError
from maturity.facts import HistoryFacts, Incident


class HistoryCollector(Collector):
    """Reads incidents and vulnerability sightings from the history store (``--db``)."""

    name = "history"
    title = "history store"
    facts = HistoryFacts

    def collect(self, ctx: RunContext) -> HistoryFacts:
        """All of it; a repository whose store was never created has none."""
        from maturity.store import as_utc, first_sightings, incidents, open_store, resolve_url

        url = resolve_url(ctx.root, ctx.db_url)
        facts = HistoryFacts(tool="maturity store", command="maturity incident list")
        facts.store = url
        if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
            facts.exists = False
            return facts  # nothing was ever recorded here; do not create a database
        try:
            store = open_store(url)
            rows = incidents(store)
            facts.first_seen = first_sightings(store)
        except MaturityError as exc:
            facts.error = str(exc)
            return facts
        facts.store = store.url
        facts.incidents = [
            Incident(
                id=r.id,
                component=r.component,
                severity=r.severity,
                title=r.title,
                opened_at=as_utc(r.opened_at),
                acknowledged_at=as_utc(r.acknowledged_at) if r.acknowledged_at else None,
                resolved_at=as_utc(r.resolved_at) if r.resolved_at else None,
            )
            for r in rows
        ]
        return facts
