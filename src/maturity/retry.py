"""Retries of the network clients: how many tries, how long between them, and what is
worth another try, in one place (on top of tenacity).

The caller gets what a single call would have given, the last answer or the last
exception, never tenacity's ``RetryError``: each client words its own one-line error.
The waits are parameters, so tests pass short ones (or a ``sleep`` that only records).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    retry_if_result,
    stop_after_attempt,
    stop_after_delay,
    wait_chain,
    wait_fixed,
    wait_none,
)
from tenacity.stop import stop_base
from tenacity.wait import wait_base

T = TypeVar("T")
Sleep = Callable[[float], None]


def _never(_: object) -> bool:
    return False


def _last_outcome(state: RetryCallState) -> object:
    assert state.outcome is not None  # noqa: S101  # nosec B101 - tenacity sets it before stopping
    return state.outcome.result()


def _run(
    call: Callable[[], T],
    stop: stop_base,
    wait: wait_base,
    on: tuple[type[BaseException], ...],
    again: Callable[[T], bool],
    sleep: Sleep,
) -> T:
    retrying = Retrying(
        stop=stop,
        wait=wait,
        retry=retry_if_exception_type(on) | retry_if_result(again),
        retry_error_callback=_last_outcome,
        sleep=sleep,
    )
    return retrying(call)


def retry(
    call: Callable[[], T],
    *,
    delays: Sequence[float],
    on: tuple[type[BaseException], ...] = (),
    again: Callable[[T], bool] = _never,
    sleep: Sleep = time.sleep,
) -> T:
    """Call ``call`` up to ``len(delays) + 1`` times, waiting ``delays[n]`` after try n+1,
    while it raises one of ``on`` or returns a result ``again`` accepts.

    Any other exception is raised at once; when the tries run out, the last result is
    returned or the last exception raised.
    """
    waits = tuple(delays)
    wait = wait_chain(*(wait_fixed(d) for d in waits)) if waits else wait_none()
    return _run(call, stop_after_attempt(len(waits) + 1), wait, on, again, sleep)


def poll(
    call: Callable[[], T],
    *,
    every: float,
    within: float,
    on: tuple[type[BaseException], ...] = (),
    again: Callable[[T], bool] = _never,
    sleep: Sleep = time.sleep,
) -> T:
    """Call ``call`` every ``every`` seconds, while it raises one of ``on`` or returns a
    result ``again`` accepts, until ``within`` seconds have passed since the first try.

    Like :func:`retry`, any other exception is raised at once, and at the deadline the
    last result is returned or the last exception raised.
    """
    return _run(call, stop_after_delay(within), wait_fixed(every), on, again, sleep)
