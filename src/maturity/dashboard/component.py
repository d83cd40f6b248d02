"""A component's page: criteria with evidence, trend charts, open blockers, timeline."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from maturity.dashboard import queries
from maturity.dashboard.charts import Marker, line_chart
from maturity.dashboard.params import ComponentName
from maturity.dashboard.state import PREFIX, State, component_of
from maturity.model import COVERAGE

router = APIRouter()
PERCENT = {"coverage", "docs"}


@router.get(f"{PREFIX}/components/{{name}}", response_class=HTMLResponse, include_in_schema=False)
async def component_page(request: Request, state: State, name: ComponentName) -> Response:
    """Criteria with evidence, trend charts (promotions and deployments marked), open
    blockers and the timeline; rendered once per store version."""
    latest = state.latest()
    comp = component_of(latest, name)
    if comp is None:
        return state.not_found(request, f"Component {name!r}")

    def make() -> bytes:
        store = state.store()
        data = queries.series(store, name)
        entries = queries.timeline(store, name)
        markers = [Marker(e.at, e.kind, e.text) for e in entries]
        bar = next((c.bar for c in comp.criteria if c.id == COVERAGE), None)
        charts = [
            line_chart(
                title, data[key], bar if key == "coverage" else None, markers, key in PERCENT
            )
            for key, (title, _) in queries.SERIES.items()
        ]
        return bytes(state.render(request, "component.html", {
            "_latest": latest, "page": "component", "comp": comp, "charts": charts,
            "runs": max((len(v) for v in data.values()), default=0),
            "blockers": queries.open_blockers(store, latest, name),
            "run_at": datetime.fromisoformat(latest[1].timestamp) if latest else None,
            "entries": entries, "show_component": False,
        }).body)  # fmt: skip

    return await state.page(request, ("component", name), make)
