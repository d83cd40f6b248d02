"""Failing streaks: for each component and criterion, since when and for how many runs
it has not passed, up to a run.

Each stored criterion result keeps its streak (``failing_since``, ``failing_runs``),
carried over from the run stored before it when the run is saved: reading the open
blockers of the newest run is then one indexed query, however long the history. Results
stored before schema 0008 have none; their streaks are computed from the history
(:func:`failing_streaks`, reading back to each one's last pass) when asked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Select, and_, func, or_, select, tuple_, update
from sqlalchemy.orm import selectinload

from maturity.model import Status
from maturity.store.database import Store
from maturity.store.rows import as_utc
from maturity.store.tables import ComponentRow, CriterionRow, RunRow

_NEWEST_FIRST = (RunRow.started_at.desc(), RunRow.id.desc())
PASSED = Status.PASS.value


@dataclass(frozen=True)
class Streak:
    """How long a criterion has been failing for a component, up to the newest run."""

    since: datetime  # start of the oldest run of the streak
    runs: int  # consecutive runs without a pass


Q = TypeVar("Q", bound=Select)


def _results(query: Q) -> Q:
    """``query`` over every criterion result joined to its component and run."""
    return (
        query.select_from(RunRow)
        .join(ComponentRow, ComponentRow.run_id == RunRow.id)
        .join(CriterionRow, CriterionRow.component_result_id == ComponentRow.id)
    )


def failing_streaks(
    store: Store, pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Streak]:
    """For each (component, criterion id): the runs since it last passed, up to the newest.

    One query for every pair, reading only the runs from each pair's last pass on (the
    component name and criterion id indexes narrow it). A pair that passes in its newest
    run has a streak of 0 runs; a pair never stored is absent.
    """
    wanted = sorted(set(pairs))
    if not wanted:
        return {}
    pair = tuple_(ComponentRow.name, CriterionRow.criterion_id)
    last_pass = (
        _results(
            select(
                ComponentRow.name.label("name"),
                CriterionRow.criterion_id.label("criterion"),
                func.max(RunRow.started_at).label("at"),
            )
        )
        .where(pair.in_(wanted), CriterionRow.status == "pass")
        .group_by(ComponentRow.name, CriterionRow.criterion_id)
        .subquery()
    )
    since_last_pass = or_(last_pass.c.at.is_(None), RunRow.started_at >= last_pass.c.at)
    query = (
        _results(
            select(
                ComponentRow.name, CriterionRow.criterion_id, CriterionRow.status, RunRow.started_at
            )
        )
        .outerjoin(
            last_pass,
            and_(
                last_pass.c.name == ComponentRow.name,
                last_pass.c.criterion == CriterionRow.criterion_id,
            ),
        )
        .where(pair.in_(wanted), since_last_pass)
        .order_by(ComponentRow.name, CriterionRow.criterion_id, *_NEWEST_FIRST)
    )
    streaks: dict[tuple[str, str], Streak] = {}
    ended: set[tuple[str, str]] = set()
    with store.transaction() as session:
        for name, criterion, status, started in session.execute(query):
            key = (name, criterion)
            if key in ended:
                continue
            runs = streaks[key].runs if key in streaks else 0
            if status == "pass":  # newest first: the streak ends at the last pass
                ended.add(key)
                streaks.setdefault(key, Streak(as_utc(started), 0))
                continue
            streaks[key] = Streak(as_utc(started), runs + 1)
    return streaks


def _previous(
    store: Store, started: datetime, names: list[str]
) -> dict[tuple[str, str], tuple[str, datetime | None, int | None]]:
    """(component, criterion) -> (status, failing_since, failing_runs) in the newest run
    stored before ``started``."""
    before = (
        select(RunRow.id).where(RunRow.started_at < started).order_by(*_NEWEST_FIRST).limit(1)
    ).scalar_subquery()
    query = (
        select(
            ComponentRow.name, CriterionRow.criterion_id, CriterionRow.status,
            CriterionRow.failing_since, CriterionRow.failing_runs,
        )
        .join(CriterionRow, CriterionRow.component_result_id == ComponentRow.id)
        .where(ComponentRow.run_id == before, ComponentRow.name.in_(names))
    )  # fmt: skip
    with store.transaction() as session:
        return {
            (name, cid): (status, as_utc(since) if since else None, runs)
            for name, cid, status, since, runs in session.execute(query)
        }


def keep_streaks(store: Store, started: datetime, components: list[ComponentRow]) -> None:
    """Set the failing streak of every criterion result of ``components`` (of the run
    started at ``started``): one more run than in the run stored before it, a new streak
    after a pass, and from the history for what the run before does not have (no such
    run, or stored before 0008)."""
    previous = _previous(store, started, [c.name for c in components])
    unknown = [
        (comp.name, crit.criterion_id)
        for comp in components
        for crit in comp.criteria
        if crit.status != PASSED
        and (prev := previous.get((comp.name, crit.criterion_id))) is not None
        and prev[0] != PASSED
        and prev[1] is None
    ]
    history = failing_streaks(store, unknown) if unknown else {}
    for comp in components:
        for crit in comp.criteria:
            key = (comp.name, crit.criterion_id)
            prev = previous.get(key)
            if crit.status == PASSED:
                crit.failing_since, crit.failing_runs = None, 0
            elif prev is None or prev[0] == PASSED:
                crit.failing_since, crit.failing_runs = started, 1
            elif prev[1] is not None:
                crit.failing_since, crit.failing_runs = prev[1], (prev[2] or 0) + 1
            else:
                streak = history.get(key)
                if streak is None or streak.runs == 0:
                    crit.failing_since, crit.failing_runs = started, 1
                else:
                    crit.failing_since, crit.failing_runs = streak.since, streak.runs + 1


def restreak_later(store: Store, started: datetime, names: list[str]) -> int:
    """Set again the streaks of the runs stored after ``started`` (a run saved late: a
    CI job that began before another finished after it), oldest first, each from the one
    before it, for the components ``names``; returns how many runs were looked at.
    Nothing is read when no run is newer (saving in order costs one indexed query)."""
    with store.transaction() as session:
        later = session.scalars(
            select(RunRow.id)
            .where(RunRow.started_at > started)
            .order_by(RunRow.started_at, RunRow.id)
        ).all()
    for run_id in later:
        with store.transaction() as session:  # read, then detach: the streaks read too
            run = session.scalars(
                select(RunRow)
                .where(RunRow.id == run_id)
                .options(selectinload(RunRow.components).selectinload(ComponentRow.criteria))
            ).first()
            session.expunge_all()
        ours = [c for c in run.components if c.name in names] if run else []
        if run is None or not ours:  # deleted meanwhile, or none of the late run's
            continue
        keep_streaks(store, as_utc(run.started_at), ours)
        rows = [
            {"id": c.id, "failing_since": c.failing_since, "failing_runs": c.failing_runs}
            for comp in ours
            for c in comp.criteria
        ]
        with store.transaction() as session:
            session.execute(update(CriterionRow), rows)
    return len(later)


def open_streaks(
    store: Store, run_id: int, component: str | None = None
) -> dict[tuple[str, str], Streak]:
    """(component, criterion) -> its streak, for every criterion not passing in the run
    ``run_id``: kept with the results, else computed from the history."""
    query = (
        select(
            ComponentRow.name, CriterionRow.criterion_id, CriterionRow.failing_since,
            CriterionRow.failing_runs,
        )
        .join(CriterionRow, CriterionRow.component_result_id == ComponentRow.id)
        .where(ComponentRow.run_id == run_id, CriterionRow.status != PASSED)
    )  # fmt: skip
    if component is not None:
        query = query.where(ComponentRow.name == component)
    with store.transaction() as session:
        rows = session.execute(query).all()
    found = {(n, c): Streak(as_utc(since), runs) for n, c, since, runs in rows if since and runs}
    missing = [(n, c) for n, c, since, runs in rows if not (since and runs)]
    if missing:
        found.update(failing_streaks(store, missing))
    return found
