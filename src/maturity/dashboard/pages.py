"""The server-rendered pages and the live event stream."""

from __future__ import annotations

import asyncio
import hmac
import json
import re
import secrets
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.responses import StreamingResponse

from maturity.dashboard import queries
from maturity.dashboard.charts import line_chart
from maturity.dashboard.schemas import DeploymentIn
from maturity.model import BlockerCategory, Stage
from maturity.store import record_deployment

if TYPE_CHECKING:
    from maturity.dashboard.app import Dashboard

PREFIX = "/dashboard/maturity"


def render(
    templates: Jinja2Templates,
    request: Request,
    name: str,
    context: dict[str, Any],
    status: int = 200,
) -> HTMLResponse:
    """Render a page with the common context (prefix, latest run)."""
    latest = context.pop("_latest", None)
    base = {
        "prefix": PREFIX,
        "prefix_root": "",
        "run_id": latest[0] if latest else None,
        "report": latest[1] if latest else None,
    }
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status)


def add_page_routes(
    app: FastAPI, state: Dashboard, templates: Jinja2Templates
) -> Callable[[Request, str], Response]:
    """Register the pages; returns the not-found responder shared with the API."""

    def error_page(request: Request, status: int, heading: str, message: str) -> HTMLResponse:
        context = {"status_code": status, "heading": heading, "message": message}
        return render(templates, request, "error.html", context, status)

    def not_found(request: Request, what: str) -> Response:
        if request.url.path.startswith("/api"):
            return JSONResponse({"detail": f"{what} not found"}, status_code=404)
        return error_page(request, 404, "Not found", f"{what} does not exist.")

    @app.get(PREFIX, response_class=HTMLResponse, include_in_schema=False)
    async def overview_page(request: Request, stage: str = "", category: str = "") -> Response:
        # async on purpose: a cache hit costs less than a thread hop; a miss renders once
        # per stored run, and the newest-run check is one indexed aggregate every 0.5 s
        def make() -> bytes:
            data = queries.overview(state.latest(), stage or None, category or None)
            return bytes(render(templates, request, "overview.html", {
                "_latest": (data.run_id, data.report) if data.report else None,
                "page": "overview", "columns": data.columns, "rows": data.rows,
                "stage": stage, "category": category,
                "stages": [s.value for s in Stage],
                "categories": [c.value for c in BlockerCategory],
            }).body)  # fmt: skip

        return HTMLResponse(state.cached(("overview", stage, category), make))

    @app.get(f"{PREFIX}/components/{{name}}", response_class=HTMLResponse, include_in_schema=False)
    def component_page(request: Request, name: str) -> Response:
        latest = state.latest()
        comp = next((c for c in latest[1].components if c.name == name), None) if latest else None
        if comp is None:
            return not_found(request, f"Component {name!r}")
        store = state.store()
        data = queries.series(store, name)
        bar_text = next((c.threshold for c in comp.criteria if c.id == "dev.coverage"), "")
        number = re.search(r"\d+(?:\.\d+)?", bar_text)
        bar = float(number.group()) if number else None
        charts = [
            line_chart(title, data[key], bar if key == "coverage" else None)
            for key, (title, _) in queries.SERIES.items()
        ]
        return render(templates, request, "component.html", {
            "_latest": latest, "page": "component", "comp": comp, "charts": charts,
            "blockers": queries.open_blockers(store, name),
            "entries": queries.timeline(store, name), "show_component": False,
        })  # fmt: skip

    @app.get(f"{PREFIX}/blockers", response_class=HTMLResponse, include_in_schema=False)
    def blockers_page(request: Request) -> Response:
        groups: dict[str, list[queries.OpenBlocker]] = {}
        for b in queries.open_blockers(state.store()):
            groups.setdefault(b.criterion.blocker_category.value, []).append(b)
        return render(templates, request, "blockers.html", {
            "_latest": state.latest(), "page": "blockers", "groups": sorted(groups.items()),
        })  # fmt: skip

    @app.get(f"{PREFIX}/deployments", response_class=HTMLResponse, include_in_schema=False)
    def deployments_page(request: Request) -> Response:
        latest = state.latest()
        nonce = request.cookies.get("maturity_nonce") or secrets.token_urlsafe(16)
        response = render(templates, request, "deployments.html", {
            "_latest": latest, "page": "deployments", "entries": queries.timeline(state.store()),
            "token_set": bool(state.token), "csrf": state.csrf(nonce),
            "component_names": [c.name for c in latest[1].components] if latest else [],
        })  # fmt: skip
        response.set_cookie("maturity_nonce", nonce, httponly=True, samesite="strict")
        return response

    @app.post(f"{PREFIX}/deployments", include_in_schema=False)
    def record_from_form(
        request: Request,
        component: str = Form(...),
        environment: str = Form(...),
        version: str = Form(...),
        status: str = Form("success"),
        token: str = Form(""),
        csrf: str = Form(""),
    ) -> Response:
        nonce = request.cookies.get("maturity_nonce", "")
        if not nonce or not hmac.compare_digest(csrf, state.csrf(nonce)):
            return error_page(
                request, 403, "Forbidden", "The form token is stale; reload the page."
            )
        if not state.token or not hmac.compare_digest(token, state.token):
            return error_page(request, 401, "Unauthorized", "A valid write token is required.")
        try:
            item = DeploymentIn(
                component=component, environment=environment, version=version, status=status
            )
        except ValidationError:
            return error_page(request, 422, "Invalid deployment", "Check environment and status.")
        record_deployment(
            state.store(), item.component, item.environment, item.version, item.status,
            "dashboard", None,
        )  # fmt: skip
        return RedirectResponse(f"{PREFIX}/deployments", status_code=303)

    return not_found


def add_event_stream(app: FastAPI, state: Dashboard) -> None:
    """Server-Sent Events: a ``run`` event whenever a newer run is stored."""
    from maturity.dashboard.app import Unavailable

    @app.get(f"{PREFIX}/events", include_in_schema=False)
    async def events(request: Request) -> StreamingResponse:
        async def stream() -> AsyncIterator[str]:
            last: int | None = -1
            quiet = 0.0
            yield "retry: 2000\n\n"
            while not await request.is_disconnected():
                try:
                    current = await asyncio.to_thread(state.latest_id)
                except Unavailable:
                    current = last
                if current != last:
                    last = current
                    yield f"event: run\ndata: {json.dumps({'run_id': current})}\n\n"
                quiet += state.poll_seconds
                if quiet >= 15:
                    quiet = 0.0
                    yield ": keep-alive\n\n"
                await asyncio.sleep(state.poll_seconds)

        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)
