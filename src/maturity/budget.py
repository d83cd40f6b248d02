"""The CPU budget of one run (``--jobs``): how many CPUs the tools it starts may use at once.

Every tool process maturity starts (``process.run_tool``) holds one CPU of the budget
while it runs; the test run under pytest-xdist holds one per worker. Requests are served
in the order they came: the test run, which asks first and for the most, is not starved
by the static tools taking each freed CPU; they wait for it instead.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager


def default_jobs() -> int:
    """The machine's CPU count (what ``--jobs`` defaults to)."""
    return os.cpu_count() or 1


class Budget:
    """``jobs`` CPUs, handed out first come, first served."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self.free = self.jobs
        self._changed = threading.Condition()
        self._queue: deque[object] = deque()

    @contextmanager
    def held(self, cpus: int = 1) -> Iterator[int]:
        """Hold ``cpus`` of the budget (at most all of it) while the block runs."""
        wanted = max(1, min(cpus, self.jobs))
        ticket = object()
        with self._changed:
            self._queue.append(ticket)
            self._changed.wait_for(lambda: self._queue[0] is ticket and self.free >= wanted)
            self._queue.popleft()
            self.free -= wanted
            self._changed.notify_all()
        try:
            yield wanted
        finally:
            with self._changed:
                self.free += wanted
                self._changed.notify_all()


_ACTIVE: list[Budget] = []  # the budgets set, innermost last


@contextmanager
def budget(jobs: int) -> Iterator[Budget]:
    """Make ``jobs`` CPUs the budget of the tools started inside the block."""
    current = Budget(jobs)
    _ACTIVE.append(current)
    try:
        yield current
    finally:
        _ACTIVE.remove(current)


@contextmanager
def held(cpus: int = 1) -> Iterator[int]:
    """Hold ``cpus`` of the current budget (none is set: nothing to wait for)."""
    if not _ACTIVE:
        yield cpus
        return
    with _ACTIVE[-1].held(cpus) as granted:
        yield granted


def jobs() -> int:
    """The current budget's size (the CPU count when none is set)."""
    return _ACTIVE[-1].jobs if _ACTIVE else default_jobs()
