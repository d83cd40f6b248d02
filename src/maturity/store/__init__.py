"""The history store: every run, stage change and deployment (SQLAlchemy 2 + Alembic).

Its query interface, by concern: ``runs`` (save, load, the newest, count, trends,
failing streaks), ``events`` (stage changes and deployments) and ``records``
(incidents and vulnerability sightings). Everything is importable from here.
"""

from maturity.store.database import Store, StoreError, default_url, open_store, resolve_url
from maturity.store.events import deployments, record_deployment, record_stage_event, stage_events
from maturity.store.history import (
    ComponentPoint,
    RunInfo,
    component_history,
    find_run,
    recent_runs,
    run_at_or_before,
)
from maturity.store.records import first_sightings, incidents, open_incident, update_incident
from maturity.store.rows import as_utc
from maturity.store.runs import (
    TrendPoint,
    latest_run,
    latest_run_id,
    load_run,
    run_count,
    save_run,
    store_version,
    trend,
)
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
