"""The health probe and the load test's readiness wait try again, against real servers."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from maturity.collectors.attested import HealthCollector
from maturity.collectors.performance import _wait_ready
from tests.servers import free_port, live_server


def warming_up(failures: int) -> tuple[Starlette, list[int]]:
    """An app whose /health answers 503 ``failures`` times, then 200; records statuses."""
    answered: list[int] = []

    async def health(request: object) -> PlainTextResponse:
        status = 503 if len(answered) < failures else 200
        answered.append(status)
        return PlainTextResponse("ok" if status == 200 else "warming up", status_code=status)

    return Starlette(routes=[Route("/health", health)]), answered


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    """A live process standing in for the process under test."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield proc
    proc.kill()
    proc.wait()


def test_a_health_url_that_recovers_within_the_tries_is_healthy() -> None:
    app, answered = warming_up(failures=2)
    probe = HealthCollector()
    probe.delays = (0.01, 0.01)
    with live_server(app) as url:
        status, message = probe._probe(f"{url}/health")
    assert (status, message) == (200, f"{url}/health answered 200")
    assert answered == [503, 503, 200]


def test_a_health_url_still_failing_after_the_tries_names_the_count() -> None:
    app, answered = warming_up(failures=10)
    probe = HealthCollector()
    probe.delays = (0.01,)
    with live_server(app) as url:
        status, message = probe._probe(f"{url}/health")
    assert (status, message) == (None, f"{url}/health answered HTTP 503 (after 2 tries)")
    assert answered == [503, 503]


def test_the_readiness_wait_polls_until_the_server_answers_200(
    sleeper: subprocess.Popen[bytes],
) -> None:
    app, answered = warming_up(failures=3)
    with live_server(app) as url:
        assert _wait_ready(f"{url}/health", sleeper, 10.0, every=0.01) is None
    assert answered == [503, 503, 503, 200]


def test_the_readiness_wait_gives_up_at_its_deadline_with_the_last_answer(
    sleeper: subprocess.Popen[bytes],
) -> None:
    app, answered = warming_up(failures=1000)
    with live_server(app) as url:
        started = time.monotonic()
        problem = _wait_ready(f"{url}/health", sleeper, 0.2, every=0.02)
        waited = time.monotonic() - started
    assert problem == f"{url}/health not ready after 0.2s (HTTP 503)"
    assert 0.2 <= waited < 10
    assert answered and set(answered) == {503}
    url = f"http://127.0.0.1:{free_port()}/health"
    problem = _wait_ready(url, sleeper, 0.1, every=0.02)
    assert problem is not None
    assert problem.startswith(f"{url} not ready after 0.1s (")
    assert "HTTP" not in problem.removeprefix(url)
