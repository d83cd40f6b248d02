"""The history store: every run, stage change and deployment (SQLAlchemy 2 + Alembic).

Its query interface, by concern: ``runs`` (save, load, the newest, count, trends,
failing streaks), ``events`` (stage changes and deployments) and ``records``
(incidents and vulnerability sightings). Everything is importable from here.

Its modules are imported on first use of a name (SQLAlchemy and Alembic take a third of
a second to import, which a command that stores nothing should not pay).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from maturity.store.database import Store, StoreError, default_url, open_store, resolve_url
    from maturity.store.events import (
        deployments,
        record_deployment,
        record_stage_event,
        stage_events,
    )
    from maturity.store.history import (
        ComponentPoint,
        RunInfo,
        component_history,
        find_run,
        recent_runs,
        run_at_or_before,
    )
    from maturity.store.moments import as_utc
    from maturity.store.records import first_sightings, incidents, open_incident, update_incident
    from maturity.store.runs import (
        TrendPoint,
        latest_run,
        latest_run_id,
        load_run,
        run_count,
        store_version,
        trend,
    )
    from maturity.store.saving import save_run
    from maturity.store.streaks import Streak, failing_streaks, open_streaks

__all__ = [
    "ComponentPoint",
    "RunInfo",
    "Store",
    "StoreError",
    "Streak",
    "TrendPoint",
    "as_utc",
    "component_history",
    "default_url",
    "deployments",
    "failing_streaks",
    "find_run",
    "first_sightings",
    "incidents",
    "latest_run",
    "latest_run_id",
    "load_run",
    "open_incident",
    "open_store",
    "open_streaks",
    "recent_runs",
    "record_deployment",
    "record_stage_event",
    "resolve_url",
    "run_at_or_before",
    "run_count",
    "save_run",
    "stage_events",
    "store_version",
    "trend",
    "update_incident",
]


_WHERE = {  # each name of the interface, and the module that defines it
    "ComponentPoint": "maturity.store.history",
    "RunInfo": "maturity.store.history",
    "Store": "maturity.store.database",
    "StoreError": "maturity.store.database",
    "Streak": "maturity.store.streaks",
    "TrendPoint": "maturity.store.runs",
    "as_utc": "maturity.store.moments",
    "component_history": "maturity.store.history",
    "default_url": "maturity.store.database",
    "deployments": "maturity.store.events",
    "failing_streaks": "maturity.store.streaks",
    "find_run": "maturity.store.history",
    "first_sightings": "maturity.store.records",
    "incidents": "maturity.store.records",
    "latest_run": "maturity.store.runs",
    "latest_run_id": "maturity.store.runs",
    "load_run": "maturity.store.runs",
    "open_incident": "maturity.store.records",
    "open_store": "maturity.store.database",
    "open_streaks": "maturity.store.streaks",
    "recent_runs": "maturity.store.history",
    "record_deployment": "maturity.store.events",
    "record_stage_event": "maturity.store.events",
    "resolve_url": "maturity.store.database",
    "run_at_or_before": "maturity.store.history",
    "run_count": "maturity.store.runs",
    "save_run": "maturity.store.saving",
    "stage_events": "maturity.store.events",
    "store_version": "maturity.store.runs",
    "trend": "maturity.store.runs",
    "update_incident": "maturity.store.records",
}


def __getattr__(name: str) -> Any:
    """Import the module of ``name`` on first use."""
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
