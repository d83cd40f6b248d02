"""What every route of the dashboard shares: the store (opened lazily), the newest run,
rendered-output caches, templates, metrics and secrets.

``create_app`` puts one :class:`Dashboard` on ``app.state``; routes take it as the
``State`` dependency. Nothing here imports a route module.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from maturity.dashboard.charts import sparkline
from maturity.dashboard.metrics import Telemetry
from maturity.dashboard.summary import short
from maturity.errors import MaturityError
from maturity.model import ComponentReport, RunReport
from maturity.store import Store, latest_run, open_store, store_version

HERE = Path(__file__).parent
CACHE_SIZE = 1024  # rendered pages and bodies kept: every component page of a big monorepo
PREFIX = "/dashboard/maturity"


def minute() -> int:
    """The current minute: in the cache key of what shows ages, so they stay current."""
    return int(time.time() // 60)


def humanise(age: timedelta) -> str:
    """A duration as people say it: "3 days", "5 hours", "12 minutes", "just now"."""
    seconds = int(age.total_seconds())
    for unit, size in (("year", 365 * 86400), ("month", 30 * 86400), ("week", 7 * 86400),
                       ("day", 86400), ("hour", 3600), ("minute", 60)):  # fmt: skip
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'' if n == 1 else 's'}"
    return "just now"


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

    def __init__(
        self, url: str, token: str | None, poll_seconds: float, issues: str | None = None
    ) -> None:
        self.url = url
        self.token = token
        self.issues = issues  # the repository's GitHub issues page, when known
        self.poll_seconds = poll_seconds
        self.secret = secrets.token_bytes(32)
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self.templates.env.globals.update(sparkline=sparkline, short_title=short, humanise=humanise)
        self.telemetry = Telemetry(self.latest)
        self._store: Store | None = None
        self._latest: tuple[int, RunReport] | None = None
        self._checked: tuple[float, tuple[int | None, ...]] = (0.0, (None, None, None))
        self._lock = threading.Lock()
        self._loading = threading.Lock()
        self.rendered: OrderedDict[tuple[object, ...], Any] = OrderedDict()  # (run, view, args)
        self._making: dict[tuple[object, ...], Future[Any]] = {}  # being made now

    def store(self) -> Store:
        """The store, opened on first use and tried again after a failure."""
        if self._store is None:
            try:
                self._store = open_store(self.url)
            except (MaturityError, SQLAlchemyError) as exc:
                raise unavailable(self.url, exc) from exc
        return self._store

    def version(self, fresh: bool = False) -> tuple[int | None, ...]:
        """The newest run, stage event and deployment ids: one query over three primary
        keys, asked at most every poll interval (0.5 s at most)."""
        now = time.monotonic()
        if not fresh and now - self._checked[0] < min(self.poll_seconds, 0.5):
            return self._checked[1]
        try:
            newest = store_version(self.store())
        except SQLAlchemyError as exc:
            raise unavailable(self.url, exc) from exc
        self._checked = (now, newest)
        return newest

    def latest_id(self, fresh: bool = False) -> int | None:
        """Id of the newest run (see :meth:`version`)."""
        return self.version(fresh)[0]

    def _claim(self, full: tuple[object, ...]) -> tuple[Literal["hit", "make", "wait"], Any]:
        """What the cache holds for ``full``: ``("hit", value)``; ``("wait", future)``
        while another caller makes it; else ``("make", None)``: the caller claimed the
        making and must do it with :meth:`_made`."""
        with self._lock:
            if full in self.rendered:
                self.rendered.move_to_end(full)
                return "hit", self.rendered[full]
            if full in self._making:
                return "wait", self._making[full]
            self._making[full] = Future()
            return "make", None

    def _made(self, full: tuple[object, ...], make: Callable[[], Any]) -> Any:
        """Make the value of ``full`` (the caller claimed it), keep it and hand it to
        every caller that waited meanwhile, or hand them the exception."""
        pending = self._making[full]
        try:
            value = make()
        except BaseException as exc:
            with self._lock:
                del self._making[full]
            pending.set_exception(exc)
            raise
        with self._lock:
            self.rendered[full] = value
            while len(self.rendered) > CACHE_SIZE:
                self.rendered.popitem(last=False)
            del self._making[full]
        pending.set_result(value)
        return value

    def cached(self, key: tuple[object, ...], make: Callable[[], Any]) -> Any:
        """``make()`` once per store version and key (rendered pages, API bodies); the
        least recently used of more than CACHE_SIZE entries are dropped. Callers asking
        while it is being made wait for that one making (a new run makes every open
        dashboard ask for its page at once: one render, not one per browser)."""
        full = (*self.version(), *key)
        state, value = self._claim(full)
        if state == "make":
            return self._made(full, make)
        return value.result() if state == "wait" else value

    async def acached(self, key: tuple[object, ...], make: Callable[[], Any]) -> Any:
        """:meth:`cached` for the event loop: a value made already is returned at once,
        a making is awaited without holding a worker thread, a miss is made in one."""
        full = (*self.version(), *key)
        state, value = self._claim(full)
        if state == "make":
            return await asyncio.to_thread(self._made, full, make)
        return await asyncio.wrap_future(value) if state == "wait" else value

    async def page(
        self, request: Request, key: tuple[object, ...], make: Callable[[], bytes]
    ) -> Response:
        """A rendered page, made once per store version and key (see :meth:`send`)."""
        return await self.send(request, key, make, "text/html; charset=utf-8")

    async def json(
        self, request: Request, key: tuple[object, ...], make: Callable[[], Any]
    ) -> Response:
        """An API answer, encoded once per store version and key (see :meth:`send`)."""

        def encode() -> bytes:
            return json.dumps(make(), separators=(",", ":"), ensure_ascii=False).encode()

        return await self.send(request, key, encode, "application/json")

    async def send(
        self, request: Request, key: tuple[object, ...], make: Callable[[], bytes], media: str
    ) -> Response:
        """A body made once per store version and key (in a worker thread, so the event
        loop keeps answering meanwhile) and kept gzipped too: the compressed copy goes to
        clients that accept it (a big monorepo's pages and answers shrink ~10x)."""

        def both() -> tuple[bytes, bytes]:
            body = make()
            return body, gzip.compress(body, compresslevel=6, mtime=0)

        body, packed = await self.acached((media, *key), both)
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers = {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
            return Response(packed, media_type=media, headers=headers)
        return Response(body, media_type=media, headers={"Vary": "Accept-Encoding"})

    def latest(self) -> tuple[int, RunReport] | None:
        """The newest run, cached until a newer one is stored."""
        newest = self.latest_id()
        if newest is None:
            return None
        with self._loading:  # one load of a new run, however many pages ask at once
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
