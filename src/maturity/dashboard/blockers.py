"""The blockers page: the open blockers of the newest run, grouped by blocker
category with counts and a chart, oldest first, each with its age and issue links."""

from __future__ import annotations

import math
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from maturity.dashboard import queries
from maturity.dashboard.charts import bar_chart
from maturity.dashboard.params import CategoryFilter, PageNumber
from maturity.dashboard.state import PREFIX, Dashboard, State, minute

router = APIRouter()
SHOWN = 25  # rows per category on the whole page; a category's own view pages them
PER_PAGE = 100


@dataclass
class Group:
    """One blocker category: its rows to show and how many there are."""

    category: str
    rows: list[queries.OpenBlocker]
    count: int


def open_blockers(state: Dashboard) -> list[queries.OpenBlocker]:
    """The open blockers, oldest first (once per store version)."""
    return state.cached(("blockers",), lambda: queries.open_blockers(state.store(), state.latest()))


@router.get(f"{PREFIX}/blockers", response_class=HTMLResponse, include_in_schema=False)
async def blockers_page(
    request: Request, state: State, category: CategoryFilter = "", page: PageNumber = 1
) -> Response:
    """Unmet criteria of the newest run by category, oldest streak first."""

    def make() -> bytes:
        everything = open_blockers(state)
        by_category: dict[str, list[queries.OpenBlocker]] = {}
        for b in everything:
            by_category.setdefault(b.criterion.blocker_category.value, []).append(b)
        counts = sorted(((c, len(rows)) for c, rows in by_category.items()), key=lambda kv: -kv[1])
        pages, shown = 1, page
        if category:
            rows = by_category.get(category, [])
            pages = max(1, math.ceil(len(rows) / PER_PAGE))
            shown = min(page, pages)
            groups = [Group(category, rows[(shown - 1) * PER_PAGE : shown * PER_PAGE], len(rows))]
        else:
            groups = [Group(c, by_category[c][:SHOWN], n) for c, n in counts]
        return bytes(state.render(request, "blockers.html", {
            "_latest": state.latest(), "page": "blockers", "groups": groups,
            "total": len(everything), "category": category, "pages": pages, "shown": shown,
            "chart": bar_chart("Open blockers by category", counts), "now": queries.now(),
            "issues": state.issues,
        }).body)  # fmt: skip

    return await state.page(request, ("blockers", category, page, minute()), make)
