"""The overview page: every component of the newest run, filterable by stage and category."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from maturity.dashboard import queries
from maturity.dashboard.params import CategoryFilter, StageFilter
from maturity.dashboard.state import PREFIX, State
from maturity.model import BlockerCategory, Stage

router = APIRouter()


@router.get(PREFIX, response_class=HTMLResponse, include_in_schema=False)
async def overview_page(
    request: Request, state: State, stage: StageFilter = "", category: CategoryFilter = ""
) -> Response:
    """Every component: stage, readiness, the criteria matrix; cached per stored run.

    Async on purpose: a cache hit costs less than a thread hop; a miss renders once per
    stored run, and the newest-run check is one indexed aggregate every 0.5 s.
    """

    def make() -> bytes:
        data = queries.overview(state.latest(), stage or None, category or None)
        return bytes(state.render(request, "overview.html", {
            "_latest": (data.run_id, data.report) if data.report else None,
            "page": "overview", "columns": data.columns, "rows": data.rows,
            "stage": stage, "category": category,
            "stages": [s.value for s in Stage],
            "categories": [c.value for c in BlockerCategory],
        }).body)  # fmt: skip

    return HTMLResponse(state.cached(("overview", stage, category), make))
