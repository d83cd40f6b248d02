"""The deployments page, and its CSRF-protected form to record a deployment."""

from __future__ import annotations

import asyncio
import hmac
import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from maturity.dashboard import queries
from maturity.dashboard.schemas import DeploymentIn
from maturity.dashboard.state import PREFIX, Dashboard, State, component_of, unknown_component
from maturity.store import record_deployment

router = APIRouter()


LANE_LIMIT = 100  # newest entries shown per environment


def lanes(state: Dashboard) -> list[tuple[str, list[queries.TimelineEntry], int]]:
    """Each environment's newest entries and how many it has (once per store version)."""

    def make() -> list[tuple[str, list[queries.TimelineEntry], int]]:
        entries = queries.timeline(state.store())
        out = []
        for lane in ("staging", "production"):
            mine = [e for e in entries if e.lane == lane]
            out.append((lane, mine[:LANE_LIMIT], len(mine)))
        return out

    return state.cached(("lanes",), make)


@router.get(f"{PREFIX}/deployments", response_class=HTMLResponse, include_in_schema=False)
async def deployments_page(request: Request, state: State) -> Response:
    """A timeline per environment (deployments with the stage changes beside them), and
    the form when a write token is set. Read-only, the page is the same for everyone:
    made once per store version; with the form, each browser gets its own CSRF token."""
    if not state.token:

        def make() -> bytes:
            return bytes(state.render(request, "deployments.html", {
                "_latest": state.latest(), "page": "deployments", "lanes": lanes(state),
                "token_set": False,
            }).body)  # fmt: skip

        return await state.page(request, ("deployments",), make)
    return await asyncio.to_thread(with_form, request, state)


def with_form(request: Request, state: Dashboard) -> Response:
    """The page with the form, its CSRF token bound to the browser's nonce cookie."""
    latest = state.latest()
    nonce = request.cookies.get("maturity_nonce") or secrets.token_urlsafe(16)
    response = state.render(request, "deployments.html", {
        "_latest": latest, "page": "deployments", "lanes": lanes(state),
        "token_set": True, "csrf": state.csrf(nonce),
        "component_names": [c.name for c in latest[1].components] if latest else [],
    })  # fmt: skip
    response.set_cookie("maturity_nonce", nonce, httponly=True, samesite="strict")
    return response


@router.post(f"{PREFIX}/deployments", include_in_schema=False)
def record_from_form(
    request: Request,
    state: State,
    component: str = Form(...),
    environment: str = Form(...),
    version: str = Form(...),
    status: str = Form("success"),
    token: str = Form(""),
    csrf: str = Form(""),
) -> Response:
    """Record a deployment from the form: CSRF token first, then the write token."""
    nonce = request.cookies.get("maturity_nonce", "")
    if not nonce or not hmac.compare_digest(csrf, state.csrf(nonce)):
        return state.error_page(
            request, 403, "Forbidden", "The form token is stale; reload the page."
        )
    if not state.token or not hmac.compare_digest(token, state.token):
        return state.error_page(request, 401, "Unauthorized", "A valid write token is required.")
    try:
        item = DeploymentIn(
            component=component, environment=environment, version=version, status=status
        )
    except ValidationError:
        return state.error_page(request, 422, "Invalid deployment", "Check environment and status.")
    if component_of(state.latest(), item.component) is None:
        message = unknown_component(state, item.component)
        return state.error_page(
            request, 422, "Invalid deployment", message[:1].upper() + message[1:]
        )
    record_deployment(
        state.store(), item.component, item.environment, item.version, item.status,
        "dashboard", None,
    )  # fmt: skip
    state.version(fresh=True)  # this process's pages show it at once
    return RedirectResponse(f"{PREFIX}/deployments", status_code=303)
