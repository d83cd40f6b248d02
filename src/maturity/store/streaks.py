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

from sqlalchemy import Select, and_, bindparam, func, or_, select, tuple_, update

from maturity.model import Status
from maturity.store.database import Store
from maturity.store.moments import as_utc
from maturity.store.schema import COMPONENT_RESULTS, CRITERION_RESULTS, RUNS

RUN, COMPONENT, CRITERION = RUNS.c, COMPONENT_RESULTS.c, CRITERION_RESULTS.c
_NEWEST_FIRST = (RUN.started_at.desc(), RUN.id.desc())
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
        query.select_from(RUNS)
        .join(COMPONENT_RESULTS, COMPONENT.run_id == RUN.id)
        .join(CRITERION_RESULTS, CRITERION.component_result_id == COMPONENT.id)
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
    pair = tuple_(COMPONENT.name, CRITERION.criterion_id)
    last_pass = (
        _results(
            select(
                COMPONENT.name.label("name"),
                CRITERION.criterion_id.label("criterion"),
                func.max(RUN.started_at).label("at"),
            )
        )
        .where(pair.in_(wanted), CRITERION.status == "pass")
        .group_by(COMPONENT.name, CRITERION.criterion_id)
        .subquery()
    )
    since_last_pass = or_(last_pass.c.at.is_(None), RUN.started_at >= last_pass.c.at)
    query = (
        _results(select(COMPONENT.name, CRITERION.criterion_id, CRITERION.status, RUN.started_at))
        .outerjoin(
            last_pass,
            and_(
                last_pass.c.name == COMPONENT.name,
                last_pass.c.criterion == CRITERION.criterion_id,
            ),
        )
        .where(pair.in_(wanted), since_last_pass)
        .order_by(COMPONENT.name, CRITERION.criterion_id, *_NEWEST_FIRST)
    )
    streaks: dict[tuple[str, str], Streak] = {}
    ended: set[tuple[str, str]] = set()
    with store.connection() as conn:
        for name, criterion, status, started in conn.execute(query):
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
        select(RUN.id).where(RUN.started_at < started).order_by(*_NEWEST_FIRST).limit(1)
    ).scalar_subquery()
    query = (
        select(
            COMPONENT.name, CRITERION.criterion_id, CRITERION.status,
            CRITERION.failing_since, CRITERION.failing_runs,
        )
        .join(CRITERION_RESULTS, CRITERION.component_result_id == COMPONENT.id)
        .where(COMPONENT.run_id == before, COMPONENT.name.in_(names))
    )  # fmt: skip
    with store.connection() as conn:
        return {
            (name, cid): (status, as_utc(since) if since else None, runs)
            for name, cid, status, since, runs in conn.execute(query)
        }


def keep_streaks(
    store: Store, started: datetime, results: list[tuple[str, str, str]]
) -> list[tuple[datetime | None, int]]:
    """The failing streak (since, runs) of each criterion result (component, criterion
    id, status) of the run started at ``started``, in their order: one more run than in
    the run stored before it, a new streak after a pass, and from the history for what
    the run before does not have (no such run, or stored before 0008)."""
    previous = _previous(store, started, sorted({name for name, _, _ in results}))
    unknown = [
        (name, criterion)
        for name, criterion, status in results
        if status != PASSED
        and (prev := previous.get((name, criterion))) is not None
        and prev[0] != PASSED
        and prev[1] is None
    ]
    history = failing_streaks(store, unknown) if unknown else {}
    streaks: list[tuple[datetime | None, int]] = []
    for name, criterion, status in results:
        prev = previous.get((name, criterion))
        if status == PASSED:
            streaks.append((None, 0))
        elif prev is None or prev[0] == PASSED:
            streaks.append((started, 1))
        elif prev[1] is not None:
            streaks.append((prev[1], (prev[2] or 0) + 1))
        else:
            streak = history.get((name, criterion))
            if streak is None or streak.runs == 0:
                streaks.append((started, 1))
            else:
                streaks.append((streak.since, streak.runs + 1))
    return streaks


def restreak_later(store: Store, started: datetime, names: list[str]) -> int:
    """Set again the streaks of the runs stored after ``started`` (a run saved late: a
    CI job that began before another finished after it), oldest first, each from the one
    before it, for the components ``names``; returns how many runs were looked at.
    Nothing is read when no run is newer (saving in order costs one indexed query)."""
    with store.connection() as conn:
        later = conn.execute(
            select(RUN.id, RUN.started_at)
            .where(RUN.started_at > started)
            .order_by(RUN.started_at, RUN.id)
        ).all()
    results = (
        select(CRITERION.id, COMPONENT.name, CRITERION.criterion_id, CRITERION.status)
        .join(CRITERION_RESULTS, CRITERION.component_result_id == COMPONENT.id)
        .where(COMPONENT.run_id == bindparam("run"), COMPONENT.name.in_(names))
        .order_by(COMPONENT.id, CRITERION.id)
    )
    again = (
        update(CRITERION_RESULTS)
        .where(CRITERION.id == bindparam("row"))
        .values(failing_since=bindparam("since"), failing_runs=bindparam("runs"))
    )
    for run_id, run_started in later:
        with store.connection() as conn:
            ours = conn.execute(results, {"run": run_id}).all()
        if not ours:  # deleted meanwhile, or none of the late run's components
            continue
        streaks = keep_streaks(store, as_utc(run_started), [(n, c, s) for _, n, c, s in ours])
        rows = [
            {"row": row, "since": since, "runs": runs}
            for (row, _, _, _), (since, runs) in zip(ours, streaks, strict=True)
        ]
        with store.connection() as conn:
            conn.execute(again, rows)
    return len(later)


def open_streaks(
    store: Store, run_id: int, component: str | None = None
) -> dict[tuple[str, str], Streak]:
    """(component, criterion) -> its streak, for every criterion not passing in the run
    ``run_id``: kept with the results, else computed from the history."""
    query = (
        select(
            COMPONENT.name, CRITERION.criterion_id, CRITERION.failing_since,
            CRITERION.failing_runs,
        )
        .join(CRITERION_RESULTS, CRITERION.component_result_id == COMPONENT.id)
        .where(COMPONENT.run_id == run_id, CRITERION.status != PASSED)
    )  # fmt: skip
    if component is not None:
        query = query.where(COMPONENT.name == component)
    with store.connection() as conn:
        rows = conn.execute(query).all()
    found = {(n, c): Streak(as_utc(since), runs) for n, c, since, runs in rows if since and runs}
    missing = [(n, c) for n, c, since, runs in rows if not (since and runs)]
    if missing:
        found.update(failing_streaks(store, missing))
    return found
