import pytest

from infrastructure.retry import backoff_delays, retry


def test_backoff_delays_double_and_cap():
    assert backoff_delays(4, base=1.0, cap=3.0) == [1.0, 2.0, 3.0, 3.0]


def test_retry_succeeds_after_failures():
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("down")
        return "up"

    waits = []
    assert retry(flaky, attempts=3, base=0.5, sleep=waits.append) == "up"
    # waits happen only BETWEEN attempts: two failures, two waits
    assert waits == [0.5, 1.0]


def test_retry_gives_up_and_validates():
    def down():
        raise TimeoutError("slow")

    with pytest.raises(TimeoutError):
        retry(down, attempts=2, sleep=lambda _: None)
    with pytest.raises(ValueError):
        retry(down, attempts=0)


def test_number_of_waits_matches_attempts_minus_one():
    assert len(backoff_delays(3)) == 2
