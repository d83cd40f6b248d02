"""The player-facing web page and its small JSON API (Starlette).

Every request is counted and timed with prometheus_client and logged with structlog;
``/metrics`` exposes them. Database time is reported in a ``Server-Timing`` header so
load tests can see it.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Awaitable, Callable

import structlog
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from player_experience.directory import PlayerDirectory
from player_experience.greetings import greet
from player_experience.models import PlayerProfile

REQUESTS = Counter("player_experience_requests_total", "Requests served.", ["route", "status"])
LATENCY = Histogram("player_experience_request_duration_seconds", "Request latency.", ["route"])
structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
log = structlog.get_logger("player_experience.web")

PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>TTA: begin your adventure</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"></head>
<body>
<main>
<h1>Begin your adventure</h1>
<form id="begin"><label for="player">Player id</label>
<input id="player" name="player" value="p-1"> <button type="submit">Begin</button></form>
<p id="greeting" role="status"></p>
</main>
<script>
document.getElementById("begin").addEventListener("submit", async (event) => {
  event.preventDefault();
  const id = encodeURIComponent(document.getElementById("player").value);
  const response = await fetch(`/api/players/${id}/greeting`);
  const body = await response.json();
  document.getElementById("greeting").textContent = body.greeting || body.error;
});
</script>
</body>
</html>
"""


class Directory:
    """A process-wide in-memory player directory (SQLite), safe across threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        connection = sqlite3.connect(":memory:", check_same_thread=False)
        self.players = PlayerDirectory(connection)
        for number, name in enumerate(("Robin", "Sam", "Ash", "Kai"), start=1):
            self.players.add(PlayerProfile(f"p-{number}", name))

    def find(self, player_id: str) -> tuple[PlayerProfile | None, float]:
        """The profile and the query time in milliseconds."""
        with self.lock:
            start = time.perf_counter()
            found = self.players.find(player_id)
            return found, (time.perf_counter() - start) * 1000


DIRECTORY = Directory()


async def page(request: Request) -> Response:
    """The start page."""
    return HTMLResponse(PAGE)


async def health(request: Request) -> Response:
    """Liveness for staging checks."""
    return JSONResponse({"status": "ok", "players": DIRECTORY.players.count()})


async def greeting(request: Request) -> Response:
    """The greeting of a registered player."""
    profile, db_ms = DIRECTORY.find(request.path_params["player_id"])
    timing = {"Server-Timing": f"db;dur={db_ms:.3f}"}
    if profile is None:
        return JSONResponse({"error": "unknown player"}, status_code=404, headers=timing)
    return JSONResponse({"greeting": greet(profile.display_name)}, headers=timing)


async def metrics(request: Request) -> Response:
    """Prometheus metrics of this process."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def observed(route: str, handler: Callable[[Request], Awaitable[Response]]) -> Route:
    """A route whose requests are counted, timed and logged."""

    async def endpoint(request: Request) -> Response:
        start = time.perf_counter()
        response = await handler(request)
        elapsed = time.perf_counter() - start
        REQUESTS.labels(route=route, status=str(response.status_code)).inc()
        LATENCY.labels(route=route).observe(elapsed)
        if response.status_code >= 500:
            log.error("request failed", route=route, status=response.status_code)
        return response

    return Route(route, endpoint)


app = Starlette(
    routes=[
        observed("/", page),
        observed("/health", health),
        observed("/api/players/{player_id}/greeting", greeting),
        Route("/metrics", metrics),
    ]
)
