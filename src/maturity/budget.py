"""The CPU budget of one run (``--jobs``): how many CPUs the tools it starts may use at once.

Every tool process maturity starts (``process.run_tool``) holds one CPU of the budget
while it runs; the test run under pytest-xdist holds one per worker. Requests are served
in the order they came: the test run, which asks first and for the most, is not starved
by the static tools taking each freed CPU; they wait for it instead.

The test run is the long pole, but it asks for its CPU only after some preparation of
its own; by then the static tools, which ask at once, would hold every CPU. So the run
``reserve``s one CPU for it from the start: the tools that thread starts use the
reserved CPU first, and the others never get it until the test run has ended.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar, copy_context
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


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

    def reserve(self) -> Reservation:
        """Take one CPU now, to be used by the thread that later ``claim``s it (none when
        the budget is a single CPU: nothing else could run beside that thread's tools)."""
        if self.jobs < 2:
            return Reservation(self, 0)
        with self._changed:
            self.free -= 1
        return Reservation(self, 1)

    @contextmanager
    def held(self, cpus: int = 1) -> Iterator[int]:
        """Hold ``cpus`` of the budget (at most all of it) while the block runs; a CPU
        reserved for this thread counts first."""
        wanted = max(1, min(cpus, self.jobs))
        mine = _CLAIMED.get()
        own = mine.take(wanted) if mine is not None and mine.owner is self else 0
        if mine is not None and own:
            try:
                if own == wanted:
                    yield wanted
                else:
                    with self.held(wanted - own):
                        yield wanted
            finally:
                mine.put(own)
            return
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
            self.give_back(wanted)

    def give_back(self, cpus: int) -> None:
        """Return ``cpus`` to the budget and wake whoever waits for them."""
        with self._changed:
            self.free += cpus
            self._changed.notify_all()


class Reservation:
    """CPUs of a budget taken for one thread's tools ahead of time (``Budget.reserve``)."""

    def __init__(self, owner: Budget, cpus: int) -> None:
        self.owner = owner
        self.cpus = cpus  # reserved and not given back
        self.unused = cpus  # of those, not held by a tool now
        self._lock = threading.Lock()

    def take(self, cpus: int) -> int:
        """Up to ``cpus`` of the unused reserved CPUs, for a tool about to start."""
        with self._lock:
            got = min(cpus, self.unused)
            self.unused -= got
            return got

    def put(self, cpus: int) -> None:
        """A tool that held ``cpus`` reserved CPUs ended."""
        with self._lock:
            if self.cpus:  # not given back meanwhile
                self.unused += cpus

    @contextmanager
    def claim(self) -> Iterator[None]:
        """While the block runs, the tools started by the calling thread (and by threads
        started with a copy of its context) use the reserved CPUs first; when it ends
        they go back to the budget."""
        token = _CLAIMED.set(self)
        try:
            yield
        finally:
            _CLAIMED.reset(token)
            self.release()

    def release(self) -> None:
        """Give the reserved CPUs back to the budget (once)."""
        with self._lock:
            cpus, self.cpus, self.unused = self.cpus, 0, 0
        if cpus:
            self.owner.give_back(cpus)


_CLAIMED: ContextVar[Reservation | None] = ContextVar("maturity_reserved_cpus", default=None)
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


def active() -> Budget | None:
    """The budget set innermost, if any."""
    return _ACTIVE[-1] if _ACTIVE else None


@contextmanager
def held(cpus: int = 1) -> Iterator[int]:
    """Hold ``cpus`` of the current budget (none is set: nothing to wait for)."""
    if not _ACTIVE:
        yield cpus
        return
    with _ACTIVE[-1].held(cpus) as granted:
        yield granted


def reserve() -> Reservation | None:
    """Reserve one CPU of the current budget (``Budget.reserve``); None without one."""
    return _ACTIVE[-1].reserve() if _ACTIVE else None


def jobs() -> int:
    """The current budget's size (the CPU count when none is set)."""
    return _ACTIVE[-1].jobs if _ACTIVE else default_jobs()


def each(fn: Callable[[T], R], items: list[T]) -> list[R]:
    """``fn`` of every item, in threads (one per item, at most the CPU count), results in
    order. Each thread runs in a copy of the caller's context, so the tools it starts use
    a CPU reserved for the caller (the test run's sessions and coverage readers)."""
    if len(items) == 1:
        return [fn(items[0])]
    contexts = [copy_context() for _ in items]
    workers = max(1, min(len(items), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda i: contexts[i].run(fn, items[i]), range(len(items))))
