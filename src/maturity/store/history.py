"""The history across components: each component's figures per run (for the repo-wide
trends and the sparklines), the runs themselves, and finding a run by id, commit or time.

These read the run and component rows only (their coverage and count of unmet criteria
are kept beside each component result), never the criterion rows: one indexed query
each, whatever the number of components.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from maturity.store.database import Store
from maturity.store.moments import as_utc
from maturity.store.tables import ComponentRow, RunRow

_NEWEST_FIRST = (RunRow.started_at.desc(), RunRow.id.desc())


@dataclass(frozen=True)
class RunInfo:
    """A stored run, as a list of runs shows it."""

    id: int
    at: datetime
    commit: str | None
    branch: str | None


@dataclass(frozen=True)
class ComponentPoint:
    """One component's figures in one run."""

    run_id: int
    at: datetime
    name: str
    stage: str
    ready: bool
    coverage: float | None  # the coverage criterion's value; None when not measured
    unmet: int | None  # criteria not met; None for runs stored before schema 0008


def _info(row: RunRow) -> RunInfo:
    return RunInfo(row.id, as_utc(row.started_at), row.commit, row.branch)


def recent_runs(store: Store, limit: int = 90) -> list[RunInfo]:
    """The newest ``limit`` runs, newest first."""
    with store.transaction() as session:
        rows = session.scalars(select(RunRow).order_by(*_NEWEST_FIRST).limit(limit)).all()
        return [_info(r) for r in rows]


def find_run(store: Store, ref: str) -> RunInfo | None:
    """The run a user names: its id (digits only, or ``#12``), else the newest run of a
    commit whose hash starts with ``ref``."""
    digits = ref.removeprefix("#")
    query = select(RunRow).order_by(*_NEWEST_FIRST).limit(1)
    if digits.isdigit() and len(digits) < 12:
        query = query.where(RunRow.id == int(digits))
    else:
        query = query.where(RunRow.commit.startswith(ref.lower(), autoescape=True))
    with store.transaction() as session:
        row = session.scalars(query).first()
        return _info(row) if row else None


def run_at_or_before(store: Store, moment: datetime) -> RunInfo | None:
    """The newest run started at or before ``moment`` (e.g. the run of a week ago)."""
    query = select(RunRow).where(RunRow.started_at <= moment).order_by(*_NEWEST_FIRST).limit(1)
    with store.transaction() as session:
        row = session.scalars(query).first()
        return _info(row) if row else None


def component_history(
    store: Store, runs: int = 90, run_ids: list[int] | None = None
) -> list[ComponentPoint]:
    """Every component's figures in the newest ``runs`` runs (or in the runs ``run_ids``),
    oldest run first, components in stored order."""
    if run_ids is None:
        newest = select(RunRow.id).order_by(*_NEWEST_FIRST).limit(runs).scalar_subquery()
        which = RunRow.id.in_(newest)
    else:
        which = RunRow.id.in_(run_ids)
    query = (
        select(
            RunRow.id, RunRow.started_at, ComponentRow.name, ComponentRow.stage,
            ComponentRow.ready, ComponentRow.coverage, ComponentRow.unmet,
        )
        .join(ComponentRow, ComponentRow.run_id == RunRow.id)
        .where(which)
        .order_by(RunRow.started_at, RunRow.id, ComponentRow.id)
    )  # fmt: skip
    with store.transaction() as session:
        return [
            ComponentPoint(run_id, as_utc(at), name, stage, ready, coverage, unmet)
            for run_id, at, name, stage, ready, coverage, unmet in session.execute(query)
        ]
