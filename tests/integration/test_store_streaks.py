"""Failing streaks kept with each stored result (schema 0008): carried from the run
before, restarted after a pass, and computed from the history for results stored before."""

from __future__ import annotations

from datetime import timedelta

from maturity.model import Status
from maturity.store import Streak, failing_streaks, latest_run_id, open_store, open_streaks
from tests.integration.test_store_queries import DAY0, selects, store_run

RUFF, SEC = ("ai_components", "dev.ruff"), ("ai_components", "dev.security_scan")
LINT = ("player_experience", "dev.ruff")
DAYS = [  # make_report has ruff failing and security erroring
    {SEC: Status.PASS},
    {},
    {LINT: Status.FAIL},
    {LINT: Status.FAIL, SEC: Status.PASS},
    {LINT: Status.FAIL},
]


def test_kept_streaks_are_those_of_the_history(db_url: str) -> None:
    store = open_store(db_url)
    for day, statuses in enumerate(DAYS):
        store_run(store, day, statuses)
    newest = latest_run_id(store)
    assert newest is not None
    with selects(store) as statements:
        kept = open_streaks(store, newest)
    assert len(statements) == 1  # one indexed query, whatever the history's length
    assert kept == {
        RUFF: Streak(DAY0, 5),
        SEC: Streak(DAY0 + timedelta(days=4), 1),
        LINT: Streak(DAY0 + timedelta(days=2), 3),
    }
    assert kept == failing_streaks(store, list(kept))  # the same as read from the history
    assert open_streaks(store, newest, "player_experience") == {LINT: kept[LINT]}


def test_results_stored_before_0008_get_their_streaks_from_the_history(db_url: str) -> None:
    store = open_store(db_url)
    for day, statuses in enumerate(DAYS[:3]):
        store_run(store, day, statuses)
    store.downgrade("0007")  # as if stored before: the streak columns go, the runs stay
    store.upgrade()
    old = latest_run_id(store)
    assert old is not None
    assert (
        open_streaks(store, old)
        == failing_streaks(store, [RUFF, SEC, LINT])
        == {
            RUFF: Streak(DAY0, 3),
            SEC: Streak(DAY0 + timedelta(days=1), 2),
            LINT: Streak(DAY0 + timedelta(days=2), 1),
        }
    )
    store_run(store, 3, DAYS[3])  # the first run stored after: continues them
    newest = latest_run_id(store)
    assert newest is not None
    assert open_streaks(store, newest) == {
        RUFF: Streak(DAY0, 4),
        LINT: Streak(DAY0 + timedelta(days=2), 2),
    }


def test_a_run_saved_late_continues_the_streaks_of_the_runs_after_it(db_url: str) -> None:
    """Two CI jobs: the one that began first is saved last. Every run's kept streaks are
    then those of the history, as if saved in order."""
    store = open_store(db_url)
    order = [0, 1, 3, 4, 2]  # day 2 (player_experience's lint starts failing) comes last
    ids = {day: store_run(store, day, DAYS[day]) for day in order}
    kept = open_streaks(store, ids[4])
    assert kept == failing_streaks(store, list(kept))
    assert kept[LINT] == Streak(DAY0 + timedelta(days=2), 3)
    assert kept[RUFF] == Streak(DAY0, 5)


def test_saving_in_order_reads_no_later_run(db_url: str) -> None:
    store = open_store(db_url)
    store_run(store, 0, DAYS[0])
    with selects(store) as statements:
        store_run(store, 1, DAYS[1])
    later = [s for s in statements if "started_at >" in s]
    assert len(later) == 1  # the one indexed query that finds no newer run
