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


def test_a_reserved_cpu_is_kept_from_the_others_and_used_by_its_claimant() -> None:
    cpus = Budget(2)
    reservation = cpus.reserve()
    assert cpus.free == 1  # the static tools may take one CPU, not both
    got = threading.Event()

    def other() -> None:
        with cpus.held(1):
            got.set()
            release.wait()

    release = threading.Event()
    tool = threading.Thread(target=other)
    tool.start()
    got.wait()
    assert cpus.free == 0
    with reservation.claim(), cpus.held(1) as granted:  # no wait: it is ours
        assert granted == 1
        assert cpus.free == 0
    assert cpus.free == 1  # claim over: the reserved CPU went back
    release.set()
    tool.join()
    assert cpus.free == 2


def test_a_claimant_asking_for_more_than_its_reservation_queues_for_the_rest() -> None:
    cpus = Budget(3)
    reservation = cpus.reserve()
    with reservation.claim():
        with cpus.held(2) as granted:
            assert granted == 2
            assert cpus.free == 1  # one reserved + one from the queue
        assert cpus.free == 2
    assert cpus.free == 3


def test_threads_started_with_the_claimants_context_share_its_reservation() -> None:
    from contextvars import copy_context

    cpus = Budget(2)
    reservation = cpus.reserve()
    seen: list[int] = []
    with reservation.claim():
        context = copy_context()

        def session() -> None:
            with cpus.held(1):
                seen.append(cpus.free)

        worker = threading.Thread(target=context.run, args=(session,))
        worker.start()
        worker.join()
    assert seen == [1]  # it used the reserved CPU, leaving the other one free
    assert cpus.free == 2


def test_an_unclaimed_reservation_is_given_back_once() -> None:
    cpus = Budget(2)
    reservation = cpus.reserve()
    reservation.release()
    reservation.release()
    assert cpus.free == 2
    assert Budget(1).reserve().cpus == 0  # one CPU: nothing to reserve it from
