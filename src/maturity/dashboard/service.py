"""Service endpoints: health, Prometheus metrics, badges, and the root redirect."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from maturity.dashboard.charts import badge
from maturity.dashboard.params import BadgeKind, ComponentName
from maturity.dashboard.state import PREFIX, State, component_of
from maturity.model import COVERAGE

STAGE_COLOURS = {"development": "#6a737d", "staging": "#b26a00", "production": "#2e7d32"}

router = APIRouter()


@router.get("/health", tags=["service"])
def health(state: State) -> dict[str, Any]:
    """Liveness and database reachability (503 when the database is down)."""
    return {"status": "ok", "database": "ok", "latest_run": state.latest_id(fresh=True)}


@router.get("/metrics", include_in_schema=False)
def metrics(state: State) -> Response:
    """The Prometheus exposition of the components and of the dashboard itself."""
    state.latest_id(fresh=True)  # a 503 when the database is down, not an empty scrape
    return Response(generate_latest(state.telemetry.registry), media_type=CONTENT_TYPE_LATEST)


@router.get("/badge/{name}.svg", include_in_schema=False)
def badge_svg(state: State, name: ComponentName, kind: BadgeKind = "stage") -> Response:
    """A component's stage badge (red when regressed or at risk), or its coverage."""
    comp = component_of(state.latest(), name)
    if comp is None:
        svg = badge(name, "unknown", "#9f9f9f")
        return Response(svg, status_code=404, media_type="image/svg+xml")
    if kind == "coverage":
        crit = next((c for c in comp.criteria if c.id == COVERAGE), None)
        measured = crit is not None and crit.status.value != "error"
        value = crit.display.split(" ")[0] if crit and measured else "unknown"
        svg = badge("coverage", value, "#2e7d32" if crit and crit.met else "#c62828")
    else:
        colour = "#c62828" if comp.regressed or comp.at_risk else STAGE_COLOURS[comp.stage.value]
        text = comp.stage.value + (" (regressed)" if comp.regressed else "")
        text += " (at risk)" if comp.at_risk else ""
        svg = badge(comp.name, text, colour)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-cache"})


@router.get("/", include_in_schema=False)
def root() -> RedirectResponse:
    """To the overview."""
    return RedirectResponse(PREFIX)
