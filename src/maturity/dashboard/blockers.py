"""The blockers page: every unmet criterion of the newest run, by blocker category."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from maturity.dashboard import queries
from maturity.dashboard.state import PREFIX, State

router = APIRouter()


@router.get(f"{PREFIX}/blockers", response_class=HTMLResponse, include_in_schema=False)
def blockers_page(request: Request, state: State) -> Response:
    """Unmet criteria of the newest run grouped by category, oldest streak first."""
    groups: dict[str, list[queries.OpenBlocker]] = {}
    for b in queries.open_blockers(state.store()):
        groups.setdefault(b.criterion.blocker_category.value, []).append(b)
    return state.render(request, "blockers.html", {
        "_latest": state.latest(), "page": "blockers", "groups": sorted(groups.items()),
    })  # fmt: skip
