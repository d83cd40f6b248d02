"""The overview page: summary tiles, the stage board, the repository's trends and the
criteria matrix (searchable, filterable, sortable, paged) of the newest run."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from maturity.dashboard import summary
from maturity.dashboard.charts import line_chart
from maturity.dashboard.matrix import STATUSES, Query, matrix
from maturity.dashboard.params import (
    CategoryFilter,
    PageNumber,
    Search,
    SortKey,
    SortOrder,
    StageFilter,
    StatusFilter,
)
from maturity.dashboard.state import PREFIX, Dashboard, State
from maturity.model import BlockerCategory, Stage
from maturity.store import ComponentPoint, component_history

router = APIRouter()


def history(state: Dashboard) -> list[ComponentPoint]:
    """Every component's figures over the newest runs (once per stored run)."""
    return state.cached(("history",), lambda: component_history(state.store(), summary.TREND_RUNS))


def glance(state: Dashboard) -> dict[str, Any]:
    """Tiles, board and repository trend of the newest run (once per stored run), the
    objects both the page and ``/api/summary`` render."""

    def make() -> dict[str, Any]:
        latest = state.latest()
        if latest is None:
            return {}
        points = history(state)
        return {
            "tiles": summary.tiles(state.store(), latest[0], latest[1]),
            "board": summary.board(latest[1], points),
            "trend": summary.repo_trend(points),
        }

    return state.cached(("glance",), make)


def trend_charts(trend: list[summary.RepoPoint]) -> list[str]:
    """The repository's median coverage and open blockers over the recent runs."""
    coverage = [(p.at, p.coverage) for p in trend if p.coverage is not None]
    unmet = [(p.at, float(p.unmet)) for p in trend if p.unmet is not None]
    return [
        line_chart("Median coverage % of all components", coverage, percent=True),
        line_chart("Open blockers in all components", unmet),
    ]


@router.get(PREFIX, response_class=HTMLResponse, include_in_schema=False)
async def overview_page(
    request: Request,
    state: State,
    q: Search = "",
    stage: StageFilter = "",
    status: StatusFilter = "",
    category: CategoryFilter = "",
    sort: SortKey = "name",
    order: SortOrder = "",
    page: PageNumber = 1,
) -> Response:
    """At a glance and the matrix; rendered once per stored run and query.

    Async on purpose: a cache hit costs less than a thread hop; a miss renders once per
    stored run, and the newest-run check is one indexed aggregate every 0.5 s.
    """
    query = Query(q, stage, status, category, sort or "name", order or "asc", page)

    def make() -> bytes:
        latest = state.latest()
        context: dict[str, Any] = {"_latest": latest, "page": "overview", "q": query}
        if latest is not None:
            data = glance(state)
            context.update(
                tiles=data["tiles"], board=data["board"],
                trend_charts=trend_charts(data["trend"]), m=matrix(latest[1], query),
                stages=[s.value for s in Stage], statuses=STATUSES,
                categories=[c.value for c in BlockerCategory],
            )  # fmt: skip
        return bytes(state.render(request, "overview.html", context).body)

    return await state.page(request, ("overview", query), make)
