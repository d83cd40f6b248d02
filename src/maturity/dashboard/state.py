"""What every route of the dashboard shares: the store (opened lazily), the newest run,
rendered-output caches, templates, metrics and secrets.

``create_app`` puts one :class:`Dashboard` on ``app.state``; routes take it as the
``State`` dependency. Nothing here imports a route module.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from maturity.dashboard.metrics import Telemetry
from maturity.errors import MaturityError
from maturity.model import ComponentReport, RunReport
from maturity.store import Store, latest_run, latest_run_id, open_store

HERE = Path(__file__).parent
PREFIX = "/dashboard/maturity"


class Unavailable(Exception):
    """The database cannot be reached or used right now."""


def store_name(url: str) -> str:
    """The store as the user knows it: the SQLite file, else the URL without password."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return parsed.database
    return parsed.render_as_string(hide_password=True)


def unavailable(url: str, exc: Exception) -> Unavailable:
    """The :class:`Unavailable` for ``exc``, naming the store and the driver's own reason
    (not SQLAlchemy's statement dump)."""
    if isinstance(exc, MaturityError):
        return Unavailable(str(exc))
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return Unavailable(f"{store_name(url)}: {reason} ({exc.__class__.__name__})")


class Dashboard:
    """State shared by the routes: the store (opened lazily), a cache, secrets."""

    def __init__(self, url: str, token: str | None, poll_seconds: float) -> None:
        self.url = url
        self.token = token
        self.poll_seconds = poll_seconds
        self.secret = secrets.token_bytes(32)
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self.telemetry = Telemetry(self.latest)
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
                raise unavailable(self.url, exc) from exc
        return self._store

    def latest_id(self, fresh: bool = False) -> int | None:
        """Id of the newest run: one indexed aggregate, asked at most every poll interval."""
        now = time.monotonic()
        if not fresh and now - self._checked[0] < min(self.poll_seconds, 0.5):
            return self._checked[1]
        try:
            newest = latest_run_id(self.store())
        except SQLAlchemyError as exc:
            raise unavailable(self.url, exc) from exc
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
                raise unavailable(self.url, exc) from exc
        return self._latest

    def csrf(self, nonce: str) -> str:
        """The form token bound to a browser's nonce cookie."""
        return hmac.new(self.secret, nonce.encode(), hashlib.sha256).hexdigest()

    def render(
        self, request: Request, name: str, context: dict[str, Any], status: int = 200
    ) -> HTMLResponse:
        """Render a page with the common context (prefix, latest run)."""
        latest = context.pop("_latest", None)
        base = {
            "prefix": PREFIX,
            "prefix_root": "",
            "run_id": latest[0] if latest else None,
            "report": latest[1] if latest else None,
        }
        return self.templates.TemplateResponse(
            request, name, {**base, **context}, status_code=status
        )

    def error_page(self, request: Request, status: int, heading: str, message: str) -> HTMLResponse:
        """The error page (404, 401, 403, 422, 503) with its status code."""
        context = {"status_code": status, "heading": heading, "message": message}
        return self.render(request, "error.html", context, status)

    def not_found(self, request: Request, what: str) -> Response:
        """404: JSON under ``/api``, else the error page."""
        if request.url.path.startswith("/api"):
            return JSONResponse({"detail": f"{what} not found"}, status_code=404)
        return self.error_page(request, 404, "Not found", f"{what} does not exist.")


def component_of(latest: tuple[int, RunReport] | None, name: str) -> ComponentReport | None:
    """One component of a run (None when it has none of that name, or there is no run)."""
    return next((c for c in latest[1].components if c.name == name), None) if latest else None


def unknown_component(state: Dashboard, name: str) -> str:
    """Why a deployment of ``name`` is refused: it is no component of the latest run."""
    latest = state.latest()
    known = ", ".join(c.name for c in latest[1].components) if latest else ""
    return f"unknown component {name!r} (known: {known or 'none, no run stored yet'})"


async def dashboard(request: Request) -> Dashboard:
    """The app's shared state (async: resolved without a thread hop)."""
    return request.app.state.dashboard


State = Annotated[Dashboard, Depends(dashboard)]
