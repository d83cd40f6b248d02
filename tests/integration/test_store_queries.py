"""The store's read queries the dashboard polls: the newest run id, failing streaks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from maturity.model import Status
from maturity.store import Store, Streak, failing_streaks, latest_run_id, open_store, save_run
from tests.unit.test_reports import make_report

DAY0 = datetime(2026, 11, 1, tzinfo=UTC)


def store_run(store: Store, day: int, statuses: dict[tuple[str, str], Status]) -> int:
    """A run on ``DAY0 + day`` with the given statuses (other criteria as in make_report)."""
    report = make_report()
    report.timestamp = (DAY0 + timedelta(days=day)).isoformat()
    for comp in report.components:
        for crit in comp.criteria:
            crit.status = statuses.get((comp.name, crit.id), crit.status)
    return save_run(store, report)


@contextmanager
def selects(store: Store) -> Iterator[list[str]]:
    """The SELECT statements the store sends to the database meanwhile."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", record)


def test_latest_run_id_is_the_newest_stored_id(db_url: str) -> None:
    store = open_store(db_url)
    assert latest_run_id(store) is None
    first = store_run(store, 5, {})
    assert latest_run_id(store) == first
    backfilled = store_run(store, 1, {})  # stored later, about an earlier day
    assert backfilled > first and latest_run_id(store) == backfilled


def test_failing_streaks_count_the_runs_since_the_last_pass(db_url: str) -> None:
    store = open_store(db_url)
    ruff, sec = ("ai_components", "dev.ruff"), ("ai_components", "dev.security_scan")
    cov = ("player_experience", "dev.coverage")
    lint = ("player_experience", "dev.ruff")
    days = [  # oldest first; make_report has ruff failing and security erroring
        {sec: Status.PASS, cov: Status.FAIL},
        {cov: Status.FAIL},
        {lint: Status.FAIL},
        {lint: Status.FAIL},
    ]
    for day, statuses in enumerate(days):
        store_run(store, day, statuses)
    wanted = [ruff, sec, cov, lint, ("ai_components", "never.stored")]
    with selects(store) as statements:
        streaks = failing_streaks(store, wanted)
    assert len(statements) == 1  # every pair in one query, not one query per pair
    assert streaks == {
        ruff: Streak(DAY0, 4),  # never passed: every stored run
        sec: Streak(DAY0 + timedelta(days=1), 3),  # passed on day 0
        cov: Streak(DAY0 + timedelta(days=3), 0),  # passes in the newest run
        lint: Streak(DAY0 + timedelta(days=2), 2),
    }
    assert failing_streaks(store, [ruff, ruff]) == {ruff: Streak(DAY0, 4)}
    assert failing_streaks(store, []) == {}


def test_failing_streaks_order_runs_of_the_same_moment_by_id(db_url: str) -> None:
    store = open_store(db_url)
    lint = ("ai_components", "dev.ruff")
    store_run(store, 0, {})
    store_run(store, 1, {lint: Status.PASS})
    store_run(store, 1, {})  # the same moment, stored after the pass: newer
    assert failing_streaks(store, [lint]) == {lint: Streak(DAY0 + timedelta(days=1), 1)}
    store_run(store, 1, {lint: Status.PASS})
    assert failing_streaks(store, [lint]) == {lint: Streak(DAY0 + timedelta(days=1), 0)}
