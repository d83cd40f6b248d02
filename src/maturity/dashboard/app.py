"""The dashboard application: pages, JSON API, live events, health, metrics, badges.

It only reads the store (writes need the configured token), renders on the server
(Jinja2, autoescaped), and keeps working without JavaScript; ``live.js`` only swaps in
fresh content when a new run is stored. Each page is a router of its own module; the
state they share lives in :mod:`maturity.dashboard.state`.
"""

from __future__ import annotations

import sys
import time

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import Counter, Histogram
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from maturity.dashboard import (
    api,
    blockers,
    compare,
    component,
    deployments,
    events,
    overview,
    service,
)
from maturity.dashboard.hardening import BodyLimit, HeadAsGet, SecurityHeaders
from maturity.dashboard.state import HERE, PREFIX, Dashboard, Unavailable
from maturity.dashboard.state import unavailable as to_unavailable

log = structlog.get_logger("maturity.dashboard")
ROUTERS = (overview, component, blockers, deployments, compare, events, api, service)


class Observe:
    """Pure ASGI middleware: request metrics and one structured log line per request."""

    def __init__(self, app: ASGIApp, requests_total: Counter, latency: Histogram) -> None:
        self.app = app
        self.requests_total = requests_total
        self.latency = latency

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, then count it and log it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            elapsed = time.perf_counter() - start
            self.requests_total.labels(scope["method"], route, str(status)).inc()
            self.latency.labels(route).observe(elapsed)
            if not route.endswith("/events"):
                log.info(
                    "request", method=scope["method"], path=scope["path"], route=route,
                    status=status, ms=round(elapsed * 1000, 2),
                )  # fmt: skip


class DashboardApp(FastAPI):
    """FastAPI with the hardening wrappers outside its whole middleware stack, so security
    headers and HEAD also reach the responses of Starlette's own error middleware."""

    def build_middleware_stack(self) -> ASGIApp:
        """Starlette's stack in :class:`SecurityHeaders`, :class:`BodyLimit`, :class:`HeadAsGet`."""
        return SecurityHeaders(BodyLimit(HeadAsGet(super().build_middleware_stack())))


def configure_logging() -> None:
    """JSON lines on stderr: cheap enough for every request, easy to ship."""
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(),
        ],
        logger_factory=structlog.WriteLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )


def create_app(
    url: str, token: str | None = None, poll_seconds: float = 1.0, issues: str | None = None
) -> FastAPI:
    """Build the dashboard for the store at ``url``; ``issues``, the repository's GitHub
    issues page, links each blocker to its issues."""
    state = Dashboard(url, token, poll_seconds, issues)
    app = DashboardApp(
        title="Maturity Dashboard API",
        version="1",
        description="Component maturity from the maturity history store (read-only by default).",
    )
    app.state.dashboard = state
    app.mount(f"{PREFIX}/static", StaticFiles(directory=str(HERE / "static")), name="static")
    telemetry = state.telemetry
    app.add_middleware(Observe, requests_total=telemetry.requests_total, latency=telemetry.latency)
    for module in ROUTERS:
        app.include_router(module.router)

    @app.exception_handler(SQLAlchemyError)
    async def database_error(request: Request, exc: SQLAlchemyError) -> Response:
        """A query that fails mid-page (a corrupt page of SQLite, a dropped connection)."""
        return await unavailable_page(request, to_unavailable(state.url, exc))

    @app.exception_handler(Unavailable)
    async def unavailable_page(request: Request, exc: Unavailable) -> Response:
        log.error("database_unavailable", path=request.url.path, error=str(exc))
        message = (
            f"The history database is unavailable: {exc}. The dashboard recovers when it returns."
        )
        if request.url.path.startswith(("/api", "/health", "/metrics", "/badge")):
            return JSONResponse({"status": "unavailable", "detail": message}, status_code=503)
        return state.error_page(request, 503, "Database unavailable", message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        """422: where and why, without echoing the (possibly hostile) input back."""
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return JSONResponse({"detail": errors}, status_code=422)

    return app
