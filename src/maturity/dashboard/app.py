"""The dashboard application: pages, JSON API, live events, health, metrics, badges.

It only reads the store (writes need the configured token), renders on the server
(Jinja2, autoescaped), and keeps working without JavaScript; ``live.js`` only swaps in
fresh content when a new run is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from maturity.dashboard.api import add_api_routes
from maturity.dashboard.charts import badge
from maturity.dashboard.metrics import StoreMetrics
from maturity.dashboard.pages import PREFIX, add_event_stream, add_page_routes, render
from maturity.errors import MaturityError
from maturity.model import RunReport
from maturity.store import Store, latest_run, latest_run_id, open_store

HERE = Path(__file__).parent
STAGE_COLOURS = {"development": "#6a737d", "staging": "#b26a00", "production": "#2e7d32"}
log = structlog.get_logger("maturity.dashboard")


class Unavailable(Exception):
    """The database cannot be reached right now."""


class Dashboard:
    """State shared by the routes: the store (opened lazily), a cache, secrets."""

    def __init__(self, url: str, token: str | None, poll_seconds: float) -> None:
        self.url = url
        self.token = token
        self.poll_seconds = poll_seconds
        self.secret = secrets.token_bytes(32)
        self._store: Store | None = None
        self._latest: tuple[int, RunReport] | None = None
        self._checked: tuple[float, int | None] = (0.0, None)
        self.rendered: dict[tuple[object, ...], Any] = {}  # (run id, view, args) -> output

    def store(self) -> Store:
        """The store, opened on first use and tried again after a failure."""
        if self._store is None:
            try:
                self._store = open_store(self.url)
            except (MaturityError, SQLAlchemyError) as exc:
                raise Unavailable(str(exc)) from exc
        return self._store

    def latest_id(self, fresh: bool = False) -> int | None:
        """Id of the newest run: one indexed aggregate, asked at most every poll interval."""
        now = time.monotonic()
        if not fresh and now - self._checked[0] < min(self.poll_seconds, 0.5):
            return self._checked[1]
        try:
            newest = latest_run_id(self.store())
        except SQLAlchemyError as exc:
            raise Unavailable(f"database unreachable ({exc.__class__.__name__})") from exc
        self._checked = (now, newest)
        return newest

    def cached(self, key: tuple[object, ...], make: Callable[[], Any]) -> Any:
        """``make()`` once per latest run id and key (rendered pages, API bodies)."""
        full = (self.latest_id(), *key)
        if full not in self.rendered:
            if len(self.rendered) > 256:
                self.rendered.clear()
            self.rendered[full] = make()
        return self.rendered[full]

    def latest(self) -> tuple[int, RunReport] | None:
        """The newest run, cached until a newer one is stored."""
        newest = self.latest_id()
        if newest is None:
            return None
        if self._latest is None or self._latest[0] != newest:
            try:
                self._latest = latest_run(self.store())
            except (MaturityError, SQLAlchemyError) as exc:
                raise Unavailable(str(exc)) from exc
        return self._latest

    def csrf(self, nonce: str) -> str:
        """The form token bound to a browser's nonce cookie."""
        return hmac.new(self.secret, nonce.encode(), hashlib.sha256).hexdigest()


def _badge(state: Dashboard, name: str, kind: str) -> Response:
    latest = state.latest()
    comp = next((c for c in latest[1].components if c.name == name), None) if latest else None
    if comp is None:
        svg = badge(name, "unknown", "#9f9f9f")
        return Response(svg, status_code=404, media_type="image/svg+xml")
    if kind == "coverage":
        crit = next((c for c in comp.criteria if c.id == "dev.coverage"), None)
        measured = crit is not None and crit.status.value != "error"
        value = crit.display.split(" ")[0] if crit and measured else "unknown"
        svg = badge("coverage", value, "#2e7d32" if crit and crit.met else "#c62828")
    else:
        colour = "#c62828" if comp.regressed or comp.at_risk else STAGE_COLOURS[comp.stage.value]
        text = comp.stage.value + (" (regressed)" if comp.regressed else "")
        text += " (at risk)" if comp.at_risk else ""
        svg = badge(comp.name, text, colour)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-cache"})


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


def create_app(url: str, token: str | None = None, poll_seconds: float = 1.0) -> FastAPI:
    """Build the dashboard for the store at ``url``."""
    state = Dashboard(url, token, poll_seconds)
    app = FastAPI(
        title="Maturity Dashboard API",
        version="1",
        description="Component maturity from the maturity history store (read-only by default).",
    )
    app.state.dashboard = state
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.mount(f"{PREFIX}/static", StaticFiles(directory=str(HERE / "static")), name="static")
    registry = CollectorRegistry()
    requests_total = Counter(
        "maturity_dashboard_requests_total",
        "Dashboard HTTP requests",
        ["method", "route", "status"],
        registry=registry,
    )
    latency = Histogram(
        "maturity_dashboard_request_duration_seconds",
        "Dashboard request latency",
        ["route"],
        registry=registry,
    )
    registry.register(StoreMetrics(state.latest))

    app.add_middleware(Observe, requests_total=requests_total, latency=latency)

    not_found = add_page_routes(app, state, templates)
    add_event_stream(app, state)
    add_api_routes(app, state, not_found)

    @app.exception_handler(Unavailable)
    async def unavailable(request: Request, exc: Unavailable) -> Response:
        log.error("database_unavailable", path=request.url.path, error=str(exc))
        message = (
            f"The history database is unavailable: {exc}. The dashboard recovers when it returns."
        )
        if request.url.path.startswith(("/api", "/health", "/metrics", "/badge")):
            return JSONResponse({"status": "unavailable", "detail": message}, status_code=503)
        context = {"status_code": 503, "heading": "Database unavailable", "message": message}
        return render(templates, request, "error.html", context, 503)

    @app.get("/health", tags=["service"])
    def health() -> dict[str, Any]:
        """Liveness and database reachability (503 when the database is down)."""
        return {"status": "ok", "database": "ok", "latest_run": state.latest_id(fresh=True)}

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        state.latest_id(fresh=True)  # a 503 when the database is down, not an empty scrape
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/badge/{name}.svg", include_in_schema=False)
    def badge_svg(name: str, kind: str = "stage") -> Response:
        return _badge(state, name, kind)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse(PREFIX)

    return app
