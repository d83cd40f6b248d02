"""The CPU budget the tools of a run share (``--jobs``)."""

from __future__ import annotations

import threading
from pathlib import Path

from maturity.budget import Budget, budget, held, jobs
from tests.helpers import cli


def test_requests_are_served_in_order_so_a_large_one_is_not_starved() -> None:
    cpus = Budget(2)
    order: list[str] = []
    first = cpus.held(1)
    first.__enter__()  # one CPU busy: the request for two must wait

    def take(name: str, n: int, queued: threading.Event) -> None:
        queued.set()
        with cpus.held(n):
            order.append(name)

    queued_two, queued_one = threading.Event(), threading.Event()
    two = threading.Thread(target=take, args=("two", 2, queued_two))
    two.start()
    queued_two.wait()
    while not cpus._queue:  # the request for two is in the queue
        pass
    one = threading.Thread(target=take, args=("one", 1, queued_one))
    one.start()
    queued_one.wait()
    while len(cpus._queue) < 2:
        pass
    assert order == []  # a CPU is free, but the one-CPU request came second: it waits
    first.__exit__(None, None, None)
    two.join()
    one.join()
    assert order == ["two", "one"]
    assert cpus.free == 2


def test_a_request_larger_than_the_budget_gets_all_of_it() -> None:
    with Budget(2).held(8) as granted:
        assert granted == 2


def test_the_budget_of_a_run_applies_inside_its_block_only() -> None:
    with budget(3):
        assert jobs() == 3
        with held(5) as granted:
            assert granted == 3
    with held(5) as granted:
        assert granted == 5  # no budget set: nothing is held back


def test_jobs_below_one_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = cli("run", str(tmp_path), "--jobs", "0")
    assert code == 2
    assert err.startswith("maturity: error: maturity run: Invalid value for '--jobs' / '-j'")
