"""The one retry helper of the network clients: tries, waits, what is tried again."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from maturity.retry import poll, retry


class Flaky:
    """Answers from a script: an exception is raised, anything else returned."""

    def __init__(self, *script: object) -> None:
        self.script = list(script)
        self.calls = 0

    def __call__(self) -> Any:
        step = self.script[min(self.calls, len(self.script) - 1)]
        self.calls += 1
        if isinstance(step, BaseException):
            raise step
        return step


def recorder() -> tuple[list[float], Callable[[float], None]]:
    waits: list[float] = []
    return waits, waits.append


def test_a_first_good_answer_is_returned_without_waiting() -> None:
    waits, sleep = recorder()
    call = Flaky("ok")
    assert retry(call, delays=(0.2, 0.5), on=(OSError,), sleep=sleep) == "ok"
    assert (call.calls, waits) == (1, [])


def test_listed_errors_are_tried_again_with_the_given_waits_in_order() -> None:
    waits, sleep = recorder()
    call = Flaky(OSError("down"), OSError("still down"), "ok")
    assert retry(call, delays=(0.2, 0.5), on=(OSError,), sleep=sleep) == "ok"
    assert (call.calls, waits) == (3, [0.2, 0.5])


def test_when_the_tries_run_out_the_last_error_itself_is_raised() -> None:
    waits, sleep = recorder()
    last = ConnectionError("third")
    call = Flaky(OSError("first"), OSError("second"), last, "never reached")
    with pytest.raises(ConnectionError) as raised:
        retry(call, delays=(0.2, 0.5), on=(OSError,), sleep=sleep)
    assert raised.value is last
    assert (call.calls, waits) == (3, [0.2, 0.5])


def test_an_error_not_listed_is_raised_at_once() -> None:
    waits, sleep = recorder()
    call = Flaky(ValueError("bad input"), "ok")
    with pytest.raises(ValueError, match="bad input"):
        retry(call, delays=(0.2, 0.5), on=(OSError,), sleep=sleep)
    assert (call.calls, waits) == (1, [])


def test_answers_worth_another_try_are_retried_and_the_last_one_returned() -> None:
    waits, sleep = recorder()
    call = Flaky(503, 502, 500, 200)
    answer = retry(call, delays=(0.1, 0.1), again=lambda status: status >= 500, sleep=sleep)
    assert (answer, call.calls, waits) == (500, 3, [0.1, 0.1])
    call = Flaky(503, 200)
    assert retry(call, delays=(0.1, 0.1), again=lambda status: status >= 500, sleep=sleep) == 200
    assert call.calls == 2


def test_no_delays_means_a_single_try() -> None:
    waits, sleep = recorder()
    call = Flaky(OSError("down"), "ok")
    with pytest.raises(OSError, match="down"):
        retry(call, delays=(), on=(OSError,), sleep=sleep)
    assert (call.calls, waits) == (1, [])


def test_the_real_sleep_waits_between_tries() -> None:
    call = Flaky(OSError("down"), "ok")
    started = time.monotonic()
    assert retry(call, delays=(0.05,), on=(OSError,)) == "ok"
    assert time.monotonic() - started >= 0.05


def test_poll_stops_at_the_deadline_with_the_last_answer() -> None:
    call = Flaky(OSError("refused"), "starting")
    started = time.monotonic()
    answer = poll(call, every=0.01, within=0.1, on=(OSError,), again=lambda a: a == "starting")
    elapsed = time.monotonic() - started
    assert answer == "starting"
    assert 0.1 <= elapsed < 5


def test_poll_raises_the_last_listed_error_at_the_deadline() -> None:
    call = Flaky(OSError("refused"))
    started = time.monotonic()
    with pytest.raises(OSError, match="refused"):
        poll(call, every=0.01, within=0.05, on=(OSError,))
    assert time.monotonic() - started >= 0.05


def test_poll_returns_as_soon_as_the_answer_is_good_and_stops_on_other_errors() -> None:
    waits, sleep = recorder()
    call = Flaky(OSError("refused"), "starting", "ready")
    answer = poll(
        call, every=0.2, within=30, on=(OSError,), again=lambda a: a != "ready", sleep=sleep
    )
    assert (answer, call.calls, waits) == ("ready", 3, [0.2, 0.2])
    call = Flaky(OSError("refused"), LookupError("gone"), "ready")
    with pytest.raises(LookupError, match="gone"):
        poll(call, every=0.2, within=30, on=(OSError,), sleep=sleep)
    assert call.calls == 2
