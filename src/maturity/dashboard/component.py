"""A component's page: criteria with evidence, trend charts, open blockers, timeline."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from maturity.dashboard import queries
from maturity.dashboard.charts import line_chart
from maturity.dashboard.params import ComponentName
from maturity.dashboard.state import PREFIX, State, component_of
from maturity.model import COVERAGE

router = APIRouter()


@router.get(f"{PREFIX}/components/{{name}}", response_class=HTMLResponse, include_in_schema=False)
def component_page(request: Request, state: State, name: ComponentName) -> Response:
    """Criteria with evidence, trend charts, open blockers and the timeline."""
    latest = state.latest()
    comp = component_of(latest, name)
    if comp is None:
        return state.not_found(request, f"Component {name!r}")
    store = state.store()
    data = queries.series(store, name)
    bar = next((c.bar for c in comp.criteria if c.id == COVERAGE), None)
    charts = [
        line_chart(title, data[key], bar if key == "coverage" else None)
        for key, (title, _) in queries.SERIES.items()
    ]
    return state.render(request, "component.html", {
        "_latest": latest, "page": "component", "comp": comp, "charts": charts,
        "blockers": queries.open_blockers(store, name),
        "entries": queries.timeline(store, name), "show_component": False,
    })  # fmt: skip
