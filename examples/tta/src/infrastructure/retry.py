"""Retrying flaky operations with exponential backoff."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def backoff_delays(attempts: int, base: float = 0.1, cap: float = 5.0) -> list[float]:
    """The waits between ``attempts`` tries: base, 2*base, 4*base … capped."""
    return [min(cap, base * 2**i) for i in range(attempts)]


def retry(
    operation: Callable[[], T],
    attempts: int = 3,
    base: float = 0.1,
    sleep: Callable[[float], None] = time.sleep,
    retry_on: tuple[type[Exception], ...] = (ConnectionError, TimeoutError),
) -> T:
    """Call ``operation`` until it succeeds, at most ``attempts`` times."""
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    delays = backoff_delays(attempts, base)
    for attempt in range(attempts):
        try:
            return operation()
        except retry_on:
            if attempt == attempts - 1:
                raise
            sleep(delays[attempt])
    raise AssertionError("unreachable")
